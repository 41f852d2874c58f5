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

	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/installer"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// runCheck compares each installed file with its source and loads the installed one
// through this node's libseccomp. It prints one CheckReport as JSON.
func runCheck(args []string) int {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	source := fs.String("source", "/profiles", "directory holding the source profiles (the ConfigMap volume)")
	installed := fs.String("installed", "", "node directory the installer writes into (mounted read-only)")
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
	rep := report.CheckReport{Version: report.Version, Libseccomp: libseccompVersion(), Kernel: kernelRelease()}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		rep.Profiles = append(rep.Profiles, checkOne(n, files[n], *installed))
	}
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 1
	}
	return 0
}

func checkOne(name string, source []byte, dir string) report.ProfileChecks {
	pc := report.ProfileChecks{Name: name, SourceDigest: profile.Digest(source)}
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		pc.Installed = report.Fail("file missing on the node: " + hostPath(path))
		pc.Loads = report.Skip("nothing to load: the file is missing")
		return pc
	case err != nil:
		pc.Installed = report.Fail("cannot read " + hostPath(path) + ": " + err.Error())
		pc.Loads = report.Skip("nothing to load: the file cannot be read")
		return pc
	}
	pc.NodeDigest = profile.Digest(data)
	if pc.NodeDigest == pc.SourceDigest {
		pc.Installed = report.Pass("sha256 " + pc.NodeDigest[:12] + " matches the source")
	} else {
		pc.Installed = report.Fail(fmt.Sprintf("the node's file differs from the source (node sha256 %s, source %s): run `kubectl seccomp install` again", pc.NodeDigest[:12], pc.SourceDigest[:12]))
	}
	// The installed file is what the runtime will load, so that is the one to prove.
	pc.Loads = loadInChild(path)
	return pc
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
