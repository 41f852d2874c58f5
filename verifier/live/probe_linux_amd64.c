//go:build cgo

// The probe child of package live. It runs from a constructor, before the Go runtime
// starts, in a copy of the binary that Probe re-executes with KSC_ENV set. A Go child
// would push its own syscalls through the filter under test; this one makes none that
// the filter can see while it probes.
//
// Two threads. The main thread is never filtered by what the probe thread installs: it
// starts a probe thread, waits for it and, when a KILL_THREAD action killed it, records
// the kill and starts the next one at the following vector. The probe thread installs two filters on itself only (no
// TSYNC): first the shadow filter, which answers ERRNO(shadow_errno) to every syscall
// issued from the probe stubs and allows the rest, then the profile. The kernel runs
// the newest filter first and keeps the most restrictive action, the newest one among
// equals, so a probed call never runs: ALLOW (and LOG, TRACE, NOTIFY, which rank below
// ERRNO) comes back as -shadow_errno, the profile's ERRNO as its errno, TRAP as SIGSYS
// to the handler, KILL_THREAD as the thread's death, KILL_PROCESS as the process's.
// Between probes the thread makes no syscall at all: it leaves a SIGSYS handler with a
// plain jump, not rt_sigreturn, which the profile may deny.
//
// Runtime mode (H->runtime_mode) proves the filter a container runtime installed
// before this process started, which every thread already runs under: there is no
// profile to install, and a later ERRNO shadow would override the runtime filter's own
// errno (among equal actions the newest filter's data wins). So the shadow answers
// SECCOMP_RET_USER_NOTIF instead, which ranks just below ERRNO, through a listener fd
// whose notifications the main thread answers with -shadow_errno. A call the runtime
// filter allows (or logs, traces, notifies) comes back as -shadow_errno without
// running; its ERRNO, TRAP and KILL win over the notification as before.

#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

#define KSC_X32_BIT 0x40000000u
#define KSC_STACK_SIZE (256 * 1024)

// The probe stubs: the only code that issues probed syscalls. The shadow filter
// recognises them by seccomp_data.instruction_pointer, which is the address after the
// trapping instruction (ksc_stub64_ret, ksc_stub32_ret). args points to six uint64.
// ksc_setjmp/ksc_longjmp save and restore the callee-saved registers and nothing else:
// no signal mask, so no syscall.
__asm__(
	".pushsection .text\n"
	".p2align 4\n"
	".globl ksc_stub64\n"
	".hidden ksc_stub64\n"
	".type ksc_stub64, @function\n"
	"ksc_stub64:\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %r11\n"
	"	mov 0(%r11), %rdi\n"
	"	mov 8(%r11), %rsi\n"
	"	mov 16(%r11), %rdx\n"
	"	mov 24(%r11), %r10\n"
	"	mov 32(%r11), %r8\n"
	"	mov 40(%r11), %r9\n"
	"	syscall\n"
	".globl ksc_stub64_ret\n"
	".hidden ksc_stub64_ret\n"
	"ksc_stub64_ret:\n"
	"	ret\n"
	".size ksc_stub64, .-ksc_stub64\n"
	"\n"
	".p2align 4\n"
	".globl ksc_stub32\n"
	".hidden ksc_stub32\n"
	".type ksc_stub32, @function\n"
	"ksc_stub32:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %r11\n"
	"	mov 0(%r11), %ebx\n"
	"	mov 8(%r11), %ecx\n"
	"	mov 16(%r11), %edx\n"
	"	mov 24(%r11), %esi\n"
	"	mov 32(%r11), %edi\n"
	"	mov 40(%r11), %ebp\n"
	"	int $0x80\n"
	".globl ksc_stub32_ret\n"
	".hidden ksc_stub32_ret\n"
	"ksc_stub32_ret:\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	cltq\n"
	"	ret\n"
	".size ksc_stub32, .-ksc_stub32\n"
	"\n"
	".p2align 4\n"
	".globl ksc_setjmp\n"
	".hidden ksc_setjmp\n"
	".type ksc_setjmp, @function\n"
	"ksc_setjmp:\n"
	"	mov %rbx, 0(%rdi)\n"
	"	mov %rbp, 8(%rdi)\n"
	"	mov %r12, 16(%rdi)\n"
	"	mov %r13, 24(%rdi)\n"
	"	mov %r14, 32(%rdi)\n"
	"	mov %r15, 40(%rdi)\n"
	"	lea 8(%rsp), %rdx\n"
	"	mov %rdx, 48(%rdi)\n"
	"	mov (%rsp), %rdx\n"
	"	mov %rdx, 56(%rdi)\n"
	"	xor %eax, %eax\n"
	"	ret\n"
	".size ksc_setjmp, .-ksc_setjmp\n"
	"\n"
	".p2align 4\n"
	".globl ksc_longjmp\n"
	".hidden ksc_longjmp\n"
	".type ksc_longjmp, @function\n"
	"ksc_longjmp:\n"
	"	mov 0(%rdi), %rbx\n"
	"	mov 8(%rdi), %rbp\n"
	"	mov 16(%rdi), %r12\n"
	"	mov 24(%rdi), %r13\n"
	"	mov 32(%rdi), %r14\n"
	"	mov 40(%rdi), %r15\n"
	"	mov 48(%rdi), %rsp\n"
	"	mov $1, %eax\n"
	"	jmp *56(%rdi)\n"
	".size ksc_longjmp, .-ksc_longjmp\n"
	".popsection\n");

long ksc_stub64(long nr, const uint64_t *args);
long ksc_stub32(long nr, const uint64_t *args);
extern const char ksc_stub64_ret[], ksc_stub32_ret[];
int ksc_setjmp(uint64_t *buf) __attribute__((returns_twice));
void ksc_longjmp(uint64_t *buf) __attribute__((noreturn));

static struct ksc_hdr *H;
static const struct sock_filter *P;
static const struct ksc_vec *V;
static struct ksc_res *R;

// ksc_tid is the probe thread's id while it lives: the kernel clears it and wakes
// the futex when the thread dies (CLONE_CHILD_CLEARTID), however it dies.
static volatile pid_t ksc_tid;
static uint32_t ksc_start;
static uint64_t ksc_jb[8];
// ksc_cur is where the signal handler records a signal; NULL outside a probe.
static struct ksc_res *volatile ksc_cur;
// ksc_listener is the runtime-mode shadow filter's notification fd, set by the probe
// thread that installed it (the threads share one fd table), -1 before.
static volatile int ksc_listener = -1;

// ksc_raw issues a syscall from the probe thread without libc: the thread shares the
// main thread's TLS (no CLONE_SETTLS), so it must not touch errno.
static inline long ksc_raw(long n, long a, long b, long c, long d, long e, long f) {
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

// ksc_fatal is for the probe thread, before the profile is installed: it records why
// and stops; the main thread sees fatal and exits 3. vsnprintf makes no syscall.
__attribute__((noreturn)) static void ksc_fatal(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(H->errmsg, sizeof H->errmsg, fmt, ap);
	va_end(ap);
	__atomic_store_n(&H->fatal, 1, __ATOMIC_SEQ_CST);
	ksc_raw(SYS_futex, (long)&ksc_tid, FUTEX_WAKE, 1, 0, 0, 0);
	for (;;)
		ksc_raw(SYS_exit, 0, 0, 0, 0, 0, 0);
}

// ksc_errname names the errno of a raw syscall's return: a table lookup, no syscall.
static const char *ksc_errname(long rc) {
	const char *name = strerrorname_np((int)-rc);
	return name ? name : "an unknown errno";
}

static void ksc_on_signal(int sig, siginfo_t *si, void *uc) {
	struct ksc_res *r = ksc_cur;
	(void)uc;
	if (r == NULL) {
		// Not from a probe: the profile trapped the thread's own last syscalls
		// (futex, exit) after it finished, or something is wrong. Leave the
		// verdict to the main thread, which wakes up on its timeout.
		__atomic_store_n(&H->stray_sig, sig, __ATOMIC_SEQ_CST);
		for (;;)
			__builtin_ia32_pause();
	}
	ksc_cur = NULL;
	r->sig = sig;
	r->sig_code = si->si_code;
	r->sig_errno = si->si_errno;
	if (sig == SIGSYS) {
		r->sig_syscall = si->si_syscall;
		r->sig_arch = si->si_arch;
		r->sig_addr = (uint64_t)(uintptr_t)si->si_call_addr;
	}
	r->state = KSC_R_SIGNAL;
	// SA_NODEFER and an empty sa_mask left the signal mask as it was, so jumping
	// out needs no rt_sigreturn.
	ksc_longjmp(ksc_jb);
}

static __attribute__((noinline)) void ksc_probe(uint32_t abi, uint32_t nr, const uint64_t *args,
						struct ksc_res *r) {
	memset(r, 0, sizeof *r);
	if (ksc_setjmp(ksc_jb) == 0) {
		ksc_cur = r;
		long ret = abi == KSC_ABI_I386 ? ksc_stub32(nr, args) : ksc_stub64(nr, args);
		ksc_cur = NULL;
		r->ret = ret;
		r->state = KSC_R_RETURN;
	}
}

// ksc_shadow builds the shadow filter: `hit` (ERRNO(shadow_errno), or USER_NOTIF in
// runtime mode) for a syscall from a probe stub with the arch that stub must produce,
// KILL_PROCESS for a stub syscall with any other arch (never happens; if it did, the
// call must not run), ALLOW for everything else.
static void ksc_shadow(struct sock_filter f[15], uint64_t ip64, uint64_t ip32, uint32_t hit) {
	const uint32_t lo = offsetof(struct seccomp_data, instruction_pointer);
	const uint32_t hi = lo + 4;
	const uint32_t arch = offsetof(struct seccomp_data, arch);
	struct sock_filter p[15] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, lo),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ip64, 0, 4),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, hi),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(ip64 >> 32), 0, 2),
		/* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arch),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 7, 8),
		/* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, lo),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ip32, 0, 4),
		/* 8 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, hi),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(ip32 >> 32), 0, 2),
		/* 10 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arch),
		/* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 1, 2),
		/* 12 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 13 */ BPF_STMT(BPF_RET | BPF_K, hit),
		/* 14 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	memcpy(f, p, sizeof p);
}

// ksc_check_abi proves that a stub's calls are intercepted before any profile is
// installed, with a call that is harmless if it does run (getpid; in runtime mode one
// the runtime filter allows, chosen by Go). An ABI whose stub is not intercepted is
// never probed.
static void ksc_check_abi(uint32_t abi) {
	static const uint64_t zero[6];
	struct ksc_res r;
	if (H->selfcheck_nr[abi] == KSC_NO_SELFCHECK) {
		H->abi_state[abi] = KSC_ABI_NO_SELFCHECK;
		return;
	}
	ksc_probe(abi, H->selfcheck_nr[abi], zero, &r);
	if (r.state == KSC_R_RETURN && r.ret == -(long)H->shadow_errno) {
		H->abi_state[abi] = KSC_ABI_OK;
		return;
	}
	H->abi_state[abi] = KSC_ABI_UNAVAILABLE;
	H->abi_sig[abi] = r.state == KSC_R_SIGNAL ? r.sig : 0;
	H->abi_ret[abi] = r.ret;
}

static void ksc_selfcheck(void) {
	static const uint64_t zero[6];
	ksc_check_abi(KSC_ABI_X86_64);
	if (H->abi_state[KSC_ABI_X86_64] == KSC_ABI_NO_SELFCHECK)
		ksc_fatal("no harmless call (getpid, gettid, ...) is allowed by the filter, so the shadow filter "
			  "cannot be checked; refusing to probe");
	if (H->abi_state[KSC_ABI_X86_64] != KSC_ABI_OK)
		ksc_fatal("shadow filter self-check failed: syscall %u through the x86_64 probe stub gave %s %lld, "
			  "want return -%u; refusing to probe",
			  H->selfcheck_nr[KSC_ABI_X86_64],
			  H->abi_sig[KSC_ABI_X86_64] ? "signal" : "return",
			  H->abi_sig[KSC_ABI_X86_64] ? (long long)H->abi_sig[KSC_ABI_X86_64]
						     : (long long)H->abi_ret[KSC_ABI_X86_64],
			  H->shadow_errno);
	if (H->need_abi & (1u << KSC_ABI_I386))
		ksc_check_abi(KSC_ABI_I386);
	if (H->need_abi & (1u << KSC_ABI_X32))
		ksc_check_abi(KSC_ABI_X32);
	// Calls the kernel exempts from seccomp bypass the shadow filter too, so they
	// run: issue each candidate once, here, to learn whether it is exempt on this
	// kernel (Go only lists candidates known to be harmless outside their kernel
	// trampolines, and in runtime mode only those the runtime filter allows, so that
	// a filtered one comes back as -shadow_errno), and never again.
	for (uint32_t k = 0; k < H->exempt_count && k < KSC_MAX_EXEMPT; k++) {
		if (H->exempt_state[k] != KSC_EX_UNCHECKED)
			continue;
		struct ksc_res *r = &H->exempt_res[k];
		ksc_probe(KSC_ABI_X86_64, H->exempt_nr[k], zero, r);
		H->exempt_state[k] = r->state == KSC_R_RETURN && r->ret == -(long)H->shadow_errno
					     ? KSC_EX_FILTERED
					     : KSC_EX_EXEMPT;
	}
}

static int ksc_exempt(const struct ksc_vec *v) {
	if (v->abi != KSC_ABI_X86_64)
		return -1;
	for (uint32_t k = 0; k < H->exempt_count && k < KSC_MAX_EXEMPT; k++)
		if (H->exempt_nr[k] == v->nr && H->exempt_state[k] == KSC_EX_EXEMPT)
			return (int)k;
	return -1;
}

static int ksc_worker(void *arg) {
	(void)arg;
	// The main thread blocks every signal; the probe thread takes the synchronous
	// ones a probe can raise.
	uint64_t sync = 0;
	const int sigs[] = {SIGSYS, SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGTRAP};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sync |= 1ull << (sigs[i] - 1);
	ksc_raw(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&sync, 0, sizeof sync, 0, 0);

	__atomic_store_n(&H->phase, KSC_PHASE_SHADOW, __ATOMIC_SEQ_CST);
	struct sock_filter shadow[15];
	// test_break lets the tests prove that a stub the shadow filter misses is caught
	// by the self-check (its getpid then runs, harmlessly) and never probed.
	ksc_shadow(shadow, H->stub64_ip + !!(H->test_break & (1u << KSC_ABI_X86_64)),
		   H->stub32_ip + !!(H->test_break & (1u << KSC_ABI_I386)),
		   H->runtime_mode ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_ERRNO | (H->shadow_errno & SECCOMP_RET_DATA));
	struct sock_fprog sp = {.len = 15, .filter = shadow};
	long flags = H->runtime_mode ? (long)SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	long rc = ksc_raw(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, (long)&sp, 0, 0, 0);
	if (rc < 0)
		ksc_fatal("the kernel refused the shadow filter%s: %s",
			  H->runtime_mode ? " (with a notification listener, under the runtime's filter)" : "",
			  ksc_errname(rc));
	if (H->runtime_mode)
		__atomic_store_n(&ksc_listener, (int)rc, __ATOMIC_SEQ_CST);

	__atomic_store_n(&H->phase, KSC_PHASE_SELFCHECK, __ATOMIC_SEQ_CST);
	ksc_selfcheck();

	__atomic_store_n(&H->phase, KSC_PHASE_PROFILE, __ATOMIC_SEQ_CST);
	if (!H->runtime_mode) {
		struct sock_fprog pp = {.len = (unsigned short)H->prog_len, .filter = (struct sock_filter *)P};
		rc = ksc_raw(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&pp, 0, 0, 0);
		if (rc < 0)
			ksc_fatal("the kernel refused the profile's BPF program (%u instructions): %s", H->prog_len,
				  ksc_errname(rc));
	}

	// From here on the thread's only syscalls are the probes.
	__atomic_store_n(&H->phase, KSC_PHASE_PROBING, __ATOMIC_SEQ_CST);
	for (uint32_t i = ksc_start; i < H->nvec; i++) {
		const struct ksc_vec *v = &V[i];
		struct ksc_res *r = &R[i];
		__atomic_store_n(&H->progress, i, __ATOMIC_SEQ_CST);
		if (v->abi == KSC_ABI_NONE || v->abi >= KSC_ABI_COUNT)
			continue;
		if (H->abi_state[v->abi] != KSC_ABI_OK) {
			memset(r, 0, sizeof *r);
			r->state = KSC_R_ABI_DOWN;
			continue;
		}
		int k = ksc_exempt(v);
		if (k >= 0) {
			*r = H->exempt_res[k];
			r->state = KSC_R_EXEMPT;
			continue;
		}
		ksc_probe(v->abi, v->nr, v->args, r);
	}
	__atomic_store_n(&H->phase, KSC_PHASE_DONE, __ATOMIC_SEQ_CST);
	__atomic_store_n(&H->done, 1, __ATOMIC_SEQ_CST);
	// These two go through the profile; whatever it does to them (deny, trap, kill)
	// the work is saved and the main thread ends the process.
	ksc_raw(SYS_futex, (long)&ksc_tid, FUTEX_WAKE, 1, 0, 0, 0);
	for (;;)
		ksc_raw(SYS_exit, 0, 0, 0, 0, 0, 0);
}

static void ksc_die(int code, const char *fmt, ...) {
	char buf[600];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof buf - 2)
		n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	if (write(2, "kubectl-seccomp live probe: ", 28) < 0 || write(2, buf, (size_t)n) < 0) {
		// nothing more to say
	}
	_exit(code);
}

// ksc_fail ends the child from the main thread with a reason Go will read.
static void ksc_fail(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(H->errmsg, sizeof H->errmsg, fmt, ap);
	va_end(ap);
	__atomic_store_n(&H->fatal, 1, __ATOMIC_SEQ_CST);
	_exit(3);
}

static void ksc_map(const char *env) {
	char *end = NULL;
	errno = 0;
	long fd = strtol(env, &end, 10);
	if (*env == 0 || end == NULL || *end != 0 || errno != 0 || fd < 0 || fd > 1 << 20)
		ksc_die(126, "%s=%s: not a file descriptor", KSC_ENV, env);
	struct stat st;
	if (fstat((int)fd, &st) != 0)
		ksc_die(126, "%s=%s: %s", KSC_ENV, env, strerror(errno));
	if (st.st_size < (off_t)sizeof(struct ksc_hdr))
		ksc_die(126, "%s=%s: too small for a probe request", KSC_ENV, env);
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	if (m == MAP_FAILED)
		ksc_die(126, "mmap of the probe request: %s", strerror(errno));
	close((int)fd);
	struct ksc_hdr *h = m;
	if (h->magic != KSC_MAGIC || h->version != KSC_VERSION || h->hdr_size != sizeof(struct ksc_hdr) ||
	    h->vec_size != sizeof(struct ksc_vec) || h->res_size != sizeof(struct ksc_res) ||
	    h->total_size != (uint64_t)st.st_size)
		ksc_die(126, "%s=%s: not a probe request of this binary (magic %#x version %u)", KSC_ENV, env,
			h->magic, h->version);
	uint64_t size = (uint64_t)st.st_size;
	if ((h->prog_len == 0) != (h->runtime_mode != 0) || h->prog_len > BPF_MAXINSNS || h->start > h->nvec ||
	    h->prog_off + (uint64_t)h->prog_len * sizeof(struct sock_filter) > size ||
	    h->vec_off + (uint64_t)h->nvec * sizeof(struct ksc_vec) > size ||
	    h->res_off + (uint64_t)h->nvec * sizeof(struct ksc_res) > size)
		ksc_die(126, "probe request: inconsistent sizes");
	H = h;
	P = (const struct sock_filter *)((char *)m + h->prog_off);
	V = (const struct ksc_vec *)((char *)m + h->vec_off);
	R = (struct ksc_res *)((char *)m + h->res_off);
}

// ksc_answer answers one notification of the runtime-mode shadow filter with
// -shadow_errno: "the filter under test let this call through". The buffers are larger
// than the structs, which a newer kernel may grow; RECV wants its buffer zeroed.
static void ksc_answer(int fd) {
	static union {
		struct seccomp_notif n;
		char pad[512];
	} req;
	static union {
		struct seccomp_notif_resp r;
		char pad[512];
	} resp;
	memset(&req, 0, sizeof req);
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0)
		return; // ENOENT: the probe thread died meanwhile
	memset(&resp, 0, sizeof resp);
	resp.r.id = req.n.id;
	resp.r.error = -(int32_t)H->shadow_errno;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
		H->notified++;
}

// ksc_wait waits up to 2 ms for the probe thread to end, answering the shadow
// filter's notifications meanwhile in runtime mode.
static void ksc_wait(pid_t t) {
	int fd = __atomic_load_n(&ksc_listener, __ATOMIC_SEQ_CST);
	if (fd >= 0) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 2) > 0 && (p.revents & POLLIN)) {
			ksc_answer(fd);
			return;
		}
		// POLLHUP: no thread uses the filter any more; the thread is ending.
	}
	struct timespec ts = {.tv_sec = 0, .tv_nsec = 2 * 1000 * 1000};
	syscall(SYS_futex, &ksc_tid, FUTEX_WAIT, t, &ts, NULL, 0);
}

// ksc_prober runs in a process forked by the supervisor: its main thread starts probe
// threads, one after another (one more per KILL_THREAD), until every vector from
// ksc_start on has a result. KILL_PROCESS ends it; the supervisor carries on.
__attribute__((noreturn)) static void ksc_prober(void) {
	// Die with the supervisor (killed on a timeout): it is single-threaded, so its
	// only thread ends only when it does.
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		ksc_fail("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
	// A runtime filter may deny getpid; then the supervisor's pid is unknown
	// (H->supervisor <= 0) and this check is skipped.
	if (H->supervisor > 0 && getppid() != H->supervisor)
		_exit(3);

	sigset_t all;
	sigfillset(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) != 0)
		ksc_fail("sigprocmask: %s", strerror(errno));
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = ksc_on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	const int sigs[] = {SIGSYS, SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGTRAP};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			ksc_fail("sigaction(%d): %s", sigs[i], strerror(errno));

	char *stack = mmap(NULL, KSC_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
			   -1, 0);
	if (stack == MAP_FAILED)
		ksc_fail("mmap of the probe thread's stack: %s", strerror(errno));

	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
			  CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
	for (;;) {
		if (ksc_start >= H->nvec) {
			__atomic_store_n(&H->done, 1, __ATOMIC_SEQ_CST);
			_exit(0);
		}
		H->threads++;
		// A killed probe thread leaves its listener behind; the next one makes its own.
		int old = __atomic_exchange_n(&ksc_listener, -1, __ATOMIC_SEQ_CST);
		if (old >= 0)
			close(old);
		if (clone(ksc_worker, stack + KSC_STACK_SIZE, flags, NULL, (pid_t *)&ksc_tid, NULL, (pid_t *)&ksc_tid) < 0)
			ksc_fail("clone of the probe thread: %s", strerror(errno));
		// The probe thread wakes us when it is done, and the kernel when it dies.
		// A profile may deny the thread that futex call (and exit), so poll too.
		for (;;) {
			pid_t t = __atomic_load_n(&ksc_tid, __ATOMIC_SEQ_CST);
			if (t == 0 || __atomic_load_n(&H->done, __ATOMIC_SEQ_CST) ||
			    __atomic_load_n(&H->fatal, __ATOMIC_SEQ_CST) ||
			    __atomic_load_n(&H->stray_sig, __ATOMIC_SEQ_CST))
				break;
			ksc_wait(t);
		}
		if (__atomic_load_n(&H->fatal, __ATOMIC_SEQ_CST))
			_exit(3);
		if (__atomic_load_n(&H->done, __ATOMIC_SEQ_CST))
			_exit(0);
		if (H->stray_sig)
			ksc_fail("the probe thread got signal %d outside any probe (phase %u, vector %u)", H->stray_sig,
				 H->phase, H->progress);
		// The thread died without finishing: SECCOMP_RET_KILL_THREAD. Nothing
		// else ends one thread of a process without ending the process.
		uint32_t i = __atomic_load_n(&H->progress, __ATOMIC_SEQ_CST);
		if (H->phase != KSC_PHASE_PROBING || i >= H->nvec)
			ksc_fail("the probe thread died in phase %u, before probing", H->phase);
		if (R[i].state == KSC_R_NONE)
			R[i].state = KSC_R_KILL_THREAD;
		ksc_start = i + 1;
	}
}

static const char *ksc_status(int st, char *buf, size_t n) {
	if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, n, "exit status %d", WEXITSTATUS(st));
	return buf;
}

// The constructor is the supervisor. It does nothing unless KSC_ENV names the
// request; then it never returns to the Go runtime. It forks a probe process, and
// another one after each vector that killed one (KILL_PROCESS: a fork costs far less
// than the re-execution Go would need), until every vector has a result.
__attribute__((constructor)) static void ksc_live_probe_child(void) {
	const char *env = getenv(KSC_ENV);
	if (env == NULL)
		return;
	ksc_map(env);
	H->stub64_ip = (uint64_t)(uintptr_t)ksc_stub64_ret;
	H->stub32_ip = (uint64_t)(uintptr_t)ksc_stub32_ret;
	H->supervisor = getpid();
	H->errmsg[0] = 0;

	// Inherited by every probe process. No core file from KILL_PROCESS;
	// no_new_privs lets an unprivileged thread install filters. Dropping every
	// capability is defence in depth: a probed call never runs, but if one ever
	// did, it would run powerless. A runtime filter may deny capset; the probe then
	// keeps the container's capabilities, which the pod already limits.
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		ksc_fail("prctl(PR_SET_DUMPABLE, 0): %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		ksc_fail("prctl(PR_SET_NO_NEW_PRIVS, 1): %s", strerror(errno));
	struct __user_cap_header_struct caph = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct capd[2];
	memset(capd, 0, sizeof capd);
	if (syscall(SYS_capset, &caph, capd) != 0) {
		if (!H->runtime_mode)
			ksc_fail("capset (dropping every capability): %s", strerror(errno));
		H->capset_errno = errno;
	}

	uint32_t faults = 0;
	ksc_start = H->start;
	for (;;) {
		if (ksc_start >= H->nvec) {
			__atomic_store_n(&H->done, 1, __ATOMIC_SEQ_CST);
			_exit(0);
		}
		__atomic_store_n(&H->phase, KSC_PHASE_START, __ATOMIC_SEQ_CST);
		H->processes++;
		pid_t pid = fork();
		if (pid < 0)
			ksc_fail("fork of a probe process: %s", strerror(errno));
		if (pid == 0)
			ksc_prober();
		int st = 0;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				ksc_fail("waitpid: %s", strerror(errno));
		if (__atomic_load_n(&H->fatal, __ATOMIC_SEQ_CST))
			_exit(3);
		if (__atomic_load_n(&H->done, __ATOMIC_SEQ_CST))
			_exit(0); // a death now came from the profile and the thread's last syscalls
		char buf[64];
		uint32_t i = __atomic_load_n(&H->progress, __ATOMIC_SEQ_CST);
		if (H->phase != KSC_PHASE_PROBING || i >= H->nvec || !WIFSIGNALED(st))
			ksc_fail("the probe process ended (%s) in phase %u at vector %u without finishing",
				 ksc_status(st, buf, sizeof buf), H->phase, i);
		if (WTERMSIG(st) == SIGSYS) {
			if (R[i].state == KSC_R_NONE)
				R[i].state = KSC_R_KILL_PROCESS;
		} else {
			// No seccomp action ends a process with another signal.
			memset(&R[i], 0, sizeof R[i]);
			R[i].state = KSC_R_FAULT;
			R[i].sig = WTERMSIG(st);
			if (++faults > 3)
				ksc_fail("probe processes died of signals other than SIGSYS at %u vectors (last: %s at vector %u); giving up",
					 faults, ksc_status(st, buf, sizeof buf), i);
		}
		ksc_start = i + 1;
	}
}
