package syscalls

import "testing"

func TestExempt(t *testing.T) {
	for _, c := range []struct {
		arch  Arch
		name  string
		since string // "" means not exempt
	}{
		{X86_64, "uretprobe", "6.14"},
		{X86_64, "uprobe", "6.18"},
		// The kernel compares seccomp_data.nr with the native number on the
		// native arch: x32's uretprobe (335|X32SyscallBit) is filtered.
		{X32, "uretprobe", ""},
		{X32, "uprobe", ""},
		{X86, "uretprobe", ""},
		{AArch64, "uretprobe", ""},
		{X86_64, "chmod", ""},
		{X86_64, "restart_syscall", ""},
	} {
		e, ok := Exempt(c.arch, c.name)
		if c.since == "" {
			if ok {
				t.Errorf("Exempt(%s, %s) = %+v, want not exempt", c.arch, c.name, e)
			}
			continue
		}
		if !ok || e.Since != c.since || e.Arch != c.arch || e.Name != c.name || e.Why == "" {
			t.Errorf("Exempt(%s, %s) = %+v, %v; want since %s with a reason", c.arch, c.name, e, ok, c.since)
		}
	}
}

func TestExemptionsNameRealSyscalls(t *testing.T) {
	for _, e := range Exemptions() {
		if _, ok := Number(e.Arch, e.Name); !ok {
			t.Errorf("exemption %s on %s: no such syscall there", e.Name, e.Arch)
		}
	}
}
