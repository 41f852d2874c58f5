// Package syscalls knows, in pure Go and for a chosen target rather than the machine
// it runs on, the syscall numbers of each architecture a profile can name, the
// families of syscalls that do the same thing, and the kernel's seccomp exemptions.
package syscalls

// Arch is an architecture in the profile's spelling.
type Arch string

// The architectures the tables cover.
const (
	X86_64  Arch = "SCMP_ARCH_X86_64"
	X86     Arch = "SCMP_ARCH_X86"
	X32     Arch = "SCMP_ARCH_X32"
	AArch64 Arch = "SCMP_ARCH_AARCH64"
	ARM     Arch = "SCMP_ARCH_ARM"
)

// API (filled in by tables_*.go, families.go, exemptions.go):
//
//	func Arches() []Arch                         // the five above, in this order
//	func Number(arch Arch, name string) (int, bool)
//	func Name(arch Arch, nr int) (string, bool)
//	func Names(arch Arch) []string               // sorted
//	func Known(name string) bool                 // a syscall on at least one covered arch
//	func AuditArch(arch Arch) uint32             // AUDIT_ARCH_* value of seccomp_data.arch
//	type Family struct{ Name string; Members []string }
//	func Families() []Family
//	func FamilyOf(name string) (Family, bool)
//	type Exemption struct{ Arch Arch; Name, Since, Why string }
//	func Exempt(arch Arch, name string) (Exemption, bool)
