package apiserver

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// sameObjectMeta must agree with reflect.DeepEqual, which it replaces, on every field.
func TestSameObjectMetaAgreesWithDeepEqual(t *testing.T) {
	base := func() metav1.ObjectMeta {
		return metav1.ObjectMeta{
			Name: "p", Namespace: "default", UID: "u", ResourceVersion: "7", Generation: 1,
			CreationTimestamp: metav1.NewTime(time.Unix(100, 0).UTC()),
			Labels:            map[string]string{"app": "x"},
			Annotations:       map[string]string{"a": "b"},
			Finalizers:        []string{"f"},
			OwnerReferences:   []metav1.OwnerReference{{APIVersion: "v1", Kind: "ReplicationController", Name: "rc", UID: "o", Controller: ptr.To(true)}},
		}
	}
	changes := map[string]func(m *metav1.ObjectMeta){
		"nothing":             func(m *metav1.ObjectMeta) {},
		"name":                func(m *metav1.ObjectMeta) { m.Name = "q" },
		"generateName":        func(m *metav1.ObjectMeta) { m.GenerateName = "p-" },
		"resourceVersion":     func(m *metav1.ObjectMeta) { m.ResourceVersion = "8" },
		"generation":          func(m *metav1.ObjectMeta) { m.Generation = 2 },
		"creationTimestamp":   func(m *metav1.ObjectMeta) { m.CreationTimestamp = metav1.NewTime(time.Unix(101, 0).UTC()) },
		"deletionTimestamp":   func(m *metav1.ObjectMeta) { m.DeletionTimestamp = ptr.To(metav1.NewTime(time.Unix(100, 0).UTC())) },
		"grace":               func(m *metav1.ObjectMeta) { m.DeletionGracePeriodSeconds = ptr.To(int64(30)) },
		"label value":         func(m *metav1.ObjectMeta) { m.Labels["app"] = "y" },
		"labels nil":          func(m *metav1.ObjectMeta) { m.Labels = nil },
		"labels empty":        func(m *metav1.ObjectMeta) { m.Labels = map[string]string{} },
		"annotation added":    func(m *metav1.ObjectMeta) { m.Annotations["c"] = "d" },
		"finalizers nil":      func(m *metav1.ObjectMeta) { m.Finalizers = nil },
		"finalizers empty":    func(m *metav1.ObjectMeta) { m.Finalizers = []string{} },
		"owner controller":    func(m *metav1.ObjectMeta) { m.OwnerReferences[0].Controller = ptr.To(false) },
		"owner block":         func(m *metav1.ObjectMeta) { m.OwnerReferences[0].BlockOwnerDeletion = ptr.To(true) },
		"owner uid":           func(m *metav1.ObjectMeta) { m.OwnerReferences[0].UID = "p" },
		"managedFields":       func(m *metav1.ObjectMeta) { m.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "kubectl"}} },
		"same pointer values": func(m *metav1.ObjectMeta) { m.OwnerReferences[0].Controller = ptr.To(true) },
	}
	for name, change := range changes {
		a, b := base(), base()
		change(&b)
		if got, want := sameObjectMeta(&a, &b), reflect.DeepEqual(&a, &b); got != want {
			t.Errorf("%s: sameObjectMeta = %v, reflect.DeepEqual = %v", name, got, want)
		}
	}
}
