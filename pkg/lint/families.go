package lint

import (
	"fmt"
	"slices"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// enosys is the errno that makes a caller fall back to another member of the family
// on purpose (Docker's clone3 rule): such a denial is not a half-closed door.
const enosys = 38

// familyHints say what the open door means in practice, when the member that
// everyday tools use stays allowed.
var familyHints = map[string]struct{ via, text string }{
	"chmod":   {"fchmodat", "so `chmod 777 f` in a container still works: coreutils and Go use fchmodat"},
	"chown":   {"fchownat", "so `chown` in a container still works: coreutils and Go use fchownat"},
	"open":    {"openat", "so files still open: glibc's open() and Go's os.Open call openat"},
	"mkdir":   {"mkdirat", "so `mkdir` in a container still works: coreutils and Go use mkdirat"},
	"unlink":  {"unlinkat", "so `rm` in a container still works: coreutils and Go use unlinkat"},
	"rename":  {"renameat", "so `mv` still works: Go uses renameat, coreutils renameat2"},
	"link":    {"linkat", "so `ln` still works: coreutils and Go use linkat"},
	"symlink": {"symlinkat", "so `ln -s` still works: coreutils and Go use symlinkat"},
	"clone":   {"clone", "so processes still fork: glibc's fork() calls clone"},
}

// families warns when a rule denies some members of a family and others stay
// allowed on an arch the filter holds: the operation goes through the open door.
func (l *linter) families() []profile.Finding {
	var out []profile.Finding
	for _, fam := range syscalls.Families() {
		var denied, allowed []string
		var arches []syscalls.Arch
		firstRule, firstName := -1, ""
		verb := "denies"
		for _, v := range l.views {
			for _, arch := range v.filter {
				if !covered(arch) {
					continue
				}
				var d, a []string
				for _, m := range fam.On(arch) {
					intent := v.resolved.Intended(m)
					switch {
					case profile.Allows(intent.Action):
						a = append(a, m)
					case intent.Rule >= 0 && slices.Contains(profile.KnownActions, intent.Action) &&
						!(intent.Action == "SCMP_ACT_ERRNO" && intent.Errno == enosys):
						d = append(d, m)
						if firstRule < 0 {
							firstRule, firstName = intent.Rule, m
						}
						if !denies(intent.Action) {
							verb = "restricts"
						}
					}
				}
				if len(d) == 0 || len(a) == 0 {
					continue
				}
				denied = appendNew(denied, d...)
				allowed = appendNew(allowed, a...)
				if !slices.Contains(arches, arch) {
					arches = append(arches, arch)
				}
			}
		}
		if len(arches) == 0 {
			continue
		}
		msg := fmt.Sprintf("this profile %s %s, but %s %s allowed on %s: the same operation goes through %s",
			verb, andList(denied), andList(allowed), stay(allowed), archList(arches), them(allowed))
		if h, ok := familyHints[fam.Name]; ok && slices.Contains(allowed, h.via) {
			msg += ", " + h.text
		}
		out = append(out, profile.Finding{Severity: profile.Warning, Path: l.namePath(firstRule, firstName),
			Message: msg,
			Fix:     fmt.Sprintf("deny the whole %s family: add %s to the rule", fam.Name, andList(allowed)),
		})
	}
	return out
}

// denies says whether an action refuses the call outright (NOTIFY and TRACE hand it
// to someone who may let it run).
func denies(action string) bool {
	return action != "SCMP_ACT_NOTIFY" && action != "SCMP_ACT_TRACE" && !profile.Allows(action)
}

func stay(names []string) string {
	if len(names) == 1 {
		return "stays"
	}
	return "stay"
}

func them(names []string) string {
	if len(names) == 1 {
		return "it"
	}
	return "them"
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
