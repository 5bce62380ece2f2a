package store

import (
	"cmp"
	"slices"

	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

// indexOwners keeps the dependents index in step with a write: obj is the new state (nil
// when removed), old the previous (nil when created).
func (s *Store) indexOwners(r *api.Resource, obj, old api.Object) {
	if old != nil {
		k := objectKey{r.Name, old.GetNamespace(), old.GetName()}
		for _, ref := range old.GetOwnerReferences() {
			if deps := s.owners[ref.UID]; deps != nil {
				delete(deps, k)
				if len(deps) == 0 {
					delete(s.owners, ref.UID)
				}
			}
		}
	}
	if obj != nil {
		k := objectKey{r.Name, obj.GetNamespace(), obj.GetName()}
		for _, ref := range obj.GetOwnerReferences() {
			deps := s.owners[ref.UID]
			if deps == nil {
				deps = map[objectKey]struct{}{}
				s.owners[ref.UID] = deps
			}
			deps[k] = struct{}{}
		}
	}
}

// Dependents returns the objects whose ownerReferences name uid, sorted by resource,
// namespace and name.
func (s *Store) Dependents(uid types.UID) []api.Object {
	deps := s.owners[uid]
	if len(deps) == 0 {
		return nil
	}
	if len(deps) == 1 {
		// The usual case (a Job's pod, a pod's events): nothing to sort.
		for k := range deps {
			if obj := s.tables[k.resource].get(k.namespace, k.name); obj != nil {
				return []api.Object{obj}
			}
		}
		return nil
	}
	keys := make([]objectKey, 0, len(deps))
	for k := range deps {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b objectKey) int {
		if c := cmp.Compare(a.resource, b.resource); c != 0 {
			return c
		}
		if c := cmp.Compare(a.namespace, b.namespace); c != 0 {
			return c
		}
		return cmp.Compare(a.name, b.name)
	})
	out := make([]api.Object, 0, len(keys))
	for _, k := range keys {
		if obj := s.tables[k.resource].get(k.namespace, k.name); obj != nil {
			out = append(out, obj)
		}
	}
	return out
}

// HasDependents reports whether any object names uid as an owner.
func (s *Store) HasDependents(uid types.UID) bool { return len(s.owners[uid]) > 0 }
