package cluster

import (
	"context"
	"fmt"
	"sort"
	"strings"

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
	// Cordoned: spec.unschedulable. Pods pinned with nodeName and the installer
	// DaemonSet still run there, so the node is verified, and the report says so.
	Cordoned bool
	// Arch is status.nodeInfo.architecture (amd64, arm64, ...).
	Arch string
	// Runtime is the container runtime's name from status.nodeInfo
	// (containerRuntimeVersion "containerd://1.6.20" gives "containerd"), and
	// RuntimeVersion all of it.
	Runtime, RuntimeVersion string
}

// Nodes lists the cluster's nodes in name order.
func Nodes(ctx context.Context, cs kubernetes.Interface) ([]Node, error) {
	list, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []Node
	for _, n := range list.Items {
		info := n.Status.NodeInfo
		runtime, _, _ := strings.Cut(info.ContainerRuntimeVersion, "://")
		out = append(out, Node{
			Name: n.Name, NotReady: notReadyReason(&n), Cordoned: n.Spec.Unschedulable,
			Arch: info.Architecture, Runtime: runtime, RuntimeVersion: info.ContainerRuntimeVersion,
		})
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
