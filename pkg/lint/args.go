package lint

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// narrowArgs are syscall arguments the kernel reads narrower than the 64-bit register
// seccomp compares: ints (32 bits; the kernel truncates, or fget takes an unsigned int)
// and umode_t modes (16 bits). A comparison of all 64 bits can be sidestepped by
// setting bits the kernel never looks at. By name, then argument index, the bits read.
var narrowArgs = map[string]map[uint]uint{
	"socket":      {0: 32, 1: 32, 2: 32},
	"socketpair":  {0: 32, 1: 32, 2: 32},
	"setsockopt":  {0: 32, 1: 32, 2: 32, 4: 32},
	"getsockopt":  {0: 32, 1: 32, 2: 32},
	"kill":        {0: 32, 1: 32},
	"tkill":       {0: 32, 1: 32},
	"tgkill":      {0: 32, 1: 32, 2: 32},
	"prctl":       {0: 32},
	"fcntl":       {0: 32, 1: 32},
	"ioctl":       {0: 32, 1: 32},
	"personality": {0: 32},
	"setns":       {0: 32, 1: 32},
	"bpf":         {0: 32},
	// mmap's prot and flags are unsigned long, but unknown high bits are ignored.
	"mmap":      {2: 32, 3: 32, 4: 32},
	"open":      {1: 32, 2: 16},
	"openat":    {0: 32, 2: 32, 3: 16},
	"creat":     {1: 16},
	"chmod":     {1: 16},
	"fchmod":    {0: 32, 1: 16},
	"fchmodat":  {0: 32, 2: 16},
	"fchmodat2": {0: 32, 2: 16, 3: 32},
	"mkdir":     {1: 16},
	"mkdirat":   {0: 32, 2: 16},
	"mknod":     {1: 16},
	"mknodat":   {0: 32, 2: 16},
}

var opSymbols = map[string]string{
	"SCMP_CMP_EQ": "==", "SCMP_CMP_NE": "!=", "SCMP_CMP_LT": "<", "SCMP_CMP_LE": "<=",
	"SCMP_CMP_GT": ">", "SCMP_CMP_GE": ">=",
}

// arguments warns about comparisons on narrow arguments that a caller can sidestep
// with high bits: `socket(0x100000028, ...)` is socket(AF_VSOCK, ...) to the kernel,
// but does not match `socket a0 == 40`.
func (l *linter) arguments() []profile.Finding {
	var out []profile.Finding
	defaultDenies := !profile.Allows(l.p.DefaultAction)
	for i, rule := range l.p.Syscalls {
		ruleDenies := !profile.Allows(rule.Action)
		for _, name := range rule.Names {
			widths, ok := narrowArgs[name]
			if !ok {
				continue
			}
			for j, arg := range rule.Args {
				width, ok := widths[arg.Index]
				if !ok {
					continue
				}
				path := fmt.Sprintf("syscalls[%d].args[%d]", i, j)
				if f, ok := narrowArg(name, arg, width, ruleDenies, defaultDenies); ok {
					f.Path = path
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// narrowArg judges one condition on an argument the kernel reads with width bits.
// A rule that denies (under a default that allows) is bypassed by a value the kernel
// reads as matching that does not match in 64 bits; a rule that allows (under a
// default that denies) by a value that matches in 64 bits that the kernel reads as
// not matching.
func narrowArg(name string, arg profile.Arg, width uint, ruleDenies, defaultDenies bool) (profile.Finding, bool) {
	mask := uint64(1)<<width - 1
	high := uint64(1) << width
	cond := condition(name, arg)
	if arg.Op != "SCMP_CMP_MASKED_EQ" && arg.Value > mask {
		return profile.Finding{Severity: profile.Warning,
			Message: fmt.Sprintf("%q compares a%d with %#x, wider than the %d bits the kernel reads: the kernel sees only %#x, so this condition tests bits that mean nothing to it",
				cond, arg.Index, arg.Value, width, arg.Value&mask),
			Fix: fmt.Sprintf(`compare what the kernel reads: {"index": %d, "op": "SCMP_CMP_MASKED_EQ", "value": %d, "valueTwo": %d}`, arg.Index, mask, arg.Value&mask),
		}, true
	}
	if ruleDenies == defaultDenies {
		return profile.Finding{}, false // either way the call gets a denial (or an allow)
	}
	var bypass uint64
	found := false
	if ruleDenies {
		switch arg.Op {
		case "SCMP_CMP_EQ":
			bypass, found = arg.Value|high, true
		case "SCMP_CMP_LT":
			bypass, found = high, arg.Value > 0
		case "SCMP_CMP_LE":
			bypass, found = high, true
		case "SCMP_CMP_MASKED_EQ":
			if over := arg.Value &^ mask; over != 0 {
				hb := uint64(1) << bits.TrailingZeros64(over)
				bypass, found = (arg.ValueTwo&mask)|(hb&^arg.ValueTwo), true
			}
		}
	} else {
		switch arg.Op {
		case "SCMP_CMP_NE":
			bypass, found = arg.Value|high, true
		case "SCMP_CMP_GT":
			bypass, found = high, true
		case "SCMP_CMP_GE":
			bypass, found = high, arg.Value > 0
		}
	}
	if !found {
		return profile.Finding{}, false
	}
	call := fmt.Sprintf("%s(%s%#x, ...)", name, strings.Repeat("_, ", int(arg.Index)), bypass)
	kind := "an int"
	if width == 16 {
		kind = "a umode_t"
	}
	effect := "so the call does what this rule denies"
	if !ruleDenies {
		effect = "so the call is allowed with a value this rule means to refuse"
	}
	msg := fmt.Sprintf("%s bypasses %q: seccomp compares all 64 bits of a%d, but the kernel reads it as %s and sees %d, %s",
		call, cond, arg.Index, kind, bypass&mask, effect)
	fix := fmt.Sprintf("compare only the low %d bits: SCMP_CMP_MASKED_EQ with \"value\": %d (the mask %#x) and \"valueTwo\": the compared value", width, mask, mask)
	switch arg.Op {
	case "SCMP_CMP_EQ":
		fix = fmt.Sprintf(`use {"index": %d, "op": "SCMP_CMP_MASKED_EQ", "value": %d, "valueTwo": %d}: SCMP_CMP_MASKED_EQ with mask %#x compares only the bits the kernel reads`,
			arg.Index, mask, arg.Value, mask)
	case "SCMP_CMP_MASKED_EQ":
		fix = fmt.Sprintf("keep the mask within the low %d bits: \"value\": %d", width, arg.Value&mask)
	}
	return profile.Finding{Severity: profile.Warning, Message: msg, Fix: fix}, true
}

func condition(name string, arg profile.Arg) string {
	if arg.Op == "SCMP_CMP_MASKED_EQ" {
		return fmt.Sprintf("%s a%d & %#x == %d", name, arg.Index, arg.Value, arg.ValueTwo)
	}
	sym, ok := opSymbols[arg.Op]
	if !ok {
		sym = arg.Op
	}
	return fmt.Sprintf("%s a%d %s %d", name, arg.Index, sym, arg.Value)
}

// socketCalls are what i386's socketcall(2) multiplexes.
var socketCalls = []string{"socket", "socketpair", "bind", "connect", "listen", "accept", "accept4",
	"getsockname", "getpeername", "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt",
	"getsockopt", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg"}

// socketcall warns when argument rules on socket calls coexist with an allowed
// socketcall on an arch that has it: socketcall passes the arguments in memory,
// where seccomp cannot read them.
func (l *linter) socketcall() []profile.Finding {
	var out []profile.Finding
	done := map[syscalls.Arch]bool{}
	for _, v := range l.views {
		for _, arch := range v.filter {
			if done[arch] || !covered(arch) || !slices.Contains(reachable(v.node), arch) {
				continue
			}
			if _, ok := syscalls.Number(arch, "socketcall"); !ok || !profile.Allows(v.resolved.Intended("socketcall").Action) {
				continue
			}
			var rules []string
			var names []string
			first := -1
			for _, rule := range v.resolved.Rules {
				if len(rule.Args) == 0 {
					continue
				}
				var these []string
				for _, n := range rule.Names {
					if slices.Contains(socketCalls, n) {
						these = append(these, n)
					}
				}
				if len(these) == 0 {
					continue
				}
				if first < 0 {
					first = rule.Index
				}
				rules = append(rules, fmt.Sprintf("syscalls[%d]", rule.Index))
				names = appendNew(names, these...)
			}
			if first < 0 {
				continue
			}
			done[arch] = true
			which := "this argument rule does not hold there"
			if len(rules) > 1 {
				which = fmt.Sprintf("the argument rules on %s (%s) do not hold there", andList(names), shortListOf(rules, 4, "rules"))
			}
			out = append(out, profile.Finding{Severity: profile.Warning, Path: fmt.Sprintf("syscalls[%d].args", first),
				Message: fmt.Sprintf("on %s (32-bit programs on %s nodes) socketcall does what %s does%s with the arguments in memory, where seccomp cannot read them; socketcall is allowed, so %s",
					arch, v.node, andList(names), viaSocketcall(names), which),
				Fix: fmt.Sprintf("deny socketcall too (glibc 2.23+ on kernels 4.3+ calls %s directly), or drop %s from the profile's arches (its programs are then killed)", andList(names), arch),
			})
		}
	}
	return out
}

func viaSocketcall(names []string) string {
	if len(names) == 1 && names[0] == "socket" {
		return " (socketcall(SYS_SOCKET, ...))"
	}
	return ""
}
