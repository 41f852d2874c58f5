package simulate

import (
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// intents returns what the JSON means for every vector: a filter that does exactly
// that, to change in one place.
func intents(p *Policy, vs []Vector) []Outcome {
	out := make([]Outcome, len(vs))
	for i, v := range vs {
		out[i] = Intent(p, v)
	}
	return out
}

// compareOne compares a policy with a filter that agrees with it except on v.
func compareOne(t *testing.T, p *Policy, c Compiled, v Vector, simulated Outcome) Mismatch {
	t.Helper()
	mm, _ := Compare(p, []Vector{v}, []Outcome{simulated}, c)
	if len(mm) != 1 {
		t.Fatalf("want one mismatch for %s, got %+v", v, mm)
	}
	return mm[0]
}

func TestCompareExplainsKnownCauses(t *testing.T) {
	const (
		denyFamily = `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[{"names":["chmod","fchmodat","fchmodat2"],"action":"SCMP_ACT_ERRNO"}]}`
		sameArg    = `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_NE"},{"index":0,"value":131072,"op":"SCMP_CMP_NE"}]}]}`
		redundant  = `{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"},{"names":["chmod"],"action":"SCMP_ACT_ALLOW"}]}`
		x86Socket  = `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86"],"syscalls":[{"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":40,"op":"SCMP_CMP_EQ"}]}]}`
		overlap    = `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["socket"],"action":"SCMP_ACT_ERRNO","errnoRet":2,"args":[{"index":0,"value":30,"op":"SCMP_CMP_GE"}]},{"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":40,"op":"SCMP_CMP_EQ"}]}]}`
	)
	unknownFchmodat2 := Compiled{Unknown: []UnknownName{{Name: "fchmodat2", Arches: []syscalls.Arch{syscalls.X86_64, syscalls.X86, syscalls.X32}, Everywhere: true, Rules: []int{0}}}}
	tests := []struct {
		name      string
		policy    *Policy
		compiled  Compiled
		v         Vector
		simulated Outcome
		cause     Cause
		detail    string
	}{
		{"a name libseccomp does not know", policyOf(t, denyFamily), unknownFchmodat2,
			call(t, syscalls.X86, "fchmodat2"), allow, CauseUnknownName, "does not know fchmodat2 on SCMP_ARCH_X86"},
		{"x32 compares the low 32 bits", testdataPolicy(t, "kill-process-default.json"), Compiled{},
			call(t, syscalls.X32, "personality", 1<<32|8), allow, CauseLow32, "low 32 bits"},
		{"an arch not listed", testdataPolicy(t, "deny-chmod.json"), Compiled{},
			call(t, syscalls.AArch64, "getpid"), Outcome{Action: ActKillThread}, CauseBadArch, "bad-arch action"},
		{"runc ORs conditions on one argument", policyOf(t, sameArg), Compiled{},
			call(t, syscalls.X86_64, "personality", 8), eperm, CauseSameArgSplit, "syscalls[0]"},
		{"runc skips a rule equal to the default", policyOf(t, redundant), Compiled{},
			call(t, syscalls.X86_64, "chmod"), allow, CauseSkippedDefault, "runc skips"},
		{"x86 socketcall takes socket's rules without conditions", policyOf(t, x86Socket), Compiled{},
			call(t, syscalls.X86, "socketcall", 1), eperm, CauseMultiplexed, "socketcall(1, ...)"},
		{"overlapping conditional rules", policyOf(t, overlap), Compiled{},
			call(t, syscalls.X86_64, "socket", 40), eperm, CauseOverlap, "libseccomp applies syscalls[1]"},
		{"an arch not listed, whatever else the compiler dropped", policyOf(t, denyFamily), unknownFchmodat2,
			call(t, syscalls.AArch64, "getpid"), Outcome{Action: ActKillThread}, CauseBadArch, ""},
		{"nothing explains a denied call that runs", testdataPolicy(t, "deny-chmod.json"), Compiled{},
			call(t, syscalls.X86_64, "chmod"), allow, CauseUnexplained, "no known deviation"},
		{"nothing explains another action on an arch not listed", testdataPolicy(t, "deny-chmod.json"), Compiled{},
			call(t, syscalls.AArch64, "getpid"), allow, CauseUnexplained, "rather than the bad-arch action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := compareOne(t, tt.policy, tt.compiled, tt.v, tt.simulated)
			if m.Cause != tt.cause {
				t.Errorf("cause = %q, want %q (%s)", m.Cause, tt.cause, m.Detail)
			}
			if !strings.Contains(m.Detail, tt.detail) {
				t.Errorf("detail %q does not say %q", m.Detail, tt.detail)
			}
			if m.Explained() != (tt.cause != CauseUnexplained) {
				t.Errorf("Explained() = %v", m.Explained())
			}
		})
	}
}

func TestCompareCombinesCauses(t *testing.T) {
	// On x32 a name libseccomp lacks and a 64-bit value at once.
	p := policyOf(t, `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X32"],"syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":13,"args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]},{"names":["fchmodat2"],"action":"SCMP_ACT_ERRNO"}]}`)
	c := Compiled{Unknown: []UnknownName{{Name: "personality", Arches: []syscalls.Arch{syscalls.X32}, Rules: []int{0}}}}
	// Dropping personality makes the call ALLOW; only that explains ALLOW.
	m := compareOne(t, p, c, call(t, syscalls.X32, "personality", 8), allow)
	if m.Cause != CauseUnknownName {
		t.Errorf("cause = %q, want %q", m.Cause, CauseUnknownName)
	}
	// A filter that kept personality, compared low bits and returned EACCES for
	// 1<<32|8: low-32 alone explains it.
	m = compareOne(t, p, c, call(t, syscalls.X32, "personality", 1<<32|8), Outcome{Action: ActErrno, Data: 13})
	if m.Cause != CauseLow32 {
		t.Errorf("cause = %q, want %q", m.Cause, CauseLow32)
	}
}

func TestCompareAgreesWithAFaithfulFilter(t *testing.T) {
	p := testdataPolicy(t, "docker-default.json")
	vs := Vectors(p, nil)
	mm, _ := Compare(p, vs, intents(p, vs), Compiled{})
	if len(mm) != 0 {
		t.Errorf("a filter that does what the JSON says has %d mismatches, first %+v", len(mm), mm[0])
	}
}

func TestCompareFindsTheTruncationBypass(t *testing.T) {
	// The filter does what the JSON says (all 64 bits compared): socket(0x100000028)
	// runs, and the kernel makes it socket(40). Not a mismatch: a finding.
	p := testdataPolicy(t, "socket-family-truncation.json")
	vs := Vectors(p, []syscalls.Arch{syscalls.X86_64})
	mm, findings := Compare(p, vs, intents(p, vs), Compiled{})
	if len(mm) != 0 {
		t.Fatalf("mismatches: %+v", mm)
	}
	var bypass *Finding
	for i := range findings {
		if findings[i].Kind == FindingBypass {
			if bypass != nil {
				t.Errorf("second bypass finding: %s", findings[i].Detail)
			}
			bypass = &findings[i]
		}
	}
	if bypass == nil {
		t.Fatal("no bypass finding for socket(0x100000028)")
	}
	if bypass.Vector.Args[0] != 0x100000028 || bypass.Versus.Args[0] != 40 || bypass.Outcome != allow || *bypass.VersusOutcome != eperm {
		t.Errorf("bypass = %+v", bypass)
	}
	if !strings.Contains(bypass.Detail, "SCMP_CMP_MASKED_EQ") {
		t.Errorf("the finding does not say how to fix it: %s", bypass.Detail)
	}
}

func TestCompareFindsTheSocketcallBypass(t *testing.T) {
	// Docker's way: socket(family) allowed for some families, socketcall allowed
	// outright; on x86 socketcall(SYS_SOCKET) reaches every family.
	p := policyOf(t, `{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86"],"syscalls":[{"names":["socketcall"],"action":"SCMP_ACT_ALLOW"},{"names":["socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2,"op":"SCMP_CMP_EQ"}]}]}`)
	vs := Vectors(p, []syscalls.Arch{syscalls.X86})
	_, findings := Compare(p, vs, intents(p, vs), Compiled{})
	found := false
	for _, f := range findings {
		if f.Kind == FindingBypass && f.Vector.Name == "socketcall" && f.Versus.Name == "socket" {
			found = true
		}
	}
	if !found {
		t.Errorf("no socketcall bypass among %+v", findings)
	}
}

func TestConflicts(t *testing.T) {
	// containerd ignores includes/excludes: docker-default.json then allows clone3
	// (syscalls[44]) before returning ENOSYS for it (syscalls[47]).
	fs := Conflicts(testdataPolicy(t, "docker-default.json"))
	if len(fs) != 1 || fs[0].Vector.Name != "clone3" || fs[0].Outcome != allow || !strings.Contains(fs[0].Detail, "syscalls[47]") {
		t.Errorf("Conflicts = %+v, want clone3 between syscalls[44] and syscalls[47]", fs)
	}
	if fs := Conflicts(testdataPolicy(t, "clone3-enosys.json")); len(fs) != 0 {
		t.Errorf("clone3-enosys.json has no conflicts, got %+v", fs)
	}
}
