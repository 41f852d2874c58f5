package syscalls

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The AUDIT_ARCH_* values are the kernel's; x/sys copies them from the headers.
func TestAuditArchMatchesKernelHeaders(t *testing.T) {
	for arch, want := range map[Arch]uint32{
		X86_64:  unix.AUDIT_ARCH_X86_64,
		X86:     unix.AUDIT_ARCH_I386,
		X32:     unix.AUDIT_ARCH_X86_64,
		AArch64: unix.AUDIT_ARCH_AARCH64,
		ARM:     unix.AUDIT_ARCH_ARM,
	} {
		if got := AuditArch(arch); got != want {
			t.Errorf("AuditArch(%s) = %#x, x/sys says %#x", arch, got, want)
		}
	}
}
