//go:build linux && amd64 && cgo

package live

/*
#cgo CFLAGS: -O2 -Wall
#include "live.h"
*/
import "C"

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
)

// Constants this package keeps to itself, so that it depends on no syscall table.
const (
	x32Bit        = 0x40000000
	auditArchX86  = 0xc000003e // AUDIT_ARCH_X86_64
	auditArchI386 = 0x40000003 // AUDIT_ARCH_I386
	sysSeccomp    = 1          // si_code SYS_SECCOMP
	retErrno      = 0x00050000 // SECCOMP_RET_ERRNO
	retActionFull = 0xffff0000
	maxErrno      = 4095 // the kernel caps an ERRNO action's data at MAX_ERRNO
	shadowLow     = 4000 // the shadow filter's errno is the first of 4000..4095 the filter does not use
	// The child needs about 5 µs a vector, 1 ms for each KILL_PROCESS.
	childTimeoutBase      = 10 * time.Second
	childTimeoutPerVector = 10 * time.Millisecond
)

// exemptCandidates are the x86_64 calls that kernels which have them (uretprobe since
// 6.11, uprobe since 6.18) exempt from seccomp on the native arch (kernel/seccomp.c,
// seccomp_uprobe_exception). No filter sees them, so probing one means running it;
// outside the kernel's own trampolines they do nothing: uretprobe raises SIGILL,
// uprobe returns an error (ENXIO on 6.18). Each is issued once, before the profile is
// installed, to learn whether this kernel exempts it, and never again.
var exemptCandidates = map[int]string{335: "uretprobe", 336: "uprobe"}

// Entry points, as the child numbers them.
const (
	abiX86_64 = C.KSC_ABI_X86_64
	abiI386   = C.KSC_ABI_I386
	abiX32    = C.KSC_ABI_X32
)

// testBreak is for tests only: a bit (1 << abi*) makes the shadow filter miss
// that stub, which the child's self-check must catch.
var testBreak uint32

// Probe issues every vector under prog, a seccomp BPF program as libseccomp exports
// it, in a child process that runs before the Go runtime starts (see
// probe_linux_amd64.c), and reports what the kernel did with each. No probed call
// runs: a shadow filter answers for the calls the profile lets through. Vectors of
// arches this machine cannot issue are reported as KindNotProbed.
//
// The child is this very binary (/proc/self/exe) re-executed with KSC_ENV set: the C
// constructor that this package links into every binary importing it takes over
// before the Go runtime starts. Probe may run concurrently; each call has its own
// child and shared memory.
func Probe(prog []bpf.RawInstruction, vectors []simulate.Vector) ([]Result, error) {
	if len(prog) == 0 || len(prog) > simulate.MaxInstructions {
		return nil, fmt.Errorf("live probe: the filter has %d instructions; the kernel takes 1 to %d", len(prog), simulate.MaxInstructions)
	}
	shadow, err := shadowErrno(programErrnos(prog))
	if err != nil {
		return nil, err
	}
	req := newRequest(prog, len(vectors), shadow)
	req.selfcheck = [C.KSC_ABI_COUNT]uint32{abiX86_64: getpidX86_64, abiI386: getpidI386, abiX32: getpidX86_64 | x32Bit}
	return req.probe(vectors, nil)
}

// ProbeRuntime issues every vector under the filter this process already runs under:
// the one the container runtime installed from the profile before the verifier
// started. The child is the same; its shadow filter answers with a notification, which
// ranks below ERRNO, so the runtime filter's own errno, trap or kill still wins and a
// call it lets through comes back without running (see probe_linux_amd64.c, runtime
// mode). expected[i] is what the profile should give vectors[i]; it picks the shadow's
// errno, the harmless self-check call of each entry point (one the filter allows), and
// which exemption candidates may be issued.
func ProbeRuntime(vectors []simulate.Vector, expected []simulate.Outcome) ([]Result, error) {
	if len(expected) != len(vectors) {
		return nil, fmt.Errorf("live probe: %d vectors but %d expected outcomes", len(vectors), len(expected))
	}
	used := map[uint32]bool{}
	for _, o := range expected {
		if o.Action == simulate.ActErrno {
			used[uint32(o.Data)] = true
		}
	}
	shadow, err := shadowErrno(used)
	if err != nil {
		return nil, err
	}
	req := newRequest(nil, len(vectors), shadow)
	req.runtime = true
	req.selfcheck = selfcheckCalls(vectors, expected)
	return req.probe(vectors, expected)
}

// Self-check calls of Probe, which installs the profile only after the self-check.
const (
	getpidX86_64 = 39
	getpidI386   = 20
)

// harmless calls change nothing if they run: a runtime-mode self-check picks one the
// filter under test allows, since that filter is already in force.
var harmless = []string{"getpid", "gettid", "getppid", "getuid", "getgid", "geteuid", "getegid",
	"getuid32", "getgid32", "geteuid32", "getegid32", "getpgrp", "sched_yield"}

func selfcheckCalls(vectors []simulate.Vector, expected []simulate.Outcome) [C.KSC_ABI_COUNT]uint32 {
	var out [C.KSC_ABI_COUNT]uint32
	for i := range out {
		out[i] = C.KSC_NO_SELFCHECK
	}
	for _, name := range harmless {
		for i, v := range vectors {
			abi, nr, skip := entry(v)
			if skip != nil || v.Name != name || v.Why != "" || expected[i].Action != simulate.ActAllow || out[abi] != C.KSC_NO_SELFCHECK {
				continue
			}
			out[abi] = nr
		}
	}
	return out
}

// probe fills in the vectors, runs the child and reads its results. expected is set in
// runtime mode only.
func (req *request) probe(vectors []simulate.Vector, expected []simulate.Outcome) ([]Result, error) {
	results := make([]Result, len(vectors))
	probed := 0
	for i, v := range vectors {
		results[i].Vector = v
		abi, nr, skip := entry(v)
		if skip != nil {
			results[i].Observed = *skip
			continue
		}
		req.vecs[i] = vecEntry{abi: abi, nr: nr, args: v.Args}
		// Runtime mode: an exemption candidate that the filter does not let through
		// would be denied, trapped or killed by it during the self-check, which
		// could then not tell "filtered" from "exempt". Such a vector is probed
		// like any other.
		req.vecs[i].exemptCheck = expected == nil || expected[i].Action == simulate.ActAllow
		probed++
	}
	if probed == 0 {
		return results, nil
	}
	mem, err := req.share()
	if err != nil {
		return nil, err
	}
	defer mem.close()
	if err := mem.run(); err != nil {
		return nil, err
	}
	inherited := ""
	if !req.runtime {
		inherited = inheritedFilters()
	}
	for i := range results {
		if results[i].Observed.Kind != "" {
			continue
		}
		o := mem.observe(i, results[i].Vector)
		if inherited != "" && (o.Kind == KindKillThread || o.Kind == KindKillProcess || o.Kind == KindTrap) {
			o.Detail += "; " + inherited
		}
		results[i].Observed = o
	}
	return results, nil
}

// inheritedFilters notes the filters this process runs under, which the probe child
// inherits as older filters. They cannot change an ERRNO or allowed result (the
// newer shadow filter and profile win among ERRNOs), but a kill or trap may be
// theirs.
func inheritedFilters() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(status), "\n") {
		if n, ok := strings.CutPrefix(line, "Seccomp_filters:"); ok && strings.TrimSpace(n) != "0" {
			return fmt.Sprintf("caution: the verifier itself runs under %s seccomp filter(s), inherited by the probe; a kill or trap may come from them", strings.TrimSpace(n))
		}
	}
	return ""
}

// programErrnos are the errnos a BPF program's ERRNO actions return.
func programErrnos(prog []bpf.RawInstruction) map[uint32]bool {
	used := map[uint32]bool{}
	for _, ins := range prog {
		if ins.Op == unix.BPF_RET|unix.BPF_K && ins.K&retActionFull == retErrno {
			used[min(ins.K&0xffff, maxErrno)] = true
		}
	}
	return used
}

// shadowErrno picks an errno for the shadow filter that the profile never returns,
// so that "allowed" cannot be mistaken for the profile's own ERRNO.
func shadowErrno(used map[uint32]bool) (uint32, error) {
	for e := uint32(shadowLow); e <= maxErrno; e++ {
		if !used[e] {
			return e, nil
		}
	}
	return 0, fmt.Errorf("live probe: the filter returns every errno from %d to %d; no errno is left for the shadow filter", shadowLow, maxErrno)
}

// entry says how a vector enters the kernel here, or why it cannot.
func entry(v simulate.Vector) (abi, nr uint32, skip *Observation) {
	if v.Nr < 0 || v.Nr > 0xffffffff {
		o := notProbed("no syscall number on %s: %d", v.Arch.Short(), v.Nr)
		return 0, 0, &o
	}
	switch v.Arch {
	case "SCMP_ARCH_X86_64":
		return abiX86_64, uint32(v.Nr), nil
	case "SCMP_ARCH_X86":
		return abiI386, uint32(v.Nr), nil
	case "SCMP_ARCH_X32":
		return abiX32, uint32(v.Nr) | x32Bit, nil
	}
	o := notProbed("simulated only: this machine cannot issue %s syscalls", v.Arch.Short())
	return 0, 0, &o
}

type vecEntry struct {
	abi, nr uint32
	args    [6]uint64
	// exemptCheck: an exemption candidate may be issued once in the self-check.
	exemptCheck bool
}

type request struct {
	prog   []bpf.RawInstruction
	vecs   []vecEntry
	shadow uint32
	// runtime: prove the filter this process runs under instead of installing prog.
	runtime   bool
	selfcheck [C.KSC_ABI_COUNT]uint32
}

func newRequest(prog []bpf.RawInstruction, n int, shadow uint32) *request {
	return &request{prog: prog, vecs: make([]vecEntry, n), shadow: shadow}
}

// shared is the memfd the parent and the probe child both map: header, program,
// vectors, results (layout in live.h).
type shared struct {
	file *os.File
	mem  []byte
	hdr  *C.struct_ksc_hdr
	vecs []C.struct_ksc_vec
	res  []C.struct_ksc_res
	// Details shared by many observations, built once.
	allowed string
	errnos  map[uint16]string
}

func (r *request) share() (*shared, error) {
	n := len(r.vecs)
	hdrSize := int(C.sizeof_struct_ksc_hdr)
	progOff := align8(hdrSize)
	vecOff := align8(progOff + 8*len(r.prog))
	resOff := vecOff + n*int(C.sizeof_struct_ksc_vec)
	total := resOff + n*int(C.sizeof_struct_ksc_res)

	fd, err := unix.MemfdCreate("kubectl-seccomp-live-probe", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("live probe: memfd_create: %w", err)
	}
	file := os.NewFile(uintptr(fd), "kubectl-seccomp-live-probe")
	if err := file.Truncate(int64(total)); err != nil {
		file.Close()
		return nil, fmt.Errorf("live probe: sizing the shared memory: %w", err)
	}
	mem, err := unix.Mmap(fd, 0, total, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("live probe: mmap: %w", err)
	}
	s := &shared{file: file, mem: mem, hdr: (*C.struct_ksc_hdr)(unsafe.Pointer(&mem[0]))}
	if n > 0 {
		s.vecs = unsafe.Slice((*C.struct_ksc_vec)(unsafe.Pointer(&mem[vecOff])), n)
		s.res = unsafe.Slice((*C.struct_ksc_res)(unsafe.Pointer(&mem[resOff])), n)
	}
	h := s.hdr
	h.magic = C.KSC_MAGIC
	h.version = C.KSC_VERSION
	h.hdr_size = C.uint32_t(hdrSize)
	h.vec_size = C.sizeof_struct_ksc_vec
	h.res_size = C.sizeof_struct_ksc_res
	h.prog_len = C.uint32_t(len(r.prog))
	h.nvec = C.uint32_t(n)
	h.shadow_errno = C.uint32_t(r.shadow)
	h.test_break = C.uint32_t(testBreak)
	if r.runtime {
		h.runtime_mode = 1
	}
	for abi, nr := range r.selfcheck {
		h.selfcheck_nr[abi] = C.uint32_t(nr)
	}
	h.prog_off = C.uint64_t(progOff)
	h.vec_off = C.uint64_t(vecOff)
	h.res_off = C.uint64_t(resOff)
	h.total_size = C.uint64_t(total)
	for i, ins := range r.prog {
		b := mem[progOff+8*i:]
		binary.LittleEndian.PutUint16(b[0:], ins.Op)
		b[2], b[3] = ins.Jt, ins.Jf
		binary.LittleEndian.PutUint32(b[4:], ins.K)
	}
	exempt := map[uint32]bool{}
	for i, v := range r.vecs {
		s.vecs[i].abi = C.uint32_t(v.abi)
		s.vecs[i].nr = C.uint32_t(v.nr)
		for j, a := range v.args {
			s.vecs[i].args[j] = C.uint64_t(a)
		}
		if v.abi != C.KSC_ABI_NONE {
			h.need_abi |= 1 << v.abi
		}
		if _, ok := exemptCandidates[int(v.nr)]; ok && v.abi == C.KSC_ABI_X86_64 && v.exemptCheck && !exempt[v.nr] {
			exempt[v.nr] = true
			h.exempt_nr[h.exempt_count] = C.uint32_t(v.nr)
			h.exempt_count++
		}
	}
	return s, nil
}

func (s *shared) close() {
	unix.Munmap(s.mem)
	s.file.Close()
}

// run starts the probe child and waits for it: the child itself starts a new probe
// thread after each KILL_THREAD and a new probe process after each KILL_PROCESS.
func (s *shared) run() error {
	h := s.hdr
	ws, out, err := s.child()
	if err != nil {
		return err
	}
	switch {
	case h.fatal != 0:
		return fmt.Errorf("live probe: %s", C.GoString(&h.errmsg[0]))
	case h.done != 0 && ws.Exited() && ws.ExitStatus() == 0:
		return nil
	}
	return fmt.Errorf("live probe: the child ended (%s) in phase %d at vector %d without finishing: %s", describe(ws), h.phase, h.progress, tail(out))
}

// child runs one probe child over the shared memory and waits for it.
func (s *shared) child() (syscall.WaitStatus, string, error) {
	exe, err := os.Executable()
	if err != nil {
		exe = "/proc/self/exe"
	}
	// /proc/self/exe is this very binary even if the file was replaced or deleted.
	cmd := exec.Command("/proc/self/exe")
	cmd.Args = []string{exe}
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=3", C.KSC_ENV))
	cmd.ExtraFiles = []*os.File{s.file}
	// No /dev/null in a bare image: explicit streams.
	var out bytes.Buffer
	cmd.Stdin = bytes.NewReader(nil)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return 0, "", fmt.Errorf("live probe: starting the probe child: %w", err)
	}
	timeout := childTimeoutBase + time.Duration(s.hdr.nvec)*childTimeoutPerVector
	timer := time.AfterFunc(timeout, func() { cmd.Process.Kill() })
	err = cmd.Wait()
	timed := !timer.Stop()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return 0, "", fmt.Errorf("live probe: waiting for the probe child: %w", err)
	}
	if timed {
		return 0, "", fmt.Errorf("live probe: the child did not finish within %s (phase %d, vector %d)", timeout, s.hdr.phase, s.hdr.progress)
	}
	return cmd.ProcessState.Sys().(syscall.WaitStatus), out.String(), nil
}

func describe(ws syscall.WaitStatus) string {
	if ws.Signaled() {
		return "killed by " + unix.SignalName(ws.Signal())
	}
	return fmt.Sprintf("exit status %d", ws.ExitStatus())
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "no output"
	}
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	return s
}

func align8(n int) int { return (n + 7) &^ 7 }

// observe turns the child's record of vector i into an Observation.
func (s *shared) observe(i int, v simulate.Vector) Observation {
	h := s.hdr
	r := &s.res[i]
	abi := uint32(s.vecs[i].abi)
	shadow := int64(h.shadow_errno)
	switch r.state {
	case C.KSC_R_RETURN:
		ret := int64(r.ret)
		switch {
		case ret == -shadow:
			if s.allowed == "" && h.runtime_mode != 0 {
				s.allowed = fmt.Sprintf("not denied: the shadow filter's notification was answered (errno %d), so the runtime's filter allows the call or logs, traces or notifies it "+
					"(those rank below the notification); the call did not run", shadow)
			} else if s.allowed == "" {
				s.allowed = fmt.Sprintf("not denied: the shadow filter's errno %d came back, so the filter allows the call or logs, traces or notifies it "+
					"(those rank below ERRNO); the call did not run", shadow)
			}
			return Observation{Kind: KindAllowedOrLower, Detail: s.allowed + truncated(abi, v)}
		case ret <= 0 && ret >= -maxErrno:
			e := uint16(-ret)
			if s.errnos == nil {
				s.errnos = map[uint16]string{}
			}
			d, ok := s.errnos[e]
			if !ok {
				d = fmt.Sprintf("returned %s without running", errnoName(e))
				s.errnos[e] = d
			}
			return Observation{Kind: KindErrno, Data: e, Detail: d + truncated(abi, v)}
		}
		return notProbed("anomaly: the call returned %d, which neither filter produces: it was not intercepted and may have run", ret)
	case C.KSC_R_SIGNAL:
		sig := syscall.Signal(r.sig)
		if sig != unix.SIGSYS || r.sig_code != sysSeccomp {
			return notProbed("the probe raised %s (si_code %d), which no seccomp action causes", unix.SignalName(sig), r.sig_code)
		}
		detail := fmt.Sprintf("SIGSYS to the handler: si_errno %d, si_syscall %d, si_arch %#x", r.sig_errno, r.sig_syscall, uint32(r.sig_arch))
		if want := wantArch(abi); uint32(r.sig_syscall) != uint32(s.vecs[i].nr) || uint32(r.sig_arch) != want {
			detail += fmt.Sprintf(" (the probe issued %d on %#x)", uint32(s.vecs[i].nr), want)
		}
		return Observation{Kind: KindTrap, Data: uint16(r.sig_errno), Detail: detail}
	case C.KSC_R_KILL_THREAD:
		return Observation{Kind: KindKillThread, Detail: "the probing thread died of SIGSYS; the process lived on"}
	case C.KSC_R_KILL_PROCESS:
		return Observation{Kind: KindKillProcess, Detail: "the probe process died of SIGSYS; the vectors after it were probed in a new one"}
	case C.KSC_R_FAULT:
		return notProbed("the probe process died of %s at this vector, which no seccomp action causes", unix.SignalName(syscall.Signal(r.sig)))
	case C.KSC_R_ABI_DOWN:
		if h.abi_state[abi] == C.KSC_ABI_NO_SELFCHECK {
			return notProbed("the %s entry point %s, so its calls are not issued", abiName(abi), abiFailure(h, abi))
		}
		return notProbed("the %s entry point does not reach the shadow filter on this kernel: syscall %d through it %s, so its calls are not issued",
			abiName(abi), uint32(h.selfcheck_nr[abi]), abiFailure(h, abi))
	case C.KSC_R_EXEMPT:
		name := exemptCandidates[int(s.vecs[i].nr)]
		return Observation{
			Kind:      KindAllowedOrLower,
			Exemption: fmt.Sprintf("this kernel exempts %s on x86_64 from seccomp", name),
			Detail: fmt.Sprintf("kernel exemption: %s bypasses every seccomp filter (seccomp_uprobe_exception), so no profile can deny it; "+
				"issued once without the profile, it ran and %s, as it does outside the kernel's %s trampoline; not issued again", name, ranAs(exemptRes(h, s.vecs[i].nr)), name),
		}
	}
	return notProbed("no result from the probe child")
}

// truncated notes that an i386 call sees only the low 32 bits of its arguments.
func truncated(abi uint32, v simulate.Vector) string {
	if abi != C.KSC_ABI_I386 {
		return ""
	}
	for _, a := range v.Args {
		if a>>32 != 0 {
			return "; i386 registers are 32-bit, so the arguments' upper halves were dropped"
		}
	}
	return ""
}

func wantArch(abi uint32) uint32 {
	if abi == C.KSC_ABI_I386 {
		return auditArchI386
	}
	return auditArchX86
}

func abiName(abi uint32) string {
	switch abi {
	case C.KSC_ABI_I386:
		return "i386 (int $0x80)"
	case C.KSC_ABI_X32:
		return "x32 (syscall with nr|0x40000000)"
	}
	return "x86_64 (syscall)"
}

func abiFailure(h *C.struct_ksc_hdr, abi uint32) string {
	if h.abi_state[abi] == C.KSC_ABI_NO_SELFCHECK {
		return "cannot be checked: the filter allows none of the harmless calls (" + strings.Join(harmless, ", ") + ") there"
	}
	if sig := h.abi_sig[abi]; sig != 0 {
		what := unix.SignalName(syscall.Signal(sig))
		if abi == C.KSC_ABI_I386 && syscall.Signal(sig) == unix.SIGSEGV {
			what += " (IA32 emulation disabled in this kernel?)"
		}
		return "raised " + what
	}
	return fmt.Sprintf("returned %d", int64(h.abi_ret[abi]))
}

func exemptRes(h *C.struct_ksc_hdr, nr C.uint32_t) *C.struct_ksc_res {
	for k := 0; k < int(h.exempt_count); k++ {
		if h.exempt_nr[k] == nr {
			return &h.exempt_res[k]
		}
	}
	return &C.struct_ksc_res{}
}

func ranAs(r *C.struct_ksc_res) string {
	switch r.state {
	case C.KSC_R_SIGNAL:
		return "raised " + unix.SignalName(syscall.Signal(r.sig))
	case C.KSC_R_RETURN:
		if ret := int64(r.ret); ret < 0 && ret >= -maxErrno {
			return "returned " + errnoName(uint16(-ret))
		}
		return fmt.Sprintf("returned %d", int64(r.ret))
	}
	return "ended in state " + fmt.Sprint(r.state)
}
