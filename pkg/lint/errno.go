package lint

import (
	"fmt"
	"slices"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// maxErrno is the kernel's MAX_ERRNO: a filter's errno above it is clamped.
const maxErrno = 4095

// errnos checks errnoRet and defaultErrnoRet: for ERRNO the caller sees -errno, so 0
// means success without the syscall running, and values past 4095 are no errno.
func (l *linter) errnos() []profile.Finding {
	var out []profile.Finding
	check := func(path, action string, ret *uint) {
		if ret == nil || !slices.Contains(profile.KnownActions, action) {
			return
		}
		switch action {
		case "SCMP_ACT_ERRNO":
		case "SCMP_ACT_TRACE":
			if *ret > 0xffff {
				out = append(out, profile.Finding{Severity: profile.Error, Path: path,
					Message: fmt.Sprintf("%d does not fit the 16 bits of data SCMP_ACT_TRACE passes to the tracer", *ret),
					Fix:     "use a value from 0 to 65535"})
			}
			return
		default:
			out = append(out, profile.Finding{Severity: profile.Info, Path: path,
				Message: fmt.Sprintf("errnoRet is ignored for %s: only SCMP_ACT_ERRNO (and SCMP_ACT_TRACE) carry it", action),
				Fix:     "remove it"})
			return
		}
		switch {
		case *ret == 0:
			out = append(out, profile.Finding{Severity: profile.Error, Path: path,
				Message: "errno 0 is not an error: the syscall does not run but returns 0, so the caller believes it succeeded",
				Fix:     "use an errno from 1 to 4095, e.g. 1 (EPERM) or 38 (ENOSYS); leave errnoRet out for EPERM"})
		case *ret > maxErrno:
			out = append(out, profile.Finding{Severity: profile.Error, Path: path,
				Message: fmt.Sprintf("errno %d is out of range: valid errnos are 1 to %d (the kernel clamps larger values to %d, and seccomp keeps only 16 bits)", *ret, maxErrno, maxErrno),
				Fix:     "use an errno from 1 to 4095, e.g. 1 (EPERM), 13 (EACCES) or 38 (ENOSYS)"})
		}
	}
	check("defaultErrnoRet", l.p.DefaultAction, l.p.DefaultErrnoRet)
	for i, rule := range l.p.Syscalls {
		check(fmt.Sprintf("syscalls[%d].errnoRet", i), rule.Action, rule.ErrnoRet)
	}
	return out
}
