package kubectl

import (
	"encoding/json"
	"errors"
	"fmt"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apierrors "k8s.io/apimachinery/pkg/api/equality"
	apierr "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/yaml"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/api/smp"
)

var patchCommand = &command{
	name:  "patch",
	short: "Update fields of a resource",
	usage: "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
	flags: []flagSpec{
		{name: "patch", short: "p", kind: stringFlag},
		{name: "patch-file", kind: stringFlag},
		{name: "type", kind: stringFlag, def: "strategic"},
		{name: "output", short: "o", kind: stringFlag},
		{name: "filename", short: "f", kind: sliceFlag},
		{name: "dry-run", kind: stringFlag, noOptDef: "unchanged", def: "none"},
	},
	run: runPatch,
}

func runPatch(e *env, args []string) error {
	patchText := e.fv.str("patch")
	if f := e.fv.str("patch-file"); f != "" {
		if patchText != "" {
			return fmt.Errorf("--patch and --patch-file are mutually exclusive")
		}
		s, err := e.readFile(f)
		if err != nil {
			return err
		}
		patchText = string(s.data)
	}
	if patchText == "" {
		return fmt.Errorf("must specify --patch or --patch-file containing the contents of the patch")
	}
	typ := e.fv.str("type")
	switch typ {
	case "json", "merge", "strategic":
	default:
		return fmt.Errorf("--type must be one of [json merge strategic], not %q", typ)
	}
	patch, err := yaml.YAMLToJSON([]byte(patchText))
	if err != nil {
		return fmt.Errorf("unable to parse %q: %v", patchText, err)
	}
	var objs []api.Object
	var errs []error
	if len(e.fv.list("filename")) > 0 {
		err := e.eachObject("patch", func(obj api.Object, res *api.Resource, _ string) error {
			cur, err := e.c.Store.Get(res, obj.GetNamespace(), obj.GetName())
			if err != nil {
				return err
			}
			objs = append(objs, cur)
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	} else {
		if len(args) == 0 {
			return &rawError{"error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"}
		}
		req, err := parseResourceArgs(args)
		if err != nil {
			return err
		}
		if len(req.types) > 0 {
			return fmt.Errorf("resource(s) were provided, but no name was specified")
		}
		var rerrs []error
		objs, rerrs = e.resolve(req, false, "", "")
		errs = append(errs, rerrs...)
	}
	for _, cur := range objs {
		if err := e.patchOne(cur, typ, patch); err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}

func (e *env) patchOne(cur api.Object, typ string, patch []byte) error {
	res := api.ResourceFor(cur)
	curJSON, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	var patched []byte
	switch typ {
	case "strategic":
		patched, err = smp.StrategicMergePatch(curJSON, patch, res.New())
	case "merge":
		patched, err = jsonpatch.MergePatch(curJSON, patch)
	case "json":
		var p jsonpatch.Patch
		p, err = jsonpatch.DecodePatch(patch)
		if err == nil {
			patched, err = p.Apply(curJSON)
		}
	}
	if err != nil {
		return apierr.NewBadRequest(err.Error())
	}
	next, err := decodeOne(patched)
	if err != nil {
		return err
	}
	if apierrors.Semantic.DeepEqual(next, cur) {
		return e.printResult(cur, "patched (no change)")
	}
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	if dry {
		return e.printResult(next, "patched (dry run)")
	}
	updated, err := e.updateObject(next, cur)
	if err != nil {
		return err
	}
	if apierrors.Semantic.DeepEqual(updated, cur) {
		return e.printResult(cur, "patched (no change)")
	}
	return e.printResult(updated, "patched")
}

// decodeOne decodes one object as the API server would: unknown fields and wrong types are
// a Bad Request. Status and the server-set deletion timestamp are not checked (status is
// ignored on update anyway).
func decodeOne(data []byte) (api.Object, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		yj, yerr := yaml.YAMLToJSON(data)
		if yerr != nil {
			return nil, apierr.NewBadRequest(yerr.Error())
		}
		data = yj
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, apierr.NewBadRequest(err.Error())
		}
	}
	if m == nil {
		return nil, apierr.NewBadRequest("Object 'Kind' is missing in 'null'")
	}
	delete(m, "status")
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "deletionTimestamp")
	}
	checked, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	docs := api.Decode(checked)
	if len(docs) != 1 {
		return nil, apierr.NewBadRequest("the object is not a single object")
	}
	d := docs[0]
	if d.Err != nil {
		var fe *api.FieldError
		if errors.As(d.Err, &fe) {
			return nil, apierr.NewBadRequest(d.Err.Error())
		}
		return nil, d.Err
	}
	obj := d.Resource.New()
	if err := json.Unmarshal(data, obj); err != nil {
		return nil, apierr.NewBadRequest(err.Error())
	}
	api.SetTypeMeta(obj)
	return obj, nil
}
