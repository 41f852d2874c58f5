package e2e

import (
	"context"
	"os"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// chmodRun is what a user sees of `chmod 777 f` run in a pod.
type chmodRun struct {
	Phase    corev1.PodPhase
	ExitCode int32
	Logs     string
}

// chmodImage is Debian's coreutils chmod with its libraries and an empty /work/f
// (make chmod-image): the tool users run, not a probe written for the test.
func chmodImage() string {
	if img := os.Getenv("E2E_CHMOD_IMAGE"); img != "" {
		return img
	}
	return "localhost/kubectl-seccomp-e2e-chmod:dev"
}

// runUserChmod runs `chmod 777 /work/f` in a pod on node under the installed profile
// and returns how it ended. The pod is deleted afterwards.
func runUserChmod(node, profileName string) chmodRun {
	ctx := context.Background()
	localhost := "kubectl-seccomp/" + profileName
	noToken := false
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "e2e-chmod-", Namespace: "default"},
		Spec: corev1.PodSpec{
			NodeName:                     node,
			RestartPolicy:                corev1.RestartPolicyNever,
			AutomountServiceAccountToken: &noToken,
			Containers: []corev1.Container{{
				Name: "chmod", Image: chmodImage(), ImagePullPolicy: corev1.PullNever,
				Args: []string{"777", "/work/f"},
				SecurityContext: &corev1.SecurityContext{SeccompProfile: &corev1.SeccompProfile{
					Type: corev1.SeccompProfileTypeLocalhost, LocalhostProfile: &localhost}},
			}},
		},
	}
	created, err := client.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{})
	Expect(err).NotTo(HaveOccurred())
	defer client.CoreV1().Pods("default").Delete(ctx, created.Name, metav1.DeleteOptions{})

	var run chmodRun
	Eventually(func(g Gomega) {
		p, err := client.CoreV1().Pods("default").Get(ctx, created.Name, metav1.GetOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(p.Status.Phase).To(BeElementOf(corev1.PodSucceeded, corev1.PodFailed),
			"pod %s on %s under %s: %+v", p.Name, node, profileName, p.Status.ContainerStatuses)
		run.Phase = p.Status.Phase
		for _, cs := range p.Status.ContainerStatuses {
			if cs.State.Terminated != nil {
				run.ExitCode = cs.State.Terminated.ExitCode
			}
		}
	}).WithTimeout(2 * time.Minute).WithPolling(time.Second).Should(Succeed())
	logs, err := client.CoreV1().Pods("default").GetLogs(created.Name, &corev1.PodLogOptions{}).DoRaw(ctx)
	Expect(err).NotTo(HaveOccurred())
	run.Logs = string(logs)
	return run
}
