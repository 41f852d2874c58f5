package objects

import (
	"encoding/json"
	"path"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

var testConfig = Config{Image: "registry.example.com/verifier:v1", KubeletRoot: "/data/kubelet"}

func testFiles() []*profile.File {
	return []*profile.File{
		{Name: "deny-chmod.json", Data: []byte(`{"defaultAction": "SCMP_ACT_ALLOW"}`)},
		{Name: "a_b.c.json", Data: []byte(`{"defaultAction": "SCMP_ACT_LOG"}` + "\n")},
		{Name: "clone3-enosys.json", Data: []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}`)},
	}
}

func allContainers(spec corev1.PodSpec) []corev1.Container {
	return append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
}

func argValue(c corev1.Container, flag string) (string, bool) {
	for _, a := range c.Args {
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v, true
		}
	}
	return "", false
}

// hostPathOf maps a path inside container c to the node path it lands on, through c's
// hostPath mounts; "" when the path is not on a hostPath volume.
func hostPathOf(spec corev1.PodSpec, c corev1.Container, p string) string {
	for _, m := range c.VolumeMounts {
		rel, ok := strings.CutPrefix(p, m.MountPath)
		if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
			continue
		}
		for _, v := range spec.Volumes {
			if v.Name == m.Name && v.HostPath != nil {
				return path.Join(v.HostPath.Path, rel)
			}
		}
	}
	return ""
}

func assertNoPlaceholders(t *testing.T, obj any) {
	t.Helper()
	data, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"IMAGE", "KUBELET_ROOT", "PROFILE_DIR"} {
		if strings.Contains(string(data), p) {
			t.Errorf("placeholder %s left in the object: %s", p, data)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"defaults", Config{Image: "ghcr.io/kubectl-seccomp/verifier:dev", KubeletRoot: DefaultKubeletRoot}, true},
		{"custom root", Config{Image: "img", KubeletRoot: "/data/kubelet"}, true},
		{"trailing slash", Config{Image: "img", KubeletRoot: "/var/lib/kubelet/"}, true},
		{"empty image", Config{Image: "", KubeletRoot: DefaultKubeletRoot}, false},
		{"relative root", Config{Image: "img", KubeletRoot: "var/lib/kubelet"}, false},
		{"dot-relative root", Config{Image: "img", KubeletRoot: "./kubelet"}, false},
		{"empty root", Config{Image: "img", KubeletRoot: ""}, false},
		{"root with ..", Config{Image: "img", KubeletRoot: "/var/lib/../../etc"}, false},
		{"root ending in ..", Config{Image: "img", KubeletRoot: "/var/lib/kubelet/.."}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.ok && err != nil {
				t.Errorf("Validate(%+v) = %v, want nil", tt.cfg, err)
			}
			if !tt.ok && err == nil {
				t.Errorf("Validate(%+v) accepted it", tt.cfg)
			}
		})
	}
}

func TestHostProfileDirAndLocalhostProfile(t *testing.T) {
	if got := (Config{KubeletRoot: "/var/lib/kubelet/"}).HostProfileDir(); got != "/var/lib/kubelet/seccomp/kubectl-seccomp" {
		t.Errorf("HostProfileDir = %q", got)
	}
	if got := LocalhostProfile("deny-chmod.json"); got != "kubectl-seccomp/deny-chmod.json" {
		t.Errorf("LocalhostProfile = %q", got)
	}
}

func TestNamespaceIsPrivileged(t *testing.T) {
	ns := NamespaceObject()
	if ns.Name != Namespace {
		t.Errorf("name = %q, want %q", ns.Name, Namespace)
	}
	if ns.Kind != "Namespace" || ns.APIVersion != "v1" {
		t.Errorf("TypeMeta = %+v: server-side apply needs kind and apiVersion", ns.TypeMeta)
	}
	if got := ns.Labels["pod-security.kubernetes.io/enforce"]; got != "privileged" {
		t.Errorf("pod-security enforce label = %q, want privileged (the pods mount hostPath)", got)
	}
	if ns.Labels[LabelManagedBy] != "kubectl-seccomp" {
		t.Errorf("labels = %v, want managed-by kubectl-seccomp", ns.Labels)
	}
}

func TestProfilesConfigMapHoldsEveryProfileByteForByte(t *testing.T) {
	files := testFiles()
	cm := ProfilesConfigMap(files, "abc123")
	if cm.Kind != "ConfigMap" || cm.APIVersion != "v1" {
		t.Errorf("TypeMeta = %+v", cm.TypeMeta)
	}
	if cm.Name != ConfigMapName || cm.Namespace != Namespace {
		t.Errorf("name = %s/%s", cm.Namespace, cm.Name)
	}
	if cm.Annotations[AnnotationSetDigest] != "abc123" {
		t.Errorf("annotations = %v, want the set digest", cm.Annotations)
	}
	if len(cm.Data) != len(files) {
		t.Errorf("data has %d keys, want %d", len(cm.Data), len(files))
	}
	for _, f := range files {
		if cm.Data[f.Name] != string(f.Data) {
			t.Errorf("data[%s] = %q, want %q", f.Name, cm.Data[f.Name], f.Data)
		}
	}
}

func TestInstallerDaemonSetSync(t *testing.T) {
	ds := InstallerDaemonSet(testConfig, ModeSync, "rev-1")
	spec := ds.Spec.Template.Spec

	if ds.Kind != "DaemonSet" || ds.APIVersion != "apps/v1" {
		t.Errorf("TypeMeta = %+v: server-side apply needs kind and apiVersion", ds.TypeMeta)
	}
	if ds.Name != DaemonSetName || ds.Namespace != Namespace {
		t.Errorf("name = %s/%s", ds.Namespace, ds.Name)
	}
	t.Run("tolerates every taint", func(t *testing.T) {
		found := false
		for _, tol := range spec.Tolerations {
			if tol.Operator == corev1.TolerationOpExists && tol.Key == "" && tol.Effect == "" {
				found = true
			}
		}
		if !found {
			t.Errorf("tolerations = %+v, want one {operator: Exists} with no key and no effect", spec.Tolerations)
		}
	})
	t.Run("no service account token", func(t *testing.T) {
		if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
			t.Errorf("automountServiceAccountToken = %v, want false", spec.AutomountServiceAccountToken)
		}
	})
	t.Run("all nodes at once", func(t *testing.T) {
		ru := ds.Spec.UpdateStrategy.RollingUpdate
		if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil || ru.MaxUnavailable == nil ||
			*ru.MaxUnavailable != intstr.FromString("100%") {
			t.Errorf("updateStrategy = %+v, want RollingUpdate with maxUnavailable 100%%", ds.Spec.UpdateStrategy)
		}
	})
	t.Run("image on every container", func(t *testing.T) {
		cs := allContainers(spec)
		if len(cs) < 2 {
			t.Fatalf("containers = %d, want an init container and a main container", len(cs))
		}
		for _, c := range cs {
			if c.Image != testConfig.Image {
				t.Errorf("container %s has image %q, want %q", c.Name, c.Image, testConfig.Image)
			}
		}
	})
	t.Run("hostPath is the kubelet's seccomp dir", func(t *testing.T) {
		n := 0
		for _, v := range spec.Volumes {
			if v.HostPath != nil {
				n++
				if v.HostPath.Path != "/data/kubelet/seccomp" {
					t.Errorf("hostPath %s = %q, want /data/kubelet/seccomp", v.Name, v.HostPath.Path)
				}
			}
		}
		if n != 1 {
			t.Errorf("want one hostPath volume, got %d", n)
		}
	})
	t.Run("sync writes to the host profile dir", func(t *testing.T) {
		for _, c := range allContainers(spec) {
			target, ok := argValue(c, "--target")
			if !ok {
				t.Errorf("container %s has no --target: %v", c.Name, c.Args)
				continue
			}
			if got := hostPathOf(spec, c, target); got != testConfig.HostProfileDir() {
				t.Errorf("container %s writes %s = node path %q, want %q", c.Name, target, got, testConfig.HostProfileDir())
			}
			if len(c.Args) == 0 || c.Args[0] != "sync" {
				t.Errorf("container %s args = %v, want sync", c.Name, c.Args)
			}
		}
	})
	t.Run("revision label on the pod template, not in the selector", func(t *testing.T) {
		if got := ds.Spec.Template.Labels[LabelRevision]; got != "rev-1" {
			t.Errorf("template label %s = %q, want rev-1", LabelRevision, got)
		}
		if _, ok := ds.Spec.Selector.MatchLabels[LabelRevision]; ok {
			t.Error("the revision is in the selector, which is immutable: the next install would be refused")
		}
		for k, v := range ds.Spec.Selector.MatchLabels {
			if ds.Spec.Template.Labels[k] != v {
				t.Errorf("template labels %v do not match selector %s=%s", ds.Spec.Template.Labels, k, v)
			}
		}
		// rollout() selects installer pods by component and revision.
		if ds.Spec.Template.Labels[LabelComponent] != "installer" {
			t.Errorf("template labels %v lack %s=installer", ds.Spec.Template.Labels, LabelComponent)
		}
	})
	assertNoPlaceholders(t, ds)
}

func TestInstallerDaemonSetClean(t *testing.T) {
	ds := InstallerDaemonSet(testConfig, ModeClean, "clean-1")
	spec := ds.Spec.Template.Spec
	if len(spec.InitContainers) != 1 {
		t.Fatalf("init containers = %d, want 1", len(spec.InitContainers))
	}
	ic := spec.InitContainers[0]
	if len(ic.Args) == 0 || ic.Args[0] != "clean" {
		t.Errorf("init container args = %v, want clean", ic.Args)
	}
	target, _ := argValue(ic, "--target")
	if got := hostPathOf(spec, ic, target); got != testConfig.HostProfileDir() {
		t.Errorf("clean targets node path %q, want %q", got, testConfig.HostProfileDir())
	}
	for _, c := range spec.Containers {
		if len(c.Args) > 0 && c.Args[0] == "sync" {
			if target, ok := argValue(c, "--target"); ok && hostPathOf(spec, c, target) != "" {
				t.Errorf("in clean mode, container %s still syncs into node path %s", c.Name, hostPathOf(spec, c, target))
			}
		}
	}
	if ds.Spec.Template.Labels[LabelRevision] != "clean-1" {
		t.Errorf("revision label = %q, want clean-1", ds.Spec.Template.Labels[LabelRevision])
	}
	for _, v := range spec.Volumes {
		if v.ConfigMap != nil && (v.ConfigMap.Optional == nil || !*v.ConfigMap.Optional) {
			t.Errorf("volume %s: the ConfigMap must be optional in clean mode (it may be gone already)", v.Name)
		}
	}
	for _, c := range allContainers(spec) {
		if c.Image != testConfig.Image {
			t.Errorf("container %s has image %q", c.Name, c.Image)
		}
	}
	assertNoPlaceholders(t, ds)

	// Building a clean DaemonSet must not leak into the next sync one.
	sync := InstallerDaemonSet(testConfig, ModeSync, "rev-2")
	if a := sync.Spec.Template.Spec.InitContainers[0].Args; len(a) == 0 || a[0] != "sync" {
		t.Errorf("sync DaemonSet built after a clean one has init args %v", a)
	}
}

// installer.Sync starts with MkdirAll(target): a container with a read-only root
// filesystem can only sync into a writable volume mount, or it crash-loops and its pod
// never becomes Ready, which rollout() waits for.
func TestInstallerContainersWriteOnlyToWritableMounts(t *testing.T) {
	for _, mode := range []Mode{ModeSync, ModeClean} {
		t.Run(string(mode), func(t *testing.T) {
			spec := InstallerDaemonSet(testConfig, mode, "r").Spec.Template.Spec
			for _, c := range allContainers(spec) {
				target, ok := argValue(c, "--target")
				if !ok {
					continue
				}
				if c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
					continue
				}
				writable := false
				for _, m := range c.VolumeMounts {
					if !m.ReadOnly && (target == m.MountPath || strings.HasPrefix(target, m.MountPath+"/")) {
						writable = true
					}
				}
				if !writable {
					t.Errorf("container %s (args %v) writes %s, which is on its read-only root filesystem", c.Name, c.Args, target)
				}
			}
		})
	}
}

func TestVerifierPod(t *testing.T) {
	files := testFiles()
	pod := VerifierPod(testConfig, "node-7", "run42", "containerd", files)
	spec := pod.Spec

	if pod.Namespace != Namespace {
		t.Errorf("namespace = %q", pod.Namespace)
	}
	if pod.Name == "" && pod.GenerateName == "" {
		t.Error("pod has neither name nor generateName")
	}
	if spec.NodeName != "node-7" {
		t.Errorf("nodeName = %q, want node-7 (the pod must run on the node it checks)", spec.NodeName)
	}
	if spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("restartPolicy = %q, want Never", spec.RestartPolicy)
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Errorf("automountServiceAccountToken = %v, want false", spec.AutomountServiceAccountToken)
	}
	if pod.Labels[LabelRun] != "run42" {
		t.Errorf("labels = %v, want %s=run42", pod.Labels, LabelRun)
	}
	if len(spec.Containers) != 1+len(files) {
		t.Fatalf("containers = %d, want check + one probe per profile (%d)", len(spec.Containers), 1+len(files))
	}
	check := spec.Containers[0]
	if check.Name != "check" {
		t.Errorf("first container is %q; verify reads the report of the container named check", check.Name)
	}
	installed, _ := argValue(check, "--installed")
	if got := hostPathOf(spec, check, installed); got != testConfig.HostProfileDir() {
		t.Errorf("check reads node path %q, want %q", got, testConfig.HostProfileDir())
	}
	for _, m := range check.VolumeMounts {
		if m.Name == "seccomp" && !m.ReadOnly {
			t.Error("check mounts the node's seccomp dir read-write; it only reads")
		}
	}
	names := map[string]bool{}
	for i, f := range files {
		c := spec.Containers[i+1]
		if c.Name != ProbeContainerName(i) {
			t.Errorf("container %d is %q, want %q (verify finds probe i by this name)", i+1, c.Name, ProbeContainerName(i))
		}
		if errs := validation.IsDNS1123Label(c.Name); len(errs) > 0 {
			t.Errorf("container name %q is invalid: %v", c.Name, errs)
		}
		if names[c.Name] {
			t.Errorf("container name %q used twice", c.Name)
		}
		names[c.Name] = true
		if c.Image != testConfig.Image {
			t.Errorf("%s image = %q, want %q", c.Name, c.Image, testConfig.Image)
		}
		sc := c.SecurityContext
		if sc == nil || sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeLocalhost ||
			sc.SeccompProfile.LocalhostProfile == nil || *sc.SeccompProfile.LocalhostProfile != "kubectl-seccomp/"+f.Name {
			t.Errorf("%s seccompProfile = %+v, want Localhost kubectl-seccomp/%s", c.Name, sc, f.Name)
		}
		if v, _ := argValue(c, "--profile"); v != f.Name {
			t.Errorf("%s args = %v, want --profile=%s", c.Name, c.Args, f.Name)
		}
		if v, _ := argValue(c, "--runtime"); v != "containerd" {
			t.Errorf("%s args = %v, want --runtime=containerd: the probe must judge the JSON as the node's runtime reads it", c.Name, c.Args)
		}
	}
	if v, _ := argValue(check, "--runtime"); v != "containerd" {
		t.Errorf("check args = %v, want --runtime=containerd", check.Args)
	}
	if check.Image != testConfig.Image {
		t.Errorf("check image = %q", check.Image)
	}
	for _, v := range spec.Volumes {
		if v.HostPath != nil && v.HostPath.Path != "/data/kubelet/seccomp" {
			t.Errorf("hostPath = %q, want /data/kubelet/seccomp", v.HostPath.Path)
		}
	}
	assertNoPlaceholders(t, pod)
}

func TestVerifierPodsAreIndependent(t *testing.T) {
	a := VerifierPod(testConfig, "node-a", "run1", "containerd", testFiles())
	b := VerifierPod(testConfig, "node-b", "run1", "cri-o", testFiles()[:1])
	if a.Spec.NodeName != "node-a" || len(a.Spec.Containers) != 4 {
		t.Errorf("building a second pod changed the first: node %s, %d containers", a.Spec.NodeName, len(a.Spec.Containers))
	}
	if len(b.Spec.Containers) != 2 {
		t.Errorf("second pod has %d containers, want 2", len(b.Spec.Containers))
	}
	if v, _ := argValue(a.Spec.Containers[0], "--runtime"); v != "containerd" {
		t.Errorf("building a cri-o pod changed the first pod's check args: %v", a.Spec.Containers[0].Args)
	}
	if v, _ := argValue(b.Spec.Containers[1], "--runtime"); v != "cri-o" {
		t.Errorf("cri-o node's probe args = %v", b.Spec.Containers[1].Args)
	}
}

// verify and uninstall read back what install set up; the round trip must hold.
func TestInstalledConfigReadsBackTheInstall(t *testing.T) {
	for _, mode := range []Mode{ModeSync, ModeClean} {
		got := InstalledConfig(InstallerDaemonSet(testConfig, mode, "rev"))
		if got != testConfig {
			t.Errorf("%s: read back %+v, want %+v", mode, got, testConfig)
		}
	}
}

func TestVerifierPodNamesNodePathsAsTheNodeSeesThem(t *testing.T) {
	check := VerifierPod(testConfig, "n", "r", "containerd", testFiles()).Spec.Containers[0]
	for _, e := range check.Env {
		if e.Name == "HOST_SECCOMP_DIR" && e.Value == "/data/kubelet/seccomp" {
			return
		}
	}
	t.Errorf("check env = %+v, want HOST_SECCOMP_DIR=/data/kubelet/seccomp so that DETAIL names the node's path", check.Env)
}
