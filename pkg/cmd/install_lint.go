package cmd

import (
	"slices"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/cluster"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// clusterLintOptions are the lint options the cluster's nodes call for: one per
// container runtime the nodes run, each with every node arch. Complete linted for
// x86_64 and containerd before the cluster was reachable; this is the second look,
// with the facts the nodes report.
func clusterLintOptions(nodes []cluster.Node) []lint.Options {
	var arches []syscalls.Arch
	var runtimes []string
	for _, n := range nodes {
		if a, err := lint.ParseNodeArch(n.Arch); err == nil && !slices.Contains(arches, a) {
			arches = append(arches, a)
		}
		if r, _ := lint.RuntimeOf(n.Runtime); !slices.Contains(runtimes, r) {
			runtimes = append(runtimes, r)
		}
	}
	var out []lint.Options
	for _, r := range runtimes {
		out = append(out, lint.Options{NodeArches: arches, Runtime: r})
	}
	return out
}

// lintForNodes returns the findings the nodes' arches and runtimes add to those
// already reported, and the errors among them.
func lintForNodes(files []*profile.File, nodes []cluster.Node, reported []profile.Finding) (added []profile.Finding, errs []string) {
	seen := map[string]bool{}
	for _, f := range reported {
		seen[f.String()] = true
	}
	for _, opts := range clusterLintOptions(nodes) {
		if opts.Runtime == lint.Containerd && (len(opts.NodeArches) == 0 || slices.Equal(opts.NodeArches, []syscalls.Arch{syscalls.X86_64})) {
			continue // what Complete linted for already: the findings would all be seen
		}
		for _, f := range files {
			for _, finding := range lint.Lint(f.Source, f.Data, opts) {
				if finding.Severity == profile.Info || seen[finding.String()] {
					continue
				}
				seen[finding.String()] = true
				added = append(added, finding)
				if finding.Severity == profile.Error {
					errs = append(errs, finding.String())
				}
			}
		}
	}
	return added, errs
}

// refuseForNodes is the error install returns when the nodes' own lint finds errors.
func refuseForNodes(errs []string) error {
	return usageError("%s\nlint found %d error(s) for the arches and runtimes of this cluster's nodes; nothing was changed in the cluster: fix them, or install anyway with --force",
		strings.Join(errs, "\n"), len(errs))
}
