package kubectl

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/yaml"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/api/smp"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
)

var fileFlags = []flagSpec{
	{name: "filename", short: "f", kind: sliceFlag},
	{name: "recursive", short: "R", kind: boolFlag},
	{name: "output", short: "o", kind: stringFlag},
	{name: "validate", kind: stringFlag, noOptDef: "true", def: "strict"},
	{name: "dry-run", kind: stringFlag, noOptDef: "unchanged", def: "none"},
}

var applyCommand = &command{
	name:  "apply",
	short: "Apply a configuration to a resource by file name or stdin",
	usage: "apply (-f FILENAME | -k DIRECTORY) [options]",
	flags: append([]flagSpec{
		{name: "overwrite", kind: boolFlag, def: "true"},
		{name: "server-side", kind: boolFlag},
		{name: "force", kind: boolFlag},
		{name: "prune", kind: boolFlag},
	}, fileFlags...),
	run: runApply,
}

var replaceCommand = &command{
	name:  "replace",
	short: "Replace a resource by file name or stdin",
	usage: "replace -f FILENAME [options]",
	flags: append([]flagSpec{{name: "force", kind: boolFlag}, {name: "save-config", kind: boolFlag}}, fileFlags...),
	run:   runReplace,
}

// source is one input of -f: a file, a file of a directory, or stdin.
type source struct {
	name string
	data []byte
}

func isURL(p string) bool { return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") }

// readSources reads every -f argument; a missing path fails the whole command before
// anything is applied, as kubectl's builder does.
func (e *env) readSources(paths []string) ([]source, error) {
	var out []source
	for _, p := range paths {
		if p == "-" {
			s := ""
			if e.io.Stdin != nil {
				s = *e.io.Stdin
			}
			if len(s) > MaxFileSize {
				return nil, fmt.Errorf("the input from STDIN is larger than kubetab's limit of 1 MiB")
			}
			out = append(out, source{"STDIN", []byte(s)})
			continue
		}
		if e.io.ListDir != nil && !isURL(p) {
			if names, err := e.io.ListDir(p); err == nil {
				sort.Strings(names)
				for _, n := range names {
					switch path.Ext(n) {
					case ".yaml", ".yml", ".json":
					default:
						continue
					}
					full := n
					if !strings.HasPrefix(n, p) {
						full = strings.TrimSuffix(p, "/") + "/" + n
					}
					s, err := e.readFile(full)
					if err != nil {
						return nil, err
					}
					out = append(out, s)
				}
				continue
			}
		}
		s, err := e.readFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (e *env) readFile(p string) (source, error) {
	if e.io.ReadFile == nil {
		return source{}, fmt.Errorf("the path %q does not exist", p)
	}
	data, err := e.io.ReadFile(p)
	if err != nil {
		if isURL(p) {
			return source{}, fmt.Errorf("unable to read URL %q: %v", p, err)
		}
		return source{}, fmt.Errorf("the path %q does not exist", p)
	}
	if len(data) > MaxFileSize {
		return source{}, fmt.Errorf("the file %q is larger than kubetab's limit of 1 MiB (%d bytes)", p, len(data))
	}
	return source{p, data}, nil
}

// eachObject decodes every document of the -f inputs and calls fn for each object that
// decoded. Errors of single documents are collected and returned with fn's errors, so one bad
// document does not stop the others.
func (e *env) eachObject(verb string, fn func(obj api.Object, res *api.Resource, src string) error) error {
	paths := e.fv.list("filename")
	if len(paths) == 0 {
		return fmt.Errorf("must specify one of -f and -k")
	}
	sources, err := e.readSources(paths)
	if err != nil {
		return err
	}
	var errs []error
	seen := 0
	for _, s := range sources {
		for _, d := range api.Decode(s.data) {
			seen++
			for _, w := range d.Warnings {
				if !strings.HasPrefix(w, "Warning: ") {
					w = "Warning: " + w
				}
				e.errf("%s\n", w)
			}
			if d.Err != nil {
				errs = append(errs, documentError(d, s))
				continue
			}
			obj := d.Object
			if d.Resource.Namespaced {
				ns := obj.GetNamespace()
				if e.nsSet && ns != "" && ns != e.ns {
					//lint:ignore ST1005 kubectl's own message, as it prints it
					errs = append(errs, fmt.Errorf("the namespace from the provided object %q does not match the namespace %q. You must pass '--namespace=%s' to perform this operation.", ns, e.ns, ns))
					continue
				}
				if ns == "" {
					obj.SetNamespace(e.ns)
				}
			}
			if err := fn(obj, d.Resource, s.name); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if seen == 0 && len(errs) == 0 {
		return fmt.Errorf("no objects passed to %s", verb)
	}
	return asError(errs)
}

// documentError words a document that could not be decoded as kubectl does for each kind
// of failure.
func documentError(d api.Document, s source) error {
	var syn *api.SyntaxError
	var missing *api.MissingTypeError
	var nomatch *api.NoMatchError
	var field *api.FieldError
	switch {
	case errors.As(d.Err, &syn):
		return fmt.Errorf("error parsing %s: %v", s.name, d.Err)
	case errors.As(d.Err, &missing):
		return fmt.Errorf("error validating %q: %v; if you choose to ignore these errors, turn validation off with --validate=false", s.name, d.Err)
	case errors.As(d.Err, &nomatch):
		name, ns := documentMeta(s.data, d.Line)
		return fmt.Errorf("resource mapping not found for name: %q namespace: %q from %q: %v\nensure CRDs are installed first", name, ns, s.name, d.Err)
	case errors.As(d.Err, &field):
		return addSource("creating", s.name, apierrors.NewBadRequest(d.Err.Error()))
	}
	return fmt.Errorf("error parsing %s: %v", s.name, d.Err)
}

// documentMeta reads metadata.name and namespace of the document starting at line, for
// messages about documents whose kind is unknown.
func documentMeta(data []byte, line int) (name, namespace string) {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return "", ""
	}
	var doc []string
	for _, l := range lines[line-1:] {
		if strings.HasPrefix(l, "---") {
			break
		}
		doc = append(doc, l)
	}
	var m struct {
		Metadata struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if yaml.Unmarshal([]byte(strings.Join(doc, "\n")), &m) != nil {
		return "", ""
	}
	return m.Metadata.Name, m.Metadata.Namespace
}

// printResult writes `kind/name operation`, or the object in the -o format.
func (e *env) printResult(obj api.Object, operation string) error {
	switch o := e.fv.str("output"); o {
	case "":
		e.out("%s %s\n", objectName(obj), operation)
		return nil
	default:
		return printers.PrintObjects(e.io.Out, []api.Object{obj}, o, true)
	}
}

func (e *env) dryRunClient() (bool, error) {
	switch v := e.fv.str("dry-run"); v {
	case "none", "false", "":
		return false, nil
	case "client", "true":
		return true, nil
	case "server":
		return false, fmt.Errorf("kubetab does not support --dry-run=server; use --dry-run=client")
	default:
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return false, fmt.Errorf("Invalid dry-run value (%s). Must be \"none\", \"server\", or \"client\".", v)
	}
}

func runApply(e *env, args []string) error {
	if len(args) > 0 {
		return e.usageError("Unexpected args: %v", args)
	}
	if e.fv.boolean("server-side") {
		return fmt.Errorf("kubetab does not support server-side apply yet; drop --server-side")
	}
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	return e.eachObject("apply", func(obj api.Object, res *api.Resource, src string) error {
		return e.applyOne(obj, res, src, dry)
	})
}

const lastAppliedAnnotation = corev1.LastAppliedConfigAnnotation

// applyOne is client-side apply of one object: create it with the last-applied annotation,
// or patch the live object with a three-way strategic merge of (last applied, file, live).
func (e *env) applyOne(obj api.Object, res *api.Resource, src string, dry bool) error {
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
	current, err := e.c.Store.Get(res, obj.GetNamespace(), obj.GetName())
	if apierrors.IsNotFound(err) {
		if dry {
			return e.printResult(obj, "created (dry run)")
		}
		created, err := e.createObject(obj)
		if err != nil {
			return addSource("creating", src, err)
		}
		return e.printResult(created, "created")
	}
	if err != nil {
		return err
	}
	if _, ok := current.GetAnnotations()[lastAppliedAnnotation]; !ok {
		e.errf("Warning: resource %s/%s is missing the %s annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
			res.Name, obj.GetName(), lastAppliedAnnotation)
	}
	var original []byte
	if a, ok := current.GetAnnotations()[lastAppliedAnnotation]; ok {
		original = []byte(a)
	}
	currentJSON, err := json.Marshal(current)
	if err != nil {
		return err
	}
	patch, err := smp.CreateThreeWayMergePatch(original, modified, currentJSON, res.New(), true)
	if err != nil {
		return addSource("applying patch", src, err)
	}
	if string(patch) == "{}" {
		return e.printResult(current, "unchanged")
	}
	patched, err := smp.StrategicMergePatch(currentJSON, patch, res.New())
	if err != nil {
		return addSource("applying patch", src, err)
	}
	next := res.New()
	if err := json.Unmarshal(patched, next); err != nil {
		return addSource("applying patch", src, err)
	}
	if dry {
		return e.printResult(next, "configured (dry run)")
	}
	updated, err := e.updateObject(next, current)
	if err != nil {
		return addSource("applying patch", src, err)
	}
	return e.printResult(updated, "configured")
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

var createFlags = append([]flagSpec{
	{name: "save-config", kind: boolFlag},
	{name: "image", kind: stringFlag},
	{name: "from", kind: stringFlag},
	{name: "edit", kind: boolFlag},
}, fileFlags...)

func runCreateFiles(e *env) error {
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	return e.eachObject("create", func(obj api.Object, res *api.Resource, src string) error {
		if e.fv.boolean("save-config") {
			if _, err := setLastApplied(obj); err != nil {
				return err
			}
		}
		if dry {
			return e.printResult(obj, "created (dry run)")
		}
		created, err := e.createObject(obj)
		if err != nil {
			return addSource("creating", src, err)
		}
		return e.printResult(created, "created")
	})
}

func runReplace(e *env, args []string) error {
	if len(args) > 0 {
		return e.usageError("Unexpected args: %v", args)
	}
	return e.eachObject("replace", func(obj api.Object, res *api.Resource, src string) error {
		current, err := e.c.Store.Get(res, obj.GetNamespace(), obj.GetName())
		if err != nil {
			return addSource("replacing", src, err)
		}
		if e.fv.boolean("force") {
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
			return e.printResult(created, "replaced")
		}
		if e.fv.boolean("save-config") {
			if _, err := setLastApplied(obj); err != nil {
				return err
			}
		}
		updated, err := e.updateObject(obj, current)
		if err != nil {
			return addSource("replacing", src, err)
		}
		return e.printResult(updated, "replaced")
	})
}
