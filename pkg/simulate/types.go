// Package simulate decides what a compiled seccomp filter does for every syscall a
// profile's architectures have, by running the filter's BPF in a pure-Go VM, and
// compares that with what the profile's JSON intends.
package simulate

import "github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"

// Vector is one call to judge: an architecture's entry point, a syscall number on it
// and the six argument values.
type Vector struct {
	Arch syscalls.Arch `json:"arch"`
	Name string        `json:"name"`
	Nr   int           `json:"nr"`
	Args [6]uint64     `json:"args"`
}

// Outcome is what a call gets: an action in the profile's spelling
// (SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, ...) and its data: the errno for ERRNO,
// the si_errno data for TRAP, the message for TRACE.
type Outcome struct {
	Action string `json:"action"`
	Data   uint16 `json:"data,omitempty"`
}
