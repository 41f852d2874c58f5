// Package syscalls knows, in pure Go and for a chosen target rather than the machine
// it runs on, the syscall numbers of each architecture a profile can name, the
// families of syscalls that do the same thing, and the kernel's seccomp exemptions.
package syscalls

import "strings"

// Arch is an architecture in the profile's spelling.
type Arch string

// Short is the arch as a person says it: "aarch64" for SCMP_ARCH_AARCH64.
func (a Arch) Short() string {
	return strings.ToLower(strings.TrimPrefix(string(a), "SCMP_ARCH_"))
}

// The architectures the tables cover.
const (
	X86_64  Arch = "SCMP_ARCH_X86_64"
	X86     Arch = "SCMP_ARCH_X86"
	X32     Arch = "SCMP_ARCH_X32"
	AArch64 Arch = "SCMP_ARCH_AARCH64"
	ARM     Arch = "SCMP_ARCH_ARM"
)

// X32SyscallBit is set in every x32 syscall number (__X32_SYSCALL_BIT): x32 shares
// AUDIT_ARCH_X86_64 with x86_64, and this bit is what tells the two apart in
// seccomp_data.nr.
const X32SyscallBit = 0x40000000

// The AUDIT_ARCH_* values (include/uapi/linux/audit.h) the kernel puts in
// seccomp_data.arch.
const (
	auditArchX86_64  uint32 = 0xc000003e // EM_X86_64 | 64BIT | LE
	auditArchI386    uint32 = 0x40000003 // EM_386 | LE
	auditArchAArch64 uint32 = 0xc00000b7 // EM_AARCH64 | 64BIT | LE
	auditArchARM     uint32 = 0x40000028 // EM_ARM | LE
)

// Arches returns the covered architectures: x86_64, x86, x32, aarch64, arm.
func Arches() []Arch {
	return []Arch{X86_64, X86, X32, AArch64, ARM}
}

// AuditArch returns the AUDIT_ARCH_* value a filter sees in seccomp_data.arch for
// arch, or 0 for an arch the tables do not cover. x32 shares x86_64's value.
func AuditArch(arch Arch) uint32 {
	switch arch {
	case X86_64, X32:
		return auditArchX86_64
	case X86:
		return auditArchI386
	case AArch64:
		return auditArchAArch64
	case ARM:
		return auditArchARM
	}
	return 0
}
