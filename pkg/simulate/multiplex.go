package simulate

import "github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"

// muxCall is a call that 32-bit x86 can also reach through a multiplexer:
// socketcall(call, args) or ipc(call, ...). libseccomp applies a rule for the direct
// call to the multiplexer too, as "argument 0 == call"; the real arguments sit in
// memory there, so the rule's own argument conditions cannot be checked.
type muxCall struct {
	via  string // socketcall or ipc
	call uint64 // SYS_* (linux/net.h) or the IPC call number (linux/ipc.h)
}

// multiplexed are the x86 calls libseccomp rewrites (arch-x86.c).
var multiplexed = map[string]muxCall{
	"socket": {"socketcall", 1}, "bind": {"socketcall", 2}, "connect": {"socketcall", 3},
	"listen": {"socketcall", 4}, "accept": {"socketcall", 5}, "getsockname": {"socketcall", 6},
	"getpeername": {"socketcall", 7}, "socketpair": {"socketcall", 8}, "send": {"socketcall", 9},
	"recv": {"socketcall", 10}, "sendto": {"socketcall", 11}, "recvfrom": {"socketcall", 12},
	"shutdown": {"socketcall", 13}, "setsockopt": {"socketcall", 14}, "getsockopt": {"socketcall", 15},
	"sendmsg": {"socketcall", 16}, "recvmsg": {"socketcall", 17}, "accept4": {"socketcall", 18},
	"recvmmsg": {"socketcall", 19}, "sendmmsg": {"socketcall", 20},

	"semop": {"ipc", 1}, "semget": {"ipc", 2}, "semctl": {"ipc", 3}, "semtimedop": {"ipc", 4},
	"msgsnd": {"ipc", 11}, "msgrcv": {"ipc", 12}, "msgget": {"ipc", 13}, "msgctl": {"ipc", 14},
	"shmat": {"ipc", 21}, "shmdt": {"ipc", 22}, "shmget": {"ipc", 23}, "shmctl": {"ipc", 24},
}

// muxArch is the one covered arch whose libseccomp backend multiplexes.
const muxArch = syscalls.X86

// Multiplexed says whether libseccomp rewrites rules for name on arch into a
// multiplexer (socketcall or ipc on x86): it then reports a pseudo-syscall number
// for name there, yet still filters the direct call.
func Multiplexed(arch syscalls.Arch, name string) bool {
	_, ok := multiplexed[name]
	return ok && arch == muxArch
}

// demux returns the direct calls a multiplexer vector stands for on x86:
// socketcall(1, ...) is socket.
func demux(v Vector) []string {
	if v.Arch != muxArch {
		return nil
	}
	var out []string
	for name, m := range multiplexed {
		if m.via == v.Name && m.call == v.Args[0]&0xffffffff {
			out = append(out, name)
		}
	}
	return out
}

// libseccomp32 are the arches libseccomp builds 32-bit argument comparisons for
// (arch size 32): it loads and compares only the low word of each argument.
var libseccomp32 = map[syscalls.Arch]bool{
	syscalls.X86: true, syscalls.X32: true, syscalls.ARM: true,
	"SCMP_ARCH_MIPS": true, "SCMP_ARCH_MIPSEL": true, "SCMP_ARCH_MIPS64N32": true,
	"SCMP_ARCH_MIPSEL64N32": true, "SCMP_ARCH_PPC": true, "SCMP_ARCH_S390": true,
	"SCMP_ARCH_PARISC": true, "SCMP_ARCH_M68K": true, "SCMP_ARCH_SH": true, "SCMP_ARCH_SHEB": true,
}

// narrowABI are the arches whose syscall arguments are 32-bit registers: the kernel
// zero-extends them into seccomp_data, so no call there has high bits set. (x32
// passes 64-bit registers although libseccomp compares 32 bits.)
var narrowABI = map[syscalls.Arch]bool{syscalls.X86: true, syscalls.ARM: true}

func argMask(arch syscalls.Arch) uint64 {
	if narrowABI[arch] {
		return 0xffffffff
	}
	return ^uint64(0)
}
