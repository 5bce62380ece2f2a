package kubectl

import (
	"cmp"
	"slices"
	"sort"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// watch follows the listed objects while virtual time moves on, printing a row (without
// headers) for each object that is added, changed or deleted (its last state seen), as
// kubectl does. Run follows for the watch window and stops early when nothing more is
// scheduled; Start leaves it running as a Stream.
func (e *env) watch(r *resourceResult, all bool, labelSel, fieldSel string, initial []api.Object, format string, opts printers.TableOptions) error {
	w, err := e.newObjectWatch(r, all, labelSel, fieldSel, initial)
	if err != nil {
		return err
	}
	release := w.follow(e.c)
	opts.NoHeaders = true
	step := func() {
		rows := w.rows(e.c.Store.ResourceVersion())
		if len(rows) == 0 {
			return
		}
		opts.Now = e.c.Now()
		if printers.IsTableFormat(format) {
			printers.PrintTable(e.io.Out, rows, opts)
		} else {
			printers.PrintObjects(e.io.Out, rows, format, true)
		}
	}
	if e.streaming {
		e.startStream(func() bool { step(); return false }, release, "--watch=false", "--watch-only=false")
		return nil
	}
	defer release()
	_, elapsed, err := e.followWindow(func() bool {
		step()
		_, _, scheduled := e.c.NextTimer()
		return !scheduled
	})
	if err != nil {
		return err
	}
	e.errf("kubetab: stopped watching after %s of virtual time (the watch window; set it with --request-timeout).\n", elapsed)
	return nil
}

type objKey struct{ res, ns, name string }

func keyOf(o api.Object) objKey {
	r := api.ResourceFor(o)
	name := ""
	if r != nil {
		name = r.Name
	}
	return objKey{name, o.GetNamespace(), o.GetName()}
}

// objectWatch is what a watch shows of the cluster's changes: the objects of a request, named
// ones or all of some types that the namespace and the selectors select. Between two looks it
// keeps from the cluster's change feed the latest state of each object that was or became one
// of them, so that a look costs what changed since the last one, not what exists.
type objectWatch struct {
	ns  string // of listed objects, unless all
	all bool
	// named and kinds rank what the request asks for in its order, named objects first, as
	// the builder finds them: the rows of one look come in the order a listing gives.
	named     map[objKey]int
	kinds     map[string]watchedKind
	resources []*api.Resource // each resource of the request once, in its order
	// seen is the last state shown (listed or printed) of each object selected at the last
	// look; its row is printed again when the object is deleted or no longer selected.
	seen map[objKey]api.Object
	// changed is the latest state, nil once deleted, of each object written since the last
	// look that was or became selected.
	changed map[objKey]api.Object
	// since is the store's resourceVersion at the last look. An event that expires
	// (Store.Expire) writes no version: its row waits for the next write, when a look that
	// lists the objects would first see it gone.
	since uint64
}

// watchedKind is a type listed whole (`get pods -l app=kubia`).
type watchedKind struct {
	res  *api.Resource
	rank int
	opts store.ListOptions
}

// newObjectWatch follows what the builder found (r, listed with -A as all and the
// selectors), which was initial.
func (e *env) newObjectWatch(r *resourceResult, all bool, labelSel, fieldSel string, initial []api.Object) (*objectWatch, error) {
	w := &objectWatch{ns: e.ns, all: all, named: map[objKey]int{}, kinds: map[string]watchedKind{},
		seen: make(map[objKey]api.Object, len(initial)), changed: map[objKey]api.Object{},
		since: e.c.Store.ResourceVersion()}
	resource := func(res *api.Resource) {
		if !slices.Contains(w.resources, res) {
			w.resources = append(w.resources, res)
		}
	}
	for i, n := range r.named {
		k := objKey{n.res.Name, n.namespace, n.name}
		if _, dup := w.named[k]; !dup {
			w.named[k] = i
		}
		resource(n.res)
	}
	for i, res := range r.types {
		if _, dup := w.kinds[res.Name]; dup {
			continue
		}
		opts, err := selectors(res, labelSel, fieldSel)
		if err != nil {
			return nil, err
		}
		w.kinds[res.Name] = watchedKind{res, len(r.named) + i, opts}
		resource(res)
	}
	for _, o := range initial {
		w.seen[keyOf(o)] = o
	}
	return w, nil
}

// follow subscribes w to the changes of the resources it shows, until release.
func (w *objectWatch) follow(c *sim.Cluster) (release func()) {
	cancels := make([]func(), len(w.resources))
	for i, r := range w.resources {
		cancels[i] = c.WatchUntilCancelled(r.Name, w.observe)
	}
	return func() {
		for _, cancel := range cancels {
			cancel()
		}
	}
}

// selects tells whether an object (stored as k) is one that w shows, and its rank.
func (w *objectWatch) selects(k objKey, o api.Object) (rank int, ok bool) {
	if rank, ok := w.named[k]; ok {
		return rank, true
	}
	kind, ok := w.kinds[k.res]
	if !ok || kind.res.Namespaced && !w.all && k.ns != w.ns || !kind.opts.Matches(o) {
		return 0, false
	}
	return kind.rank, true
}

// observe keeps the new state of an object that is or was selected. It keeps the object, not
// the event (whose slice the store reuses): stored objects are never changed.
func (w *objectWatch) observe(ev store.WatchEvent) {
	k := objKey{ev.Resource.Name, ev.Object.GetNamespace(), ev.Object.GetName()}
	if _, ok := w.selects(k, ev.Object); !ok {
		if ev.Old == nil {
			return
		}
		if _, ok := w.selects(k, ev.Old); !ok {
			return
		}
	}
	var state api.Object
	if ev.Type != store.Deleted {
		state = ev.Object
	}
	w.changed[k] = state
}

// rows is a look at the store, now at resourceVersion rv: what changed since the last look,
// the selected objects that are new or changed, in listing order, then the last state seen
// of those deleted or no longer selected, in resource, namespace and name order, as kubectl
// prints a DELETED event. An object that changed several times shows once, as it is now.
func (w *objectWatch) rows(rv uint64) []api.Object {
	if rv == w.since {
		return nil
	}
	w.since = rv
	if len(w.changed) == 0 {
		return nil
	}
	type row struct {
		rank int
		key  objKey
		obj  api.Object
	}
	var fresh []row
	var gone []objKey
	for k, o := range w.changed {
		rank, ok := 0, false
		if o != nil {
			rank, ok = w.selects(k, o)
		}
		switch old := w.seen[k]; {
		case ok && (old == nil || old.GetResourceVersion() != o.GetResourceVersion()):
			fresh = append(fresh, row{rank, k, o})
		case !ok && old != nil:
			gone = append(gone, k)
		}
	}
	clear(w.changed)
	// sort.Slice: each generic sort of a struct type is 20 KB of the browser's wasm.
	sort.Slice(fresh, func(i, j int) bool {
		a, b := fresh[i], fresh[j]
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.key.ns, b.key.ns), cmp.Compare(a.key.name, b.key.name)) < 0
	})
	sort.Slice(gone, func(i, j int) bool {
		a, b := gone[i], gone[j]
		return cmp.Or(cmp.Compare(a.res, b.res), cmp.Compare(a.ns, b.ns), cmp.Compare(a.name, b.name)) < 0
	})
	rows := make([]api.Object, 0, len(fresh)+len(gone))
	for _, r := range fresh {
		w.seen[r.key] = r.obj
		rows = append(rows, r.obj)
	}
	for _, k := range gone {
		rows = append(rows, w.seen[k])
		delete(w.seen, k)
	}
	return rows
}
