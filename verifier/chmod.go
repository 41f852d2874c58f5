package main

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// proveChmod calls chmod(2) on a scratch file and compares what came back with what
// the profile intends for chmod. `where` names the filter that was in force
// ("libseccomp" or "runtime") in the detail.
func proveChmod(p *profile.Profile, where string) report.Check {
	want := p.Intended("chmod")
	if want.Conditional {
		return report.Skip("chmod has argument conditions in this profile; not probed yet")
	}
	switch want.Action {
	case "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_ERRNO":
	default:
		return report.Skip(fmt.Sprintf("chmod is %s in this profile; probing that action live is not implemented yet", want.Action))
	}
	f, err := os.CreateTemp("", "chmod-probe-*")
	if err != nil {
		return report.Skip("cannot create a scratch file to chmod: " + err.Error())
	}
	f.Close()
	defer os.Remove(f.Name())

	errno, ok := rawChmod(f.Name(), 0o600)
	if !ok {
		return report.Skip("chmod(2) does not exist on this architecture")
	}
	wantErrno := unix.Errno(want.Errno)
	switch {
	case want.Action == "SCMP_ACT_ERRNO" && errno == wantErrno:
		return report.Pass(fmt.Sprintf("chmod(2) returned %s under the %s filter, as the profile intends", errnoName(errno), where))
	case want.Action == "SCMP_ACT_ERRNO":
		return report.Fail(fmt.Sprintf("chmod(2) returned %s under the %s filter; the profile intends %s", errnoName(errno), where, errnoName(wantErrno)))
	case errno == 0:
		return report.Pass(fmt.Sprintf("chmod(2) allowed under the %s filter, as the profile intends", where))
	default:
		return report.Fail(fmt.Sprintf("chmod(2) returned %s under the %s filter; the profile allows it", errnoName(errno), where))
	}
}

// errnoName prints an errno the way the man pages and the profile's author know it.
func errnoName(e unix.Errno) string {
	if e == 0 {
		return "success"
	}
	if name := unix.ErrnoName(e); name != "" {
		return fmt.Sprintf("%s (%d)", name, int(e))
	}
	return fmt.Sprintf("errno %d", int(e))
}
