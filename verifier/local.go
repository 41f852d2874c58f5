package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// runLocal proves profile files on this machine, without a cluster, and prints one
// JSON array of proofs: what `kubectl seccomp verify --local` renders.
func runLocal(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: verifier local FILE...")
		return 2
	}
	var proofs []report.Proof
	for _, path := range args {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "local: %v\n", err)
			return 2
		}
		proofs = append(proofs, prove(filepath.Base(path), data))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(proofs); err != nil {
		return 1
	}
	return 0
}
