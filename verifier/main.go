// Command verifier is the in-cluster half of kubectl-seccomp, one static binary in one
// image with several modes:
//
//	sync  --source DIR --target DIR [--watch]   installer: keep a node's profile directory in sync
//	clean --target DIR                          uninstaller: remove the files the installer wrote
//	check --source DIR --installed DIR          verifier: compare installed files, load each through libseccomp
//	probe --profile NAME --source FILE          runs under a runtime-applied profile and reports what it sees
//	local FILE...                               the whole engine on this machine, for `verify --local`
//	idle                                        waits for SIGTERM (the uninstaller's main container)
//
// It needs no API access: inputs are mounted files, results are printed as JSON on stdout.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

var modes = map[string]func(args []string) int{
	"sync":    runSync,
	"clean":   runClean,
	"check":   runCheck,
	"probe":   runProbe,
	"idle":    runIdle,
	"local":   runLocal,
	"version": runVersion,
}

func main() {
	if len(os.Args) < 2 || modes[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: verifier {sync|clean|check|probe|local|idle|version} [flags]")
		os.Exit(2)
	}
	os.Exit(modes[os.Args[1]](os.Args[2:]))
}

func runVersion([]string) int {
	fmt.Println(version)
	return 0
}

// version is stamped at build time with -X main.version=...
var version = "dev"

// runIdle keeps a pod Running after its init container did the work, until the
// kubelet stops it.
func runIdle([]string) int {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	return 0
}
