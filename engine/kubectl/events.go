package kubectl

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"sigs.k8s.io/yaml"
)

// `kubectl events`: the namespace's (or -A: every) event, oldest first, with --for
// TYPE/NAME and --types; a table of its own (LAST SEEN with the count of a repeated event),
// or the events as a list in -o yaml|json|jsonpath...
type eventsOptions struct {
	plainArgs
	AllNamespaces, NoHeaders bool
	For, Output              string
	Types                    []string
	Watch                    bool
}

var eventsCommand = &command{
	name:  "events",
	short: "List events",
	usage: "events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &eventsOptions{}
		fs.Bool(&o.AllNamespaces, "all-namespaces", "A", false)
		fs.Bool(&o.NoHeaders, "no-headers", "", false)
		fs.String(&o.For, "for", "", "")
		fs.String(&o.Output, "output", "o", "")
		fs.StringSlice(&o.Types, "types", "")
		fs.Bool(&o.Watch, "watch", "w", false)
		return o
	},
}

func (o *eventsOptions) readOnly() bool { return true }

func (o *eventsOptions) run(e *env) error {
	for _, t := range o.Types {
		if t != corev1.EventTypeNormal && t != corev1.EventTypeWarning {
			return fmt.Errorf("valid --types are Normal or Warning")
		}
	}
	var kind, name string
	if o.For != "" {
		typed, n, ok := strings.Cut(o.For, "/")
		if !ok || n == "" {
			return fmt.Errorf("--for must be in resource/name form")
		}
		r, err := lookupResource(typed)
		if err != nil {
			return err
		}
		kind, name = r.Kind, n
	}
	if o.Watch {
		return fmt.Errorf("kubetab does not follow events with \"kubectl events --watch\" yet; use \"kubectl get events --watch\"")
	}
	switch o.Output {
	case "", "json", "yaml", "name":
	default:
		if !strings.HasPrefix(o.Output, "jsonpath") && !strings.HasPrefix(o.Output, "go-template") && !strings.HasPrefix(o.Output, "template") {
			return fmt.Errorf("unable to match a printer suitable for the output format %q, allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml", o.Output)
		}
	}
	objs, err := e.list(api.ResourceByName("events"), o.AllNamespaces, "", "")
	if err != nil {
		return err
	}
	var events []*corev1.Event
	for _, obj := range objs {
		ev := obj.(*corev1.Event)
		if kind != "" && (ev.InvolvedObject.Kind != kind || ev.InvolvedObject.Name != name) {
			continue
		}
		if len(o.Types) > 0 && !slices.Contains(o.Types, ev.Type) {
			continue
		}
		events = append(events, ev)
	}
	// kubectl sorts by the time last seen only (kubetab keeps the list's order for ties).
	sort.SliceStable(events, func(i, j int) bool { return lastSeen(events[i]).Before(lastSeen(events[j])) })
	if o.Output != "" {
		if o.Output == "name" {
			return nil // kubectl's events printer writes no names
		}
		// -o json|yaml print the typed EventList (its fields in the API's order in JSON);
		// templates read the same list.
		list := corev1.EventList{TypeMeta: metav1.TypeMeta{Kind: "EventList", APIVersion: "v1"}, Items: []corev1.Event{}}
		var objs []api.Object
		for _, ev := range events {
			item := ev.DeepCopy()
			item.TypeMeta = metav1.TypeMeta{Kind: "Event", APIVersion: "v1"}
			list.Items = append(list.Items, *item)
			objs = append(objs, item)
		}
		switch o.Output {
		case "json":
			j, err := json.MarshalIndent(&list, "", "    ")
			if err != nil {
				return err
			}
			e.out("%s\n", j)
			return nil
		case "yaml":
			y, err := yaml.Marshal(&list)
			if err != nil {
				return err
			}
			e.out("%s", y)
			return nil
		}
		return printers.PrintObjects(e.io.Out, objs, o.Output, false)
	}
	if len(events) == 0 {
		if o.AllNamespaces {
			e.errf("No events found.\n")
		} else {
			e.errf("No events found in %s namespace.\n", e.ns)
		}
		return nil
	}
	now := e.c.Now()
	tw := tabwriter.NewWriter(e.io.Out, 6, 4, 3, ' ', 0)
	if !o.NoHeaders {
		if o.AllNamespaces {
			fmt.Fprint(tw, "NAMESPACE\t")
		}
		fmt.Fprintln(tw, "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE")
	}
	for _, ev := range events {
		if o.AllNamespaces {
			fmt.Fprintf(tw, "%s\t", ev.Namespace)
		}
		first := printers.Age(ev.FirstTimestamp, now)
		if !ev.EventTime.IsZero() {
			first = printers.Age(metav1.Time{Time: ev.EventTime.Time}, now)
		}
		interval := first
		switch {
		case ev.Series != nil:
			interval = fmt.Sprintf("%s (x%d over %s)", printers.Age(metav1.Time{Time: ev.Series.LastObservedTime.Time}, now), ev.Series.Count, first)
		case ev.Count > 1:
			interval = fmt.Sprintf("%s (x%d over %s)", printers.Age(ev.LastTimestamp, now), ev.Count, first)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s/%s\t%s\n", interval, ev.Type, ev.Reason, ev.InvolvedObject.Kind, ev.InvolvedObject.Name, strings.TrimSpace(ev.Message))
	}
	return tw.Flush()
}

// lastSeen is when kubectl events says an event was last seen: its series' last
// observation, else its last timestamp, else its event time.
func lastSeen(ev *corev1.Event) time.Time {
	switch {
	case ev.Series != nil:
		return ev.Series.LastObservedTime.Time
	case !ev.LastTimestamp.IsZero():
		return ev.LastTimestamp.Time
	}
	return ev.EventTime.Time
}
