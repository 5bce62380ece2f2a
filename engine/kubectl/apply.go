package kubectl

import (
	"encoding/json"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/api/smp"
)

// manifestFlags are the flags of apply, create and replace, whose files hold the objects
// to write.
type manifestFlags struct {
	filenameFlags
	Output, Validate, DryRun string
}

func (m *manifestFlags) add(fs *flagSet) {
	m.filenameFlags.add(fs)
	fs.String(&m.Output, "output", "o", "")
	fs.String(&m.Validate, "validate", "", "strict").noOpt("true")
	addDryRun(fs, &m.DryRun)
}

// fieldValidation is --validate as the API server's fieldValidation: what it does with
// unknown fields (refuse, warn and drop, drop).
func fieldValidation(validate string) (string, error) {
	switch strings.ToLower(validate) {
	case "strict", "true":
		return metav1.FieldValidationStrict, nil
	case "warn":
		return metav1.FieldValidationWarn, nil
	case "ignore", "false":
		return metav1.FieldValidationIgnore, nil
	}
	return "", fmt.Errorf("invalid - validate option %q; must be one of: strict (or true), warn, ignore (or false)", validate)
}

type applyOptions struct {
	plainArgs
	manifestFlags
	Overwrite, ServerSide, Force, Prune bool
}

var applyCommand = &command{
	name:  "apply",
	short: "Apply a configuration to a resource by file name or stdin",
	usage: "apply (-f FILENAME | -k DIRECTORY) [options]",
	options: func(fs *flagSet) commandOptions {
		o := &applyOptions{}
		fs.Bool(&o.Overwrite, "overwrite", "", true)
		fs.Bool(&o.ServerSide, "server-side", "", false)
		fs.Bool(&o.Force, "force", "", false)
		fs.Bool(&o.Prune, "prune", "", false)
		o.manifestFlags.add(fs)
		return o
	},
}

func (o *applyOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *applyOptions) validate(e *env) error {
	if len(o.args) > 0 {
		return e.usageError("Unexpected args: %v", o.args)
	}
	if o.ServerSide {
		return fmt.Errorf("kubetab does not support server-side apply yet; drop --server-side")
	}
	return nil
}

func (o *applyOptions) run(e *env) error {
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	return e.eachObject("apply", &o.manifestFlags, func(obj api.Object, res *api.Resource, src string) error {
		return o.applyOne(e, obj, res, src, dry)
	})
}

const lastAppliedAnnotation = corev1.LastAppliedConfigAnnotation

// applyOne is client-side apply of one object: create it with the last-applied annotation,
// or patch the live object with a three-way strategic merge of (last applied, file, live).
func (o *applyOptions) applyOne(e *env, obj api.Object, res *api.Resource, src string, dry bool) error {
	if obj.GetName() == "" {
		if g := obj.GetGenerateName(); g != "" {
			return fmt.Errorf("from %s: cannot use generate name with apply", g)
		}
		return addSource("retrieving current configuration of", src, fmt.Errorf("resource name may not be empty"))
	}
	modified, err := setLastApplied(obj)
	if err != nil {
		return err
	}
	e.requested(res)
	current, err := e.c.Store.Get(res, obj.GetNamespace(), obj.GetName())
	if apierrors.IsNotFound(err) {
		if dry {
			return e.printResult(o.Output, obj, "created (dry run)")
		}
		created, err := e.createObject(obj)
		if err != nil {
			return addSource("creating", src, err)
		}
		return e.printResult(o.Output, created, "created")
	}
	if err != nil {
		return err
	}
	if _, ok := current.GetAnnotations()[lastAppliedAnnotation]; !ok {
		e.errf("Warning: resource %s/%s is missing the %s annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
			res.Name, obj.GetName(), lastAppliedAnnotation)
	}
	next, err := applyPatched(current, modified, res)
	if err != nil {
		return addSource("applying patch", src, err)
	}
	if next == nil {
		return e.printResult(o.Output, current, "unchanged")
	}
	if dry {
		return e.printResult(o.Output, next, "configured (dry run)")
	}
	updated, err := e.updateObject(next, current)
	if err != nil {
		return addSource("applying patch", src, err)
	}
	return e.printResult(o.Output, updated, "configured")
}

// applyPatched is the live object after client-side apply's patch: the three-way strategic
// merge of (last applied, modified, live) applied to live; nil when the patch is empty.
func applyPatched(current api.Object, modified []byte, res *api.Resource) (api.Object, error) {
	var original []byte
	if a, ok := current.GetAnnotations()[lastAppliedAnnotation]; ok {
		original = []byte(a)
	}
	currentJSON, err := json.Marshal(current)
	if err != nil {
		return nil, err
	}
	patch, err := smp.CreateThreeWayMergePatch(original, modified, currentJSON, res.New(), true)
	if err != nil || string(patch) == "{}" {
		return nil, err
	}
	patched, err := smp.StrategicMergePatch(currentJSON, patch, res.New())
	if err != nil {
		return nil, err
	}
	next := res.New()
	if err := json.Unmarshal(patched, next); err != nil {
		return nil, err
	}
	return next, nil
}

// setLastApplied stores the object's own configuration in the last-applied annotation, as
// kubectl's GetModifiedConfiguration does, and returns the object's JSON with it (the
// "modified" side of the three-way merge).
func setLastApplied(obj api.Object) ([]byte, error) {
	ann := obj.GetAnnotations()
	delete(ann, lastAppliedAnnotation)
	if len(ann) == 0 {
		obj.SetAnnotations(nil)
	}
	cfg, err := configurationJSON(obj)
	if err != nil {
		return nil, err
	}
	ann = obj.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[lastAppliedAnnotation] = string(cfg) + "\n"
	obj.SetAnnotations(ann)
	return configurationJSON(obj)
}

// configurationJSON is the object as a user would have written it: the typed object's JSON
// without status and without the empty structs and nulls that Go types add.
func configurationJSON(obj api.Object) ([]byte, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	pruneEmpty(m)
	// kubectl removes the annotation from a possibly empty map and encodes what is left, so
	// the stored configuration always carries "annotations":{}.
	if md, ok := m["metadata"].(map[string]any); ok {
		if _, ok := md["annotations"]; !ok {
			md["annotations"] = map[string]any{}
		}
	}
	return json.Marshal(m)
}

func pruneEmpty(m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			delete(m, k)
		case float64:
			// A Service port's targetPort is an IntOrString, whose zero value Go writes as 0
			// where the user wrote nothing (0 means "the port" too): without this, applying
			// the same Service again would say "configured".
			if k == "targetPort" && x == 0 {
				delete(m, k)
			}
		case map[string]any:
			pruneEmpty(x)
			if len(x) == 0 {
				delete(m, k)
			}
		case []any:
			for _, it := range x {
				if mm, ok := it.(map[string]any); ok {
					pruneEmpty(mm)
				}
			}
		}
	}
}

func (o *createOptions) createFiles(e *env) error {
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	return e.eachObject("create", &o.manifestFlags, func(obj api.Object, res *api.Resource, src string) error {
		if o.SaveConfig {
			if _, err := setLastApplied(obj); err != nil {
				return err
			}
		}
		if dry {
			return e.printResult(o.Output, obj, "created (dry run)")
		}
		created, err := e.createObject(obj)
		if err != nil {
			return addSource("creating", src, err)
		}
		return e.printResult(o.Output, created, "created")
	})
}

type replaceOptions struct {
	plainArgs
	manifestFlags
	Force, SaveConfig bool
}

var replaceCommand = &command{
	name:  "replace",
	short: "Replace a resource by file name or stdin",
	usage: "replace -f FILENAME [options]",
	options: func(fs *flagSet) commandOptions {
		o := &replaceOptions{}
		fs.Bool(&o.Force, "force", "", false)
		fs.Bool(&o.SaveConfig, "save-config", "", false)
		o.manifestFlags.add(fs)
		return o
	},
}

// readOnly: replace writes even with --dry-run, which kubetab's replace does not honour yet.
func (o *replaceOptions) readOnly() bool { return false }

func (o *replaceOptions) validate(e *env) error {
	if len(o.args) > 0 {
		return e.usageError("Unexpected args: %v", o.args)
	}
	return nil
}

func (o *replaceOptions) run(e *env) error {
	return e.eachObject("replace", &o.manifestFlags, func(obj api.Object, res *api.Resource, src string) error {
		e.requested(res)
		current, err := e.c.Store.Get(res, obj.GetNamespace(), obj.GetName())
		if err != nil {
			return addSource("replacing", src, err)
		}
		if o.Force {
			if _, err := e.api.Delete(res, obj.GetNamespace(), obj.GetName(), deleteNow()); err != nil {
				return addSource("replacing", src, err)
			}
			e.out("%s \"%s\" deleted\n", res.FullName(), obj.GetName())
			obj.SetResourceVersion("")
			obj.SetUID("")
			created, err := e.createObject(obj)
			if err != nil {
				return addSource("replacing", src, err)
			}
			return e.printResult(o.Output, created, "replaced")
		}
		if o.SaveConfig {
			if _, err := setLastApplied(obj); err != nil {
				return err
			}
		}
		updated, err := e.updateObject(obj, current)
		if err != nil {
			return addSource("replacing", src, err)
		}
		return e.printResult(o.Output, updated, "replaced")
	})
}
