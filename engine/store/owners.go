package store

import (
	"cmp"
	"slices"

	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

// dependents are the objects whose ownerReferences name one uid, as keys kept in order
// lazily, the way nsTable keeps names: a write only appends (an object that gains the
// owner) or counts (one that loses it, or goes); the next listing sorts what was appended,
// merges it in and drops what no longer names the owner, in one pass. A Job of 10,000 pods
// is listed at every sync, and sorting its pods each time was most of a sync's cost.
type dependents struct {
	sorted []objectKey // in order; may hold keys that no longer name the owner
	added  []objectKey // appended since the last listing, unsorted
	live   int         // how many objects name the owner now
	stale  int         // keys in sorted or added that no longer name it
}

func compareKeys(a, b objectKey) int {
	return cmp.Or(cmp.Compare(a.resource, b.resource), cmp.Compare(a.namespace, b.namespace), cmp.Compare(a.name, b.name))
}

// indexOwners keeps the dependents index in step with a write: obj is the new state (nil
// when removed), old the previous (nil when created).
func (s *Store) indexOwners(r *api.Resource, obj, old api.Object) {
	var was, is []types.UID
	if old != nil {
		for _, ref := range old.GetOwnerReferences() {
			was = append(was, ref.UID)
		}
	}
	if obj != nil {
		for _, ref := range obj.GetOwnerReferences() {
			is = append(is, ref.UID)
		}
	}
	for _, uid := range was {
		if !slices.Contains(is, uid) {
			d := s.owners[uid]
			d.live--
			d.stale++
			if d.live == 0 {
				delete(s.owners, uid)
			}
		}
	}
	for _, uid := range is {
		if !slices.Contains(was, uid) {
			d := s.owners[uid]
			if d == nil {
				d = &dependents{}
				s.owners[uid] = d
			}
			d.live++
			d.added = append(d.added, objectKey{r.Name, obj.GetNamespace(), obj.GetName()})
		}
	}
}

// names tells whether the stored object at k names uid as an owner.
func (s *Store) names(k objectKey, uid types.UID) bool {
	obj := s.tables[k.resource].get(k.namespace, k.name)
	if obj == nil {
		return false
	}
	for _, ref := range obj.GetOwnerReferences() {
		if ref.UID == uid {
			return true
		}
	}
	return false
}

// dependentKeys returns the keys of the objects that name uid now, in order.
func (s *Store) dependentKeys(uid types.UID, d *dependents) []objectKey {
	if len(d.added) == 0 && d.stale == 0 {
		return d.sorted
	}
	merged := mergeLive(d.sorted, d.added, d.live, compareKeys, func(k objectKey) bool { return s.names(k, uid) })
	d.sorted, d.added, d.stale = merged, nil, 0
	return merged
}

// Dependents returns the objects whose ownerReferences name uid, sorted by resource,
// namespace and name.
func (s *Store) Dependents(uid types.UID) []api.Object {
	var out []api.Object
	s.EachDependent(uid, func(obj api.Object) bool {
		out = append(out, obj)
		return true
	})
	return out
}

// EachDependent calls fn for every object whose ownerReferences name uid, in the order of
// Dependents, until fn returns false. fn must not write.
func (s *Store) EachDependent(uid types.UID, fn func(api.Object) bool) {
	d := s.owners[uid]
	if d == nil {
		return
	}
	for _, k := range s.dependentKeys(uid, d) {
		if !fn(s.tables[k.resource].get(k.namespace, k.name)) {
			return
		}
	}
}

// HasDependents reports whether any object names uid as an owner.
func (s *Store) HasDependents(uid types.UID) bool { return s.owners[uid] != nil }
