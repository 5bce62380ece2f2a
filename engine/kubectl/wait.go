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

type waitOptions struct {
	plainArgs
	resourceFlags
	For     string
	Timeout time.Duration
	Output  string

	cond      waitCondition
	forDelete bool
}

var waitCommand = &command{
	name:  "wait",
	short: "Experimental: Wait for a specific condition on one or many resources",
	usage: "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &waitOptions{}
		fs.String(&o.For, "for", "", "")
		fs.Duration(&o.Timeout, "timeout", "", 30*time.Second)
		o.addAll(fs)
		o.filenameFlags.add(fs)
		fs.String(&o.Output, "output", "o", "")
		o.addLabelSelector(fs)
		o.addFieldSelector(fs)
		o.addAllNamespaces(fs)
		return o
	},
}

// readOnly: wait moves virtual time.
func (o *waitOptions) readOnly() bool { return false }

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

func (o *waitOptions) validate(*env) error {
	if o.For == "" {
		return fmt.Errorf("--for must be specified")
	}
	var err error
	if o.cond, o.forDelete, err = parseWaitFor(o.For); err != nil {
		return err
	}
	if o.Timeout < 0 {
		// kubectl: a negative timeout means a week.
		o.Timeout = 7 * 24 * time.Hour
	}
	return nil
}

func (o *waitOptions) run(e *env) error {
	cond, forDelete, timeout := o.cond, o.forDelete, o.Timeout
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args, listBare: o.All})
	if err != nil {
		return err
	}
	objs, errs := r.objects()
	type target struct {
		res       *api.Resource
		ns, name  string
		uid       string
		alreadyOk bool
	}
	var targets []target
	for _, obj := range objs {
		targets = append(targets, target{api.ResourceFor(obj), obj.GetNamespace(), obj.GetName(), string(obj.GetUID()), false})
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
