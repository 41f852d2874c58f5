// Package lint finds what a seccomp profile does not do that its author thinks it
// does, for the nodes and runtime it will run on: names, families, arches, arguments.
package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// The runtimes lint knows how to read a profile for.
const (
	// Containerd decodes the file into the OCI struct: Docker-only keys are ignored.
	Containerd = "containerd"
	// CRIO resolves archMap, names and includes/excludes on caps and arches, not minKernel.
	CRIO = "cri-o"
	// Docker resolves everything, for the machine it runs on.
	Docker = "docker"
)

// Runtimes lists the accepted Options.Runtime values.
var Runtimes = []string{Containerd, CRIO, Docker}

// Options say what the profile will meet.
type Options struct {
	// NodeArches are the native arches of the cluster's nodes; default x86_64.
	NodeArches []syscalls.Arch
	// Runtime is containerd (default), cri-o or docker.
	Runtime string
	// Caps and Kernel resolve Docker's includes/excludes for docker and cri-o; no caps
	// and an empty kernel (new enough for every minKernel) unless given.
	Caps   []string
	Kernel string
}

// Check says whether the options are usable.
func (o Options) Check() error {
	if o.Runtime != "" && !slices.Contains(Runtimes, o.Runtime) {
		return fmt.Errorf("unknown runtime %q (known: %s)", o.Runtime, strings.Join(Runtimes, ", "))
	}
	return nil
}

func (o Options) withDefaults() Options {
	if len(o.NodeArches) == 0 {
		o.NodeArches = []syscalls.Arch{syscalls.X86_64}
	} else {
		var uniq []syscalls.Arch
		for _, a := range o.NodeArches {
			if !slices.Contains(uniq, a) {
				uniq = append(uniq, a)
			}
		}
		o.NodeArches = uniq
	}
	if o.Runtime == "" {
		o.Runtime = Containerd
	}
	return o
}

// Lint reads one profile and returns every finding, located by JSON path, line and
// column, with source as the finding's File, ordered by position. A file that is
// not valid JSON gives one error finding at the place it breaks.
func Lint(source string, data []byte, opts Options) []profile.Finding {
	opts = opts.withDefaults()
	p, err := profile.Parse(source, data)
	if err != nil {
		f := profile.Finding{Severity: profile.Error, File: source, Message: err.Error()}
		if pe, ok := err.(*profile.ParseError); ok {
			f.Path, f.Line, f.Column, f.Message = pe.Path, pe.Line, pe.Column, pe.Msg
			f.Fix = "nothing else was checked until this is fixed"
			if pe.Path == "" {
				f.Fix = "fix the JSON; " + f.Fix
			}
		}
		return []profile.Finding{f}
	}
	l := newLinter(p, opts)
	findings := profile.Validate(p)
	findings = append(findings, l.names()...)
	findings = append(findings, l.errnos()...)
	findings = append(findings, l.families()...)
	findings = append(findings, l.arguments()...)
	findings = append(findings, l.socketcall()...)
	findings = append(findings, l.arches()...)
	findings = append(findings, l.dialect()...)

	positions := profile.NewPositions(data)
	for i := range findings {
		findings[i].File = source
		findings[i].Line, findings[i].Column, _ = positions.Nearest(findings[i].Path)
	}
	slices.SortStableFunc(findings, func(a, b profile.Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column),
			cmp.Compare(rank(a.Severity), rank(b.Severity)))
	})
	return findings
}

func rank(s profile.Severity) int {
	switch s {
	case profile.Error:
		return 0
	case profile.Warning:
		return 1
	}
	return 2
}

// view is the profile as one node sees it: the rules its runtime keeps and the
// arches its filter holds.
type view struct {
	node     syscalls.Arch
	resolved profile.Resolved
	filter   []syscalls.Arch // in the filter: native + listed
}

// reachable are the arches a node's kernel accepts syscalls from: its own and the
// compat entry points (int 0x80 and x32 on x86_64, aarch32 on arm64).
func reachable(node syscalls.Arch) []syscalls.Arch {
	switch node {
	case syscalls.X86_64:
		return []syscalls.Arch{syscalls.X86_64, syscalls.X86, syscalls.X32}
	case syscalls.AArch64:
		return []syscalls.Arch{syscalls.AArch64, syscalls.ARM}
	}
	return []syscalls.Arch{node}
}

// covered says whether the syscall tables know arch.
func covered(arch syscalls.Arch) bool {
	return slices.Contains(syscalls.Arches(), arch)
}

type linter struct {
	p     *profile.Profile
	opts  Options
	views []view
}

func newLinter(p *profile.Profile, opts Options) *linter {
	l := &linter{p: p, opts: opts}
	for _, node := range opts.NodeArches {
		r := l.resolve(node)
		l.views = append(l.views, view{node: node, resolved: r, filter: r.FilterArches(node)})
	}
	return l
}

func (l *linter) resolve(node syscalls.Arch) profile.Resolved {
	switch l.opts.Runtime {
	case Docker:
		return profile.Resolve(l.p, profile.Target{Arch: node, Caps: l.opts.Caps, Kernel: l.opts.Kernel})
	case CRIO:
		// CRI-O does not read minKernel: every minKernel condition holds.
		return profile.Resolve(l.p, profile.Target{Arch: node, Caps: l.opts.Caps})
	}
	return profile.ResolveOCI(l.p)
}

// checkedArches is every covered arch some node's filter holds, in the tables' order.
func (l *linter) checkedArches() []syscalls.Arch {
	var out []syscalls.Arch
	for _, a := range syscalls.Arches() {
		for _, v := range l.views {
			if slices.Contains(v.filter, a) && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// reachableOnNodes says whether some node runs code of arch (natively or as compat)
// and filters it.
func (l *linter) reachableOnNodes(arch syscalls.Arch) bool {
	for _, v := range l.views {
		if slices.Contains(reachable(v.node), arch) && slices.Contains(v.filter, arch) {
			return true
		}
	}
	return false
}

// nameIndex is the position of name in rule i's names, -1 when absent.
func (l *linter) nameIndex(i int, name string) int {
	if i < 0 || i >= len(l.p.Syscalls) {
		return -1
	}
	return slices.Index(l.p.Syscalls[i].Names, name)
}

// namePath is the JSON path of name in rule i, or of the rule.
func (l *linter) namePath(i int, name string) string {
	if j := l.nameIndex(i, name); j >= 0 {
		return fmt.Sprintf("syscalls[%d].names[%d]", i, j)
	}
	return fmt.Sprintf("syscalls[%d]", i)
}

func archList(arches []syscalls.Arch) string {
	s := make([]string, len(arches))
	for i, a := range arches {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// andList joins names as prose: "a", "a and b", "a, b and c".
func andList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// shortList names at most max items and says how many there are.
func shortList(names []string, max int) string { return shortListOf(names, max, "names") }

// shortListOf is shortList with the noun for the count.
func shortListOf(names []string, max int, noun string) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, ... (%d %s)", strings.Join(names[:max], ", "), len(names), noun)
}

// nodeArchAliases are the names Kubernetes (kubernetes.io/arch), uname and Go use for
// the node arches.
var nodeArchAliases = map[string]syscalls.Arch{
	"amd64": syscalls.X86_64, "x86_64": syscalls.X86_64,
	"arm64": syscalls.AArch64, "aarch64": syscalls.AArch64,
	"arm": syscalls.ARM, "armv7l": syscalls.ARM,
	"386": syscalls.X86, "i386": syscalls.X86, "i686": syscalls.X86,
}

// ParseNodeArch reads a node arch as kubernetes.io/arch (amd64, arm64), uname
// (x86_64, aarch64) or a profile (SCMP_ARCH_X86_64) spells it.
func ParseNodeArch(s string) (syscalls.Arch, error) {
	if a, ok := nodeArchAliases[strings.ToLower(s)]; ok {
		return a, nil
	}
	if a := syscalls.Arch(strings.ToUpper(s)); a != syscalls.X32 && a != "SCMP_ARCH_NATIVE" && slices.Contains(profile.KnownArches, string(a)) {
		return a, nil
	}
	return "", fmt.Errorf("unknown node arch %q: use amd64, arm64, arm, 386 or a native SCMP_ARCH_* name (x32 is no node arch)", s)
}

// RuntimeOf is how a node's container runtime, as its name appears in
// status.nodeInfo.containerRuntimeVersion ("containerd", "cri-o", "docker"), reads a
// Localhost profile. known is false for a runtime this tool has not studied; it is
// then read as containerd does, which keeps the fewest of the Docker-only keys.
func RuntimeOf(name string) (runtime string, known bool) {
	switch strings.ToLower(name) {
	case "containerd":
		return Containerd, true
	case "cri-o", "crio":
		return CRIO, true
	case "docker":
		return Docker, true
	}
	return Containerd, false
}
