package main

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// Every pod the plugin builds runs this binary with a mode as its first argument; a
// mode the binary lacks would only show up as a crash-looping container on a node.
func TestEveryModeThePluginUsesExists(t *testing.T) {
	cfg := objects.Config{Image: "img", KubeletRoot: "/var/lib/kubelet"}
	var specs []corev1.PodSpec
	for _, mode := range []objects.Mode{objects.ModeSync, objects.ModeClean} {
		specs = append(specs, objects.InstallerDaemonSet(cfg, mode, "r").Spec.Template.Spec)
	}
	files := []*profile.File{{Name: "a.json"}, {Name: "b.json"}}
	specs = append(specs, objects.VerifierPod(cfg, "node1", "run", "containerd", files).Spec)
	for _, spec := range specs {
		for _, c := range append(spec.InitContainers, spec.Containers...) {
			if len(c.Args) == 0 || modes[c.Args[0]] == nil {
				t.Errorf("container %s runs mode %v, which the verifier does not have", c.Name, c.Args)
			}
		}
	}
}
