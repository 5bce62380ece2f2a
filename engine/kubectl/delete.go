package kubectl

import (
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

// DeleteWaitLimit bounds how much virtual time `kubectl delete` (which waits for the objects
// to be gone, as kubectl does by default) may let pass. kubectl itself waits up to a week.
const DeleteWaitLimit = 10 * time.Minute

var deleteCommand = &command{
	name:  "delete",
	short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
	usage: "delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [options]",
	flags: append([]flagSpec{
		{name: "filename", short: "f", kind: sliceFlag},
		{name: "recursive", short: "R", kind: boolFlag},
		{name: "all", kind: boolFlag},
		{name: "cascade", kind: stringFlag, noOptDef: "background", def: "background"},
		{name: "grace-period", kind: intFlag, def: "-1"},
		{name: "now", kind: boolFlag},
		{name: "force", kind: boolFlag},
		{name: "wait", kind: boolFlag, def: "true"},
		{name: "timeout", kind: durationFlag, def: "0s"},
		{name: "ignore-not-found", kind: boolFlag},
		{name: "output", short: "o", kind: stringFlag},
		{name: "dry-run", kind: stringFlag, noOptDef: "unchanged", def: "none"},
	}, selectorFlags...),
	run: runDelete,
}

// deleteNow are the options of an immediate delete.
func deleteNow() apiserver.DeleteOptions {
	zero := int64(0)
	return apiserver.DeleteOptions{GracePeriodSeconds: &zero}
}

func parseCascade(e *env) (metav1.DeletionPropagation, error) {
	switch v := e.fv.str("cascade"); v {
	case "background":
		return metav1.DeletePropagationBackground, nil
	case "foreground":
		return metav1.DeletePropagationForeground, nil
	case "orphan":
		return metav1.DeletePropagationOrphan, nil
	case "true":
		e.errf("warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n")
		return metav1.DeletePropagationBackground, nil
	case "false":
		e.errf("warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n")
		return metav1.DeletePropagationOrphan, nil
	default:
		return "", fmt.Errorf("invalid cascade value (%v). Must be \"background\", \"foreground\", or \"orphan\"", v)
	}
}

type deleted struct {
	res      *api.Resource
	ns, name string
	uid      types.UID
}

func runDelete(e *env, args []string) error {
	cascade, err := parseCascade(e)
	if err != nil {
		return err
	}
	grace := int(e.fv.integer("grace-period"))
	force := e.fv.boolean("force")
	if e.fv.boolean("now") {
		if grace != -1 {
			return fmt.Errorf("--now and --grace-period cannot be specified together")
		}
		grace = 1
	}
	if grace == 0 && !force {
		// kubectl turns --grace-period=0 into 1 unless --force is given.
		grace = 1
	}
	if force && grace < 0 {
		grace = 0
	}
	if o := e.fv.str("output"); o != "" && o != "name" {
		return fmt.Errorf("unexpected -o output mode: %v. We only support '-o name'", o)
	}
	labelSel, fieldSel := e.fv.str("selector"), e.fv.str("field-selector")
	deleteAll := e.fv.boolean("all")
	if deleteAll && labelSel != "" {
		return fmt.Errorf("cannot set --all and --selector at the same time")
	}
	if deleteAll && fieldSel != "" {
		return fmt.Errorf("cannot set --all and --field-selector at the same time")
	}
	switch {
	case grace == 0 && force:
		e.errf("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n")
	case grace > 0 && force:
		return fmt.Errorf("--force and --grace-period greater than 0 cannot be specified together")
	}
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	ignoreNotFound := e.fv.boolean("ignore-not-found")
	if (deleteAll || labelSel != "" || fieldSel != "") && !e.fv.isSet("ignore-not-found") {
		ignoreNotFound = true
	}

	var targets []api.Object
	var errs []error
	if files := e.fv.list("filename"); len(files) > 0 {
		if len(args) > 0 {
			return e.usageError("Unexpected args: %v", args)
		}
		err := e.eachObject("delete", func(obj api.Object, res *api.Resource, src string) error {
			cur, err := e.c.Store.Get(res, obj.GetNamespace(), obj.GetName())
			if err != nil {
				if apierrors.IsNotFound(err) && ignoreNotFound {
					return nil
				}
				return addSource("deleting", src, err)
			}
			targets = append(targets, cur)
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
		if len(req.named) > 0 && (labelSel != "" || fieldSel != "" || deleteAll) {
			return fmt.Errorf("name cannot be provided when a selector is specified")
		}
		if len(req.types) > 0 && !deleteAll && labelSel == "" && fieldSel == "" {
			return fmt.Errorf("resource(s) were provided, but no name was specified")
		}
		objs, rerrs := e.resolve(req, e.fv.boolean("all-namespaces"), labelSel, fieldSel)
		targets = objs
		for _, err := range rerrs {
			if apierrors.IsNotFound(err) && ignoreNotFound {
				continue
			}
			errs = append(errs, err)
		}
	}

	var gone []deleted
	for _, obj := range targets {
		res := api.ResourceFor(obj)
		opts := apiserver.DeleteOptions{PropagationPolicy: &cascade}
		if grace >= 0 {
			g := int64(grace)
			opts.GracePeriodSeconds = &g
		}
		if !dry {
			if _, err := e.api.Delete(res, obj.GetNamespace(), obj.GetName(), opts); err != nil {
				if apierrors.IsNotFound(err) && ignoreNotFound {
					continue
				}
				errs = append(errs, err)
				continue
			}
		}
		e.printDeleted(res, obj, grace, dry)
		gone = append(gone, deleted{res, obj.GetNamespace(), obj.GetName(), obj.GetUID()})
	}
	if len(targets) == 0 && len(errs) == 0 {
		e.out("No resources found\n")
		return nil
	}
	if err := e.c.Settle(); err != nil {
		return err
	}
	if e.fv.boolean("wait") && !dry && len(gone) > 0 {
		limit := DeleteWaitLimit
		if t := e.fv.duration("timeout"); t > 0 && t < limit {
			limit = t
		}
		isGone := func() bool {
			for _, d := range gone {
				if e.stillThere(d) {
					return false
				}
			}
			return true
		}
		ok, err := e.c.RunUntil(e.c.Now().Add(limit), isGone)
		if err != nil {
			return err
		}
		if !ok {
			for _, d := range gone {
				if e.stillThere(d) {
					errs = append(errs, fmt.Errorf("timed out waiting for the condition on %s/%s", d.res.Name, d.name))
					break
				}
			}
		}
	}
	return asError(errs)
}

func (e *env) printDeleted(res *api.Resource, obj api.Object, grace int, dry bool) {
	if e.fv.str("output") == "name" {
		e.out("%s/%s\n", res.FullName(), obj.GetName())
		return
	}
	op := "deleted"
	if grace == 0 {
		op = "force deleted"
	}
	// kubectl ≥ 1.34 names the namespace of namespaced objects.
	if res.Namespaced {
		op += " from " + obj.GetNamespace() + " namespace"
	}
	if dry {
		op += " (dry run)"
	}
	e.out("%s %q %s\n", res.FullName(), obj.GetName(), op)
}

func (e *env) stillThere(d deleted) bool {
	o, err := e.c.Store.Get(d.res, d.ns, d.name)
	return err == nil && o.GetUID() == d.uid
}
