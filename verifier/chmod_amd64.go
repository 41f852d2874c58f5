package main

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawChmod issues chmod(2) itself: os.Chmod would use fchmodat(2), which a profile that
// denies only chmod allows.
func rawChmod(path string, mode uint32) (unix.Errno, bool) {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return unix.EINVAL, true
	}
	_, _, errno := unix.Syscall(unix.SYS_CHMOD, uintptr(unsafe.Pointer(p)), uintptr(mode), 0)
	return errno, true
}
