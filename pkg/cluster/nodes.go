package cluster

import (
	"context"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Node is what the plugin needs to know of a node before it sends work there.
type Node struct {
	Name string
	// NotReady is empty for a Ready node, else why it is not: a pod sent there would
	// only wait, so it is reported instead.
	NotReady string
}

// Nodes lists the cluster's nodes in name order.
func Nodes(ctx context.Context, cs kubernetes.Interface) ([]Node, error) {
	list, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []Node
	for _, n := range list.Items {
		out = append(out, Node{Name: n.Name, NotReady: notReadyReason(&n)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func notReadyReason(n *corev1.Node) string {
	for _, c := range n.Status.Conditions {
		if c.Type != corev1.NodeReady {
			continue
		}
		if c.Status == corev1.ConditionTrue {
			return ""
		}
		return fmt.Sprintf("node is NotReady (%s: %s)", c.Reason, c.Message)
	}
	return "node has not reported a Ready condition yet"
}
