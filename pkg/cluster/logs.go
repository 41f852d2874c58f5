package cluster

import (
	"bytes"
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
)

// LastJSONLine reads a container's log through the API server (the user's own
// credentials; the pod holds none) and returns its last line that looks like JSON,
// which is where the verifier prints its report.
func LastJSONLine(ctx context.Context, cs kubernetes.Interface, ns, pod, container string) ([]byte, error) {
	raw, err := cs.CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{Container: container}).DoRaw(ctx)
	if err != nil {
		return nil, err
	}
	lines := bytes.Split(bytes.TrimSpace(raw), []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		if l := bytes.TrimSpace(lines[i]); len(l) > 0 && l[0] == '{' {
			return l, nil
		}
	}
	return nil, &NoReportError{Log: string(raw)}
}

// NoReportError means the container printed no report; Log says what it printed.
type NoReportError struct{ Log string }

func (e *NoReportError) Error() string {
	return "the container printed no report; its log: " + oneLine(e.Log)
}
