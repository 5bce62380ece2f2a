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

type patchOptions struct {
	plainArgs
	resourceFlags
	Patch, PatchFile, Type, Output, DryRun, Subresource string

	patch []byte // the patch as JSON
}

var patchCommand = &command{
	name:  "patch",
	short: "Update fields of a resource",
	usage: "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &patchOptions{}
		fs.String(&o.Patch, "patch", "p", "")
		fs.String(&o.PatchFile, "patch-file", "", "")
		fs.String(&o.Type, "type", "", "strategic")
		fs.String(&o.Output, "output", "o", "")
		o.filenameFlags.add(fs)
		addDryRun(fs, &o.DryRun)
		fs.String(&o.Subresource, "subresource", "", "")
		return o
	},
}

func (o *patchOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

// patchSubresources are the subresources kubectl patch can address.
var patchSubresources = []string{"status", "scale"}

func (o *patchOptions) validate(e *env) error {
	patchText := o.Patch
	if f := o.PatchFile; f != "" {
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
	switch o.Type {
	case "json", "merge", "strategic":
	default:
		return fmt.Errorf("--type must be one of [json merge strategic], not %q", o.Type)
	}
	if sub := o.Subresource; sub != "" && !slices.Contains(patchSubresources, sub) {
		return fmt.Errorf("invalid subresource value: %q. Must be one of %v", sub, patchSubresources)
	}
	var err error
	if o.patch, err = yaml.YAMLToJSON([]byte(patchText)); err != nil {
		return fmt.Errorf("unable to parse %q: %v", patchText, err)
	}
	return nil
}

func (o *patchOptions) run(e *env) error {
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args})
	if err != nil {
		return err
	}
	objs, errs := r.objects()
	typ, patch := o.Type, o.patch
	for _, cur := range objs {
		var err error
		switch o.Subresource {
		case "status":
			err = o.patchStatus(e, cur, typ, patch)
		case "scale":
			err = o.patchScale(e, cur, typ, patch)
		default:
			err = o.patchOne(e, cur, typ, patch)
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

func (o *patchOptions) patchOne(e *env, cur api.Object, typ string, patch []byte) error {
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
	return o.finishPatch(e, cur, next, apierrors.Semantic.DeepEqual(next, cur), func() (api.Object, error) {
		return e.updateObject(next, cur)
	})
}

// finishPatch reports a patch as kubectl does: no change, a dry run, or the write of next
// (which may still find nothing to change).
func (o *patchOptions) finishPatch(e *env, cur, next api.Object, unchanged bool, write func() (api.Object, error)) error {
	if unchanged {
		return e.printResult(o.Output, cur, "patched (no change)")
	}
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	if dry {
		return e.printResult(o.Output, next, "patched (dry run)")
	}
	updated, err := write()
	if err != nil {
		return err
	}
	if updated == cur || apierrors.Semantic.DeepEqual(updated, cur) {
		return e.printResult(o.Output, cur, "patched (no change)")
	}
	return e.printResult(o.Output, updated, "patched")
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
func (o *patchOptions) patchStatus(e *env, cur api.Object, typ string, patch []byte) error {
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
	return o.finishPatch(e, cur, next, bytes.Equal(before, after), func() (api.Object, error) {
		return e.api.UpdateStatus(next, apiserver.UpdateOptions{})
	})
}

// patchScale patches the scale subresource: the patch applies to the object's
// autoscaling/v1 Scale, whose spec.replicas then becomes the object's.
func (o *patchOptions) patchScale(e *env, cur api.Object, typ string, patch []byte) error {
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
		return e.printScale(o.Output, scale, "patched (no change)")
	}
	if next.Spec.Replicas < 0 {
		return apierr.NewInvalid(schema.GroupKind{Group: "autoscaling", Kind: "Scale"}, cur.GetName(), field.ErrorList{
			field.Invalid(field.NewPath("spec", "replicas"), next.Spec.Replicas, "must be greater than or equal to 0"),
		})
	}
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	if dry {
		scale.Spec.Replicas = next.Spec.Replicas
		return e.printScale(o.Output, scale, "patched (dry run)")
	}
	obj := cur.DeepCopyObject().(api.Object)
	*replicasOf(obj) = &next.Spec.Replicas
	updated, err := e.updateObject(obj, cur)
	if err != nil {
		return err
	}
	scale, _ = scaleOf(updated)
	return e.printScale(o.Output, scale, "patched")
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
func (e *env) printScale(output string, s *autoscalingv1.Scale, operation string) error {
	switch o := output; o {
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
