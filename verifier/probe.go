package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// runProbe runs in a container the runtime started under the profile. It cannot load
// anything itself; it reports whether a filter is in force (`Seccomp: 2` in
// /proc/self/status) and what chmod(2) gets, against what the source profile intends.
func runProbe(args []string) int {
	fs := flag.NewFlagSet("probe", flag.ExitOnError)
	name := fs.String("profile", "", "profile name, for the report")
	source := fs.String("source", "", "the source profile, to know what it intends")
	fs.Parse(args)
	rep := report.ProbeReport{Version: report.Version, Profile: *name}
	rep.Enforced = probe(*source)
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 1
	}
	return 0
}

func probe(source string) report.Check {
	p, err := readProfile(source)
	if err != nil {
		return report.Skip("cannot read the source profile: " + err.Error())
	}
	mode, err := seccompMode()
	if err != nil {
		return report.Skip(err.Error())
	}
	if mode != "2" {
		return report.Fail(fmt.Sprintf("the runtime applied no filter: /proc/self/status says Seccomp: %s (2 means filter)", mode))
	}
	c := proveChmod(p, "runtime")
	c.Detail = "Seccomp: 2; " + c.Detail
	return c
}

func seccompMode() (string, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "", fmt.Errorf("cannot read /proc/self/status: %v", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "Seccomp:"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("/proc/self/status has no Seccomp line: kernel without seccomp?")
}

func readProfile(path string) (*profile.Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return profile.Parse(path, data)
}
