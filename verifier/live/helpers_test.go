//go:build linux && amd64 && cgo

package live

import (
	"encoding/binary"
	"os"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Seccomp return values, for hand-assembled programs.
const (
	retKillProcess = 0x80000000
	retKillThread  = 0x00000000
	retTrap        = 0x00030000
	retTrace       = 0x7ff00000
	retUserNotif   = 0x7fc00000
	retLog         = 0x7ffc0000
	retAllow       = 0x7fff0000
)

type rule struct {
	name string
	act  seccomp.ScmpAction
}

// compile builds a filter with libseccomp for the given extra arches (x86_64, the
// native one, is always in) and exports its BPF, as the verifier's engine does.
func compile(t testing.TB, def seccomp.ScmpAction, arches []seccomp.ScmpArch, rules ...rule) []bpf.RawInstruction {
	t.Helper()
	f, err := seccomp.NewFilter(def)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	for _, a := range arches {
		if err := f.AddArch(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rules {
		nr, err := seccomp.GetSyscallFromName(r.name)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		if err := f.AddRule(nr, r.act); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
	}
	return export(t, f)
}

// export writes the filter's BPF into a memfd (ExportBPFMem needs libseccomp 2.6)
// and reads it back as raw instructions.
func export(t testing.TB, f *seccomp.ScmpFilter) []bpf.RawInstruction {
	t.Helper()
	fd, err := unix.MemfdCreate("bpf", unix.MFD_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	file := os.NewFile(uintptr(fd), "bpf")
	defer file.Close()
	if err := f.ExportBPF(file); err != nil {
		t.Fatal(err)
	}
	st, err := file.Stat()
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, st.Size())
	if _, err := file.ReadAt(data, 0); err != nil {
		t.Fatal(err)
	}
	if len(data)%8 != 0 {
		t.Fatalf("exported BPF is %d bytes, not a whole number of instructions", len(data))
	}
	prog := make([]bpf.RawInstruction, len(data)/8)
	for i := range prog {
		b := data[8*i:]
		prog[i] = bpf.RawInstruction{Op: binary.LittleEndian.Uint16(b), Jt: b[2], Jf: b[3], K: binary.LittleEndian.Uint32(b[4:])}
	}
	return prog
}

// assemble builds a small program by hand: for x86_64 calls, ret[nr] when listed,
// otherwise def; other arches get def too.
func assemble(t testing.TB, def uint32, ret map[int]uint32) []bpf.RawInstruction {
	t.Helper()
	var ins []bpf.Instruction
	ins = append(ins, bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: auditArchX86, SkipTrue: uint8(2*len(ret) + 1)},
		bpf.LoadAbsolute{Off: 0, Size: 4})
	for nr, r := range ret {
		ins = append(ins, bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(nr), SkipFalse: 1}, bpf.RetConstant{Val: r})
	}
	ins = append(ins, bpf.RetConstant{Val: def})
	prog, err := bpf.Assemble(ins)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// vec is the zero-argument call of name on arch, numbered by libseccomp.
func vec(t testing.TB, arch syscalls.Arch, name string, args ...uint64) simulate.Vector {
	t.Helper()
	a := map[syscalls.Arch]seccomp.ScmpArch{syscalls.X86_64: seccomp.ArchAMD64, syscalls.X86: seccomp.ArchX86, syscalls.X32: seccomp.ArchX32,
		syscalls.AArch64: seccomp.ArchARM64, syscalls.ARM: seccomp.ArchARM}[arch]
	nr, err := seccomp.GetSyscallFromNameByArch(name, a)
	if err != nil {
		t.Fatalf("%s on %s: %v", name, arch, err)
	}
	v := simulate.Vector{Arch: arch, Name: name, Nr: int(nr)}
	copy(v.Args[:], args)
	return v
}

func rawJump(k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: unix.BPF_JMP | unix.BPF_JA, K: k}
}
func rawRet(k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: unix.BPF_RET | unix.BPF_K, K: k}
}

func nrVec(arch syscalls.Arch, name string, nr int) simulate.Vector {
	return simulate.Vector{Arch: arch, Name: name, Nr: nr}
}

func probe(t testing.TB, prog []bpf.RawInstruction, vs ...simulate.Vector) []Result {
	t.Helper()
	res, err := Probe(prog, vs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(vs) {
		t.Fatalf("%d results for %d vectors", len(res), len(vs))
	}
	return res
}

type want struct {
	kind string
	data uint16
}

func check(t *testing.T, res []Result, wants ...want) {
	t.Helper()
	for i, w := range wants {
		o := res[i].Observed
		if o.Kind != w.kind || o.Data != w.data {
			t.Errorf("%s: got %s (%s), want %s %d", res[i].Vector, o, o.Detail, w.kind, w.data)
		}
	}
}
