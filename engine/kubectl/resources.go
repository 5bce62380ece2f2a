package kubectl

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// noResourceError is kubectl's answer to a resource type the server does not have.
type noResourceError struct{ typed string }

func (e *noResourceError) Error() string {
	return fmt.Sprintf("the server doesn't have a resource type %q", e.typed)
}

func lookupResource(typed string) (*api.Resource, error) {
	if r := api.LookupResource(typed); r != nil {
		return r, nil
	}
	return nil, &noResourceError{typed}
}

// allCategory is what `kubectl get all` expands to, in the order kubectl prints it.
var allCategory = []string{"pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets", "cronjobs", "jobs"}

// request is a parsed resource argument list: either named objects, or whole types to list.
type request struct {
	named []namedRef
	types []*api.Resource
	// multiType is true when more than one type was asked for (or `all`): names print as
	// kind/name.
	multiType bool
}

type namedRef struct {
	res  *api.Resource
	name string
}

// single reports whether exactly one object was named (`get pod x`, `get pod/x`).
func (r *request) single() bool { return len(r.named) == 1 && len(r.types) == 0 }

func errNoSlashMix() error {
	return errors.New("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
}

// parseResourceArgs reads `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`.
func parseResourceArgs(args []string) (*request, error) {
	req := &request{}
	if len(args) == 0 {
		return req, nil
	}
	slash := false
	for _, a := range args {
		if strings.Contains(a, "/") {
			slash = true
		}
	}
	if slash {
		kinds := map[string]bool{}
		for _, a := range args {
			t, n, ok := strings.Cut(a, "/")
			if !ok {
				return nil, errNoSlashMix()
			}
			if n == "" {
				return nil, fmt.Errorf("arguments in resource/name form must have a single resource and name")
			}
			r, err := lookupResource(t)
			if err != nil {
				return nil, err
			}
			kinds[r.Name] = true
			req.named = append(req.named, namedRef{r, n})
		}
		req.multiType = len(kinds) > 1
		return req, nil
	}
	var types []*api.Resource
	for _, t := range strings.Split(args[0], ",") {
		if t == "" {
			continue
		}
		if t == "all" {
			for _, n := range allCategory {
				types = append(types, api.ResourceByName(n))
			}
			req.multiType = true
			continue
		}
		r, err := lookupResource(t)
		if err != nil {
			return nil, err
		}
		types = append(types, r)
	}
	if len(types) > 1 {
		req.multiType = true
	}
	if len(args) == 1 {
		req.types = types
		return req, nil
	}
	for _, r := range types {
		for _, n := range args[1:] {
			req.named = append(req.named, namedRef{r, n})
		}
	}
	return req, nil
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
	return e.c.Store.List(res, e.listNamespace(allNamespaces), opts)
}

func (e *env) get(res *api.Resource, name string) (api.Object, error) {
	return e.c.Store.Get(res, e.ns, name)
}

// resolve turns a request into objects in order; missing named objects become NotFound
// errors that the caller reports after the objects it found.
func (e *env) resolve(req *request, allNamespaces bool, labelSel, fieldSel string) ([]api.Object, []error) {
	var objs []api.Object
	var errs []error
	for _, n := range req.named {
		obj, err := e.get(n.res, n.name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		objs = append(objs, obj)
	}
	for _, r := range req.types {
		got, err := e.list(r, allNamespaces, labelSel, fieldSel)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		objs = append(objs, got...)
	}
	return objs, errs
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// objectName is `kind.group/name` as kubectl's name printer writes it.
func objectName(obj api.Object) string {
	r := api.ResourceFor(obj)
	if r == nil {
		return obj.GetName()
	}
	return r.FullName() + "/" + obj.GetName()
}
