//go:build linux && amd64 && cgo

package live

import (
	"encoding/binary"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

var dockerArches = []struct {
	arch syscalls.Arch
	scmp seccomp.ScmpArch
	base int
}{
	{syscalls.X86_64, seccomp.ArchAMD64, 0},
	{syscalls.X86, seccomp.ArchX86, 0},
	{syscalls.X32, seccomp.ArchX32, x32Bit},
}

// dockerDefault compiles Docker's default profile for an x86_64 host with no extra
// capabilities, roughly as Docker resolves it (includes by arch and caps, unknown
// names dropped), and lists a vector for every syscall libseccomp knows on x86_64,
// x86 and x32, plus one per argument condition value.
func dockerDefault(tb testing.TB) ([]bpf.RawInstruction, []simulate.Vector) {
	tb.Helper()
	data, err := os.ReadFile("../../pkg/profile/testdata/docker-default.json")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := profile.Parse("docker-default.json", data)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := seccomp.NewFilter(errno(1))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Release()
	for _, a := range dockerArches[1:] {
		if err := f.AddArch(a.scmp); err != nil {
			tb.Fatal(err)
		}
	}
	x86 := []string{"amd64", "x86", "x32"}
	var vectors []simulate.Vector
	for _, r := range p.Syscalls {
		if in := r.Includes; in != nil && (len(in.Caps) > 0 || len(in.Arches) > 0 && !slices.ContainsFunc(in.Arches, func(a string) bool { return slices.Contains(x86, a) })) {
			continue
		}
		if ex := r.Excludes; ex != nil && slices.ContainsFunc(ex.Arches, func(a string) bool { return slices.Contains(x86, a) }) {
			continue
		}
		act := seccomp.ActAllow
		if r.Action == "SCMP_ACT_ERRNO" {
			e := int16(1)
			if r.ErrnoRet != nil {
				e = int16(*r.ErrnoRet)
			}
			act = errno(e)
		}
		var conds []seccomp.ScmpCondition
		for _, a := range r.Args {
			op := map[string]seccomp.ScmpCompareOp{"SCMP_CMP_EQ": seccomp.CompareEqual, "SCMP_CMP_LT": seccomp.CompareLess,
				"SCMP_CMP_MASKED_EQ": seccomp.CompareMaskedEqual}[a.Op]
			vals := []uint64{a.Value}
			if op == seccomp.CompareMaskedEqual {
				vals = append(vals, a.ValueTwo)
			}
			c, err := seccomp.MakeCondition(a.Index, op, vals...)
			if err != nil {
				tb.Fatal(err)
			}
			conds = append(conds, c)
		}
		for _, name := range r.Names {
			nr, err := seccomp.GetSyscallFromName(name)
			if err != nil {
				continue // unknown to this libseccomp: dropped, as runc drops it
			}
			if err := f.AddRuleConditional(nr, act, conds); err != nil {
				tb.Fatalf("%s: %v", name, err)
			}
			for _, a := range r.Args {
				for _, da := range dockerArches {
					n, err := seccomp.GetSyscallFromNameByArch(name, da.scmp)
					if err != nil || int(n) < 0 {
						continue
					}
					v := simulate.Vector{Arch: da.arch, Name: name, Nr: int(n) | da.base}
					v.Args[a.Index] = a.Value
					vectors = append(vectors, v)
				}
			}
		}
	}
	for _, da := range dockerArches {
		for nr := 0; nr < 1024; nr++ {
			name, err := seccomp.ScmpSyscall(nr | da.base).GetNameByArch(da.scmp)
			if err != nil {
				continue
			}
			vectors = append(vectors, simulate.Vector{Arch: da.arch, Name: name, Nr: nr | da.base})
		}
	}
	// Newer than libseccomp 2.5.4, so unknown to it, but on this kernel.
	vectors = append(vectors, nrVec(syscalls.X86_64, "uretprobe", 335), nrVec(syscalls.X86_64, "uprobe", 336))
	return export(tb, f), vectors
}

// simulateVM runs the program in golang.org/x/net/bpf's VM, which loads big-endian:
// each 32-bit word of seccomp_data is byte-swapped, which is exact because seccomp
// only makes aligned 32-bit loads.
func simulateVM(tb testing.TB, vm *bpf.VM, v simulate.Vector) simulate.Outcome {
	var sd [64]byte
	arch := uint32(auditArchX86)
	if v.Arch == syscalls.X86 {
		arch = auditArchI386
	}
	words := []uint32{uint32(v.Nr), arch, 0, 0}
	for _, a := range v.Args {
		words = append(words, uint32(a), uint32(a>>32))
	}
	for i, w := range words {
		binary.BigEndian.PutUint32(sd[4*i:], w)
	}
	ret, err := vm.Run(sd[:])
	if err != nil {
		tb.Fatal(err)
	}
	r := uint32(ret)
	data := uint16(r)
	switch r & retActionFull {
	case retKillProcess:
		return simulate.Outcome{Action: simulate.ActKillProcess}
	case retKillThread:
		return simulate.Outcome{Action: simulate.ActKillThread}
	case retTrap:
		return simulate.Outcome{Action: simulate.ActTrap, Data: data}
	case retErrno:
		return simulate.Outcome{Action: simulate.ActErrno, Data: data}
	case retUserNotif:
		return simulate.Outcome{Action: simulate.ActNotify}
	case retTrace:
		return simulate.Outcome{Action: simulate.ActTrace, Data: data}
	case retLog:
		return simulate.Outcome{Action: simulate.ActLog}
	case retAllow:
		return simulate.Outcome{Action: simulate.ActAllow}
	}
	tb.Fatalf("%s: unknown return %#x", v, r)
	return simulate.Outcome{}
}

func newVM(tb testing.TB, prog []bpf.RawInstruction) *bpf.VM {
	ins, ok := bpf.Disassemble(prog)
	if !ok {
		tb.Fatal("cannot disassemble the program")
	}
	vm, err := bpf.NewVM(ins)
	if err != nil {
		tb.Fatal(err)
	}
	return vm
}

// The live result of every vector of Docker's default profile agrees with the
// simulation, except the calls the kernel exempts from seccomp.
func TestDockerDefaultAgreesWithSimulation(t *testing.T) {
	prog, vectors := dockerDefault(t)
	vm := newVM(t, prog)
	start := time.Now()
	res := probe(t, prog, vectors...)
	took := time.Since(start)
	agree, kinds := 0, map[string]int{}
	for _, r := range res {
		kinds[r.Observed.Kind]++
		ok, note := Compare(simulateVM(t, vm, r.Vector), r.Observed)
		switch {
		case ok:
			agree++
		case r.Observed.Exemption != "":
			t.Logf("explained: %s: %s", r.Vector, note)
		default:
			t.Errorf("%s: %s", r.Vector, note)
		}
	}
	t.Logf("%d instructions, %d vectors probed in %v: %d agree with the simulation; %v", len(prog), len(vectors), took, agree, kinds)
	want := map[string]simulate.Vector{
		"errno EPERM (1)":   vec(t, syscalls.X86_64, "kexec_load"),
		"errno ENOSYS (38)": vec(t, syscalls.X86_64, "clone3"),
		KindAllowedOrLower:  vec(t, syscalls.X86, "chmod"),
	}
	for w, v := range want {
		for _, r := range res {
			if r.Vector == v && r.Observed.String() != w {
				t.Errorf("%s: %s, want %s", v, r.Observed, w)
			}
		}
	}
	if kinds[KindNotProbed] != 0 {
		t.Errorf("%d vectors not probed", kinds[KindNotProbed])
	}
}

func BenchmarkProbeDockerDefault(b *testing.B) {
	prog, vectors := dockerDefault(b)
	for b.Loop() {
		res, err := Probe(prog, vectors)
		if err != nil {
			b.Fatal(err)
		}
		if res[0].Observed.Kind == "" || strings.HasPrefix(res[len(res)-1].Observed.Detail, "anomaly") {
			b.Fatal("bad result")
		}
	}
	b.ReportMetric(float64(len(vectors)), "vectors/op")
}

// BenchmarkProbeOne is the fixed cost: one probe child (exec of this binary, dynamic
// linking, two filters) for a single vector.
func BenchmarkProbeOne(b *testing.B) {
	prog, _ := dockerDefault(b)
	v := []simulate.Vector{nrVec(syscalls.X86_64, "getpid", 39)}
	for b.Loop() {
		if _, err := Probe(prog, v); err != nil {
			b.Fatal(err)
		}
	}
}
