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
		// The pod strategy's PrepareForCreate: a new pod is Pending with its QoS class.
		o.Status = corev1.PodStatus{Phase: corev1.PodPending, QOSClass: qosClass(&o.Spec)}
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

// qosClass is the pod's quality-of-service class, as the API server computes it: Guaranteed
// when every container's limits equal its requests for cpu and memory (both set), BestEffort
// when no container sets any, Burstable otherwise.
func qosClass(spec *corev1.PodSpec) corev1.PodQOSClass {
	any, guaranteed := false, true
	containers := append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
	for _, c := range containers {
		for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, hasReq := c.Resources.Requests[name]
			lim, hasLim := c.Resources.Limits[name]
			if hasReq || hasLim {
				any = true
			}
			if !hasLim || (hasReq && req.Cmp(lim) != 0) {
				guaranteed = false
			}
		}
	}
	switch {
	case !any:
		return corev1.PodQOSBestEffort
	case guaranteed:
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}
