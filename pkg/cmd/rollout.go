package cmd

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/cluster"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
)

// nodeStatus is one line of install/uninstall output.
type nodeStatus struct {
	Node   string
	OK     bool
	State  string // done, failed, not-ready, timeout
	Detail string
}

// rollout waits until the installer pod of revision is Ready on every Ready node (its
// init container, which does the work, has finished), or failed, or timeout passes.
// NotReady nodes are reported at once: a pod there would only wait.
func rollout(ctx context.Context, cs kubernetes.Interface, nodes []cluster.Node, revision string, timeout time.Duration) []nodeStatus {
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	selector := fmt.Sprintf("%s=installer,%s=%s", objects.LabelComponent, objects.LabelRevision, revision)
	byNode := func(pods map[string]*corev1.Pod) map[string]*corev1.Pod {
		out := map[string]*corev1.Pod{}
		for _, p := range pods {
			if p.DeletionTimestamp == nil {
				out[p.Spec.NodeName] = p
			}
		}
		return out
	}
	settled := func(p *corev1.Pod) bool { return p != nil && (cluster.IsReady(p) || initProblem(p) != "") }
	pods, err := cluster.WatchPods(waitCtx, cs, objects.Namespace, selector, func(pods map[string]*corev1.Pod) bool {
		on := byNode(pods)
		for _, n := range nodes {
			if n.NotReady == "" && !settled(on[n.Name]) {
				return false
			}
		}
		return true
	})
	on := byNode(pods)
	var out []nodeStatus
	for _, n := range nodes {
		p := on[n.Name]
		switch {
		case n.NotReady != "":
			out = append(out, nodeStatus{n.Name, false, "not-ready", n.NotReady + "; the installer will run when the node is back, check with `kubectl seccomp verify`"})
		case p != nil && cluster.IsReady(p):
			out = append(out, nodeStatus{Node: n.Name, OK: true, State: "done"})
		case p != nil && initProblem(p) != "":
			out = append(out, nodeStatus{n.Name, false, "failed", initProblem(p)})
		case p != nil:
			out = append(out, nodeStatus{n.Name, false, "timeout", fmt.Sprintf("not done after %s: %s", timeout, cluster.PodSummary(p))})
		default:
			reason := fmt.Sprintf("no installer pod appeared within %s", timeout)
			if err != nil && waitCtx.Err() == nil {
				reason = "watching the installer pods failed: " + err.Error()
			}
			out = append(out, nodeStatus{n.Name, false, "timeout", reason})
		}
	}
	return out
}

// initProblem is why the installer's init container (the one that writes or removes
// the files) failed, or "".
func initProblem(p *corev1.Pod) string {
	for _, st := range p.Status.InitContainerStatuses {
		if msg := cluster.ContainerProblem(st); msg != "" {
			return st.Name + ": " + msg
		}
	}
	return ""
}

// writeNodeStatuses prints NODE | STATUS | DETAIL and says whether all nodes are done.
func writeNodeStatuses(w io.Writer, statuses []nodeStatus, doneDetail string) bool {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSTATUS\tDETAIL")
	all := len(statuses) > 0
	for _, s := range statuses {
		detail := s.Detail
		if s.OK {
			detail = doneDetail
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Node, s.State, detail)
		all = all && s.OK
	}
	tw.Flush()
	return all
}
