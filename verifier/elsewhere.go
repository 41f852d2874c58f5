package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/engine"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/live"
)

// maxElsewhereNames keeps the per-arch lines readable: a profile that restricts more
// names is summed up by the counts and -o json.
const maxElsewhereNames = 12

// simulatedElsewhere says, for each arch the filter covers but this machine cannot
// probe live (aarch64 and arm on an x86_64 node), what the syscalls the profile
// restricts get there by simulation, and which of them do not exist there: a rule
// for chmod proves nothing on aarch64, which has no chmod, and must not read as a pass.
func simulatedElsewhere(static *engine.Result, restricted map[string]bool, probed map[syscalls.Arch]bool) []string {
	if len(restricted) == 0 || len(restricted) > maxElsewhereNames {
		return nil
	}
	names := make([]string, 0, len(restricted))
	for n := range restricted {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, a := range static.Policy.Covered() {
		if probed[a] || syscalls.AuditArch(a) == 0 {
			continue
		}
		got := map[string]string{}
		for i, v := range static.Vectors {
			if v.Arch == a && v.Why == "" && restricted[v.Name] {
				got[v.Name] = live.OutcomeString(static.Simulated[i])
			}
		}
		byOutcome := map[string][]string{}
		var missing []string
		for _, n := range names {
			if _, ok := syscalls.Number(a, n); !ok {
				missing = append(missing, n)
			} else if o, ok := got[n]; ok {
				byOutcome[o] = append(byOutcome[o], n)
			}
		}
		var parts []string
		for o, ns := range byOutcome {
			parts = append(parts, strings.Join(ns, ", ")+": "+o)
		}
		sort.Strings(parts)
		if len(missing) > 0 {
			parts = append(parts, fmt.Sprintf("%s: not a syscall on %s, so the rule denies nothing there", strings.Join(missing, ", "), a.Short()))
		}
		if len(parts) > 0 {
			out = append(out, fmt.Sprintf("%s, simulated only (this machine cannot issue its calls): %s", a.Short(), strings.Join(parts, "; ")))
		}
	}
	return out
}
