package printers

import (
	"fmt"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/api/resource"
)

// HorizontalPodAutoscalers: the table row of printHorizontalPodAutoscaler and the
// description of describeHorizontalPodAutoscalerV2 (kubectl v1.37).

var hpaColumns = []string{"NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"}

func hpaCells(h *autoscalingv2.HorizontalPodAutoscaler, age string) []string {
	minPods := "<unset>"
	if h.Spec.MinReplicas != nil {
		minPods = itoa32(*h.Spec.MinReplicas)
	}
	return []string{h.Name, h.Spec.ScaleTargetRef.Kind + "/" + h.Spec.ScaleTargetRef.Name,
		hpaTargets(h.Spec.Metrics, h.Status.CurrentMetrics), minPods, itoa32(h.Spec.MaxReplicas), itoa32(h.Status.CurrentReplicas), age}
}

// hpaTargets is formatHPAMetrics: "current/target" per metric, the first two shown.
func hpaTargets(specs []autoscalingv2.MetricSpec, statuses []autoscalingv2.MetricStatus) string {
	if len(specs) == 0 {
		return "<none>"
	}
	var list []string
	for i, spec := range specs {
		var st *autoscalingv2.MetricStatus
		if i < len(statuses) {
			st = &statuses[i]
		}
		list = append(list, hpaMetricTarget(spec, st))
	}
	const shown = 2
	if len(list) > shown {
		return fmt.Sprintf("%s + %d more...", strings.Join(list[:shown], ", "), len(list)-shown)
	}
	return strings.Join(list, ", ")
}

func hpaMetricTarget(spec autoscalingv2.MetricSpec, st *autoscalingv2.MetricStatus) string {
	current := "<unknown>"
	switch spec.Type {
	case autoscalingv2.ExternalMetricSourceType:
		if t := spec.External.Target; t.AverageValue != nil {
			if st != nil && st.External != nil && st.External.Current.AverageValue != nil {
				current = st.External.Current.AverageValue.String()
			}
			return fmt.Sprintf("%s/%s (avg)", current, t.AverageValue.String())
		}
		if st != nil && st.External != nil && st.External.Current.Value != nil {
			current = st.External.Current.Value.String()
		}
		return fmt.Sprintf("%s/%s", current, quantityString(spec.External.Target.Value))
	case autoscalingv2.PodsMetricSourceType:
		if st != nil && st.Pods != nil && st.Pods.Current.AverageValue != nil {
			current = st.Pods.Current.AverageValue.String()
		}
		return fmt.Sprintf("%s/%s", current, quantityString(spec.Pods.Target.AverageValue))
	case autoscalingv2.ObjectMetricSourceType:
		if t := spec.Object.Target; t.AverageValue != nil {
			if st != nil && st.Object != nil && st.Object.Current.AverageValue != nil {
				current = st.Object.Current.AverageValue.String()
			}
			return fmt.Sprintf("%s/%s (avg)", current, t.AverageValue.String())
		}
		if st != nil && st.Object != nil && st.Object.Current.Value != nil {
			current = st.Object.Current.Value.String()
		}
		return fmt.Sprintf("%s/%s", current, quantityString(spec.Object.Target.Value))
	case autoscalingv2.ResourceMetricSourceType, autoscalingv2.ContainerResourceMetricSourceType:
		name, target := resourceMetricSpec(spec)
		var cur *autoscalingv2.MetricValueStatus
		if st != nil && st.Resource != nil {
			cur = &st.Resource.Current
		} else if st != nil && st.ContainerResource != nil {
			cur = &st.ContainerResource.Current
		}
		if target.AverageValue != nil {
			if cur != nil && cur.AverageValue != nil {
				current = cur.AverageValue.String()
			}
			return fmt.Sprintf("%s: %s/%s", name, current, target.AverageValue.String())
		}
		if cur != nil && cur.AverageUtilization != nil {
			current = fmt.Sprintf("%d%%", *cur.AverageUtilization)
		}
		want := "<auto>"
		if target.AverageUtilization != nil {
			want = fmt.Sprintf("%d%%", *target.AverageUtilization)
		}
		return fmt.Sprintf("%s: %s/%s", name, current, want)
	}
	return "<unknown type>"
}

// resourceMetricSpec is the resource name and target of a Resource or ContainerResource
// metric.
func resourceMetricSpec(spec autoscalingv2.MetricSpec) (string, autoscalingv2.MetricTarget) {
	if spec.Resource != nil {
		return string(spec.Resource.Name), spec.Resource.Target
	}
	if spec.ContainerResource != nil {
		return string(spec.ContainerResource.Name), spec.ContainerResource.Target
	}
	return "", autoscalingv2.MetricTarget{}
}

func describeHPA(w *prefixWriter, h *autoscalingv2.HorizontalPodAutoscaler, d DescribeContext) {
	describeNamespacedMeta(w, h)
	w.write(0, "CreationTimestamp:\t%s\n", rfc1123(h.CreationTimestamp))
	w.write(0, "Reference:\t%s/%s\n", h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
	w.write(0, "Metrics:\t( current / target )\n")
	for i, m := range h.Spec.Metrics {
		var st *autoscalingv2.MetricStatus
		if i < len(h.Status.CurrentMetrics) {
			st = &h.Status.CurrentMetrics[i]
		}
		describeHPAMetric(w, m, st)
	}
	minReplicas := "<unset>"
	if h.Spec.MinReplicas != nil {
		minReplicas = itoa32(*h.Spec.MinReplicas)
	}
	w.write(0, "Min replicas:\t%s\n", minReplicas)
	w.write(0, "Max replicas:\t%d\n", h.Spec.MaxReplicas)
	if b := h.Spec.Behavior; b != nil {
		w.write(0, "Behavior:\n")
		describeScalingRules(w, "Scale Up", b.ScaleUp)
		describeScalingRules(w, "Scale Down", b.ScaleDown)
	}
	w.write(0, "%s pods:\t%d current / %d desired\n", h.Spec.ScaleTargetRef.Kind, h.Status.CurrentReplicas, h.Status.DesiredReplicas)
	if len(h.Status.Conditions) > 0 {
		w.write(0, "Conditions:\n")
		w.write(1, "Type\tStatus\tReason\tMessage\n")
		w.write(1, "----\t------\t------\t-------\n")
		for _, c := range h.Status.Conditions {
			w.write(1, "%v\t%v\t%v\t%v\n", c.Type, c.Status, c.Reason, c.Message)
		}
	}
	describeEvents(w, d.Events, d.Now)
}

func describeHPAMetric(w *prefixWriter, m autoscalingv2.MetricSpec, st *autoscalingv2.MetricStatus) {
	switch m.Type {
	case autoscalingv2.ExternalMetricSourceType:
		if m.External.Target.AverageValue != nil {
			w.write(1, "%q (target average value):\t%s\n", m.External.Metric.Name, hpaCurrentTarget(m, st))
		} else {
			w.write(1, "%q (target value):\t%s\n", m.External.Metric.Name, hpaCurrentTarget(m, st))
		}
	case autoscalingv2.PodsMetricSourceType:
		w.write(1, "%q on pods:\t%s\n", m.Pods.Metric.Name, hpaCurrentTarget(m, st))
	case autoscalingv2.ObjectMetricSourceType:
		w.write(1, "\"%s\" on %s/%s ", m.Object.Metric.Name, m.Object.DescribedObject.Kind, m.Object.DescribedObject.Name)
		if m.Object.Target.Type == autoscalingv2.AverageValueMetricType {
			w.write(0, "(target average value):\t%s\n", hpaCurrentTarget(m, st))
		} else {
			w.write(0, "(target value):\t%s\n", hpaCurrentTarget(m, st))
		}
	case autoscalingv2.ResourceMetricSourceType, autoscalingv2.ContainerResourceMetricSourceType:
		name, target := resourceMetricSpec(m)
		if m.ContainerResource != nil {
			w.write(1, "resource %s of container \"%s\" on pods", name, m.ContainerResource.Container)
		} else {
			w.write(1, "resource %s on pods", name)
		}
		var cur *autoscalingv2.MetricValueStatus
		if st != nil && st.Resource != nil {
			cur = &st.Resource.Current
		} else if st != nil && st.ContainerResource != nil {
			cur = &st.ContainerResource.Current
		}
		current := "<unknown>"
		if target.AverageValue != nil {
			if cur != nil && cur.AverageValue != nil {
				current = cur.AverageValue.String()
			}
			w.write(0, ":\t%s / %s\n", current, target.AverageValue.String())
			return
		}
		if cur != nil && cur.AverageUtilization != nil {
			current = fmt.Sprintf("%d%% (%s)", *cur.AverageUtilization, quantityString(cur.AverageValue))
		}
		want := "<auto>"
		if target.AverageUtilization != nil {
			want = fmt.Sprintf("%d%%", *target.AverageUtilization)
		}
		w.write(1, "(as a percentage of request):\t%s / %s\n", current, want)
	default:
		w.write(1, "<unknown metric type %q>\n", string(m.Type))
	}
}

// hpaCurrentTarget is "current / target" of the kinds described like the table shows
// them, with " / " between.
func hpaCurrentTarget(m autoscalingv2.MetricSpec, st *autoscalingv2.MetricStatus) string {
	s := strings.TrimSuffix(hpaMetricTarget(m, st), " (avg)")
	cur, target, _ := strings.Cut(s, "/")
	return cur + " / " + target
}

func describeScalingRules(w *prefixWriter, direction string, r *autoscalingv2.HPAScalingRules) {
	if r == nil {
		return
	}
	w.write(1, "%s:\n", direction)
	if r.StabilizationWindowSeconds != nil {
		w.write(2, "Stabilization Window: %d seconds\n", *r.StabilizationWindowSeconds)
	}
	if len(r.Policies) > 0 {
		sp := autoscalingv2.MaxChangePolicySelect
		if r.SelectPolicy != nil {
			sp = *r.SelectPolicy
		}
		w.write(2, "Select Policy: %s\n", sp)
		w.write(2, "Policies:\n")
		for _, p := range r.Policies {
			w.write(3, "- Type: %s\tValue: %d\tPeriod: %d seconds\n", p.Type, p.Value, p.PeriodSeconds)
		}
	}
}

// quantityString is a quantity as kubectl prints it; an unset one (which validation
// refuses where it is printed) reads 0.
func quantityString(q *resource.Quantity) string {
	if q == nil {
		return "0"
	}
	return q.String()
}
