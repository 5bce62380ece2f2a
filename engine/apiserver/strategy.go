package apiserver

import (
	"fmt"
	"maps"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubetab/kubetab/engine/api"
)

// What the API server does per kind, beyond defaulting and validation: each kind's registry
// strategy (pkg/registry/<group>/<kind>/strategy.go upstream) and the admission plugins a
// default cluster runs.

// namespaceAcceptsContent is the NamespaceLifecycle admission plugin: content may be created
// only in a namespace that exists and is not being deleted.
func (s *Server) namespaceAcceptsContent(ns string) error {
	obj := s.store.Lookup(namespacesResource, "", ns)
	if obj == nil {
		return apierrors.NewNotFound(schema.GroupResource{Resource: "namespaces"}, ns)
	}
	if obj.GetDeletionTimestamp() != nil {
		return apierrors.NewForbidden(schema.GroupResource{}, "",
			fmt.Errorf("unable to create new content in namespace %s because it is being terminated", ns))
	}
	return nil
}

// admitCreate runs the mutating admission plugins of a default cluster on a new object:
// DefaultTolerationSeconds, ServiceAccount (with its token volume, named from ids' stream)
// and Priority for pods (not for pod templates).
func admitCreate(obj api.Object, ids *Client) {
	if p, ok := obj.(*corev1.Pod); ok {
		api.AdmitPod(p)
		api.MountServiceAccountToken(p, ids.volumeSuffix)
	}
}

// prepareForCreate is the kind's PrepareForCreate: what a client may not choose for a new
// object (its status, mostly).
func prepareForCreate(obj api.Object) {
	switch o := obj.(type) {
	case *corev1.Pod:
		o.Status = corev1.PodStatus{Phase: corev1.PodPending, QOSClass: qosClass(&o.Spec)}
	case *corev1.Namespace:
		// The namespace controller removes this finalizer once a deleted namespace is empty,
		// so it shows Terminating meanwhile.
		if len(o.Spec.Finalizers) == 0 {
			o.Spec.Finalizers = []corev1.FinalizerName{corev1.FinalizerKubernetes}
		}
		o.Status = corev1.NamespaceStatus{Phase: corev1.NamespaceActive}
	case *corev1.ReplicationController:
		o.Status = corev1.ReplicationControllerStatus{}
	case *appsv1.ReplicaSet:
		o.Status = appsv1.ReplicaSetStatus{}
	case *appsv1.Deployment:
		o.Status = appsv1.DeploymentStatus{}
	case *appsv1.DaemonSet:
		o.Status = appsv1.DaemonSetStatus{}
		// Template generation 1, which apps/v1 carries as an annotation (and the controller
		// copies onto the pods as the pod-template-generation label).
		if g, ok := daemonSetTemplateGeneration(o); !ok || g < 1 {
			setDaemonSetTemplateGeneration(o, 1)
		}
	case *batchv1.Job:
		o.Status = batchv1.JobStatus{}
	case *batchv1.CronJob:
		o.Status = batchv1.CronJobStatus{}
	case *autoscalingv2.HorizontalPodAutoscaler:
		o.Status = autoscalingv2.HorizontalPodAutoscalerStatus{}
	case *corev1.Service:
		o.Status = corev1.ServiceStatus{}
		api.NormalizeClusterIPs(o, nil)
	}
}

// prepareWithIdentity is the part of PrepareForCreate that needs the new object's uid.
// labelsFromTemplate tells that a Job came without labels of its own (jobLabelsFromTemplate,
// asked before defaulting).
func prepareWithIdentity(obj api.Object, labelsFromTemplate bool) {
	j, ok := obj.(*batchv1.Job)
	if !ok {
		return
	}
	// The Job's selector and its pods' controller-uid and job-name labels.
	api.DefaultJobSelector(j)
	// SetDefaults_Job gives a Job without labels its template's labels map itself, not a
	// copy: the labels the selector generation then adds to the template show on the Job too
	// (`kubectl get jobs -l job-name=batch-job` finds it). Here the Job gets a copy of the
	// final template labels, which is what a real Job stores.
	if labelsFromTemplate && len(j.Spec.Template.Labels) > 0 {
		j.Labels = maps.Clone(j.Spec.Template.Labels)
	}
}

// jobLabelsFromTemplate tells whether defaulting will give obj, a Job to create, its
// template's labels (it has none of its own).
func jobLabelsFromTemplate(obj api.Object) bool {
	j, ok := obj.(*batchv1.Job)
	return ok && len(j.Labels) == 0
}

// prepareForUpdate is the kind's PrepareForUpdate for its main resource: the status is the
// stored one (it changes only through the status subresource), a namespace's finalizers
// change only through namespaces/finalize, and a DaemonSet's template generation moves with
// its template.
func prepareForUpdate(obj, old api.Object) {
	keepStatus(obj, old)
	switch o := obj.(type) {
	case *corev1.Namespace:
		o.Spec.Finalizers = old.(*corev1.Namespace).Spec.Finalizers
	case *appsv1.DaemonSet:
		updateDaemonSetTemplateGeneration(o, old.(*appsv1.DaemonSet))
	case *corev1.Service:
		prepareServiceUpdate(o, old.(*corev1.Service))
	}
}

// updateDaemonSetTemplateGeneration is the DaemonSet strategy's PrepareForUpdate: clients
// cannot set the template generation; it moves by one when the pod template changes.
func updateDaemonSetTemplateGeneration(ds, old *appsv1.DaemonSet) {
	g, ok := daemonSetTemplateGeneration(old)
	if !ok {
		if _, set := ds.Annotations[appsv1.DeprecatedTemplateGeneration]; set {
			// A fresh map: the object may share its metadata maps with the stored one.
			a := maps.Clone(ds.Annotations)
			delete(a, appsv1.DeprecatedTemplateGeneration)
			ds.Annotations = a
		}
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
	check := func(cs []corev1.Container) {
		for i := range cs {
			res := &cs[i].Resources
			for _, name := range [...]corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				req, hasReq := res.Requests[name]
				lim, hasLim := res.Limits[name]
				if hasReq || hasLim {
					any = true
				}
				if !hasLim || (hasReq && req.Cmp(lim) != 0) {
					guaranteed = false
				}
			}
		}
	}
	check(spec.InitContainers)
	check(spec.Containers)
	switch {
	case !any:
		return corev1.PodQOSBestEffort
	case guaranteed:
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

// checkLimits is kubetab's own admission: the pod budget (MaxPods). An object that asks
// for more pods than the budget holds is refused before anything is made, with the number
// asked; a pod past the budget is refused as a ResourceQuota refuses it, so that a
// controller's creates fail (and are retried) while every command still answers.
func (s *Server) checkLimits(r *api.Resource, obj api.Object, create bool) error {
	if s.MaxPods <= 0 {
		return nil
	}
	var errs field.ErrorList
	// Paths are made for an error only: this runs on every write.
	check := func(p *int32, path ...string) {
		if p != nil && int(*p) > s.MaxPods {
			errs = append(errs, field.Invalid(field.NewPath("spec", path...), *p, fmt.Sprintf("must be no more than kubetab's pod budget (%d pods)", s.MaxPods)))
		}
	}
	switch o := obj.(type) {
	case *corev1.Pod:
		if create {
			if used := s.store.Count(r, ""); used >= s.MaxPods {
				return apierrors.NewForbidden(r.GroupResource(), o.Name, fmt.Errorf("exceeded kubetab's pod budget: requested: pods=1, used: pods=%d, limited: pods=%d", used, s.MaxPods))
			}
		}
	case *corev1.ReplicationController:
		check(o.Spec.Replicas, "replicas")
	case *appsv1.ReplicaSet:
		check(o.Spec.Replicas, "replicas")
	case *appsv1.Deployment:
		check(o.Spec.Replicas, "replicas")
	case *batchv1.Job:
		check(o.Spec.Parallelism, "parallelism")
		check(o.Spec.Completions, "completions")
	case *batchv1.CronJob:
		check(o.Spec.JobTemplate.Spec.Parallelism, "jobTemplate", "spec", "parallelism")
		check(o.Spec.JobTemplate.Spec.Completions, "jobTemplate", "spec", "completions")
	}
	if len(errs) > 0 {
		return api.InvalidError(obj, errs)
	}
	return nil
}

// statusCarriesAnnotations: the Deployment's status strategy keeps the stored spec and labels
// but takes the annotations it is given, where the deployment controller writes the
// revision (deployment.kubernetes.io/revision) along with the status.
func statusCarriesAnnotations(obj api.Object) bool {
	_, ok := obj.(*appsv1.Deployment)
	return ok
}

// annotationsMoveGeneration: the Deployment's strategy moves the generation when its
// annotations change, not only its spec (the rollback and change-cause annotations are
// part of what the controller acts on), so that `rollout status` waits for it to see them.
func annotationsMoveGeneration(obj, old api.Object) bool {
	_, ok := obj.(*appsv1.Deployment)
	return ok && !sameMap(obj.GetAnnotations(), old.GetAnnotations())
}
