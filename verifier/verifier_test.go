package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/installer"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// TestMain lets the benchmark use this test binary as the verifier process when no
// release build is named.
//
// With runtimeFilterEnv set, the mode first runs under that profile's filter, the way
// a container runtime starts the probe container.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && modes[os.Args[1]] != nil {
		if path := os.Getenv(runtimeFilterEnv); path != "" {
			if err := actAsRuntime(path); err != nil {
				fmt.Fprintln(os.Stderr, "test runtime:", err)
				os.Exit(125)
			}
		}
		os.Exit(modes[os.Args[1]](os.Args[2:]))
	}
	os.Exit(m.Run())
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "pkg", "profile", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// What the check container says of deny-chmod.json on this node: it loads, chmod is
// proven EPERM live, the simulation agrees, and the half-open chmod family is named.
func TestCheckOneProvesDenyChmod(t *testing.T) {
	data := readTestdata(t, "deny-chmod.json")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "deny-chmod.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	pc := checkOne("deny-chmod.json", data, dir, lint.Containerd)
	if !pc.Installed.OK {
		t.Errorf("installed: %+v", pc.Installed)
	}
	if !pc.Loads.OK || !strings.Contains(pc.Loads.Detail, "chmod: errno EPERM (1)") {
		t.Errorf("loads must prove chmod EPERM live, got %+v", pc.Loads)
	}
	if !pc.Simulated.OK {
		t.Errorf("simulated: %+v", pc.Simulated)
	}
	notes := strings.Join(pc.Notes, "\n")
	for _, want := range []string{"fchmod", "fchmodat", "fchmodat2"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes must say %s stays allowed:\n%s", want, notes)
		}
	}
}

func TestCheckOneReportsMissingAndDriftedFiles(t *testing.T) {
	data := readTestdata(t, "deny-chmod.json")
	dir := t.TempDir()
	pc := checkOne("deny-chmod.json", data, dir, lint.Containerd)
	if pc.Installed.OK || !strings.Contains(pc.Installed.Detail, "file missing") || pc.Loads.Ran {
		t.Errorf("missing file: want installed FAIL and loads not run, got %+v / %+v", pc.Installed, pc.Loads)
	}
	drifted := []byte(strings.Replace(string(data), "chmod", "chown", 1))
	if err := os.WriteFile(filepath.Join(dir, "deny-chmod.json"), drifted, 0o644); err != nil {
		t.Fatal(err)
	}
	pc = checkOne("deny-chmod.json", data, dir, lint.Containerd)
	if pc.Installed.OK || !strings.Contains(pc.Installed.Detail, "differs from the source") {
		t.Errorf("drifted file: want installed FAIL naming the difference, got %+v", pc.Installed)
	}
	// Not in the installer's manifest: someone else's file, which install never
	// replaces, so "install again" would be the wrong advice.
	if !strings.Contains(pc.Installed.Detail, "was not written by kubectl-seccomp") || strings.Contains(pc.Installed.Detail, "run `kubectl seccomp install` again") {
		t.Errorf("foreign file: want the detail to say install leaves it alone, got %q", pc.Installed.Detail)
	}
	manifest := `{"files": {"deny-chmod.json": "` + profile.Digest(data) + `"}}`
	if err := os.WriteFile(filepath.Join(dir, installer.ManifestName), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	pc = checkOne("deny-chmod.json", data, dir, lint.Containerd)
	if !strings.Contains(pc.Installed.Detail, "run `kubectl seccomp install` again") {
		t.Errorf("a file the installer wrote that drifted: want the advice to install again, got %q", pc.Installed.Detail)
	}
}

// clone3-enosys: the exact errnos, not just "denied".
func TestProveExactErrnos(t *testing.T) {
	proof := prove("clone3-enosys.json", readTestdata(t, "clone3-enosys.json"), lint.Containerd)
	denied := strings.Join(proof.Live.Denied, ", ")
	for _, want := range []string{"clone3: errno ENOSYS (38)", "mkdir: errno EACCES (13)", "mkdirat: errno EACCES (13)"} {
		if !strings.Contains(denied, want) {
			t.Errorf("want %q live, got %s", want, denied)
		}
	}
	if c := proof.LiveProven(); !c.OK {
		t.Errorf("live must agree with the simulation: %+v %+v", c, proof.Live.Disagreements)
	}
}

// typo-name: chmodx is named as unknown; chmod is still proven denied.
func TestProveTypoName(t *testing.T) {
	proof := prove("typo-name.json", readTestdata(t, "typo-name.json"), lint.Containerd)
	named := false
	for _, f := range proof.Findings {
		named = named || f.Severity == profile.Error && strings.Contains(f.Message, `"chmodx"`)
	}
	if !named {
		t.Errorf("lint must name chmodx as an error: %+v", proof.Findings)
	}
	found := false
	for _, u := range proof.Static.Unknown {
		found = found || u.Name == "chmodx"
	}
	if !found {
		t.Errorf("libseccomp must be reported not to know chmodx: %+v", proof.Static.Unknown)
	}
	if !strings.Contains(strings.Join(proof.Live.Denied, ","), "chmod: errno EPERM (1)") {
		t.Errorf("chmod must still be proven denied: %v", proof.Live.Denied)
	}
}
