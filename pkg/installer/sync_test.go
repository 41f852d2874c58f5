package installer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

var (
	denyChmod = []byte("{\n\t\"defaultAction\": \"SCMP_ACT_ALLOW\",\n\t\"syscalls\": [{\"names\": [\"chmod\"], \"action\": \"SCMP_ACT_ERRNO\"}]\n}\n")
	clone3    = []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}`)
	foreign   = []byte(`{"defaultAction": "SCMP_ACT_LOG"}` + "\n# written by someone else\n")
)

// listDir returns the names in dir, sorted, hidden ones included.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func mustWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func assertContent(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("reading %s: %v", path, err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}

func assertGone(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); err == nil {
		t.Errorf("%s still exists", path)
	} else if !os.IsNotExist(err) {
		t.Errorf("stat %s: %v", path, err)
	}
}

func readManifestFile(t *testing.T, dir string) Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatalf("reading manifest: %v", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest is not JSON: %v", err)
	}
	return m
}

func changesByName(changes []Change) map[string]string {
	out := map[string]string{}
	for _, c := range changes {
		out[c.Name] = c.Action
	}
	return out
}

func TestSyncWritesByteIdenticalFilesWithMode0644AndNoTempFiles(t *testing.T) {
	target := filepath.Join(t.TempDir(), "seccomp", "kubectl-seccomp")
	source := map[string][]byte{"deny-chmod.json": denyChmod, "clone3-enosys.json": clone3}

	changes, err := Sync(source, target)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	for name, data := range source {
		path := filepath.Join(target, name)
		assertContent(t, path, data)
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode(); mode != 0o644 {
			t.Errorf("%s has mode %v, want -rw-r--r--", name, mode)
		}
	}
	if got, want := strings.Join(listDir(t, target), ","), ManifestName+",clone3-enosys.json,deny-chmod.json"; got != want {
		t.Errorf("target holds %s, want exactly %s (no temp files)", got, want)
	}
	if got := changesByName(changes); got["deny-chmod.json"] != "wrote" || got["clone3-enosys.json"] != "wrote" {
		t.Errorf("changes = %v, want both written", changes)
	}
	m := readManifestFile(t, target)
	for name, data := range source {
		if m.Files[name] != profile.Digest(data) {
			t.Errorf("manifest lists %s with %q, want its sha256 %s", name, m.Files[name], profile.Digest(data))
		}
	}
	if len(m.Files) != len(source) {
		t.Errorf("manifest lists %v, want exactly the source files", m.Files)
	}
}

func TestSyncAgainReportsUnchanged(t *testing.T) {
	target := t.TempDir()
	source := map[string][]byte{"deny-chmod.json": denyChmod}
	if _, err := Sync(source, target); err != nil {
		t.Fatal(err)
	}
	changes, err := Sync(source, target)
	if err != nil {
		t.Fatalf("second Sync: %v", err)
	}
	if got := changesByName(changes); got["deny-chmod.json"] != "unchanged" {
		t.Errorf("changes = %v, want deny-chmod.json unchanged", changes)
	}
}

func TestSyncRewritesAChangedProfile(t *testing.T) {
	target := t.TempDir()
	if _, err := Sync(map[string][]byte{"p.json": denyChmod}, target); err != nil {
		t.Fatal(err)
	}
	changes, err := Sync(map[string][]byte{"p.json": clone3}, target)
	if err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(target, "p.json"), clone3)
	if got := changesByName(changes); got["p.json"] != "wrote" {
		t.Errorf("changes = %v, want p.json written", changes)
	}
	if m := readManifestFile(t, target); m.Files["p.json"] != profile.Digest(clone3) {
		t.Errorf("manifest digest of p.json = %s, want the new content's", m.Files["p.json"])
	}
}

func TestSyncRepairsAnOwnedFileEditedOnTheNode(t *testing.T) {
	target := t.TempDir()
	source := map[string][]byte{"deny-chmod.json": denyChmod}
	if _, err := Sync(source, target); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(target, "deny-chmod.json"), []byte("{}"))
	if _, err := Sync(source, target); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(target, "deny-chmod.json"), denyChmod)
}

func TestForeignFileSurvivesSyncResyncAndClean(t *testing.T) {
	target := t.TempDir()
	foreignPath := filepath.Join(target, "team-a.json")
	mustWrite(t, foreignPath, foreign)

	if _, err := Sync(map[string][]byte{"deny-chmod.json": denyChmod}, target); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	assertContent(t, foreignPath, foreign)

	// re-sync with another set: deny-chmod.json is pruned, the foreign file is not
	if _, err := Sync(map[string][]byte{"clone3-enosys.json": clone3}, target); err != nil {
		t.Fatalf("re-Sync: %v", err)
	}
	assertContent(t, foreignPath, foreign)
	if m := readManifestFile(t, target); m.Files["team-a.json"] != "" {
		t.Errorf("the manifest claims the foreign file: %v", m.Files)
	}

	if _, err := Clean(target); err != nil {
		t.Fatalf("Clean: %v", err)
	}
	assertContent(t, foreignPath, foreign)
	if got := strings.Join(listDir(t, target), ","); got != "team-a.json" {
		t.Errorf("after Clean the directory holds %s, want only the foreign file", got)
	}
}

func TestSyncNameCollidingWithForeignFileIsAConflict(t *testing.T) {
	target := t.TempDir()
	foreignPath := filepath.Join(target, "deny-chmod.json")
	mustWrite(t, foreignPath, foreign)

	source := map[string][]byte{"deny-chmod.json": denyChmod, "clone3-enosys.json": clone3}
	changes, err := Sync(source, target)
	if err == nil {
		t.Fatal("Sync returned no error although a profile could not be installed")
	}
	if !strings.Contains(err.Error(), "deny-chmod.json") {
		t.Errorf("error %q does not name the conflicting profile", err)
	}
	assertContent(t, foreignPath, foreign)
	if info, _ := os.Stat(foreignPath); info != nil && info.Mode() != 0o600 {
		t.Errorf("the foreign file's mode changed to %v", info.Mode())
	}
	assertContent(t, filepath.Join(target, "clone3-enosys.json"), clone3)
	if got := changesByName(changes); got["deny-chmod.json"] != "conflict" || got["clone3-enosys.json"] != "wrote" {
		t.Errorf("changes = %v, want deny-chmod.json conflict and clone3-enosys.json wrote", changes)
	}
	m := readManifestFile(t, target)
	if _, owned := m.Files["deny-chmod.json"]; owned {
		t.Errorf("the manifest claims the foreign deny-chmod.json: %v", m.Files)
	}

	// Clean after the conflict must not take the foreign file either.
	if _, err := Clean(target); err != nil {
		t.Fatalf("Clean: %v", err)
	}
	assertContent(t, foreignPath, foreign)
	assertGone(t, filepath.Join(target, "clone3-enosys.json"))
}

func TestSyncForeignSymlinkIsAConflictAndItsTargetUntouched(t *testing.T) {
	target := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "real.json")
	mustWrite(t, elsewhere, foreign)
	if err := os.Symlink(elsewhere, filepath.Join(target, "deny-chmod.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(map[string][]byte{"deny-chmod.json": denyChmod}, target); err == nil {
		t.Error("Sync wrote over a foreign symlink without reporting a conflict")
	}
	assertContent(t, elsewhere, foreign)
	if dest, err := os.Readlink(filepath.Join(target, "deny-chmod.json")); err != nil || dest != elsewhere {
		t.Errorf("the foreign symlink was replaced (readlink = %q, %v)", dest, err)
	}
}

func TestSyncPrunesProfilesRemovedFromTheSource(t *testing.T) {
	target := t.TempDir()
	foreignPath := filepath.Join(target, "team-a.json")
	mustWrite(t, foreignPath, foreign)
	if _, err := Sync(map[string][]byte{"deny-chmod.json": denyChmod, "clone3-enosys.json": clone3}, target); err != nil {
		t.Fatal(err)
	}

	changes, err := Sync(map[string][]byte{"clone3-enosys.json": clone3}, target)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	assertGone(t, filepath.Join(target, "deny-chmod.json"))
	assertContent(t, filepath.Join(target, "clone3-enosys.json"), clone3)
	assertContent(t, foreignPath, foreign)
	if got := changesByName(changes); got["deny-chmod.json"] != "removed" {
		t.Errorf("changes = %v, want deny-chmod.json removed", changes)
	}
	if _, ok := changesByName(changes)["team-a.json"]; ok {
		t.Errorf("changes mention the foreign file: %v", changes)
	}
	m := readManifestFile(t, target)
	if len(m.Files) != 1 || m.Files["clone3-enosys.json"] == "" {
		t.Errorf("manifest = %v, want only clone3-enosys.json", m.Files)
	}
}

func TestSyncEmptySourceRemovesEveryOwnedFile(t *testing.T) {
	target := t.TempDir()
	mustWrite(t, filepath.Join(target, "team-a.json"), foreign)
	if _, err := Sync(map[string][]byte{"deny-chmod.json": denyChmod}, target); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(map[string][]byte{}, target); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(listDir(t, target), ","); got != ManifestName+",team-a.json" {
		t.Errorf("target holds %s, want the manifest and the foreign file", got)
	}
}

func TestCleanRemovesOwnedFilesManifestAndEmptyDir(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "kubectl-seccomp")
	if _, err := Sync(map[string][]byte{"deny-chmod.json": denyChmod, "clone3-enosys.json": clone3}, target); err != nil {
		t.Fatal(err)
	}
	changes, err := Clean(target)
	if err != nil {
		t.Fatalf("Clean: %v", err)
	}
	assertGone(t, target)
	got := changesByName(changes)
	if got["deny-chmod.json"] != "removed" || got["clone3-enosys.json"] != "removed" {
		t.Errorf("changes = %v, want both removed", changes)
	}
}

func TestCleanKeepsDirWithForeignFiles(t *testing.T) {
	target := t.TempDir()
	mustWrite(t, filepath.Join(target, "team-a.json"), foreign)
	if _, err := Sync(map[string][]byte{"deny-chmod.json": denyChmod}, target); err != nil {
		t.Fatal(err)
	}
	if _, err := Clean(target); err != nil {
		t.Fatalf("Clean: %v", err)
	}
	if got := strings.Join(listDir(t, target), ","); got != "team-a.json" {
		t.Errorf("after Clean: %s, want only team-a.json", got)
	}
}

func TestCleanOfMissingDirIsANoop(t *testing.T) {
	target := filepath.Join(t.TempDir(), "never-installed")
	changes, err := Clean(target)
	if err != nil {
		t.Fatalf("Clean: %v", err)
	}
	if len(changes) != 0 {
		t.Errorf("changes = %v, want none", changes)
	}
	assertGone(t, target)
}

func TestCleanToleratesAnOwnedFileAlreadyGone(t *testing.T) {
	target := t.TempDir()
	if _, err := Sync(map[string][]byte{"deny-chmod.json": denyChmod}, target); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(target, "deny-chmod.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := Clean(target); err != nil {
		t.Fatalf("Clean: %v", err)
	}
	assertGone(t, target)
}

func TestCorruptManifestStopsSyncAndCleanWithoutTouchingAnything(t *testing.T) {
	for _, op := range []string{"Sync", "Clean"} {
		t.Run(op, func(t *testing.T) {
			target := t.TempDir()
			corrupt := []byte(`{"files": {"deny-chmod.json": "abc"`)
			mustWrite(t, filepath.Join(target, ManifestName), corrupt)
			mustWrite(t, filepath.Join(target, "deny-chmod.json"), foreign)
			mustWrite(t, filepath.Join(target, "old.json"), foreign)
			before := listDir(t, target)

			var err error
			if op == "Sync" {
				_, err = Sync(map[string][]byte{"deny-chmod.json": denyChmod, "new.json": clone3}, target)
			} else {
				_, err = Clean(target)
			}
			if err == nil {
				t.Fatalf("%s succeeded with a corrupt manifest", op)
			}
			if !strings.Contains(err.Error(), ManifestName) || !strings.Contains(err.Error(), "corrupt") {
				t.Errorf("error %q does not say the manifest is corrupt", err)
			}
			if got := listDir(t, target); strings.Join(got, ",") != strings.Join(before, ",") {
				t.Errorf("directory changed from %v to %v", before, got)
			}
			assertContent(t, filepath.Join(target, ManifestName), corrupt)
			assertContent(t, filepath.Join(target, "deny-chmod.json"), foreign)
			assertContent(t, filepath.Join(target, "old.json"), foreign)
		})
	}
}

// A manifest lists bare file names. One that names a path outside the directory (hand
// edited, or written by a buggy version) must not make the installer delete that path:
// the tool only ever touches files in its own directory.
func TestManifestEntriesOutsideTheDirectoryAreNeverRemoved(t *testing.T) {
	for _, op := range []string{"Sync", "Clean"} {
		t.Run(op, func(t *testing.T) {
			root := t.TempDir()
			target := filepath.Join(root, "kubectl-seccomp")
			if err := os.Mkdir(target, 0o755); err != nil {
				t.Fatal(err)
			}
			outside := filepath.Join(root, "other-tool.json")
			mustWrite(t, outside, foreign)
			manifest := []byte(`{"files": {"../other-tool.json": "` + profile.Digest(foreign) + `"}}`)
			mustWrite(t, filepath.Join(target, ManifestName), manifest)

			if op == "Sync" {
				_, _ = Sync(map[string][]byte{"deny-chmod.json": denyChmod}, target)
			} else {
				_, _ = Clean(target)
			}
			assertContent(t, outside, foreign)
		})
	}
}
