package profile

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
// When several unconditional rules name the syscall, the first one that differs from
// the default decides: runc skips rules equal to the default, and libseccomp keeps
// the first rule for a syscall and ignores later ones (lint reports the conflict).
func (p *Profile) Intended(name string) Outcome {
	// The JSON as containerd hands it to runc, read by the one rule walk.
	return ResolveOCI(p).Intended(name).Outcome
}
