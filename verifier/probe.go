package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// runProbe runs in a container the runtime started under the profile. It cannot load
// anything itself; it reports whether a filter is in force (`Seccomp: 2` in
// /proc/self/status), what chmod(2) and fchmodat(2) really do to a file, and what
// every vector of the profile gets under the runtime's filter, against what the source
// profile gives.
func runProbe(args []string) int {
	fs := flag.NewFlagSet("probe", flag.ExitOnError)
	name := fs.String("profile", "", "profile name, for the report")
	source := fs.String("source", "", "the source profile, to know what it intends")
	runtime := fs.String("runtime", lint.Containerd, "how the node's runtime reads the profile: "+strings.Join(lint.Runtimes, ", "))
	fs.Parse(args)
	rep := report.ProbeReport{Version: report.Version, Profile: *name}
	rep.Enforced, rep.Runtime = probe(*name, *source, *runtime)
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 1
	}
	return 0
}

func probe(name, source, runtime string) (report.Check, *report.LiveReport) {
	data, err := os.ReadFile(source)
	if err != nil {
		return report.Skip("cannot read the source profile: " + err.Error()), nil
	}
	p, err := profile.Parse(source, data)
	if err != nil {
		return report.Skip("cannot read the source profile: " + err.Error()), nil
	}
	mode, err := seccompMode()
	if err != nil {
		return report.Skip(err.Error()), nil
	}
	if mode != "2" {
		return enforcedCheck(mode, report.Check{}, report.LiveReport{}), nil
	}
	chmod := proveChmod(p, "runtime")
	rt := proveRuntime(name, data, runtime)
	return enforcedCheck(mode, chmod, rt), &rt
}

func seccompMode() (string, error) {
	mode, found, err := procStatus("Seccomp")
	if err == nil && !found {
		err = fmt.Errorf("/proc/self/status has no Seccomp line: kernel without seccomp?")
	}
	return mode, err
}
