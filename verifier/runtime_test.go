package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/engine"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/internal/filtertest"
)

// runtimeFilterEnv names a profile the test binary compiles and loads into itself
// before it runs a mode: a stand-in for the container runtime, which may apply a
// filter other than the source (an old runtime that drops errnoRet, say).
const runtimeFilterEnv = "KSC_TEST_RUNTIME_FILTER"

func actAsRuntime(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	static := engine.Static(filepath.Base(path), data, engineOptions(lint.Containerd))
	if static.Report.Error != "" {
		return fmt.Errorf("%s", static.Report.Error)
	}
	return filtertest.LoadAllThreads(static.Program)
}

// probeUnderRuntime runs `verifier probe --source source` under applied's filter and
// returns its report.
func probeUnderRuntime(t *testing.T, source, applied []byte) report.ProbeReport {
	t.Helper()
	dir := t.TempDir()
	src, app := filepath.Join(dir, "source.json"), filepath.Join(dir, "applied.json")
	if err := os.WriteFile(src, source, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app, applied, 0o644); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "probe", "--profile=p.json", "--source="+src)
	cmd.Env = append(os.Environ(), runtimeFilterEnv+"="+app)
	cmd.Dir = dir // the chmod probe's scratch file lands in $TMPDIR, not here
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("probe under the test runtime: %v\n%s", err, stderr.String())
	}
	var rep report.ProbeReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("probe report %q: %v", stdout.String(), err)
	}
	return rep
}

// clone3-enosys applied as written: ENFORCED proves the exact errnos of every rule
// under the runtime's filter, not only chmod.
func TestProbeProvesExactErrnosUnderTheRuntime(t *testing.T) {
	data := readTestdata(t, "clone3-enosys.json")
	rep := probeUnderRuntime(t, data, data)
	if !rep.Enforced.OK {
		t.Fatalf("enforced: %+v\nruntime: %+v", rep.Enforced, rep.Runtime)
	}
	for _, want := range []string{"Seccomp: 2", "clone3: errno ENOSYS (38)", "mkdir: errno EACCES (13)", "mkdirat: errno EACCES (13)"} {
		if !strings.Contains(rep.Enforced.Detail, want) {
			t.Errorf("enforced detail lacks %q: %s", want, rep.Enforced.Detail)
		}
	}
	if rep.Runtime == nil || rep.Runtime.Probed == 0 || rep.Runtime.Agree != rep.Runtime.Probed {
		t.Errorf("every probed vector must agree: %+v", rep.Runtime)
	}
}

// A runtime that drops errnoRet applies EPERM instead: verify must fail and say which
// calls got EPERM where the profile says EACCES. (Here only the mkdir rule loses its
// errnoRet: with clone3 at EPERM too, glibc's pthread_create, which falls back to
// clone only on ENOSYS, fails, and the verifier's Go runtime with it; in a cluster the
// plugin then reports the probe container's log, which says so.)
func TestProbeFailsWhenTheRuntimeReturnsEPERMInstead(t *testing.T) {
	source := readTestdata(t, "clone3-enosys.json")
	noErrnoRet := []byte(strings.Replace(string(source), `, "errnoRet": 13`, "", 1))
	if bytes.Equal(noErrnoRet, source) {
		t.Fatal("the test profile no longer has the errnoRet this test removes")
	}
	rep := probeUnderRuntime(t, source, noErrnoRet)
	if rep.Enforced.OK || !rep.Enforced.Ran {
		t.Fatalf("enforced must FAIL: %+v", rep.Enforced)
	}
	d := rep.Enforced.Detail
	for _, want := range []string{"mkdir() on SCMP_ARCH_X86_64", "mkdirat() on SCMP_ARCH_X86_64", "the profile gives SCMP_ACT_ERRNO(EACCES (13)), the runtime's filter gave errno EPERM (1)"} {
		if !strings.Contains(d, want) {
			t.Errorf("enforced detail lacks %q: %s", want, d)
		}
	}
	if strings.Contains(d, "clone3()") {
		t.Errorf("clone3 got its ENOSYS and must not be listed: %s", d)
	}
}

// kill-process-default: ptrace, kexec_load and reboot kill the probe process under the
// runtime's filter, as the profile says, and never run; personality(8) stays allowed.
func TestProbeProvesKillsUnderTheRuntimeWithoutRunningThem(t *testing.T) {
	data := readTestdata(t, "kill-process-default.json")
	rep := probeUnderRuntime(t, data, data)
	if !rep.Enforced.OK {
		t.Fatalf("enforced: %+v\nruntime: %+v", rep.Enforced, rep.Runtime)
	}
	for _, want := range []string{"ptrace: kill-process", "kexec_load: kill-process", "reboot: kill-process"} {
		if !strings.Contains(rep.Enforced.Detail, want) {
			t.Errorf("enforced detail lacks %q: %s", want, rep.Enforced.Detail)
		}
	}
}

// The runtime applied no filter at all (Unconfined): ENFORCED fails and says so.
func TestProbeFailsWithoutARuntimeFilter(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "deny-chmod.json")
	if err := os.WriteFile(src, readTestdata(t, "deny-chmod.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(exe, "probe", "--profile=deny-chmod.json", "--source="+src).Output()
	if err != nil {
		t.Fatal(err)
	}
	var rep report.ProbeReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Enforced.OK || !strings.Contains(rep.Enforced.Detail, "the runtime applied no filter") {
		t.Errorf("want a FAIL saying no filter was applied, got %+v", rep.Enforced)
	}
}

// docker-default under itself, read as containerd reads it: every vector the
// runtime's filter decides agrees, and a kernel exemption (uprobe runs although
// denied) is explained, not failed.
func TestProbeDockerDefaultUnderTheRuntime(t *testing.T) {
	data := readTestdata(t, "docker-default.json")
	rep := probeUnderRuntime(t, data, data)
	if !rep.Enforced.OK {
		t.Fatalf("enforced: %+v", rep.Enforced)
	}
	for _, d := range rep.Runtime.Disagreements {
		if !d.Explained || !strings.Contains(d.Note, "exempt") {
			t.Errorf("only kernel exemptions may differ: %+v", d)
		}
	}
	if rep.Runtime.Probed < 400 {
		t.Errorf("only %d vectors probed: %+v", rep.Runtime.Probed, rep.Runtime)
	}
}

// A profile that denies seccomp(2) leaves the per-rule probe unable to install its
// shadow filter: ENFORCED is not-run and says which call the profile denies.
func TestProbeNamesTheCallsItNeedsWhenTheProfileDeniesThem(t *testing.T) {
	data := []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["seccomp", "chmod"], "action": "SCMP_ACT_ERRNO"}]}`)
	rep := probeUnderRuntime(t, data, data)
	if rep.Enforced.Ran || rep.Enforced.OK {
		t.Fatalf("enforced must be not-run: %+v", rep.Enforced)
	}
	if !strings.Contains(rep.Enforced.Detail, "the profile denies seccomp (SCMP_ACT_ERRNO(EPERM (1))), which the probe needs") {
		t.Errorf("detail does not name seccomp: %s", rep.Enforced.Detail)
	}
}
