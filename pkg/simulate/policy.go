package simulate

import (
	"slices"
	"sync"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Policy is a profile as one runtime applies it on one node: the rules that remain
// after the runtime's reading of the JSON, and the arches the filter covers. Both the
// libseccomp compiler (verifier/engine) and Intent read a Policy, so the two are
// compared on the same rules.
type Policy struct {
	// Semantics names the reading: "oci" (containerd + runc: archMap, includes and
	// excludes ignored) or "docker" (resolved for a target, as Docker does).
	Semantics     string `json:"semantics"`
	DefaultAction string `json:"defaultAction"`
	// DefaultErrno is the default action's data: errno for ERRNO (EPERM unless
	// defaultErrnoRet), the message for TRACE, 0 otherwise.
	DefaultErrno uint            `json:"defaultErrno,omitempty"`
	Listed       []syscalls.Arch `json:"architectures"`
	// Native is the node's arch: runc's filter always covers it, listed or not.
	Native syscalls.Arch `json:"native"`
	Rules  []Rule        `json:"rules"`
	// Problems are what the runtime refuses while reading the profile (the
	// container would not start).
	Problems []profile.Finding `json:"problems,omitempty"`

	once  sync.Once
	index *index
}

// Rule is one rule of the JSON, with its index in syscalls[] for messages.
type Rule struct {
	Index  int      `json:"index"`
	Names  []string `json:"names"`
	Action string   `json:"action"`
	// Errno is the action's data as runc sets it: errnoRet, or EPERM when unset,
	// for ERRNO and TRACE; 0 for the other actions.
	Errno uint          `json:"errno,omitempty"`
	Args  []profile.Arg `json:"args,omitempty"`
}

// FromResolved is the policy a node of arch native applies for a resolved profile.
func FromResolved(r profile.Resolved, native syscalls.Arch, semantics string) *Policy {
	pol := &Policy{
		Semantics:     semantics,
		DefaultAction: r.DefaultAction,
		DefaultErrno:  r.DefaultErrno,
		Listed:        r.Architectures,
		Native:        native,
		Problems:      r.Problems,
	}
	for _, rr := range r.Rules {
		pol.Rules = append(pol.Rules, Rule{Index: rr.Index, Names: rr.Names, Action: rr.Action, Errno: rr.Errno, Args: rr.Args})
	}
	return pol
}

// FromProfile reads p the way containerd and runc apply a Localhost profile on a
// node whose arch is native: the OCI LinuxSeccomp fields only (profile.ResolveOCI).
// Docker's archMap, includes and excludes are ignored, so every rule applies.
func FromProfile(p *profile.Profile, native syscalls.Arch) *Policy {
	return FromResolved(profile.ResolveOCI(p), native, "oci")
}

// ForTarget reads p the way Docker does for node t (profile.Resolve; CRI-O much
// the same):
// archMap gives the arches, includes and excludes select the rules.
func ForTarget(p *profile.Profile, t profile.Target) *Policy {
	return FromResolved(profile.Resolve(p, t), t.Arch, "docker")
}

// Covered returns the arches the filter holds: the listed ones and the native arch,
// which libseccomp adds to every filter and runc never removes.
func (p *Policy) Covered() []syscalls.Arch {
	out := []syscalls.Arch{}
	if p.Native != "" {
		out = append(out, p.Native)
	}
	for _, a := range p.Listed {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Covers says whether the filter holds arch.
func (p *Policy) Covers(arch syscalls.Arch) bool {
	return arch == p.Native || slices.Contains(p.Listed, arch)
}

// DefaultOutcome is what a syscall no rule matches gets.
func (p *Policy) DefaultOutcome() Outcome { return outcomeOf(p.DefaultAction, p.DefaultErrno) }

// Outcome is what the rule's action gives a matching call.
func (r *Rule) Outcome() Outcome { return outcomeOf(r.Action, r.Errno) }

// outcomeOf turns a profile action and its data into an Outcome: ERRNO and TRACE
// carry the data (the resolver already put EPERM where errnoRet is absent).
func outcomeOf(action string, data uint) Outcome {
	if action == "SCMP_ACT_KILL" {
		action = ActKillThread
	}
	o := Outcome{Action: action}
	if action == ActErrno || action == ActTrace {
		o.Data = uint16(data)
	}
	return o
}

// hit is a rule that names a syscall number on an arch, through name.
type hit struct {
	rule int // index into Policy.Rules
	name string
}

// index finds, per covered arch and syscall number, the rules that name it. Names
// are resolved to numbers, so aliases of one number (arm's arm_sync_file_range and
// sync_file_range2) select the same rules.
type index struct {
	byArch map[syscalls.Arch]map[int][]hit
}

func (p *Policy) idx() *index {
	p.once.Do(func() {
		ix := &index{byArch: map[syscalls.Arch]map[int][]hit{}}
		for _, arch := range p.Covered() {
			m := map[int][]hit{}
			for ri, r := range p.Rules {
				for _, name := range r.Names {
					if nr, ok := syscalls.Number(arch, name); ok {
						m[nr] = append(m[nr], hit{rule: ri, name: name})
					}
				}
			}
			ix.byArch[arch] = m
		}
		p.index = ix
	})
	return p.index
}
