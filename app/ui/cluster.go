package ui

import (
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/podchips"
	"github.com/kubetab/kubetab/app/snapshot"
	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/terminal"
)

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
func groupCounts(g snapshot.Owner) string {
	if g.Desired < 0 {
		return strconv.Itoa(g.Pods) + " pods (owner not found)"
	}
	d, c, r := strconv.Itoa(int(g.Desired)), strconv.Itoa(int(g.Current)), strconv.Itoa(int(g.Ready))
	switch g.Kind {
	case "Job":
		return "completions " + r + "/" + d + " · active " + c
	case "Deployment":
		return "ready " + r + "/" + d + " · up-to-date " + strconv.Itoa(int(g.Updated)) + " · available " + strconv.Itoa(int(g.Available))
	}
	if g.Parent != "" {
		return "ready " + r + "/" + d + " · current " + c
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

// clusterView shows nodes as cards holding their pods, the pending lane and the
// controllers. It re-renders only when its snapshot or selection changes: the snapshot
// pointer is the same while the store's resourceVersion stands still. The pods themselves
// are drawn into the lists it renders empty by podchips, after each render.
type clusterView struct {
	app.Compo

	Snapshot *snapshot.Snapshot
	Selected snapshot.Ref
	Page     clusterPage

	chips *podchips.Chips
}

// clusterPage is what the cluster view asks of its page: to select an object for the side
// panel, and to run a line as if typed (a node action).
type clusterPage interface {
	selectObject(ctx app.Context, s snapshot.Ref)
	exec(ctx app.Context, line string)
	ask(q question)
}

func (v *clusterView) OnMount(ctx app.Context)  { ctx.Defer(v.syncPods) }
func (v *clusterView) OnUpdate(ctx app.Context) { ctx.Defer(v.syncPods) }

// syncPods draws the snapshot's pods into the lists just rendered.
func (v *clusterView) syncPods(app.Context) {
	s := v.Snapshot
	if s == nil {
		return
	}
	if v.chips == nil {
		if v.chips = podchips.New(); v.chips == nil {
			return
		}
	}
	lists := make([]podchips.List, 0, len(s.Nodes)+1)
	for _, n := range s.Nodes {
		lists = append(lists, podchips.List{ID: nodePodsID(n.Name), Pods: n.Pods})
	}
	if len(s.Pending) > 0 {
		lists = append(lists, podchips.List{ID: pendingPodsID, Pods: s.Pending[:min(len(s.Pending), maxPendingChips)]})
	}
	v.chips.Sync(lists, v.Selected)
}

// maxPendingChips bounds the pending lane's chips: a burst leaves thousands of pods
// pending for a while, more than one reads, and drawing them all took much of each frame;
// the lane counts the others (a node holds at most 110 pods, the kubelet's maxPods).
const maxPendingChips = 110

// The ids of the pod lists podchips fills.
const pendingPodsID = "pods-pending"

func nodePodsID(node string) string { return "pods-node-" + node }

func (v *clusterView) Render() app.UI {
	s := v.Snapshot
	if s == nil {
		return app.Section().ID("cluster-view").Class("cluster-view").Aria("label", "Cluster").Body(
			app.P().Class("muted").Text("starting the cluster…"),
		)
	}
	heads := make([]snapshot.Node, len(s.Nodes))
	for i, n := range s.Nodes {
		n.Pods = nil
		heads[i] = n
	}
	selected := ""
	if v.Selected.Kind == "Node" {
		selected = v.Selected.Name
	}
	var pending, more app.UI
	if n := len(s.Pending); n > 0 {
		if n > maxPendingChips {
			more = app.P().Class("muted").Text("+" + strconv.Itoa(n-maxPendingChips) + " more (kubectl get pods -A --field-selector=spec.nodeName= lists them)")
		}
		pending = app.Div().Class("lane pending-lane").ID("pending-pods").Aria("label", "Pending pods").Body(
			app.H3().Text("Pending · not scheduled ("+strconv.Itoa(n)+")"),
			podListElement(pendingPodsID),
			more,
		)
	}
	return app.Section().ID("cluster-view").Class("cluster-view").Aria("label", "Cluster").
		OnClick(v.onPodClick).Body(
		app.Div().Class("cluster-head").Body(
			app.H2().Text("Cluster"),
			app.Span().Class("muted").Text(strconv.Itoa(len(s.Nodes))+" nodes · "+strconv.Itoa(s.PodCount)+" pods"),
			app.Button().ID("add-node").Class("btn small").Title("Add a worker node").Text("+ node").OnClick(v.onAddNode),
		),
		v.renderGroups(s),
		&nodeCards{Nodes: heads, Selected: selected, View: v},
		pending,
	)
}

func (v *clusterView) renderGroups(s *snapshot.Snapshot) app.UI {
	if len(s.Groups) == 0 {
		return app.P().Class("muted groups-empty").Text("No controllers yet: apply a manifest from the samples menu.")
	}
	// A Deployment's ReplicaSets show in its tree, newest revision first, not on their own.
	children := map[string][]snapshot.Owner{}
	var top []snapshot.Owner
	for _, g := range s.Groups {
		if g.Parent != "" {
			children[g.Parent] = append(children[g.Parent], g)
		} else {
			top = append(top, g)
		}
	}
	for _, rs := range children {
		sort.SliceStable(rs, func(i, j int) bool { return revision(rs[i]) > revision(rs[j]) })
	}
	return app.Ul().Class("groups").Aria("label", "Controllers").Body(
		app.Range(top).Slice(func(i int) app.UI {
			g := top[i]
			return v.renderGroup(g, children[g.Key])
		}),
	)
}

// renderGroup is a controller's button, and for a Deployment the tree of its ReplicaSets
// and their pods: a rollout shows as the new ReplicaSet filling while the old one drains.
func (v *clusterView) renderGroup(g snapshot.Owner, rss []snapshot.Owner) app.UI {
	ref := snapshot.Ref{Kind: g.Kind, Namespace: g.Namespace, Name: g.Name}
	sel := v.Selected == ref
	name := kindShort(g.Kind) + "/" + g.Name
	if g.Revision != "" {
		name += " · revision " + g.Revision
	}
	// Plain loops rather than app.Range and app.If: each closure costs the wasm a function.
	var tree app.UI
	switch {
	case len(rss) > 0:
		items := make([]app.UI, len(rss))
		for i, rs := range rss {
			items[i] = v.renderGroup(rs, nil)
		}
		tree = app.Ul().Class("tree").Body(items...)
	case len(g.Members) > 0:
		items := make([]app.UI, 0, len(g.Members)+1)
		for _, p := range g.Members {
			items = append(items, app.Li().Class("tree-pod "+podchips.StatusClass(p.Status)).Title(p.Status).Text(p.Name))
		}
		if more := g.Pods - len(g.Members); more > 0 {
			items = append(items, app.Li().Class("tree-pod").Text("+"+strconv.Itoa(more)+" more"))
		}
		tree = app.Ul().Class("tree-pods").Body(items...)
	}
	return app.Li().Class("group", classIf(g.Kind == "Deployment", "deployment"), classIf(sel, "selected")).
		DataSet("name", g.Name).DataSet("revision", g.Revision).Body(
		app.Button().Class("group-btn").Aria("pressed", sel).OnClick(v.onSelect(ref)).Body(
			app.Span().Class("group-name").Text(name),
			app.Span().Class("group-counts").Text(groupCounts(g)),
		),
		tree,
	)
}

// revision is a ReplicaSet's revision as a number (0 when it has none).
func revision(g snapshot.Owner) int {
	n, _ := strconv.Atoi(g.Revision)
	return n
}

// nodeCards are the node cards, their pods left out (podchips draws them): a component of
// their own, which go-app renders again only when a node or the selected node changed, not
// in every frame of a burst of pods (rendering and comparing the cards of 90 nodes was
// much of the page's turn).
type nodeCards struct {
	app.Compo

	Nodes    []snapshot.Node // without their pods
	Selected string          // the selected node
	View     *clusterView
}

func (c *nodeCards) Render() app.UI {
	cards := make([]app.UI, len(c.Nodes))
	for i, n := range c.Nodes {
		cards[i] = c.View.renderNode(n, n.Name == c.Selected)
	}
	return app.Div().Class("nodes").Role("list").Aria("label", "Nodes").Body(cards...)
}

func (v *clusterView) renderNode(n snapshot.Node, sel bool) app.UI {
	roles := n.Roles
	if roles == "" {
		roles = "<none>"
	}
	status := n.Status
	// Plain conditions rather than app.If: each closure costs the wasm a function.
	var badge app.UI
	kubelet := v.actionButton("fail", n.Name, "fail", "Fail node "+n.Name+" (stop its kubelet)")
	if n.KubeletStopped {
		badge = app.Span().Class("badge warn").Text("kubelet stopped")
		kubelet = v.actionButton("recover", n.Name, "recover", "Recover node "+n.Name)
	}
	cordon := v.actionButton("cordon", n.Name, "cordon", "Cordon node "+n.Name)
	if n.Unschedulable {
		cordon = v.actionButton("uncordon", n.Name, "uncordon", "Uncordon node "+n.Name)
	}
	return app.Div().Class("node-card", nodeStatusClass(n.Status), classIf(sel, "selected")).
		Role("listitem").
		DataSet("node", n.Name).
		DataSet("status", n.Status).
		Body(
			app.Div().Class("node-head").
				TabIndex(0).
				Role("button").
				Aria("pressed", sel).
				OnClick(v.onSelect(snapshot.Ref{Kind: "Node", Name: n.Name})).
				OnKeyDown(v.onCardKey(snapshot.Ref{Kind: "Node", Name: n.Name})).
				Body(
					app.Span().Class("node-name").Text(n.Name),
					app.Span().Class("node-status").Text(status),
					app.Span().Class("node-roles").Text(roles),
					badge,
				),
			app.Div().Class("node-actions").Role("group").Aria("label", "Actions on "+n.Name).Body(
				kubelet,
				cordon,
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

// podListElement is a list podchips fills: go-app renders it without children, so it
// never touches the chips in it.
func podListElement(id string) app.UI {
	return app.Ul().ID(id).Class("pods").Aria("label", "Pods")
}

func (v *clusterView) onSelect(s snapshot.Ref) app.EventHandler {
	return func(ctx app.Context, e app.Event) { v.Page.selectObject(ctx, s) }
}

func (v *clusterView) onCardKey(s snapshot.Ref) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		switch e.Get("key").String() {
		case "Enter", " ":
			e.PreventDefault()
			v.Page.selectObject(ctx, s)
		}
	}
}

func (v *clusterView) onNodeAction(action, node string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		switch action {
		case "remove":
			v.Page.ask(question{Title: "Remove node " + node + "?", Text: "Its pods are deleted; controllers make new ones on the other nodes.", OK: "Remove node",
				then: func(ctx app.Context, _ string) {
					v.Page.exec(ctx, terminal.Quote([]string{"kubetab", "node", action, node}))
				}})
		case "fail", "recover":
			v.Page.exec(ctx, terminal.Quote([]string{"kubetab", "node", action, node}))
		case "cordon", "uncordon":
			v.Page.exec(ctx, terminal.Quote([]string{"kubectl", action, node}))
		case "label":
			v.Page.ask(question{Title: "Label node " + node, Text: "key=value sets a label, key- removes one.", Field: "Label", OK: "Label",
				then: func(ctx app.Context, kv string) {
					if kv = strings.TrimSpace(kv); kv != "" {
						v.Page.exec(ctx, terminal.Quote([]string{"kubectl", "label", "node", node, kv, "--overwrite"}))
					}
				}})
		}
	}
}

func (v *clusterView) onAddNode(ctx app.Context, e app.Event) {
	v.Page.exec(ctx, terminal.Quote([]string{"kubetab", "node", "add", nextWorkerName(v.Snapshot)}))
}

// nextWorkerName picks the first free kubetab-workerN name, following kind's naming.
func nextWorkerName(s *snapshot.Snapshot) string {
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

// onPodClick selects the pod whose chip was clicked (a button: Enter and Space click it):
// the chips have no listeners of their own (podchips).
func (v *clusterView) onPodClick(ctx app.Context, e app.Event) {
	if s, ok := podOfEvent(e); ok {
		v.Page.selectObject(ctx, s)
	}
}

// podOfEvent finds the pod chip an event happened in.
func podOfEvent(e app.Event) (snapshot.Ref, bool) {
	t := e.Get("target")
	if !t.Truthy() || t.Get("closest").Type() != app.TypeFunction {
		return snapshot.Ref{}, false
	}
	li := t.Call("closest", "#cluster-view .pod")
	if !li.Truthy() {
		return snapshot.Ref{}, false
	}
	ds := li.Get("dataset")
	return snapshot.Ref{Kind: "Pod", Namespace: ds.Get("namespace").String(), Name: ds.Get("pod").String()}, true
}

func classIf(ok bool, class string) string {
	if ok {
		return class
	}
	return ""
}
