package store

import (
	"fmt"

	"github.com/kubetab/kubetab/engine/api"
)

// Stored is one object with its resource, as Dump lists it and Restore takes it.
type Stored struct {
	Resource *api.Resource
	Object   api.Object
}

// Dump lists every stored object (shared: do not mutate), in the order of api.Resources()
// and then namespace and name: what etcd holds of a cluster, with the store's
// resourceVersion.
func (s *Store) Dump() (rv uint64, objs []Stored) {
	objs = make([]Stored, 0, s.count)
	for _, r := range api.Resources() {
		s.Each(r, "", func(o api.Object) bool {
			objs = append(objs, Stored{Resource: r, Object: o})
			return true
		})
	}
	return s.rv, objs
}

// Restore returns a store holding objs, each keeping its resourceVersion, at resourceVersion
// rv, and its Writer: the store an API server finds when it restarts over its etcd. The watch
// queue holds an Added event for each object, in the order given, as the informers of
// restarted components list what exists before they watch.
func Restore(rv uint64, objs []Stored) (*Store, *Writer, error) {
	s, w := New()
	s.rv = rv
	for _, o := range objs {
		t := s.table(o.Resource)
		if t.has(o.Object.GetNamespace(), o.Object.GetName()) {
			return nil, nil, fmt.Errorf("%s %s/%s stored twice", o.Resource.Name, o.Object.GetNamespace(), o.Object.GetName())
		}
		t.insert(o.Object, s.packing())
		s.counted(o.Resource, 1)
		s.indexOwners(o.Resource, o.Object, nil)
		s.pending = append(s.pending, WatchEvent{Type: Added, Resource: o.Resource, Object: o.Object})
	}
	return s, w, nil
}
