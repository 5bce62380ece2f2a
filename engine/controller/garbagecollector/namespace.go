package garbagecollector

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

var namespacesResource = api.ResourceByName("namespaces")

// namespaceController empties namespaces that are being deleted.
type namespaceController struct {
	cluster *sim.Cluster
	api     *apiserver.Client
}

func (nc *namespaceController) onNamespace(ev store.WatchEvent) {
	if ev.Type == store.Deleted || ev.Object.GetDeletionTimestamp() != nil {
		nc.cluster.Enqueue(ComponentNamespace, ev.Object.GetName())
	}
}

// onContent: the removal of an object may be the last thing a terminating namespace waits for.
func (nc *namespaceController) onContent(ev store.WatchEvent) {
	if ev.Type != store.Deleted {
		return
	}
	ns, err := nc.cluster.Store.Get(namespacesResource, "", ev.Object.GetNamespace())
	if err == nil && ns.GetDeletionTimestamp() != nil {
		nc.cluster.Enqueue(ComponentNamespace, ns.GetName())
	}
}

func (nc *namespaceController) sync(name string) (time.Duration, error) {
	obj, err := nc.cluster.Store.Get(namespacesResource, "", name)
	if err != nil && apierrors.IsNotFound(err) {
		// The namespace went without waiting for its content (a store that does not honour
		// spec.finalizers): its content must not outlive it.
		_, err := nc.deleteContent(name)
		return 0, err
	}
	if err != nil {
		return 0, err
	}
	if obj.GetDeletionTimestamp() == nil {
		return 0, nil
	}
	ns := obj.(*corev1.Namespace)
	if ns.Status.Phase != corev1.NamespaceTerminating {
		cp := *ns
		cp.Status.Phase = corev1.NamespaceTerminating
		updated, err := nc.api.UpdateStatus(&cp, apiserver.UpdateOptions{HandOver: true})
		if err != nil {
			return 0, ignoreNotFound(err)
		}
		ns = updated.(*corev1.Namespace)
	}
	remaining, err := nc.deleteContent(name)
	if err != nil || remaining > 0 {
		// Objects on their way out (pods terminating gracefully) bring us back when they go.
		return 0, err
	}
	var kept []corev1.FinalizerName
	for _, f := range ns.Spec.Finalizers {
		if f != corev1.FinalizerKubernetes {
			kept = append(kept, f)
		}
	}
	if len(kept) == len(ns.Spec.Finalizers) {
		return 0, nil
	}
	return 0, ignoreNotFound(nc.api.Finalize(name, kept))
}

// deleteContent deletes every namespaced object in namespace, resource by resource in table
// order and by name, and reports how many objects remain (those still terminating).
func (nc *namespaceController) deleteContent(namespace string) (int, error) {
	background := metav1.DeletePropagationBackground
	remaining := 0
	for _, r := range api.Resources() {
		if !r.Namespaced {
			continue
		}
		var names []string
		nc.cluster.Store.Each(r, namespace, func(o api.Object) bool {
			if o.GetDeletionTimestamp() == nil {
				names = append(names, o.GetName())
			}
			return true
		})
		for _, n := range names {
			if _, err := nc.api.Delete(r, namespace, n, apiserver.DeleteOptions{PropagationPolicy: &background}); err != nil && !apierrors.IsNotFound(err) {
				return 0, err
			}
		}
		remaining += nc.cluster.Store.Count(r, namespace)
	}
	return remaining, nil
}
