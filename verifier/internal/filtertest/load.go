//go:build linux

// Package filtertest stands in for a container runtime in tests: it loads a seccomp
// program into the calling process, on every thread, as runc does before it starts a
// container's process. Only tests import it; the verifier never loads a filter into
// itself (probes run in children).
package filtertest

import (
	"runtime"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// LoadAllThreads sets no_new_privs and installs prog with SECCOMP_FILTER_FLAG_TSYNC.
func LoadAllThreads(prog []bpf.RawInstruction) error {
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return err
	}
	filters := make([]unix.SockFilter, len(prog))
	for i, ins := range prog {
		filters[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(filters)), Filter: &filters[0]}
	if _, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog))); e != 0 {
		return e
	}
	return nil
}
