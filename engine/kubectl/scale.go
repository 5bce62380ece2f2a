package kubectl

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

var scaleCommand = &command{
	name:  "scale",
	short: "Set a new size for a deployment, replica set, or replication controller",
	usage: "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
	flags: append([]flagSpec{
		{name: "replicas", kind: intFlag, def: "-1"},
		{name: "current-replicas", kind: intFlag, def: "-1"},
		{name: "resource-version", kind: stringFlag},
		{name: "all", kind: boolFlag},
		{name: "output", short: "o", kind: stringFlag},
		{name: "timeout", kind: durationFlag, def: "0s"},
	}, selectorFlags...),
	run: runScale,
}

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

func runScale(e *env, args []string) error {
	replicas := e.fv.integer("replicas")
	if replicas < 0 {
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return fmt.Errorf("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
	}
	if len(args) == 0 {
		return &rawError{"error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"}
	}
	req, err := parseResourceArgs(args)
	if err != nil {
		return err
	}
	labelSel := e.fv.str("selector")
	if len(req.types) > 0 && !e.fv.boolean("all") && labelSel == "" {
		return fmt.Errorf("resource(s) were provided, but no name was specified")
	}
	objs, errs := e.resolve(req, false, labelSel, "")
	if len(objs) == 0 && len(errs) == 0 {
		return fmt.Errorf("no objects passed to scale")
	}
	current := e.fv.integer("current-replicas")
	for _, cur := range objs {
		obj := cur.DeepCopyObject().(api.Object)
		rp := replicasOf(obj)
		if rp == nil {
			// The API server has no scale subresource for this resource.
			errs = append(errs, subresourceNotFound())
			break
		}
		if current >= 0 {
			have := int64(1)
			if *rp != nil {
				have = int64(**rp)
			}
			if have != current {
				//lint:ignore ST1005 kubectl's own message, as it prints it
				errs = append(errs, fmt.Errorf("Expected replicas to be %d, was %d", current, have))
				break
			}
		}
		n := int32(replicas)
		*rp = &n
		if rv := e.fv.str("resource-version"); rv != "" {
			obj.SetResourceVersion(rv)
		}
		updated, err := e.updateObject(obj, cur)
		if err != nil {
			errs = append(errs, err)
			break
		}
		if err := e.printResult(updated, "scaled"); err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}

// subresourceNotFound is what the API server answers for a subresource the resource does
// not have: /scale of a Job (kubectl scale job x), /status of a ConfigMap.
func subresourceNotFound() error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure, Code: 404, Reason: metav1.StatusReasonNotFound,
		Message: "the server could not find the requested resource",
	}}
}
