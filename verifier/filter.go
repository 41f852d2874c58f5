package main

import (
	"fmt"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/engine"
)

// compiled is a libseccomp filter built from a profile, with what was left out of it.
type compiled struct {
	filter  *seccomp.ScmpFilter
	unknown []string // syscall names this libseccomp does not know: dropped, as runc drops them
	skipped []string // rules whose action equals the default: libseccomp refuses them, runc skips them
}

// compile builds the filter the way runc does (verifier/engine), reading the profile
// as containerd hands it to runc.
func compile(p *profile.Profile) (*compiled, error) {
	f, err := engine.Compile(simulate.FromProfile(p, engine.NativeArch()))
	if err != nil {
		return nil, err
	}
	c := &compiled{filter: f.Libseccomp()}
	for _, u := range f.Unknown {
		if u.Everywhere {
			c.unknown = append(c.unknown, u.Name)
		}
	}
	for _, s := range f.Skipped {
		c.skipped = append(c.skipped, fmt.Sprintf("syscalls[%d]", s.Index))
	}
	return c, nil
}

func libseccompVersion() string { return engine.LibseccompVersion() }
