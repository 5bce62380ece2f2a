package kubectl

import (
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
)

var selectorFlags = []flagSpec{
	{name: "selector", short: "l", kind: stringFlag},
	{name: "field-selector", kind: stringFlag},
	{name: "all-namespaces", short: "A", kind: boolFlag},
}

var getCommand = &command{
	name:  "get",
	short: "Display one or many resources",
	usage: "get [(-o|--output=)json|yaml|name|wide|custom-columns=...|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
	flags: append([]flagSpec{
		{name: "output", short: "o", kind: stringFlag},
		{name: "show-labels", kind: boolFlag},
		{name: "label-columns", short: "L", kind: sliceFlag},
		{name: "no-headers", kind: boolFlag},
		{name: "watch", short: "w", kind: boolFlag},
		{name: "watch-only", kind: boolFlag},
		{name: "show-all", short: "a", kind: boolFlag},
		{name: "ignore-not-found", kind: boolFlag},
		{name: "show-kind", kind: boolFlag},
		{name: "allow-missing-template-keys", kind: boolFlag, def: "true"},
		{name: "chunk-size", kind: intFlag, def: "500"},
		{name: "sort-by", kind: stringFlag},
		{name: "filename", short: "f", kind: sliceFlag},
	}, selectorFlags...),
	run: runGet,
}

// DefaultWatchWindow is how much virtual time `kubectl get -w` follows changes for, unless
// --request-timeout says otherwise. A real watch runs until Ctrl-C; in a script or a tab
// that would never end, so kubetab watches for a while and says that it stopped.
const DefaultWatchWindow = 2 * time.Minute

func runGet(e *env, args []string) error {
	if e.fv.boolean("show-all") {
		e.errf("kubetab: --show-all (-a) was removed in kubectl v1.14; completed pods are always listed.\n")
	}
	sortBy := e.fv.str("sort-by")
	switch {
	case sortBy == "":
	case e.fv.boolean("watch"):
		e.errf("warning: --watch requested, --sort-by will be ignored for watch events received\n")
	case e.fv.boolean("watch-only"):
		e.errf("warning: --watch-only requested, --sort-by will be ignored\n")
	}
	var req *request
	var err error
	if files := e.fv.list("filename"); len(files) > 0 {
		req = &request{}
		err = e.eachObject("get", func(obj api.Object, res *api.Resource, _ string) error {
			req.named = append(req.named, namedRef{res, obj.GetName()})
			return nil
		})
		if err != nil {
			return err
		}
		req.multiType = true
	} else {
		if len(args) == 0 {
			return &rawError{"You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n" +
				"error: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n"}
		}
		req, err = parseResourceArgs(args)
		if err != nil {
			return err
		}
	}
	labelSel, fieldSel := e.fv.str("selector"), e.fv.str("field-selector")
	if len(req.named) > 0 && (labelSel != "" || fieldSel != "") {
		return fmt.Errorf("name cannot be provided when a selector is specified")
	}
	all := e.fv.boolean("all-namespaces")
	objs, errs := e.resolve(req, all, labelSel, fieldSel)
	if e.fv.boolean("ignore-not-found") {
		var kept []error
		for _, err := range errs {
			if !apierrors.IsNotFound(err) {
				kept = append(kept, err)
			}
		}
		errs = kept
	}
	sortEvents(objs)
	format := e.fv.str("output")
	// As kubectl: a table of one row, or one object asked for by name, is not sorted (nor
	// is its field checked).
	if sortBy != "" && (len(objs) > 1 || !printers.IsTableFormat(format) && !req.single() && len(objs) > 0) {
		if err := printers.SortObjects(objs, sortBy); err != nil {
			return err
		}
	}
	tableOpts := printers.TableOptions{
		Now:           e.c.Now(),
		Wide:          format == "wide",
		ShowLabels:    e.fv.boolean("show-labels"),
		LabelColumns:  e.fv.list("label-columns"),
		WithNamespace: all,
		NoHeaders:     e.fv.boolean("no-headers"),
		WithKind:      req.multiType || e.fv.boolean("show-kind"),
	}
	if !e.fv.boolean("watch-only") {
		if printers.IsTableFormat(format) {
			if len(objs) == 0 && len(errs) == 0 {
				e.errf("%s\n", printers.NoResourcesMessage(e.noResourcesNamespace(req), all))
			} else if err := printers.PrintTable(e.io.Out, objs, tableOpts); err != nil {
				return err
			}
		} else {
			opts := printers.OutputOptions{NoHeaders: e.fv.boolean("no-headers"), DisallowMissingTemplateKeys: !e.fv.boolean("allow-missing-template-keys")}
			if err := printers.PrintObjectsWithOptions(e.io.Out, objs, format, req.single(), opts); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if e.fv.boolean("watch") || e.fv.boolean("watch-only") {
		if len(errs) > 0 {
			return asError(errs)
		}
		return e.watch(req, all, labelSel, fieldSel, objs, format, tableOpts)
	}
	return asError(errs)
}

// noResourcesNamespace is the namespace named in "No resources found in X namespace.": none
// when only cluster-scoped types were asked for.
func (e *env) noResourcesNamespace(req *request) string {
	for _, r := range req.types {
		if r.Namespaced {
			return e.ns
		}
	}
	for _, n := range req.named {
		if n.res.Namespaced {
			return e.ns
		}
	}
	return ""
}

// sortEvents orders events by last time seen, then name. The API returns them by name and
// kubectl does not sort, but on a real cluster names carry a time-ordered suffix, so users
// see them in time order; kubetab's names do not, hence the explicit sort.
func sortEvents(objs []api.Object) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		evs := objs[start:end]
		sort.SliceStable(evs, func(i, j int) bool {
			a, b := evs[i].(*corev1.Event), evs[j].(*corev1.Event)
			ta, tb := eventTime(a), eventTime(b)
			if !ta.Equal(tb) {
				return ta.Before(tb)
			}
			if a.Namespace != b.Namespace {
				return a.Namespace < b.Namespace
			}
			return a.Name < b.Name
		})
		start = -1
	}
	for i, o := range objs {
		if _, ok := o.(*corev1.Event); ok {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(objs))
}

func eventTime(ev *corev1.Event) time.Time {
	switch {
	case !ev.LastTimestamp.IsZero():
		return ev.LastTimestamp.Time
	case ev.Series != nil && !ev.Series.LastObservedTime.IsZero():
		return ev.Series.LastObservedTime.Time
	case !ev.EventTime.IsZero():
		return ev.EventTime.Time
	case !ev.FirstTimestamp.IsZero():
		return ev.FirstTimestamp.Time
	}
	return ev.CreationTimestamp.Time
}
