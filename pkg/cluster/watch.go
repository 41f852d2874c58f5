package cluster

import (
	"context"
	"errors"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// WatchPods follows the pods matching selector in namespace with one list+watch and
// calls done with the current set after every change, until done says true or ctx
// ends. It returns the last set seen either way, so a timeout can still say, node by
// node, where each pod was.
func WatchPods(ctx context.Context, cs kubernetes.Interface, namespace, selector string, done func(map[string]*corev1.Pod) bool) (map[string]*corev1.Pod, error) {
	lw := &cache.ListWatch{
		ListFunc: func(o metav1.ListOptions) (runtime.Object, error) {
			o.LabelSelector = selector
			return cs.CoreV1().Pods(namespace).List(ctx, o)
		},
		WatchFunc: func(o metav1.ListOptions) (watch.Interface, error) {
			o.LabelSelector = selector
			return cs.CoreV1().Pods(namespace).Watch(ctx, o)
		},
	}
	pods := map[string]*corev1.Pod{}
	finished := false
	// The precondition sees the synced list, so done is asked once even when no event
	// follows (no pods at all, or all already gone).
	pre := func(store cache.Store) (bool, error) {
		for _, obj := range store.List() {
			if p, ok := obj.(*corev1.Pod); ok {
				pods[p.Name] = p
			}
		}
		finished = done(pods)
		return finished, nil
	}
	_, err := watchtools.UntilWithSync(ctx, lw, &corev1.Pod{}, pre, func(ev watch.Event) (bool, error) {
		p, ok := ev.Object.(*corev1.Pod)
		if !ok {
			return false, nil
		}
		if ev.Type == watch.Deleted {
			delete(pods, p.Name)
		} else {
			pods[p.Name] = p
		}
		finished = done(pods)
		return finished, nil
	})
	if finished {
		return pods, nil
	}
	if err == nil || errors.Is(err, watchtools.ErrWatchClosed) {
		err = ctx.Err()
	}
	return pods, err
}
