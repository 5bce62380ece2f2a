package kubectl

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubetab/kubetab/engine/api"
)

// `kubectl taint nodes NAME... KEY[=VALUE]:EFFECT[-] | KEY-`: taints to add or remove on
// nodes, read and applied as kubectl v1.37 does (its messages, the order it keeps, what it
// calls the change: tainted, untainted or modified).
type taintOptions struct {
	plainArgs
	Selector, Output, DryRun string
	All, Overwrite           bool
}

var taintCommand = &command{
	name:  "taint",
	short: "Update the taints on one or more nodes",
	usage: "taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]",
	options: func(fs *flagSet) commandOptions {
		o := &taintOptions{}
		fs.String(&o.Selector, "selector", "l", "")
		fs.String(&o.Output, "output", "o", "")
		fs.Bool(&o.All, "all", "", false)
		fs.Bool(&o.Overwrite, "overwrite", "", false)
		addDryRun(fs, &o.DryRun)
		return o
	},
}

func (o *taintOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

// taintSpec is one taint argument: a taint to add, or one to remove (Effect "" removes the
// key's taints of every effect).
type taintSpec = corev1.Taint

func (o *taintOptions) run(e *env) error {
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	var resources, specs []string
	for _, a := range o.args {
		isTaint := strings.Contains(a, "=") || strings.Contains(a, ":") || strings.HasSuffix(a, "-")
		switch {
		case isTaint:
			specs = append(specs, a)
		case len(specs) > 0:
			return fmt.Errorf("all resources must be specified before taint changes: %s", a)
		default:
			resources = append(resources, a)
		}
	}
	if len(resources) < 1 {
		return fmt.Errorf("one or more resources must be specified as <resource> <name>")
	}
	if len(specs) < 1 {
		return fmt.Errorf("at least one taint update is required")
	}
	add, remove, err := parseTaints(specs)
	if err != nil {
		return e.usageError("%s", err)
	}
	nodes := api.ResourceByName("nodes")
	if r, err := lookupResource(resources[0]); err != nil || r != nodes {
		return fmt.Errorf("invalid resource type %s, only node types are supported", strings.ToLower(resources[0]))
	}
	var conflicts []string
	for _, a := range add {
		for _, r := range remove {
			if a.Key == r.Key && (r.Effect == "" || a.Effect == r.Effect) {
				conflicts = append(conflicts, r.Key+"="+string(r.Effect))
			}
		}
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("can not both modify and remove the following taint(s) in the same command: %s", strings.Join(conflicts, ", "))
	}

	var objs []api.Object
	var errs []error
	switch {
	case o.Selector != "" || o.All:
		if objs, err = e.list(nodes, true, o.Selector, ""); err != nil {
			return err
		}
	default:
		for _, name := range resources[1:] {
			obj, err := e.c.Store.Get(nodes, "", name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			objs = append(objs, obj)
		}
	}
	for _, obj := range objs {
		n := obj.(*corev1.Node)
		next := n.DeepCopy()
		operation, err := o.retaint(next, add, remove)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		result := api.Object(next)
		if !dry {
			if result, err = e.updateObject(next, n); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if err := e.printResult(o.Output, result, operation); err != nil {
			return err
		}
	}
	return asError(errs)
}

// retaint changes node's taints as kubectl's updateTaints does: the added taints first,
// then the node's other taints, less the removed ones.
func (o *taintOptions) retaint(node *corev1.Node, add, remove []taintSpec) (string, error) {
	old := node.Spec.Taints
	if !o.Overwrite {
		var exists []string
		for _, a := range add {
			for _, t := range old {
				if a.MatchTaint(&t) {
					exists = append(exists, a.Key)
					break
				}
			}
		}
		if len(exists) > 0 {
			return "", fmt.Errorf("node %s already has %s taint(s) with same effect(s) and --overwrite is false", node.Name, strings.Join(exists, ","))
		}
	}
	taints := append([]corev1.Taint{}, add...)
	for _, t := range old {
		kept := true
		for _, a := range taints {
			if a.MatchTaint(&t) {
				kept = false
				break
			}
		}
		if kept {
			taints = append(taints, t)
		}
	}
	added := len(old) != len(taints)
	var errs []error
	deleted := false
	for _, r := range remove {
		before := len(taints)
		taints = slices.DeleteFunc(taints, func(t corev1.Taint) bool {
			return t.Key == r.Key && (r.Effect == "" || t.Effect == r.Effect)
		})
		// kubectl reports the last removal's outcome, not whether any removal happened.
		deleted = len(taints) != before
		if !deleted {
			errs = append(errs, fmt.Errorf("taint %q not found", r.ToString()))
		}
	}
	if len(errs) > 0 {
		return "", asError(errs)
	}
	if len(taints) == 0 {
		taints = nil
	}
	node.Spec.Taints = taints
	switch {
	case added && deleted || o.Overwrite:
		return "modified", nil
	case added:
		return "tainted", nil
	}
	return "untainted", nil
}

// parseTaints reads taint arguments: KEY=VALUE:EFFECT or KEY:EFFECT to add; the same, or
// KEY, with a final "-" to remove.
func parseTaints(specs []string) (add, remove []taintSpec, err error) {
	seen := map[string]bool{}
	for _, s := range specs {
		if trimmed, ok := strings.CutSuffix(s, "-"); ok {
			t, err := parseTaint(trimmed)
			if err != nil {
				return nil, nil, err
			}
			remove = append(remove, taintSpec{Key: t.Key, Effect: t.Effect})
			continue
		}
		t, err := parseTaint(s)
		if err != nil {
			return nil, nil, err
		}
		if t.Effect == "" {
			return nil, nil, fmt.Errorf("invalid taint spec: %v", s)
		}
		if id := t.Key + ":" + string(t.Effect); seen[id] {
			return nil, nil, fmt.Errorf("duplicated taints with the same key and effect: {%s %s %s <nil>}", t.Key, t.Value, t.Effect)
		} else {
			seen[id] = true
		}
		add = append(add, t)
	}
	return add, remove, nil
}

func parseTaint(s string) (taintSpec, error) {
	var t taintSpec
	parts := strings.Split(s, ":")
	switch len(parts) {
	case 1:
		t.Key = parts[0]
	case 2:
		t.Effect = corev1.TaintEffect(parts[1])
		switch t.Effect {
		case corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		default:
			return t, fmt.Errorf("invalid taint effect: %v, unsupported taint effect", t.Effect)
		}
		kv := strings.Split(parts[0], "=")
		if len(kv) > 2 {
			return t, fmt.Errorf("invalid taint spec: %v", s)
		}
		t.Key = kv[0]
		if len(kv) == 2 {
			t.Value = kv[1]
			if errs := validation.IsValidLabelValue(t.Value); len(errs) > 0 {
				return t, fmt.Errorf("invalid taint spec: %v, %s", s, strings.Join(errs, "; "))
			}
		}
	default:
		return t, fmt.Errorf("invalid taint spec: %v", s)
	}
	if errs := validation.IsQualifiedName(t.Key); len(errs) > 0 {
		return t, fmt.Errorf("invalid taint spec: %v, %s", s, strings.Join(errs, "; "))
	}
	return t, nil
}
