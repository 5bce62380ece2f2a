package kubectl

import (
	"fmt"
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubetab/kubetab/engine/api"
)

// MaxReplicas caps replicas (and a Job's parallelism and completions) per object, so that
// one typo cannot freeze the tab.
const MaxReplicas = 10_000

// MaxFileSize caps a manifest read with -f.
const MaxFileSize = 1 << 20

// The API server's part of a user's write: defaulting, validation, kubetab's limits, then the
// store. Controllers write to the store directly; kubectl is the only client that needs the
// request path of a real API server.

func (e *env) createObject(obj api.Object) (api.Object, error) {
	obj = obj.DeepCopyObject().(api.Object)
	r := api.ResourceFor(obj)
	if r == nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("kubetab does not serve objects of type %T", obj))
	}
	if r.Namespaced && obj.GetNamespace() == "" {
		obj.SetNamespace(e.ns)
	}
	if !r.Namespaced {
		obj.SetNamespace("")
	}
	api.SetTypeMeta(obj)
	api.Default(obj)
	if errs := api.ValidateCreate(obj); len(errs) > 0 {
		return nil, api.InvalidError(obj, errs)
	}
	if err := checkLimits(obj); err != nil {
		return nil, err
	}
	return e.c.Store.Create(obj)
}

// updateObject writes obj over old. Status cannot be changed through the main resource (as
// for every built-in type with a status subresource), so old's status is kept.
func (e *env) updateObject(obj, old api.Object) (api.Object, error) {
	obj = obj.DeepCopyObject().(api.Object)
	obj.SetNamespace(old.GetNamespace())
	if obj.GetResourceVersion() == "" {
		obj.SetResourceVersion(old.GetResourceVersion())
	}
	keepStatus(obj, old)
	api.SetTypeMeta(obj)
	api.Default(obj)
	if errs := api.ValidateUpdate(obj, old); len(errs) > 0 {
		return nil, api.InvalidError(obj, errs)
	}
	if err := checkLimits(obj); err != nil {
		return nil, err
	}
	return e.c.Store.Update(obj)
}

func keepStatus(obj, old api.Object) {
	dst := reflect.ValueOf(obj).Elem().FieldByName("Status")
	src := reflect.ValueOf(old).Elem().FieldByName("Status")
	if dst.IsValid() && src.IsValid() && dst.CanSet() && dst.Type() == src.Type() {
		dst.Set(src)
	}
}

func checkLimits(obj api.Object) error {
	var errs field.ErrorList
	check := func(p *int32, path *field.Path) {
		if p != nil && *p > MaxReplicas {
			errs = append(errs, field.Invalid(path, *p, fmt.Sprintf("kubetab allows at most %d per object", MaxReplicas)))
		}
	}
	spec := field.NewPath("spec")
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		check(o.Spec.Replicas, spec.Child("replicas"))
	case *appsv1.ReplicaSet:
		check(o.Spec.Replicas, spec.Child("replicas"))
	case *appsv1.Deployment:
		check(o.Spec.Replicas, spec.Child("replicas"))
	case *batchv1.Job:
		check(o.Spec.Parallelism, spec.Child("parallelism"))
		check(o.Spec.Completions, spec.Child("completions"))
	case *batchv1.CronJob:
		js := spec.Child("jobTemplate", "spec")
		check(o.Spec.JobTemplate.Spec.Parallelism, js.Child("parallelism"))
		check(o.Spec.JobTemplate.Spec.Completions, js.Child("completions"))
	}
	if len(errs) > 0 {
		return api.InvalidError(obj, errs)
	}
	return nil
}
