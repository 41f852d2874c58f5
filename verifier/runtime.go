package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/engine"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/live"
)

// proveRuntime probes every vector of the source profile under the filter the
// container runtime installed in this container, and compares what the kernel did
// with what runc and this verifier's libseccomp would make of the source. It is what
// tells an admin that the runtime honours errnoRet, every rule and every arch, not
// only chmod.
func proveRuntime(name string, data []byte, runtime string) report.LiveReport {
	var lr report.LiveReport
	static := engine.Static(name, data, engineOptions(runtime))
	if static.Report.Error != "" || len(static.Vectors) == 0 {
		lr.Error = "cannot tell what to expect: the source profile did not compile here: " + static.Report.Error
		return lr
	}
	results, err := live.ProbeRuntime(static.Vectors, static.Simulated)
	if err != nil {
		lr.Error = err.Error() + probeNeeds(static)
		return lr
	}
	tally(&lr, static, results, restrictedNames(name, data), func(i int, obs live.Observation) (bool, bool, string) {
		return runtimeAgrees(static, i, obs)
	})
	return lr
}

// runtimeAgrees judges one vector observed under the runtime's filter. It agrees when
// it is what this verifier's libseccomp compiles (the simulation), or what the JSON
// intends (the runtime's libseccomp may know a name this one does not). It is
// explained when runc's -ENOSYS stub, which the simulation leaves out, accounts for it.
func runtimeAgrees(static *engine.Result, i int, obs live.Observation) (agree, explained bool, note string) {
	sim, intended := static.Simulated[i], static.Intended[i]
	if ok, _ := live.Compare(sim, obs); ok {
		return true, false, ""
	}
	if ok, _ := live.Compare(intended, obs); ok && intended.Action != simulate.NotCovered {
		return true, false, ""
	}
	v := static.Vectors[i]
	if obs.Kind == live.KindErrno && obs.Data == simulate.ENOSYS {
		for _, stub := range static.Report.RuncStub {
			if stub.Covers(v) {
				return false, true, fmt.Sprintf("runc's -ENOSYS stub: %s is numbered above %s, the highest syscall the profile names on %s", v.Name, stub.Above, v.Arch)
			}
		}
	}
	want := live.OutcomeString(sim)
	if intended != sim && intended.Action != simulate.NotCovered {
		want += " (the JSON says " + live.OutcomeString(intended) + ")"
	}
	if e, ok := syscalls.Exempt(v.Arch, v.Name); ok {
		// Only calls the filter allows are checked for the exemption before
		// probing (see live.ProbeRuntime); this one was denied, issued, and ran.
		return false, true, fmt.Sprintf("%s ran (%s) although the profile gives %s: kernels since %s exempt %s from seccomp, so no filter can deny it", v, obs, want, e.Since, e.Name)
	}
	return false, false, fmt.Sprintf("%s: the profile gives %s, the runtime's filter gave %s", v, want, obs)
}

// enforcedCheck is the ENFORCED verdict: the runtime applied a filter, chmod and
// fchmodat did what the profile says, and every rule was proven under the runtime's
// filter. A per-rule proof that could not run leaves the verdict not-run: chmod alone
// is not every rule.
func enforcedCheck(mode string, chmod report.Check, rt report.LiveReport) report.Check {
	if mode != "2" {
		return report.Fail(fmt.Sprintf("the runtime applied no filter: /proc/self/status says Seccomp: %s (2 means filter)", mode))
	}
	detail := "Seccomp: 2; " + chmod.Detail
	var bad []string
	for _, d := range rt.Disagreements {
		if !d.Explained {
			bad = append(bad, d.Note)
		}
	}
	switch {
	case len(bad) > 0:
		return report.Fail(detail + "; " + disagreementSummary(bad, rt.Probed))
	case chmod.Ran && !chmod.OK:
		return report.Fail(detail)
	case rt.Error != "":
		return report.Skip(detail + "; the rules could not be proven under the runtime's filter: " + rt.Error)
	case rt.Probed == 0 && chmod.OK:
		// The prober is written for x86_64 (see verifier/live): on other nodes, as
		// for LOADS and SIMULATED there, what ran is what is claimed.
		return report.Pass(detail + "; the other rules are not probed under the runtime's filter on this node: " + notProbedWhy(rt))
	case rt.Probed == 0:
		return report.Skip(detail + "; no vector could be probed under the runtime's filter on this node: " + notProbedWhy(rt))
	}
	// Here chmod passed, or did not run because it has conditions or a killing action
	// in this profile: the per-rule probe covers it then.
	detail += fmt.Sprintf("; all %d vectors probed under the runtime's filter got what the profile gives", rt.Probed)
	if len(rt.Denied) > 0 {
		detail += " (" + strings.Join(rt.Denied, ", ") + ")"
	}
	if n := len(rt.Disagreements); n > 0 {
		detail += fmt.Sprintf("; %d differ%s for a known reason: %s", n, map[bool]string{true: "s", false: ""}[n == 1], rt.Disagreements[0].Note)
		if n > 1 {
			detail += fmt.Sprintf("; ... (-o json lists all %d)", n)
		}
	}
	return report.Pass(detail)
}

// disagreementSummary names the first disagreements and counts the rest.
func disagreementSummary(bad []string, probed int) string {
	const shown = 3
	s := fmt.Sprintf("%d of %d vectors probed under the runtime's filter did not get what the profile gives: %s", len(bad), probed, strings.Join(bad[:min(shown, len(bad))], "; "))
	if len(bad) > shown {
		s += fmt.Sprintf("; and %d more (-o json lists them)", len(bad)-shown)
	}
	return s
}

// notProbedWhy says why no vector was probed, from the first one's reason.
func notProbedWhy(rt report.LiveReport) string {
	if rt.NotProbedWhy != "" {
		return rt.NotProbedWhy
	}
	return "no vector of the profile can be issued here"
}

// probeNeeded are the syscalls the per-rule probe makes under the runtime's filter
// (re-exec, shared memory, its own filter and listener, its threads and processes).
var probeNeeded = []string{"seccomp", "prctl", "memfd_create", "execve", "clone", "wait4", "mmap", "ioctl", "poll", "ppoll", "futex"}

// probeNeeds names the calls the probe needs that the profile denies, when the probe
// could not run: the likely reason, in the admin's terms.
func probeNeeds(static *engine.Result) string {
	var denied []string
	for i, v := range static.Vectors {
		if v.Arch != static.Report.Native || v.Why != "" || !slices.Contains(probeNeeded, v.Name) {
			continue
		}
		if o := static.Simulated[i]; !o.Runs() {
			denied = append(denied, v.Name+" ("+live.OutcomeString(o)+")")
		}
	}
	if len(denied) == 0 {
		return ""
	}
	return "; the profile denies " + strings.Join(denied, ", ") + ", which the probe needs to run under it"
}
