package store

import (
	"maps"
	"reflect"
	"slices"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"

	"github.com/kubetab/kubetab/engine/api"
)

// FieldSet is the set of fields a field selector may test on obj, as the API server
// supports them for each resource (metadata.name and metadata.namespace everywhere).
func FieldSet(obj api.Object) fields.Set {
	set := fields.Set{"metadata.name": obj.GetName(), "metadata.namespace": obj.GetNamespace()}
	switch o := obj.(type) {
	case *corev1.Pod:
		set["spec.nodeName"] = o.Spec.NodeName
		set["spec.restartPolicy"] = string(o.Spec.RestartPolicy)
		set["spec.schedulerName"] = o.Spec.SchedulerName
		set["spec.serviceAccountName"] = o.Spec.ServiceAccountName
		set["status.phase"] = string(o.Status.Phase)
		set["status.podIP"] = o.Status.PodIP
		set["status.nominatedNodeName"] = o.Status.NominatedNodeName
	case *corev1.Node:
		set["spec.unschedulable"] = strconv.FormatBool(o.Spec.Unschedulable)
	case *corev1.Namespace:
		set["status.phase"] = string(o.Status.Phase)
	case *corev1.Event:
		set["involvedObject.kind"] = o.InvolvedObject.Kind
		set["involvedObject.namespace"] = o.InvolvedObject.Namespace
		set["involvedObject.name"] = o.InvolvedObject.Name
		set["involvedObject.uid"] = string(o.InvolvedObject.UID)
		set["involvedObject.apiVersion"] = o.InvolvedObject.APIVersion
		set["involvedObject.resourceVersion"] = o.InvolvedObject.ResourceVersion
		set["involvedObject.fieldPath"] = o.InvolvedObject.FieldPath
		set["reason"] = o.Reason
		set["reportingComponent"] = o.ReportingController
		set["source"] = o.Source.Component
		set["type"] = o.Type
	case *corev1.ReplicationController:
		set["status.replicas"] = strconv.Itoa(int(o.Status.Replicas))
	case *appsv1.ReplicaSet:
		set["status.replicas"] = strconv.Itoa(int(o.Status.Replicas))
	case *batchv1.Job:
		set["status.successful"] = strconv.Itoa(int(o.Status.Succeeded))
	}
	return set
}

func fieldSupported(r *api.Resource, f string) bool {
	if f == "metadata.name" || f == "metadata.namespace" {
		return true
	}
	// Ask an empty object of that resource which fields it exposes.
	_, ok := FieldSet(r.New())[f]
	return ok
}

// sameMetaAndStatus compares what is left once the spec is known to be equal: metadata and
// status (the parts a status write changes), so that the spec is not walked twice.
func sameMetaAndStatus(obj, old api.Object) bool {
	if withoutMetaAndStatus(obj) == nil {
		return reflect.DeepEqual(obj, old)
	}
	a, b := obj.(metav1.ObjectMetaAccessor), old.(metav1.ObjectMetaAccessor)
	am, aok := a.GetObjectMeta().(*metav1.ObjectMeta)
	bm, bok := b.GetObjectMeta().(*metav1.ObjectMeta)
	if !aok || !bok {
		return reflect.DeepEqual(StatusOf(obj), StatusOf(old)) && reflect.DeepEqual(a.GetObjectMeta(), b.GetObjectMeta())
	}
	return reflect.DeepEqual(StatusOf(obj), StatusOf(old)) && sameObjectMeta(am, bm)
}

// sameObjectMeta is reflect.DeepEqual for metadata, field by field: reflect allocates for
// every string it reads out of the label and annotation maps, and metadata is compared on
// every update.
func sameObjectMeta(a, b *metav1.ObjectMeta) bool {
	return a.Name == b.Name && a.GenerateName == b.GenerateName && a.Namespace == b.Namespace &&
		//lint:ignore SA1019 a client may still send selfLink; it is compared as DeepEqual would
		a.SelfLink == b.SelfLink && a.UID == b.UID && a.ResourceVersion == b.ResourceVersion &&
		a.Generation == b.Generation && a.CreationTimestamp == b.CreationTimestamp &&
		samePtr(a.DeletionTimestamp, b.DeletionTimestamp) &&
		samePtr(a.DeletionGracePeriodSeconds, b.DeletionGracePeriodSeconds) &&
		sameMap(a.Labels, b.Labels) && sameMap(a.Annotations, b.Annotations) &&
		sameSlice(a.Finalizers, b.Finalizers) &&
		sameSliceFunc(a.OwnerReferences, b.OwnerReferences, func(x, y metav1.OwnerReference) bool {
			return x.APIVersion == y.APIVersion && x.Kind == y.Kind && x.Name == y.Name && x.UID == y.UID &&
				samePtr(x.Controller, y.Controller) && samePtr(x.BlockOwnerDeletion, y.BlockOwnerDeletion)
		}) &&
		sameSliceFunc(a.ManagedFields, b.ManagedFields, func(x, y metav1.ManagedFieldsEntry) bool {
			return reflect.DeepEqual(&x, &y)
		})
}

// The helpers tell nil from empty, as reflect.DeepEqual does.

func samePtr[T comparable](a, b *T) bool {
	return a == b || (a != nil && b != nil && *a == *b)
}

func sameMap(a, b map[string]string) bool { return (a == nil) == (b == nil) && maps.Equal(a, b) }

func sameSlice[T comparable](a, b []T) bool { return (a == nil) == (b == nil) && slices.Equal(a, b) }

func sameSliceFunc[T any](a, b []T, eq func(T, T) bool) bool {
	return (a == nil) == (b == nil) && slices.EqualFunc(a, b, eq)
}

// StatusOf returns a pointer to the status of the kinds with a status subresource, nil for
// those without one (events, ConfigMaps).
func StatusOf(obj api.Object) any {
	switch o := obj.(type) {
	case *corev1.Pod:
		return &o.Status
	case *corev1.Node:
		return &o.Status
	case *corev1.Namespace:
		return &o.Status
	case *corev1.ReplicationController:
		return &o.Status
	case *corev1.Service:
		return &o.Status
	case *appsv1.ReplicaSet:
		return &o.Status
	case *appsv1.DaemonSet:
		return &o.Status
	case *appsv1.Deployment:
		return &o.Status
	case *batchv1.Job:
		return &o.Status
	case *batchv1.CronJob:
		return &o.Status
	}
	return nil
}

// withoutMetaAndStatus returns the part of an object whose change bumps metadata.generation.
func withoutMetaAndStatus(obj api.Object) any {
	switch o := obj.(type) {
	case *corev1.Pod:
		return &o.Spec
	case *corev1.Node:
		return &o.Spec
	case *corev1.Namespace:
		return &o.Spec
	case *corev1.ReplicationController:
		return &o.Spec
	case *corev1.Service:
		return &o.Spec
	case *corev1.ConfigMap:
		return [2]any{o.Data, o.BinaryData}
	case *appsv1.ReplicaSet:
		return &o.Spec
	case *appsv1.DaemonSet:
		return &o.Spec
	case *appsv1.Deployment:
		return &o.Spec
	case *batchv1.Job:
		return &o.Spec
	case *batchv1.CronJob:
		return &o.Spec
	}
	return nil
}

// withStatusOf returns a new version of old carrying in's status (a deep copy, unless owned:
// handed over by UpdateStatusOwned); everything else is old's and shared with it (stored
// objects are never mutated): the new struct has its own ObjectMeta fields, so the
// resourceVersion can move, but labels, annotations, owner references and finalizers are
// the stored ones.
func withStatusOf(old, in api.Object, owned bool) (api.Object, bool) {
	switch o := old.(type) {
	case *corev1.Pod:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Pod).Status, owned)
		return &n, true
	case *corev1.Node:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Node).Status, owned)
		return &n, true
	case *corev1.Namespace:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Namespace).Status, owned)
		return &n, true
	case *corev1.ReplicationController:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.ReplicationController).Status, owned)
		return &n, true
	case *corev1.Service:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Service).Status, owned)
		return &n, true
	case *appsv1.ReplicaSet:
		n := *o
		takeStatus(&n.Status, &in.(*appsv1.ReplicaSet).Status, owned)
		return &n, true
	case *appsv1.DaemonSet:
		n := *o
		takeStatus(&n.Status, &in.(*appsv1.DaemonSet).Status, owned)
		return &n, true
	case *appsv1.Deployment:
		n := *o
		takeStatus(&n.Status, &in.(*appsv1.Deployment).Status, owned)
		return &n, true
	case *batchv1.Job:
		n := *o
		takeStatus(&n.Status, &in.(*batchv1.Job).Status, owned)
		return &n, true
	case *batchv1.CronJob:
		n := *o
		takeStatus(&n.Status, &in.(*batchv1.CronJob).Status, owned)
		return &n, true
	}
	return nil, false
}

// takeStatus sets dst to src: src itself when it is handed over (UpdateStatusOwned), else
// a deep copy.
func takeStatus[T any, PT interface {
	*T
	DeepCopyInto(PT)
}](dst, src PT, owned bool) {
	if owned {
		*dst = *src
		return
	}
	src.DeepCopyInto(dst)
}
