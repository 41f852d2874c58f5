package cluster

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// stuckReasons, with imageReasons, are waiting reasons that will not resolve by
// themselves: the container cannot be created or its image cannot be had. Waiting
// longer only delays the report.
var stuckReasons = map[string]bool{
	"CreateContainerError":       true,
	"CreateContainerConfigError": true,
	"RunContainerError":          true,
	"CrashLoopBackOff":           true,
}

// imageReasons are waiting reasons that mean the image never reached the node: the
// container never ran, so nothing it was to check was checked.
var imageReasons = map[string]bool{
	"ErrImageNeverPull": true,
	"ErrImagePull":      true,
	"ImagePullBackOff":  true,
	"InvalidImageName":  true,
}

// ImageProblem says whether the container is stuck because its image cannot be had.
func ImageProblem(st corev1.ContainerStatus) bool {
	return st.State.Waiting != nil && imageReasons[st.State.Waiting.Reason]
}

// ContainerProblem returns why a container is stuck or failed, or "" if it is fine
// or still on its way.
func ContainerProblem(st corev1.ContainerStatus) string {
	if w := st.State.Waiting; w != nil && (stuckReasons[w.Reason] || imageReasons[w.Reason]) {
		msg := w.Reason
		if w.Message != "" {
			msg += ": " + w.Message
		}
		if t := st.LastTerminationState.Terminated; t != nil && t.Message != "" {
			msg += "; last run: " + oneLine(t.Message)
		}
		return msg
	}
	if t := st.State.Terminated; t != nil && t.ExitCode != 0 {
		msg := fmt.Sprintf("exited with code %d (%s)", t.ExitCode, t.Reason)
		if t.Message != "" {
			msg += ": " + oneLine(t.Message)
		}
		return msg
	}
	return ""
}

// PodSummary says in one line where a pod is, for timeouts and failures.
func PodSummary(p *corev1.Pod) string {
	var parts []string
	for _, st := range append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
		if msg := ContainerProblem(st); msg != "" {
			parts = append(parts, st.Name+": "+msg)
		} else if w := st.State.Waiting; w != nil {
			parts = append(parts, st.Name+": "+w.Reason)
		}
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status != corev1.ConditionTrue && c.Message != "" {
			parts = append(parts, "not scheduled: "+c.Message)
		}
	}
	s := "pod " + p.Name + " is " + string(p.Status.Phase)
	if p.Status.Reason != "" {
		s += " (" + p.Status.Reason + ": " + p.Status.Message + ")"
	}
	if len(parts) > 0 {
		s += "; " + strings.Join(parts, "; ")
	}
	return s
}

// IsReady says whether the pod's Ready condition is true.
func IsReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\n", " | ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
