package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/installer"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
	"github.com/kubectl-seccomp/kubectl-seccomp/verifier/engine"
)

// runCheck compares each installed file with its source and loads the installed one
// through this node's libseccomp. It prints one CheckReport as JSON.
func runCheck(args []string) int {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	source := fs.String("source", "/profiles", "directory holding the source profiles (the ConfigMap volume)")
	installed := fs.String("installed", "", "node directory the installer writes into (mounted read-only)")
	runtime := fs.String("runtime", lint.Containerd, "how the node's runtime reads the profile: "+strings.Join(lint.Runtimes, ", "))
	fs.Parse(args)
	if *installed == "" {
		fmt.Fprintln(os.Stderr, "check: --installed is required")
		return 2
	}
	files, err := installer.ReadSource(*source)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		return 1
	}
	rep := report.CheckReport{Version: report.Version, Libseccomp: engine.LibseccompVersion(), Kernel: kernelRelease()}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		rep.Profiles = append(rep.Profiles, checkOne(n, files[n], *installed, *runtime))
	}
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 1
	}
	return 0
}

func checkOne(name string, source []byte, dir, runtime string) report.ProfileChecks {
	pc := report.ProfileChecks{Name: name, SourceDigest: profile.Digest(source)}
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		pc.Installed = report.Fail("file missing on the node: " + hostPath(path))
		pc.Loads = report.Skip("nothing to load: the file is missing")
		pc.Simulated = report.Skip("nothing to simulate: the file is missing")
		return pc
	case err != nil:
		pc.Installed = report.Fail("cannot read " + hostPath(path) + ": " + err.Error())
		pc.Loads = report.Skip("nothing to load: the file cannot be read")
		pc.Simulated = report.Skip("nothing to simulate: the file cannot be read")
		return pc
	}
	pc.NodeDigest = profile.Digest(data)
	if pc.NodeDigest == pc.SourceDigest {
		pc.Installed = report.Pass("sha256 " + pc.NodeDigest[:12] + " matches the source")
	} else {
		pc.Installed = report.Fail(differs(dir, name, pc.NodeDigest, pc.SourceDigest))
	}
	// The installed file is what the runtime will load, so that is the one to prove.
	proof := prove(name, data, runtime)
	pc.Loads, pc.Simulated = loadsCheck(proof), simulatedCheck(proof)
	pc.Notes = report.ProofNotes(proof)
	pc.Proof = &proof
	return pc
}

// differs says why the node's file is not the source and what fixes it: install
// repairs a file it wrote, but never touches one it did not write.
func differs(dir, name, node, source string) string {
	what := fmt.Sprintf("the node's file differs from the source (node sha256 %s, source %s)", node[:12], source[:12])
	owned, err := installer.Owns(dir, name)
	switch {
	case err != nil:
		return what + ": " + err.Error()
	case !owned:
		return fmt.Sprintf("%s and was not written by kubectl-seccomp (%s does not list it), so install leaves it alone: "+
			"rename your profile, or remove %s by hand if it is stale, then install again", what, installer.ManifestName, hostPath(filepath.Join(dir, name)))
	}
	return what + ": run `kubectl seccomp install` again"
}

// loadsCheck: this node's libseccomp compiled the profile within the kernel's limit,
// and the kernel accepted the program in the probe child.
func loadsCheck(p report.Proof) report.Check {
	if c := p.Loads(); !c.OK {
		return c
	}
	if p.Live.Error != "" {
		return report.Skip("compiled, but not loaded in a probe child: " + p.Live.Error)
	}
	detail := fmt.Sprintf("libseccomp %s compiled %d BPF instructions; loaded in a probe child", p.Static.Libseccomp, p.Static.Instructions)
	if len(p.Live.Denied) > 0 {
		detail += ": " + strings.Join(p.Live.Denied, ", ")
	}
	return report.Pass(detail)
}

// simulatedCheck: every vector got what the JSON intends (or a known cause says why
// not), and the kernel did live what the simulation said (or an exemption says why not).
func simulatedCheck(p report.Proof) report.Check {
	if c := p.Simulated(); !c.OK {
		if c.Ran {
			return report.Fail(fmt.Sprintf("%d of %d vectors differ from the JSON with no known cause", p.Static.Unexplained, p.Static.Vectors))
		}
		return c
	}
	detail := fmt.Sprintf("%d vectors simulated, %d differ from the JSON, all explained", p.Static.Vectors, len(p.Static.Mismatches))
	if c := p.LiveProven(); c.Ran && !c.OK {
		return report.Fail(detail + "; but live probes disagree with the simulation, unexplained")
	}
	if p.Live.Error == "" {
		detail += fmt.Sprintf("; %d of %d probed live agree", p.Live.Agree, p.Live.Probed)
	}
	return report.Pass(detail)
}

// hostPath names the file as the admin sees it on the node, not as mounted here.
func hostPath(path string) string {
	if root := os.Getenv("HOST_SECCOMP_DIR"); root != "" {
		if rel, err := filepath.Rel("/host/seccomp", path); err == nil {
			return filepath.Join(root, rel)
		}
	}
	return path
}

func kernelRelease() string {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return ""
	}
	return unix.ByteSliceToString(u.Release[:])
}
