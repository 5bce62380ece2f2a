package main

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"github.com/kubetab/kubetab/engine/terminal"
)

// panelContent is the text of one panel tab for one object.
type panelContent struct {
	Sel  selection
	Tab  string
	Text string
}

// panelCache keeps the last text per object and tab, keyed by the store's resourceVersion:
// while nothing changes, a frame costs nothing; describe and YAML are rebuilt only after a
// write.
type panelCache struct {
	entries map[panelRequest]panelCacheEntry
}

type panelCacheEntry struct {
	rv      uint64
	content panelContent
}

// content returns the panel text, from the cache when the store has not moved (mu held).
func (pc *panelCache) content(c *cluster.Cluster, sel selection, tab string) panelContent {
	key := panelRequest{sel: sel, tab: tab}
	rv := c.Store.ResourceVersion()
	if e, ok := pc.entries[key]; ok && e.rv == rv {
		return e.content
	}
	if pc.entries == nil || len(pc.entries) > 64 {
		pc.entries = map[panelRequest]panelCacheEntry{}
	}
	pc.entries[key] = panelCacheEntry{rv: rv, content: panelContent{Sel: sel, Tab: tab, Text: panelText(c, sel, tab)}}
	return pc.entries[key].content
}

// panelText renders a tab: describe and YAML through kubectl's own read-only commands (the
// same text the terminal prints), events from the store filtered to the object.
func panelText(c *cluster.Cluster, sel selection, tab string) string {
	r := api.ResourceForKind(sel.Kind)
	if r == nil {
		return "kubetab does not serve " + sel.Kind
	}
	args := func(verb string, more ...string) []string {
		a := []string{verb, r.Name, sel.Name}
		if r.Namespaced {
			a = append(a, "-n", sel.Namespace)
		}
		return append(a, more...)
	}
	var out strings.Builder
	switch tab {
	case "describe":
		kubectl.Run(terminal.Kubectl(c), args("describe"), kubectl.IO{Out: &out, Err: &out})
	case "yaml":
		kubectl.Run(terminal.Kubectl(c), args("get", "-o", "yaml"), kubectl.IO{Out: &out, Err: &out})
	case "events":
		obj, err := c.Store.Get(r, sel.Namespace, sel.Name)
		if err != nil {
			return err.Error()
		}
		writeEventsTable(&out, objectEvents(c, obj, r), c.Now())
	default:
		return ""
	}
	return out.String()
}

// objectEvents lists the events about obj: by uid, and for cluster-scoped objects (whose
// events the kubelet and node controller record with the name as uid) by kind and name.
func objectEvents(c *cluster.Cluster, obj api.Object, r *api.Resource) []*corev1.Event {
	var out []*corev1.Event
	ns := obj.GetNamespace()
	if !r.Namespaced {
		ns = ""
	}
	c.Store.Each(eventsRes, ns, func(o api.Object) bool {
		e := o.(*corev1.Event)
		io := e.InvolvedObject
		if io.UID == obj.GetUID() || (!r.Namespaced && io.Kind == r.Kind && io.Name == obj.GetName()) {
			out = append(out, e)
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return eventTime(out[i]).Before(eventTime(out[j])) })
	return out
}

func eventTime(e *corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	}
	return e.CreationTimestamp.Time
}

// writeEventsTable writes events as `kubectl get events` columns.
func writeEventsTable(w *strings.Builder, evs []*corev1.Event, now time.Time) {
	if len(evs) == 0 {
		w.WriteString("No events.\n")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "LAST SEEN\tTYPE\tREASON\tFROM\tMESSAGE")
	for _, e := range evs {
		from := e.Source.Component
		if e.Source.Host != "" {
			from += ", " + e.Source.Host
		}
		if from == "" {
			from = e.ReportingController
		}
		age := printers.Age(e.LastTimestamp, now)
		if e.LastTimestamp.IsZero() {
			age = printers.Age(e.CreationTimestamp, now)
		}
		if e.Count > 1 {
			age += fmt.Sprintf(" (x%d)", e.Count)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", age, e.Type, e.Reason, from, oneLine(e.Message))
	}
	tw.Flush()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// panelView is the side panel (#panel) about the selected pod, node or controller.
type panelView struct {
	app.Compo

	ISel     selection
	ITab     string
	IContent panelContent
	ILogs    string
	IPage    *playground
}

var panelTabs = []struct{ id, label string }{
	{"describe", "Describe"}, {"yaml", "YAML"}, {"events", "Events"}, {"logs", "Logs"},
}

func (v *panelView) Render() app.UI {
	if v.ISel.empty() {
		return app.Aside().ID("panel").Class("panel closed").Aria("hidden", true)
	}
	title := strings.ToLower(v.ISel.Kind) + "/" + v.ISel.Name
	if v.ISel.Namespace != "" {
		title += " · " + v.ISel.Namespace
	}
	body := v.IContent.Text
	loading := v.IContent.Sel != v.ISel || v.IContent.Tab != v.ITab
	if v.ITab == "logs" {
		loading = false
		body = v.ILogs
	}
	return app.Aside().ID("panel").Class("panel").Role("dialog").Aria("label", "Details of "+title).Aria("modal", false).Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("panel-title").Text(title),
			app.Button().ID("panel-close").Class("btn small").Aria("label", "Close the panel (Escape)").Text("×").OnClick(v.onClose),
		),
		app.Div().Class("panel-tabs").Role("tablist").Aria("label", "Views of "+title).Body(
			app.Range(panelTabs).Slice(func(i int) app.UI {
				t := panelTabs[i]
				if t.id == "logs" && v.ISel.Kind != "Pod" {
					return nil
				}
				return app.Button().Class("panel-tab", classIf(v.ITab == t.id, "active")).
					ID("panel-tab-"+t.id).
					Role("tab").
					Aria("selected", v.ITab == t.id).
					Aria("controls", "panel-body").
					Text(t.label).
					OnClick(func(ctx app.Context, e app.Event) { v.IPage.setPanelTab(ctx, t.id) })
			}),
		),
		app.If(v.ITab == "logs", func() app.UI {
			return app.Div().Class("panel-actions").Body(
				app.Button().ID("panel-fetch-logs").Class("btn small").
					Aria("label", "Run kubectl logs for "+v.ISel.Name).
					Text("kubectl logs "+v.ISel.Name).
					OnClick(func(ctx app.Context, e app.Event) { v.IPage.fetchLogs(ctx) }),
				app.Span().Class("muted").Text("runs in the terminal"),
			)
		}),
		app.If(loading, func() app.UI {
			return app.P().Class("muted").Text("loading…")
		}).Else(func() app.UI {
			return app.Pre().ID("panel-body").Class("panel-body").Role("tabpanel").TabIndex(0).Text(body)
		}),
	)
}

func (v *panelView) onClose(ctx app.Context, e app.Event) { v.IPage.closePanel(ctx) }
