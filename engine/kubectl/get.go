package kubectl

import (
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
)

type getOptions struct {
	plainArgs
	resourceFlags
	Output, SortBy, Template                           string
	LabelColumns                                       []string
	ShowLabels, NoHeaders, Watch, WatchOnly, ShowAll   bool
	IgnoreNotFound, ShowKind, AllowMissingTemplateKeys bool
	ChunkSize                                          int64
	Raw                                                string
}

var getCommand = &command{
	name:  "get",
	short: "Display one or many resources",
	usage: "get [(-o|--output=)json|yaml|name|wide|custom-columns=...|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &getOptions{}
		fs.String(&o.Output, "output", "o", "")
		fs.Bool(&o.ShowLabels, "show-labels", "", false)
		fs.StringSlice(&o.LabelColumns, "label-columns", "L")
		fs.Bool(&o.NoHeaders, "no-headers", "", false)
		fs.Bool(&o.Watch, "watch", "w", false)
		fs.Bool(&o.WatchOnly, "watch-only", "", false)
		fs.Bool(&o.ShowAll, "show-all", "a", false).removedFromKubectl()
		fs.Bool(&o.IgnoreNotFound, "ignore-not-found", "", false)
		fs.Bool(&o.ShowKind, "show-kind", "", false)
		fs.Bool(&o.AllowMissingTemplateKeys, "allow-missing-template-keys", "", true)
		fs.String(&o.Template, "template", "", "")
		fs.Int64(&o.ChunkSize, "chunk-size", "", 500)
		fs.String(&o.SortBy, "sort-by", "", "")
		fs.String(&o.Raw, "raw", "", "")
		o.filenameFlags.add(fs)
		o.addLabelSelector(fs)
		o.addFieldSelector(fs)
		o.addAllNamespaces(fs)
		return o
	},
}

// readOnly: a watch moves virtual time.
func (o *getOptions) readOnly() bool { return !o.Watch && !o.WatchOnly }

// DefaultWatchWindow is how much virtual time `kubectl get -w` follows changes for, unless
// --request-timeout says otherwise. A real watch runs until Ctrl-C; in a script or a tab
// that would never end, so kubetab watches for a while and says that it stopped.
const DefaultWatchWindow = 2 * time.Minute

func (o *getOptions) complete(e *env, args []string) error {
	o.args = args
	if o.ShowAll {
		e.errf("kubetab: --show-all (-a) was removed in kubectl v1.14 (a real kubectl refuses it); completed pods are always listed.\n")
	}
	switch {
	case o.Raw != "":
		if len(args) > 0 {
			return &rawError{"error: arguments may not be passed when --raw is specified\n"}
		}
	case o.Watch:
		if o.SortBy != "" {
			e.errf("warning: --watch requested, --sort-by will be ignored for watch events received\n")
		}
	case o.WatchOnly:
		if o.SortBy != "" {
			e.errf("warning: --watch-only requested, --sort-by will be ignored\n")
		}
	default:
		if len(args) == 0 && !o.given() {
			return &rawError{"You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n" +
				"error: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n"}
		}
	}
	return nil
}

func (o *getOptions) run(e *env) error {
	if o.Raw != "" {
		return e.getRaw(o.Raw)
	}
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args, listBare: true})
	if err != nil {
		return err
	}
	objs, errs := r.objects()
	if o.IgnoreNotFound {
		var kept []error
		for _, err := range errs {
			if !apierrors.IsNotFound(err) {
				kept = append(kept, err)
			}
		}
		errs = kept
	}
	sortEvents(objs)
	format := printers.WithTemplate(o.Output, o.Template)
	// As kubectl: a table of one row, or one object asked for by name, is not sorted (nor
	// is its field checked).
	if o.SortBy != "" && (len(objs) > 1 || !printers.IsTableFormat(format) && !r.single && len(objs) > 0) {
		if err := printers.SortObjects(objs, o.SortBy); err != nil {
			return err
		}
	}
	all := o.AllNamespaces
	tableOpts := printers.TableOptions{
		Now:           e.c.Now(),
		Wide:          format == "wide",
		ShowLabels:    o.ShowLabels,
		LabelColumns:  o.LabelColumns,
		WithNamespace: all,
		NoHeaders:     o.NoHeaders,
		WithKind:      r.multiType || o.ShowKind,
	}
	if !o.WatchOnly {
		if printers.IsTableFormat(format) {
			if len(objs) == 0 && len(errs) == 0 {
				// kubectl says so unless --ignore-not-found, whatever was asked.
				if !o.IgnoreNotFound {
					e.errf("%s\n", printers.NoResourcesMessage(e.noResourcesNamespace(r), all))
				}
			} else if err := printers.PrintTable(e.io.Out, objs, tableOpts); err != nil {
				return err
			}
		} else if len(errs) > 0 && r.single || len(objs) == 0 && o.IgnoreNotFound {
			// kubectl's printGeneric: one object asked for by name that is not there is only
			// the error, and with --ignore-not-found nothing found prints nothing, not an
			// empty List.
		} else {
			opts := printers.OutputOptions{NoHeaders: o.NoHeaders, DisallowMissingTemplateKeys: !o.AllowMissingTemplateKeys}
			if err := printers.PrintObjectsWithOptions(e.io.Out, objs, format, r.single, opts); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if o.Watch || o.WatchOnly {
		if len(errs) > 0 {
			return asError(errs)
		}
		return e.watch(r, all, o.LabelSelector, o.FieldSelector, objs, format, tableOpts)
	}
	return asError(errs)
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
