package simulate

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		ret  uint32
		want Outcome
	}{
		{0x80000000, Outcome{Action: ActKillProcess}},
		{0x00000000, Outcome{Action: ActKillThread}},
		{0x00030007, Outcome{Action: ActTrap, Data: 7}},
		{0x00050001, Outcome{Action: ActErrno, Data: 1}},
		{0x00050026, Outcome{Action: ActErrno, Data: 38}},
		{0x7fc00000, Outcome{Action: ActNotify}},
		{0x7ff00001, Outcome{Action: ActTrace, Data: 1}},
		{0x7ffc0000, Outcome{Action: ActLog}},
		{0x7fff0000, Outcome{Action: ActAllow}},
		{0x12340000, Outcome{Action: "SECCOMP_RET_UNKNOWN(0x12340000)"}},
	}
	for _, tt := range tests {
		if got := Decode(tt.ret); got != tt.want {
			t.Errorf("Decode(%#x) = %+v, want %+v", tt.ret, got, tt.want)
		}
	}
}

func assemble(t *testing.T, ins ...bpf.Instruction) []bpf.RawInstruction {
	t.Helper()
	raw, err := bpf.Assemble(ins)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestRunSeesSeccompDataAsTheKernelLaysItOut: each 32-bit field the program loads
// must read as the kernel's little-endian struct seccomp_data would.
func TestRunSeesSeccompDataAsTheKernelLaysItOut(t *testing.T) {
	const (
		errnoNr   = 0x00050000 | 1
		errnoArch = 0x00050000 | 2
		errnoLo   = 0x00050000 | 3
		errnoHi   = 0x00050000 | 4
		allow     = 0x7fff0000
	)
	// nr == 0x40000029 (x32 socket), arch == AUDIT_ARCH_X86_64, args[2] low word
	// 0x28 and high word 1: only then ALLOW; each failed check has its own errno.
	prog := assemble(t,
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x40000029, SkipFalse: 7},
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0xc000003e, SkipFalse: 6},
		bpf.LoadAbsolute{Off: 16 + 8*2, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x28, SkipFalse: 5},
		bpf.LoadAbsolute{Off: 16 + 8*2 + 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 1, SkipFalse: 4},
		bpf.RetConstant{Val: allow},
		bpf.RetConstant{Val: errnoNr},
		bpf.RetConstant{Val: errnoArch},
		bpf.RetConstant{Val: errnoLo},
		bpf.RetConstant{Val: errnoHi},
	)
	v := Vector{Arch: syscalls.X32, Name: "socket", Nr: 0x40000029, Args: [6]uint64{0, 0, 0x100000028}}
	m, err := NewMachine(prog)
	if err != nil {
		t.Fatal(err)
	}
	check := func(v Vector, want Outcome) {
		t.Helper()
		got, err := m.Run(v)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: got %s, want %s", v, got, want)
		}
	}
	check(v, Outcome{Action: ActAllow})
	w := v
	w.Nr = 41
	check(w, Outcome{Action: ActErrno, Data: 1})
	w = v
	w.Arch = syscalls.X86
	check(w, Outcome{Action: ActErrno, Data: 2})
	w = v
	w.Args[2] = 0x100000029
	check(w, Outcome{Action: ActErrno, Data: 3})
	w = v
	w.Args[2] = 0x28
	check(w, Outcome{Action: ActErrno, Data: 4})
}

func TestRunRefusesBadPrograms(t *testing.T) {
	if _, err := Run([]bpf.RawInstruction{{Op: 0x06 /* ret k */, K: 0}, {Op: 0xffff}}, Vector{Arch: syscalls.X86_64}); err == nil {
		t.Error("a program with an unknown instruction ran")
	}
	prog := assemble(t, bpf.RetConstant{Val: 0x7fff0000})
	if _, err := Run(prog, Vector{Arch: "SCMP_ARCH_S390X"}); err == nil {
		t.Error("a vector of an arch without AUDIT_ARCH value ran")
	}
}
