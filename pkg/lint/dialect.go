package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// arches warns when a node runs code of an arch the filter does not hold: libseccomp
// gives such syscalls its bad-arch action, not the profile's default.
func (l *linter) arches() []profile.Finding {
	var out []profile.Finding
	path := "architectures"
	if len(l.p.Architectures) == 0 && len(l.p.ArchMap) > 0 && l.opts.Runtime != Containerd {
		path = "archMap"
	}
	for _, v := range l.views {
		var missing []syscalls.Arch
		for _, a := range reachable(v.node) {
			if !slices.Contains(v.filter, a) {
				missing = append(missing, a)
			}
		}
		if len(missing) == 0 {
			continue
		}
		lists := "the profile's architectures do not list them"
		switch {
		case len(l.p.Architectures) == 0 && len(l.p.ArchMap) > 0 && l.opts.Runtime == Containerd:
			lists = "containerd ignores archMap and the profile has no architectures"
		case len(l.p.Architectures) == 0 && len(l.p.ArchMap) > 0:
			lists = "archMap gives no sub-architectures for " + string(v.node)
		case len(l.p.Architectures) == 0:
			lists = "the profile lists no architectures, so the filter holds only the node's own"
		}
		quoted := make([]string, len(missing))
		for i, a := range missing {
			quoted[i] = fmt.Sprintf("%q", a)
		}
		out = append(out, profile.Finding{Severity: profile.Warning, Path: path,
			Message: fmt.Sprintf("nodes of arch %s also run %s syscalls (%s), but %s: there libseccomp's bad-arch action SCMP_ACT_KILL_THREAD applies, not defaultAction %s, so such programs are killed",
				v.node, archList(missing), compatWhat(v.node), lists, l.p.DefaultAction),
			Fix: fmt.Sprintf("add %s to \"architectures\" (with rules that hold for them) unless killing those programs is intended", strings.Join(quoted, ", ")),
		})
	}
	return out
}

func compatWhat(node syscalls.Arch) string {
	switch node {
	case syscalls.X86_64:
		return "32-bit i386 programs, int 0x80, and x32 programs"
	case syscalls.AArch64:
		return "32-bit arm programs"
	}
	return "compat programs"
}

// dialect reports the Docker-format keys the chosen runtime does not read, and what the
// resolving runtimes refuse.
func (l *linter) dialect() []profile.Finding {
	var out []profile.Finding
	out = append(out, l.dockerArchNames()...)
	switch l.opts.Runtime {
	case Containerd:
		return append(out, l.containerdIgnores()...)
	case CRIO:
		out = append(out, l.crioIgnoresMinKernel()...)
	}
	seen := map[string]bool{}
	for _, v := range l.views {
		for _, p := range v.resolved.Problems {
			if k := p.Path + p.Message; !seen[k] {
				seen[k] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// dockerArchNames checks the arch spellings of archMap (SCMP_ARCH_*) and of
// includes/excludes (Docker's: amd64, arm64, x86, ...).
func (l *linter) dockerArchNames() []profile.Finding {
	var out []profile.Finding
	for i, m := range l.p.ArchMap {
		if !slices.Contains(profile.KnownArches, m.Architecture) {
			out = append(out, unknownArch(fmt.Sprintf("archMap[%d].architecture", i), m.Architecture))
		}
		for j, a := range m.SubArchitectures {
			if !slices.Contains(profile.KnownArches, a) {
				out = append(out, unknownArch(fmt.Sprintf("archMap[%d].subArchitectures[%d]", i, j), a))
			}
		}
	}
	for i, rule := range l.p.Syscalls {
		for _, kind := range []string{"includes", "excludes"} {
			f := filter(rule, kind)
			if f == nil {
				continue
			}
			for j, a := range f.Arches {
				if !profile.DockerArchName(a) {
					out = append(out, profile.Finding{Severity: profile.Error, Path: fmt.Sprintf("syscalls[%d].%s.arches[%d]", i, kind, j),
						Message: fmt.Sprintf("unknown architecture %q: %s.arches uses Docker's names, so this never matches", a, kind),
						Fix:     "use one of: amd64, x86, x32, arm64, arm, ppc64le, s390x, s390, riscv64, mips64, loong64, ..."})
				}
			}
		}
	}
	return out
}

func filter(rule profile.Syscall, kind string) *profile.Filter {
	if kind == "excludes" {
		return rule.Excludes
	}
	return rule.Includes
}

func unknownArch(path, a string) profile.Finding {
	return profile.Finding{Severity: profile.Error, Path: path,
		Message: fmt.Sprintf("unknown architecture %q", a),
		Fix:     "use one of: " + strings.Join(profile.KnownArches, ", ")}
}

// containerdIgnores warns about the keys containerd's OCI decoding drops: archMap, and
// includes/excludes, which make conditional rules unconditional.
func (l *linter) containerdIgnores() []profile.Finding {
	var out []profile.Finding
	capGated := false
	for _, rule := range l.p.Syscalls {
		for _, f := range []*profile.Filter{rule.Includes, rule.Excludes} {
			if f != nil && len(f.Caps) > 0 {
				capGated = true
			}
		}
	}
	runtimeDefault := ""
	if capGated {
		runtimeDefault = "; for Docker's default profile use `seccompProfile: {type: RuntimeDefault}`, which containerd resolves for each container's capabilities"
	}
	if len(l.p.ArchMap) > 0 {
		out = append(out, profile.Finding{Severity: profile.Warning, Path: "archMap",
			Message: "containerd ignores archMap (a Docker-only key): the filter holds each node's own arch plus \"architectures\", no sub-architectures",
			Fix:     "list the arches in \"architectures\" instead, e.g. SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32" + runtimeDefault,
		})
	}
	for i, rule := range l.p.Syscalls {
		for _, kind := range []string{"includes", "excludes"} {
			f := filter(rule, kind)
			if f == nil || len(f.Arches)+len(f.Caps) == 0 && f.MinKernel == "" {
				continue
			}
			var meant []string
			if len(f.Caps) > 0 {
				if kind == "includes" {
					meant = append(meant, fmt.Sprintf("only for containers with %s", andList(f.Caps)))
				} else {
					meant = append(meant, fmt.Sprintf("not for containers with %s", orList(f.Caps)))
				}
			}
			if len(f.Arches) > 0 {
				if kind == "includes" {
					meant = append(meant, "only on "+orList(f.Arches))
				} else {
					meant = append(meant, "not on "+orList(f.Arches))
				}
			}
			if f.MinKernel != "" {
				if kind == "includes" {
					meant = append(meant, "only on kernels "+f.MinKernel+" and later")
				} else {
					meant = append(meant, "not on kernels "+f.MinKernel+" and later")
				}
			}
			out = append(out, profile.Finding{Severity: profile.Warning, Path: fmt.Sprintf("syscalls[%d].%s", i, kind),
				Message: fmt.Sprintf("containerd ignores %s (a Docker-only key): this rule is meant %s, but applies to every container on every node, so its %s for %s is unconditional",
					kind, strings.Join(meant, " and "), rule.Action, shortList(rule.Names, 5)),
				Fix: "resolve the profile for your pods before installing: drop the rule where its condition does not hold, drop the condition where it does" + runtimeDefault,
			})
		}
	}
	return out
}

// crioIgnoresMinKernel: CRI-O resolves caps and arches but not kernel versions.
func (l *linter) crioIgnoresMinKernel() []profile.Finding {
	var out []profile.Finding
	for i, rule := range l.p.Syscalls {
		for _, kind := range []string{"includes", "excludes"} {
			f := filter(rule, kind)
			if f == nil || f.MinKernel == "" {
				continue
			}
			effect := "applies on every kernel, not only on " + f.MinKernel + " and later"
			if kind == "excludes" {
				effect = "is not skipped on kernels " + f.MinKernel + " and later"
			}
			out = append(out, profile.Finding{Severity: profile.Warning, Path: fmt.Sprintf("syscalls[%d].%s.minKernel", i, kind),
				Message: "CRI-O ignores minKernel: this rule " + effect,
				Fix:     "drop the rule or the condition, for the kernels your nodes run",
			})
		}
	}
	return out
}

func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
