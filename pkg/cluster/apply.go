package cluster

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
)

// applyBody turns a typed object into a server-side apply body: status and the zero
// creationTimestamp that typed structs always carry are not ours to declare.
func applyBody(obj runtime.Object) ([]byte, error) {
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	unstructured.RemoveNestedField(u, "status")
	unstructured.RemoveNestedField(u, "metadata", "creationTimestamp")
	unstructured.RemoveNestedField(u, "spec", "template", "metadata", "creationTimestamp")
	return json.Marshal(u)
}

func applyOptions() metav1.PatchOptions {
	force := true
	// Force: the tool owns these objects; another manager's stale field must not block
	// an admin's install.
	return metav1.PatchOptions{FieldManager: objects.FieldManager, Force: &force}
}

// Apply server-side-applies one of the tool's objects (Namespace, ConfigMap or
// DaemonSet), so re-running install converges instead of failing on "already exists".
func Apply(ctx context.Context, cs kubernetes.Interface, obj runtime.Object) error {
	body, err := applyBody(obj)
	if err != nil {
		return err
	}
	opts := applyOptions()
	kind := obj.GetObjectKind().GroupVersionKind().Kind
	meta, err := metaOf(obj)
	if err != nil {
		return err
	}
	switch kind {
	case "Namespace":
		_, err = cs.CoreV1().Namespaces().Patch(ctx, meta.GetName(), types.ApplyPatchType, body, opts)
	case "ConfigMap":
		_, err = cs.CoreV1().ConfigMaps(meta.GetNamespace()).Patch(ctx, meta.GetName(), types.ApplyPatchType, body, opts)
	case "DaemonSet":
		_, err = cs.AppsV1().DaemonSets(meta.GetNamespace()).Patch(ctx, meta.GetName(), types.ApplyPatchType, body, opts)
	default:
		return fmt.Errorf("apply: unsupported kind %q", kind)
	}
	if err != nil {
		return fmt.Errorf("applying %s %s: %w", kind, meta.GetName(), err)
	}
	return nil
}

func metaOf(obj runtime.Object) (metav1.Object, error) {
	m, ok := obj.(metav1.Object)
	if !ok {
		return nil, fmt.Errorf("apply: %T has no object metadata", obj)
	}
	return m, nil
}
