package profile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Target is the node a profile is resolved for. Docker-format profiles depend on the
// machine (archMap, includes/excludes by arch, capability and kernel); resolving for a
// node means naming that node's facts, never reading the machine the plugin runs on.
type Target struct {
	// Arch is the node's native architecture, e.g. SCMP_ARCH_X86_64.
	Arch syscalls.Arch
	// Caps is the container's bounding set, e.g. CAP_SYS_ADMIN. Empty means none.
	Caps []string
	// Kernel is the node's kernel release ("6.18", "6.1.0-30-amd64"); only the first two
	// numbers count, as in Docker. Empty means new enough for every minKernel.
	Kernel string
}

// Resolved is a profile as a runtime hands it to libseccomp: unconditional rules and
// the architectures to add to the filter (the node's own arch is always in it).
type Resolved struct {
	DefaultAction string
	// DefaultErrno is the return data of the default action: the errno for ERRNO
	// (EPERM unless defaultErrnoRet), the message for TRACE, 0 otherwise.
	DefaultErrno  uint
	Architectures []syscalls.Arch
	Rules         []ResolvedRule
	// Problems are what the resolving runtime refuses (both architectures and archMap,
	// both name and names, a bad minKernel): the container would not start.
	Problems []Finding
}

// ResolvedRule is one rule that survived resolution.
type ResolvedRule struct {
	// Index is the rule's position in the JSON, for paths: syscalls[Index].
	Index  int
	Names  []string
	Action string
	// Errno is the return data, as runc sets it: errnoRet, or EPERM when unset, for
	// ERRNO and TRACE; 0 for the other actions.
	Errno uint
	Args  []Arg
}

// Resolve is what Docker (github.com/moby/profiles/seccomp) makes of the profile on
// node t: archMap gives the node's arch and its sub-architectures when `architectures`
// is empty; a rule is dropped when excludes matches (any listed arch is the node's, any
// listed cap is held, the kernel is at least minKernel) or includes does not (the
// node's arch is not listed, some listed cap is missing, the kernel is older); the
// legacy `name` counts as `names`.
func Resolve(p *Profile, t Target) Resolved {
	r := Resolved{DefaultAction: p.DefaultAction, DefaultErrno: actionData(p.DefaultAction, p.DefaultErrnoRet)}
	problem := func(path, msg, fix string) {
		r.Problems = append(r.Problems, Finding{Severity: Error, Path: path, Message: msg, Fix: fix})
	}
	if len(p.Architectures) > 0 && len(p.ArchMap) > 0 {
		problem("archMap", "both architectures and archMap are set: Docker refuses the profile", "keep one of them")
	}
	for _, a := range p.Architectures {
		r.Architectures = append(r.Architectures, syscalls.Arch(a))
	}
	if len(p.Architectures) == 0 {
		for _, m := range p.ArchMap {
			if syscalls.Arch(m.Architecture) == t.Arch {
				r.Architectures = append(r.Architectures, t.Arch)
				for _, sub := range m.SubArchitectures {
					r.Architectures = append(r.Architectures, syscalls.Arch(sub))
				}
				break
			}
		}
	}
	kernel, kernelErr := parseKernel(t.Kernel)
	if t.Kernel != "" && kernelErr != nil {
		problem("", fmt.Sprintf("target kernel %q: %v", t.Kernel, kernelErr), `give the kernel as "<major>.<minor>", e.g. "6.18"`)
	}
	for i, rule := range p.Syscalls {
		path := fmt.Sprintf("syscalls[%d]", i)
		names := rule.Names
		if rule.Name != "" {
			if len(rule.Names) > 0 {
				problem(path+".name", "both name and names are set: Docker refuses the profile", `drop "name"`)
			}
			names = []string{rule.Name}
		}
		include := true
		if f := rule.Excludes; f != nil {
			if slices.ContainsFunc(f.Arches, t.matchesArch) || slices.ContainsFunc(f.Caps, t.hasCap) {
				include = false
			}
			if met, ok := t.kernelAtLeast(kernel, f.MinKernel, path+".excludes.minKernel", problem); ok && met {
				include = false
			}
		}
		if f := rule.Includes; f != nil {
			if len(f.Arches) > 0 && !slices.ContainsFunc(f.Arches, t.matchesArch) {
				include = false
			}
			for _, c := range f.Caps {
				if !t.hasCap(c) {
					include = false
				}
			}
			if met, ok := t.kernelAtLeast(kernel, f.MinKernel, path+".includes.minKernel", problem); ok && !met {
				include = false
			}
		}
		if include {
			r.Rules = append(r.Rules, resolvedRule(i, names, rule))
		}
	}
	return r
}

// ResolveOCI is what containerd makes of the profile: it decodes the file into the OCI
// runtime-spec struct, which has no archMap, includes, excludes, name or comment, so
// every rule is unconditional and a rule with only `name` names nothing.
func ResolveOCI(p *Profile) Resolved {
	r := Resolved{DefaultAction: p.DefaultAction, DefaultErrno: actionData(p.DefaultAction, p.DefaultErrnoRet)}
	for _, a := range p.Architectures {
		r.Architectures = append(r.Architectures, syscalls.Arch(a))
	}
	for i, rule := range p.Syscalls {
		r.Rules = append(r.Rules, resolvedRule(i, rule.Names, rule))
	}
	return r
}

// FilterArches is every architecture the filter on a node of arch native holds:
// libseccomp always includes the native one, and runc adds the listed ones.
func (r Resolved) FilterArches(native syscalls.Arch) []syscalls.Arch {
	out := []syscalls.Arch{native}
	for _, a := range r.Architectures {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Intent is what a resolved profile means for one syscall called with arguments that
// no condition matches: the first unconditional rule naming it that differs from the
// default, else the default.
type Intent struct {
	Outcome
	// Rule is the index in the JSON of the rule that decides, -1 for the default.
	Rule int
}

// Intended reads the resolved rules independently of libseccomp (Profile.Intended is
// this over ResolveOCI): runc skips rules equal to the default, and libseccomp keeps
// the first rule for a syscall and ignores later ones.
func (r Resolved) Intended(name string) Intent {
	def := Outcome{Action: r.DefaultAction, Errno: errnoOf(r.DefaultAction, r.DefaultErrno)}
	out := Intent{Outcome: def, Rule: -1}
	for _, rule := range r.Rules {
		if !slices.Contains(rule.Names, name) {
			continue
		}
		if len(rule.Args) > 0 {
			out.Conditional = true
			continue
		}
		o := Outcome{Action: rule.Action, Errno: errnoOf(rule.Action, rule.Errno)}
		if out.Rule < 0 && o != def {
			out.Action, out.Errno, out.Rule = o.Action, o.Errno, rule.Index
		}
	}
	return out
}

// Allows says whether an action lets the syscall run.
func Allows(action string) bool {
	return action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_LOG"
}

func errnoOf(action string, data uint) uint {
	if action != "SCMP_ACT_ERRNO" {
		return 0
	}
	return data
}

func resolvedRule(i int, names []string, rule Syscall) ResolvedRule {
	return ResolvedRule{Index: i, Names: names, Action: rule.Action, Errno: actionData(rule.Action, rule.ErrnoRet), Args: rule.Args}
}

// actionData is the return data runc gives an action: errnoRet (EPERM when unset) for
// ERRNO and TRACE, nothing for the rest.
func actionData(action string, ret *uint) uint {
	if action != "SCMP_ACT_ERRNO" && action != "SCMP_ACT_TRACE" {
		return 0
	}
	return errnoOr(ret)
}

// dockerArchNames are the spellings includes/excludes use for an architecture: Docker
// compares them with libseccomp's name of its own GOARCH.
var dockerArchNames = map[syscalls.Arch][]string{
	"SCMP_ARCH_X86_64":      {"amd64"},
	"SCMP_ARCH_X86":         {"x86"},
	"SCMP_ARCH_X32":         {"x32"},
	"SCMP_ARCH_AARCH64":     {"arm64"},
	"SCMP_ARCH_ARM":         {"arm"},
	"SCMP_ARCH_MIPS":        {"mips"},
	"SCMP_ARCH_MIPS64":      {"mips64"},
	"SCMP_ARCH_MIPS64N32":   {"mips64n32"},
	"SCMP_ARCH_MIPSEL":      {"mipsle", "mipsel"},
	"SCMP_ARCH_MIPSEL64":    {"mipsel64"},
	"SCMP_ARCH_MIPSEL64N32": {"mips3l64n32", "mipsel64n32"},
	"SCMP_ARCH_PPC":         {"ppc"},
	"SCMP_ARCH_PPC64":       {"ppc64"},
	"SCMP_ARCH_PPC64LE":     {"ppc64le"},
	"SCMP_ARCH_S390":        {"s390"},
	"SCMP_ARCH_S390X":       {"s390x"},
	"SCMP_ARCH_RISCV64":     {"riscv64"},
	"SCMP_ARCH_LOONGARCH64": {"loong64", "loongarch64"},
}

// DockerArchName says whether name is a spelling includes/excludes arches accept.
func DockerArchName(name string) bool {
	for _, names := range dockerArchNames {
		if slices.Contains(names, name) {
			return true
		}
	}
	return false
}

func (t Target) matchesArch(name string) bool {
	return slices.Contains(dockerArchNames[t.Arch], name)
}

func (t Target) hasCap(c string) bool {
	return slices.Contains(t.Caps, c)
}

// kernelAtLeast compares the target kernel with a rule's minKernel. ok is false when
// the rule sets none; an unknown target kernel meets every minimum.
func (t Target) kernelAtLeast(kernel [2]uint64, minKernel, path string, problem func(path, msg, fix string)) (met, ok bool) {
	if minKernel == "" {
		return false, false
	}
	want, err := ParseMinKernel(minKernel)
	if err != nil {
		problem(path, err.Error(), `write it as "<major>.<minor>", e.g. "4.8"`)
		return false, false
	}
	if t.Kernel == "" {
		return true, true
	}
	return kernel[0] > want[0] || kernel[0] == want[0] && kernel[1] >= want[1], true
}

// ParseMinKernel reads a minKernel value the way Docker does: exactly
// "<major>.<minor>", each a number below 256, not 0.0.
func ParseMinKernel(v string) ([2]uint64, error) {
	parts := strings.Split(v, ".")
	bad := fmt.Errorf(`invalid minKernel %q: Docker expects "<kernel>.<major>"`, v)
	if len(parts) != 2 {
		return [2]uint64{}, bad
	}
	var out [2]uint64
	for i, part := range parts {
		n, err := strconv.ParseUint(part, 10, 8)
		if err != nil {
			return [2]uint64{}, bad
		}
		out[i] = n
	}
	if out == [2]uint64{} {
		return out, fmt.Errorf("invalid minKernel %q: version cannot be 0.0", v)
	}
	return out, nil
}

// parseKernel reads the first two numbers of a kernel release, as Docker reads uname:
// "6.1.0-30-amd64" is 6.1.
func parseKernel(release string) ([2]uint64, error) {
	var out [2]uint64
	if release == "" {
		return out, nil
	}
	if _, err := fmt.Sscanf(release, "%d.%d", &out[0], &out[1]); err != nil {
		return out, fmt.Errorf("not a kernel release: %v", err)
	}
	return out, nil
}
