package profile

import (
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings: an Error blocks install, a Warning is printed, an Info
// is a fact worth knowing that needs no change.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Finding is one problem in a profile, located by its JSON path (and, when the source
// bytes are known, its line and column), with what to do.
type Finding struct {
	Severity Severity `json:"severity"`
	// File is the profile's source, set by lint; Load keeps the file in Path instead.
	File    string `json:"file,omitempty"`
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// Overridable errors describe a profile a runtime accepts but that will not work
	// as written (NOTIFY with no agent); `install --force` may install it anyway.
	// Other errors make the runtime refuse the profile: nothing can override them.
	Overridable bool `json:"overridable,omitempty"`
}

// String is `file:line:col: path: message; fix: ...` when the file is known, else
// `path (line L, column C): message; fix: ...`.
func (f Finding) String() string {
	parts := make([]string, 0, 4)
	switch {
	case f.File != "" && f.Line > 0:
		parts = append(parts, fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column))
	case f.File != "":
		parts = append(parts, f.File)
	}
	switch {
	case f.File == "" && f.Line > 0:
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("%s (line %d, column %d)", f.Path, f.Line, f.Column)))
	case f.Path != "":
		parts = append(parts, f.Path)
	}
	s := strings.Join(append(parts, f.Message), ": ")
	if f.Fix != "" {
		s += "; fix: " + f.Fix
	}
	return s
}

// LocateFindings fills in the line and column of each finding from the profile's bytes.
func LocateFindings(findings []Finding, data []byte) {
	ps := NewPositions(data)
	for i := range findings {
		findings[i].Line, findings[i].Column, _ = ps.Nearest(findings[i].Path)
	}
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
		switch {
		case a == "SCMP_ARCH_NATIVE":
			add(Error, fmt.Sprintf("architectures[%d]", i), "SCMP_ARCH_NATIVE is not accepted by runc: the container would fail to start",
				"name the architecture, e.g. SCMP_ARCH_X86_64 or SCMP_ARCH_AARCH64 (the node's own arch is always filtered anyway)")
		case !slices.Contains(KnownArches, a):
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
				out[len(out)-1].Overridable = true
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
		if rule.Action == p.DefaultAction && sameData(rule.Action, rule.ErrnoRet, p.DefaultErrnoRet) {
			add(Warning, path, fmt.Sprintf("the rule's action %s equals the default action: runtimes skip it", rule.Action), "remove the rule")
		}
	}
	return out
}

// sameData says whether two actions of kind action carry the same return data, the way
// runc compares a rule with the default: only ERRNO and TRACE carry it (EPERM unset).
func sameData(action string, a, b *uint) bool {
	if action != "SCMP_ACT_ERRNO" && action != "SCMP_ACT_TRACE" {
		return true
	}
	return errnoOr(a) == errnoOr(b)
}

func errnoOr(v *uint) uint {
	if v == nil {
		return EPERM
	}
	return *v
}

// Blocking says whether any finding makes a runtime refuse the profile: an error
// that is not Overridable.
func Blocking(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error && !f.Overridable {
			return true
		}
	}
	return false
}

// HasErrors says whether any finding is an error, overridable or not.
func HasErrors(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}
