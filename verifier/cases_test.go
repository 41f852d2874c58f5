package main

import (
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// deny-chmod-family: all four denied with EPERM live on x86_64; simulated for
// aarch64, chmod is reported as no syscall there, not as denied.
func TestProveDenyChmodFamilyOnEveryArch(t *testing.T) {
	proof := prove("deny-chmod-family.json", readTestdata(t, "deny-chmod-family.json"), lint.Containerd)
	denied := strings.Join(proof.Live.Denied, ", ")
	for _, name := range []string{"chmod", "fchmod", "fchmodat", "fchmodat2"} {
		if !strings.Contains(denied, name+": errno EPERM (1)") {
			t.Errorf("%s must be proven EPERM live: %s", name, denied)
		}
	}
	var aarch64, arm string
	for _, line := range proof.SimulatedElsewhere {
		switch {
		case strings.HasPrefix(line, "aarch64,"):
			aarch64 = line
		case strings.HasPrefix(line, "arm,"):
			arm = line
		}
	}
	if !strings.Contains(aarch64, "chmod: not a syscall on aarch64") || !strings.Contains(aarch64, "fchmod, fchmodat, fchmodat2: SCMP_ACT_ERRNO(EPERM (1))") {
		t.Errorf("aarch64 line = %q, want fchmod* EPERM and chmod named as no syscall there (all lines: %q)", aarch64, proof.SimulatedElsewhere)
	}
	if !strings.Contains(arm, "chmod, fchmod, fchmodat, fchmodat2: SCMP_ACT_ERRNO(EPERM (1))") {
		t.Errorf("arm has chmod: arm line = %q", arm)
	}
	notes := strings.Join(report.ProofNotes(proof), "\n")
	if !strings.Contains(notes, "chmod: not a syscall on aarch64") {
		t.Errorf("the notes an admin reads must carry the aarch64 line:\n%s", notes)
	}
}

// redundant-rule: the rule equal to the default is named and skipped, as runc skips
// it, and the profile still loads and is proven live.
func TestProveRedundantRuleSkipsItAndLoads(t *testing.T) {
	proof := prove("redundant-rule.json", readTestdata(t, "redundant-rule.json"), lint.Containerd)
	if c := proof.Loads(); !c.OK {
		t.Fatalf("loads: %+v (%s)", c, proof.Static.Error)
	}
	skipped := false
	for _, s := range proof.Static.Skipped {
		skipped = skipped || s.Index == 1
	}
	if !skipped {
		t.Errorf("syscalls[1] (bdflush, ERRNO like the default) must be skipped: %+v", proof.Static.Skipped)
	}
	warned := false
	for _, f := range proof.Findings {
		warned = warned || f.Severity == profile.Warning && strings.HasPrefix(f.Path, "syscalls[1]")
	}
	if !warned {
		t.Errorf("lint must warn about syscalls[1]: %+v", proof.Findings)
	}
	if c := proof.LiveProven(); !c.OK {
		t.Errorf("live: %+v %+v", c, proof.Live.Disagreements)
	}
}

// kill-process-default: the SIGSYS deaths are the expected outcome, proven live
// without running ptrace, kexec_load or reboot; personality(0) is EPERM.
func TestProveKillProcessDefault(t *testing.T) {
	proof := prove("kill-process-default.json", readTestdata(t, "kill-process-default.json"), lint.Containerd)
	denied := strings.Join(proof.Live.Denied, ", ")
	for _, want := range []string{"ptrace: kill-process", "kexec_load: kill-process", "reboot: kill-process", "personality: errno EPERM (1)"} {
		if !strings.Contains(denied, want) {
			t.Errorf("want %q live, got %s", want, denied)
		}
	}
	if c := proof.LiveProven(); !c.OK {
		t.Errorf("every probed vector (personality(8) allowed among them) must agree: %+v %+v", c, proof.Live.Disagreements)
	}
}
