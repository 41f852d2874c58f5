//go:build linux && !(amd64 && cgo)

package live

import (
	"runtime"

	"golang.org/x/net/bpf"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
)

// Probe reports every vector as not probed: the probe child (its stubs, the shadow
// filter's instruction pointers) is written for x86_64 and needs cgo.
func Probe(prog []bpf.RawInstruction, vectors []simulate.Vector) ([]Result, error) {
	out := make([]Result, len(vectors))
	for i, v := range vectors {
		out[i] = Result{Vector: v, Observed: notProbed("simulated only: live probing is implemented for x86_64 builds with cgo, and this verifier is %s/%s", runtime.GOOS, runtime.GOARCH)}
	}
	return out, nil
}

// ProbeRuntime, like Probe, needs the x86_64 probe child.
func ProbeRuntime(vectors []simulate.Vector, expected []simulate.Outcome) ([]Result, error) {
	return Probe(nil, vectors)
}
