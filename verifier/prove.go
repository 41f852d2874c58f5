package main

import (
	"fmt"
	"time"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/engine"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/live"
)

// prove runs the whole engine on one profile: lint, then compile + simulate with
// this machine's libseccomp, then the live probes of every vector this CPU can issue.
// runtime says how the JSON is read: as containerd hands it to runc (the default,
// what Localhost profiles get in Kubernetes), or as Docker and CRI-O resolve it.
func prove(name string, data []byte, runtime string) report.Proof {
	start := time.Now()
	native := engine.NativeArch()
	proof := report.Proof{Profile: name, Kernel: kernelRelease()}
	proof.Findings = lint.Lint(name, data, lint.Options{NodeArches: []syscalls.Arch{native}, Runtime: runtime})

	static := engine.Static(name, data, engineOptions(runtime))
	proof.Static = static.Report
	proof.Timings.StaticMs = msSince(start)

	liveStart := time.Now()
	restricted := restrictedNames(name, data)
	var probed map[syscalls.Arch]bool
	proof.Live, probed = proveLive(static, restricted)
	if static.Report.Error == "" {
		proof.SimulatedElsewhere = simulatedElsewhere(static, restricted, probed)
	}
	proof.Timings.LiveMs = msSince(liveStart)
	proof.Timings.TotalMs = msSince(start)
	return proof
}

// proveLive probes the exact program the simulation ran and compares, vector by
// vector, what the kernel did with what the simulation said.
// It also returns the arches of which some vector was probed.
func proveLive(static *engine.Result, restricted map[string]bool) (report.LiveReport, map[syscalls.Arch]bool) {
	var lr report.LiveReport
	if static.Report.Error != "" || len(static.Program) == 0 {
		lr.Error = "nothing to probe: the profile did not compile"
		return lr, nil
	}
	results, err := live.Probe(static.Program, static.Vectors)
	if err != nil {
		lr.Error = err.Error()
		return lr, nil
	}
	exempt := map[string]bool{}
	probed := tally(&lr, static, results, restricted, func(i int, obs live.Observation) (bool, bool, string) {
		v, sim := static.Vectors[i], static.Simulated[i]
		if obs.Exemption != "" && !exempt[v.Name] {
			exempt[v.Name] = true
			lr.Exempt = append(lr.Exempt, fmt.Sprintf("%s on %s: %s", v.Name, v.Arch, obs.Exemption))
		}
		agree, note := live.Compare(sim, obs)
		if agree && (sim.Action == "SCMP_ACT_LOG" || sim.Action == "SCMP_ACT_TRACE" || sim.Action == "SCMP_ACT_NOTIFY") {
			lr.SimulationOnly++
		}
		return agree, obs.Exemption != "", note
	})
	return lr, probed
}

// tally sums up live results into lr: what was not probed and why, what was, what
// the restricted syscalls got on the node's own arch, and, by judge, which vectors
// agree with what was expected and which differ (explained or not). It returns the
// arches of which some vector was probed.
func tally(lr *report.LiveReport, static *engine.Result, results []live.Result, restricted map[string]bool,
	judge func(i int, obs live.Observation) (agree, explained bool, note string)) map[syscalls.Arch]bool {
	probed := map[syscalls.Arch]bool{}
	for i, r := range results {
		obs := r.Observed
		if obs.Kind == live.KindNotProbed {
			if lr.NotProbed == 0 {
				lr.NotProbedWhy = obs.Detail
			}
			lr.NotProbed++
			continue
		}
		lr.Probed++
		probed[r.Vector.Arch] = true
		if restricted[r.Vector.Name] && r.Vector.Arch == static.Report.Native && r.Vector.Why == "" && len(lr.Denied) < maxDenied {
			lr.Denied = append(lr.Denied, r.Vector.Name+": "+obs.String())
		}
		agree, explained, note := judge(i, obs)
		if agree {
			lr.Agree++
			continue
		}
		lr.Disagreements = append(lr.Disagreements, report.LiveDisagreement{
			Vector: r.Vector, Simulated: static.Simulated[i], Observed: obs.String(), Explained: explained, Note: note,
		})
	}
	return probed
}

// engineOptions read the JSON as runtime does on this node: Docker and CRI-O resolve
// archMap and includes/excludes for the node's arch, containerd hands it to runc as is.
func engineOptions(runtime string) engine.Options {
	opts := engine.Options{Native: engine.NativeArch()}
	if runtime == lint.Docker || runtime == lint.CRIO {
		opts.Target = &profile.Target{Arch: opts.Native}
	}
	return opts
}

func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }

// maxDenied bounds the live examples a report carries; the counts cover the rest.
const maxDenied = 8

// restrictedNames are the syscalls the profile names in rules that do not allow:
// the ones an admin wrote the profile for, shown with what they got live.
func restrictedNames(name string, data []byte) map[string]bool {
	out := map[string]bool{}
	p, err := profile.Parse(name, data)
	if err != nil {
		return out
	}
	for _, rule := range p.Syscalls {
		if profile.Allows(rule.Action) {
			continue
		}
		for _, n := range rule.Names {
			out[n] = true
		}
	}
	return out
}
