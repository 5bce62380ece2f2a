package kubectl

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// The resource builder: how get, describe, delete, patch, edit, label, annotate, scale and
// wait find the objects their command line names, after k8s.io/cli-runtime's
// resource.Builder (ResourceTypeOrNameArgs, FilenameParam, LabelSelectorParam, ...) with
// its errors. A command declares the flags it has (resourceFlags), asks for the objects
// (env.resources) and then only says what it does with each.

// resourceFlags are the flags that name objects. Each command declares those real kubectl
// gives it.
type resourceFlags struct {
	filenameFlags
	LabelSelector string
	FieldSelector string
	All           bool
	AllNamespaces bool
}

func (r *resourceFlags) addLabelSelector(fs *flagSet) {
	fs.String(&r.LabelSelector, "selector", "l", "")
}

func (r *resourceFlags) addFieldSelector(fs *flagSet) {
	fs.String(&r.FieldSelector, "field-selector", "", "")
}

func (r *resourceFlags) addAll(fs *flagSet) { fs.Bool(&r.All, "all", "", false) }

func (r *resourceFlags) addAllNamespaces(fs *flagSet) {
	fs.Bool(&r.AllNamespaces, "all-namespaces", "A", false)
}

// resourceRequest is what a command asks the builder for.
type resourceRequest struct {
	resourceFlags
	// args are `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`.
	args []string
	// listBare: a TYPE without names stands for all its objects (get and describe; label,
	// annotate, scale and wait with --all): ResourceTypeOrNameArgs(true, ...).
	listBare bool
	// selectAll: --all selects as an empty selector does, so names may not come with it
	// (delete: SelectAllParam).
	selectAll bool
}

// objectRef names one object: its resource, its namespace ("" when cluster-scoped) and name.
type objectRef struct {
	res       *api.Resource
	namespace string
	name      string
}

// resourceInfo is one object the command line names (kubectl's resource.Info): the stored
// object, or the error that stands in its place (not found; a document of a file that could
// not be read, then without res).
type resourceInfo struct {
	objectRef
	// source is the file the object was named in; "" for arguments and listings.
	source string
	obj    api.Object
	err    error
}

// resourceResult is what the builder found, in the order the command line names it.
type resourceResult struct {
	infos []*resourceInfo
	// named are the objects asked for one by one (arguments or files); types the resources
	// listed whole. One of them is empty.
	named []objectRef
	types []*api.Resource
	// multiType: more than one resource was asked for (or `all`), so names print as
	// kind/name.
	multiType bool
	// single: the command line names exactly one object (kubectl's singleItemImplied), so
	// -o yaml prints it rather than a List.
	single bool
	// namespaced: a namespaced resource was asked for, so "No resources found" names the
	// namespace.
	namespaced bool
}

// objects splits the result into the objects found and the errors, each in order.
func (r *resourceResult) objects() ([]api.Object, []error) {
	var objs []api.Object
	var errs []error
	for _, i := range r.infos {
		if i.err != nil {
			errs = append(errs, i.err)
			continue
		}
		objs = append(objs, i.obj)
	}
	return objs, errs
}

// errMissingResource is the builder's answer to a command line that names nothing.
//
//lint:ignore ST1005 kubectl's own message, as it prints it
var errMissingResource = errors.New(`You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`)

// resources finds the objects a command line names. A command line that cannot name
// anything (unknown types, names with a selector, a missing file) is an error before any
// object is looked at; an object that is missing, or a document that cannot be read,
// becomes an info with an error, and the others are still found (ContinueOnError).
func (e *env) resources(q resourceRequest) (*resourceResult, error) {
	var sources []source
	if q.given() {
		var err error
		if sources, err = e.readInputs(q.filenameFlags); err != nil {
			return nil, err
		}
	}
	types, names, tuples, err := parseResourceArgs(q.args)
	if err != nil {
		return nil, err
	}
	types = expandCategories(types)
	labelSel, fieldSel := strings.TrimSpace(q.LabelSelector), strings.TrimSpace(q.FieldSelector)
	bare := q.listBare && len(tuples) == 0 && len(names) == 0 && len(types) > 0
	switch {
	case q.given():
		if len(types) > 0 {
			return nil, errors.New("when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well")
		}
		if len(tuples) > 0 {
			return nil, errors.New("resource/name arguments cannot be provided when a path is specified")
		}
		return e.resourcesFromFiles(sources, labelSel)
	case labelSel != "" || fieldSel != "" || q.selectAll || bare:
		if len(names) > 0 {
			return nil, errors.New("name cannot be provided when a selector is specified")
		}
		if len(tuples) > 0 {
			return nil, errors.New("selectors and the all flag cannot be used when passing resource/name arguments")
		}
		if len(types) == 0 {
			return nil, errors.New("at least one resource must be specified to use a selector")
		}
		return e.resourcesBySelector(types, q.AllNamespaces, labelSel, fieldSel)
	case len(tuples) > 0:
		return e.resourcesByName(tuples, q.AllNamespaces)
	case len(names) > 0:
		if len(types) > 1 {
			return nil, errors.New("you must specify only one resource")
		}
		var refs []typedName
		for _, n := range names {
			refs = append(refs, typedName{types[0], n})
		}
		return e.resourcesByName(refs, q.AllNamespaces)
	case len(types) > 0:
		if _, err := lookupResources(types); err != nil {
			return nil, err
		}
		return nil, errors.New("resource(s) were provided, but no name was specified")
	}
	return nil, errMissingResource
}

// allObjects is the builder's Infos() for a command that does nothing unless it finds every
// object its command line names: the objects, or the errors of those it could not find.
func (e *env) allObjects(q resourceRequest) ([]api.Object, error) {
	r, err := e.resources(q)
	if err != nil {
		return nil, err
	}
	objs, errs := r.objects()
	if len(errs) > 0 {
		return nil, asError(errs)
	}
	return objs, nil
}

// visit is the builder's Visit with ContinueOnError: fn runs for each object found, in the
// command line's order; the errors of objects that were not, and those fn returns, are
// gathered.
func (e *env) visit(q resourceRequest, fn func(info *resourceInfo) error) error {
	r, err := e.resources(q)
	if err != nil {
		return err
	}
	var errs []error
	for _, info := range r.infos {
		err := info.err
		if err == nil {
			err = fn(info)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}

// typedName is a `TYPE/NAME` argument, or a name with the type before it.
type typedName struct{ typ, name string }

// parseResourceArgs reads `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...` the way
// ResourceTypeOrNameArgs does: several types with names become TYPE/NAME pairs
// (`get pods,rc a` is pods/a and rc/a); otherwise the first argument holds the types and the
// rest are names.
func parseResourceArgs(args []string) (types, names []string, tuples []typedName, err error) {
	if len(args) >= 2 {
		if ts := splitResourceArgument(args[0]); len(ts) > 1 {
			var pairs []string
			for _, t := range ts {
				for _, n := range args[1:] {
					pairs = append(pairs, t+"/"+n)
				}
			}
			args = pairs
		}
	}
	slashes := 0
	for _, a := range args {
		if strings.Contains(a, "/") {
			slashes++
		}
	}
	switch {
	case slashes > 0 && slashes != len(args):
		return nil, nil, nil, errors.New("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
	case slashes > 0:
		for _, a := range args {
			seg := strings.Split(a, "/")
			if len(seg) != 2 {
				return nil, nil, nil, errors.New("arguments in resource/name form may not have more than one slash")
			}
			if seg[0] == "" || seg[1] == "" || len(splitResourceArgument(seg[0])) != 1 {
				return nil, nil, nil, errors.New("arguments in resource/name form must have a single resource and name")
			}
			tuples = append(tuples, typedName{seg[0], seg[1]})
		}
		return nil, nil, tuples, nil
	case len(args) > 0:
		return splitResourceArgument(args[0]), args[1:], nil, nil
	}
	return nil, nil, nil, nil
}

// splitResourceArgument splits `TYPE1,TYPE2` into its types, each once, in order.
func splitResourceArgument(arg string) []string {
	var out []string
	for _, s := range strings.Split(arg, ",") {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// allCategory is what `kubectl get all` expands to, in the order kubectl prints it.
var allCategory = []string{"pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets", "horizontalpodautoscalers", "cronjobs", "jobs"}

// expandCategories replaces the category `all` by its resources (the builder's
// ReplaceAliases); a TYPE/NAME argument is never a category.
func expandCategories(types []string) []string {
	var out []string
	for _, t := range types {
		if t == "all" {
			out = append(out, allCategory...)
			continue
		}
		out = append(out, t)
	}
	return out
}

// noResourceError is kubectl's answer to a resource type the server does not have.
type noResourceError struct{ typed string }

func (e *noResourceError) Error() string {
	return fmt.Sprintf("the server doesn't have a resource type %q", e.typed)
}

func lookupResource(typed string) (*api.Resource, error) {
	if r := api.LookupResource(typed); r != nil {
		return r, nil
	}
	if d := unservedResource(typed); d != nil {
		return nil, &notSimulatedError{d}
	}
	return nil, &noResourceError{typed}
}

// lookupResources maps types to resources, each resource once (`pods,po` is one).
func lookupResources(types []string) ([]*api.Resource, error) {
	var out []*api.Resource
	for _, t := range types {
		r, err := lookupResource(t)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// resourcesByName looks up named objects in the namespace (none for cluster-scoped ones).
func (e *env) resourcesByName(refs []typedName, allNamespaces bool) (*resourceResult, error) {
	r := &resourceResult{single: len(refs) == 1}
	// Every type is mapped before any object is looked up, as the builder does.
	res := make([]*api.Resource, len(refs))
	for i, t := range refs {
		var err error
		if res[i], err = lookupResource(t.typ); err != nil {
			return nil, err
		}
		if res[i].Namespaced && allNamespaces {
			return nil, errors.New("a resource cannot be retrieved by name across all namespaces")
		}
	}
	var kinds []*api.Resource
	for i, t := range refs {
		ref := objectRef{res[i], e.ns, t.name}
		if !ref.res.Namespaced {
			ref.namespace = ""
		}
		r.namespaced = r.namespaced || ref.res.Namespaced
		r.named = append(r.named, ref)
		r.infos = append(r.infos, e.lookup(ref))
		if !slices.Contains(kinds, ref.res) {
			kinds = append(kinds, ref.res)
		}
	}
	r.multiType = len(kinds) > 1
	return r, nil
}

// resourcesBySelector lists every object of the types that the selectors select, in the
// namespace or, with -A, in all of them.
func (e *env) resourcesBySelector(types []string, allNamespaces bool, labelSel, fieldSel string) (*resourceResult, error) {
	rs, err := lookupResources(types)
	if err != nil {
		return nil, err
	}
	r := &resourceResult{types: rs, multiType: len(rs) > 1}
	for _, res := range rs {
		r.namespaced = r.namespaced || res.Namespaced
		objs, err := e.list(res, allNamespaces, labelSel, fieldSel)
		if err != nil {
			r.infos = append(r.infos, &resourceInfo{objectRef: objectRef{res: res}, err: err})
			continue
		}
		for _, o := range objs {
			r.infos = append(r.infos, &resourceInfo{objectRef: objectRef{res, o.GetNamespace(), o.GetName()}, obj: o})
		}
	}
	return r, nil
}

// resourcesFromFiles looks up the objects the files name, each in its namespace, as they
// are stored now (the builder's Latest); -l keeps those whose labels it selects.
func (e *env) resourcesFromFiles(sources []source, labelSel string) (*resourceResult, error) {
	var sel labels.Selector
	if labelSel != "" {
		s, err := labels.Parse(labelSel)
		if err != nil {
			return nil, fmt.Errorf("the provided selector %q is not valid: %v", labelSel, err)
		}
		sel = s
	}
	r := &resourceResult{}
	var kinds []*api.Resource
	// Only the names and kinds count here: kubectl's builder reads the files as unstructured
	// objects, whatever fields they hold.
	e.decodeSources(sources, metav1.FieldValidationIgnore, func(f fileObject) {
		if f.err != nil {
			r.infos = append(r.infos, &resourceInfo{source: f.source, err: f.err})
			return
		}
		ref := objectRef{f.res, f.obj.GetNamespace(), f.obj.GetName()}
		if !ref.res.Namespaced {
			ref.namespace = ""
		}
		r.namespaced = r.namespaced || ref.res.Namespaced
		info := e.lookup(ref)
		info.source = f.source
		if sel != nil {
			seen := info.obj
			if seen == nil {
				seen = f.obj
			}
			if !sel.Matches(labels.Set(seen.GetLabels())) {
				return
			}
		}
		r.named = append(r.named, ref)
		r.infos = append(r.infos, info)
		if !slices.Contains(kinds, ref.res) {
			kinds = append(kinds, ref.res)
		}
	})
	r.multiType = len(kinds) > 1
	// One file (not a directory, not stdin) with one object names that object.
	r.single = len(sources) == 1 && !sources[0].stream && !sources[0].fromDir && len(r.named) == 1
	return r, nil
}

// lookup gets a named object as it is stored now.
func (e *env) lookup(ref objectRef) *resourceInfo {
	e.requested(ref.res)
	obj, err := e.c.Store.Get(ref.res, ref.namespace, ref.name)
	return &resourceInfo{objectRef: ref, obj: obj, err: err}
}

// selectors parses -l and --field-selector into store options, with the API server's error
// for a malformed selector.
func selectors(res *api.Resource, labelSel, fieldSel string) (store.ListOptions, error) {
	var opts store.ListOptions
	fail := func(err error) error {
		gvr := res.GroupVersionKind().GroupVersion().WithResource(res.Name)
		return apierrors.NewBadRequest(fmt.Sprintf("Unable to find %q that match label selector %q, field selector %q: %v",
			gvr.String(), labelSel, fieldSel, err))
	}
	if labelSel != "" {
		s, err := labels.Parse(labelSel)
		if err != nil {
			return opts, fail(err)
		}
		opts.Labels = s
	}
	if fieldSel != "" {
		s, err := fields.ParseSelector(fieldSel)
		if err != nil {
			return opts, fail(err)
		}
		opts.Fields = s
	}
	return opts, nil
}

// listNamespace is the namespace a list request covers: "" for -A.
func (e *env) listNamespace(allNamespaces bool) string {
	if allNamespaces {
		return ""
	}
	return e.ns
}

func (e *env) list(res *api.Resource, allNamespaces bool, labelSel, fieldSel string) ([]api.Object, error) {
	opts, err := selectors(res, labelSel, fieldSel)
	if err != nil {
		return nil, err
	}
	e.requested(res)
	return e.c.Store.List(res, e.listNamespace(allNamespaces), opts)
}

func (e *env) get(res *api.Resource, name string) (api.Object, error) {
	e.requested(res)
	return e.c.Store.Get(res, e.ns, name)
}

// noResourcesNamespace is the namespace named in "No resources found in X namespace.": none
// when only cluster-scoped types were asked for.
func (e *env) noResourcesNamespace(r *resourceResult) string {
	if r.namespaced {
		return e.ns
	}
	return ""
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	// slices.Sorted(maps.Keys): instances the wasm has already, not a loop per package and
	// value type.
	return slices.Sorted(maps.Keys(m))
}

// objectName is `kind.group/name` as kubectl's name printer writes it.
func objectName(obj api.Object) string {
	r := api.ResourceFor(obj)
	if r == nil {
		return obj.GetName()
	}
	return r.FullName() + "/" + obj.GetName()
}
