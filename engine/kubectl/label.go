package kubectl

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/kubetab/kubetab/engine/api"
)

var metadataFlags = append([]flagSpec{
	{name: "overwrite", kind: boolFlag},
	{name: "all", kind: boolFlag},
	{name: "list", kind: boolFlag},
	{name: "resource-version", kind: stringFlag},
	{name: "output", short: "o", kind: stringFlag},
	{name: "dry-run", kind: stringFlag, noOptDef: "unchanged", def: "none"},
}, selectorFlags...)

var labelCommand = &command{
	name:  "label",
	short: "Update the labels on a resource",
	usage: "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
	flags: metadataFlags,
	run:   func(e *env, args []string) error { return runMetadata(e, args, "label") },
}

var annotateCommand = &command{
	name:  "annotate",
	short: "Update the annotations on a resource",
	usage: "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
	flags: metadataFlags,
	run:   func(e *env, args []string) error { return runMetadata(e, args, "annotation") },
}

// splitPairs separates `TYPE NAME...` from `key=value key-` arguments, as kubectl's
// GetResourcesAndPairs does.
func splitPairs(args []string, pairType string) (resources []string, set map[string]string, remove []string, err error) {
	first := true
	set = map[string]string{}
	for _, s := range args {
		isPair := strings.Contains(s, "=") || (s != "-" && strings.HasSuffix(s, "-"))
		switch {
		case isPair:
			first = false
			if k, v, ok := strings.Cut(s, "="); ok {
				if k == "" {
					return nil, nil, nil, fmt.Errorf("invalid %s format: %s", pairType, s)
				}
				set[k] = v
			} else {
				remove = append(remove, strings.TrimSuffix(s, "-"))
			}
		case first:
			resources = append(resources, s)
		default:
			return nil, nil, nil, fmt.Errorf("all resources must be specified before %s changes: %s", pairType, s)
		}
	}
	for _, r := range remove {
		if _, ok := set[r]; ok {
			return nil, nil, nil, fmt.Errorf("can not both modify and remove the following %s(s) in the same command: %s", pairType, r)
		}
	}
	return resources, set, remove, nil
}

func runMetadata(e *env, args []string, pairType string) error {
	resources, set, remove, err := splitPairs(args, pairType)
	if err != nil {
		return err
	}
	if len(resources) == 0 {
		return &rawError{fmt.Sprintf("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl %s -h' for help and examples\n", e.cmd.name)}
	}
	if len(set) == 0 && len(remove) == 0 && !e.fv.boolean("list") {
		return fmt.Errorf("at least one %s update is required", pairType)
	}
	req, err := parseResourceArgs(resources)
	if err != nil {
		return err
	}
	labelSel, fieldSel := e.fv.str("selector"), e.fv.str("field-selector")
	all := e.fv.boolean("all")
	if len(req.types) > 0 && !all && labelSel == "" && fieldSel == "" {
		return fmt.Errorf("resource(s) were provided, but no name was specified")
	}
	objs, errs := e.resolve(req, e.fv.boolean("all-namespaces"), labelSel, fieldSel)
	if len(objs) == 0 && len(errs) == 0 {
		return fmt.Errorf("no objects passed to %s", e.cmd.name)
	}
	overwrite := e.fv.boolean("overwrite")
	for _, cur := range objs {
		if err := e.updateMetadata(cur, pairType, set, remove, overwrite); err != nil {
			errs = append(errs, err)
			// kubectl stops at the first object that fails.
			break
		}
	}
	return asError(errs)
}

func (e *env) updateMetadata(cur api.Object, pairType string, set map[string]string, remove []string, overwrite bool) error {
	get, put := api.Object.GetLabels, api.Object.SetLabels
	if pairType == "annotation" {
		get, put = api.Object.GetAnnotations, api.Object.SetAnnotations
	}
	if e.fv.boolean("list") {
		m := get(cur)
		for _, k := range sortedKeys(m) {
			e.out("%s=%s\n", k, m[k])
		}
		return nil
	}
	old := get(cur)
	if !overwrite {
		var errs []error
		for _, k := range sortedKeys(set) {
			v, found := old[k]
			if pairType == "label" && found && v != set[k] {
				errs = append(errs, fmt.Errorf("'%s' already has a value (%s), and --overwrite is false", k, v))
			}
			if pairType == "annotation" && found {
				errs = append(errs, fmt.Errorf("--overwrite is false but found the following declared annotation(s): '%s' already has a value (%s)", k, v))
				break
			}
		}
		if len(errs) > 0 {
			return asError(errs)
		}
	}
	obj := cur.DeepCopyObject().(api.Object)
	m := map[string]string{}
	for k, v := range old {
		m[k] = v
	}
	for k, v := range set {
		m[k] = v
	}
	for _, k := range remove {
		if _, found := m[k]; !found && pairType == "label" {
			e.out("label %q not found.\n", k)
		}
		delete(m, k)
	}
	if len(m) == 0 {
		m = nil
	}
	put(obj, m)
	if rv := e.fv.str("resource-version"); rv != "" {
		obj.SetResourceVersion(rv)
	}
	changed := !reflect.DeepEqual(nilIfEmpty(old), m)
	result := cur
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	if changed && !dry {
		result, err = e.updateObject(obj, cur)
		if err != nil {
			return err
		}
	} else if dry {
		result = obj
	}
	op := "annotated"
	if pairType == "label" {
		op = "not labeled"
		if changed {
			op = "labeled"
			if !overwrite && len(m) < len(old) {
				op = "unlabeled"
			}
		}
	}
	if dry {
		op += " (dry run)"
	}
	return e.printResult(result, op)
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
