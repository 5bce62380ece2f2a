package podowner

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

func pod(owner string, lbl string, deleting bool) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default", Labels: map[string]string{"app": lbl}}}
	if owner != "" {
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "ReplicationController", Name: owner, UID: types.UID("uid-" + owner), Controller: ptr.To(true)}}
	}
	if deleting {
		p.DeletionTimestamp = &metav1.Time{}
	}
	return p
}

func TestRoute(t *testing.T) {
	pods := api.ResourceByName("pods")
	cases := []struct {
		name       string
		typ        store.EventType
		old, cur   *corev1.Pod
		wantOwned  []string
		wantOrphan bool
	}{
		{"owned pod added", store.Added, nil, pod("a", "kubia", false), []string{"a"}, false},
		{"released: the old owner hears of it", store.Modified, pod("a", "kubia", false), pod("", "kubia", false), []string{"a"}, true},
		{"moved to another owner", store.Modified, pod("a", "kubia", false), pod("b", "kubia", false), []string{"a", "b"}, false},
		{"orphan relabelled", store.Modified, pod("", "x", false), pod("", "kubia", false), nil, true},
		{"orphan status change", store.Modified, pod("", "kubia", false), pod("", "kubia", false), nil, false},
		{"orphan deleted", store.Deleted, pod("", "kubia", false), pod("", "kubia", false), nil, false},
		{"terminating orphan", store.Added, nil, pod("", "kubia", true), nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := store.WatchEvent{Type: tc.typ, Resource: pods, Object: tc.cur}
			if tc.old != nil {
				ev.Old = tc.old
			}
			var owned []string
			orphan := Route(ev, func(_ string, ref *metav1.OwnerReference, _ string) { owned = append(owned, ref.Name) })
			if !reflect.DeepEqual(owned, tc.wantOwned) || (orphan != nil) != tc.wantOrphan {
				t.Fatalf("owned %v orphan %v", owned, orphan != nil)
			}
		})
	}
}
