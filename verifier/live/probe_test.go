//go:build linux && amd64 && cgo

package live

import (
	"debug/elf"
	"os"
	"os/signal"
	"strings"
	"testing"
	"time"
	"unsafe"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

func errno(n int16) seccomp.ScmpAction { return seccomp.ActErrno.SetReturnCode(n) }

var allArches = []seccomp.ScmpArch{seccomp.ArchX86, seccomp.ArchX32}

func TestErrnoExact(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, allArches,
		rule{"chmod", errno(1)}, rule{"clone3", errno(38)}, rule{"mkdir", errno(13)}, rule{"fchmodat", errno(0)})
	res := probe(t, prog,
		vec(t, syscalls.X86_64, "chmod"), vec(t, syscalls.X86_64, "clone3"), vec(t, syscalls.X86_64, "mkdir"),
		vec(t, syscalls.X86_64, "fchmodat"), vec(t, syscalls.X86_64, "getpid"))
	check(t, res, want{KindErrno, 1}, want{KindErrno, 38}, want{KindErrno, 13}, want{KindErrno, 0}, want{KindAllowedOrLower, 0})
	if d := res[0].Observed.Detail; !strings.Contains(d, "EPERM (1)") {
		t.Errorf("chmod detail %q does not name EPERM", d)
	}
}

// mkdirPath lives in the binary's data, at the same address in the probe child (a
// re-execution of this non-PIE binary), so the probe's pointer argument is valid.
var mkdirPath = [48]byte{'/', 't', 'm', 'p', '/', 'k', 's', 'c', '-', 'l', 'i', 'v', 'e', '-', 'm', 'u', 's', 't', '-', 'n', 'o', 't', '-', 'e', 'x', 'i', 's', 't'}

func TestAllowedCallsNeverRun(t *testing.T) {
	self, err := elf.Open("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	pie := self.Type != elf.ET_EXEC
	self.Close()
	if pie {
		t.Skip("the test binary is PIE: a pointer from this process means nothing in the child")
	}
	dir := unix.ByteSliceToString(mkdirPath[:])
	os.Remove(dir)
	ptr := uint64(uintptr(unsafe.Pointer(&mkdirPath[0])))

	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, unix.SIGUSR1)
	defer signal.Stop(usr1)

	prog := compile(t, seccomp.ActAllow, allArches)
	res := probe(t, prog,
		vec(t, syscalls.X86_64, "mkdir", ptr, 0o755),
		vec(t, syscalls.X86_64, "kill", uint64(os.Getpid()), uint64(unix.SIGUSR1)),
		vec(t, syscalls.X86_64, "exit_group"),
		vec(t, syscalls.X86_64, "exit"),
		vec(t, syscalls.X86, "exit_group"),
		vec(t, syscalls.X32, "exit_group"),
		vec(t, syscalls.X86_64, "rt_sigreturn"),
		vec(t, syscalls.X86_64, "getpid"))
	for _, r := range res {
		if r.Observed.Kind != KindAllowedOrLower {
			t.Errorf("%s: got %s (%s), want allowed-or-lower", r.Vector, r.Observed, r.Observed.Detail)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		os.Remove(dir)
		t.Fatalf("the probed mkdir(%q) ran: the directory exists", dir)
	}
	select {
	case <-usr1:
		t.Fatal("the probed kill(parent, SIGUSR1) ran")
	case <-time.After(50 * time.Millisecond):
	}
	// Control: the same pointer and mode do create the directory when really issued.
	if _, _, e := unix.Syscall(unix.SYS_MKDIR, uintptr(ptr), 0o755, 0); e != 0 {
		t.Fatalf("control mkdir: %v", e)
	}
	os.Remove(dir)
}

func TestKillProcessThenContinue(t *testing.T) {
	kill := seccomp.ActKillProcess
	prog := compile(t, seccomp.ActAllow, allArches,
		rule{"ptrace", kill}, rule{"reboot", kill}, rule{"kexec_load", kill}, rule{"chmod", errno(1)})
	res := probe(t, prog,
		vec(t, syscalls.X86_64, "getpid"), vec(t, syscalls.X86_64, "ptrace"), vec(t, syscalls.X86_64, "getppid"),
		vec(t, syscalls.X86_64, "reboot"), vec(t, syscalls.X86_64, "kexec_load"), vec(t, syscalls.X86_64, "chmod"),
		vec(t, syscalls.X86, "reboot"), vec(t, syscalls.X86, "chmod"))
	check(t, res, want{KindAllowedOrLower, 0}, want{KindKillProcess, 0}, want{KindAllowedOrLower, 0},
		want{KindKillProcess, 0}, want{KindKillProcess, 0}, want{KindErrno, 1}, want{KindKillProcess, 0}, want{KindErrno, 1})
}

func TestKillThreadThenContinue(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, allArches,
		rule{"ptrace", seccomp.ActKillThread}, rule{"reboot", seccomp.ActKillProcess}, rule{"chmod", errno(1)})
	res := probe(t, prog,
		vec(t, syscalls.X86_64, "ptrace"), vec(t, syscalls.X86_64, "getpid"), vec(t, syscalls.X86, "ptrace"),
		vec(t, syscalls.X86_64, "reboot"), vec(t, syscalls.X32, "ptrace"), vec(t, syscalls.X86_64, "chmod"))
	check(t, res, want{KindKillThread, 0}, want{KindAllowedOrLower, 0}, want{KindKillThread, 0},
		want{KindKillProcess, 0}, want{KindKillThread, 0}, want{KindErrno, 1})
}

func TestTrapData(t *testing.T) {
	prog := assemble(t, retAllow, map[int]uint32{unix.SYS_GETUID: retTrap | 42, unix.SYS_GETGID: retTrap})
	res := probe(t, prog, vec(t, syscalls.X86_64, "getuid"), vec(t, syscalls.X86_64, "getgid"), vec(t, syscalls.X86_64, "getpid"))
	check(t, res, want{KindTrap, 42}, want{KindTrap, 0}, want{KindAllowedOrLower, 0})
	if d := res[0].Observed.Detail; !strings.Contains(d, "si_syscall 102") || strings.Contains(d, "issued") {
		t.Errorf("trap detail %q: want si_syscall 102 and the right arch", d)
	}
	// libseccomp's TRAP (no data), on all three entry points.
	prog = compile(t, seccomp.ActAllow, allArches, rule{"chmod", seccomp.ActTrap})
	res = probe(t, prog, vec(t, syscalls.X86_64, "chmod"), vec(t, syscalls.X86, "chmod"), vec(t, syscalls.X32, "chmod"))
	check(t, res, want{KindTrap, 0}, want{KindTrap, 0}, want{KindTrap, 0})
}

// LOG, TRACE and NOTIFY rank below ERRNO: live they look allowed, and the note says
// the simulation is the proof.
func TestBelowErrnoActions(t *testing.T) {
	prog := assemble(t, retAllow, map[int]uint32{
		unix.SYS_GETUID: retLog, unix.SYS_GETGID: retTrace | 7, unix.SYS_GETEUID: retUserNotif, unix.SYS_GETEGID: retAllow})
	res := probe(t, prog, vec(t, syscalls.X86_64, "getuid"), vec(t, syscalls.X86_64, "getgid"),
		vec(t, syscalls.X86_64, "geteuid"), vec(t, syscalls.X86_64, "getegid"))
	sims := []simulate.Outcome{{Action: simulate.ActLog}, {Action: simulate.ActTrace, Data: 7}, {Action: simulate.ActNotify}, {Action: simulate.ActAllow}}
	for i, r := range res {
		agree, note := Compare(sims[i], r.Observed)
		if !agree || r.Observed.Kind != KindAllowedOrLower {
			t.Errorf("%s: %s, agree=%v: %s", r.Vector, r.Observed, agree, note)
		}
		if simOnly := strings.Contains(note, "proven by simulation only"); simOnly != (sims[i].Action != simulate.ActAllow) {
			t.Errorf("%s under %s: note %q", r.Vector, sims[i].Action, note)
		}
	}
}

func TestCompatEntryPoints(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, allArches, rule{"chmod", errno(1)})
	res := probe(t, prog,
		nrVec(syscalls.X86, "chmod", 15), nrVec(syscalls.X32, "chmod", 90|x32Bit), nrVec(syscalls.X32, "chmod", 90),
		vec(t, syscalls.X86, "fchmodat"), vec(t, syscalls.X32, "fchmodat"), nrVec(syscalls.X86_64, "chmod", 90))
	check(t, res, want{KindErrno, 1}, want{KindErrno, 1}, want{KindErrno, 1},
		want{KindAllowedOrLower, 0}, want{KindAllowedOrLower, 0}, want{KindErrno, 1})
}

// Arches missing from the filter get libseccomp's bad-arch action, KILL_THREAD, not
// the default action.
func TestMissingArchIsKillThread(t *testing.T) {
	prog := compile(t, errno(1), nil, rule{"getpid", seccomp.ActAllow})
	res := probe(t, prog, vec(t, syscalls.X86, "getpid"), vec(t, syscalls.X86, "chmod"),
		vec(t, syscalls.X86_64, "getpid"), vec(t, syscalls.X86_64, "chmod"), vec(t, syscalls.X32, "getpid"))
	check(t, res, want{KindKillThread, 0}, want{KindKillThread, 0}, want{KindAllowedOrLower, 0}, want{KindErrno, 1}, want{KindKillThread, 0})
	agree, note := Compare(simulate.Outcome{Action: simulate.ActKillThread}, res[0].Observed)
	if !agree {
		t.Errorf("bad-arch kill-thread disagrees: %s", note)
	}
}

func TestOtherArchesNotProbed(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, nil)
	res := probe(t, prog, nrVec(syscalls.AArch64, "fchmodat", 53), nrVec(syscalls.ARM, "chmod", 15), nrVec(syscalls.X86_64, "bogus", -1))
	for i, r := range res {
		if r.Observed.Kind != KindNotProbed {
			t.Errorf("%s: %s", r.Vector, r.Observed)
		}
		if i == 0 && r.Observed.Detail != "simulated only: this machine cannot issue aarch64 syscalls" {
			t.Errorf("aarch64 detail: %q", r.Observed.Detail)
		}
	}
}

// The profile's own errno may be the shadow filter's usual 4000: the shadow moves.
func TestShadowErrnoAvoidsProfileErrnos(t *testing.T) {
	prog := compile(t, seccomp.ActAllow, nil, rule{"chmod", errno(4000)}, rule{"mkdir", errno(4001)})
	if e, _ := shadowErrno(programErrnos(prog)); e != 4002 {
		t.Fatalf("shadow errno %d, want 4002", e)
	}
	res := probe(t, prog, vec(t, syscalls.X86_64, "chmod"), vec(t, syscalls.X86_64, "mkdir"), vec(t, syscalls.X86_64, "getpid"))
	check(t, res, want{KindErrno, 4000}, want{KindErrno, 4001}, want{KindAllowedOrLower, 0})
}

// Kernels 6.11+ exempt uretprobe (and 6.18 uprobe) from seccomp on x86_64: no filter
// can deny them. The probe learns it by issuing each once without the profile.
func TestKernelExemptions(t *testing.T) {
	prog := assemble(t, retAllow, map[int]uint32{335: retErrnoK(1), 336: retErrnoK(1), 39: retErrnoK(1)})
	res := probe(t, prog, nrVec(syscalls.X86_64, "uretprobe", 335), nrVec(syscalls.X86_64, "uprobe", 336),
		nrVec(syscalls.X86_64, "getpid", 39), nrVec(syscalls.X32, "uretprobe", 335|x32Bit), nrVec(syscalls.X86_64, "uretprobe", 335))
	var uname unix.Utsname
	unix.Uname(&uname)
	t.Logf("kernel %s", unix.ByteSliceToString(uname.Release[:]))
	for _, r := range res {
		t.Logf("%s: %s exemption=%q: %s", r.Vector, r.Observed, r.Observed.Exemption, r.Observed.Detail)
	}
	if res[0].Observed.Exemption == "" {
		t.Skip("this kernel does not exempt uretprobe")
	}
	check(t, res, want{KindAllowedOrLower, 0}, want{KindAllowedOrLower, 0}, want{KindErrno, 1}, want{KindAllowedOrLower, 0}, want{KindAllowedOrLower, 0})
	if res[3].Observed.Exemption != "" {
		t.Error("x32 uretprobe is filtered: only the native arch is exempt")
	}
	agree, note := Compare(simulate.Outcome{Action: simulate.ActErrno, Data: 1}, res[0].Observed)
	if agree || !strings.Contains(note, "exempts uretprobe") {
		t.Errorf("Compare on an exempt call: agree=%v %q", agree, note)
	}
}

func retErrnoK(e uint32) uint32 { return retErrno | e }

// A profile that traps, kills or denies everything, including the probe thread's own
// last futex and exit calls, must still give a result for every vector.
func TestHostileDefaults(t *testing.T) {
	vs := []simulate.Vector{vec(t, syscalls.X86_64, "getpid"), vec(t, syscalls.X86_64, "chmod"), vec(t, syscalls.X86, "chmod")}
	for _, c := range []struct {
		name string
		def  uint32
		want want
	}{
		{"trap", retTrap | 9, want{KindTrap, 9}},
		{"errno", retErrnoK(13), want{KindErrno, 13}},
		{"notify", retUserNotif, want{KindAllowedOrLower, 0}},
		{"kill-thread", retKillThread, want{KindKillThread, 0}},
		{"kill-process", retKillProcess, want{KindKillProcess, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			res := probe(t, assemble(t, c.def, nil), vs...)
			check(t, res, c.want, c.want, c.want)
			t.Logf("%d vectors in %v", len(vs), time.Since(start))
		})
	}
}

func TestRefusedProgram(t *testing.T) {
	// A jump out of the program: the kernel refuses it.
	_, err := Probe([]bpf.RawInstruction{rawJump(5), rawRet(retAllow)}, []simulate.Vector{vec(t, syscalls.X86_64, "getpid")})
	if err == nil || !strings.Contains(err.Error(), "refused the profile") {
		t.Fatalf("got %v, want the kernel's refusal", err)
	}
	t.Log(err)
	if _, err := Probe(nil, nil); err == nil {
		t.Fatal("an empty program was accepted")
	}
}

// If the shadow filter missed a stub, its calls would run: the self-check catches it
// with a harmless getpid and refuses to probe through that stub.
func TestSelfCheckCatchesMissedStub(t *testing.T) {
	defer func() { testBreak = 0 }()
	prog := compile(t, seccomp.ActAllow, allArches, rule{"chmod", errno(1)})
	vs := []simulate.Vector{vec(t, syscalls.X86_64, "chmod"), vec(t, syscalls.X86, "chmod"), vec(t, syscalls.X32, "chmod")}

	testBreak = 1 << abiI386 // i386 only: its vectors are not probed, the rest are
	res := probe(t, prog, vs...)
	check(t, res, want{KindErrno, 1}, want{KindNotProbed, 0}, want{KindErrno, 1})
	if d := res[1].Observed.Detail; !strings.Contains(d, "i386 (int $0x80) entry point does not reach the shadow filter") || !strings.Contains(d, "returned") {
		t.Errorf("i386 detail: %q", d)
	}

	testBreak = 1 << abiX86_64 // x86_64: nothing can be trusted
	if _, err := Probe(prog, vs); err == nil || !strings.Contains(err.Error(), "shadow filter self-check failed") {
		t.Fatalf("got %v, want the self-check to refuse", err)
	} else {
		t.Log(err)
	}
}
