package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// TestMain lets the test binary act as the load child: loadInChild re-executes
// /proc/self/exe, which under `go test` is this binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == loadChildMode {
		os.Exit(runLoadChild(os.Args[2:]))
	}
	os.Exit(m.Run())
}

func writeProfile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadInChildProvesChmodDenied(t *testing.T) {
	path := writeProfile(t, "deny-chmod.json", `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}`)
	c := loadInChild(path)
	if !c.OK || !strings.Contains(c.Detail, "EPERM") {
		t.Fatalf("want chmod proven EPERM, got %+v", c)
	}
}

func TestLoadInChildFailsWhenErrnoDiffers(t *testing.T) {
	// The file says errnoRet 13 for chmod; a profile that allows chmod must not pass
	// as "denied", and a denied one with another errno must name both.
	path := writeProfile(t, "eacces.json", `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}`)
	c := loadInChild(path)
	if !c.OK || !strings.Contains(c.Detail, "EACCES") {
		t.Fatalf("want chmod proven EACCES, got %+v", c)
	}
}

func TestLoadInChildReportsUnknownNames(t *testing.T) {
	path := writeProfile(t, "typo.json", `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmodx","chmod"],"action":"SCMP_ACT_ERRNO"}]}`)
	c := loadInChild(path)
	if !c.OK {
		t.Fatalf("chmod is still denied, want pass: %+v", c)
	}
	if !strings.Contains(c.Detail, "chmodx") {
		t.Fatalf("want the unknown name chmodx reported, got %q", c.Detail)
	}
}

func TestCompileSkipsRulesEqualToDefault(t *testing.T) {
	p, err := profile.Parse("redundant", []byte(`{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["bdflush"],"action":"SCMP_ACT_ERRNO"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile(p)
	if err != nil {
		t.Fatalf("a rule equal to the default must be skipped, not fail: %v", err)
	}
	defer c.filter.Release()
	if len(c.skipped) != 1 || c.skipped[0] != "syscalls[1]" {
		t.Fatalf("want syscalls[1] skipped, got %v", c.skipped)
	}
}

func TestCompileRefusesUnknownAction(t *testing.T) {
	p := &profile.Profile{DefaultAction: "SCMP_ACT_ALLOW", Syscalls: []profile.Syscall{{Names: []string{"chmod"}, Action: "SCMP_ACT_DENY"}}}
	if _, err := compile(p); err == nil || !strings.Contains(err.Error(), "syscalls[0].action") {
		t.Fatalf("want an error naming syscalls[0].action, got %v", err)
	}
}

func TestCompileSameArgumentConditionsAsSeparateRules(t *testing.T) {
	p, err := profile.Parse("args", []byte(`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_NE"},{"index":0,"value":131072,"op":"SCMP_CMP_NE"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile(p)
	if err != nil {
		t.Fatalf("two conditions on argument 0 must compile (as runc does): %v", err)
	}
	c.filter.Release()
}
