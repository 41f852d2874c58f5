//go:build !amd64

package main

import "golang.org/x/sys/unix"

// rawChmod reports that chmod(2) does not exist: arm64 and other newer arches have
// only fchmodat(2).
func rawChmod(string, uint32) (unix.Errno, bool) { return 0, false }
