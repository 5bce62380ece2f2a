package snapshot

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"github.com/kubetab/kubetab/engine/terminal"
)

// Ref names an object the page shows: what the side panel is about.
type Ref struct {
	Kind, Namespace, Name string
}

// Empty tells whether r names nothing (no object is selected).
func (r Ref) Empty() bool { return r.Name == "" }

// Panel is the text of one panel tab for one object.
type Panel struct {
	Ref  Ref
	Tab  string
	Text string
}

// PanelCache keeps the last text per object and tab, keyed by the store's resourceVersion:
// while nothing changes, a frame costs nothing; describe and YAML are rebuilt only after a
// write.
type PanelCache struct {
	entries map[panelKey]panelCacheEntry
}

type panelKey struct {
	ref Ref
	tab string
}

type panelCacheEntry struct {
	rv      uint64
	content Panel
}

// Content returns the panel text, from the cache when the store has not moved. c must be
// held still (session.Shell.View).
func (pc *PanelCache) Content(c *session.Cluster, ref Ref, tab string) Panel {
	key := panelKey{ref: ref, tab: tab}
	rv := c.Store.ResourceVersion()
	if e, ok := pc.entries[key]; ok && e.rv == rv {
		return e.content
	}
	if pc.entries == nil || len(pc.entries) > 64 {
		pc.entries = map[panelKey]panelCacheEntry{}
	}
	pc.entries[key] = panelCacheEntry{rv: rv, content: Panel{Ref: ref, Tab: tab, Text: PanelText(c, ref, tab)}}
	return pc.entries[key].content
}

// PanelText renders a tab: describe and YAML through kubectl's own read-only commands (the
// same text the terminal prints), events from the store filtered to the object.
func PanelText(c *session.Cluster, sel Ref, tab string) string {
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
func objectEvents(c *session.Cluster, obj api.Object, r *api.Resource) []*corev1.Event {
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
