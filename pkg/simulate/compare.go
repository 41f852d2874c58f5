package simulate

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Compare judges each vector's simulated outcome (simulated[i] belongs to vs[i])
// against the profile's intent. Every disagreement becomes a Mismatch whose cause is
// the first known deviation of libseccomp and runc (c says what the compiler
// dropped) that reproduces the simulated outcome, or CauseUnexplained. Findings are
// weaknesses of the profile on which filter and intent agree: bypasses through high
// argument bits or x86's multiplexers, and unconditional rules in conflict.
func Compare(p *Policy, vs []Vector, simulated []Outcome, c Compiled) ([]Mismatch, []Finding) {
	if len(vs) != len(simulated) {
		panic(fmt.Sprintf("simulate.Compare: %d vectors, %d outcomes", len(vs), len(simulated)))
	}
	e := newExplainer(p, c)
	var mismatches []Mismatch
	for i, v := range vs {
		intended, _ := p.eval(v, model{})
		if intended == simulated[i] {
			continue
		}
		cause, detail := e.explain(v, intended, simulated[i])
		mismatches = append(mismatches, Mismatch{Vector: v, Intended: intended, Simulated: simulated[i], Cause: cause, Detail: detail})
	}
	findings := append(bypasses(p, vs, simulated), Conflicts(p)...)
	return mismatches, findings
}

type explainer struct {
	p       *Policy
	c       Compiled
	dropped map[syscalls.Arch]map[string]bool
}

func newExplainer(p *Policy, c Compiled) *explainer {
	e := &explainer{p: p, c: c, dropped: map[syscalls.Arch]map[string]bool{}}
	for _, u := range c.Unknown {
		for _, a := range u.Arches {
			if e.dropped[a] == nil {
				e.dropped[a] = map[string]bool{}
			}
			e.dropped[a][u.Name] = true
		}
	}
	return e
}

// deviation is one known way the compiled filter departs from the JSON.
type deviation struct {
	cause Cause
	apply func(*model)
}

// deviations returns those that can matter for v.
func (e *explainer) deviations(v Vector) []deviation {
	var out []deviation
	if len(e.dropped[v.Arch]) > 0 {
		d := e.dropped[v.Arch]
		out = append(out, deviation{CauseUnknownName, func(m *model) { m.dropped = d }})
	}
	if libseccomp32[v.Arch] {
		out = append(out, deviation{CauseLow32, func(m *model) { m.low32 = true }})
	}
	if len(e.c.Split) > 0 || slices.ContainsFunc(e.p.Rules, func(r Rule) bool { return sameArg(r.Args) }) {
		out = append(out, deviation{CauseSameArgSplit, func(m *model) { m.split = true }})
	}
	def := e.p.DefaultOutcome()
	if slices.ContainsFunc(e.p.Rules, func(r Rule) bool { return r.Outcome() == def }) {
		out = append(out, deviation{CauseSkippedDefault, func(m *model) { m.skipDefault = true }})
	}
	if len(demux(v)) > 0 {
		out = append(out, deviation{CauseMultiplexed, func(m *model) { m.mux = true }})
	}
	return out
}

// explain finds the smallest set of known deviations under which the JSON gives
// what the filter gave; overlapping conditional rules count as reproducing any of
// their outcomes.
func (e *explainer) explain(v Vector, intended, simulated Outcome) (Cause, string) {
	if intended.Action == NotCovered {
		if simulated.Action == ActKillThread {
			return CauseBadArch, fmt.Sprintf("%s is not in the profile's architectures: the filter answers with libseccomp's bad-arch action, %s, not the default action", v.Arch, ActKillThread)
		}
		return CauseUnexplained, fmt.Sprintf("%s is not in the profile's architectures, yet the filter answered %s rather than the bad-arch action %s", v.Arch, simulated, ActKillThread)
	}
	devs := e.deviations(v)
	// Subsets by size, smallest first: 2^5 at most.
	n := len(devs)
	subsets := make([]int, 0, 1<<n)
	for s := 0; s < 1<<n; s++ {
		subsets = append(subsets, s)
	}
	sort.SliceStable(subsets, func(i, j int) bool { return popcount(subsets[i]) < popcount(subsets[j]) })
	for _, overlap := range []bool{false, true} {
		for _, s := range subsets {
			var m model
			var causes []Cause
			for i, d := range devs {
				if s&(1<<i) != 0 {
					d.apply(&m)
					causes = append(causes, d.cause)
				}
			}
			got, cands := e.p.eval(v, m)
			ok := got == simulated
			var winner *match
			if !ok && overlap {
				for i := range cands {
					if cands[i].rule.Outcome() == simulated {
						ok, winner = true, &cands[i]
						break
					}
				}
			}
			if !ok || len(causes) == 0 && winner == nil {
				continue
			}
			var details []string
			for _, cause := range causes {
				details = append(details, e.detail(cause, v, m, simulated))
			}
			if winner != nil {
				causes = append(causes, CauseOverlap)
				details = append(details, overlapDetail(cands, winner, simulated))
			}
			names := make([]string, len(causes))
			for i, c := range causes {
				names[i] = string(c)
			}
			return Cause(strings.Join(names, "+")), strings.Join(details, "; ")
		}
	}
	return CauseUnexplained, fmt.Sprintf("the profile intends %s for %s, the filter gives %s, and no known deviation of libseccomp or runc accounts for it", intended, v, simulated)
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// detail says, for one cause, what happened to v.
func (e *explainer) detail(cause Cause, v Vector, m model, simulated Outcome) string {
	switch cause {
	case CauseUnknownName:
		var names []string
		for _, h := range e.p.idx().byArch[v.Arch][v.Nr] {
			if m.dropped[h.name] && !slices.Contains(names, h.name) {
				names = append(names, h.name)
			}
		}
		for _, n := range demux(v) {
			if m.dropped[n] && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		return fmt.Sprintf("this libseccomp does not know %s on %s: runc drops the name from %s, so %s gets %s", strings.Join(names, ", "), v.Arch, e.rulesNaming(v.Arch, names), v.Name, simulated)
	case CauseLow32:
		return fmt.Sprintf("libseccomp compares only the low 32 bits of arguments on %s: %s is judged as if its arguments and the rules' values were truncated", v.Arch, v)
	case CauseSameArgSplit:
		var idx []string
		for _, r := range e.p.Rules {
			if sameArg(r.Args) {
				idx = append(idx, fmt.Sprintf("syscalls[%d]", r.Index))
			}
		}
		return fmt.Sprintf("%s test one argument more than once; runc adds such a rule as one rule per condition, so its conditions are ORed, not ANDed", strings.Join(idx, ", "))
	case CauseSkippedDefault:
		return fmt.Sprintf("runc skips rules whose action equals the default (%s), so another rule decides %s", e.p.DefaultOutcome(), v)
	case CauseMultiplexed:
		return fmt.Sprintf("on %s libseccomp applies the rules for %s to %s(%d, ...) as well, without their argument conditions (the arguments are in memory, out of seccomp's sight)", v.Arch, strings.Join(demux(v), ", "), v.Name, v.Args[0])
	}
	return string(cause)
}

// rulesNaming lists the rules that name any of names.
func (e *explainer) rulesNaming(arch syscalls.Arch, names []string) string {
	var idx []string
	for _, r := range e.p.Rules {
		if slices.ContainsFunc(r.Names, func(n string) bool { return slices.Contains(names, n) }) {
			idx = append(idx, fmt.Sprintf("syscalls[%d]", r.Index))
		}
	}
	return strings.Join(idx, ", ")
}

func overlapDetail(cands []match, winner *match, simulated Outcome) string {
	var idx []string
	for _, c := range cands {
		idx = append(idx, fmt.Sprintf("syscalls[%d] (%s)", c.rule.Index, c.rule.Outcome()))
	}
	return fmt.Sprintf("conditional rules %s all match; the JSON does not order them, and libseccomp applies syscalls[%d] (%s), not the first", strings.Join(idx, ", "), winner.rule.Index, simulated)
}

// bypasses finds calls that run although a variant the profile was written against
// does not: the same call with an argument's high bits set (the kernel reads an int
// argument's low 32 bits, libseccomp compares 64 on a 64-bit arch), and on x86 the
// multiplexed form of a socket or IPC call.
func bypasses(p *Policy, vs []Vector, simulated []Outcome) []Finding {
	at := make(map[vectorKey]int, len(vs))
	for i, v := range vs {
		at[vectorKey{v.Arch, v.Nr, v.Args}] = i
	}
	var out []Finding
	for i, v := range vs {
		if !simulated[i].Runs() || !p.Covers(v.Arch) {
			continue
		}
		for a, x := range v.Args {
			if x>>32 == 0 {
				continue
			}
			t := v.Args
			t[a] = x & 0xffffffff
			j, ok := at[vectorKey{v.Arch, v.Nr, t}]
			if !ok || simulated[j].Runs() {
				continue
			}
			out = append(out, Finding{
				Kind: FindingBypass, Vector: v, Outcome: simulated[i], Versus: &vs[j], VersusOutcome: &simulated[j],
				Detail: fmt.Sprintf("%s gets %s while %s gets %s: libseccomp compares all 64 bits of argument %d on %s, but the kernel reads an int argument as its low 32 bits. If argument %d of %s is an int (socket's domain, type and protocol are), the rule is bypassed; compare the low 32 bits instead (SCMP_CMP_MASKED_EQ with value 4294967295 and valueTwo the value)",
					v, simulated[i], vs[j], simulated[j], a, v.Arch, a, v.Name),
			})
		}
		for _, direct := range demux(v) {
			for j, d := range vs {
				if d.Arch != v.Arch || d.Name != direct || simulated[j].Runs() {
					continue
				}
				out = append(out, Finding{
					Kind: FindingBypass, Vector: v, Outcome: simulated[i], Versus: &vs[j], VersusOutcome: &simulated[j],
					Detail: fmt.Sprintf("%s gets %s while %s gets %s: on %s a program can issue %s through %s, where seccomp cannot see its arguments; deny %s too, or accept the gap",
						v, simulated[i], vs[j], simulated[j], v.Arch, direct, v.Name, v.Name),
				})
				break
			}
		}
	}
	return out
}

// Conflicts finds syscalls that several unconditional rules name with different
// actions: the first rule decides (in libseccomp too), the later ones are dead.
func Conflicts(p *Policy) []Finding {
	var out []Finding
	for _, arch := range p.Covered() {
		byNr := p.idx().byArch[arch]
		nrs := make([]int, 0, len(byNr))
		for nr := range byNr {
			nrs = append(nrs, nr)
		}
		slices.Sort(nrs)
		for _, nr := range nrs {
			var first *Rule
			var dead []string
			for _, h := range byNr[nr] {
				r := &p.Rules[h.rule]
				if len(r.Args) > 0 {
					continue
				}
				if first == nil {
					first = r
				} else if r.Outcome() != first.Outcome() {
					dead = append(dead, fmt.Sprintf("syscalls[%d] (%s)", r.Index, r.Outcome()))
				}
			}
			if len(dead) == 0 {
				continue
			}
			name, _ := syscalls.Name(arch, nr)
			if slices.ContainsFunc(out, func(f Finding) bool { return f.Vector.Name == name }) {
				continue // reported on an earlier arch
			}
			v := Vector{Arch: arch, Name: name, Nr: nr}
			out = append(out, Finding{
				Kind: FindingConflict, Vector: v, Outcome: first.Outcome(),
				Detail: fmt.Sprintf("%s is named without conditions by syscalls[%d] (%s) and by %s: the first rule decides, so the others have no effect on %s (unless runc skips the first because it equals the default action)",
					name, first.Index, first.Outcome(), strings.Join(dead, ", "), name),
			})
		}
	}
	return out
}
