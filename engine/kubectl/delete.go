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

type deleteOptions struct {
	plainArgs
	resourceFlags
	Cascade                          string
	GracePeriod                      int
	Now, Force, Wait, IgnoreNotFound bool
	Timeout                          time.Duration
	Output, DryRun                   string

	ignoreNotFound *flag
	// Completed from the flags.
	cascade metav1.DeletionPropagation
	dry     bool
	result  *resourceResult
}

var deleteCommand = &command{
	name:  "delete",
	short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
	usage: "delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [options]",
	options: func(fs *flagSet) commandOptions {
		o := &deleteOptions{}
		o.filenameFlags.add(fs)
		o.addAll(fs)
		fs.String(&o.Cascade, "cascade", "", "background").noOpt("background")
		fs.Int(&o.GracePeriod, "grace-period", "", -1)
		fs.Bool(&o.Now, "now", "", false)
		fs.Bool(&o.Force, "force", "", false)
		fs.Bool(&o.Wait, "wait", "", true)
		fs.Duration(&o.Timeout, "timeout", "", 0)
		o.ignoreNotFound = fs.Bool(&o.IgnoreNotFound, "ignore-not-found", "", false)
		fs.String(&o.Output, "output", "o", "")
		addDryRun(fs, &o.DryRun)
		o.addLabelSelector(fs)
		o.addFieldSelector(fs)
		o.addAllNamespaces(fs)
		return o
	},
}

func (o *deleteOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

// deleteNow are the options of an immediate delete.
func deleteNow() apiserver.DeleteOptions {
	zero := int64(0)
	return apiserver.DeleteOptions{GracePeriodSeconds: &zero}
}

func parseCascade(e *env, v string) (metav1.DeletionPropagation, error) {
	switch v {
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

func (o *deleteOptions) complete(e *env, args []string) error {
	o.args = args
	var err error
	if o.cascade, err = parseCascade(e, o.Cascade); err != nil {
		return err
	}
	if o.Now {
		if o.GracePeriod != -1 {
			return fmt.Errorf("--now and --grace-period cannot be specified together")
		}
		o.GracePeriod = 1
	}
	if o.GracePeriod == 0 && !o.Force {
		// kubectl turns --grace-period=0 into 1 unless --force is given.
		o.GracePeriod = 1
	}
	if o.Force && o.GracePeriod < 0 {
		o.GracePeriod = 0
	}
	if (o.All || o.LabelSelector != "" || o.FieldSelector != "") && !o.ignoreNotFound.changed {
		o.IgnoreNotFound = true
	}
	return nil
}

func (o *deleteOptions) validate(e *env) error {
	if o.Output != "" && o.Output != "name" {
		return fmt.Errorf("unexpected -o output mode: %v. We only support '-o name'", o.Output)
	}
	if o.All && o.LabelSelector != "" {
		return fmt.Errorf("cannot set --all and --selector at the same time")
	}
	if o.All && o.FieldSelector != "" {
		return fmt.Errorf("cannot set --all and --field-selector at the same time")
	}
	switch {
	case o.GracePeriod == 0 && o.Force:
		e.errf("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n")
	case o.GracePeriod > 0 && o.Force:
		return fmt.Errorf("--force and --grace-period greater than 0 cannot be specified together")
	}
	var err error
	if o.dry, err = dryRunClient(o.DryRun); err != nil {
		return err
	}
	o.result, err = e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args, selectAll: o.All})
	return err
}

func (o *deleteOptions) run(e *env) error {
	var targets []api.Object
	var errs []error
	// named counts what kubectl's delete visits: every object named (it deletes by name
	// without looking first) and every one listed. Only when it visited nothing does it say
	// "No resources found" (--all in an empty namespace, not a missing name).
	named := 0
	for _, info := range o.result.infos {
		switch {
		case info.err == nil:
			targets = append(targets, info.obj)
		case apierrors.IsNotFound(info.err) && o.IgnoreNotFound:
			// Nothing to delete, and no error to report.
			named++
		case info.res != nil:
			// kubectl's delete of an object a file names fails with the file's name.
			errs = append(errs, addSource("deleting", info.source, info.err))
		default:
			errs = append(errs, info.err)
		}
	}
	grace, dry := o.GracePeriod, o.dry

	var gone []deleted
	for _, obj := range targets {
		res := api.ResourceFor(obj)
		opts := apiserver.DeleteOptions{PropagationPolicy: &o.cascade}
		if grace >= 0 {
			g := int64(grace)
			opts.GracePeriodSeconds = &g
		}
		if !dry {
			if _, err := e.api.Delete(res, obj.GetNamespace(), obj.GetName(), opts); err != nil {
				if apierrors.IsNotFound(err) && o.IgnoreNotFound {
					continue
				}
				errs = append(errs, err)
				continue
			}
		}
		o.printDeleted(e, res, obj)
		gone = append(gone, deleted{res, obj.GetNamespace(), obj.GetName(), obj.GetUID()})
	}
	if len(targets) == 0 && len(errs) == 0 && named == 0 {
		e.out("No resources found\n")
		return nil
	}
	if err := e.c.Settle(); err != nil {
		return err
	}
	if o.Wait && !dry && len(gone) > 0 {
		limit := DeleteWaitLimit
		if t := o.Timeout; t > 0 && t < limit {
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

func (o *deleteOptions) printDeleted(e *env, res *api.Resource, obj api.Object) {
	grace, dry := o.GracePeriod, o.dry
	if o.Output == "name" {
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
