package cmd

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// nodeWith is a Ready node with the facts its kubelet reports.
func nodeWith(name, arch, runtime string, cordoned bool) *corev1.Node {
	n := readyNode(name)
	n.Spec.Unschedulable = cordoned
	n.Status.NodeInfo = corev1.NodeSystemInfo{Architecture: arch, ContainerRuntimeVersion: runtime}
	return n
}

// Each node's verifier pod judges the JSON as that node's runtime reads it; a
// cordoned node is verified and said to be cordoned; an unknown runtime is named.
func TestVerifyUsesEachNodesRuntimeAndNotesCordonedNodes(t *testing.T) {
	cm := objects.ProfilesConfigMap(nil, "digest")
	cm.Data = map[string]string{"deny-chmod.json": `{"defaultAction": "SCMP_ACT_ALLOW"}`}
	cs := fake.NewClientset(cm,
		nodeWith("node-c", "amd64", "containerd://1.6.20", false),
		nodeWith("node-o", "amd64", "cri-o://1.31.0", true),
		nodeWith("node-x", "amd64", "kata://3.0", false))
	deletePodsOnDeleteCollection(cs)
	streams, out, _ := newStreams()
	o := &VerifyOptions{clusterOptions: testClusterOptions(cs, streams), Output: "table"}
	o.Timeout = time.Second // the fake runs no pod: every node times out

	err, finished := runWithin(10*time.Second, func() error { return o.Run(context.Background()) })
	if !finished {
		t.Fatal("verify did not return")
	}
	if code := ExitCode(err); code != ExitFailed {
		t.Errorf("exit code = %d, want %d (no node could be verified); err: %v", code, ExitFailed, err)
	}
	runtimes := map[string]string{}
	for _, a := range cs.Actions() {
		create, ok := a.(k8stesting.CreateAction)
		if !ok {
			continue
		}
		pod, ok := create.GetObject().(*corev1.Pod)
		if !ok {
			continue
		}
		for _, c := range pod.Spec.Containers {
			for _, arg := range c.Args {
				if v, ok := strings.CutPrefix(arg, "--runtime="); ok {
					if prev, seen := runtimes[pod.Spec.NodeName]; seen && prev != v {
						t.Errorf("%s: containers disagree on the runtime: %s, %s", pod.Spec.NodeName, prev, v)
					}
					runtimes[pod.Spec.NodeName] = v
				}
			}
		}
	}
	want := map[string]string{"node-c": "containerd", "node-o": "cri-o", "node-x": "containerd"}
	for node, r := range want {
		if runtimes[node] != r {
			t.Errorf("%s's verifier pod reads the profile as %q, want %q (all: %v)", node, runtimes[node], r, runtimes)
		}
	}
	for _, w := range []string{"node-o", "cordoned", `"kata://3.0" is not one this tool knows`} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output does not mention %q:\n%s", w, out)
		}
	}
}

// install lints again with the arches the nodes report, before it changes anything:
// an arm64 node learns that chmod is no syscall there.
func TestInstallLintsForTheNodesArches(t *testing.T) {
	errOut := installStderr(t, fake.NewClientset(nodeWith("node-a", "arm64", "containerd://1.7.0", false)), testdata("deny-chmod.json"))
	if !strings.Contains(errOut, "chmod is not a syscall on SCMP_ARCH_AARCH64, so this rule denies nothing there") {
		t.Errorf("stderr = %q, want the aarch64 warning", errOut)
	}
}

// deletePodsOnDeleteCollection makes the fake carry out DeleteCollection of pods,
// which its object tracker leaves undone, so verify's cleanup sees them go.
func deletePodsOnDeleteCollection(cs *fake.Clientset) {
	gvr := corev1.SchemeGroupVersion.WithResource("pods")
	cs.PrependReactor("delete-collection", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		list, err := cs.Tracker().List(gvr, corev1.SchemeGroupVersion.WithKind("Pod"), a.GetNamespace())
		if err != nil {
			return true, nil, err
		}
		for _, p := range list.(*corev1.PodList).Items {
			if err := cs.Tracker().Delete(gvr, p.Namespace, p.Name); err != nil {
				return true, nil, err
			}
		}
		return true, nil, nil
	})
}

// verify, uninstall and a re-install act where install wrote: the installed kubelet
// root and image are taken unless the flags name them, and another root is refused
// before any change (a re-install there would orphan the files already written).
func TestVerifyAndUninstallAdoptTheInstalledRoot(t *testing.T) {
	installed := objects.Config{Image: "registry.local/verifier:installed", KubeletRoot: "/data/kubelet"}
	ds := objects.InstallerDaemonSet(installed, objects.ModeSync, "rev")
	tests := []struct {
		name    string
		flags   map[string]string
		wantErr string
		want    objects.Config
	}{
		{"no flags", nil, "", installed},
		{"--image given wins", map[string]string{"image": "mine:1"}, "", objects.Config{Image: "mine:1", KubeletRoot: "/data/kubelet"}},
		{"the installed root, spelled with a slash", map[string]string{"kubelet-root-dir": "/data/kubelet/"}, "", installed},
		{"another root", map[string]string{"kubelet-root-dir": "/var/lib/kubelet-other"}, "/data/kubelet/seccomp/kubectl-seccomp", objects.Config{}},
	}
	for _, tt := range tests {
		for _, command := range []string{"verify", "uninstall", "install"} {
			t.Run(command+"/"+tt.name, func(t *testing.T) {
				cs := fake.NewClientset(ds.DeepCopy())
				streams, _, _ := newStreams()
				co := testClusterOptions(cs, streams)
				co.Image, co.KubeletRoot = "default:image", objects.DefaultKubeletRoot
				if v, ok := tt.flags["image"]; ok {
					co.Image = v
				}
				if v, ok := tt.flags["kubelet-root-dir"]; ok {
					co.KubeletRoot = v
				}
				co.changed = func(flag string) bool { _, ok := tt.flags[flag]; return ok }
				var err error
				var got *clusterOptions
				switch command {
				case "verify":
					o := &VerifyOptions{clusterOptions: co, Output: "table"}
					err, got = o.Complete(), &o.clusterOptions
				case "install":
					// Run adopts the installed values before it changes anything;
					// with the fake, what Run does after that does not count.
					o := &InstallOptions{clusterOptions: co, Files: []string{testdata("deny-chmod.json")}, now: time.Now}
					if err := o.Complete(); err != nil {
						t.Fatal(err)
					}
					err, got = o.Run(context.Background()), &o.clusterOptions
					if tt.wantErr == "" {
						err = nil
					}
				default:
					o := &UninstallOptions{clusterOptions: co, now: time.Now}
					err, got = o.Complete(nil), &o.clusterOptions
				}
				if tt.wantErr != "" {
					if ExitCode(err) != ExitUsage || !strings.Contains(fmt.Sprint(err), tt.wantErr) || !strings.Contains(fmt.Sprint(err), "nothing was changed") {
						t.Fatalf("want a usage error naming %s, got %v", tt.wantErr, err)
					}
					if w := writes(cs); len(w) != 0 {
						t.Errorf("the cluster was changed: %v", w)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.config() != tt.want {
					t.Errorf("config = %+v, want %+v", got.config(), tt.want)
				}
			})
		}
	}
}

// install -f declares the whole set: profiles installed before and not given now are
// pruned from every node, and install says so before it changes anything.
func TestInstallSaysWhichInstalledProfilesItRemoves(t *testing.T) {
	cm := objects.ProfilesConfigMap(nil, "digest")
	cm.Data = map[string]string{"deny-chmod.json": "{}", "old-one.json": "{}"}
	errOut := installStderr(t, fake.NewClientset(readyNode("node1"), cm), testdata("deny-chmod.json"))
	if !strings.Contains(errOut, "removing from every node: old-one.json (installed before, not among the profiles given") {
		t.Errorf("stderr = %q, want the pruned profile named", errOut)
	}
	if strings.Contains(errOut, "removing from every node: deny-chmod.json") {
		t.Errorf("a profile given again is not removed: %q", errOut)
	}
}

// A probe container whose image never reached the node did not run: ENFORCED is
// not-run, not FAIL, and says to check --image.
func TestVerifyImagePullIsNotRun(t *testing.T) {
	cs := fake.NewClientset()
	streams, _, _ := newStreams()
	o := &VerifyOptions{clusterOptions: testClusterOptions(cs, streams), Output: "table"}
	pod := &corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
		{Name: "check", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0}}},
		{Name: objects.ProbeContainerName(0), State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
			Reason: "ImagePullBackOff", Message: `Back-off pulling image "ghcr.io/kubectl-seccomp/verifier:dev"`}}},
	}}}
	pod.Name, pod.Namespace = "kubectl-seccomp-verify-x", objects.Namespace
	files := []*profile.File{{Name: "deny-chmod.json", Data: []byte(`{"defaultAction":"SCMP_ACT_ALLOW"}`)}}
	res := o.readResults(context.Background(), "node1", pod, files)
	if len(res) != 1 {
		t.Fatalf("%d results", len(res))
	}
	e := res[0].Enforced
	if e.Ran || e.OK || !strings.Contains(e.Detail, "ImagePullBackOff") || !strings.Contains(e.Detail, "--image") {
		t.Errorf("enforced = %+v, want not-run naming ImagePullBackOff and --image", e)
	}
}

// installStderr runs install of files against cs and returns what it printed on stderr
// before and while it reached the cluster. The fake's apply is not server-side apply,
// so only what install says before its first change counts.
func installStderr(t *testing.T, cs *fake.Clientset, files ...string) string {
	t.Helper()
	streams, _, errOut := newStreams()
	o := &InstallOptions{clusterOptions: testClusterOptions(cs, streams), Files: files, now: time.Now}
	if err := o.Complete(); err != nil {
		t.Fatal(err)
	}
	o.Run(context.Background())
	return errOut.String()
}
