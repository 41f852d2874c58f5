package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// loadChildMode is the hidden mode of the child process that loads a filter. The
// filter is never loaded into the verifier itself: libseccomp sets TSYNC, so it would
// confine every thread of the process that still has work to do.
const loadChildMode = "__load-child"

type childResult struct {
	Loaded  bool         `json:"loaded"`
	Error   string       `json:"error,omitempty"`
	Unknown []string     `json:"unknown,omitempty"`
	Skipped []string     `json:"skipped,omitempty"`
	Chmod   report.Check `json:"chmod"`
}

// runLoadChild compiles the profile with libseccomp, loads it into this process and
// proves chmod(2) under it. It prints one JSON line and exits.
func runLoadChild(args []string) int {
	out := json.NewEncoder(os.Stdout)
	if len(args) != 1 {
		out.Encode(childResult{Error: "usage: " + loadChildMode + " FILE"})
		return 2
	}
	p, err := readProfile(args[0])
	if err != nil {
		out.Encode(childResult{Error: err.Error()})
		return 1
	}
	c, err := compile(p)
	if err != nil {
		out.Encode(childResult{Error: "libseccomp cannot compile it: " + err.Error()})
		return 1
	}
	res := childResult{Unknown: c.unknown, Skipped: c.skipped}
	if err := c.filter.Load(); err != nil {
		res.Error = "libseccomp cannot load it into the kernel: " + err.Error()
		out.Encode(res)
		return 1
	}
	res.Loaded = true
	res.Chmod = proveChmod(p, "libseccomp")
	out.Encode(res)
	return 0
}

// loadInChild runs the load child on file and turns its answer into the LOADS check.
func loadInChild(file string) report.Check {
	// No /dev/null exists in the bare image: give the child explicit streams.
	cmd := exec.Command("/proc/self/exe", loadChildMode, file)
	cmd.Stdin = strings.NewReader("")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var res childResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return report.Fail(fmt.Sprintf("the child that loads the filter died (%v) before reporting: %s", runErr, tail(stderr.String())))
	}
	if !res.Loaded {
		return report.Fail(res.Error)
	}
	c := res.Chmod
	var notes []string
	if len(res.Unknown) > 0 {
		notes = append(notes, fmt.Sprintf("names unknown to libseccomp %s, dropped as runc drops them: %s", libseccompVersion(), strings.Join(res.Unknown, ", ")))
	}
	if len(res.Skipped) > 0 {
		notes = append(notes, "rules equal to the default action, skipped: "+strings.Join(res.Skipped, ", "))
	}
	if len(notes) > 0 {
		c.Detail += "; " + strings.Join(notes, "; ")
	}
	return c
}

func readProfile(path string) (*profile.Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return profile.Parse(path, data)
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	return s
}
