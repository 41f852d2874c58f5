package objects

import (
	"fmt"
	"path"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// NamespaceObject is the tool's namespace.
func NamespaceObject() *corev1.Namespace {
	var ns corev1.Namespace
	decode("namespace.yaml", &ns)
	return &ns
}

// ProfilesConfigMap holds every profile under its file name, byte for byte.
func ProfilesConfigMap(files []*profile.File, setDigest string) *corev1.ConfigMap {
	cm := &corev1.ConfigMap{}
	cm.APIVersion, cm.Kind = "v1", "ConfigMap"
	cm.Name, cm.Namespace = ConfigMapName, Namespace
	cm.Labels = map[string]string{LabelName: "kubectl-seccomp", LabelManagedBy: "kubectl-seccomp"}
	cm.Annotations = map[string]string{AnnotationSetDigest: setDigest}
	cm.Data = map[string]string{}
	for _, f := range files {
		cm.Data[f.Name] = string(f.Data)
	}
	return cm
}

// Mode is what the installer pods do on each node.
type Mode string

const (
	ModeSync  Mode = "sync"  // write the ConfigMap's profiles, prune the ones removed
	ModeClean Mode = "clean" // remove every file the installer wrote
)

// InstallerDaemonSet runs the installer on every node. revision goes into the pod
// template, so a new profile set or mode rolls out to all nodes at once.
func InstallerDaemonSet(c Config, mode Mode, revision string) *appsv1.DaemonSet {
	var ds appsv1.DaemonSet
	decode("installer-daemonset.yaml", &ds)
	spec := &ds.Spec.Template.Spec
	fillPodSpec(spec, c)
	ds.Spec.Template.Labels[LabelRevision] = revision
	if mode == ModeClean {
		target := "--target=/host/seccomp/" + ProfileDir
		spec.InitContainers[0].Name = "clean"
		spec.InitContainers[0].Args = []string{"clean", target}
		// Nothing to watch once the files are gone; the pod idles until the plugin
		// deletes the DaemonSet.
		spec.Containers[0].Name = "done"
		spec.Containers[0].Args = []string{"idle"}
		spec.Volumes[0].ConfigMap.Optional = boolPtr(true)
	}
	return &ds
}

// VerifierPod checks every profile on one node: `check` plus one runtime probe per
// profile, each started under its own Localhost profile. runtime says how the node's
// container runtime reads a profile (lint.Containerd, lint.CRIO, lint.Docker), so both
// judge the JSON as that node will.
func VerifierPod(c Config, node, run, runtime string, files []*profile.File) *corev1.Pod {
	var pod corev1.Pod
	decode("verifier-pod.yaml", &pod)
	pod.Labels[LabelRun] = run
	pod.Spec.NodeName = node
	pod.Spec.Containers[0].Args = append(pod.Spec.Containers[0].Args, "--runtime="+runtime)
	// The check container names node files by their node path, not its mount point.
	pod.Spec.Containers[0].Env = append(pod.Spec.Containers[0].Env, corev1.EnvVar{Name: "HOST_SECCOMP_DIR", Value: path.Join(c.KubeletRoot, "seccomp")})
	check := pod.Spec.Containers[0]
	for i, f := range files {
		probe := corev1.Container{
			Name:            ProbeContainerName(i),
			ImagePullPolicy: check.ImagePullPolicy,
			Args:            []string{"probe", "--profile=" + f.Name, "--source=/profiles/" + f.Name, "--runtime=" + runtime},
			VolumeMounts:    []corev1.VolumeMount{{Name: "profiles", MountPath: "/profiles", ReadOnly: true}},
			SecurityContext: &corev1.SecurityContext{SeccompProfile: &corev1.SeccompProfile{
				Type:             corev1.SeccompProfileTypeLocalhost,
				LocalhostProfile: strPtr(LocalhostProfile(f.Name)),
			}},
		}
		pod.Spec.Containers = append(pod.Spec.Containers, probe)
	}
	fillPodSpec(&pod.Spec, c)
	return &pod
}

// ProbeContainerName is the container that probes the i-th profile. Profile names may
// hold '.' and '_', which container names may not, hence an index.
func ProbeContainerName(i int) string { return fmt.Sprintf("probe-%d", i) }

func boolPtr(b bool) *bool    { return &b }
func strPtr(s string) *string { return &s }
