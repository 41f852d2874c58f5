package main

import (
	"fmt"
	"strings"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// compiled is a libseccomp filter built from a profile, with what was left out of it.
type compiled struct {
	filter  *seccomp.ScmpFilter
	unknown []string // syscall names this libseccomp does not know: dropped, as runc drops them
	skipped []string // rules whose action equals the default: libseccomp refuses them, runc skips them
}

// compile builds the filter the way runc does, so that "it loads here" means "it
// loads for the runtime": unknown names are dropped, rules equal to the default are
// skipped, and conditions on the same argument become separate rules.
func compile(p *profile.Profile) (*compiled, error) {
	def, err := action(p.DefaultAction, p.DefaultErrnoRet)
	if err != nil {
		return nil, fmt.Errorf("defaultAction: %w", err)
	}
	f, err := seccomp.NewFilter(def)
	if err != nil {
		return nil, fmt.Errorf("libseccomp refused the default action: %w", err)
	}
	c := &compiled{filter: f}
	for i, a := range p.Architectures {
		arch, err := seccomp.GetArchFromString(strings.TrimPrefix(a, "SCMP_ARCH_"))
		if err != nil {
			f.Release()
			return nil, fmt.Errorf("architectures[%d]: %w", i, err)
		}
		if err := f.AddArch(arch); err != nil {
			f.Release()
			return nil, fmt.Errorf("architectures[%d] %s: %w", i, a, err)
		}
	}
	for i, rule := range p.Syscalls {
		act, err := action(rule.Action, rule.ErrnoRet)
		if err != nil {
			f.Release()
			return nil, fmt.Errorf("syscalls[%d].action: %w", i, err)
		}
		if act == def {
			c.skipped = append(c.skipped, fmt.Sprintf("syscalls[%d]", i))
			continue
		}
		conds, err := conditions(rule.Args)
		if err != nil {
			f.Release()
			return nil, fmt.Errorf("syscalls[%d].args: %w", i, err)
		}
		for _, name := range rule.Names {
			call, err := seccomp.GetSyscallFromName(name)
			if err != nil {
				c.unknown = append(c.unknown, name)
				continue
			}
			if err := addRule(f, call, act, conds); err != nil {
				f.Release()
				return nil, fmt.Errorf("syscalls[%d] %s: %w", i, name, err)
			}
		}
	}
	return c, nil
}

// addRule adds one rule; libseccomp rejects several conditions on one argument in a
// single rule, so runc adds those as one rule per condition, and so do we.
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
	for _, a := range args {
		op, ok := operators[a.Op]
		if !ok {
			return nil, fmt.Errorf("unknown operator %q", a.Op)
		}
		values := []uint64{a.Value}
		if op == seccomp.CompareMaskedEqual {
			values = append(values, a.ValueTwo)
		}
		c, err := seccomp.MakeCondition(a.Index, op, values...)
		if err != nil {
			return nil, err
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

// action maps a profile action to libseccomp's, with runc's errno default (EPERM).
func action(name string, errnoRet *uint) (seccomp.ScmpAction, error) {
	errno := int16(profile.EPERM)
	if errnoRet != nil {
		errno = int16(*errnoRet)
	}
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
	return seccomp.ActInvalid, fmt.Errorf("unknown action %q", name)
}

func libseccompVersion() string {
	major, minor, micro := seccomp.GetLibraryVersion()
	api, _ := seccomp.GetAPI()
	return fmt.Sprintf("%d.%d.%d (API %d)", major, minor, micro, api)
}
