package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// runLocal proves profile files on this machine, without a cluster, and prints one
// JSON array of proofs: what `kubectl seccomp verify --local` renders.
func runLocal(args []string) int {
	fs := flag.NewFlagSet("local", flag.ExitOnError)
	runtime := fs.String("runtime", lint.Containerd, "how the node's runtime reads the profile: "+strings.Join(lint.Runtimes, ", "))
	fs.Parse(args)
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: verifier local [--runtime R] FILE...")
		return 2
	}
	if !slices.Contains(lint.Runtimes, *runtime) {
		fmt.Fprintf(os.Stderr, "local: unknown runtime %q (known: %s)\n", *runtime, strings.Join(lint.Runtimes, ", "))
		return 2
	}
	var proofs []report.Proof
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "local: %v\n", err)
			return 2
		}
		proofs = append(proofs, prove(filepath.Base(path), data, *runtime))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(proofs); err != nil {
		return 1
	}
	if os.Getenv(peakRSSEnv) != "" {
		reportPeakRSS()
	}
	return 0
}

// peakRSSEnv makes local mode print its peak RSS to stderr, for `make bench`. The
// rusage a parent gets back is no measure: a child started by vfork-and-exec carries
// its parent's high-water mark into its own (the kernel keeps the old mm's peak at
// exec), so a large benchmark process would be counted. VmHWM is this mm's own peak.
// The probe children are smaller than this process (they run before the Go runtime).
const peakRSSEnv = "KSC_REPORT_PEAK_RSS"

func reportPeakRSS() {
	if v, found, _ := procStatus("VmHWM"); found {
		fmt.Fprintf(os.Stderr, "peak-rss %s\n", v)
	}
}
