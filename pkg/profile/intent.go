package profile

import "slices"

// Outcome is what a profile intends for one syscall: the action, and for ERRNO the
// errno the caller sees.
type Outcome struct {
	Action string `json:"action"`
	Errno  uint   `json:"errno,omitempty"`
	// Conditional is set when rules with argument conditions name the syscall, so the
	// outcome depends on the arguments and this unconditional reading is incomplete.
	Conditional bool `json:"conditional,omitempty"`
}

// Intended reads the profile's own JSON, independently of libseccomp, and says what
// it means for syscall name when called with arguments no condition matches.
// A later unconditional rule for the same name is what libseccomp keeps too.
func (p *Profile) Intended(name string) Outcome {
	out := Outcome{Action: p.DefaultAction, Errno: errnoFor(p.DefaultAction, p.DefaultErrnoRet)}
	for _, rule := range p.Syscalls {
		if !slices.Contains(rule.Names, name) {
			continue
		}
		if len(rule.Args) > 0 {
			out.Conditional = true
			continue
		}
		out.Action = rule.Action
		out.Errno = errnoFor(rule.Action, rule.ErrnoRet)
	}
	return out
}

func errnoFor(action string, ret *uint) uint {
	if action != "SCMP_ACT_ERRNO" {
		return 0
	}
	return errnoOr(ret)
}
