package simulate

import (
	"slices"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// Intent is what the profile's JSON means for v, read without libseccomp, with runc's
// semantics:
//
//   - an arch the filter does not cover (neither listed nor native) is NotCovered;
//   - an unconditional rule naming the syscall decides, the first one if several do
//     (libseccomp keeps the first and ignores conditional rules beside it);
//   - otherwise the first conditional rule all of whose conditions hold, compared
//     on 64-bit values (SCMP_CMP_MASKED_EQ: arg & value == valueTwo);
//   - otherwise the default action. ERRNO and TRACE carry errnoRet (EPERM when
//     absent), the default defaultErrnoRet.
//
// Names are matched through their numbers on v's arch, so a name the node's
// libseccomp does not know still means its syscall here.
func Intent(p *Policy, v Vector) Outcome {
	o, _ := p.eval(v, model{})
	return o
}

// model is a reading of a policy: the intent (the zero model), or the intent with
// some of libseccomp's and runc's known deviations applied, to explain a mismatch.
type model struct {
	dropped     map[string]bool // names libseccomp dropped on the vector's arch
	low32       bool            // compare only the low 32 bits of arguments and values
	split       bool            // conditions on one argument ORed (runc's fallback)
	skipDefault bool            // rules whose action equals the default left out
	mux         bool            // x86: rules of multiplexed calls apply to socketcall/ipc
}

// match is a rule that decides a vector under a model.
type match struct {
	rule *Rule
	name string // the name through which the rule names the call
}

// eval returns the outcome of v under m, and the outcomes of every other
// conditional rule that also matches (the candidates when rules overlap).
func (p *Policy) eval(v Vector, m model) (Outcome, []match) {
	if !p.Covers(v.Arch) {
		return Outcome{Action: NotCovered}, nil
	}
	def := p.DefaultOutcome()
	var uncond, cond []match
	consider := func(r *Rule, name string, conditional bool) {
		if m.dropped[name] || (m.skipDefault && r.Outcome() == def) {
			return
		}
		switch {
		case !conditional:
			uncond = append(uncond, match{r, name})
		case p.ruleHolds(r, v, m):
			cond = append(cond, match{r, name})
		}
	}
	for _, h := range p.idx().byArch[v.Arch][v.Nr] {
		r := &p.Rules[h.rule]
		consider(r, h.name, len(r.Args) > 0)
	}
	if m.mux {
		// The multiplexer's copy of a rule keeps only "argument 0 == call", which
		// holds for this vector; the original conditions are gone.
		names := demux(v)
		for i := range p.Rules {
			r := &p.Rules[i]
			for _, n := range r.Names {
				if slices.Contains(names, n) {
					if m.dropped[n] || (m.skipDefault && r.Outcome() == def) {
						continue
					}
					cond = append(cond, match{r, n})
				}
			}
		}
		slices.SortStableFunc(cond, func(a, b match) int { return a.rule.Index - b.rule.Index })
	}
	switch {
	case len(uncond) > 0:
		return uncond[0].rule.Outcome(), nil
	case len(cond) > 0:
		return cond[0].rule.Outcome(), cond
	}
	return def, nil
}

// ruleHolds says whether every condition of r holds for v's arguments (under the
// split model, any condition of a rule with several on one argument).
func (p *Policy) ruleHolds(r *Rule, v Vector, m model) bool {
	anyOf := m.split && sameArg(r.Args)
	for _, c := range r.Args {
		if c.Index > 5 {
			return false
		}
		x, val, two := v.Args[c.Index], c.Value, c.ValueTwo
		if m.low32 {
			x, val, two = x&0xffffffff, val&0xffffffff, two&0xffffffff
		}
		ok := compare(c.Op, x, val, two)
		if anyOf && ok {
			return true
		}
		if !anyOf && !ok {
			return false
		}
	}
	return !anyOf
}

// sameArg says whether two conditions test one argument.
func sameArg(conds []profile.Arg) bool {
	var seen [8]bool
	for _, c := range conds {
		if c.Index < uint(len(seen)) {
			if seen[c.Index] {
				return true
			}
			seen[c.Index] = true
		}
	}
	return false
}

// compare is SCMP_CMP_* on unsigned 64-bit values, as libseccomp defines them.
func compare(op string, x, value, valueTwo uint64) bool {
	switch op {
	case "SCMP_CMP_NE":
		return x != value
	case "SCMP_CMP_LT":
		return x < value
	case "SCMP_CMP_LE":
		return x <= value
	case "SCMP_CMP_EQ":
		return x == value
	case "SCMP_CMP_GE":
		return x >= value
	case "SCMP_CMP_GT":
		return x > value
	case "SCMP_CMP_MASKED_EQ":
		return x&value == valueTwo
	}
	return false
}
