package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// otherArchOnly are syscalls that exist only on architectures the tables do not cover,
// so an unknown name among them is no typo. Docker's default profile names several.
// (Names only, for that one decision; numbers live in pkg/syscalls.)
var otherArchOnly = map[string]string{
	"riscv_flush_icache":   "riscv64",
	"riscv_hwprobe":        "riscv64",
	"s390_guarded_storage": "s390x",
	"s390_pci_mmio_read":   "s390/s390x",
	"s390_pci_mmio_write":  "s390/s390x",
	"s390_runtime_instr":   "s390/s390x",
	"s390_sthyi":           "s390/s390x",
	"swapcontext":          "ppc/ppc64",
	"sys_debug_setcontext": "ppc/ppc64",
	"subpage_prot":         "ppc64",
	"switch_endian":        "ppc64",
	"spu_create":           "ppc64",
	"spu_run":              "ppc64",
	"rtas":                 "ppc/ppc64",
	"multiplexer":          "ppc/ppc64",
	"sysmips":              "mips",
	"cachectl":             "mips",
	"atomic_barrier":       "m68k",
	"atomic_cmpxchg_32":    "m68k",
	"kern_features":        "sparc",
	"utrap_install":        "sparc64",
	"memory_ordering":      "sparc64",
	"pciconfig_iobase":     "alpha/ppc",
	"pciconfig_read":       "alpha/ppc/sparc",
	"pciconfig_write":      "alpha/ppc/sparc",
	"osf_getsysinfo":       "alpha",
	"osf_setsysinfo":       "alpha",
	"getxpid":              "alpha",
}

// names checks every syscall name against the tables: a name no arch has is a typo
// that runc drops without a word; a name some listed arch lacks does nothing there.
func (l *linter) names() []profile.Finding {
	var out []profile.Finding
	for i, rule := range l.p.Syscalls {
		for j, name := range rule.Names {
			if strings.TrimSpace(name) == "" || syscalls.Known(name) {
				continue
			}
			path := fmt.Sprintf("syscalls[%d].names[%d]", i, j)
			if where, ok := otherArchOnly[name]; ok {
				out = append(out, profile.Finding{Severity: profile.Info, Path: path,
					Message: fmt.Sprintf("%s is a syscall only on %s, which kubectl-seccomp's tables do not cover; on %s runc drops it", name, where, archList(l.checkedArches())),
				})
				continue
			}
			fix := "check the spelling against the syscall tables, or remove the name"
			if near := nearest(name); near != "" {
				fix = fmt.Sprintf("did you mean %q?", near)
			}
			out = append(out, profile.Finding{Severity: profile.Error, Path: path,
				Message: fmt.Sprintf("%q is not a syscall on any architecture (%s): runc drops unknown names silently, so this name %s nothing",
					name, archList(syscalls.Arches()), verb(rule.Action)),
				Fix: fix,
			})
		}
	}
	out = append(out, l.missingOnArch()...)
	return append(out, l.exempt()...)
}

// exempt warns about deny rules for syscalls the kernel lets through every filter.
func (l *linter) exempt() []profile.Finding {
	var out []profile.Finding
	for i, rule := range l.p.Syscalls {
		if profile.Allows(rule.Action) || !slices.Contains(profile.KnownActions, rule.Action) {
			continue
		}
		for _, name := range rule.Names {
			for _, arch := range syscalls.Arches() {
				e, ok := syscalls.Exempt(arch, name)
				if !ok || !l.reachableOnNodes(arch) {
					continue
				}
				out = append(out, profile.Finding{Severity: profile.Warning, Path: l.namePath(i, name),
					Message: fmt.Sprintf("no seccomp filter can deny %s on %s on kernels %s and later: %s", name, arch, e.Since, e.Why),
					Fix:     "expect the syscall to run there; remove it from this rule if the rule is only about it",
				})
			}
		}
	}
	return out
}

func verb(action string) string {
	if profile.Allows(action) {
		return "allows"
	}
	return "denies"
}

// missingOnArch reports, per rule, the names that are syscalls somewhere but not on an
// arch the filter holds. A deny rule whose name is missing on an arch the nodes run is
// a warning when the operation stays open there through a family member; the rest is
// information (an allowlist naming other arches' syscalls is normal).
func (l *linter) missingOnArch() []profile.Finding {
	type key struct {
		rule int
		name string
	}
	missing := map[key][]syscalls.Arch{}
	var order []key
	for _, arch := range syscalls.Arches() {
		for _, v := range l.views {
			if !slices.Contains(v.filter, arch) {
				continue
			}
			for _, rule := range v.resolved.Rules {
				for _, name := range rule.Names {
					if !syscalls.Known(name) {
						continue
					}
					if _, ok := syscalls.Number(arch, name); ok {
						continue
					}
					k := key{rule.Index, name}
					if _, seen := missing[k]; !seen {
						order = append(order, k)
					}
					if !slices.Contains(missing[k], arch) {
						missing[k] = append(missing[k], arch)
					}
				}
			}
		}
	}
	var out []profile.Finding
	// Information is grouped per rule: arch → names.
	infoRules := []int{}
	info := map[int]map[syscalls.Arch][]string{}
	for _, k := range order {
		arches := missing[k]
		rule := l.p.Syscalls[k.rule]
		if !profile.Allows(rule.Action) {
			var open []string
			var openOn []syscalls.Arch
			for _, a := range arches {
				if !l.reachableOnNodes(a) {
					continue
				}
				if others := l.allowedFamilyOn(a, k.name); len(others) > 0 {
					openOn = append(openOn, a)
					open = appendNew(open, others...)
				}
			}
			if len(openOn) > 0 {
				out = append(out, profile.Finding{Severity: profile.Warning, Path: l.namePath(k.rule, k.name),
					Message: fmt.Sprintf("%s is not a syscall on %s, so this rule denies nothing there, and the same operation goes through %s, which %s allowed",
						k.name, archList(openOn), andList(open), stay(open)),
					Fix: fmt.Sprintf("deny %s too", andList(open)),
				})
				continue
			}
		}
		if info[k.rule] == nil {
			info[k.rule] = map[syscalls.Arch][]string{}
			infoRules = append(infoRules, k.rule)
		}
		for _, a := range arches {
			info[k.rule][a] = append(info[k.rule][a], k.name)
		}
	}
	for _, i := range infoRules {
		byArch := info[i]
		var names []string
		var parts []string
		for _, a := range syscalls.Arches() {
			if len(byArch[a]) == 0 {
				continue
			}
			names = appendNew(names, byArch[a]...)
			parts = append(parts, fmt.Sprintf("on %s %s", a, shortList(byArch[a], 6)))
		}
		f := profile.Finding{Severity: profile.Info}
		if len(names) == 1 {
			var arches []syscalls.Arch
			for _, a := range syscalls.Arches() {
				if len(byArch[a]) > 0 {
					arches = append(arches, a)
				}
			}
			f.Path = l.namePath(i, names[0])
			f.Message = fmt.Sprintf("%s is not a syscall on %s: libseccomp skips it there, and it cannot be called there either", names[0], archList(arches))
		} else {
			f.Path = fmt.Sprintf("syscalls[%d].names", i)
			f.Message = fmt.Sprintf("%d names are not syscalls on some of the filter's arches, skipped there by libseccomp (they cannot be called there either): %s",
				len(names), strings.Join(parts, "; "))
		}
		out = append(out, f)
	}
	return out
}

// allowedFamilyOn is the members of name's family that exist on arch and that some
// node's view of the profile allows: the doors that stay open when name is denied.
func (l *linter) allowedFamilyOn(arch syscalls.Arch, name string) []string {
	fam, ok := syscalls.FamilyOf(name)
	if !ok {
		return nil
	}
	var out []string
	for _, m := range fam.On(arch) {
		if m == name {
			continue
		}
		for _, v := range l.views {
			if slices.Contains(v.filter, arch) && profile.Allows(v.resolved.Intended(m).Action) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// nearest is the known syscall closest to name, when it is close enough to be the
// intended one.
func nearest(name string) string {
	best, bestDist := "", 3
	seen := map[string]bool{}
	for _, a := range syscalls.Arches() {
		for _, n := range syscalls.Names(a) {
			if seen[n] {
				continue
			}
			seen[n] = true
			if d := distance(name, n); d < bestDist || d == bestDist && best != "" && n < best {
				best, bestDist = n, d
			}
		}
	}
	if bestDist > len(name)/3+1 {
		return ""
	}
	return best
}

// distance is the Levenshtein distance of two names.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
