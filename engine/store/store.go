package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubetab/kubetab/engine/api"
)

// Finalizers the API server itself understands for cascading deletion.
const (
	FinalizerOrphan     = metav1.FinalizerOrphanDependents // "orphan"
	FinalizerForeground = metav1.FinalizerDeleteDependents // "foregroundDeletion"
)

// DefaultMaxObjects protects the tab: past it, creates are refused with a clear error.
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

// Operation names what a write is, for the admission hook.
type Operation string

const (
	OpCreate Operation = "CREATE"
	OpUpdate Operation = "UPDATE"
)

// AdmitFunc may change obj before it is stored (it already has its uid and timestamps) or
// refuse the write. old is nil on create.
type AdmitFunc func(op Operation, obj, old api.Object) error

// Store holds every API object of one cluster.
type Store struct {
	now  func() time.Time
	rand *rand.Rand
	rv   uint64

	tables  map[string]*table // by resource name
	owners  map[types.UID]map[objectKey]struct{}
	count   int
	pending []WatchEvent
	drained []WatchEvent // what the last Drain returned, reused by the next

	// Admit is called on every create and update; nil admits everything unchanged.
	Admit AdmitFunc
	// MaxObjects caps the number of stored objects.
	MaxObjects int
}

type objectKey struct {
	resource, namespace, name string
}

// table is one resource's objects: per namespace, a map plus the names in sorted order, so
// that every listing is deterministic.
type table struct {
	res        *api.Resource
	namespaces map[string]*nsTable
	nsNames    []string
}

// nsTable keeps names sorted lazily: inserts append to an unsorted tail and deletions only
// leave stale names behind; the next listing merges both in one linear pass. A listing is
// linear anyway, so writes stay O(1) even with tens of thousands of events in a namespace.
type nsTable struct {
	objs  map[string]api.Object
	names []string // sorted; may hold names deleted since the last merge
	added []string // inserted since the last merge, unsorted
	stale int      // deleted names still in names or added
}

func (t *table) get(ns, name string) api.Object {
	n := t.namespaces[ns]
	if n == nil {
		return nil
	}
	return n.objs[name]
}

func (t *table) put(obj api.Object) (added bool) {
	ns := obj.GetNamespace()
	n := t.namespaces[ns]
	if n == nil {
		n = &nsTable{objs: map[string]api.Object{}}
		t.namespaces[ns] = n
		i := sort.SearchStrings(t.nsNames, ns)
		t.nsNames = append(t.nsNames, "")
		copy(t.nsNames[i+1:], t.nsNames[i:])
		t.nsNames[i] = ns
	}
	name := obj.GetName()
	if _, ok := n.objs[name]; !ok {
		n.added = append(n.added, name)
		added = true
	}
	n.objs[name] = obj
	return added
}

func (t *table) remove(ns, name string) {
	n := t.namespaces[ns]
	if n == nil {
		return
	}
	if _, ok := n.objs[name]; !ok {
		return
	}
	delete(n.objs, name)
	n.stale++
	// Objects that come and go without ever being listed (events, a CronJob's Jobs and
	// pods) would otherwise leave their names behind for good: drop the dead ones once they
	// outnumber the live, which keeps the cost per removal constant.
	if n.stale > 1024 && n.stale > 2*len(n.objs) {
		n.names, n.added = n.live(n.names), n.live(n.added)
		n.stale = 0
	}
}

// live filters names in place down to those still stored (keeping their order).
func (n *nsTable) live(names []string) []string {
	out := names[:0]
	for _, name := range names {
		if _, ok := n.objs[name]; ok {
			out = append(out, name)
		}
	}
	clear(names[len(out):])
	return out
}

// sorted returns the live names in order, merging pending inserts and dropping deletions.
func (n *nsTable) sorted() []string {
	if len(n.added) == 0 && n.stale == 0 {
		return n.names
	}
	sort.Strings(n.added)
	merged := make([]string, 0, len(n.objs))
	i, j := 0, 0
	take := func(name string) {
		// A name deleted and re-created may sit in both lists; keep one live copy.
		if _, live := n.objs[name]; live && (len(merged) == 0 || merged[len(merged)-1] != name) {
			merged = append(merged, name)
		}
	}
	for i < len(n.names) || j < len(n.added) {
		if j >= len(n.added) || (i < len(n.names) && n.names[i] <= n.added[j]) {
			take(n.names[i])
			i++
		} else {
			take(n.added[j])
			j++
		}
	}
	n.names, n.added, n.stale = merged, nil, 0
	return merged
}

// New returns an empty store. now gives the virtual time; rng is the cluster's one source
// of randomness (generated names and uids).
func New(now func() time.Time, rng *rand.Rand) *Store {
	s := &Store{now: now, rand: rng, tables: map[string]*table{}, owners: map[types.UID]map[objectKey]struct{}{}, MaxObjects: DefaultMaxObjects}
	for _, r := range api.Resources() {
		s.tables[r.Name] = &table{res: r, namespaces: map[string]*nsTable{}}
	}
	return s
}

// ResourceVersion is the store's current resourceVersion.
func (s *Store) ResourceVersion() uint64 { return s.rv }

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

func (s *Store) resourceOf(obj api.Object) (*api.Resource, *table, error) {
	r := api.ResourceFor(obj)
	if r == nil {
		return nil, nil, apierrors.NewBadRequest(fmt.Sprintf("kubetab does not serve objects of type %T", obj))
	}
	return r, s.tables[r.Name], nil
}

func (s *Store) table(r *api.Resource) *table {
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

// NewUID returns a random, version-4-shaped UID from the cluster's seeded source.
func (s *Store) NewUID() types.UID {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := s.rand.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	// 8-4-4-4-12 hex digits, formatted by hand: a UID is made for every object and event.
	const hexDigits = "0123456789abcdef"
	var out [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexDigits[c>>4], hexDigits[c&0x0f]
		j += 2
	}
	return types.UID(out[:])
}

// alphanums are the characters the API server uses for generated name suffixes (no vowels,
// no look-alikes), as in apimachinery's util/rand.
const alphanums = "bcdfghjklmnpqrstvwxz2456789"

// RandomSuffix returns n characters for generated names.
func (s *Store) RandomSuffix(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphanums[s.rand.IntN(len(alphanums))]
	}
	return string(b)
}

// Create stores a copy of obj with fresh identity metadata and returns the stored object.
func (s *Store) Create(in api.Object) (api.Object, error) {
	if _, _, err := s.resourceOf(in); err != nil {
		return nil, err
	}
	return s.Adopt(in.DeepCopyObject().(api.Object))
}

// Adopt is Create without the copy: obj itself is completed and stored, so the caller hands
// it over and must neither change nor keep it (the event recorder builds one per event).
func (s *Store) Adopt(obj api.Object) (api.Object, error) {
	r, t, err := s.resourceOf(obj)
	if err != nil {
		return nil, err
	}
	if r.Namespaced {
		if obj.GetNamespace() == "" {
			obj.SetNamespace(metav1.NamespaceDefault)
		}
		if err := s.checkNamespace(obj.GetNamespace()); err != nil {
			return nil, err
		}
	} else {
		obj.SetNamespace("")
	}
	if obj.GetName() == "" {
		if obj.GetGenerateName() == "" {
			return nil, apierrors.NewInvalid(r.GroupVersionKind().GroupKind(), "", field.ErrorList{
				field.Required(field.NewPath("metadata", "name"), "name or generateName is required"),
			})
		}
		// The API server tries a few suffixes before giving up; so do we.
		for i := 0; i < 8 && obj.GetName() == ""; i++ {
			name := obj.GetGenerateName() + s.RandomSuffix(5)
			if t.get(obj.GetNamespace(), name) == nil {
				obj.SetName(name)
			}
		}
		if obj.GetName() == "" {
			return nil, apierrors.NewAlreadyExists(r.GroupResource(), obj.GetGenerateName())
		}
	}
	if t.get(obj.GetNamespace(), obj.GetName()) != nil {
		return nil, apierrors.NewAlreadyExists(r.GroupResource(), obj.GetName())
	}
	if s.MaxObjects > 0 && s.count >= s.MaxObjects {
		return nil, apierrors.NewForbidden(r.GroupResource(), obj.GetName(),
			fmt.Errorf("kubetab holds at most %d objects; delete some first", s.MaxObjects))
	}
	api.SetTypeMeta(obj)
	obj.SetUID(s.NewUID())
	// Whole seconds, as the API hands timestamps out (RFC 3339 in JSON): a client that
	// round-trips the object must get back exactly what is stored.
	obj.SetCreationTimestamp(metav1.NewTime(s.now().Truncate(time.Second)))
	obj.SetGeneration(1)
	obj.SetDeletionTimestamp(nil)
	obj.SetDeletionGracePeriodSeconds(nil)
	obj.SetResourceVersion("")
	if s.Admit != nil {
		if err := s.Admit(OpCreate, obj, nil); err != nil {
			return nil, err
		}
	}
	obj.SetResourceVersion(s.nextRV())
	t.put(obj)
	s.count++
	s.indexOwners(r, obj, nil)
	s.pending = append(s.pending, WatchEvent{Type: Added, Resource: r, Object: obj})
	return obj, nil
}

func (s *Store) checkNamespace(ns string) error {
	nsObj := s.tables["namespaces"].get("", ns)
	if nsObj == nil {
		return apierrors.NewNotFound(schema.GroupResource{Resource: "namespaces"}, ns)
	}
	if nsObj.GetDeletionTimestamp() != nil {
		return apierrors.NewForbidden(schema.GroupResource{}, "",
			fmt.Errorf("unable to create new content in namespace %s because it is being terminated", ns))
	}
	return nil
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
			if !fn(n.objs[name]) {
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

var errModified = errors.New("the object has been modified; please apply your changes to the latest version and try again")

// Update replaces an object. A non-empty resourceVersion must match the stored one
// (optimistic concurrency); an empty one updates unconditionally, as `kubectl replace
// --force` or a client that does not care would. Identity metadata cannot change.
// An update that changes nothing writes nothing and returns the stored object.
func (s *Store) Update(in api.Object) (api.Object, error) { return s.update(in, false) }

// UpdateOwned is Update without the copy, as Adopt is Create without it: in is handed over
// and becomes the stored version. It may share parts with the stored object (a shallow copy
// with one field replaced, as the scheduler's binding or a finalizer's removal makes), since
// stored objects are never mutated; the caller must neither change nor keep it.
func (s *Store) UpdateOwned(in api.Object) (api.Object, error) { return s.update(in, true) }

func (s *Store) update(in api.Object, owned bool) (api.Object, error) {
	r, t, err := s.resourceOf(in)
	if err != nil {
		return nil, err
	}
	ns := in.GetNamespace()
	if r.Namespaced && ns == "" {
		ns = metav1.NamespaceDefault
	}
	if !r.Namespaced {
		ns = ""
	}
	old := t.get(ns, in.GetName())
	if old == nil {
		return nil, apierrors.NewNotFound(r.GroupResource(), in.GetName())
	}
	if rv := in.GetResourceVersion(); rv != "" && rv != old.GetResourceVersion() {
		return nil, apierrors.NewConflict(r.GroupResource(), in.GetName(), errModified)
	}
	if in.GetUID() != "" && in.GetUID() != old.GetUID() {
		return nil, apierrors.NewConflict(r.GroupResource(), in.GetName(),
			//lint:ignore ST1005 the API server's own message, as kubectl prints it
			fmt.Errorf("Precondition failed: UID in precondition: %s, UID in object meta: %s", in.GetUID(), old.GetUID()))
	}
	obj := in
	if !owned {
		obj = copyForUpdate(in, old)
	}
	obj.SetNamespace(ns)
	obj.SetUID(old.GetUID())
	obj.SetCreationTimestamp(old.GetCreationTimestamp())
	obj.SetDeletionTimestamp(old.GetDeletionTimestamp())
	obj.SetDeletionGracePeriodSeconds(old.GetDeletionGracePeriodSeconds())
	obj.SetGeneration(old.GetGeneration())
	obj.SetGenerateName(old.GetGenerateName())
	obj.SetResourceVersion(old.GetResourceVersion())
	api.SetTypeMeta(obj)
	if s.Admit != nil {
		if err := s.Admit(OpUpdate, obj, old); err != nil {
			return nil, err
		}
	}
	// Compare the spec first: when it changed, the write is not a no-op and the generation
	// moves; otherwise one more comparison of the whole object tells a no-op. reflect's
	// DeepEqual is several times faster than the semantic one, and what differs only in
	// representation (a Quantity's cached string) at worst costs a harmless extra write.
	if specChanged(obj, old) {
		obj.SetGeneration(old.GetGeneration() + 1)
	} else if sameMetaAndStatus(obj, old) {
		return old, nil
	}
	obj.SetResourceVersion(s.nextRV())
	if obj.GetDeletionTimestamp() != nil && len(obj.GetFinalizers()) == 0 && !awaitsGracefulTermination(obj) && !namespaceFinalizing(obj) {
		s.removeStored(r, t, obj, old)
		return obj, nil
	}
	t.put(obj)
	s.indexOwners(r, obj, old)
	s.pending = append(s.pending, WatchEvent{Type: Modified, Resource: r, Object: obj, Old: old})
	return obj, nil
}

// copyForUpdate returns the version of in to store. A pod, the kind written most, shares
// its spec or status with old when that part is unchanged (stored objects are never
// mutated, and update admission does not change pods): a label or finalizer change then
// copies only the metadata. Anything else is copied whole.
func copyForUpdate(in, old api.Object) api.Object {
	p, ok := in.(*corev1.Pod)
	o, okOld := old.(*corev1.Pod)
	if !ok || !okOld {
		return in.DeepCopyObject().(api.Object)
	}
	n := &corev1.Pod{TypeMeta: p.TypeMeta}
	p.ObjectMeta.DeepCopyInto(&n.ObjectMeta)
	if reflect.DeepEqual(&p.Spec, &o.Spec) {
		n.Spec = o.Spec
	} else {
		p.Spec.DeepCopyInto(&n.Spec)
	}
	if reflect.DeepEqual(&p.Status, &o.Status) {
		n.Status = o.Status
	} else {
		p.Status.DeepCopyInto(&n.Status)
	}
	return n
}

// awaitsGracefulTermination: a pod being deleted gracefully stays until its kubelet confirms
// the containers are gone by deleting it again with a zero grace period.
func awaitsGracefulTermination(obj api.Object) bool {
	g := obj.GetDeletionGracePeriodSeconds()
	_, isPod := obj.(*corev1.Pod)
	return isPod && g != nil && *g > 0
}

// namespaceFinalizing: a namespace also waits for its spec.finalizers ("kubernetes"), which
// the namespace controller removes once the namespace is empty.
func namespaceFinalizing(obj api.Object) bool {
	ns, ok := obj.(*corev1.Namespace)
	return ok && len(ns.Spec.Finalizers) > 0
}

// DeleteOptions as kubectl sends them.
type DeleteOptions struct {
	// GracePeriodSeconds overrides the pod's terminationGracePeriodSeconds (0 = immediately).
	GracePeriodSeconds *int64
	// PropagationPolicy: Background (the default here), Foreground or Orphan.
	PropagationPolicy *metav1.DeletionPropagation
	// UID, if set, must match the stored object's.
	UID types.UID
}

// Delete deletes an object, or starts its graceful deletion: a pod with a grace period, or
// an object with finalizers (including those that Foreground and Orphan propagation add),
// gets a deletionTimestamp and stays until its kubelet or the garbage collector finishes.
// It returns the object as it is after the call.
func (s *Store) Delete(r *api.Resource, namespace, name string, opts DeleteOptions) (api.Object, error) {
	if !r.Namespaced {
		namespace = ""
	}
	t := s.table(r)
	old := t.get(namespace, name)
	if old == nil {
		return nil, apierrors.NewNotFound(r.GroupResource(), name)
	}
	if opts.UID != "" && opts.UID != old.GetUID() {
		return nil, apierrors.NewConflict(r.GroupResource(), name,
			//lint:ignore ST1005 the API server's own message, as kubectl prints it
			fmt.Errorf("Precondition failed: UID in precondition: %s, UID in object meta: %s", opts.UID, old.GetUID()))
	}
	if removesAtOnce(old, opts) {
		// Nothing but the resourceVersion changes on the way out, and stored objects are
		// never mutated: the final version shares everything else with the stored one.
		final := shallowCopy(old)
		s.removeStored(r, t, final, old)
		return final, nil
	}
	obj := old.DeepCopyObject().(api.Object)
	changed := false
	if p := opts.PropagationPolicy; p != nil && old.GetDeletionTimestamp() == nil {
		switch *p {
		case metav1.DeletePropagationOrphan:
			changed = addFinalizer(obj, FinalizerOrphan) || changed
		case metav1.DeletePropagationForeground:
			changed = addFinalizer(obj, FinalizerForeground) || changed
		}
	}
	grace := gracePeriod(obj, opts)
	now := s.now()
	if ns, ok := obj.(*corev1.Namespace); ok && namespaceFinalizing(ns) && ns.Status.Phase != corev1.NamespaceTerminating {
		ns.Status.Phase = corev1.NamespaceTerminating
		changed = true
	}
	if grace == 0 && len(obj.GetFinalizers()) == 0 && !namespaceFinalizing(obj) {
		s.removeStored(r, t, obj, old)
		return obj, nil
	}
	if dt := obj.GetDeletionTimestamp(); dt == nil {
		ts := metav1.NewTime(now.Add(time.Duration(grace) * time.Second).Truncate(time.Second))
		obj.SetDeletionTimestamp(&ts)
		obj.SetDeletionGracePeriodSeconds(&grace)
		changed = true
	} else if cur := obj.GetDeletionGracePeriodSeconds(); cur != nil && grace < *cur {
		// A second delete may only shorten the grace period.
		ts := metav1.NewTime(now.Add(time.Duration(grace) * time.Second).Truncate(time.Second))
		obj.SetDeletionTimestamp(&ts)
		obj.SetDeletionGracePeriodSeconds(&grace)
		changed = true
	}
	if !changed {
		return old, nil
	}
	obj.SetResourceVersion(s.nextRV())
	t.put(obj)
	s.indexOwners(r, obj, old)
	s.pending = append(s.pending, WatchEvent{Type: Modified, Resource: r, Object: obj, Old: old})
	return obj, nil
}

// removesAtOnce tells whether Delete removes old right away: no finalizer to wait for (nor
// one that the propagation policy adds), no grace period, no namespace to finalize.
func removesAtOnce(old api.Object, opts DeleteOptions) bool {
	if p := opts.PropagationPolicy; p != nil && old.GetDeletionTimestamp() == nil &&
		(*p == metav1.DeletePropagationOrphan || *p == metav1.DeletePropagationForeground) {
		return false
	}
	return gracePeriod(old, opts) == 0 && len(old.GetFinalizers()) == 0 && !namespaceFinalizing(old)
}

// shallowCopy returns a new top-level struct sharing every slice, map and pointer of obj;
// only its own fields (such as the resourceVersion) may then be set.
func shallowCopy(obj api.Object) api.Object {
	// The kinds a busy cluster deletes by the thousand are copied without reflection.
	switch o := obj.(type) {
	case *corev1.Event:
		c := *o
		return &c
	case *corev1.Pod:
		c := *o
		return &c
	case *batchv1.Job:
		c := *o
		return &c
	}
	v := reflect.ValueOf(obj).Elem()
	n := reflect.New(v.Type())
	n.Elem().Set(v)
	return n.Interface().(api.Object)
}

// gracePeriod applies the pod rules of the API server's graceful deletion: explicit option,
// else the pod's own terminationGracePeriodSeconds; zero for pods never scheduled or already
// finished. Other objects have no grace period.
func gracePeriod(obj api.Object, opts DeleteOptions) int64 {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return 0
	}
	if pod.Spec.NodeName == "" || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return 0
	}
	if opts.GracePeriodSeconds != nil {
		if *opts.GracePeriodSeconds < 0 {
			return 0
		}
		return *opts.GracePeriodSeconds
	}
	if g := pod.Spec.TerminationGracePeriodSeconds; g != nil {
		return *g
	}
	return corev1.DefaultTerminationGracePeriodSeconds
}

func addFinalizer(obj api.Object, f string) bool {
	for _, x := range obj.GetFinalizers() {
		if x == f {
			return false
		}
	}
	obj.SetFinalizers(append(obj.GetFinalizers(), f))
	return true
}

// Expire removes an object whose time is up (an event past its TTL) as etcd drops a key
// whose lease ran out: no finalizer or grace period applies, and no new version is written
// for it, so watchers see its last version deleted. It reports whether it was there.
func (s *Store) Expire(r *api.Resource, namespace, name string) bool {
	if !r.Namespaced {
		namespace = ""
	}
	t := s.table(r)
	old := t.get(namespace, name)
	if old == nil {
		return false
	}
	t.remove(namespace, name)
	s.count--
	s.indexOwners(r, nil, old)
	s.pending = append(s.pending, WatchEvent{Type: Deleted, Resource: r, Object: old, Old: old})
	return true
}

func (s *Store) removeStored(r *api.Resource, t *table, obj, old api.Object) {
	if obj.GetResourceVersion() == old.GetResourceVersion() {
		obj.SetResourceVersion(s.nextRV())
	}
	t.remove(obj.GetNamespace(), obj.GetName())
	s.count--
	s.indexOwners(r, nil, old)
	s.pending = append(s.pending, WatchEvent{Type: Deleted, Resource: r, Object: obj, Old: old})
}

// specChanged decides whether metadata.generation moves: any change outside metadata and
// status counts, as for the built-in workload types.
func specChanged(obj, old api.Object) bool {
	a, b := withoutMetaAndStatus(obj), withoutMetaAndStatus(old)
	return !reflect.DeepEqual(a, b)
}

// UpdateStatus writes only the status of in, like the API server's status subresource:
// metadata and spec stay as stored, whatever in carries. The new version shares the stored
// spec (stored objects are never mutated), so a status write copies only the status, and
// no spec comparison is needed. A non-empty resourceVersion must match, as for Update.
func (s *Store) UpdateStatus(in api.Object) (api.Object, error) { return s.updateStatus(in, false) }

// UpdateStatusOwned is UpdateStatus without the copy of the status: in's status is handed
// over and becomes the stored one (in itself is not kept). It may share parts with the
// stored status, since stored objects are never mutated; the caller must not change it
// afterwards.
func (s *Store) UpdateStatusOwned(in api.Object) (api.Object, error) {
	return s.updateStatus(in, true)
}

func (s *Store) updateStatus(in api.Object, owned bool) (api.Object, error) {
	r, t, err := s.resourceOf(in)
	if err != nil {
		return nil, err
	}
	ns := in.GetNamespace()
	if r.Namespaced && ns == "" {
		ns = metav1.NamespaceDefault
	}
	if !r.Namespaced {
		ns = ""
	}
	old := t.get(ns, in.GetName())
	if old == nil {
		return nil, apierrors.NewNotFound(r.GroupResource(), in.GetName())
	}
	if rv := in.GetResourceVersion(); rv != "" && rv != old.GetResourceVersion() {
		return nil, apierrors.NewConflict(r.GroupResource(), in.GetName(), errModified)
	}
	st := StatusOf(in)
	if st == nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("%s have no status", r.Name))
	}
	// Most status writes of a busy cluster change nothing: tell before copying anything.
	if reflect.DeepEqual(st, StatusOf(old)) {
		return old, nil
	}
	obj, _ := withStatusOf(old, in, owned)
	obj.SetResourceVersion(s.nextRV())
	t.put(obj)
	s.pending = append(s.pending, WatchEvent{Type: Modified, Resource: r, Object: obj, Old: old})
	return obj, nil
}
