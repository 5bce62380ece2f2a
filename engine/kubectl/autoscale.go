package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
)

// `kubectl autoscale` (pkg/cmd/autoscale) creates an autoscaling/v2 HorizontalPodAutoscaler
// for each object with a scale subresource: named as the object (or --name), targeting it
// by its group version and kind, with a CPU (--cpu-percent, --cpu) and/or memory (--memory)
// target; without one the API server defaults 80 % CPU utilization.
type autoscaleOptions struct {
	plainArgs
	resourceFlags
	Min, Max, CPUPercent int
	CPU, Memory, Name    string
	Output, DryRun       string
	Record, SaveConfig   bool
	cpuPercent           *flag
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
		o.cpuPercent = fs.Int(&o.CPUPercent, "cpu-percent", "", -1)
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

func (o *autoscaleOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *autoscaleOptions) validate(e *env) error {
	if o.cpuPercent.changed {
		// pflag warns of a deprecated flag as it parses the command line.
		e.errf("Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%%' for utilization or '500m' for milliCPU).\n")
	}
	if o.Max < 1 {
		return fmt.Errorf("--max=MAXPODS is required and must be at least 1, max: %d", o.Max)
	}
	if o.Max < o.Min {
		return fmt.Errorf("--max=MAXPODS must be larger or equal to --min=MINPODS, max: %d, min: %d", o.Max, o.Min)
	}
	if o.CPUPercent > 0 && o.CPU != "" {
		return fmt.Errorf("--cpu-percent and --cpu are mutually exclusive")
	}
	if o.CPU != "" {
		if _, err := resourceTarget(o.CPU, corev1.ResourceCPU); err != nil {
			return err
		}
	}
	if o.Memory != "" {
		if _, err := resourceTarget(o.Memory, corev1.ResourceMemory); err != nil {
			return err
		}
	}
	return nil
}

func (o *autoscaleOptions) run(e *env) error {
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	count := 0
	err = e.visit(resourceRequest{resourceFlags: o.resourceFlags, args: o.args}, func(info *resourceInfo) error {
		obj := info.obj
		r := api.ResourceFor(obj)
		switch obj.(type) {
		case *appsv1.Deployment, *appsv1.ReplicaSet, *corev1.ReplicationController:
		default:
			gvr := r.GroupVersionKind().GroupVersion().WithResource(r.Name)
			return fmt.Errorf("cannot autoscale a %s: could not find scale subresource for %s in discovery information", r.Kind, gvr)
		}
		hpa, err := o.autoscaler(obj.GetName(), r)
		if err != nil {
			return err
		}
		count++
		if dry {
			if e.nsSet {
				hpa.Namespace = e.ns
			}
			return e.printResult(o.Output, hpa, "created (dry run)")
		}
		hpa.Namespace = obj.GetNamespace()
		created, err := e.createObject(hpa)
		if err != nil {
			return err
		}
		return e.printResult(o.Output, created, "autoscaled")
	})
	if err != nil {
		return err
	}
	if count == 0 {
		return fmt.Errorf("no objects passed to autoscale")
	}
	return nil
}

// autoscaler is createHorizontalPodAutoscalerV2: the HPA the flags describe for the object
// called target, of resource r.
func (o *autoscaleOptions) autoscaler(target string, r *api.Resource) (*autoscalingv2.HorizontalPodAutoscaler, error) {
	name := o.Name
	if name == "" {
		name = target
	}
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: r.APIVersion(), Kind: r.Kind, Name: target},
			MaxReplicas:    int32(o.Max),
		},
	}
	if o.Min > 0 {
		hpa.Spec.MinReplicas = ptr.To(int32(o.Min))
	}
	if o.CPUPercent > 0 {
		hpa.Spec.Metrics = append(hpa.Spec.Metrics, resourceMetric(corev1.ResourceCPU, autoscalingv2.MetricTarget{
			Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr.To(int32(o.CPUPercent)),
		}))
	}
	for _, m := range []struct {
		value string
		name  corev1.ResourceName
	}{{o.CPU, corev1.ResourceCPU}, {o.Memory, corev1.ResourceMemory}} {
		if m.value == "" {
			continue
		}
		t, err := resourceTarget(m.value, m.name)
		if err != nil {
			return nil, err
		}
		hpa.Spec.Metrics = append(hpa.Spec.Metrics, resourceMetric(m.name, t))
	}
	if o.SaveConfig {
		if _, err := setLastApplied(hpa); err != nil {
			return nil, err
		}
	}
	api.SetTypeMeta(hpa)
	return hpa, nil
}

func resourceMetric(name corev1.ResourceName, t autoscalingv2.MetricTarget) autoscalingv2.MetricSpec {
	return autoscalingv2.MetricSpec{
		Type:     autoscalingv2.ResourceMetricSourceType,
		Resource: &autoscalingv2.ResourceMetricSource{Name: name, Target: t},
	}
}

// resourceTarget is parseResourceInput: "70%" is a utilization target, a quantity ("500m",
// "2Gi") an average value, and a bare number a quantity in millicores (CPU) or mebibytes
// (memory).
func resourceTarget(input string, name corev1.ResourceName) (autoscalingv2.MetricTarget, error) {
	input = strings.TrimSpace(input)
	if p, ok := strings.CutSuffix(input, "%"); ok {
		v, err := strconv.ParseInt(p, 10, 32)
		if err != nil || v < 0 {
			return autoscalingv2.MetricTarget{}, fmt.Errorf("invalid percentage value: %s", p)
		}
		return autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr.To(int32(v))}, nil
	}
	q, err := resource.ParseQuantity(input)
	if f, ferr := strconv.ParseFloat(input, 64); ferr == nil {
		unit := "m"
		if name == corev1.ResourceMemory {
			unit = "Mi"
		}
		q, err = resource.ParseQuantity(strconv.FormatFloat(f, 'g', -1, 64) + unit)
	}
	if err != nil {
		return autoscalingv2.MetricTarget{}, fmt.Errorf("invalid resource %s value: %s", name, input)
	}
	return autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: &q}, nil
}
