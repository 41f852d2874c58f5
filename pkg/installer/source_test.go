package installer

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// configMapVolume lays out dir the way the kubelet mounts a ConfigMap volume:
//
//	..2024_01_01_00_00_00.123/<key>   the data
//	..data -> ..2024_01_01_00_00_00.123
//	<key>  -> ..data/<key>
func configMapVolume(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	ts := "..2024_01_01_00_00_00.123"
	if err := os.Mkdir(filepath.Join(dir, ts), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, ts, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(ts, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		if err := os.Symlink(filepath.Join("..data", name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestReadSourceOfAConfigMapVolume(t *testing.T) {
	dir := t.TempDir()
	configMapVolume(t, dir, map[string][]byte{"deny-chmod.json": denyChmod, "clone3-enosys.json": clone3})

	got, err := ReadSource(dir)
	if err != nil {
		t.Fatalf("ReadSource: %v", err)
	}
	if k := strings.Join(keys(got), ","); k != "clone3-enosys.json,deny-chmod.json" {
		t.Fatalf("ReadSource read %s, want only the two profiles (no ..data entries)", k)
	}
	if string(got["deny-chmod.json"]) != string(denyChmod) || string(got["clone3-enosys.json"]) != string(clone3) {
		t.Error("ReadSource did not follow the symlinks to the profiles' bytes")
	}
}

func TestReadSourceThenSyncInstallsTheVolumeContent(t *testing.T) {
	src, target := t.TempDir(), t.TempDir()
	configMapVolume(t, src, map[string][]byte{"deny-chmod.json": denyChmod})
	files, err := ReadSource(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(files, target); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(filepath.Join(target, "deny-chmod.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !info.Mode().IsRegular() {
		t.Errorf("installed profile is %v, want a regular file (not a link into the pod's volume)", info.Mode())
	}
	assertContent(t, filepath.Join(target, "deny-chmod.json"), denyChmod)
}

func TestReadSourceRefusesUnsafeNames(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "Bad Name.json"), denyChmod)
	_, err := ReadSource(dir)
	if err == nil {
		t.Fatal("ReadSource accepted a name that is not a safe profile name")
	}
	if !strings.Contains(err.Error(), "Bad Name.json") {
		t.Errorf("error %q does not name the file", err)
	}
}

func TestReadSourceOfAMissingDirectory(t *testing.T) {
	if _, err := ReadSource(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("ReadSource of a missing directory succeeded")
	}
}

func TestSetDigest(t *testing.T) {
	a := map[string][]byte{}
	a["deny-chmod.json"] = denyChmod
	a["clone3-enosys.json"] = clone3
	b := map[string][]byte{}
	b["clone3-enosys.json"] = clone3
	b["deny-chmod.json"] = denyChmod

	base := SetDigest(a)
	if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Errorf("SetDigest = %q, want 64 lowercase hex characters", base)
	}
	for i := 0; i < 20; i++ { // map iteration order varies between calls
		if got := SetDigest(b); got != base {
			t.Fatalf("SetDigest depends on insertion or iteration order: %s != %s", got, base)
		}
	}

	tests := []struct {
		name string
		set  map[string][]byte
	}{
		{"content changed", map[string][]byte{"deny-chmod.json": append(append([]byte{}, denyChmod...), ' '), "clone3-enosys.json": clone3}},
		{"file renamed", map[string][]byte{"deny-chmod2.json": denyChmod, "clone3-enosys.json": clone3}},
		{"contents swapped between names", map[string][]byte{"deny-chmod.json": clone3, "clone3-enosys.json": denyChmod}},
		{"file removed", map[string][]byte{"clone3-enosys.json": clone3}},
		{"file added", map[string][]byte{"deny-chmod.json": denyChmod, "clone3-enosys.json": clone3, "x.json": nil}},
		{"empty set", map[string][]byte{}},
	}
	seen := map[string]string{base: "base"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SetDigest(tt.set)
			if prev, dup := seen[got]; dup {
				t.Errorf("SetDigest(%s) equals SetDigest(%s): a changed set would look installed", tt.name, prev)
			}
			seen[got] = tt.name
		})
	}
}
