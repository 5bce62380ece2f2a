package apiserver

import (
	"fmt"
	"maps"
	"reflect"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

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
		return deepEqual(StatusOf(obj), StatusOf(old)) && reflect.DeepEqual(a.GetObjectMeta(), b.GetObjectMeta())
	}
	return deepEqual(StatusOf(obj), StatusOf(old)) && sameObjectMeta(am, bm)
}

// sameMeta compares the metadata of two objects of a kind.
func sameMeta(obj, old api.Object) bool {
	am, aok := obj.(metav1.ObjectMetaAccessor).GetObjectMeta().(*metav1.ObjectMeta)
	bm, bok := old.(metav1.ObjectMetaAccessor).GetObjectMeta().(*metav1.ObjectMeta)
	if !aok || !bok {
		return reflect.DeepEqual(obj.(metav1.ObjectMetaAccessor).GetObjectMeta(), old.(metav1.ObjectMetaAccessor).GetObjectMeta())
	}
	return sameObjectMeta(am, bm)
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
	case *autoscalingv2.HorizontalPodAutoscaler:
		return &o.Status
	}
	return nil
}

// withoutMetaAndStatus returns the part of an object whose change bumps metadata.generation
// (of the kinds that keep one, hasGeneration).
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
		return [3]any{o.Data, o.BinaryData, o.Immutable}
	case *corev1.Secret:
		return [3]any{o.Data, o.Type, o.Immutable}
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
	case *autoscalingv2.HorizontalPodAutoscaler:
		return &o.Spec
	}
	return nil
}

// withStatusOf returns a new version of old carrying in's status (a deep copy, unless owned:
// handed over); everything else is old's and shared with it (stored
// objects are never mutated): the new struct has its own ObjectMeta fields, so the
// resourceVersion can move, but labels, annotations, owner references and finalizers are
// the stored ones.
func withStatusOf(old, in api.Object, owned bool) api.Object {
	switch o := old.(type) {
	case *corev1.Pod:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Pod).Status, owned)
		return &n
	case *corev1.Node:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Node).Status, owned)
		return &n
	case *corev1.Namespace:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Namespace).Status, owned)
		return &n
	case *corev1.ReplicationController:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.ReplicationController).Status, owned)
		return &n
	case *corev1.Service:
		n := *o
		takeStatus(&n.Status, &in.(*corev1.Service).Status, owned)
		return &n
	case *appsv1.ReplicaSet:
		n := *o
		takeStatus(&n.Status, &in.(*appsv1.ReplicaSet).Status, owned)
		return &n
	case *appsv1.DaemonSet:
		n := *o
		takeStatus(&n.Status, &in.(*appsv1.DaemonSet).Status, owned)
		return &n
	case *appsv1.Deployment:
		n := *o
		takeStatus(&n.Status, &in.(*appsv1.Deployment).Status, owned)
		// The Deployment's status strategy takes the annotations too (strategy.go).
		n.Annotations = maps.Clone(in.GetAnnotations())
		return &n
	case *batchv1.Job:
		n := *o
		takeStatus(&n.Status, &in.(*batchv1.Job).Status, owned)
		return &n
	case *batchv1.CronJob:
		n := *o
		takeStatus(&n.Status, &in.(*batchv1.CronJob).Status, owned)
		return &n
	case *autoscalingv2.HorizontalPodAutoscaler:
		n := *o
		takeStatus(&n.Status, &in.(*autoscalingv2.HorizontalPodAutoscaler).Status, owned)
		return &n
	}
	panic(fmt.Sprintf("apiserver: %T has no status", old))
}

// takeStatus sets dst to src: src itself when it is handed over, else
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

// keepStatus sets obj's status to old's: a write through the main resource cannot change the
// status of a kind with a status subresource. The stored status is shared, never mutated.
func keepStatus(obj, old api.Object) {
	switch o := obj.(type) {
	case *corev1.Pod:
		o.Status = old.(*corev1.Pod).Status
	case *corev1.Node:
		o.Status = old.(*corev1.Node).Status
	case *corev1.Namespace:
		o.Status = old.(*corev1.Namespace).Status
	case *corev1.ReplicationController:
		o.Status = old.(*corev1.ReplicationController).Status
	case *corev1.Service:
		o.Status = old.(*corev1.Service).Status
	case *appsv1.ReplicaSet:
		o.Status = old.(*appsv1.ReplicaSet).Status
	case *appsv1.DaemonSet:
		o.Status = old.(*appsv1.DaemonSet).Status
	case *appsv1.Deployment:
		o.Status = old.(*appsv1.Deployment).Status
	case *batchv1.Job:
		o.Status = old.(*batchv1.Job).Status
	case *batchv1.CronJob:
		o.Status = old.(*batchv1.CronJob).Status
	case *autoscalingv2.HorizontalPodAutoscaler:
		o.Status = old.(*autoscalingv2.HorizontalPodAutoscaler).Status
	}
}

// hasGeneration tells the kinds whose strategy keeps metadata.generation from those that
// leave it unset (a ConfigMap's or a Secret's `-o yaml` shows none).
func hasGeneration(obj api.Object) bool {
	switch obj.(type) {
	// Their strategies leave metadata.generation alone (a real Service, Namespace or Node
	// shows none in -o yaml); Endpoints are v1's, deprecated and kept as they were.
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.ConfigMap, *corev1.Secret, *corev1.Service, *corev1.Namespace, *corev1.Node, *corev1.Event, *corev1.Endpoints:
		return false
	}
	return true
}

// specChanged decides whether metadata.generation moves: any change outside metadata and
// status counts, as for the built-in workload types.
func specChanged(obj, old api.Object) bool {
	a, b := withoutMetaAndStatus(obj), withoutMetaAndStatus(old)
	return !deepEqual(a, b)
}

// deepEqual is reflect.DeepEqual, answered without it when a and b point at structs that
// share everything (the same slices, maps and pointers, equal scalars): an update of a
// shallow copy (a finalizer or label changed) compares its spec with the stored one, and
// DeepEqual records every slice, map and pointer it meets in a map on the way.
func deepEqual(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() == reflect.Pointer && va.Type() == vb.Type() && !va.IsNil() && !vb.IsNil() &&
		shares(va.Elem(), vb.Elem()) {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// shares tells values that are DeepEqual because they are the same: slices with the same
// elements array and length (nil and empty told apart), the same maps and pointers, equal
// strings, booleans and integers, structs and arrays of those. Anything else (floats,
// interfaces) answers false, for DeepEqual to decide.
func shares(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if !shares(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() {
			if !shares(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		return a.IsNil() == b.IsNil() && a.Len() == b.Len() && (a.Len() == 0 || a.Pointer() == b.Pointer())
	case reflect.Map, reflect.Pointer:
		return a.Pointer() == b.Pointer()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	}
	return false
}

// copyForUpdate returns the version of in to store. A pod, the kind written most, shares
// its spec with old when that is unchanged (stored objects are never mutated): a label or
// finalizer change then copies only the metadata. Its status is old's anyway (keepStatus).
// Anything else is copied whole.
func copyForUpdate(in, old api.Object) api.Object {
	p, ok := in.(*corev1.Pod)
	o, okOld := old.(*corev1.Pod)
	if !ok || !okOld {
		return in.DeepCopyObject().(api.Object)
	}
	n := &corev1.Pod{TypeMeta: p.TypeMeta}
	p.ObjectMeta.DeepCopyInto(&n.ObjectMeta)
	if deepEqual(&p.Spec, &o.Spec) {
		n.Spec = o.Spec
	} else {
		p.Spec.DeepCopyInto(&n.Spec)
	}
	n.Status = o.Status
	return n
}

// shallowCopy returns a new top-level struct sharing every slice, map and pointer of obj;
// only its own fields (such as the resourceVersion) may then be set.
func shallowCopy(obj api.Object) api.Object {
	// The kinds a busy cluster deletes by the thousand are copied without reflection.
	switch o := obj.(type) {
	case *corev1.Event:
		c := *o
		return &c
	case *corev1.Pod:
		c := *o
		return &c
	case *batchv1.Job:
		c := *o
		return &c
	}
	v := reflect.ValueOf(obj).Elem()
	n := reflect.New(v.Type())
	n.Elem().Set(v)
	return n.Interface().(api.Object)
}
