package objects

import (
	"fmt"
	"path"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
)

// Names of the objects the tool owns. They are fixed: one installation per cluster.
const (
	Namespace     = "kubectl-seccomp"
	ConfigMapName = "kubectl-seccomp-profiles"
	DaemonSetName = "kubectl-seccomp-installer"
	FieldManager  = "kubectl-seccomp"

	// ProfileDir is the directory under <kubelet-root>/seccomp/ that the tool owns;
	// pods reference a profile as `localhostProfile: kubectl-seccomp/<name>.json`.
	ProfileDir = "kubectl-seccomp"

	DefaultKubeletRoot = "/var/lib/kubelet"

	LabelName      = "app.kubernetes.io/name"
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelComponent = "app.kubernetes.io/component"
	// LabelRevision on installer pods says which install (profile set + mode) they carry.
	LabelRevision = "seccomp.kubectl-seccomp.io/revision"
	// LabelRun ties a verify run's pods together, so cleanup deletes exactly those.
	LabelRun = "seccomp.kubectl-seccomp.io/run"
	// AnnotationSetDigest records the digest of the installed profile set.
	AnnotationSetDigest = "seccomp.kubectl-seccomp.io/set-digest"
)

// Config holds what the user chose for the objects.
type Config struct {
	Image       string
	KubeletRoot string
}

// Validate checks the values that end up in pod specs.
func (c Config) Validate() error {
	if c.Image == "" {
		return fmt.Errorf("--image must not be empty")
	}
	if !path.IsAbs(c.KubeletRoot) || strings.Contains(c.KubeletRoot, "..") {
		return fmt.Errorf("--kubelet-root-dir %q must be an absolute path without '..' (the kubelet's --root-dir, usually %s)", c.KubeletRoot, DefaultKubeletRoot)
	}
	return nil
}

// LocalhostProfile is what a pod puts in seccompProfile.localhostProfile for name.
func LocalhostProfile(name string) string { return ProfileDir + "/" + name }

// HostProfileDir is the directory on each node that holds the tool's profiles.
func (c Config) HostProfileDir() string {
	return path.Join(c.KubeletRoot, "seccomp", ProfileDir)
}

// InstalledConfig reads back from the installer DaemonSet the image and kubelet root
// the last install used, so that verify and uninstall act on what is there. A field
// it cannot find stays empty.
func InstalledConfig(ds *appsv1.DaemonSet) Config {
	spec := ds.Spec.Template.Spec
	var c Config
	if len(spec.InitContainers) > 0 {
		c.Image = spec.InitContainers[0].Image
	}
	for _, v := range spec.Volumes {
		if v.HostPath != nil && path.Base(v.HostPath.Path) == "seccomp" {
			c.KubeletRoot = path.Dir(v.HostPath.Path)
		}
	}
	return c
}
