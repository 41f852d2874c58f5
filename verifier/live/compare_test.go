//go:build linux

package live

import (
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
)

func TestCompare(t *testing.T) {
	errno := func(n uint16) Observation { return Observation{Kind: KindErrno, Data: n} }
	allowed := Observation{Kind: KindAllowedOrLower}
	for _, c := range []struct {
		sim   simulate.Outcome
		obs   Observation
		agree bool
		note  string // a part of the note
	}{
		{simulate.Outcome{Action: simulate.ActErrno, Data: 1}, errno(1), true, ""},
		{simulate.Outcome{Action: simulate.ActErrno, Data: 1}, errno(13), false, "SCMP_ACT_ERRNO(EPERM (1)), which looks like errno EPERM (1) live, but the kernel gave errno EACCES (13)"},
		{simulate.Outcome{Action: simulate.ActErrno, Data: 38}, allowed, false, "gave allowed-or-lower"},
		{simulate.Outcome{Action: simulate.ActAllow}, allowed, true, ""},
		{simulate.Outcome{Action: simulate.ActAllow}, errno(1), false, "gave errno EPERM (1)"},
		{simulate.Outcome{Action: simulate.ActLog}, allowed, true, "SCMP_ACT_LOG proven by simulation only"},
		{simulate.Outcome{Action: simulate.ActTrace, Data: 3}, allowed, true, "SCMP_ACT_TRACE proven by simulation only"},
		{simulate.Outcome{Action: simulate.ActNotify}, allowed, true, "SCMP_ACT_NOTIFY proven by simulation only"},
		{simulate.Outcome{Action: simulate.ActNotify}, errno(38), false, "gave errno ENOSYS (38)"},
		{simulate.Outcome{Action: simulate.ActKillThread}, Observation{Kind: KindKillThread}, true, ""},
		{simulate.Outcome{Action: "SCMP_ACT_KILL"}, Observation{Kind: KindKillThread}, true, ""},
		{simulate.Outcome{Action: simulate.ActKillThread}, Observation{Kind: KindKillProcess}, false, "looks like kill-thread live, but the kernel gave kill-process"},
		{simulate.Outcome{Action: simulate.ActKillProcess}, Observation{Kind: KindKillProcess}, true, ""},
		{simulate.Outcome{Action: simulate.ActTrap, Data: 42}, Observation{Kind: KindTrap, Data: 42}, true, ""},
		{simulate.Outcome{Action: simulate.ActTrap, Data: 42}, Observation{Kind: KindTrap}, false, "trap(42) live, but the kernel gave trap(0)"},
		{simulate.Outcome{Action: simulate.ActErrno, Data: 1}, Observation{Kind: KindNotProbed, Detail: "simulated only: this machine cannot issue aarch64 syscalls"}, true, "not probed live: simulated only"},
		{simulate.Outcome{Action: simulate.ActErrno, Data: 1}, Observation{Kind: KindAllowedOrLower, Exemption: "this kernel exempts uretprobe on x86_64 from seccomp"}, false,
			"the simulation says SCMP_ACT_ERRNO(EPERM (1)), but this kernel exempts uretprobe on x86_64 from seccomp: it runs whatever the filter says"},
		{simulate.Outcome{Action: simulate.ActAllow}, Observation{Kind: KindAllowedOrLower, Exemption: "this kernel exempts uprobe on x86_64 from seccomp"}, true, "exempts uprobe"},
		{simulate.Outcome{Action: simulate.NotCovered}, allowed, false, "no live observation can bear out"},
	} {
		agree, note := Compare(c.sim, c.obs)
		if agree != c.agree || !strings.Contains(note, c.note) || (c.note == "" && note != "") {
			t.Errorf("Compare(%v, %v) = %v, %q; want %v, %q", c.sim, c.obs, agree, note, c.agree, c.note)
		}
	}
}
