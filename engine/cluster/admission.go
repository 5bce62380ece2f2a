package cluster

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// admit is the cluster's admission chain, run by the store on every write from any client
// (kubectl or a controller), after the object has its uid and before it is stored.
// Defaulting and validation of user input happen earlier, in the kubectl layer, so that
// errors name the file; what is here is what the API server adds to every object of a kind.
func admit(op store.Operation, obj, old api.Object) error {
	if op != store.OpCreate {
		return nil
	}
	switch o := obj.(type) {
	case *corev1.Pod:
		// DefaultTolerationSeconds and the service account admission plugins.
		api.AdmitPod(o)
	case *corev1.Namespace:
		// The namespace strategy's PrepareForCreate: the namespace controller removes this
		// finalizer once a deleted namespace is empty, so it shows Terminating meanwhile.
		if len(o.Spec.Finalizers) == 0 {
			o.Spec.Finalizers = []corev1.FinalizerName{corev1.FinalizerKubernetes}
		}
		if o.Status.Phase == "" {
			o.Status.Phase = corev1.NamespaceActive
		}
	case *batchv1.Job:
		// The Job's selector and its pods' controller-uid labels need the uid, which exists
		// only now.
		api.DefaultJobSelector(o)
	}
	return nil
}
