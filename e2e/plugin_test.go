package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// result is one run of the plugin as a user would see it.
type result struct {
	Stdout, Stderr string
	Code           int
}

// plugin runs the real plugin binary against the local cluster.
func plugin(args ...string) result {
	full := append([]string{"--kubeconfig", env["KUBECONFIG"]}, args...)
	cmd := exec.Command(pluginBin, full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else {
		Expect(err).NotTo(HaveOccurred())
	}
	GinkgoWriter.Printf("$ kubectl-seccomp %v\n%s%s(exit %d)\n", args, stdout.String(), stderr.String(), code)
	return result{stdout.String(), stderr.String(), code}
}

// installAndVerifyPassing installs the profiles at path, verifies, and expects
// results (node x profile) passing verdicts, which it returns for closer checks.
func installAndVerifyPassing(path string, results int) []report.NodeResult {
	GinkgoHelper()
	r := plugin("install", "-f", path, "--image", image)
	Expect(r.Code).To(Equal(0), r.Stderr)
	s, r := verifyJSON()
	Expect(r.Code).To(Equal(0), r.Stdout+r.Stderr)
	Expect(s.Results).To(HaveLen(results))
	for _, res := range s.Results {
		Expect(res.Passed()).To(BeTrue(), "%s %s: %+v", res.Node, res.Profile, res)
	}
	return s.Results
}

func verifyJSON() (report.Summary, result) {
	r := plugin("verify", "--image", image, "-o", "json")
	var s report.Summary
	Expect(json.Unmarshal([]byte(r.Stdout), &s)).To(Succeed(), "verify -o json printed: %s %s", r.Stdout, r.Stderr)
	return s, r
}

// nodeDirs maps node name to that node's kubelet root as seen from this host.
func nodeDirs() map[string]string {
	return map[string]string{"node1": env["NODE1_KUBELET_DIR"], "node2": env["NODE2_KUBELET_DIR"]}
}

func installedPath(node, name string) string {
	return filepath.Join(nodeDirs()[node], "seccomp", "kubectl-seccomp", name)
}

func namespaceExists() bool {
	_, err := client.CoreV1().Namespaces().Get(context.Background(), "kubectl-seccomp", metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false
	}
	Expect(err).NotTo(HaveOccurred())
	return true
}

func toolObjects() []string {
	ctx := context.Background()
	sel := metav1.ListOptions{LabelSelector: "app.kubernetes.io/managed-by=kubectl-seccomp"}
	var out []string
	pods, err := client.CoreV1().Pods("").List(ctx, sel)
	Expect(err).NotTo(HaveOccurred())
	for _, p := range pods.Items {
		out = append(out, "pod/"+p.Namespace+"/"+p.Name)
	}
	cms, err := client.CoreV1().ConfigMaps("").List(ctx, sel)
	Expect(err).NotTo(HaveOccurred())
	for _, c := range cms.Items {
		out = append(out, "configmap/"+c.Namespace+"/"+c.Name)
	}
	dss, err := client.AppsV1().DaemonSets("").List(ctx, sel)
	Expect(err).NotTo(HaveOccurred())
	for _, d := range dss.Items {
		out = append(out, "daemonset/"+d.Namespace+"/"+d.Name)
	}
	nss, err := client.CoreV1().Namespaces().List(ctx, sel)
	Expect(err).NotTo(HaveOccurred())
	for _, n := range nss.Items {
		out = append(out, "namespace/"+n.Name)
	}
	return out
}

func verifierPods() []string {
	pods, err := client.CoreV1().Pods("").List(context.Background(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/component=verifier"})
	Expect(err).NotTo(HaveOccurred())
	var out []string
	for _, p := range pods.Items {
		out = append(out, p.Name)
	}
	return out
}

func mustRead(path string) []byte {
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	return data
}
