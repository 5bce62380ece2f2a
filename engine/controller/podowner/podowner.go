// Package podowner routes pod watch events to the controllers that own pods by controller
// reference and adopt matching orphans (ReplicaSet, ReplicationController, DaemonSet), as
// upstream's addPod/updatePod/deletePod handlers do.
//
// It imports only engine/store and the API types.
package podowner

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/store"
)

// Route sorts one pod event. owned is called with the pod's controller reference, and with
// its previous one when that changed (the old owner must notice the release). When the pod
// has no controller and its labels may now match some owner's selector, Route returns it so
// that the caller can offer it for adoption; otherwise it returns nil.
func Route(ev store.WatchEvent, owned func(namespace string, ref *metav1.OwnerReference, pod string)) (orphan *corev1.Pod) {
	pod := ev.Object.(*corev1.Pod)
	var oldPod *corev1.Pod
	if ev.Old != nil {
		oldPod = ev.Old.(*corev1.Pod)
	}
	ref := metav1.GetControllerOfNoCopy(pod)
	if oldPod != nil {
		if oldRef := metav1.GetControllerOfNoCopy(oldPod); oldRef != nil && (ref == nil || oldRef.UID != ref.UID) {
			owned(oldPod.Namespace, oldRef, pod.Name)
		}
	}
	if ref != nil {
		owned(pod.Namespace, ref, pod.Name)
		return nil
	}
	switch ev.Type {
	case store.Deleted:
		return nil
	case store.Modified:
		if oldPod != nil && metav1.GetControllerOfNoCopy(oldPod) == nil && labels.Equals(oldPod.Labels, pod.Labels) {
			return nil // an orphan's status change cannot make it adoptable
		}
	}
	if pod.DeletionTimestamp != nil {
		return nil // a terminating orphan is never adopted
	}
	return pod
}
