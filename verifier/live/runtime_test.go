//go:build linux && amd64 && cgo

package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/internal/filtertest"
)

// underFilterEnv makes the test binary act as a container started by a runtime: it
// loads the BPF program of the request file into itself (every thread, as runc does)
// and only then calls ProbeRuntime, printing the results as JSON.
const underFilterEnv = "KSC_TEST_UNDER_FILTER"

type underFilterRequest struct {
	Prog     []bpf.RawInstruction
	Vectors  []simulate.Vector
	Expected []simulate.Outcome
}

type underFilterAnswer struct {
	Results []Result
	Error   string
}

func TestMain(m *testing.M) {
	if path := os.Getenv(underFilterEnv); path != "" {
		os.Exit(runUnderFilter(path))
	}
	os.Exit(m.Run())
}

func runUnderFilter(path string) int {
	var req underFilterRequest
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, &req)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := filtertest.LoadAllThreads(req.Prog); err != nil {
		fmt.Fprintln(os.Stderr, "loading the filter:", err)
		return 2
	}
	var ans underFilterAnswer
	ans.Results, err = ProbeRuntime(req.Vectors, req.Expected)
	if err != nil {
		ans.Error = err.Error()
	}
	json.NewEncoder(os.Stdout).Encode(ans)
	return 0
}

// probeUnder runs ProbeRuntime in a child of this test binary that runs under prog.
func probeUnder(t *testing.T, prog []bpf.RawInstruction, vs []simulate.Vector, expected []simulate.Outcome) underFilterAnswer {
	t.Helper()
	data, err := json.Marshal(underFilterRequest{prog, vs, expected})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "request.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/proc/self/exe")
	cmd.Env = append(os.Environ(), underFilterEnv+"="+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the child under the filter: %v\n%s", err, stderr.String())
	}
	var ans underFilterAnswer
	if err := json.Unmarshal(stdout.Bytes(), &ans); err != nil {
		t.Fatalf("the child's answer %q: %v (stderr %s)", stdout.String(), err, stderr.String())
	}
	if len(ans.Results) != len(vs) && ans.Error == "" {
		t.Fatalf("%d results for %d vectors", len(ans.Results), len(vs))
	}
	return ans
}

func allowed() simulate.Outcome { return simulate.Outcome{Action: simulate.ActAllow} }

// A runtime's filter, already in force: each action comes back as such, with its
// exact errno, and what it allows comes back without running. (TRAP data cannot be
// set through libseccomp-golang; TestTrapData covers it with a hand-made program.)
func TestProbeRuntimeSeesTheFilterInForce(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, allArches,
		rule{"chmod", errno(1)}, rule{"clone3", errno(38)}, rule{"mkdir", errno(13)},
		rule{"ptrace", seccomp.ActKillProcess}, rule{"reboot", seccomp.ActKillThread},
		rule{"personality", seccomp.ActTrap})
	vs := []simulate.Vector{
		vec(t, syscalls.X86_64, "chmod"), vec(t, syscalls.X86_64, "clone3"), vec(t, syscalls.X86_64, "mkdir"),
		vec(t, syscalls.X86_64, "ptrace"), vec(t, syscalls.X86_64, "reboot"), vec(t, syscalls.X86_64, "personality"),
		vec(t, syscalls.X86_64, "fchmodat"), vec(t, syscalls.X86_64, "getpid"), vec(t, syscalls.X86, "chmod"),
		vec(t, syscalls.X86, "fchmodat"), vec(t, syscalls.X86, "getpid"),
	}
	expected := make([]simulate.Outcome, len(vs))
	for i := range expected {
		expected[i] = allowed() // the probe must not trust the expectation
	}
	ans := probeUnder(t, prog, vs, expected)
	if ans.Error != "" {
		t.Fatal(ans.Error)
	}
	check(t, ans.Results, want{KindErrno, 1}, want{KindErrno, 38}, want{KindErrno, 13},
		want{KindKillProcess, 0}, want{KindKillThread, 0}, want{KindTrap, 0},
		want{KindAllowedOrLower, 0}, want{KindAllowedOrLower, 0}, want{KindErrno, 1},
		want{KindAllowedOrLower, 0}, want{KindAllowedOrLower, 0})
	if d := ans.Results[6].Observed.Detail; !bytes.Contains([]byte(d), []byte("runtime's filter allows")) {
		t.Errorf("fchmodat detail %q does not say the runtime's filter allowed it", d)
	}
}

// A profile that leaves getpid denied: the self-check picks another harmless call the
// filter allows.
func TestProbeRuntimeSelfChecksWithAnAllowedCall(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, nil, rule{"getpid", errno(1)}, rule{"chmod", errno(13)})
	vs := []simulate.Vector{vec(t, syscalls.X86_64, "getpid"), vec(t, syscalls.X86_64, "gettid"), vec(t, syscalls.X86_64, "chmod")}
	expected := []simulate.Outcome{{Action: simulate.ActErrno, Data: 1}, allowed(), {Action: simulate.ActErrno, Data: 13}}
	ans := probeUnder(t, prog, vs, expected)
	if ans.Error != "" {
		t.Fatal(ans.Error)
	}
	check(t, ans.Results, want{KindErrno, 1}, want{KindAllowedOrLower, 0}, want{KindErrno, 13})
}

// With no harmless call to check the shadow filter with, nothing is claimed.
func TestProbeRuntimeRefusesWithoutASelfCheck(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, nil, rule{"chmod", errno(1)})
	vs := []simulate.Vector{vec(t, syscalls.X86_64, "chmod")}
	ans := probeUnder(t, prog, vs, []simulate.Outcome{{Action: simulate.ActErrno, Data: 1}})
	if ans.Error == "" || !bytes.Contains([]byte(ans.Error), []byte("no harmless call")) {
		t.Fatalf("want an error about the missing self-check call, got %q, %+v", ans.Error, ans.Results)
	}
}
