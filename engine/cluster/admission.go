package cluster

import (
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// admit is the cluster's admission chain, run by the store on every write from any client
// (kubectl or a controller), after the object has its uid and before it is stored.
// Defaulting and validation of user input happen earlier, in the kubectl layer, so that
// errors name the file; what is here is what the API server adds to every object of a kind.
func admit(op store.Operation, obj, old api.Object) error {
	if op == store.OpUpdate {
		if ds, ok := obj.(*appsv1.DaemonSet); ok {
			updateDaemonSetTemplateGeneration(ds, old.(*appsv1.DaemonSet))
		}
		return nil
	}
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
		// The API server runs the Job defaulting again on every read from storage, and by
		// then the template carries the selector labels: a Job created without labels of
		// its own shows its template's (SetDefaults_Job), as the docs' `describe job pi`.
		if len(o.Labels) == 0 && len(o.Spec.Template.Labels) > 0 {
			o.Labels = make(map[string]string, len(o.Spec.Template.Labels))
			for k, v := range o.Spec.Template.Labels {
				o.Labels[k] = v
			}
		}
	case *appsv1.DaemonSet:
		// The DaemonSet strategy's PrepareForCreate: template generation 1, which apps/v1
		// carries as an annotation (and the controller copies onto the pods as the
		// pod-template-generation label).
		if g, ok := daemonSetTemplateGeneration(o); !ok || g < 1 {
			setDaemonSetTemplateGeneration(o, 1)
		}
	}
	return nil
}

// updateDaemonSetTemplateGeneration is the DaemonSet strategy's PrepareForUpdate: clients
// cannot set the template generation; it moves by one when the pod template changes.
func updateDaemonSetTemplateGeneration(ds, old *appsv1.DaemonSet) {
	g, ok := daemonSetTemplateGeneration(old)
	if !ok {
		delete(ds.Annotations, appsv1.DeprecatedTemplateGeneration)
		return
	}
	if !equality.Semantic.DeepEqual(ds.Spec.Template, old.Spec.Template) {
		g++
	}
	setDaemonSetTemplateGeneration(ds, g)
}

func daemonSetTemplateGeneration(ds *appsv1.DaemonSet) (int64, bool) {
	v, ok := ds.Annotations[appsv1.DeprecatedTemplateGeneration]
	if !ok {
		return 0, false
	}
	g, err := strconv.ParseInt(v, 10, 64)
	return g, err == nil
}

// setDaemonSetTemplateGeneration writes the annotation on a fresh map: the object may share
// its metadata maps with the stored one.
func setDaemonSetTemplateGeneration(ds *appsv1.DaemonSet, g int64) {
	a := make(map[string]string, len(ds.Annotations)+1)
	for k, v := range ds.Annotations {
		a[k] = v
	}
	a[appsv1.DeprecatedTemplateGeneration] = strconv.FormatInt(g, 10)
	ds.Annotations = a
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
