// Package engine compiles a seccomp profile with the node's libseccomp exactly as runc
// does, exports the BPF the kernel would hold, and proves it statically by running
// it in a BPF VM against the profile's intent (pkg/simulate). It never loads a filter.
package engine

import (
	"fmt"
	"slices"
	"strings"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Filter is a libseccomp filter built from a policy, with what runc's way of
// building it left out or changed.
type Filter struct {
	f *seccomp.ScmpFilter
	simulate.Compiled
}

// Release frees the libseccomp context.
func (f *Filter) Release() { f.f.Release() }

// Libseccomp returns the libseccomp filter, for a child process that loads it.
// Never call Load on it in a process that has work left to do: libseccomp-golang
// sets TSYNC, so the filter would confine every thread.
func (f *Filter) Libseccomp() *seccomp.ScmpFilter { return f.f }

// Compile builds the filter the way runc does, so that "it compiles here" means "it
// loads for the runtime": names this libseccomp does not know are dropped and
// reported, rules whose action equals the default are skipped, a rule with several
// conditions on one argument is added as one rule per condition, and anything else
// libseccomp refuses is an error naming the rule.
func Compile(p *simulate.Policy) (*Filter, error) {
	def, err := action(p.DefaultAction, p.DefaultErrno)
	if err != nil {
		return nil, fmt.Errorf("defaultAction: %w", err)
	}
	f, err := seccomp.NewFilter(def)
	if err != nil {
		return nil, fmt.Errorf("libseccomp refused the default action %s: %w", p.DefaultAction, err)
	}
	out := &Filter{f: f}
	fail := func(err error) (*Filter, error) {
		f.Release()
		return nil, err
	}
	archs := map[syscalls.Arch]seccomp.ScmpArch{}
	for i, a := range p.Listed {
		arch, err := scmpArch(a)
		if err != nil {
			return fail(fmt.Errorf("architectures[%d]: %w", i, err))
		}
		if err := f.AddArch(arch); err != nil {
			return fail(fmt.Errorf("architectures[%d] %s: libseccomp cannot add it: %w", i, a, err))
		}
		archs[a] = arch
	}
	if native, err := scmpArch(p.Native); err == nil {
		archs[p.Native] = native
	}
	unknown := map[string]*simulate.UnknownName{}
	var order []string
	for _, rule := range p.Rules {
		act, err := action(rule.Action, rule.Errno)
		if err != nil {
			return fail(fmt.Errorf("syscalls[%d].action: %w", rule.Index, err))
		}
		conds, err := conditions(rule.Args)
		if err != nil {
			return fail(fmt.Errorf("syscalls[%d].args: %w", rule.Index, err))
		}
		for _, name := range rule.Names {
			if dropped, everywhere := droppedOn(name, archs); len(dropped) > 0 {
				u := unknown[name]
				if u == nil {
					u = &simulate.UnknownName{Name: name, Arches: dropped, Everywhere: everywhere}
					unknown[name] = u
					order = append(order, name)
				}
				u.Rules = append(u.Rules, rule.Index)
			}
		}
		if act == def {
			out.Skipped = append(out.Skipped, simulate.SkippedRule{Index: rule.Index,
				Reason: fmt.Sprintf("its action %s equals the default action: runc skips it (libseccomp would refuse it)", rule.Outcome())})
			continue
		}
		if split := splitArg(rule.Args); split >= 0 {
			out.Split = append(out.Split, simulate.SkippedRule{Index: rule.Index,
				Reason: fmt.Sprintf("several conditions on argument %d: added as one rule per condition, as runc does, which ORs them", split)})
		}
		for _, name := range rule.Names {
			// runc resolves names without an arch and drops those that fail.
			call, err := seccomp.GetSyscallFromName(name)
			if err != nil {
				continue
			}
			if err := addRule(f, call, act, conds); err != nil {
				return fail(fmt.Errorf("syscalls[%d] %s: libseccomp refused the rule: %w", rule.Index, name, err))
			}
		}
	}
	for _, n := range order {
		out.Unknown = append(out.Unknown, *unknown[n])
	}
	out.RuncStub = runcStub(p)
	return out, nil
}

// droppedOn returns the filter's arches on which libseccomp has no number for name
// although the kernel's tables do: there the rule silently loses the name. A name
// libseccomp does not know at all is dropped on every arch. Arches the syscall
// tables do not cover count only when the name is unknown everywhere.
func droppedOn(name string, archs map[syscalls.Arch]seccomp.ScmpArch) (out []syscalls.Arch, everywhere bool) {
	if _, err := seccomp.GetSyscallFromName(name); err != nil {
		for a := range archs {
			out = append(out, a)
		}
		slices.Sort(out)
		return out, true
	}
	for a, sa := range archs {
		if _, kernel := syscalls.Number(a, name); !kernel {
			continue
		}
		nr, err := seccomp.GetSyscallFromNameByArch(name, sa)
		// A negative number is a pseudo-syscall: libseccomp has no such call on the
		// arch, except x86's socket and IPC calls, which it multiplexes.
		if err != nil || (nr < 0 && !simulate.Multiplexed(a, name)) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out, false
}

// splitArg returns the first argument with more than one condition, or -1.
func splitArg(args []profile.Arg) int {
	seen := map[uint]bool{}
	for _, a := range args {
		if seen[a.Index] {
			return int(a.Index)
		}
		seen[a.Index] = true
	}
	return -1
}

// addRule adds one rule; libseccomp refuses several conditions on one argument in
// a single rule ("two checks on same syscall argument"), so runc adds those as one
// rule per condition, and so do we.
func addRule(f *seccomp.ScmpFilter, call seccomp.ScmpSyscall, act seccomp.ScmpAction, conds []seccomp.ScmpCondition) error {
	if len(conds) == 0 {
		return f.AddRule(call, act)
	}
	seen := map[uint]bool{}
	sameArg := false
	for _, c := range conds {
		sameArg = sameArg || seen[c.Argument]
		seen[c.Argument] = true
	}
	if !sameArg {
		return f.AddRuleConditional(call, act, conds)
	}
	for _, c := range conds {
		if err := f.AddRuleConditional(call, act, []seccomp.ScmpCondition{c}); err != nil {
			return err
		}
	}
	return nil
}

func conditions(args []profile.Arg) ([]seccomp.ScmpCondition, error) {
	var out []seccomp.ScmpCondition
	for i, a := range args {
		op, ok := operators[a.Op]
		if !ok {
			return nil, fmt.Errorf("[%d].op: unknown operator %q", i, a.Op)
		}
		values := []uint64{a.Value}
		if op == seccomp.CompareMaskedEqual {
			// runc passes value, valueTwo: libseccomp tests (arg & value) == valueTwo.
			values = append(values, a.ValueTwo)
		}
		c, err := seccomp.MakeCondition(a.Index, op, values...)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, c)
	}
	return out, nil
}

var operators = map[string]seccomp.ScmpCompareOp{
	"SCMP_CMP_NE":        seccomp.CompareNotEqual,
	"SCMP_CMP_LT":        seccomp.CompareLess,
	"SCMP_CMP_LE":        seccomp.CompareLessOrEqual,
	"SCMP_CMP_EQ":        seccomp.CompareEqual,
	"SCMP_CMP_GE":        seccomp.CompareGreaterEqual,
	"SCMP_CMP_GT":        seccomp.CompareGreater,
	"SCMP_CMP_MASKED_EQ": seccomp.CompareMaskedEqual,
}

// action maps a profile action to libseccomp's as runc does: ERRNO and TRACE carry
// their data (errnoRet, or EPERM when unset, already resolved into the policy).
func action(name string, data uint) (seccomp.ScmpAction, error) {
	errno := int16(data)
	switch name {
	case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD":
		return seccomp.ActKillThread, nil
	case "SCMP_ACT_KILL_PROCESS":
		return seccomp.ActKillProcess, nil
	case "SCMP_ACT_TRAP":
		return seccomp.ActTrap, nil
	case "SCMP_ACT_ERRNO":
		return seccomp.ActErrno.SetReturnCode(errno), nil
	case "SCMP_ACT_TRACE":
		return seccomp.ActTrace.SetReturnCode(errno), nil
	case "SCMP_ACT_ALLOW":
		return seccomp.ActAllow, nil
	case "SCMP_ACT_LOG":
		return seccomp.ActLog, nil
	case "SCMP_ACT_NOTIFY":
		return seccomp.ActNotify, nil
	}
	return seccomp.ActInvalid, fmt.Errorf("unknown action %q (known: %s)", name, strings.Join(profile.KnownActions, ", "))
}

// scmpArch turns a profile arch (SCMP_ARCH_X86_64) into libseccomp's token.
func scmpArch(a syscalls.Arch) (seccomp.ScmpArch, error) {
	arch, err := seccomp.GetArchFromString(strings.TrimPrefix(string(a), "SCMP_ARCH_"))
	if err != nil {
		return seccomp.ArchInvalid, fmt.Errorf("unknown architecture %q", a)
	}
	return arch, nil
}

// NativeArch is the arch libseccomp builds for here, in the profile's spelling.
func NativeArch() syscalls.Arch {
	arch, err := seccomp.GetNativeArch()
	if err != nil {
		return ""
	}
	switch arch {
	case seccomp.ArchAMD64:
		return syscalls.X86_64
	case seccomp.ArchARM64:
		return syscalls.AArch64
	case seccomp.ArchLOONGARCH64:
		return "SCMP_ARCH_LOONGARCH64"
	}
	return syscalls.Arch("SCMP_ARCH_" + strings.ToUpper(arch.String()))
}

// LibseccompVersion is the linked library's version and API level.
func LibseccompVersion() string {
	major, minor, micro := seccomp.GetLibraryVersion()
	api, _ := seccomp.GetAPI()
	return fmt.Sprintf("%d.%d.%d (API %d)", major, minor, micro, api)
}
