package main

import (
	"strings"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// The plugin takes syscall numbers from pkg/syscalls (pure Go, generated from
// golang.org/x/sys); nodes compile profiles with libseccomp. These tests hold the
// two to the same numbers, so "what the profile intends" and "what the node
// built" are compared in one numbering.

func scmpArch(t *testing.T, arch syscalls.Arch) seccomp.ScmpArch {
	t.Helper()
	sa, err := seccomp.GetArchFromString(strings.TrimPrefix(string(arch), "SCMP_ARCH_"))
	if err != nil {
		t.Fatalf("libseccomp has no arch for %s: %v", arch, err)
	}
	return sa
}

// libseccompLacks are names of ours that libseccomp 2.5.4 knows, but for which its
// tables have no number on one arch (it answers with a negative pseudo-syscall).
// The kernel has them there, so ours are right; a profile naming them gets no
// rule on that arch from libseccomp.
var libseccompLacks = map[syscalls.Arch]map[string]string{
	syscalls.X32: {"map_shadow_stack": "syscall_64.tbl has 453 as common, so x32 has it; libseccomp's x32 column does not"},
	syscalls.ARM: {"sync_file_range2": "arm's uapi unistd.h defines it as __NR_arm_sync_file_range (341); libseccomp 2.5.4 has it on other arches only"},
}

// TestSyscallNumbersMatchLibseccomp: every name of ours resolves in libseccomp to
// our number. Names this libseccomp does not know (newer than its tables) are
// logged, not failed: runc drops them the same way.
func TestSyscallNumbersMatchLibseccomp(t *testing.T) {
	maj, min, mic := seccomp.GetLibraryVersion()
	t.Logf("libseccomp %d.%d.%d", maj, min, mic)
	for _, arch := range syscalls.Arches() {
		t.Run(string(arch), func(t *testing.T) {
			sa := scmpArch(t, arch)
			var unknown, multiplexed, lacks []string
			for _, name := range syscalls.Names(arch) {
				want, _ := syscalls.Number(arch, name)
				got, err := seccomp.GetSyscallFromNameByArch(name, sa)
				switch {
				case err != nil:
					unknown = append(unknown, name)
				case got < 0:
					// A pseudo-syscall number. On x86 libseccomp gives one for the
					// socket and IPC calls because it rewrites their rules into
					// socketcall/ipc as well as the direct call; it still names
					// the direct call's number, which must be ours.
					back, err := seccomp.ScmpSyscall(want).GetNameByArch(sa)
					switch {
					case err == nil && back == name:
						multiplexed = append(multiplexed, name)
					case libseccompLacks[arch][name] != "":
						lacks = append(lacks, name+" ("+libseccompLacks[arch][name]+")")
					case err == nil:
						t.Errorf("%s %s: ours %d (%#x), which libseccomp calls %s", arch, name, want, want, back)
					default:
						t.Errorf("%s %s: ours %d (%#x), libseccomp has no number for it on this arch (pseudo %d)", arch, name, want, want, int(got))
					}
				case int(got) != want:
					t.Errorf("%s %s: ours %d (%#x), libseccomp %d (%#x)", arch, name, want, want, int(got), int(got))
				}
			}
			if len(unknown) > 0 {
				t.Logf("%s: %d names unknown to libseccomp %d.%d.%d: %s", arch, len(unknown), maj, min, mic, strings.Join(unknown, " "))
			}
			if len(multiplexed) > 0 {
				t.Logf("%s: %d names libseccomp multiplexes (pseudo number by name, our number by number): %s", arch, len(multiplexed), strings.Join(multiplexed, " "))
			}
			if len(lacks) > 0 {
				t.Logf("%s: names libseccomp %d.%d.%d has no number for here: %s", arch, maj, min, mic, strings.Join(lacks, "; "))
			}
		})
	}
}

// TestLibseccompNumbersAreInOurTables: the other direction. Every number
// libseccomp names on an arch must be in our table under that name (or, where
// libseccomp spells a number differently, under some name), so no syscall a node
// can filter is missing from what the plugin reports.
func TestLibseccompNumbersAreInOurTables(t *testing.T) {
	for _, arch := range syscalls.Arches() {
		t.Run(string(arch), func(t *testing.T) {
			sa := scmpArch(t, arch)
			base := 0
			if arch == syscalls.X32 {
				base = syscalls.X32SyscallBit
			}
			nrs := make([]int, 0, 1100)
			for nr := 0; nr < 1024; nr++ {
				nrs = append(nrs, base|nr)
			}
			if arch == syscalls.ARM {
				for nr := 0x0f0000; nr < 0x0f0010; nr++ { // __ARM_NR_BASE
					nrs = append(nrs, nr)
				}
			}
			checked := 0
			for _, nr := range nrs {
				name, err := seccomp.ScmpSyscall(nr).GetNameByArch(sa)
				if err != nil {
					continue
				}
				checked++
				if ours, ok := syscalls.Number(arch, name); ok {
					if ours != nr {
						t.Errorf("%s %s: libseccomp %d (%#x), ours %d (%#x)", arch, name, nr, nr, ours, ours)
					}
					continue
				}
				if other, ok := syscalls.Name(arch, nr); ok {
					t.Logf("%s %d (%#x): libseccomp calls it %s, we call it %s", arch, nr, nr, name, other)
					continue
				}
				t.Errorf("%s %d (%#x): libseccomp knows %s, our table has no syscall at that number", arch, nr, nr, name)
			}
			if checked == 0 {
				t.Fatalf("%s: libseccomp named no number at all; the check did not run", arch)
			}
			t.Logf("%s: %d numbers libseccomp names checked against ours", arch, checked)
		})
	}
}
