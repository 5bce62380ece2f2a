package kubectl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/util/jsonpath"

	"github.com/kubetab/kubetab/engine/api"
)

var waitCommand = &command{
	name:  "wait",
	short: "Experimental: Wait for a specific condition on one or many resources",
	usage: "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
	flags: append([]flagSpec{
		{name: "for", kind: stringFlag},
		{name: "timeout", kind: durationFlag, def: "30s"},
		{name: "all", kind: boolFlag},
		{name: "filename", short: "f", kind: sliceFlag},
		{name: "output", short: "o", kind: stringFlag},
	}, selectorFlags...),
	run: runWait,
}

// waitCondition tells whether an object (nil when it does not exist) satisfies --for.
type waitCondition func(obj api.Object) bool

func parseWaitFor(s string) (waitCondition, bool, error) {
	switch {
	case s == "delete":
		return func(obj api.Object) bool { return obj == nil }, true, nil
	case s == "create":
		return func(obj api.Object) bool { return obj != nil }, false, nil
	case strings.HasPrefix(s, "condition="):
		spec := strings.TrimPrefix(s, "condition=")
		name, want, ok := strings.Cut(spec, "=")
		if !ok {
			want = "true"
		}
		if name == "" {
			return nil, false, fmt.Errorf("condition name cannot be empty")
		}
		return func(obj api.Object) bool {
			if obj == nil {
				return false
			}
			for _, c := range conditionsOf(obj) {
				if strings.EqualFold(c.typ, name) && strings.EqualFold(c.status, want) {
					return true
				}
			}
			return false
		}, false, nil
	case strings.HasPrefix(s, "jsonpath="):
		spec := strings.TrimPrefix(s, "jsonpath=")
		spec = strings.Trim(spec, "'")
		expr, want, hasValue := spec, "", false
		if end := strings.LastIndex(spec, "}"); end >= 0 && end+1 < len(spec) && spec[end+1] == '=' {
			expr, want, hasValue = spec[:end+1], spec[end+2:], true
		}
		expr = strings.Trim(expr, "'")
		want = strings.Trim(want, "'\"")
		jp := jsonpath.New("wait").AllowMissingKeys(true)
		if err := jp.Parse(expr); err != nil {
			return nil, false, fmt.Errorf("unrecognized condition: %q", s)
		}
		return func(obj api.Object) bool {
			if obj == nil {
				return false
			}
			b, err := json.Marshal(obj)
			if err != nil {
				return false
			}
			var data any
			if json.Unmarshal(b, &data) != nil {
				return false
			}
			results, err := jp.FindResults(data)
			if err != nil || len(results) == 0 || len(results[0]) == 0 {
				return false
			}
			if !hasValue {
				return true
			}
			var buf bytes.Buffer
			if err := jp.PrintResults(&buf, results[0]); err != nil {
				return false
			}
			return buf.String() == want
		}, false, nil
	}
	return nil, false, fmt.Errorf("unrecognized condition: %q", s)
}

type condition struct{ typ, status string }

// conditionsOf reads status.conditions of any object generically.
func conditionsOf(obj api.Object) []condition {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	var v struct {
		Status struct {
			Conditions []struct {
				Type   string `json:"type"`
				Status string `json:"status"`
			} `json:"conditions"`
		} `json:"status"`
	}
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	var out []condition
	for _, c := range v.Status.Conditions {
		out = append(out, condition{c.Type, c.Status})
	}
	return out
}

func runWait(e *env, args []string) error {
	forSpec := e.fv.str("for")
	if forSpec == "" {
		return fmt.Errorf("--for must be specified")
	}
	cond, forDelete, err := parseWaitFor(forSpec)
	if err != nil {
		return err
	}
	timeout := e.fv.duration("timeout")
	if timeout < 0 {
		// kubectl: a negative timeout means a week.
		timeout = 7 * 24 * time.Hour
	}
	if len(args) == 0 && len(e.fv.list("filename")) == 0 {
		return &rawError{"error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"}
	}
	var objs []api.Object
	var errs []error
	var req *request
	if len(e.fv.list("filename")) > 0 {
		req = &request{}
		if err := e.eachObject("wait", func(obj api.Object, res *api.Resource, _ string) error {
			req.named = append(req.named, namedRef{res, obj.GetName()})
			return nil
		}); err != nil {
			return err
		}
	} else {
		req, err = parseResourceArgs(args)
		if err != nil {
			return err
		}
	}
	labelSel, fieldSel := e.fv.str("selector"), e.fv.str("field-selector")
	if len(req.types) > 0 && !e.fv.boolean("all") && labelSel == "" && fieldSel == "" {
		return fmt.Errorf("resource(s) were provided, but no name was specified")
	}
	objs, errs = e.resolve(req, e.fv.boolean("all-namespaces"), labelSel, fieldSel)
	type target struct {
		res       *api.Resource
		ns, name  string
		uid       string
		alreadyOk bool
	}
	var targets []target
	for _, o := range objs {
		targets = append(targets, target{api.ResourceFor(o), o.GetNamespace(), o.GetName(), string(o.GetUID()), false})
	}
	// A named object that does not exist yet: --for=delete is already met; otherwise
	// kubectl reports it missing.
	var kept []error
	for _, err := range errs {
		if apierrors.IsNotFound(err) && forDelete {
			continue
		}
		kept = append(kept, err)
	}
	errs = kept
	if len(errs) > 0 {
		return asError(errs)
	}
	if len(targets) == 0 {
		if forDelete {
			return nil
		}
		return fmt.Errorf("no matching resources found")
	}
	for _, t := range targets {
		current := func() api.Object {
			o, err := e.c.Store.Get(t.res, t.ns, t.name)
			if err != nil {
				return nil
			}
			if forDelete && string(o.GetUID()) != t.uid {
				return nil
			}
			return o
		}
		ok, err := e.c.RunUntil(e.c.Now().Add(timeout), func() bool { return cond(current()) })
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("timed out waiting for the condition on %s/%s", t.res.Name, t.name)
		}
		e.out("%s/%s condition met\n", t.res.FullName(), t.name)
	}
	return nil
}
