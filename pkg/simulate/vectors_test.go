package simulate

import (
	"slices"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

func byArch(vs []Vector) map[syscalls.Arch][]Vector {
	out := map[syscalls.Arch][]Vector{}
	for _, v := range vs {
		out[v.Arch] = append(out[v.Arch], v)
	}
	return out
}

func TestVectorsCoverEverySyscallOfCoveredArches(t *testing.T) {
	vs := Vectors(testdataPolicy(t, "deny-chmod.json"), nil)
	got := byArch(vs)
	for _, arch := range []syscalls.Arch{syscalls.X86_64, syscalls.X86, syscalls.X32} {
		nrs := map[int]bool{}
		for _, v := range got[arch] {
			nrs[v.Nr] = true
			if v.Args != [6]uint64{} {
				t.Errorf("%s: a profile without conditions needs no argument vectors", v)
			}
		}
		for _, name := range syscalls.Names(arch) {
			nr, _ := syscalls.Number(arch, name)
			if !nrs[nr] {
				t.Errorf("%s: no vector for %s (%d)", arch, name, nr)
			}
		}
		if len(got[arch]) != len(nrs) {
			t.Errorf("%s: %d vectors for %d numbers: duplicates", arch, len(got[arch]), len(nrs))
		}
	}
	// Names newer than libseccomp 2.5.4 are still judged.
	if !slices.ContainsFunc(got[syscalls.X86_64], func(v Vector) bool { return v.Name == "fchmodat2" }) {
		t.Error("no vector for fchmodat2")
	}
	// Not listed: one vector each, to show the bad-arch action. chmod does not
	// exist on aarch64, so another call stands in.
	for _, arch := range []syscalls.Arch{syscalls.AArch64, syscalls.ARM} {
		if len(got[arch]) != 1 {
			t.Errorf("%s is not covered: want 1 vector, got %d", arch, len(got[arch]))
		}
	}
	if v := got[syscalls.ARM][0]; v.Name != "chmod" {
		t.Errorf("arm's bad-arch vector is %s, want the profile's own chmod", v)
	}
}

func argValues(vs []Vector, arch syscalls.Arch, name string, i int) []uint64 {
	var out []uint64
	for _, v := range vs {
		if v.Arch == arch && v.Name == name {
			out = append(out, v.Args[i])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestVectorsProbeRuleBoundaries(t *testing.T) {
	vs := Vectors(testdataPolicy(t, "socket-family-truncation.json"), []syscalls.Arch{syscalls.X86_64})
	got := argValues(vs, syscalls.X86_64, "socket", 0)
	want := []uint64{0, 39, 40, 41, 0xffffffff, 0x100000028, ^uint64(0)}
	if !slices.Equal(got, want) {
		t.Errorf("socket a0 values = %#x, want %#x", got, want)
	}
}

func TestVectorsOnNarrowArchesStayIn32Bits(t *testing.T) {
	p := policyOf(t, `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[{"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":40,"op":"SCMP_CMP_EQ"}]}]}`)
	vs := Vectors(p, nil)
	if got, want := argValues(vs, syscalls.X86, "socket", 0), []uint64{0, 39, 40, 41, 0xffffffff}; !slices.Equal(got, want) {
		t.Errorf("x86 socket a0 values = %#x, want %#x: i386 registers hold 32 bits", got, want)
	}
	// x32 passes 64-bit registers: the high bits are reachable there.
	if got := argValues(vs, syscalls.X32, "socket", 0); !slices.Contains(got, 0x100000028) {
		t.Errorf("x32 socket a0 values = %#x, want 0x100000028 among them", got)
	}
	// The x86 multiplexer: socketcall(SYS_SOCKET, ...).
	if got := argValues(vs, syscalls.X86, "socketcall", 0); !slices.Contains(got, 1) {
		t.Errorf("no socketcall(1) vector on x86: %v", got)
	}
}

func TestVectorsHoldOtherConditionsSatisfied(t *testing.T) {
	// ioctl(3, 0x5401): varying one argument must keep the other matching.
	p := policyOf(t, `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ioctl"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":3,"op":"SCMP_CMP_EQ"},{"index":1,"value":21505,"op":"SCMP_CMP_EQ"}]}]}`)
	vs := Vectors(p, []syscalls.Arch{syscalls.X86_64})
	for _, v := range vs {
		if v.Name != "ioctl" || v.Args == [6]uint64{} {
			continue
		}
		if v.Args[0] != 3 && v.Args[1] != 21505 {
			t.Errorf("%s varies both arguments", v)
		}
	}
	if got := argValues(vs, syscalls.X86_64, "ioctl", 1); !slices.Contains(got, 21504) {
		t.Errorf("ioctl a1 values %v lack 21504 (value-1)", got)
	}
}

func TestVectorsMaskedEqual(t *testing.T) {
	p := policyOf(t, `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["clone"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]}]}`)
	vs := Vectors(p, []syscalls.Arch{syscalls.X86_64})
	got := argValues(vs, syscalls.X86_64, "clone", 0)
	for _, want := range []uint64{0, ^uint64(0x7e020000), 0x20000, 0x40000000, 0x7e020000, 1 << 32} {
		if !slices.Contains(got, want) {
			t.Errorf("clone a0 values %#x lack %#x", got, want)
		}
	}
}

func TestVectorsHaveTruncatedTwins(t *testing.T) {
	vs := Vectors(testdataPolicy(t, "kill-process-default.json"), []syscalls.Arch{syscalls.X86_64})
	got := argValues(vs, syscalls.X86_64, "personality", 0)
	for _, x := range got {
		if x>>32 != 0 && !slices.Contains(got, x&0xffffffff) {
			t.Errorf("personality(%#x) has no twin %#x", x, x&0xffffffff)
		}
	}
}
