//go:build linux

// Package live proves a compiled seccomp filter on the running kernel: each vector is
// issued under it in a throw-away child, behind a shadow filter that keeps any probed
// call from running, and the kernel's answer is compared with the simulation.
package live

import (
	"fmt"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
)

// Kinds of Observation.
const (
	// KindErrno: the call returned an errno (Data) without running: the filter's ERRNO.
	KindErrno = "errno"
	// KindAllowedOrLower: the shadow filter's ERRNO came back, so the filter under test
	// allows the call, or logs, traces or notifies it: those actions rank below ERRNO
	// and cannot be told apart live. The call did not run.
	KindAllowedOrLower = "allowed-or-lower"
	// KindKillThread: the probing thread died of SIGSYS and the process lived on.
	KindKillThread = "kill-thread"
	// KindKillProcess: the whole probe process died of SIGSYS.
	KindKillProcess = "kill-process"
	// KindTrap: SIGSYS reached the handler; Data is its si_errno, the action's data.
	KindTrap = "trap"
	// KindNotProbed: the vector was not issued live; Detail says why.
	KindNotProbed = "not-probed"
)

// Result is what one vector got live.
type Result struct {
	Vector   simulate.Vector `json:"vector"`
	Observed Observation     `json:"observed"`
}

// Observation is what the kernel did with a probed call.
type Observation struct {
	Kind   string `json:"kind"`
	Data   uint16 `json:"data,omitempty"` // the errno for KindErrno, si_errno for KindTrap
	Detail string `json:"detail,omitempty"`
	// Exemption is set when the kernel exempts the call from seccomp altogether: no
	// filter sees it, so it runs whatever the profile says. Kind is then
	// KindAllowedOrLower.
	Exemption string `json:"exemption,omitempty"`
}

func (o Observation) String() string {
	switch o.Kind {
	case KindErrno:
		return "errno " + errnoName(o.Data)
	case KindTrap:
		return fmt.Sprintf("trap(%d)", o.Data)
	}
	return o.Kind
}

// Expect says what a simulated outcome must look like live: the observation kind
// and data, and a note for actions whose proof rests on the simulation.
func Expect(sim simulate.Outcome) (kind string, data uint16, note string, ok bool) {
	switch sim.Action {
	case simulate.ActErrno:
		return KindErrno, sim.Data, "", true
	case simulate.ActAllow:
		return KindAllowedOrLower, 0, "", true
	case simulate.ActLog, simulate.ActTrace, simulate.ActNotify:
		return KindAllowedOrLower, 0, fmt.Sprintf("%s proven by simulation only: live it ranks below the shadow filter's ERRNO, "+
			"so the probe shows only that the call is not denied, trapped or killed", sim.Action), true
	case simulate.ActKillThread, "SCMP_ACT_KILL":
		return KindKillThread, 0, "", true
	case simulate.ActKillProcess:
		return KindKillProcess, 0, "", true
	case simulate.ActTrap:
		return KindTrap, sim.Data, "", true
	}
	return "", 0, "", false
}

// Compare says whether a live observation bears out the simulated outcome, and
// explains: why the two differ, which part rests on the simulation alone, or why the
// vector was not probed. A vector that was not probed cannot contradict the
// simulation, so it agrees, with a note saying so.
func Compare(sim simulate.Outcome, obs Observation) (agree bool, note string) {
	kind, data, note, ok := Expect(sim)
	if !ok {
		return false, fmt.Sprintf("the simulation gave %q, which no live observation can bear out", sim.Action)
	}
	if obs.Kind == KindNotProbed {
		return true, "not probed live: " + obs.Detail
	}
	if obs.Exemption != "" {
		if kind == KindAllowedOrLower {
			return true, joinNotes(note, obs.Exemption)
		}
		return false, fmt.Sprintf("the simulation says %s, but %s: it runs whatever the filter says", OutcomeString(sim), obs.Exemption)
	}
	if obs.Kind == kind && (obs.Data == data || (kind != KindErrno && kind != KindTrap)) {
		return true, note
	}
	want := Observation{Kind: kind, Data: data}
	return false, fmt.Sprintf("the simulation says %s, which looks like %s live, but the kernel gave %s", OutcomeString(sim), want, obs)
}

// OutcomeString names an outcome with its errno spelled out: SCMP_ACT_ERRNO(EPERM (1)).
func OutcomeString(o simulate.Outcome) string {
	switch o.Action {
	case simulate.ActErrno:
		return fmt.Sprintf("%s(%s)", o.Action, errnoName(o.Data))
	case simulate.ActTrap, simulate.ActTrace:
		return fmt.Sprintf("%s(%d)", o.Action, o.Data)
	}
	return o.Action
}

func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

// errnoName prints an errno as the man pages and the profile's author know it.
func errnoName(e uint16) string {
	if name := unix.ErrnoName(syscall.Errno(e)); name != "" {
		return fmt.Sprintf("%s (%d)", name, e)
	}
	return fmt.Sprint(e)
}

func notProbed(format string, args ...any) Observation {
	return Observation{Kind: KindNotProbed, Detail: fmt.Sprintf(format, args...)}
}
