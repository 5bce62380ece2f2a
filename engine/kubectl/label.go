package kubectl

import (
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubetab/kubetab/engine/api"
)

// metadataOptions are label's and annotate's.
type metadataOptions struct {
	resourceFlags
	Overwrite, List                 bool
	ResourceVersion, Output, DryRun string

	// pairType is "label" or "annotation".
	pairType string
	// Completed from the arguments.
	resources []string
	set       map[string]string
	remove    []string
}

func newMetadataOptions(fs *flagSet, pairType string) commandOptions {
	o := &metadataOptions{pairType: pairType}
	fs.Bool(&o.Overwrite, "overwrite", "", false)
	o.addAll(fs)
	fs.Bool(&o.List, "list", "", false)
	fs.String(&o.ResourceVersion, "resource-version", "", "")
	fs.String(&o.Output, "output", "o", "")
	addDryRun(fs, &o.DryRun)
	o.filenameFlags.add(fs)
	o.addLabelSelector(fs)
	o.addFieldSelector(fs)
	o.addAllNamespaces(fs)
	return o
}

var labelCommand = &command{
	name:    "label",
	short:   "Update the labels on a resource",
	usage:   "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
	options: func(fs *flagSet) commandOptions { return newMetadataOptions(fs, "label") },
}

var annotateCommand = &command{
	name:    "annotate",
	short:   "Update the annotations on a resource",
	usage:   "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
	options: func(fs *flagSet) commandOptions { return newMetadataOptions(fs, "annotation") },
}

// readOnly: --list only prints.
func (o *metadataOptions) readOnly() bool { return o.List || !dryRunWrites(o.DryRun) }

// resourcesAndPairs separates `TYPE NAME...` from `key=value key-` arguments, as kubectl's
// GetResourcesAndPairs does.
func resourcesAndPairs(args []string, pairType string) (resources, pairs []string, err error) {
	for _, s := range args {
		isPair := strings.Contains(s, "=") && s[0] != '=' || s != "-" && strings.HasSuffix(s, "-")
		switch {
		case isPair:
			pairs = append(pairs, s)
		case len(pairs) == 0:
			resources = append(resources, s)
		default:
			return nil, nil, fmt.Errorf("all resources must be specified before %s changes: %s", pairType, s)
		}
	}
	return resources, pairs, nil
}

// parseLabels reads label's `key=value` and `key-` arguments as kubectl label does: values
// are checked here, before any object is looked up.
func parseLabels(pairs []string) (set map[string]string, remove []string, err error) {
	set = map[string]string{}
	for _, p := range pairs {
		if strings.Contains(p, "=") {
			kv := strings.Split(p, "=")
			if len(kv) != 2 {
				return nil, nil, fmt.Errorf("invalid label spec: %v", p)
			}
			if errs := validation.IsValidLabelValue(kv[1]); len(errs) != 0 {
				return nil, nil, fmt.Errorf("invalid label value: %q: %s", p, strings.Join(errs, ";"))
			}
			set[kv[0]] = kv[1]
		} else {
			remove = append(remove, strings.TrimSuffix(p, "-"))
		}
	}
	for _, r := range remove {
		if _, ok := set[r]; ok {
			return nil, nil, fmt.Errorf("can not both modify and remove a label in the same command")
		}
	}
	return set, remove, nil
}

// parseAnnotations reads annotate's arguments as kubectl's ParsePairs and annotate do.
func parseAnnotations(pairs []string) (set map[string]string, remove []string, err error) {
	set = map[string]string{}
	for _, p := range pairs {
		if k, v, ok := strings.Cut(p, "="); ok {
			set[k] = v
		} else {
			remove = append(remove, strings.TrimSuffix(p, "-"))
		}
	}
	var both []string
	for _, r := range remove {
		if _, ok := set[r]; ok {
			both = append(both, r)
		}
	}
	if len(both) > 0 {
		return nil, nil, fmt.Errorf("can not both modify and remove the following annotation(s) in the same command: %s", strings.Join(both, ", "))
	}
	return set, remove, nil
}

func (o *metadataOptions) complete(_ *env, args []string) error {
	var pairs []string
	var err error
	o.resources, pairs, err = resourcesAndPairs(args, o.pairType)
	if err != nil {
		return err
	}
	if o.pairType == "label" {
		o.set, o.remove, err = parseLabels(pairs)
	} else {
		o.set, o.remove, err = parseAnnotations(pairs)
	}
	return err
}

func (o *metadataOptions) validate(*env) error {
	if o.List && o.Output != "" {
		return fmt.Errorf("--list and --output may not be specified together")
	}
	if o.All && o.LabelSelector != "" {
		return fmt.Errorf("cannot set --all and --selector at the same time")
	}
	if o.All && o.FieldSelector != "" {
		return fmt.Errorf("cannot set --all and --field-selector at the same time")
	}
	if len(o.resources) == 0 && !o.given() {
		return fmt.Errorf("one or more resources must be specified as <resource> <name> or <resource>/<name>")
	}
	if len(o.set) == 0 && len(o.remove) == 0 && !o.List {
		return fmt.Errorf("at least one %s update is required", o.pairType)
	}
	return nil
}

func (o *metadataOptions) run(e *env) error {
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.resources, listBare: o.All})
	if err != nil {
		return err
	}
	if !r.single && o.ResourceVersion != "" {
		return fmt.Errorf("--resource-version may only be used with a single resource")
	}
	objs, errs := r.objects()
	if len(objs) == 0 && len(errs) == 0 {
		return fmt.Errorf("no objects passed to %s", e.cmd.name)
	}
	// kubectl's builder continues on error: every object is tried, and the errors come at
	// the end (one alone as `error: ...`, several one a line).
	for _, cur := range objs {
		if err := o.updateMetadata(e, cur); err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}

func (o *metadataOptions) updateMetadata(e *env, cur api.Object) error {
	pairType, set, remove, overwrite := o.pairType, o.set, o.remove, o.Overwrite
	get, put := api.Object.GetLabels, api.Object.SetLabels
	if pairType == "annotation" {
		get, put = api.Object.GetAnnotations, api.Object.SetAnnotations
	}
	if o.List {
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
	if rv := o.ResourceVersion; rv != "" {
		obj.SetResourceVersion(rv)
	}
	changed := !reflect.DeepEqual(nilIfEmpty(old), m)
	result := cur
	dry, err := dryRunClient(o.DryRun)
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
		op = labelChangeMessage(old, set, remove)
	}
	if dry {
		op += " (dry run)"
	}
	return e.printResult(o.Output, result, op)
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// labelChangeMessage is kubectl label's verb for what the command changed (kubectl v1.37's
// updateDataChangeMsg): "labeled" when it added or changed a value, "unlabeled" when it
// removed a label, "modified" when both, "not labeled" when neither.
func labelChangeMessage(old, set map[string]string, remove []string) string {
	added, removed := false, false
	for k, v := range set {
		if cur, found := old[k]; !found || cur != v {
			added = true
		}
	}
	for _, k := range remove {
		if _, found := old[k]; found {
			removed = true
		}
	}
	switch {
	case added && removed:
		return "modified"
	case added:
		return "labeled"
	case removed:
		return "unlabeled"
	}
	return "not labeled"
}
