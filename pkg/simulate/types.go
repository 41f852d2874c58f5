// Package simulate decides what a compiled seccomp filter does for every syscall a
// profile's architectures have, by running the filter's BPF in a pure-Go VM, and
// compares that with what the profile's JSON intends.
package simulate

import (
	"fmt"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Vector is one call to judge: an architecture's entry point, a syscall number on it
// and the six argument values. Nr is what the kernel puts in seccomp_data.nr, so x32
// numbers carry syscalls.X32SyscallBit.
type Vector struct {
	Arch syscalls.Arch `json:"arch"`
	Name string        `json:"name"`
	Nr   int           `json:"nr"`
	Args [6]uint64     `json:"args"`
	// Why says which rule boundary (or other reason) produced the vector, e.g.
	// "syscalls[2].args[0] SCMP_CMP_EQ 40: value+1"; empty for the zero-argument call.
	Why string `json:"why,omitempty"`
}

// String renders the call as a C programmer reads it: name(args) on arch, with
// only as many arguments as are non-zero.
func (v Vector) String() string {
	n := 0
	for i, a := range v.Args {
		if a != 0 {
			n = i + 1
		}
	}
	s := v.Name + "("
	for i := 0; i < n; i++ {
		if i > 0 {
			s += ", "
		}
		s += fmtArg(v.Args[i])
	}
	return s + ") on " + string(v.Arch)
}

func fmtArg(a uint64) string {
	if a < 1<<16 {
		return fmt.Sprint(a)
	}
	return fmt.Sprintf("%#x", a)
}

// Outcome is what a call gets: an action in the profile's spelling
// (SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, ...) and its data: the errno for ERRNO,
// the si_errno data for TRAP, the message for TRACE.
type Outcome struct {
	Action string `json:"action"`
	Data   uint16 `json:"data,omitempty"`
}

// String is "SCMP_ACT_ERRNO(1)" for actions that carry data, the action otherwise.
func (o Outcome) String() string {
	switch o.Action {
	case ActErrno, ActTrace, ActTrap:
		return fmt.Sprintf("%s(%d)", o.Action, o.Data)
	}
	return o.Action
}

// Runs says whether the syscall itself executes under this outcome.
func (o Outcome) Runs() bool { return o.Action == ActAllow || o.Action == ActLog }

// Actions in the profile's spelling. SCMP_ACT_KILL is read as SCMP_ACT_KILL_THREAD,
// as libseccomp and runc do.
const (
	ActKillProcess = "SCMP_ACT_KILL_PROCESS"
	ActKillThread  = "SCMP_ACT_KILL_THREAD"
	ActTrap        = "SCMP_ACT_TRAP"
	ActErrno       = "SCMP_ACT_ERRNO"
	ActNotify      = "SCMP_ACT_NOTIFY"
	ActTrace       = "SCMP_ACT_TRACE"
	ActLog         = "SCMP_ACT_LOG"
	ActAllow       = "SCMP_ACT_ALLOW"
	// NotCovered is the intent for an arch the profile does not list: the JSON says
	// nothing about it, and the filter answers with its bad-arch action.
	NotCovered = "NOT_COVERED"
)

// Cause explains why the simulated filter and the profile's intent disagree.
type Cause string

const (
	// CauseUnknownName: a name the node's libseccomp does not know (on that arch)
	// is dropped, as runc drops it, so the syscall gets what is left: usually the
	// default action.
	CauseUnknownName Cause = "unknown-name"
	// CauseLow32: libseccomp treats the arch as 32-bit (x86, x32, arm) and compares
	// only the low 32 bits of arguments and rule values.
	CauseLow32 Cause = "low-32-bit-compare"
	// CauseBadArch: the arch is not in the profile; the filter answers with
	// libseccomp's bad-arch action, SCMP_ACT_KILL_THREAD.
	CauseBadArch Cause = "bad-arch"
	// CauseSameArgSplit: runc adds a rule with several conditions on one argument
	// as one rule per condition, so the conditions are ORed instead of ANDed.
	CauseSameArgSplit Cause = "same-argument-split"
	// CauseSkippedDefault: runc skips a rule whose action equals the default, so an
	// overlapping rule with another action takes the vector.
	CauseSkippedDefault Cause = "skipped-default-rule"
	// CauseMultiplexed: on x86 libseccomp applies the rules of socket and IPC calls
	// to socketcall(2)/ipc(2) with the call number in argument 0 and without the
	// rules' argument conditions, which seccomp cannot see there.
	CauseMultiplexed Cause = "multiplexed-call"
	// CauseOverlap: several conditional rules with different actions match the
	// vector; the JSON does not say which wins, and libseccomp chose another one
	// than the first.
	CauseOverlap Cause = "overlapping-rules"
	// CauseUnexplained: none of the known causes accounts for the difference: a
	// bug in libseccomp, in this simulator, or in the syscall tables.
	CauseUnexplained Cause = "unexplained"
)

// Mismatch is a vector on which the simulated filter and the profile's intent
// disagree, with its cause. Cause may join several causes with "+".
type Mismatch struct {
	Vector    Vector  `json:"vector"`
	Intended  Outcome `json:"intended"`
	Simulated Outcome `json:"simulated"`
	Cause     Cause   `json:"cause"`
	Detail    string  `json:"detail"`
}

// Explained says whether a known cause accounts for the mismatch.
func (m Mismatch) Explained() bool { return m.Cause != CauseUnexplained }

// FindingKind names a weakness of the profile that simulation and intent agree on.
type FindingKind string

const (
	// FindingBypass: a variant of a call runs although the call the rule was
	// written for does not (high argument bits the kernel drops, a multiplexer).
	FindingBypass FindingKind = "bypass"
	// FindingConflict: several unconditional rules name one syscall with different
	// actions; the first one is kept, the others are dead.
	FindingConflict FindingKind = "conflict"
)

// Finding is a weakness of the profile itself: the filter does what the JSON says,
// and what the JSON says lets something through (or is dead).
type Finding struct {
	Kind    FindingKind `json:"kind"`
	Vector  Vector      `json:"vector"`
	Outcome Outcome     `json:"outcome"`
	// Versus is the call the profile stops, which Vector gets around.
	Versus        *Vector  `json:"versus,omitempty"`
	VersusOutcome *Outcome `json:"versusOutcome,omitempty"`
	Detail        string   `json:"detail"`
}

// UnknownName is a syscall name libseccomp cannot place on some arches of the
// filter; runc drops it there silently.
type UnknownName struct {
	Name string `json:"name"`
	// Arches lists where the name was dropped; all covered arches when libseccomp
	// does not know the name at all.
	Arches []syscalls.Arch `json:"arches"`
	// Everywhere is set when libseccomp does not know the name at all (a typo, or
	// newer than the library), rather than lacking it on some arches only.
	Everywhere bool `json:"everywhere,omitempty"`
	// Rules are the indexes of the rules (syscalls[i]) that name it.
	Rules []int `json:"rules"`
}

// SkippedRule is a rule the compiler left out or changed, as runc does.
type SkippedRule struct {
	Index  int    `json:"index"`
	Reason string `json:"reason"`
}

// Compiled is what compiling a Policy with libseccomp left out or changed: the
// facts that explain mismatches between simulation and intent.
type Compiled struct {
	Unknown []UnknownName `json:"unknown,omitempty"`
	// Skipped are rules whose action equals the default (runc skips them).
	Skipped []SkippedRule `json:"skipped,omitempty"`
	// Split are rules with several conditions on one argument, added as one rule
	// per condition (runc's fallback, which ORs them).
	Split []SkippedRule `json:"split,omitempty"`
	// RuncStub is runc's -ENOSYS stub, per listed arch, in front of this filter.
	RuncStub []ENOSYSStub `json:"runcEnosysStub,omitempty"`
}

// ENOSYSStub is what runc puts in front of libseccomp's filter on one arch when the
// default action denies: every syscall numbered above the highest one the profile
// names (and libseccomp knows) gets ENOSYS, so a program newer than the profile
// falls back as on an old kernel instead of failing with the default action. The
// simulation runs libseccomp's filter alone; the stub is reported beside it.
type ENOSYSStub struct {
	Arch syscalls.Arch `json:"arch"`
	// Above is the highest syscall the profile names on Arch, and Nr its number.
	Above string `json:"above"`
	Nr    int    `json:"nr"`
	// Named are the profile's names numbered above Nr: libseccomp does not know
	// them, and runc answers ENOSYS whatever the profile says of them.
	Named []string `json:"named,omitempty"`
	// Others counts the other syscalls of Arch's table numbered above Nr.
	Others int `json:"others"`
}

// ENOSYS is Linux's errno 38, what runc's stub returns (on every arch it supports).
const ENOSYS = 38

// Covers says whether the stub answers v: a call on its arch numbered above Nr.
func (s ENOSYSStub) Covers(v Vector) bool { return v.Arch == s.Arch && v.Nr > s.Nr }

// ArchVectors counts the vectors of one arch.
type ArchVectors struct {
	Arch    syscalls.Arch `json:"arch"`
	Covered bool          `json:"covered"`
	Vectors int           `json:"vectors"`
	Note    string        `json:"note,omitempty"`
}

// Timings are the durations of the static phases, in milliseconds.
type Timings struct {
	ParseMs         float64 `json:"parseMs"`
	CompileExportMs float64 `json:"compileExportMs"`
	SimulateMs      float64 `json:"simulateMs"`
}

// MaxInstructions is the kernel's BPF_MAXINSNS: longer filters are refused.
const MaxInstructions = 4096

// Report is the static verification of one profile on one node: compiled with the
// node's libseccomp, simulated on every vector and compared with the intent. It is
// what the cgo verifier prints and the pure-Go plugin reads.
type Report struct {
	Profile    string `json:"profile"`
	Libseccomp string `json:"libseccomp"`
	// Native is the arch the filter was built on; runc always includes it.
	Native syscalls.Arch `json:"native"`
	// Semantics says how the JSON was read (see Policy.Semantics).
	Semantics string `json:"semantics"`
	// Error is set when the profile could not be parsed, compiled or exported; the
	// other fields hold what was reached.
	Error           string        `json:"error,omitempty"`
	Instructions    int           `json:"instructions"`
	MaxInstructions int           `json:"maxInstructions"`
	Arches          []ArchVectors `json:"arches"`
	Vectors         int           `json:"vectors"`
	Agree           int           `json:"agree"`
	Compiled
	Mismatches  []Mismatch `json:"mismatches,omitempty"`
	Unexplained int        `json:"unexplained"`
	Findings    []Finding  `json:"findings,omitempty"`
	Timings     Timings    `json:"timings"`
}

// OK says whether the filter compiled within the kernel's size limit and every
// mismatch has a known cause.
func (r *Report) OK() bool {
	return r.Error == "" && r.Instructions <= MaxInstructions && r.Unexplained == 0
}
