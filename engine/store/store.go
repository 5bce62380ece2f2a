package store

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

// DefaultMaxObjects protects the tab: past it, creates are refused with a clear error.
// Events do not count: they have a budget of their own (engine/events' MaxEvents), met by
// expiring the oldest, so that a cluster busy with 100,000 pods still takes new objects.
const DefaultMaxObjects = 300_000

// EventType says what happened to an object.
type EventType string

const (
	Added    EventType = "ADDED"
	Modified EventType = "MODIFIED"
	Deleted  EventType = "DELETED"
)

// WatchEvent is one change. Old is the previous state for Modified and Deleted.
type WatchEvent struct {
	Type     EventType
	Resource *api.Resource
	Object   api.Object
	Old      api.Object
}

// Store holds every API object of one cluster. Its methods read; its Writer writes.
type Store struct {
	rv uint64

	tables map[string]*table // by resource name
	// byResource is tables by the resource's pointer (api.Resources' own), which hashes
	// faster than its name: every read and write looks its table up.
	byResource map[*api.Resource]*table
	owners     map[types.UID]*dependents
	count      int
	events     int // of count, the events, which MaxObjects does not count
	pending    []WatchEvent
	drained    []WatchEvent // what the last Drain returned, reused by the next

	// MaxObjects caps the number of stored objects but events.
	MaxObjects int
	// PackEventsFrom is the number of stored events from which new ones are kept packed
	// (packed.go): a small cluster's events, which are read and written again often, stay
	// as they are; a big cluster's, which are most of its memory, are packed.
	PackEventsFrom int
}

type objectKey struct {
	resource, namespace, name string
}

// table is one resource's objects: per namespace, a map plus the names in sorted order, so
// that every listing is deterministic.
type table struct {
	res        *api.Resource
	packer     *eventPacker // nil but for events (packed.go)
	namespaces map[string]*nsTable
	nsNames    []string
}

// nsTable keeps names sorted lazily: inserts append to an unsorted tail and deletions only
// leave stale names behind; the next listing merges both in one linear pass. A listing is
// linear anyway, so writes stay O(1) even with tens of thousands of events in a namespace.
// A table not listed yet, or not since most of its names went, keeps no names at all: most
// events come and go without ever being listed (100,000 pods' half a million events held
// 16 MB of names, a third of them dead), and its first listing sorts the map's keys.
type nsTable struct {
	objs    map[string]any // api.Object, or its packed form (packed.go)
	indexed bool           // whether names and added are kept
	names   []string       // sorted; may hold names deleted since the last merge
	added   []string       // inserted since the last merge, unsorted
	stale   int            // deleted names still in names or added
}

func (t *table) get(ns, name string) api.Object {
	n := t.namespaces[ns]
	if n == nil {
		return nil
	}
	return stored(n.objs[name], name)
}

// stored is the object that the table keeps as v under name: a packed event unpacked (with
// the caller's name, which does not escape: callers pass names made on their stack), any
// other as it is.
func stored(v any, name string) api.Object {
	if pe, ok := v.(*packedEvent); ok {
		return pe.unpack(name)
	}
	if v == nil {
		return nil
	}
	return v.(api.Object)
}

// take removes the object stored under name and returns it, or nil: get and remove in
// one lookup.
func (t *table) take(ns, name string) api.Object {
	n := t.namespaces[ns]
	if n == nil {
		return nil
	}
	v, ok := n.objs[name]
	if !ok {
		return nil
	}
	n.delete(name)
	return stored(v, name)
}

// has tells whether an object of that name is stored, without unpacking it.
func (t *table) has(ns, name string) bool {
	n := t.namespaces[ns]
	if n == nil {
		return false
	}
	_, ok := n.objs[name]
	return ok
}

// put stores obj over the version stored now, if any.
func (t *table) put(obj api.Object, pack bool) {
	n := t.namespace(obj.GetNamespace())
	name := obj.GetName()
	if _, ok := n.objs[name]; !ok && n.indexed {
		n.added = append(n.added, name)
	}
	n.objs[name] = t.packed(obj, pack)
}

// insert stores obj, whose name has been checked to be free: one map access less than put.
func (t *table) insert(obj api.Object, pack bool) {
	n := t.namespace(obj.GetNamespace())
	name := obj.GetName()
	if n.indexed {
		n.added = append(n.added, name)
	}
	n.objs[name] = t.packed(obj, pack)
}

// packed is what the table keeps of obj.
func (t *table) packed(obj api.Object, pack bool) any {
	if pack {
		return t.packer.packObject(obj)
	}
	return obj
}

// namespace returns the table of the namespace ns, made if new.
func (t *table) namespace(ns string) *nsTable {
	n := t.namespaces[ns]
	if n == nil {
		n = &nsTable{objs: map[string]any{}}
		t.namespaces[ns] = n
		i := sort.SearchStrings(t.nsNames, ns)
		t.nsNames = append(t.nsNames, "")
		copy(t.nsNames[i+1:], t.nsNames[i:])
		t.nsNames[i] = ns
	}
	return n
}

func (t *table) remove(ns, name string) {
	n := t.namespaces[ns]
	if n == nil {
		return
	}
	if _, ok := n.objs[name]; ok {
		n.delete(name)
	}
}

// delete removes the stored name.
func (n *nsTable) delete(name string) {
	delete(n.objs, name)
	if !n.indexed {
		return
	}
	n.stale++
	// Objects that come and go without being listed again (events, a CronJob's Jobs and
	// pods) would otherwise leave their names behind for good: once the dead outnumber the
	// live, the names go. Sorting the live names at the next listing costs less than merging
	// the inserts since, which are more.
	if n.stale > 1024 && n.stale > 2*len(n.objs) {
		n.names, n.added, n.stale, n.indexed = nil, nil, 0, false
	}
}

// sorted returns the live names in order, merging pending inserts and dropping deletions.
func (n *nsTable) sorted() []string {
	if !n.indexed {
		names := make([]string, 0, len(n.objs))
		for name := range n.objs {
			names = append(names, name)
		}
		sort.Strings(names)
		n.names, n.indexed = names, true
		return names
	}
	if len(n.added) == 0 && n.stale == 0 {
		return n.names
	}
	merged := mergeLive(n.names, n.added, len(n.objs), strings.Compare, func(name string) bool {
		_, live := n.objs[name]
		return live
	})
	n.names, n.added, n.stale = merged, nil, 0
	return merged
}

// mergeLive merges the sorted keys with the unsorted added ones (sorting them in place) into
// a new sorted slice of the live keys. A key deleted and made again may sit in both lists:
// one copy is kept.
func mergeLive[K comparable](sorted, added []K, size int, compare func(a, b K) int, live func(K) bool) []K {
	// sort.Slice: one sort for both key types, where each generic instance would be 20 KB
	// of the browser's wasm.
	sort.Slice(added, func(i, j int) bool { return compare(added[i], added[j]) < 0 })
	merged := make([]K, 0, size)
	take := func(k K) {
		if (len(merged) == 0 || merged[len(merged)-1] != k) && live(k) {
			merged = append(merged, k)
		}
	}
	i, j := 0, 0
	for i < len(sorted) || j < len(added) {
		if j >= len(added) || (i < len(sorted) && compare(sorted[i], added[j]) <= 0) {
			take(sorted[i])
			i++
		} else {
			take(added[j])
			j++
		}
	}
	return merged
}

// New returns an empty store and the one Writer that changes it. The caller keeps the
// Writer for the API server (engine/apiserver), the store's only writer, and hands the
// Store to everyone who reads.
func New() (*Store, *Writer) {
	s := &Store{tables: map[string]*table{}, byResource: map[*api.Resource]*table{}, owners: map[types.UID]*dependents{},
		MaxObjects: DefaultMaxObjects, PackEventsFrom: DefaultPackEventsFrom}
	for _, r := range api.Resources() {
		t := &table{res: r, packer: newPacker(r), namespaces: map[string]*nsTable{}}
		s.tables[r.Name], s.byResource[r] = t, t
	}
	return s, &Writer{s: s}
}

// ResourceVersion is the store's current resourceVersion.
func (s *Store) ResourceVersion() uint64 { return s.rv }

// DefaultPackEventsFrom: packing saves about 500 bytes an event and costs an unpacking
// (an Event and its strings) at every read; below 10,000 events the memory is not worth it.
const DefaultPackEventsFrom = 10_000

// packing tells whether events written now are packed.
func (s *Store) packing() bool { return s.events >= s.PackEventsFrom }

// counted notes n more objects of r.
func (s *Store) counted(r *api.Resource, n int) {
	s.count += n
	if isEvents(r) {
		s.events += n
	}
}

func isEvents(r *api.Resource) bool { return r.Name == "events" && r.Group == "" }

// Len is the number of stored objects.
func (s *Store) Len() int { return s.count }

// Drain hands over the watch events since the last call, in order. The slice is the
// caller's until the next call, which reuses it: a busy cluster drains a few events at a
// time, millions of times.
func (s *Store) Drain() []WatchEvent {
	ev := s.pending
	clear(s.drained)
	s.pending, s.drained = s.drained[:0], ev
	return ev
}

// HasPending reports whether watch events are waiting to be drained.
func (s *Store) HasPending() bool { return len(s.pending) > 0 }

func (s *Store) table(r *api.Resource) *table {
	if t := s.byResource[r]; t != nil {
		return t
	}
	t := s.tables[r.Name]
	if t == nil {
		panic("store: unknown resource " + r.Name)
	}
	return t
}

func (s *Store) nextRV() string {
	s.rv++
	return strconv.FormatUint(s.rv, 10)
}

// Writer changes the store: what etcd's transactions are to a real API server. It knows
// nothing of defaulting, validation, identity, graceful deletion or finalizers (all of that
// is the API server's, engine/apiserver); it stores versions, numbers them, keeps the
// indexes and queues the watch events. Stored objects are never mutated afterwards, so a
// caller hands each object over and must neither change nor keep it.
type Writer struct{ s *Store }

// Insert stores obj, which carries its whole identity (name, uid, creationTimestamp), as a
// new object with the next resourceVersion. Errors: AlreadyExists when the name is taken,
// Forbidden when the store holds MaxObjects already.
func (w *Writer) Insert(r *api.Resource, obj api.Object) error {
	s := w.s
	t := s.table(r)
	if t.has(obj.GetNamespace(), obj.GetName()) {
		return apierrors.NewAlreadyExists(r.GroupResource(), obj.GetName())
	}
	if s.MaxObjects > 0 && !isEvents(r) && s.count-s.events >= s.MaxObjects {
		return apierrors.NewForbidden(r.GroupResource(), obj.GetName(),
			fmt.Errorf("kubetab holds at most %d objects; delete some first", s.MaxObjects))
	}
	obj.SetResourceVersion(s.nextRV())
	t.insert(obj, s.packing())
	s.counted(r, 1)
	s.indexOwners(r, obj, nil)
	s.pending = append(s.pending, WatchEvent{Type: Added, Resource: r, Object: obj})
	return nil
}

// Replace stores obj as the next version of old, the version stored now.
func (w *Writer) Replace(r *api.Resource, obj, old api.Object) {
	s := w.s
	obj.SetResourceVersion(s.nextRV())
	s.table(r).put(obj, s.packing())
	s.indexOwners(r, obj, old)
	s.pending = append(s.pending, WatchEvent{Type: Modified, Resource: r, Object: obj, Old: old})
}

// Remove deletes old, the version stored now; obj is its final version, the one watchers
// see deleted (it gets a resourceVersion of its own unless it already has a newer one).
func (w *Writer) Remove(r *api.Resource, obj, old api.Object) {
	s := w.s
	if obj.GetResourceVersion() == old.GetResourceVersion() {
		obj.SetResourceVersion(s.nextRV())
	}
	s.table(r).remove(obj.GetNamespace(), obj.GetName())
	s.counted(r, -1)
	s.indexOwners(r, nil, old)
	s.pending = append(s.pending, WatchEvent{Type: Deleted, Resource: r, Object: obj, Old: old})
}

// Expire removes an object whose time is up (an event past its TTL) as etcd drops a key
// whose lease ran out: no new version is written for it, so watchers see its last version
// deleted. It reports whether it was there.
func (w *Writer) Expire(r *api.Resource, namespace, name string) bool {
	s := w.s
	if !r.Namespaced {
		namespace = ""
	}
	old := s.table(r).take(namespace, name)
	if old == nil {
		return false
	}
	s.counted(r, -1)
	s.indexOwners(r, nil, old)
	s.pending = append(s.pending, WatchEvent{Type: Deleted, Resource: r, Object: old, Old: old})
	return true
}

// Get returns the stored object (shared: do not mutate).
func (s *Store) Get(r *api.Resource, namespace, name string) (api.Object, error) {
	obj := s.Lookup(r, namespace, name)
	if obj == nil {
		return nil, apierrors.NewNotFound(r.GroupResource(), name)
	}
	return obj, nil
}

// Lookup is Get for callers to whom a missing object is an ordinary answer (an owner
// already gone, an event already expired): nil, without building a NotFound error.
func (s *Store) Lookup(r *api.Resource, namespace, name string) api.Object {
	if !r.Namespaced {
		namespace = ""
	}
	return s.table(r).get(namespace, name)
}

// ListOptions select objects by labels and fields; nil selectors select everything.
type ListOptions struct {
	Labels labels.Selector
	Fields fields.Selector
}

// List returns the objects of a resource in a namespace ("" for all namespaces), sorted by
// namespace then name.
func (s *Store) List(r *api.Resource, namespace string, opts ListOptions) ([]api.Object, error) {
	if opts.Fields != nil && !opts.Fields.Empty() {
		for _, req := range opts.Fields.Requirements() {
			if !fieldSupported(r, req.Field) {
				return nil, apierrors.NewBadRequest(fmt.Sprintf("Unable to find %q that match label selector %q, field selector %q: field label not supported: %s",
					r.GroupVersionKind().GroupVersion().WithResource(r.Name).String(), selectorString(opts.Labels), opts.Fields.String(), req.Field))
			}
		}
	}
	var out []api.Object
	s.Each(r, namespace, func(obj api.Object) bool {
		if opts.Matches(obj) {
			out = append(out, obj)
		}
		return true
	})
	return out, nil
}

// Matches tells whether obj is one that List with these options returns (namespace aside).
func (o ListOptions) Matches(obj api.Object) bool {
	if o.Labels != nil && !o.Labels.Empty() && !o.Labels.Matches(labels.Set(obj.GetLabels())) {
		return false
	}
	return o.Fields == nil || o.Fields.Empty() || o.Fields.Matches(FieldSet(obj))
}

func selectorString(sel labels.Selector) string {
	if sel == nil {
		return ""
	}
	return sel.String()
}

// Each calls fn for every object of a resource in a namespace ("" for all), in namespace then
// name order, until fn returns false. fn must not create or delete objects of r.
func (s *Store) Each(r *api.Resource, namespace string, fn func(api.Object) bool) {
	t := s.table(r)
	visit := func(n *nsTable) bool {
		for _, name := range n.sorted() {
			if !fn(stored(n.objs[name], name)) {
				return false
			}
		}
		return true
	}
	if namespace != "" && r.Namespaced {
		if n := t.namespaces[namespace]; n != nil {
			visit(n)
		}
		return
	}
	for _, ns := range t.nsNames {
		if !visit(t.namespaces[ns]) {
			return
		}
	}
}

// Count is the number of objects of a resource in a namespace ("" for all).
func (s *Store) Count(r *api.Resource, namespace string) int {
	t := s.table(r)
	if namespace != "" && r.Namespaced {
		if n := t.namespaces[namespace]; n != nil {
			return len(n.objs)
		}
		return 0
	}
	total := 0
	for _, n := range t.namespaces {
		total += len(n.objs)
	}
	return total
}
