package syscalls

// Exemption is a syscall the kernel lets through every seccomp filter: no profile
// can deny it, so a verifier must expect it to run whatever the profile says.
type Exemption struct {
	Arch  Arch
	Name  string
	Since string // first mainline kernel with the exemption
	Why   string
}

// exemptions are kernel/seccomp.c's seccomp_uprobe_exception(): on the native
// arch only (sd->arch == SECCOMP_ARCH_NATIVE and sd->nr equal to the native
// number, so neither i386 nor x32 entry points qualify), seccomp_is_const_allow()
// reports these as always allowed and the filters are never run for them. Both
// syscalls exist on x86_64 only.
var exemptions = []Exemption{
	{
		Arch: X86_64, Name: "uretprobe", Since: "6.14",
		Why: "the kernel issues uretprobe from the trampoline it installs for return probes, not the program; " +
			"seccomp passes it through without running the filter (commit cf6cb56ef244, v6.14, backported to stable series such as 6.12.y; " +
			"the syscall itself exists since 6.11, and on 6.11-6.13 kernels without the backport a filter does apply to it)",
	},
	{
		Arch: X86_64, Name: "uprobe", Since: "6.18",
		Why: "the kernel issues uprobe from the trampoline it installs in place of a uprobe breakpoint, not the program; " +
			"seccomp passes it through without running the filter (commit 89d1d8434d24, v6.18, the release that added the syscall)",
	},
}

// Exempt returns the exemption for name on arch, if the kernel has one.
func Exempt(arch Arch, name string) (Exemption, bool) {
	for _, e := range exemptions {
		if e.Arch == arch && e.Name == name {
			return e, true
		}
	}
	return Exemption{}, false
}

// Exemptions returns every known exemption.
func Exemptions() []Exemption {
	return append([]Exemption(nil), exemptions...)
}
