package profile

import (
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings: an Error blocks install, a Warning is printed.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem in a profile, located by its JSON path, with what to do.
type Finding struct {
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s", f.Path, f.Message)
	if f.Fix != "" {
		s += "; " + f.Fix
	}
	return s
}

// Validate checks what runc would refuse at container start (unknown actions,
// operators, arches, flags) and what containerd would silently drop (legacy `name`,
// empty `names`), so the admin hears it before any node does.
func Validate(p *Profile) []Finding {
	var out []Finding
	add := func(sev Severity, path, msg, fix string) {
		out = append(out, Finding{Severity: sev, Path: path, Message: msg, Fix: fix})
	}
	checkAction := func(path, action string) {
		if !slices.Contains(KnownActions, action) {
			add(Error, path, fmt.Sprintf("unknown action %q", action), "use one of: "+strings.Join(KnownActions, ", "))
		}
	}
	if p.DefaultAction == "" {
		add(Error, "defaultAction", "missing", `set it, e.g. "SCMP_ACT_ERRNO" for an allowlist or "SCMP_ACT_ALLOW" for a denylist`)
	} else {
		checkAction("defaultAction", p.DefaultAction)
	}
	for i, a := range p.Architectures {
		if !slices.Contains(KnownArches, a) {
			add(Error, fmt.Sprintf("architectures[%d]", i), fmt.Sprintf("unknown architecture %q", a), "use one of: "+strings.Join(KnownArches, ", "))
		}
	}
	for i, f := range p.Flags {
		if !slices.Contains(KnownFlags, f) {
			add(Error, fmt.Sprintf("flags[%d]", i), fmt.Sprintf("unknown flag %q", f), "use one of: "+strings.Join(KnownFlags, ", "))
		}
	}
	for i, rule := range p.Syscalls {
		path := fmt.Sprintf("syscalls[%d]", i)
		checkAction(path+".action", rule.Action)
		if rule.Action == "SCMP_ACT_NOTIFY" {
			if p.ListenerPath == "" {
				add(Error, path+".action", "SCMP_ACT_NOTIFY but the profile has no listenerPath: the container cannot start, or the syscall hangs with no agent to answer it",
					`set "listenerPath" to the socket of your seccomp agent, or use another action`)
			}
		}
		if rule.Name != "" {
			add(Error, path+".name", fmt.Sprintf("legacy key \"name\" (%q): containerd ignores it, so this rule would not exist on the node", rule.Name),
				fmt.Sprintf(`write "names": [%q] instead`, rule.Name))
		} else if len(rule.Names) == 0 {
			add(Error, path+".names", "empty: the rule matches no syscall", "list the syscalls it is for, or remove the rule")
		}
		for j, name := range rule.Names {
			if strings.TrimSpace(name) == "" {
				add(Error, fmt.Sprintf("%s.names[%d]", path, j), "empty syscall name", "remove it")
			}
		}
		for j, arg := range rule.Args {
			argPath := fmt.Sprintf("%s.args[%d]", path, j)
			if !slices.Contains(KnownOperators, arg.Op) {
				add(Error, argPath+".op", fmt.Sprintf("unknown operator %q", arg.Op), "use one of: "+strings.Join(KnownOperators, ", "))
			}
			if arg.Index > 5 {
				add(Error, argPath+".index", fmt.Sprintf("argument index %d out of range", arg.Index), "syscalls have arguments 0 to 5")
			}
		}
		if rule.Action == p.DefaultAction && sameErrno(rule.ErrnoRet, p.DefaultErrnoRet) {
			add(Warning, path, fmt.Sprintf("the rule's action %s equals the default action: runtimes skip it", rule.Action), "remove the rule")
		}
	}
	return out
}

func sameErrno(a, b *uint) bool {
	return errnoOr(a) == errnoOr(b)
}

func errnoOr(v *uint) uint {
	if v == nil {
		return EPERM
	}
	return *v
}

// HasErrors says whether any finding blocks install.
func HasErrors(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}
