package main

import (
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// The ENFORCED verdict from its parts: a filter in force, the chmod probe, and the
// per-vector proof under the runtime's filter.
func TestEnforcedCheck(t *testing.T) {
	chmodOK := report.Pass("chmod(2) returned EPERM (1) under the runtime filter, as the profile intends")
	chmodBad := report.Fail("chmod(2) returned success under the runtime filter; the profile intends EPERM (1)")
	allAgree := report.LiveReport{Probed: 10, Agree: 10, Denied: []string{"chmod: errno EPERM (1)"}}
	disagree := report.LiveReport{Probed: 10, Agree: 9, Disagreements: []report.LiveDisagreement{{Note: "mkdir() on SCMP_ARCH_X86_64: the profile gives X, the runtime's filter gave Y"}}}
	explained := report.LiveReport{Probed: 10, Agree: 9, Disagreements: []report.LiveDisagreement{{Explained: true, Note: "uprobe() ran"}}}
	otherArch := report.LiveReport{NotProbed: 10, NotProbedWhy: "simulated only: live probing is implemented for x86_64 builds with cgo, and this verifier is linux/arm64"}
	tests := []struct {
		name      string
		mode      string
		chmod     report.Check
		rt        report.LiveReport
		ok, ran   bool
		mentioned []string
	}{
		{"no filter", "0", chmodOK, allAgree, false, true, []string{"the runtime applied no filter", "Seccomp: 0"}},
		{"every vector agrees", "2", chmodOK, allAgree, true, true, []string{"Seccomp: 2", "all 10 vectors probed under the runtime's filter", "chmod: errno EPERM (1)"}},
		{"a vector differs", "2", chmodOK, disagree, false, true, []string{"1 of 10 vectors", "mkdir()"}},
		{"a known difference", "2", chmodOK, explained, true, true, []string{"1 differs for a known reason: uprobe() ran"}},
		{"chmod fails", "2", chmodBad, allAgree, false, true, []string{"returned success"}},
		{"per-vector proof cannot run", "2", chmodOK, report.LiveReport{Error: "live probe: memfd_create: operation not permitted"}, false, false, []string{"could not be proven", "memfd_create"}},
		{"node arch without prober", "2", chmodOK, otherArch, true, true, []string{"not probed under the runtime's filter on this node", "linux/arm64"}},
		{"node arch without prober, chmod not run", "2", report.Skip("chmod(2) does not exist on this architecture"), otherArch, false, false, []string{"no vector could be probed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := enforcedCheck(tt.mode, tt.chmod, tt.rt)
			if c.OK != tt.ok || c.Ran != tt.ran {
				t.Errorf("ok=%v ran=%v, want ok=%v ran=%v: %s", c.OK, c.Ran, tt.ok, tt.ran, c.Detail)
			}
			for _, m := range tt.mentioned {
				if !strings.Contains(c.Detail, m) {
					t.Errorf("detail lacks %q: %s", m, c.Detail)
				}
			}
		})
	}
}
