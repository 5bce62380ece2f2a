package job

import (
	"cmp"
	"fmt"
	"slices"
	"sort"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

// A Job's sync looks at all of its pods; reading them from the store, checking each one's
// controller and matching its labels cost a microsecond a pod, at every sync, which made a
// Job of 10,000 pods quadratic. claimCache keeps the pods a Job claimed at its last sync
// (stored objects are never changed, so an unchanged pod is still the same pointer) and the
// names of the pods whose watch events came since, the only ones read again.

type podName struct{ namespace, name string }

func comparePodNames(a, b podName) int {
	return cmp.Or(cmp.Compare(a.namespace, b.namespace), cmp.Compare(a.name, b.name))
}

func nameOf(p *corev1.Pod) podName { return podName{p.Namespace, p.Name} }

type claimCache struct {
	pods  []*corev1.Pod // in the order of claimPods
	dirty map[podName]bool
}

// podChanged notes that a pod controlled (now or before) by the Job of uid changed.
func (jc *controller) podChanged(uid types.UID, pod *corev1.Pod) {
	if c := jc.claims[uid]; c != nil {
		c.dirty[nameOf(pod)] = true
	}
}

// cachedClaims answers claimPods from the cache and the changed pods, or says it cannot: no
// cache yet, or a changed pod must be released (the full claim does that).
func (jc *controller) cachedClaims(job *batchv1.Job, sel labels.Selector) ([]*corev1.Pod, bool) {
	c := jc.claims[job.UID]
	if c == nil {
		return nil, false
	}
	if len(c.dirty) > 0 {
		names := make([]podName, 0, len(c.dirty))
		for n := range c.dirty {
			names = append(names, n)
		}
		// sort.Slice: the generic sort of this struct type would be 24 KB of wasm.
		sort.Slice(names, func(i, j int) bool { return comparePodNames(names[i], names[j]) < 0 })
		var fresh []*corev1.Pod
		for _, n := range names {
			o := jc.store.Lookup(podsResource, n.namespace, n.name)
			if o == nil {
				continue
			}
			p := o.(*corev1.Pod)
			if ref := metav1.GetControllerOfNoCopy(p); ref == nil || ref.UID != job.UID {
				continue
			}
			if !sel.Matches(labels.Set(p.Labels)) {
				if job.DeletionTimestamp == nil {
					return nil, false
				}
				continue
			}
			fresh = append(fresh, p)
		}
		// Both lists are in order: find each changed pod's place by binary search and copy
		// the runs between them, instead of looking every cached pod up.
		merged := make([]*corev1.Pod, 0, len(c.pods)+len(fresh))
		at, f := 0, 0
		for _, n := range names {
			i, found := slices.BinarySearchFunc(c.pods[at:], n, func(p *corev1.Pod, n podName) int { return comparePodNames(nameOf(p), n) })
			merged = append(merged, c.pods[at:at+i]...)
			at += i
			if found {
				at++ // the stale version
			}
			if f < len(fresh) && nameOf(fresh[f]) == n {
				merged = append(merged, fresh[f])
				f++
			}
		}
		merged = append(merged, c.pods[at:]...)
		c.pods = merged
		clear(c.dirty)
	}
	out := slices.Clone(c.pods)
	if jc.verifyClaims {
		jc.verify(job, sel, out)
	}
	return out, true
}

// verify panics when the cached claims differ from a fresh claim (tests only).
func (jc *controller) verify(job *batchv1.Job, sel labels.Selector, got []*corev1.Pod) {
	var want []*corev1.Pod
	jc.store.EachDependent(job.UID, func(o api.Object) bool {
		if p, ok := o.(*corev1.Pod); ok {
			if ref := metav1.GetControllerOfNoCopy(p); ref != nil && ref.UID == job.UID && sel.Matches(labels.Set(p.Labels)) {
				want = append(want, p)
			}
		}
		return true
	})
	if !slices.Equal(got, want) {
		panic(fmt.Sprintf("job %s: cached claims differ from the store's (%d pods, want %d)", job.Name, len(got), len(want)))
	}
}
