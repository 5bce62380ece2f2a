package kubectl

import (
	"github.com/kubetab/kubetab/engine/api"

	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// `kubectl autoscale` creates a HorizontalPodAutoscaler, which kubetab does not serve (it
// has no metrics to scale on): the command checks its flags and its target as kubectl does,
// then gets the API server's answer for a resource it does not have.
type autoscaleOptions struct {
	plainArgs
	resourceFlags
	Min, Max, CPUPercent int
	CPU, Memory, Name    string
	Output, DryRun       string
	Record, SaveConfig   bool
}

var autoscaleCommand = &command{
	name:  "autoscale",
	short: "Auto-scale a deployment, replica set, stateful set, or replication controller",
	usage: "autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu=CPU] [--memory=MEMORY] [flags]",
	options: func(fs *flagSet) commandOptions {
		o := &autoscaleOptions{}
		o.filenameFlags.add(fs)
		fs.Int(&o.Min, "min", "", -1)
		fs.Int(&o.Max, "max", "", -1)
		fs.Int(&o.CPUPercent, "cpu-percent", "", -1)
		fs.String(&o.CPU, "cpu", "", "")
		fs.String(&o.Memory, "memory", "", "")
		fs.String(&o.Name, "name", "", "")
		fs.String(&o.Output, "output", "o", "")
		addDryRun(fs, &o.DryRun)
		fs.Bool(&o.Record, "record", "", false)
		fs.Bool(&o.SaveConfig, "save-config", "", false)
		return o
	},
}

func (o *autoscaleOptions) readOnly() bool { return true }

func (o *autoscaleOptions) validate(*env) error {
	if o.Max < 1 {
		return fmt.Errorf("--max=MAXPODS is required and must be at least 1, max: %d", o.Max)
	}
	if o.Max < o.Min {
		return fmt.Errorf("--max=MAXPODS must be larger or equal to --min=MINPODS, max: %d, min: %d", o.Max, o.Min)
	}
	if o.CPUPercent > 0 && o.CPU != "" {
		return fmt.Errorf("--cpu-percent and --cpu are mutually exclusive")
	}
	return nil
}

func (o *autoscaleOptions) run(e *env) error {
	objs, err := e.allObjects(resourceRequest{resourceFlags: o.resourceFlags, args: o.args})
	if err != nil {
		return err
	}
	if len(objs) == 0 {
		return fmt.Errorf("no objects passed to autoscale")
	}
	for _, obj := range objs {
		switch obj.(type) {
		case *appsv1.Deployment, *appsv1.ReplicaSet, *corev1.ReplicationController:
		default:
			r := api.ResourceFor(obj)
			gvr := r.GroupVersionKind().GroupVersion().WithResource(r.Name)
			return fmt.Errorf("cannot autoscale a %s: could not find scale subresource for %s in discovery information", r.Kind, gvr)
		}
	}
	e.errf("kubetab: HorizontalPodAutoscalers are not simulated (there are no metrics to scale on); set the size with kubectl scale.\n")
	return subresourceNotFound()
}
