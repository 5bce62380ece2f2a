package snapshot

import (
	"container/heap"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"github.com/kubetab/kubetab/engine/store"
)

// MaxTimelineEvents caps the event timeline: the newest ones are what a learner looks at,
// and a thousand-pod cluster records far more than a page should hold (and re-renders with
// every new event: rows are matched by position).
const MaxTimelineEvents = 100

// Pod is what the cluster view shows of a pod: the cells of `kubectl get pods`.
type Pod struct {
	Namespace, Name, UID, Node string
	Status, Ready, Restarts    string
	// Owner is the controlling owner as "Kind/name" ("" for a bare pod); OwnerKey adds the
	// namespace so equal names in two namespaces stay apart.
	Owner, OwnerKey string
}

// Node is one node card.
type Node struct {
	Name, Status string
	Roles        string
	// KubeletStopped is set after `kubetab node fail` (the node turns NotReady only after
	// the node controller's grace period).
	KubeletStopped bool
	Unschedulable  bool
	Pods           []Pod
}

// Owner is a controller with its desired/current/ready counts, as `kubectl get`
// prints them for its kind.
type Owner struct {
	Key, Kind, Namespace, Name string
	Desired, Current, Ready    int32
	// Pods is the number of live pods that name it as their controller.
	Pods int
	// A Deployment's up-to-date and available pods (`kubectl get deploy`).
	Updated, Available int32
	// Parent is the key of the controller that owns this one (a ReplicaSet's Deployment);
	// Revision, a Deployment's ReplicaSet's revision.
	Parent, Revision string
	// Members are the first of its pods, for the Deployment tree (a ReplicaSet's, when it
	// has a Parent); at most MaxMembers.
	Members []Pod
}

// MaxMembers caps the pods a tree lists under one ReplicaSet: the rest are counted.
const MaxMembers = 12

// Event is one row of the event timeline.
type Event struct {
	Type, Reason, Object, Message string
	InvolvedUID                   string
	Last                          time.Time
	Count                         int32
}

// Snapshot is everything the cluster view, timeline and completion need, copied out
// of the store under the shell's lock so that rendering never touches the engine. A new
// snapshot is taken only when the store's resourceVersion moved.
type Snapshot struct {
	RV         uint64
	Nodes      []Node
	Pending    []Pod // not bound to a node, or bound to a node that no longer exists
	Groups     []Owner
	Events     []Event // newest first, at most MaxTimelineEvents
	EventsRV   uint64  // the store's resourceVersion when Events was taken
	PodCount   int
	Namespaces []string
	// views is handed from each snapshot to the next: most pods and events do not change
	// from one to the next.
	views *snapshotViews
}

// snapshotViews keeps, from one snapshot to the next, the views of pods and events: most
// do not change from one to the next, and a list of pods (a node's, the pending lane's)
// none of whose pods came, went or changed is handed on as it was.
type snapshotViews struct {
	pods   viewCache[*corev1.Pod, Pod]
	events viewCache[*corev1.Event, Event]
	watch  eventWatch
	all    []*cachedView[Pod] // this pass's pods in the store's order (a buffer kept)
}

// viewCache keeps views of stored objects by the object itself: the store never changes an
// object it holds (an update stores a new one), so the same pointer means the same view,
// found without hashing a name, and a new pointer means the object came or changed. Views
// of objects a pass did not see are dropped at its end.
type viewCache[O comparable, V any] struct {
	pass  uint64
	seen  int
	views map[O]*cachedView[V]
}

type cachedView[V any] struct {
	pass, made uint64 // the last pass that saw it, the pass that made it
	view       V
}

func (c *viewCache[O, V]) begin() {
	c.pass++
	c.seen = 0
	if c.views == nil {
		c.views = map[O]*cachedView[V]{}
	}
}

// get returns o's view, made by newView unless the cache has it.
func (c *viewCache[O, V]) get(o O, newView func(O) V) *cachedView[V] {
	e := c.views[o]
	if e == nil {
		e = &cachedView[V]{view: newView(o), made: c.pass}
		c.views[o] = e
	}
	e.pass = c.pass
	c.seen++
	return e
}

// end drops the views this pass did not see, telling gone (if not nil) of each.
func (c *viewCache[O, V]) end(gone func(V)) {
	if len(c.views) == c.seen {
		return
	}
	for o, e := range c.views {
		if e.pass != c.pass {
			if gone != nil {
				gone(e.view)
			}
			delete(c.views, o)
		}
	}
}

var (
	podsRes       = api.ResourceByName("pods")
	nodesRes      = api.ResourceByName("nodes")
	eventsRes     = api.ResourceByName("events")
	namespacesRes = api.ResourceByName("namespaces")
)

// Take copies the cluster's state for the UI; it reuses prev when nothing changed.
// Without events, the timeline stays as prev had it (EventsRV says as of when): each new
// timeline renders its table again (rows matched by position), so during a burst the page
// looks at the events less often than at the pods (app/ui's playground.refresher).
func Take(c *session.Cluster, prev *Snapshot, events bool) *Snapshot {
	rv := c.Store.ResourceVersion()
	if prev != nil && prev.RV == rv && (prev.EventsRV == rv || !events) {
		return prev
	}
	s := &Snapshot{RV: rv, views: &snapshotViews{}}
	if prev != nil {
		s.views = prev.views
	}
	stopped := kubeletStopped(c)
	byNode := map[string]int{}
	c.Store.Each(nodesRes, "", func(o api.Object) bool {
		n := o.(*corev1.Node)
		nv := Node{Name: n.Name, Status: printers.NodeStatus(n), Roles: strings.Join(printers.NodeRoles(n), ","), Unschedulable: n.Spec.Unschedulable}
		if stopped != nil {
			nv.KubeletStopped = stopped(n.Name)
		}
		byNode[n.Name] = len(s.Nodes)
		s.Nodes = append(s.Nodes, nv)
		return true
	})
	c.Store.Each(namespacesRes, "", func(o api.Object) bool {
		s.Namespaces = append(s.Namespaces, o.GetName())
		return true
	})
	// A list is built anew only when one of its pods came, went or changed (or the nodes
	// did): a burst changes a few nodes' pods per frame, and sorting and copying all of
	// them took much of the page's turn at 10,000 pods.
	v := s.views
	reuse := prev != nil && sameNodes(prev.Nodes, s.Nodes)
	changed := make([]bool, len(s.Nodes)+1) // by node, the pending lane last
	listOf := func(p *Pod) int {
		if i, ok := byNode[p.Node]; ok && p.Node != "" {
			return i
		}
		return len(s.Nodes)
	}
	v.pods.begin()
	v.all = v.all[:0]
	c.Store.Each(podsRes, "", func(o api.Object) bool {
		e := v.pods.get(o.(*corev1.Pod), viewOfPod)
		if e.made == v.pods.pass {
			changed[listOf(&e.view)] = true
		}
		v.all = append(v.all, e)
		return true
	})
	v.pods.end(func(p Pod) { changed[listOf(&p)] = true })
	s.PodCount = len(v.all)
	lists := make([][]Pod, len(changed))
	if reuse {
		for i := range s.Nodes {
			lists[i] = prev.Nodes[i].Pods
		}
		lists[len(s.Nodes)] = prev.Pending
	}
	rebuild := !reuse
	for k := range changed {
		if !reuse || changed[k] {
			// About as long as it was: a pending lane of thousands is built anew in each
			// frame of a burst.
			lists[k], rebuild = make([]Pod, 0, len(lists[k])+8), true
		}
	}
	for _, e := range v.all {
		if !rebuild {
			break
		}
		if k := listOf(&e.view); !reuse || changed[k] {
			lists[k] = append(lists[k], e.view)
		}
	}
	for k, l := range lists {
		if !reuse || changed[k] {
			sort.SliceStable(l, func(i, j int) bool {
				if l[i].OwnerKey != l[j].OwnerKey {
					return l[i].OwnerKey < l[j].OwnerKey
				}
				return l[i].Name < l[j].Name
			})
		}
		if k < len(s.Nodes) {
			s.Nodes[k].Pods = l
		} else {
			s.Pending = l
		}
	}
	s.Groups = groupPods(v.all, controllersOf(c))
	if events || prev == nil {
		s.Events, s.EventsRV = s.views.watch.timeline(c, &s.views.events), rv
	} else {
		s.Events, s.EventsRV = prev.Events, prev.EventsRV
	}
	return s
}

// kubeletStopped tells whether a node's kubelet was stopped (`kubetab node fail`). It is
// the one place app/ reaches an engine component rather than the store.
func kubeletStopped(c *session.Cluster) func(node string) bool {
	return func(n string) bool { _, st := c.Kubelets.Stopped(n); return st }
}

func viewOfPod(p *corev1.Pod) Pod {
	ready, status, restarts := printers.PodStatus(p, time.Time{})
	// The RESTARTS cell may end in "(5m ago)"; the card shows the count only, so that a
	// snapshot does not change as time passes.
	if i := strings.IndexByte(restarts, ' '); i >= 0 {
		restarts = restarts[:i]
	}
	v := Pod{Namespace: p.Namespace, Name: p.Name, UID: string(p.UID), Node: p.Spec.NodeName, Status: status, Ready: ready, Restarts: restarts}
	if ref := metav1.GetControllerOf(p); ref != nil {
		v.Owner = ref.Kind + "/" + ref.Name
		v.OwnerKey = ownerKey(ref.Kind, p.Namespace, ref.Name)
	}
	return v
}

func ownerKey(kind, namespace, name string) string {
	return kind + "/" + namespace + "/" + name
}

// controllersOf lists the pod controllers with their counts, in kind then namespace/name order.
func controllersOf(c *session.Cluster) []Owner {
	var out []Owner
	add := func(kind string, o api.Object, desired, current, ready int32) *Owner {
		out = append(out, Owner{Key: ownerKey(kind, o.GetNamespace(), o.GetName()), Kind: kind, Namespace: o.GetNamespace(), Name: o.GetName(), Desired: desired, Current: current, Ready: ready})
		return &out[len(out)-1]
	}
	c.Store.Each(api.ResourceByName("deployments"), "", func(o api.Object) bool {
		d := o.(*appsv1.Deployment)
		g := add("Deployment", d, deref(d.Spec.Replicas, 1), d.Status.Replicas, d.Status.ReadyReplicas)
		g.Updated, g.Available = d.Status.UpdatedReplicas, d.Status.AvailableReplicas
		return true
	})
	c.Store.Each(api.ResourceByName("replicationcontrollers"), "", func(o api.Object) bool {
		rc := o.(*corev1.ReplicationController)
		add("ReplicationController", rc, deref(rc.Spec.Replicas, 1), rc.Status.Replicas, rc.Status.ReadyReplicas)
		return true
	})
	c.Store.Each(api.ResourceByName("replicasets"), "", func(o api.Object) bool {
		rs := o.(*appsv1.ReplicaSet)
		g := add("ReplicaSet", rs, deref(rs.Spec.Replicas, 1), rs.Status.Replicas, rs.Status.ReadyReplicas)
		if ref := metav1.GetControllerOf(rs); ref != nil && ref.Kind == "Deployment" {
			g.Parent, g.Revision = ownerKey(ref.Kind, rs.Namespace, ref.Name), rs.Annotations["deployment.kubernetes.io/revision"]
		}
		return true
	})
	c.Store.Each(api.ResourceByName("daemonsets"), "", func(o api.Object) bool {
		ds := o.(*appsv1.DaemonSet)
		add("DaemonSet", ds, ds.Status.DesiredNumberScheduled, ds.Status.CurrentNumberScheduled, ds.Status.NumberReady)
		return true
	})
	c.Store.Each(api.ResourceByName("jobs"), "", func(o api.Object) bool {
		j := o.(*batchv1.Job)
		// A Job's "desired" is its completions, "current" the pods running, "ready" the
		// pods that succeeded: the COMPLETIONS column reads ready/desired.
		desired := deref(j.Spec.Completions, 0)
		if j.Spec.Completions == nil {
			desired = 1
		}
		add("Job", j, desired, j.Status.Active, j.Status.Succeeded)
		return true
	})
	return out
}

func deref(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

// sameNodes tells whether two snapshots have the same nodes, in the same order.
func sameNodes(a, b []Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
	}
	return true
}

// groupPods counts the pods of each controller, pods in the store's order (so a
// controller's pods, all in its namespace, come in name order). Controllers without pods
// stay (an RC scaled to zero is still worth seeing); owners the store no longer holds get a
// group of their own with unknown counts (-1), after the others.
func groupPods(pods []*cachedView[Pod], controllers []Owner) []Owner {
	groups := append([]Owner(nil), controllers...)
	index := map[string]int{}
	for i, g := range groups {
		index[g.Key] = i
	}
	// A controller's pods mostly come one after another: the last one's group is tried
	// before the map.
	last, lastKey := -1, ""
	for _, e := range pods {
		p := &e.view
		if p.OwnerKey == "" {
			continue
		}
		i := last
		if p.OwnerKey != lastKey || last < 0 {
			var ok bool
			if i, ok = index[p.OwnerKey]; !ok {
				kind, name, _ := strings.Cut(p.Owner, "/")
				groups = append(groups, Owner{Key: p.OwnerKey, Kind: kind, Namespace: p.Namespace, Name: name, Desired: -1, Current: -1, Ready: -1})
				i = len(groups) - 1
				index[p.OwnerKey] = i
			}
			last, lastKey = i, p.OwnerKey
		}
		groups[i].Pods++
		if groups[i].Parent != "" && len(groups[i].Members) < MaxMembers {
			groups[i].Members = append(groups[i].Members, *p)
		}
	}
	return groups
}

// maxEventChanges bounds the changes an eventWatch keeps between two looks: past it, one
// walk of every event costs less.
const maxEventChanges = 20_000

// eventWatch finds the timeline's events: once by walking every event (O(events)), then
// from the newest it found and the changes the cluster delivered since (a watch of events,
// as kubectl get -w has one): a 10,000-pod cluster holds 50,000 events, and walking them
// took a quarter of a second of the page's turn. It walks again for a new cluster (a
// checkpoint restores one), after too many changes, or when one of the newest is deleted.
type eventWatch struct {
	cluster *session.Cluster
	cancel  func()
	changes []store.WatchEvent
	walk    bool
	walks   int          // how many looks walked (for tests)
	newest  []timedEvent // newest first, at most MaxTimelineEvents
}

// timeline returns the newest events first, at most MaxTimelineEvents, equal times in the
// store's order (namespace, then name).
func (w *eventWatch) timeline(c *session.Cluster, views *viewCache[*corev1.Event, Event]) []Event {
	if w.cluster != c {
		if w.cancel != nil {
			w.cancel()
		}
		w.cluster, w.changes, w.walk = c, nil, true
		w.cancel = c.WatchUntilCancelled(eventsRes.Name, func(ev store.WatchEvent) {
			if w.walk || len(w.changes) >= maxEventChanges {
				w.changes, w.walk = nil, true
				return
			}
			w.changes = append(w.changes, ev)
		})
	}
	top := eventHeap{}
	if !w.walk {
		// The newest so far and the events written since, each once.
		seen := map[*corev1.Event]bool{}
		for _, e := range w.newest {
			seen[e.e] = true
		}
		lost := false
		for _, ev := range w.changes {
			if old, _ := ev.Old.(*corev1.Event); old != nil && seen[old] {
				delete(seen, old)
				lost = lost || ev.Type == store.Deleted
			}
			if ev.Type != store.Deleted {
				seen[ev.Object.(*corev1.Event)] = true
			}
		}
		w.walk = lost && len(seen) < MaxTimelineEvents && c.Store.Count(eventsRes, "") > len(seen)
		for e := range seen {
			top.offer(e)
		}
	}
	if w.walk {
		w.walks++
		top.evs = top.evs[:0]
		c.Store.Each(eventsRes, "", func(o api.Object) bool {
			top.offer(o.(*corev1.Event))
			return true
		})
	}
	w.changes, w.walk = nil, false
	sort.Slice(top.evs, func(i, j int) bool { return older(top.evs[j], top.evs[i]) })
	w.newest = top.evs
	views.begin()
	evs := make([]Event, len(top.evs))
	for i, e := range top.evs {
		evs[i] = views.get(e.e, viewOfEvent).view
	}
	views.end(nil)
	return evs
}

// timedEvent is an event with its time.
type timedEvent struct {
	e    *corev1.Event
	last time.Time
}

// older tells whether a comes after b in the timeline: older, or as old and later in the
// store's order.
func older(a, b timedEvent) bool {
	if !a.last.Equal(b.last) {
		return a.last.Before(b.last)
	}
	if a.e.Namespace != b.e.Namespace {
		return a.e.Namespace > b.e.Namespace
	}
	return a.e.Name > b.e.Name
}

// eventHeap holds the newest events offered so far, at most MaxTimelineEvents, the
// oldest of them on top.
type eventHeap struct {
	evs []timedEvent
}

func (h *eventHeap) offer(e *corev1.Event) {
	te := timedEvent{e: e, last: eventTime(e)}
	if len(h.evs) < MaxTimelineEvents {
		heap.Push(h, te)
	} else if older(h.evs[0], te) {
		h.evs[0] = te
		heap.Fix(h, 0)
	}
}

func (h *eventHeap) Len() int           { return len(h.evs) }
func (h *eventHeap) Less(i, j int) bool { return older(h.evs[i], h.evs[j]) }
func (h *eventHeap) Swap(i, j int)      { h.evs[i], h.evs[j] = h.evs[j], h.evs[i] }
func (h *eventHeap) Push(x any)         { h.evs = append(h.evs, x.(timedEvent)) }
func (h *eventHeap) Pop() any {
	e := h.evs[len(h.evs)-1]
	h.evs = h.evs[:len(h.evs)-1]
	return e
}

func viewOfEvent(e *corev1.Event) Event {
	last := eventTime(e)
	obj := strings.ToLower(e.InvolvedObject.Kind) + "/" + e.InvolvedObject.Name
	return Event{Type: e.Type, Reason: e.Reason, Object: obj, Message: e.Message, InvolvedUID: string(e.InvolvedObject.UID), Last: last, Count: e.Count}
}
