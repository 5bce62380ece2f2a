package api

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"
)

// metaSurelyValid may only accept what apimachinery's ValidateObjectMeta accepts: random
// metadata built from the characters and shapes that matter, for every name rule.
func TestMetaSurelyValidAgrees(t *testing.T) {
	pieces := []string{"", "a", "z", "0", "9", "-", ".", "_", "/", "A", "x.y", "kubia", "-a", "a-", "a..b", "a.-b",
		"example.com/", "app", "Kubia", "ö", " ", strings.Repeat("a", 63), strings.Repeat("b", 64), "k8s.io/x", "v1", "apps/v1"}
	word := func(r *rand.Rand) string {
		var b strings.Builder
		for n := r.IntN(4); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	r := rand.New(rand.NewPCG(7, 7))
	accepted := 0
	for i := 0; i < 50_000; i++ {
		m := &metav1.ObjectMeta{Name: word(r), Generation: int64(r.IntN(3)) - 1}
		if r.IntN(4) == 0 {
			m.GenerateName = word(r)
		}
		if r.IntN(2) == 0 {
			m.Namespace = word(r)
		}
		if r.IntN(2) == 0 {
			m.Labels = map[string]string{word(r): word(r), word(r): word(r)}
		}
		if r.IntN(3) == 0 {
			m.Annotations = map[string]string{word(r): word(r)}
		}
		if r.IntN(3) == 0 {
			m.OwnerReferences = []metav1.OwnerReference{{APIVersion: word(r), Kind: word(r), Name: word(r), UID: "u", Controller: ptr.To(r.IntN(2) == 0)}}
		}
		if r.IntN(3) == 0 {
			m.Finalizers = []string{word(r), "orphan", "foregroundDeletion", "example.com/x"}[r.IntN(4):]
		}
		old := m.DeepCopy()
		m.ResourceVersion, old.ResourceVersion = "2", "1"
		switch r.IntN(6) {
		case 0:
			old.Name = word(r)
		case 1:
			old.Generation = int64(r.IntN(4))
		case 2:
			now := metav1.NewTime(time.Unix(1_767_258_000, 0))
			old.DeletionTimestamp = &now
			m.DeletionTimestamp = &now
			old.Finalizers = old.Finalizers[:len(old.Finalizers)/2]
		case 3:
			m.ResourceVersion = ""
		case 4:
			old.UID = "other"
		}
		if metaUpdateSurelyValid(m, old) {
			accepted++
			if errs := apivalidation.ValidateObjectMetaUpdate(m, old, field.NewPath("metadata")); len(errs) > 0 {
				t.Fatalf("accepted the update of %#v to %#v, which apimachinery refuses: %v", old, m, errs)
			}
		}
		for _, rule := range []nameRule{dns1123Subdomain, dns1123Label} {
			for _, namespaced := range []bool{true, false} {
				if !metaSurelyValid(m, namespaced, rule) {
					continue
				}
				accepted++
				if errs := apivalidation.ValidateObjectMeta(m, namespaced, rule.fn(), field.NewPath("metadata")); len(errs) > 0 {
					t.Fatalf("accepted %#v (namespaced %v, rule %d), which apimachinery refuses: %v", m, namespaced, rule, errs)
				}
			}
		}
	}
	if accepted < 1000 {
		t.Fatalf("only %d cases accepted: the test says little", accepted)
	}
}

// The quick checks the pod spec's validation uses (container and volume names, toleration
// keys and values) may only accept what apimachinery's accept.
func TestPlainChecksAgree(t *testing.T) {
	pieces := []string{"", "a", "Z", "0", "-", ".", "_", "/", "x.y", "node.kubernetes.io/", "not-ready", "-a", "a-", "a..b",
		"ö", " ", strings.Repeat("a", 62), strings.Repeat("b", 64), "k8s.io/x"}
	r := rand.New(rand.NewPCG(11, 11))
	accepted := 0
	for i := 0; i < 50_000; i++ {
		var b strings.Builder
		for n := r.IntN(4); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		for _, c := range []struct {
			name  string
			quick bool
			errs  []string
		}{
			{"label name", plainName(s, false, false), validation.IsDNS1123Label(s)},
			{"qualified name", plainKey(s), validation.IsQualifiedName(s)},
			{"label value", plainLabelValue(s), validation.IsValidLabelValue(s)},
		} {
			if c.quick {
				accepted++
				if len(c.errs) > 0 {
					t.Fatalf("%q passed the quick %s check, which apimachinery refuses: %v", s, c.name, c.errs)
				}
			}
		}
	}
	if accepted < 1000 {
		t.Fatalf("only %d cases accepted: the test says little", accepted)
	}
}

// What the cluster writes most takes the quick path: a controller's pod, an event.
func TestMetaSurelyValidAcceptsTheBusyWrites(t *testing.T) {
	cases := []*metav1.ObjectMeta{
		{Name: "kubia-x8fj2", GenerateName: "kubia-", Namespace: "default", Labels: map[string]string{"app": "kubia", "pod-template-hash": "6d4cf56db6"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "kubia", UID: "0b5e", Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}}},
		{Name: "kubia-x8fj2.18a3f1c2d4e5f6a7", Namespace: "default"},
		{Name: "batch-job-29454301", Namespace: "default", Labels: map[string]string{"batch.kubernetes.io/controller-uid": "8d5b6f2e-1111-2222-3333-444455556666"},
			Annotations: map[string]string{"batch.kubernetes.io/job-tracking": ""}},
	}
	for i, m := range cases {
		if !metaSurelyValid(m, true, dns1123Subdomain) {
			t.Errorf("case %d: %s takes the slow path", i, fmt.Sprint(m.Name))
		}
	}
}
