package main

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"github.com/kubetab/kubetab/engine/terminal"
)

// maxTimelineEvents caps the event timeline: the newest ones are what a learner looks at,
// and a thousand-pod cluster records far more than a page should hold (and re-renders with
// every new event: rows are matched by position).
const maxTimelineEvents = 100

// podView is what the cluster view shows of a pod: the cells of `kubectl get pods`.
type podView struct {
	Namespace, Name, UID, Node string
	Status, Ready, Restarts    string
	// Owner is the controlling owner as "Kind/name" ("" for a bare pod); OwnerKey adds the
	// namespace so equal names in two namespaces stay apart.
	Owner, OwnerKey string
}

// nodeView is one node card.
type nodeView struct {
	Name, Status string
	Roles        string
	// KubeletStopped is set after `kubetab node fail` (the node turns NotReady only after
	// the node controller's grace period).
	KubeletStopped bool
	Unschedulable  bool
	Pods           []podView
}

// ownerGroup is a controller with its desired/current/ready counts, as `kubectl get`
// prints them for its kind.
type ownerGroup struct {
	Key, Kind, Namespace, Name string
	Desired, Current, Ready    int32
	// Pods is the number of live pods that name it as their controller.
	Pods int
}

// eventView is one row of the event timeline.
type eventView struct {
	Type, Reason, Object, Message string
	InvolvedUID                   string
	Last                          time.Time
	Count                         int32
}

// clusterSnapshot is everything the cluster view, timeline and completion need, copied out
// of the store under the shell's lock so that rendering never touches the engine. A new
// snapshot is taken only when the store's resourceVersion moved.
type clusterSnapshot struct {
	RV         uint64
	Nodes      []nodeView
	Pending    []podView // not bound to a node, or bound to a node that no longer exists
	Groups     []ownerGroup
	Events     []eventView // newest first, at most maxTimelineEvents
	EventsRV   uint64      // the store's resourceVersion when Events was taken
	PodCount   int
	Namespaces []string
	// views is handed from each snapshot to the next: most pods and events do not change
	// from one to the next.
	views *snapshotViews
}

// snapshotViews keeps the views of pods and events that snapshots made.
type snapshotViews struct {
	pods   viewCache[*corev1.Pod, podView]
	events viewCache[*corev1.Event, eventView]
}

// viewCache keeps views of stored objects by the object itself: the store never changes an
// object it holds (an update stores a new one), so the same pointer means the same view,
// found without hashing a name. Views of objects a pass did not see are dropped once they
// outnumber the live ones.
type viewCache[O comparable, V any] struct {
	pass  uint64
	seen  int
	views map[O]*cachedView[V]
}

type cachedView[V any] struct {
	pass uint64
	view V
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
		e = &cachedView[V]{view: newView(o)}
		c.views[o] = e
	}
	e.pass = c.pass
	c.seen++
	return e
}

func (c *viewCache[O, V]) end() {
	if len(c.views) > 2*c.seen+64 {
		for o, e := range c.views {
			if e.pass != c.pass {
				delete(c.views, o)
			}
		}
	}
}

var (
	podsRes       = api.ResourceByName("pods")
	nodesRes      = api.ResourceByName("nodes")
	eventsRes     = api.ResourceByName("events")
	namespacesRes = api.ResourceByName("namespaces")
)

// snapshotCluster copies the cluster's state for the UI; it reuses prev when nothing changed.
// Without events, the timeline stays as prev had it (EventsRV says as of when): looking
// through thousands of events took a third of the page's time during a burst, so the page
// looks at them less often than at the pods (playground.refresher).
func snapshotCluster(c *cluster.Cluster, prev *clusterSnapshot, events bool) *clusterSnapshot {
	rv := c.Store.ResourceVersion()
	if prev != nil && prev.RV == rv && (prev.EventsRV == rv || !events) {
		return prev
	}
	s := &clusterSnapshot{RV: rv, views: &snapshotViews{}}
	if prev != nil {
		s.views = prev.views
	}
	byNode := map[string]int{}
	c.Store.Each(nodesRes, "", func(o api.Object) bool {
		n := o.(*corev1.Node)
		nv := nodeView{Name: n.Name, Status: printers.NodeStatus(n), Roles: strings.Join(printers.NodeRoles(n), ","), Unschedulable: n.Spec.Unschedulable}
		_, nv.KubeletStopped = c.Kubelets.Stopped(n.Name)
		byNode[n.Name] = len(s.Nodes)
		s.Nodes = append(s.Nodes, nv)
		return true
	})
	c.Store.Each(namespacesRes, "", func(o api.Object) bool {
		s.Namespaces = append(s.Namespaces, o.GetName())
		return true
	})
	var pods []podView
	s.views.pods.begin()
	c.Store.Each(podsRes, "", func(o api.Object) bool {
		pods = append(pods, s.views.pods.get(o.(*corev1.Pod), viewOfPod).view)
		return true
	})
	s.views.pods.end()
	s.PodCount = len(pods)
	sort.SliceStable(pods, func(i, j int) bool {
		if pods[i].OwnerKey != pods[j].OwnerKey {
			return pods[i].OwnerKey < pods[j].OwnerKey
		}
		return pods[i].Name < pods[j].Name
	})
	for _, p := range pods {
		if i, ok := byNode[p.Node]; ok && p.Node != "" {
			s.Nodes[i].Pods = append(s.Nodes[i].Pods, p)
		} else {
			s.Pending = append(s.Pending, p)
		}
	}
	s.Groups = groupPods(pods, controllersOf(c))
	if events || prev == nil {
		s.Events, s.EventsRV = timelineEvents(c, &s.views.events), rv
	} else {
		s.Events, s.EventsRV = prev.Events, prev.EventsRV
	}
	return s
}

func viewOfPod(p *corev1.Pod) podView {
	ready, status, restarts := printers.PodStatus(p, time.Time{})
	// The RESTARTS cell may end in "(5m ago)"; the card shows the count only, so that a
	// snapshot does not change as time passes.
	if i := strings.IndexByte(restarts, ' '); i >= 0 {
		restarts = restarts[:i]
	}
	v := podView{Namespace: p.Namespace, Name: p.Name, UID: string(p.UID), Node: p.Spec.NodeName, Status: status, Ready: ready, Restarts: restarts}
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
func controllersOf(c *cluster.Cluster) []ownerGroup {
	var out []ownerGroup
	add := func(kind string, o api.Object, desired, current, ready int32) {
		out = append(out, ownerGroup{Key: ownerKey(kind, o.GetNamespace(), o.GetName()), Kind: kind, Namespace: o.GetNamespace(), Name: o.GetName(), Desired: desired, Current: current, Ready: ready})
	}
	c.Store.Each(api.ResourceByName("replicationcontrollers"), "", func(o api.Object) bool {
		rc := o.(*corev1.ReplicationController)
		add("ReplicationController", rc, deref(rc.Spec.Replicas, 1), rc.Status.Replicas, rc.Status.ReadyReplicas)
		return true
	})
	c.Store.Each(api.ResourceByName("replicasets"), "", func(o api.Object) bool {
		rs := o.(*appsv1.ReplicaSet)
		add("ReplicaSet", rs, deref(rs.Spec.Replicas, 1), rs.Status.Replicas, rs.Status.ReadyReplicas)
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

// groupPods counts the pods of each controller. Controllers without pods stay (an RC scaled
// to zero is still worth seeing); owners the store no longer holds get a group of their own
// with unknown counts (-1).
func groupPods(pods []podView, controllers []ownerGroup) []ownerGroup {
	groups := append([]ownerGroup(nil), controllers...)
	index := map[string]int{}
	for i, g := range groups {
		index[g.Key] = i
	}
	for _, p := range pods {
		if p.OwnerKey == "" {
			continue
		}
		i, ok := index[p.OwnerKey]
		if !ok {
			kind, name, _ := strings.Cut(p.Owner, "/")
			groups = append(groups, ownerGroup{Key: p.OwnerKey, Kind: kind, Namespace: p.Namespace, Name: name, Desired: -1, Current: -1, Ready: -1})
			i = len(groups) - 1
			index[p.OwnerKey] = i
		}
		groups[i].Pods++
	}
	return groups
}

// timelineEvents returns the newest events first, at most maxTimelineEvents.
func timelineEvents(c *cluster.Cluster, views *viewCache[*corev1.Event, eventView]) []eventView {
	var all []*cachedView[eventView]
	views.begin()
	c.Store.Each(eventsRes, "", func(o api.Object) bool {
		all = append(all, views.get(o.(*corev1.Event), viewOfEvent))
		return true
	})
	views.end()
	sort.SliceStable(all, func(i, j int) bool { return all[i].view.Last.After(all[j].view.Last) })
	evs := make([]eventView, min(len(all), maxTimelineEvents))
	for i := range evs {
		evs[i] = all[i].view
	}
	return evs
}

func viewOfEvent(e *corev1.Event) eventView {
	last := e.LastTimestamp.Time
	if last.IsZero() {
		last = e.EventTime.Time
	}
	if last.IsZero() {
		last = e.CreationTimestamp.Time
	}
	obj := strings.ToLower(e.InvolvedObject.Kind) + "/" + e.InvolvedObject.Name
	return eventView{Type: e.Type, Reason: e.Reason, Object: obj, Message: e.Message, InvolvedUID: string(e.InvolvedObject.UID), Last: last, Count: e.Count}
}

// podStatusClass maps a STATUS cell to a colour class. STATUS is what kubectl prints, so
// the class follows its families: running, done, waiting, failing, going away, unknown.
func podStatusClass(status string) string {
	switch {
	case status == "Running":
		return "st-running"
	case status == "Completed" || status == "Succeeded":
		return "st-done"
	case status == "Terminating":
		return "st-terminating"
	case status == "Unknown" || status == "NodeLost":
		return "st-unknown"
	case status == "Pending" || status == "ContainerCreating" || status == "PodInitializing" || strings.HasPrefix(status, "Init:") && !strings.Contains(status, "BackOff") && !strings.Contains(status, "Error"):
		return "st-pending"
	}
	return "st-failing" // CrashLoopBackOff, Error, ErrImagePull, ImagePullBackOff, OOMKilled, Evicted, ...
}

// nodeStatusClass colours a node card by its STATUS column.
func nodeStatusClass(status string) string {
	switch {
	case strings.HasPrefix(status, "Ready"):
		if strings.Contains(status, "SchedulingDisabled") {
			return "node-cordoned"
		}
		return "node-ready"
	case strings.HasPrefix(status, "NotReady"):
		return "node-notready"
	}
	return "node-unknown"
}

// groupCounts words a controller's counts as its `kubectl get` columns do.
func groupCounts(g ownerGroup) string {
	if g.Desired < 0 {
		return strconv.Itoa(g.Pods) + " pods (owner not found)"
	}
	d, c, r := strconv.Itoa(int(g.Desired)), strconv.Itoa(int(g.Current)), strconv.Itoa(int(g.Ready))
	if g.Kind == "Job" {
		return "completions " + r + "/" + d + " · active " + c
	}
	return "desired " + d + " · current " + c + " · ready " + r
}

// kindShort is the short resource name kubectl users type ("rc", "rs").
func kindShort(kind string) string {
	if r := api.ResourceForKind(kind); r != nil {
		if len(r.ShortNames) > 0 {
			return r.ShortNames[0]
		}
		return r.Singular
	}
	return strings.ToLower(kind)
}

// selection names what the side panel shows.
type selection struct {
	Kind, Namespace, Name string
}

func (s selection) empty() bool { return s.Name == "" }

// clusterView shows nodes as cards holding their pods, the pending lane and the
// controllers. It re-renders only when its snapshot or selection changes: the snapshot
// pointer is the same while the store's resourceVersion stands still. The pods themselves
// are drawn into the lists it renders empty by podChips, after each render.
type clusterView struct {
	app.Compo

	ISnap     *clusterSnapshot
	ISelected selection
	IPage     *playground

	chips *podChips
}

func (v *clusterView) OnMount(ctx app.Context)  { ctx.Defer(v.syncPods) }
func (v *clusterView) OnUpdate(ctx app.Context) { ctx.Defer(v.syncPods) }

// syncPods draws the snapshot's pods into the lists just rendered.
func (v *clusterView) syncPods(app.Context) {
	s := v.ISnap
	if s == nil {
		return
	}
	if v.chips == nil {
		dom := newChipDOM()
		if dom == nil {
			return
		}
		v.chips = newPodChips(dom)
	}
	lists := make([]podList, 0, len(s.Nodes)+1)
	for _, n := range s.Nodes {
		lists = append(lists, podList{id: nodePodsID(n.Name), pods: n.Pods})
	}
	if len(s.Pending) > 0 {
		lists = append(lists, podList{id: pendingPodsID, pods: s.Pending})
	}
	v.chips.sync(lists, v.ISelected)
}

// The ids of the pod lists podChips fills.
const pendingPodsID = "pods-pending"

func nodePodsID(node string) string { return "pods-node-" + node }

func (v *clusterView) Render() app.UI {
	s := v.ISnap
	if s == nil {
		return app.Section().ID("cluster-view").Class("cluster-view").Aria("label", "Cluster").Body(
			app.P().Class("muted").Text("starting the cluster…"),
		)
	}
	return app.Section().ID("cluster-view").Class("cluster-view").Aria("label", "Cluster").
		OnClick(v.onPodClick).Body(
		app.Div().Class("cluster-head").Body(
			app.H2().Text("Cluster"),
			app.Span().Class("muted").Text(strconv.Itoa(len(s.Nodes))+" nodes · "+strconv.Itoa(s.PodCount)+" pods"),
			app.Button().ID("add-node").Class("btn small").Aria("label", "Add a worker node").Text("+ node").OnClick(v.onAddNode),
		),
		v.renderGroups(s),
		app.Div().Class("nodes").Role("list").Aria("label", "Nodes").Body(
			app.Range(s.Nodes).Slice(func(i int) app.UI { return v.renderNode(s.Nodes[i]) }),
		),
		app.If(len(s.Pending) > 0, func() app.UI {
			return app.Div().Class("lane pending-lane").ID("pending-pods").Aria("label", "Pending pods").Body(
				app.H3().Text("Pending · not scheduled ("+strconv.Itoa(len(s.Pending))+")"),
				podListElement(pendingPodsID),
			)
		}),
	)
}

func (v *clusterView) renderGroups(s *clusterSnapshot) app.UI {
	if len(s.Groups) == 0 {
		return app.P().Class("muted groups-empty").Text("No controllers yet: apply a manifest from the samples menu.")
	}
	return app.Ul().Class("groups").Aria("label", "Controllers").Body(
		app.Range(s.Groups).Slice(func(i int) app.UI {
			g := s.Groups[i]
			sel := v.ISelected == selection{Kind: g.Kind, Namespace: g.Namespace, Name: g.Name}
			return app.Li().Class("group").
				DataSet("owner", g.Key).
				DataSet("kind", g.Kind).
				DataSet("name", g.Name).
				Class(classIf(sel, "selected")).
				Body(
					app.Button().Class("group-btn").
						Aria("label", g.Kind+" "+g.Name+": "+groupCounts(g)).
						Aria("pressed", sel).
						OnClick(v.onSelect(selection{Kind: g.Kind, Namespace: g.Namespace, Name: g.Name})).
						Body(
							app.Span().Class("group-name").Text(kindShort(g.Kind)+"/"+g.Name),
							app.Span().Class("group-counts").Text(groupCounts(g)),
						),
				)
		}),
	)
}

func (v *clusterView) renderNode(n nodeView) app.UI {
	sel := v.ISelected == selection{Kind: "Node", Name: n.Name}
	roles := n.Roles
	if roles == "" {
		roles = "<none>"
	}
	status := n.Status
	return app.Div().Class("node-card", nodeStatusClass(n.Status), classIf(sel, "selected")).
		Role("listitem").
		DataSet("node", n.Name).
		DataSet("status", n.Status).
		Body(
			app.Div().Class("node-head").
				TabIndex(0).
				Role("button").
				Aria("label", "Node "+n.Name+", "+status+", roles "+roles).
				Aria("pressed", sel).
				OnClick(v.onSelect(selection{Kind: "Node", Name: n.Name})).
				OnKeyDown(v.onCardKey(selection{Kind: "Node", Name: n.Name})).
				Body(
					app.Span().Class("node-name").Text(n.Name),
					app.Span().Class("node-status").Text(status),
					app.Span().Class("node-roles").Text(roles),
					app.If(n.KubeletStopped, func() app.UI { return app.Span().Class("badge warn").Text("kubelet stopped") }),
				),
			app.Div().Class("node-actions").Role("group").Aria("label", "Actions on "+n.Name).Body(
				app.If(!n.KubeletStopped, func() app.UI {
					return v.actionButton("fail", n.Name, "fail", "Fail node "+n.Name+" (stop its kubelet)")
				}).Else(func() app.UI {
					return v.actionButton("recover", n.Name, "recover", "Recover node "+n.Name)
				}),
				app.If(!n.Unschedulable, func() app.UI {
					return v.actionButton("cordon", n.Name, "cordon", "Cordon node "+n.Name)
				}).Else(func() app.UI {
					return v.actionButton("uncordon", n.Name, "uncordon", "Uncordon node "+n.Name)
				}),
				v.actionButton("label", n.Name, "label", "Label node "+n.Name),
				v.actionButton("remove", n.Name, "remove", "Remove node "+n.Name),
			),
			podListElement(nodePodsID(n.Name)),
		)
}

func (v *clusterView) actionButton(action, node, text, label string) app.UI {
	return app.Button().Class("btn tiny").
		DataSet("action", action).
		DataSet("node", node).
		Aria("label", label).
		Text(text).
		OnClick(v.onNodeAction(action, node))
}

// podListElement is a list podChips fills: go-app renders it without children, so it
// never touches the chips in it.
func podListElement(id string) app.UI {
	return app.Ul().ID(id).Class("pods").Aria("label", "Pods")
}

func (v *clusterView) onSelect(s selection) app.EventHandler {
	return func(ctx app.Context, e app.Event) { v.IPage.selectObject(ctx, s) }
}

func (v *clusterView) onCardKey(s selection) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		switch e.Get("key").String() {
		case "Enter", " ":
			e.PreventDefault()
			v.IPage.selectObject(ctx, s)
		}
	}
}

func (v *clusterView) onNodeAction(action, node string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		var line string
		switch action {
		case "fail", "recover", "remove":
			if action == "remove" && !app.Window().Call("confirm", "Remove node "+node+"? Its pods are deleted.").Bool() {
				return
			}
			line = terminal.Quote([]string{"kubetab", "node", action, node})
		case "cordon", "uncordon":
			line = terminal.Quote([]string{"kubectl", action, node})
		case "label":
			kv := app.Window().Call("prompt", "Label for node "+node+" (key=value, or key- to remove):", "")
			if kv.IsNull() || kv.IsUndefined() || strings.TrimSpace(kv.String()) == "" {
				return
			}
			line = terminal.Quote([]string{"kubectl", "label", "node", node, strings.TrimSpace(kv.String()), "--overwrite"})
		}
		v.IPage.exec(ctx, line)
	}
}

func (v *clusterView) onAddNode(ctx app.Context, e app.Event) {
	v.IPage.exec(ctx, terminal.Quote([]string{"kubetab", "node", "add", nextWorkerName(v.ISnap)}))
}

// nextWorkerName picks the first free kubetab-workerN name, following kind's naming.
func nextWorkerName(s *clusterSnapshot) string {
	used := map[string]bool{}
	if s != nil {
		for _, n := range s.Nodes {
			used[n.Name] = true
		}
	}
	if !used["kubetab-worker"] {
		return "kubetab-worker"
	}
	for i := 2; ; i++ {
		if name := "kubetab-worker" + strconv.Itoa(i); !used[name] {
			return name
		}
	}
}

// podChipLabel and podChipTitle are a pod chip's aria-label and tooltip.
func podChipLabel(p podView) string {
	label := "Pod " + p.Name + ", " + p.Status + ", ready " + p.Ready + ", restarts " + p.Restarts
	if p.Owner != "" {
		label += ", owned by " + p.Owner
	}
	return label
}

func podChipTitle(p podView) string { return p.Namespace + "/" + p.Name + " · " + p.Status }

// onPodClick selects the pod whose chip was clicked: the chips have no listeners of their
// own (podChips). Enter or Space on a chip clicks it (public/web/chips.js does that at
// once, as the browser does for a button: go-app runs handlers too late to keep the key
// from also pressing the panel's close button, which gets the focus).
func (v *clusterView) onPodClick(ctx app.Context, e app.Event) {
	if s, ok := podOfEvent(e); ok {
		v.IPage.selectObject(ctx, s)
	}
}

// podOfEvent finds the pod chip an event happened in.
func podOfEvent(e app.Event) (selection, bool) {
	t := e.Get("target")
	if !t.Truthy() || t.Get("closest").Type() != app.TypeFunction {
		return selection{}, false
	}
	li := t.Call("closest", "#cluster-view li.pod")
	if !li.Truthy() {
		return selection{}, false
	}
	ds := li.Get("dataset")
	return selection{Kind: "Pod", Namespace: ds.Get("namespace").String(), Name: ds.Get("pod").String()}, true
}

func classIf(ok bool, class string) string {
	if ok {
		return class
	}
	return ""
}
