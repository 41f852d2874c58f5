// Layout of the memfd the Go parent shares with the probe child (see probe_linux_amd64.c).
// Both sides map it MAP_SHARED, so what the child writes survives a child killed by
// SECCOMP_RET_KILL_PROCESS. Go reads these structs through cgo, so there is one
// definition.

#ifndef KSC_LIVE_H
#define KSC_LIVE_H

#include <stdint.h>

#define KSC_ENV "KUBECTL_SECCOMP_LIVE_PROBE_FD"
#define KSC_MAGIC 0x4c43534bu /* "KSCL" */
#define KSC_VERSION 2u

// How a vector enters the kernel.
enum {
	KSC_ABI_NONE = 0, // not probed live (Go fills in why)
	KSC_ABI_X86_64 = 1, // `syscall`, nr as is
	KSC_ABI_I386 = 2, // `int $0x80`, 32-bit registers
	KSC_ABI_X32 = 3, // `syscall`, nr carries 0x40000000
	KSC_ABI_COUNT = 4,
};

// What the child learnt about one vector.
enum {
	KSC_R_NONE = 0, // not reached (yet)
	KSC_R_RETURN = 1, // the stub returned: ret holds rax
	KSC_R_SIGNAL = 2, // a signal hit the probe (SIGSYS from TRAP, ...)
	KSC_R_KILL_THREAD = 3, // the probing thread died; the process survived
	KSC_R_KILL_PROCESS = 4, // the probe process died of SIGSYS here (written by the supervisor)
	KSC_R_ABI_DOWN = 5, // the entry point does not work on this kernel (self-check)
	KSC_R_EXEMPT = 6, // the kernel exempts this call from seccomp: not issued again
	KSC_R_FAULT = 7, // the probe process died of another signal (sig) here: not a seccomp action
};

// Phases of a probe thread, for error messages and to tell kills apart.
enum {
	KSC_PHASE_START = 0,
	KSC_PHASE_SHADOW = 1,
	KSC_PHASE_SELFCHECK = 2,
	KSC_PHASE_PROFILE = 3,
	KSC_PHASE_PROBING = 4,
	KSC_PHASE_DONE = 5,
};

// Per-ABI self-check result.
enum {
	KSC_ABI_UNCHECKED = 0,
	KSC_ABI_OK = 1,
	KSC_ABI_UNAVAILABLE = 2,
	KSC_ABI_NO_SELFCHECK = 3, // runtime mode: no harmless call the filter allows on this ABI
};

// Exemption check of a native syscall number.
enum {
	KSC_EX_UNCHECKED = 0,
	KSC_EX_FILTERED = 1, // the shadow filter intercepted it: not exempt here
	KSC_EX_EXEMPT = 2, // it bypassed the filters (and ran, harmlessly)
};

#define KSC_MAX_EXEMPT 4
#define KSC_NO_SELFCHECK 0xffffffffu

struct ksc_vec {
	uint32_t abi;
	uint32_t nr; // as seccomp_data.nr shows it: x32 numbers carry 0x40000000
	uint64_t args[6];
};

struct ksc_res {
	uint32_t state;
	int32_t sig;
	int64_t ret;
	int32_t sig_code; // siginfo: si_code
	int32_t sig_errno; // si_errno: the data of a TRAP action
	int32_t sig_syscall; // si_syscall
	uint32_t sig_arch; // si_arch
	uint64_t sig_addr; // si_call_addr
};

struct ksc_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t hdr_size;
	uint32_t vec_size;
	uint32_t res_size;
	uint32_t prog_len;
	uint32_t nvec;
	uint32_t start; // first vector to probe (set by Go)
	uint32_t shadow_errno;
	uint32_t need_abi; // bit (1 << abi) for each ABI some vector uses
	uint32_t test_break; // tests only: bit (1 << abi) moves that stub's address in the shadow filter
	// runtime_mode: the filter under test is already in force, installed by the
	// container runtime before this process started; prog holds nothing to install.
	// The shadow filter then answers SECCOMP_RET_USER_NOTIF, which ranks below ERRNO,
	// and the prober's main thread answers each notification with -shadow_errno.
	uint32_t runtime_mode;
	// selfcheck_nr[abi]: a harmless call (getpid, ...) the filter under test allows,
	// issued through the stub to prove the shadow filter sees it; KSC_NO_SELFCHECK
	// when there is none, and the ABI is not probed.
	uint32_t selfcheck_nr[KSC_ABI_COUNT];
	uint64_t prog_off;
	uint64_t vec_off;
	uint64_t res_off;
	uint64_t total_size;

	// Written by the child.
	uint32_t progress; // index of the vector being probed
	uint32_t phase;
	uint32_t done; // every vector from start on has a result
	uint32_t fatal; // the child gave up: errmsg says why
	uint32_t threads; // probe threads started (1 + one per KILL_THREAD)
	uint32_t processes; // probe processes forked (1 + one per KILL_PROCESS or fault)
	int32_t stray_sig; // a signal outside any probe
	int32_t supervisor; // pid of the process that forks the probe processes
	int32_t capset_errno; // runtime mode: capset refused by the filter (capabilities kept)
	uint32_t notified; // runtime mode: notifications answered
	uint32_t abi_state[KSC_ABI_COUNT];
	int32_t abi_sig[KSC_ABI_COUNT]; // the signal that made an ABI unavailable
	int64_t abi_ret[KSC_ABI_COUNT]; // or what getpid returned through its stub
	uint64_t stub64_ip; // seccomp_data.instruction_pointer of the probe stubs
	uint64_t stub32_ip;

	// Exemption candidates (native numbers, set by Go) and what the self-check saw.
	uint32_t exempt_nr[KSC_MAX_EXEMPT];
	uint32_t exempt_count;
	uint32_t exempt_state[KSC_MAX_EXEMPT];
	struct ksc_res exempt_res[KSC_MAX_EXEMPT];

	char errmsg[512];
};

#endif
