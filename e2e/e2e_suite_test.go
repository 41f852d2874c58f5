// Package e2e runs the plugin against the real local two-node cluster that
// e2e/cluster/up.sh starts (real kube-apiserver, kubelets, containerd, runc). It
// fails, with the log tail, when that cluster is not there: it never skips.
package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "kubectl seccomp e2e")
}

// clusterEnv is what e2e/cluster/up.sh wrote about the running cluster.
type clusterEnv map[string]string

var (
	env       clusterEnv
	client    kubernetes.Interface
	pluginBin string
	image     string
	repoRoot  string
)

var _ = BeforeSuite(func() {
	var err error
	repoRoot, err = filepath.Abs("..")
	Expect(err).NotTo(HaveOccurred())
	env = readEnv(filepath.Join(repoRoot, "e2e/.cache/cluster/env"))

	cfg, err := clientcmd.BuildConfigFromFlags("", env["KUBECONFIG"])
	Expect(err).NotTo(HaveOccurred(), "kubeconfig from the cluster env")
	client, err = kubernetes.NewForConfig(cfg)
	Expect(err).NotTo(HaveOccurred())
	_, err = client.Discovery().ServerVersion()
	Expect(err).NotTo(HaveOccurred(), "the local cluster's API server does not answer\n%s", logTail("kube-apiserver"))

	image = os.Getenv("E2E_IMAGE")
	if image == "" {
		image = "localhost/kubectl-seccomp-verifier:dev"
	}
	pluginBin = filepath.Join(GinkgoT().TempDir(), "kubectl-seccomp")
	build := exec.Command("go", "build", "-o", pluginBin, "./cmd/kubectl-seccomp")
	build.Dir, build.Env = repoRoot, append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), "building the plugin: %s", out)
})

// readEnv fails the suite loudly, with the cluster's log tails, when the cluster did
// not start: an e2e suite that skips is a suite that proves nothing.
func readEnv(path string) clusterEnv {
	f, err := os.Open(path)
	if err != nil {
		Fail(fmt.Sprintf("the local cluster is not up (%v): run `make cluster-up` (e2e/run.sh does).\n%s", err, logTail("")))
	}
	defer f.Close()
	out := clusterEnv{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), "="); ok {
			out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	for _, k := range []string{"KUBECONFIG", "NODE1_KUBELET_DIR", "NODE2_KUBELET_DIR"} {
		if out[k] == "" {
			Fail(fmt.Sprintf("%s has no %s", path, k))
		}
	}
	return out
}

// logTail returns the last lines of one component's log (or of all), for failures.
func logTail(component string) string {
	dir := filepath.Join(repoRoot, "e2e/.cache/cluster/logs")
	pattern := "*.log"
	if component != "" {
		pattern = component + "*.log"
	}
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	var b strings.Builder
	for _, f := range files {
		data, _ := os.ReadFile(f)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) > 20 {
			lines = lines[len(lines)-20:]
		}
		fmt.Fprintf(&b, "--- %s (last %d lines)\n%s\n", f, len(lines), strings.Join(lines, "\n"))
	}
	if b.Len() == 0 {
		return "(no cluster logs under " + dir + ")"
	}
	return b.String()
}
