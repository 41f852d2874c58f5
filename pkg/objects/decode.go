package objects

import (
	"fmt"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-seccomp/kubectl-seccomp/manifests"
)

// decode reads an embedded manifest into obj. The manifests are part of the binary and
// covered by tests, so a failure here is a build defect, not a user error.
func decode(file string, obj any) {
	data, err := manifests.FS.ReadFile(file)
	if err != nil {
		panic(fmt.Sprintf("embedded manifest %s: %v", file, err))
	}
	text := strings.ReplaceAll(string(data), "PROFILE_DIR", ProfileDir)
	if err := yaml.UnmarshalStrict([]byte(text), obj); err != nil {
		panic(fmt.Sprintf("embedded manifest %s: %v", file, err))
	}
}

// fillPodSpec sets the values the user chose: the image of every container and the
// node path of the seccomp hostPath volume.
func fillPodSpec(spec *corev1.PodSpec, c Config) {
	for i := range spec.InitContainers {
		spec.InitContainers[i].Image = c.Image
	}
	for i := range spec.Containers {
		spec.Containers[i].Image = c.Image
	}
	for i := range spec.Volumes {
		if hp := spec.Volumes[i].HostPath; hp != nil {
			hp.Path = path.Join(c.KubeletRoot, "seccomp")
		}
	}
}
