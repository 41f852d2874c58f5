package syscalls

import (
	"sort"
	"testing"
)

func TestNumbersKnownByHeart(t *testing.T) {
	for _, c := range []struct {
		arch Arch
		name string
		nr   int
	}{
		{X86_64, "read", 0},
		{X86_64, "chmod", 90},
		{X86_64, "fchmodat", 268},
		{X86_64, "fchmodat2", 452},
		{X86_64, "openat", 257},
		{X86_64, "newfstatat", 262},
		{X86_64, "rt_sigaction", 13},
		{X86_64, "_sysctl", 156},
		{X86_64, "uretprobe", 335},
		{X86_64, "uprobe", 336},
		{X86, "chmod", 15},
		{X86, "socketcall", 102},
		{X86, "socket", 359},
		{X86, "_llseek", 140},
		{X86, "_newselect", 142},
		{X86, "fstatat64", 300},
		{X86, "fchmodat2", 452},
		{X32, "read", 0 | X32SyscallBit},
		{X32, "chmod", 90 | X32SyscallBit},
		{X32, "fchmodat", 268 | X32SyscallBit},
		{X32, "rt_sigaction", 512 | X32SyscallBit},
		{X32, "execve", 520 | X32SyscallBit},
		{X32, "pwritev2", 547 | X32SyscallBit},
		{X32, "fchmodat2", 452 | X32SyscallBit},
		{AArch64, "fchmodat", 53},
		{AArch64, "openat", 56},
		{AArch64, "newfstatat", 79},
		{AArch64, "fchmodat2", 452},
		{ARM, "chmod", 15},
		{ARM, "socket", 281},
		{ARM, "arm_sync_file_range", 341},
		{ARM, "sync_file_range2", 341},
		{ARM, "cacheflush", 0x0f0002},
		{ARM, "set_tls", 0x0f0005},
	} {
		got, ok := Number(c.arch, c.name)
		if !ok || got != c.nr {
			t.Errorf("Number(%s, %s) = %d, %v; want %d (%#x)", c.arch, c.name, got, ok, c.nr, c.nr)
		}
	}
}

func TestAbsentSyscalls(t *testing.T) {
	for _, c := range []struct {
		arch Arch
		name string
	}{
		{AArch64, "chmod"}, // arm64 has only the *at calls
		{AArch64, "open"},
		{AArch64, "fork"},
		{X86_64, "socketcall"},
		{X86_64, "fstatat64"},
		{X86, "newfstatat"},
		{X86, "uretprobe"}, // x86_64 only
		{ARM, "uretprobe"},
		{X32, "uselib"}, // "64" ABI in syscall_64.tbl, no x32 replacement
		{X32, "create_module"},
		{X32, "_sysctl"},
		{X32, "epoll_ctl_old"},
		{X86_64, "breakpoint"}, // arm private
		{"SCMP_ARCH_PPC64LE", "read"},
	} {
		if nr, ok := Number(c.arch, c.name); ok {
			t.Errorf("Number(%s, %s) = %d, want absent", c.arch, c.name, nr)
		}
	}
}

func TestX32HasNoNativeNumbersForCompatCalls(t *testing.T) {
	// x32 reaches rt_sigaction at 512, not at x86_64's 13: 13|X32 is no syscall.
	for _, nr := range []int{13, 15, 16, 19, 59, 101, 134, 156, 322} {
		if name, ok := Name(X32, nr|X32SyscallBit); ok {
			t.Errorf("Name(X32, %d|X32SyscallBit) = %s, want no syscall", nr, name)
		}
	}
	// And no x32 number lacks the bit.
	for _, name := range Names(X32) {
		if nr, _ := Number(X32, name); nr&X32SyscallBit == 0 {
			t.Errorf("x32 %s = %d has no X32SyscallBit", name, nr)
		}
	}
}

func TestX32FollowsX86_64(t *testing.T) {
	// Every x86_64 name is on x32 at its own number with the bit, at 512..547,
	// or (the "64"-only calls without an x32 entry) absent.
	gone := map[string]bool{"uselib": true, "_sysctl": true, "create_module": true, "get_kernel_syms": true,
		"query_module": true, "nfsservctl": true, "set_thread_area": true, "get_thread_area": true,
		"epoll_ctl_old": true, "epoll_wait_old": true, "vserver": true}
	compat := 0
	for _, name := range Names(X86_64) {
		nr64, _ := Number(X86_64, name)
		nr32, ok := Number(X32, name)
		switch {
		case gone[name]:
			if ok {
				t.Errorf("x32 has %s at %#x, want absent", name, nr32)
			}
		case !ok:
			t.Errorf("x32 lacks %s", name)
		case nr32 == nr64|X32SyscallBit:
		case nr32 >= 512|X32SyscallBit && nr32 <= 547|X32SyscallBit:
			compat++
		default:
			t.Errorf("x32 %s = %#x, want %#x or in 512..547", name, nr32, nr64|X32SyscallBit)
		}
	}
	if compat != 36 {
		t.Errorf("%d x32 compat entries, want 36 (512..547)", compat)
	}
	if n, m := len(Names(X32)), len(Names(X86_64))-len(gone); n != m {
		t.Errorf("x32 has %d names, want %d", n, m)
	}
}

func TestRoundTrip(t *testing.T) {
	aliases := map[Arch]map[string]string{ARM: {"sync_file_range2": "arm_sync_file_range"}}
	for _, arch := range Arches() {
		for _, name := range Names(arch) {
			nr, ok := Number(arch, name)
			if !ok {
				t.Fatalf("Names(%s) lists %s but Number does not know it", arch, name)
			}
			back, ok := Name(arch, nr)
			want := name
			if primary, isAlias := aliases[arch][name]; isAlias {
				want = primary
			}
			if !ok || back != want {
				t.Errorf("Name(%s, Number(%s) = %d) = %q, %v; want %q", arch, name, nr, back, ok, want)
			}
		}
	}
}

func TestNamesSortedAndComplete(t *testing.T) {
	for _, arch := range Arches() {
		names := Names(arch)
		if len(names) < 300 {
			t.Errorf("Names(%s) has %d names, want a full table", arch, len(names))
		}
		if !sort.StringsAreSorted(names) {
			t.Errorf("Names(%s) is not sorted", arch)
		}
		for i := 1; i < len(names); i++ {
			if names[i] == names[i-1] {
				t.Errorf("Names(%s) lists %s twice", arch, names[i])
			}
		}
		for _, n := range names {
			if n == "" || n == "syscall_mask" || n == "arch_specific_syscall" {
				t.Errorf("Names(%s) holds %q, which is no syscall", arch, n)
			}
			if !Known(n) {
				t.Errorf("Known(%s) = false, but %s has it", n, arch)
			}
		}
		names[0] = "mutated"
		if Names(arch)[0] == "mutated" {
			t.Errorf("Names(%s) shares its slice with the caller", arch)
		}
	}
	if Names("SCMP_ARCH_MIPS") != nil {
		t.Error("Names of an uncovered arch should be nil")
	}
}

func TestKnown(t *testing.T) {
	for name, want := range map[string]bool{
		"chmod": true, "fchmodat2": true, "socketcall": true, "cacheflush": true,
		"uretprobe": true, "_llseek": true, "chmodx": false, "SYS_CHMOD": false, "": false,
	} {
		if got := Known(name); got != want {
			t.Errorf("Known(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestArchesAndAuditArch(t *testing.T) {
	want := []Arch{X86_64, X86, X32, AArch64, ARM}
	got := Arches()
	if len(got) != len(want) {
		t.Fatalf("Arches() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Arches() = %v, want %v", got, want)
		}
	}
	for arch, audit := range map[Arch]uint32{
		X86_64: 0xc000003e, X86: 0x40000003, X32: 0xc000003e, AArch64: 0xc00000b7, ARM: 0x40000028,
		"SCMP_ARCH_RISCV64": 0,
	} {
		if a := AuditArch(arch); a != audit {
			t.Errorf("AuditArch(%s) = %#x, want %#x", arch, a, audit)
		}
	}
	for _, arch := range Arches() {
		if len(Names(arch)) == 0 {
			t.Errorf("Arches() lists %s, but there is no table for it", arch)
		}
	}
}
