package engine

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/net/bpf"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Options choose how Static reads and judges a profile.
type Options struct {
	// Native is the node's arch, which runc's filter always covers; default: the
	// arch this libseccomp builds for.
	Native syscalls.Arch
	// Arches get vectors: every syscall where the filter covers the arch, one
	// bad-arch call where it does not; default: every arch of pkg/syscalls.
	Arches []syscalls.Arch
	// Target, when set, reads the profile as Docker and CRI-O do for that node
	// (archMap, includes, excludes; simulate.ForTarget; an empty Target.Arch is
	// Native). Unset, it is read as containerd and runc do (simulate.FromProfile).
	Target *profile.Target
}

// Policy reads p as the options say.
func (o Options) Policy(p *profile.Profile) *simulate.Policy {
	o = o.withDefaults()
	if o.Target == nil {
		return simulate.FromProfile(p, o.Native)
	}
	t := *o.Target
	if t.Arch == "" {
		t.Arch = o.Native
	}
	return simulate.ForTarget(p, t)
}

// Result is a static verification: the report to print, and the material a live
// prober needs to compare the kernel with the simulation.
type Result struct {
	Report    simulate.Report
	Policy    *simulate.Policy
	Program   []bpf.RawInstruction
	Vectors   []simulate.Vector
	Simulated []simulate.Outcome // Simulated[i] is what the BPF gives Vectors[i]
	Intended  []simulate.Outcome // Intended[i] is what the JSON means for Vectors[i]
}

// Static parses the profile, compiles it as runc would with this libseccomp, exports
// the BPF, runs it on every vector and compares each outcome with the profile's
// intent. Problems are in Report.Error; nothing is ever loaded into the kernel.
func Static(name string, data []byte, opt Options) *Result {
	start := time.Now()
	p, err := profile.Parse(name, data)
	parse := time.Since(start)
	if err != nil {
		r := &Result{Report: simulate.Report{Profile: name, Libseccomp: LibseccompVersion(), MaxInstructions: simulate.MaxInstructions, Error: err.Error()}}
		r.Report.Timings.ParseMs = ms(parse)
		return r
	}
	r := StaticPolicy(name, opt.Policy(p), opt)
	r.Report.Timings.ParseMs = ms(parse)
	return r
}

// StaticPolicy is Static for a profile already read into a Policy.
func StaticPolicy(name string, pol *simulate.Policy, opt Options) *Result {
	opt = opt.withDefaults()
	r := &Result{Policy: pol}
	rep := &r.Report
	*rep = simulate.Report{
		Profile: name, Libseccomp: LibseccompVersion(), Native: pol.Native, Semantics: pol.Semantics,
		MaxInstructions: simulate.MaxInstructions,
	}
	for _, f := range pol.Problems {
		rep.Error = join(rep.Error, "the runtime refuses the profile: "+f.String())
	}

	start := time.Now()
	f, err := Compile(pol)
	if err != nil {
		rep.Error = "libseccomp cannot compile it: " + err.Error()
		rep.Timings.CompileExportMs = ms(time.Since(start))
		return r
	}
	rep.Compiled = f.Compiled
	r.Program, err = f.Export()
	f.Release()
	rep.Instructions = len(r.Program)
	rep.Timings.CompileExportMs = ms(time.Since(start))
	var tooLong *TooLongError
	switch {
	case errors.As(err, &tooLong):
		rep.Error = err.Error()
		// Simulate anyway: what it would do is still worth knowing.
	case err != nil:
		rep.Error = err.Error()
		return r
	}

	start = time.Now()
	defer func() { rep.Timings.SimulateMs = ms(time.Since(start)) }()
	m, err := simulate.NewMachine(r.Program)
	if err != nil {
		rep.Error = join(rep.Error, "cannot simulate the exported BPF: "+err.Error())
		return r
	}
	r.Vectors = simulate.Vectors(pol, opt.Arches)
	r.Simulated = make([]simulate.Outcome, len(r.Vectors))
	r.Intended = make([]simulate.Outcome, len(r.Vectors))
	for i, v := range r.Vectors {
		if r.Simulated[i], err = m.Run(v); err != nil {
			rep.Error = join(rep.Error, err.Error())
			return r
		}
		r.Intended[i] = simulate.Intent(pol, v)
	}
	rep.Vectors = len(r.Vectors)
	rep.Arches = archCounts(pol, opt.Arches, r.Vectors)
	rep.Mismatches, rep.Findings = simulate.Compare(pol, r.Vectors, r.Simulated, f.Compiled)
	rep.Agree = rep.Vectors - len(rep.Mismatches)
	for _, mm := range rep.Mismatches {
		if !mm.Explained() {
			rep.Unexplained++
		}
	}
	return r
}

func (o Options) withDefaults() Options {
	if o.Native == "" {
		o.Native = NativeArch()
	}
	if o.Arches == nil {
		o.Arches = syscalls.Arches()
	}
	return o
}

// archCounts counts vectors per arch, and names covered arches the syscall tables
// cannot judge.
func archCounts(pol *simulate.Policy, arches []syscalls.Arch, vs []simulate.Vector) []simulate.ArchVectors {
	n := map[syscalls.Arch]int{}
	for _, v := range vs {
		n[v.Arch]++
	}
	var out []simulate.ArchVectors
	for _, a := range arches {
		out = append(out, simulate.ArchVectors{Arch: a, Covered: pol.Covers(a), Vectors: n[a]})
	}
	for _, a := range pol.Covered() {
		if syscalls.AuditArch(a) == 0 {
			out = append(out, simulate.ArchVectors{Arch: a, Covered: true,
				Note: fmt.Sprintf("in the filter, but the syscall tables do not cover %s: not simulated", a)})
		}
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
