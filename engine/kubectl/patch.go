package kubectl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/equality"
	apierr "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/api/smp"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
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
		{name: "subresource", kind: stringFlag},
	},
	run: runPatch,
}

// patchSubresources are the subresources kubectl patch can address.
var patchSubresources = []string{"status", "scale"}

func runPatch(e *env, args []string) error {
	patchText := e.fv.str("patch")
	if f := e.fv.str("patch-file"); f != "" {
		if patchText != "" {
			return fmt.Errorf("cannot specify --patch and --patch-file together")
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
	sub := e.fv.str("subresource")
	if sub != "" && !slices.Contains(patchSubresources, sub) {
		return fmt.Errorf("invalid subresource value: %q. Must be one of %v", sub, patchSubresources)
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
		var err error
		switch sub {
		case "status":
			err = e.patchStatus(cur, typ, patch)
		case "scale":
			err = e.patchScale(cur, typ, patch)
		default:
			err = e.patchOne(cur, typ, patch)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}

// applyPatch applies a patch of type typ to the JSON of an object; schema (a value of the
// object's Go type) drives the strategic merge.
func applyPatch(doc []byte, typ string, patch []byte, schema any) ([]byte, error) {
	var patched []byte
	var err error
	switch typ {
	case "strategic":
		patched, err = smp.StrategicMergePatch(doc, patch, schema)
	case "merge":
		patched, err = jsonpatch.MergePatch(doc, patch)
	case "json":
		var p jsonpatch.Patch
		p, err = jsonpatch.DecodePatch(patch)
		if err == nil {
			patched, err = p.Apply(doc)
		}
	}
	if err != nil {
		return nil, apierr.NewBadRequest(err.Error())
	}
	return patched, nil
}

func (e *env) patchOne(cur api.Object, typ string, patch []byte) error {
	res := api.ResourceFor(cur)
	curJSON, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	patched, err := applyPatch(curJSON, typ, patch, res.New())
	if err != nil {
		return err
	}
	next, err := decodeOne(patched)
	if err != nil {
		return err
	}
	return e.finishPatch(cur, next, apierrors.Semantic.DeepEqual(next, cur), func() (api.Object, error) {
		return e.updateObject(next, cur)
	})
}

// finishPatch reports a patch as kubectl does: no change, a dry run, or the write of next
// (which may still find nothing to change).
func (e *env) finishPatch(cur, next api.Object, unchanged bool, write func() (api.Object, error)) error {
	if unchanged {
		return e.printResult(cur, "patched (no change)")
	}
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	if dry {
		return e.printResult(next, "patched (dry run)")
	}
	updated, err := write()
	if err != nil {
		return err
	}
	if updated == cur || apierrors.Semantic.DeepEqual(updated, cur) {
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

// patchStatus patches the status subresource, as `kubectl patch --subresource=status`
// does: the API server applies the patch to the whole object and keeps only the status of
// the result (the status strategy puts the stored spec back), which goes through the
// store's UpdateStatus. kubetab's status subresource keeps the stored metadata too.
// Conditions merge by type under a strategic merge patch (patchMergeKey "type").
func (e *env) patchStatus(cur api.Object, typ string, patch []byte) error {
	curStatus := apiserver.StatusOf(cur)
	if curStatus == nil {
		return subresourceNotFound()
	}
	curJSON, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	patched, err := applyPatch(curJSON, typ, patch, api.ResourceFor(cur).New())
	if err != nil {
		return err
	}
	next, err := decodeOne(patched)
	if err != nil {
		return err
	}
	nextStatus := apiserver.StatusOf(next)
	// Compared as the API server would, serialized: the stored object may carry instants
	// finer than the second that JSON keeps.
	before, err := json.Marshal(curStatus)
	if err != nil {
		return err
	}
	after, err := json.Marshal(nextStatus)
	if err != nil {
		return err
	}
	return e.finishPatch(cur, next, bytes.Equal(before, after), func() (api.Object, error) {
		return e.api.UpdateStatus(next, apiserver.UpdateOptions{})
	})
}

// patchScale patches the scale subresource: the patch applies to the object's
// autoscaling/v1 Scale, whose spec.replicas then becomes the object's.
func (e *env) patchScale(cur api.Object, typ string, patch []byte) error {
	scale, ok := scaleOf(cur)
	if !ok {
		return subresourceNotFound()
	}
	doc, err := json.Marshal(scale)
	if err != nil {
		return err
	}
	patched, err := applyPatch(doc, typ, patch, &autoscalingv1.Scale{})
	if err != nil {
		return err
	}
	next := &autoscalingv1.Scale{}
	if err := json.Unmarshal(patched, next); err != nil {
		return apierr.NewBadRequest(err.Error())
	}
	if next.Spec.Replicas == scale.Spec.Replicas {
		return e.printScale(scale, "patched (no change)")
	}
	if next.Spec.Replicas < 0 {
		return apierr.NewInvalid(schema.GroupKind{Group: "autoscaling", Kind: "Scale"}, cur.GetName(), field.ErrorList{
			field.Invalid(field.NewPath("spec", "replicas"), next.Spec.Replicas, "must be greater than or equal to 0"),
		})
	}
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	if dry {
		scale.Spec.Replicas = next.Spec.Replicas
		return e.printScale(scale, "patched (dry run)")
	}
	obj := cur.DeepCopyObject().(api.Object)
	*replicasOf(obj) = &next.Spec.Replicas
	updated, err := e.updateObject(obj, cur)
	if err != nil {
		return err
	}
	scale, _ = scaleOf(updated)
	return e.printScale(scale, "patched")
}

// scaleOf is the autoscaling/v1 Scale the API server shows for a scalable object.
func scaleOf(obj api.Object) (*autoscalingv1.Scale, bool) {
	rp := replicasOf(obj)
	if rp == nil {
		return nil, false
	}
	s := &autoscalingv1.Scale{
		TypeMeta: metav1.TypeMeta{APIVersion: "autoscaling/v1", Kind: "Scale"},
		ObjectMeta: metav1.ObjectMeta{
			Name: obj.GetName(), Namespace: obj.GetNamespace(), UID: obj.GetUID(),
			ResourceVersion: obj.GetResourceVersion(), CreationTimestamp: obj.GetCreationTimestamp(),
		},
		Spec: autoscalingv1.ScaleSpec{Replicas: 1},
	}
	if *rp != nil {
		s.Spec.Replicas = **rp
	}
	var sel *metav1.LabelSelector
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		s.Status.Replicas = o.Status.Replicas
		s.Status.Selector = labels.SelectorFromSet(o.Spec.Selector).String()
	case *appsv1.ReplicaSet:
		s.Status.Replicas, sel = o.Status.Replicas, o.Spec.Selector
	case *appsv1.Deployment:
		s.Status.Replicas, sel = o.Status.Replicas, o.Spec.Selector
	}
	if sel != nil {
		if ls, err := metav1.LabelSelectorAsSelector(sel); err == nil {
			s.Status.Selector = ls.String()
		}
	}
	return s, true
}

// printScale prints a Scale as kubectl does (`scale.autoscaling/NAME patched`).
func (e *env) printScale(s *autoscalingv1.Scale, operation string) error {
	switch o := e.fv.str("output"); o {
	case "":
		e.out("scale.autoscaling/%s %s\n", s.Name, operation)
		return nil
	case "name":
		e.out("scale.autoscaling/%s\n", s.Name)
		return nil
	default:
		return printers.PrintObjects(e.io.Out, []api.Object{s}, o, true)
	}
}
