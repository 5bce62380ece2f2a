package kubectl

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

type scaleOptions struct {
	plainArgs
	resourceFlags
	Replicas, CurrentReplicas int
	ResourceVersion           string
	Output, DryRun            string
	Timeout                   time.Duration
}

var scaleCommand = &command{
	name:  "scale",
	short: "Set a new size for a deployment, replica set, or replication controller",
	usage: "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
	options: func(fs *flagSet) commandOptions {
		o := &scaleOptions{}
		fs.Int(&o.Replicas, "replicas", "", -1)
		fs.Int(&o.CurrentReplicas, "current-replicas", "", -1)
		fs.String(&o.ResourceVersion, "resource-version", "", "")
		o.addAll(fs)
		fs.String(&o.Output, "output", "o", "")
		addDryRun(fs, &o.DryRun)
		fs.Duration(&o.Timeout, "timeout", "", 0)
		o.filenameFlags.add(fs)
		o.addLabelSelector(fs)
		return o
	},
}

func (o *scaleOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

// replicasOf returns the replicas field of a scalable object, or nil when the resource has
// no scale subresource.
func replicasOf(obj api.Object) **int32 {
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		return &o.Spec.Replicas
	case *appsv1.ReplicaSet:
		return &o.Spec.Replicas
	case *appsv1.Deployment:
		return &o.Spec.Replicas
	}
	return nil
}

func (o *scaleOptions) validate(*env) error {
	if o.Replicas < 0 {
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return fmt.Errorf("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
	}
	if o.CurrentReplicas < -1 {
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return fmt.Errorf("The --current-replicas must specify an integer of -1 or greater")
	}
	return nil
}

func (o *scaleOptions) run(e *env) error {
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args, listBare: o.All})
	if err != nil {
		return err
	}
	objs, errs := r.objects()
	if o.ResourceVersion != "" && len(objs) > 1 {
		return fmt.Errorf("cannot use --resource-version with multiple resources")
	}
	if len(objs) == 0 {
		if len(errs) > 0 {
			// What could not be found, as the API server said it (kubectl v1.37; v1.34 wrapped
			// it in `no objects passed to scale ...`).
			return asError(errs)
		}
		return fmt.Errorf("no objects passed to scale")
	}
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	for _, cur := range objs {
		if err := o.scale(e, cur, dry); err != nil {
			errs = append(errs, err)
			break
		}
	}
	return asError(errs)
}

// scale sets one object's replicas through its scale subresource, after the preconditions
// (--current-replicas, --resource-version) hold.
func (o *scaleOptions) scale(e *env, cur api.Object, dry bool) error {
	if dry {
		// kubectl prints the object as it found it, and checks nothing.
		return e.printResult(o.Output, cur, "scaled (dry run)")
	}
	obj := cur.DeepCopyObject().(api.Object)
	rp := replicasOf(obj)
	if rp == nil {
		// The API server has no scale subresource for this resource.
		return subresourceNotFound()
	}
	if o.CurrentReplicas >= 0 {
		have := 1
		if *rp != nil {
			have = int(**rp)
		}
		if have != o.CurrentReplicas {
			//lint:ignore ST1005 kubectl's own message, as it prints it
			return fmt.Errorf("Expected replicas to be %d, was %d", o.CurrentReplicas, have)
		}
	}
	if rv := o.ResourceVersion; rv != "" {
		if have := cur.GetResourceVersion(); have != rv {
			//lint:ignore ST1005 kubectl's own message, as it prints it
			return fmt.Errorf("Expected resource version to be %s, was %s", rv, have)
		}
		obj.SetResourceVersion(rv)
	}
	n := int32(o.Replicas)
	*rp = &n
	updated, err := e.updateObject(obj, cur)
	if err != nil {
		return err
	}
	return e.printResult(o.Output, updated, "scaled")
}

// subresourceNotFound is what the API server answers for a subresource the resource does
// not have: /scale of a Job (kubectl scale job x), /status of a ConfigMap.
func subresourceNotFound() error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure, Code: 404, Reason: metav1.StatusReasonNotFound,
		Message: "the server could not find the requested resource",
	}}
}
