package store

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

var pods = api.ResourceByName("pods")

func pod(name string, lbls map[string]string, owned string) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: lbls}}
	if owned != "" {
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "ReplicationController", Name: "rc", UID: "owner-uid"}}
	}
	return p
}

func names(objs []api.Object) string {
	s := ""
	for i, o := range objs {
		if i > 0 {
			s += ","
		}
		s += o.GetName()
	}
	return s
}

// The Writer numbers versions, keeps the tables, the owner index and the watch events; the
// reads see each write at once.
func TestWriterVersionsIndexesAndEvents(t *testing.T) {
	s, w := New()
	for _, n := range []string{"c", "a", "b"} {
		if err := w.Insert(pods, pod(n, map[string]string{"app": n}, "rc")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Insert(pods, pod("a", nil, "")); !apierrors.IsAlreadyExists(err) || err.Error() != `pods "a" already exists` {
		t.Fatalf("duplicate: %v", err)
	}
	all, _ := s.List(pods, "", ListOptions{})
	if got := names(all); got != "a,b,c" || s.ResourceVersion() != 3 || s.Len() != 3 {
		t.Fatalf("listing %s, rv %d, len %d", got, s.ResourceVersion(), s.Len())
	}
	if deps := s.Dependents("owner-uid"); names(deps) != "a,b,c" {
		t.Fatalf("dependents %s", names(deps))
	}
	old := s.Lookup(pods, "default", "b")
	next := pod("b", map[string]string{"app": "x"}, "")
	w.Replace(pods, next, old)
	if next.ResourceVersion != "4" || names(s.Dependents("owner-uid")) != "a,c" {
		t.Fatalf("after the replace: rv %s, dependents %s", next.ResourceVersion, names(s.Dependents("owner-uid")))
	}
	sel, _ := labels.Parse("app=x")
	if got, _ := s.List(pods, "default", ListOptions{Labels: sel}); names(got) != "b" {
		t.Fatalf("label selector: %s", names(got))
	}
	if _, err := s.List(pods, "", ListOptions{Fields: fields.OneTermEqualSelector("spec.foo", "x")}); !apierrors.IsBadRequest(err) {
		t.Fatalf("unsupported field: %v", err)
	}
	final := pod("a", nil, "")
	final.ResourceVersion = s.Lookup(pods, "default", "a").GetResourceVersion()
	w.Remove(pods, final, s.Lookup(pods, "default", "a"))
	if !w.Expire(pods, "default", "c") || w.Expire(pods, "default", "c") {
		t.Fatal("Expire reports whether the object was there")
	}
	var seen []string
	for _, ev := range s.Drain() {
		seen = append(seen, string(ev.Type)+" "+ev.Object.GetName()+" "+ev.Object.GetResourceVersion())
	}
	want := []string{"ADDED c 1", "ADDED a 2", "ADDED b 3", "MODIFIED b 4", "DELETED a 5", "DELETED c 1"}
	if len(seen) != len(want) {
		t.Fatalf("events %v", seen)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("events %v, want %v", seen, want)
		}
	}
	if s.Len() != 1 || s.HasPending() {
		t.Fatalf("len %d, pending %v", s.Len(), s.HasPending())
	}
}

func TestMaxObjects(t *testing.T) {
	s, w := New()
	s.MaxObjects = 1
	if err := w.Insert(pods, pod("a", nil, "")); err != nil {
		t.Fatal(err)
	}
	if err := w.Insert(pods, pod("b", nil, "")); !apierrors.IsForbidden(err) {
		t.Fatalf("want Forbidden, got %v", err)
	}
	// Events have a budget of their own (engine/events): a full store takes them.
	events := api.ResourceByName("events")
	ev := recordedEvent()
	if err := w.Insert(events, ev); err != nil {
		t.Fatalf("an event in a store full of other objects: %v", err)
	}
	w.Remove(pods, s.Lookup(pods, "default", "a"), s.Lookup(pods, "default", "a"))
	if err := w.Insert(pods, pod("b", nil, "")); err != nil {
		t.Fatalf("the event took the room of a pod: %v", err)
	}
	if s.Len() != 2 || s.EventCount() != 1 {
		t.Fatalf("len %d, %d events; want 2, 1", s.Len(), s.EventCount())
	}
}

// The lazily ordered dependents index answers what a scan of the store answers, through
// random creates, owner changes, deletions and re-creations under the same name.
func TestDependentsFollowWrites(t *testing.T) {
	s, w := New()
	rng := rand.New(rand.NewPCG(1, 2))
	owners := []types.UID{"u1", "u2", "u3"}
	for step := range 5000 {
		name := fmt.Sprintf("p%03d", rng.IntN(200))
		old := s.Lookup(pods, "default", name)
		p := pod(name, nil, "")
		for _, uid := range owners {
			if rng.IntN(3) == 0 {
				p.OwnerReferences = append(p.OwnerReferences, metav1.OwnerReference{APIVersion: "v1", Kind: "ReplicationController", Name: "rc", UID: uid})
			}
		}
		switch {
		case old == nil:
			if err := w.Insert(pods, p); err != nil {
				t.Fatal(err)
			}
		case rng.IntN(4) == 0:
			p.ResourceVersion = old.GetResourceVersion()
			w.Remove(pods, p, old)
		default:
			w.Replace(pods, p, old)
		}
		if step%7 != 0 {
			continue
		}
		for _, uid := range owners {
			var want []string
			s.Each(pods, "", func(o api.Object) bool {
				for _, ref := range o.GetOwnerReferences() {
					if ref.UID == uid {
						want = append(want, o.GetName())
					}
				}
				return true
			})
			if got := names(s.Dependents(uid)); got != strings.Join(want, ",") || s.HasDependents(uid) != (len(want) > 0) {
				t.Fatalf("step %d, owner %s: dependents %s, want %s", step, uid, got, strings.Join(want, ","))
			}
		}
	}
}

// Listings are sorted and complete whatever came before them: a table listed for the first
// time, one listed after a few writes (merged), after many deletions (its names dropped),
// and names deleted and made again.
func TestListingsFollowChurn(t *testing.T) {
	s, w := New()
	rng := rand.New(rand.NewPCG(3, 4))
	live := map[string]bool{}
	listed := 0
	for step := range 40_000 {
		// Phases: mostly creating (and some deleting), then deleting.
		creating := step/8000%2 == 0
		name := fmt.Sprintf("p%d", rng.IntN(4000))
		if live[name] && (!creating || rng.IntN(4) == 0) {
			if !w.Expire(pods, "default", name) {
				t.Fatalf("step %d: %s not there to delete", step, name)
			}
			delete(live, name)
		} else if !live[name] && creating {
			if err := w.Insert(pods, pod(name, nil, "")); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			live[name] = true
		}
		// A listing early, at the end of each phase, and often in the last ones.
		if step != 100 && step%8000 != 7999 && (step < 24000 || rng.IntN(150) != 0) {
			continue
		}
		listed++
		objs, err := s.List(pods, "default", ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Sorted(maps.Keys(live))
		got := make([]string, len(objs))
		for i, o := range objs {
			got[i] = o.GetName()
		}
		if !slices.Equal(got, want) {
			t.Fatalf("step %d: listed %d objects, want %d", step, len(objs), len(want))
		}
	}
	if listed < 30 {
		t.Fatalf("listed only %d times", listed)
	}
}
