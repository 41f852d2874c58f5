package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// chmodCall is one way to change a file's mode: chmod(2) itself, and fchmodat(2),
// which is what coreutils' `chmod` and Go's os.Chmod issue.
type chmodCall struct {
	name string
	call func(path string) (unix.Errno, bool)
}

var chmodCalls = []chmodCall{
	{"chmod", func(path string) (unix.Errno, bool) { return rawChmod(path, 0o600) }},
	{"fchmodat", func(path string) (unix.Errno, bool) {
		err := unix.Fchmodat(unix.AT_FDCWD, path, 0o600, 0)
		if err == nil {
			return 0, true
		}
		errno, _ := err.(unix.Errno)
		return errno, true
	}},
}

// proveChmod changes a scratch file's mode through chmod(2) and fchmodat(2) and
// compares each result with what the profile intends for that syscall, so the admin
// learns whether `chmod 777 f` in a container really fails. `where` names the filter
// in force ("runtime") in the detail.
func proveChmod(p *profile.Profile, where string) report.Check {
	f, err := os.CreateTemp("", "chmod-probe-*")
	if err != nil {
		return report.Skip("cannot create a scratch file to chmod: " + err.Error())
	}
	f.Close()
	defer os.Remove(f.Name())

	var passed, failed, skipped []string
	for _, c := range chmodCalls {
		ok, ran, detail := proveOne(p, c, f.Name(), where)
		switch {
		case !ran:
			skipped = append(skipped, detail)
		case ok:
			passed = append(passed, detail)
		default:
			failed = append(failed, detail)
		}
	}
	switch {
	case len(failed) > 0:
		return report.Fail(strings.Join(append(failed, passed...), "; "))
	case len(passed) == 0:
		return report.Skip(strings.Join(skipped, "; "))
	}
	return report.Pass(strings.Join(passed, "; "))
}

func proveOne(p *profile.Profile, c chmodCall, path, where string) (ok, ran bool, detail string) {
	want := p.Intended(c.name)
	if want.Conditional {
		return false, false, c.name + " has argument conditions in this profile; not probed"
	}
	switch want.Action {
	case "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_ERRNO":
	default:
		// Killing or trapping actions would end this probe; the check container
		// proves them live behind a shadow filter instead.
		return false, false, fmt.Sprintf("%s is %s in this profile; proven by the check container, not here", c.name, want.Action)
	}
	errno, exists := c.call(path)
	if !exists {
		return false, false, c.name + "(2) does not exist on this architecture"
	}
	wantErrno := unix.Errno(want.Errno)
	switch {
	case want.Action == "SCMP_ACT_ERRNO" && errno == wantErrno:
		return true, true, fmt.Sprintf("%s(2) returned %s under the %s filter, as the profile intends", c.name, errnoName(errno), where)
	case want.Action == "SCMP_ACT_ERRNO":
		return false, true, fmt.Sprintf("%s(2) returned %s under the %s filter; the profile intends %s", c.name, errnoName(errno), where, errnoName(wantErrno))
	case errno == 0:
		return true, true, fmt.Sprintf("%s(2) allowed under the %s filter, as the profile intends", c.name, where)
	default:
		return false, true, fmt.Sprintf("%s(2) returned %s under the %s filter; the profile allows it", c.name, errnoName(errno), where)
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
