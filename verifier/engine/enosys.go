package engine

import (
	"slices"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// runcStub models runc's -ENOSYS stub (libcontainer/seccomp/patchbpf): unless the
// default action is ALLOW, LOG or TRACE, or the default errno already is ENOSYS,
// runc checks, per arch of "architectures", whether the syscall number is above the
// highest one any rule names (as this libseccomp numbers it, pseudo-numbers left
// out) and answers ENOSYS. Arches not listed get no stub, so a profile without
// "architectures" gets none.
func runcStub(p *simulate.Policy) []simulate.ENOSYSStub {
	switch p.DefaultAction {
	case simulate.ActAllow, simulate.ActLog, simulate.ActTrace:
		return nil
	}
	if p.DefaultAction == simulate.ActErrno && p.DefaultErrno == simulate.ENOSYS {
		return nil
	}
	var stubs []simulate.ENOSYSStub
	for _, a := range p.Listed {
		sa, err := scmpArch(a)
		if err != nil || slices.ContainsFunc(stubs, func(s simulate.ENOSYSStub) bool { return s.Arch == a }) {
			continue
		}
		stub := simulate.ENOSYSStub{Arch: a}
		for _, rule := range p.Rules {
			for _, name := range rule.Names {
				nr, err := seccomp.GetSyscallFromNameByArch(name, sa)
				if err == nil && int(nr) > stub.Nr {
					stub.Above, stub.Nr = name, int(nr)
				}
			}
		}
		if stub.Nr == 0 {
			continue // runc only warns: no syscall of the profile on this arch
		}
		named := map[string]bool{}
		for _, rule := range p.Rules {
			for _, name := range rule.Names {
				if nr, ok := syscalls.Number(a, name); ok && nr > stub.Nr && !named[name] {
					named[name] = true
					stub.Named = append(stub.Named, name)
				}
			}
		}
		for _, name := range syscalls.Names(a) {
			if nr, _ := syscalls.Number(a, name); nr > stub.Nr && !named[name] {
				stub.Others++
			}
		}
		stubs = append(stubs, stub)
	}
	return stubs
}
