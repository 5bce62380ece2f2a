package podautoscaler

import (
	"errors"
	"fmt"
	"math"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/labels"
)

// The replica calculator (replica_calculator.go upstream) for resource metrics.

// Defaults of kube-controller-manager's HPA flags.
const (
	tolerance                     = 0.1
	cpuInitializationPeriod       = 5 * time.Minute
	delayOfInitialReadinessStatus = 30 * time.Second
)

// PodMetric is one pod's use of a resource as the resource metrics API reports it: in
// milli-units (millicores; memory in thousandths of a byte, as upstream's client reads it),
// measured over Window up to Timestamp.
type PodMetric struct {
	Value     int64
	Timestamp time.Time
	Window    time.Duration
}

// ResourceMetrics is the resource metrics API (metrics.k8s.io) as the HPA reads it.
type ResourceMetrics interface {
	// PodMetrics returns, by pod name, the use of resource by the pods of namespace that
	// selector selects (all their containers, or only the one named container), and the
	// time of the sample; an error when the API is not served.
	PodMetrics(namespace string, selector labels.Selector, resource corev1.ResourceName, container string) (map[string]PodMetric, time.Time, error)
}

// resourceReplicas is GetResourceReplicas (a utilization target) or GetRawResourceReplicas
// (an average value target): the proposed replicas, the current value, the sample's time.
func (hc *Controller) resourceReplicas(currentReplicas int32, target autoscalingv2.MetricTarget, name corev1.ResourceName, ns string, sel labels.Selector, container string) (int32, autoscalingv2.MetricValueStatus, time.Time, error) {
	var none autoscalingv2.MetricValueStatus
	metrics, ts, err := hc.metrics.PodMetrics(ns, sel, name, container)
	if err != nil {
		err = fmt.Errorf("unable to get metrics for resource %s: %w", name, err)
	} else if len(metrics) == 0 {
		err = fmt.Errorf("unable to get metrics for resource %s: no metrics returned from resource metrics API", name)
	}
	if target.AverageValue != nil {
		if err != nil {
			return 0, none, time.Time{}, fmt.Errorf("failed to get %s usage: %w", name, err)
		}
		targetUsage := target.AverageValue.MilliValue()
		replicas, usage, err := hc.replicasFor(metrics, currentReplicas, ns, sel, name, func(m map[string]PodMetric) (float64, int64, error) {
			usage := sumMetrics(m) / int64(len(m))
			return float64(usage) / float64(targetUsage), usage, nil
		}, func(string) int64 { return targetUsage })
		if err != nil {
			return 0, none, time.Time{}, fmt.Errorf("failed to get %s usage: %w", name, err)
		}
		q := metricQuantity(name, usage)
		return replicas, autoscalingv2.MetricValueStatus{AverageValue: &q}, ts, nil
	}
	if target.AverageUtilization == nil {
		return 0, none, time.Time{}, errors.New("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
	}
	if err != nil {
		return 0, none, time.Time{}, fmt.Errorf("failed to get %s utilization: %w", name, err)
	}
	targetUtilization := *target.AverageUtilization
	pods := hc.podsSelected(ns, sel)
	requests, err := podRequests(pods, container, name)
	if err != nil {
		return 0, none, time.Time{}, fmt.Errorf("failed to get %s utilization: %w", name, err)
	}
	// The status shows the first ratio's utilization, before missing and unready pods are
	// filled in.
	utilization := int32(-1)
	replicas, raw, err := hc.replicasFor(metrics, currentReplicas, ns, sel, name, func(m map[string]PodMetric) (float64, int64, error) {
		ratio, u, raw, err := utilizationRatio(m, requests, targetUtilization)
		if utilization < 0 {
			utilization = u
		}
		return ratio, raw, err
	}, func(pod string) int64 { return requests[pod] * int64(max(100, targetUtilization)) / 100 })
	if err != nil {
		return 0, none, time.Time{}, fmt.Errorf("failed to get %s utilization: %w", name, err)
	}
	q := metricQuantity(name, raw)
	return replicas, autoscalingv2.MetricValueStatus{AverageUtilization: &utilization, AverageValue: &q}, ts, nil
}

// replicasFor is the calculator's shared part: pods grouped into ready, unready, missing
// and ignored, then the usage ratio (ratio of the metrics left) gives the replicas; missing
// pods count as missingDown on a scale-down and as idle on a scale-up, unready ones as idle
// on a scale-up, and no change of direction is made from the adjusted figures. The first
// ratio's raw value is returned with the replicas.
func (hc *Controller) replicasFor(metrics map[string]PodMetric, currentReplicas int32, ns string, sel labels.Selector, name corev1.ResourceName,
	ratio func(map[string]PodMetric) (float64, int64, error), missingDown func(pod string) int64) (int32, int64, error) {
	pods := hc.podsSelected(ns, sel)
	if len(pods) == 0 {
		return 0, 0, errors.New("no pods returned by selector while calculating replica count")
	}
	// A copy: the calculation fills in and removes samples.
	m := make(map[string]PodMetric, len(metrics))
	for k, v := range metrics {
		m[k] = v
	}
	ready, unready, missing, ignored := hc.groupPods(pods, m, name)
	for _, p := range ignored {
		delete(m, p)
	}
	for _, p := range unready {
		delete(m, p)
	}
	if len(m) == 0 {
		return 0, 0, errors.New("did not receive metrics for targeted pods (pods might be unready)")
	}
	usageRatio, raw, err := ratio(m)
	if err != nil {
		return 0, 0, err
	}
	scaleUpWithUnready := len(unready) > 0 && usageRatio > 1.0
	if !scaleUpWithUnready && len(missing) == 0 {
		if withinTolerance(usageRatio) {
			return currentReplicas, raw, nil
		}
		return int32(math.Ceil(usageRatio * float64(ready))), raw, nil
	}
	for _, p := range missing {
		switch {
		case usageRatio < 1.0:
			m[p] = PodMetric{Value: missingDown(p)}
		case usageRatio > 1.0:
			m[p] = PodMetric{}
		}
	}
	if scaleUpWithUnready {
		for _, p := range unready {
			m[p] = PodMetric{}
		}
	}
	newRatio, _, err := ratio(m)
	if err != nil {
		return 0, raw, err
	}
	if withinTolerance(newRatio) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0) {
		return currentReplicas, raw, nil
	}
	newReplicas := int32(math.Ceil(newRatio * float64(len(m))))
	if (newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas) {
		return currentReplicas, raw, nil
	}
	return newReplicas, raw, nil
}

func withinTolerance(ratio float64) bool { return 1.0-tolerance <= ratio && ratio <= 1.0+tolerance }

// groupPods sorts the selected pods as upstream's groupPods does, by name: the count of
// ready pods with a sample, the unready ones (pending, or for CPU not ready or still
// starting), those without a sample, and those deleted or failed.
func (hc *Controller) groupPods(pods []*corev1.Pod, metrics map[string]PodMetric, name corev1.ResourceName) (ready int, unready, missing, ignored []string) {
	now := hc.cluster.Now()
	for _, pod := range pods {
		if pod.DeletionTimestamp != nil || pod.Status.Phase == corev1.PodFailed {
			ignored = append(ignored, pod.Name)
			continue
		}
		if pod.Status.Phase == corev1.PodPending {
			unready = append(unready, pod.Name)
			continue
		}
		metric, found := metrics[pod.Name]
		if !found {
			missing = append(missing, pod.Name)
			continue
		}
		if name == corev1.ResourceCPU {
			cond := podReadyCondition(pod)
			isUnready := false
			if cond == nil || pod.Status.StartTime == nil {
				isUnready = true
			} else if pod.Status.StartTime.Add(cpuInitializationPeriod).After(now) {
				isUnready = cond.Status == corev1.ConditionFalse || metric.Timestamp.Before(cond.LastTransitionTime.Add(metric.Window))
			} else {
				isUnready = cond.Status == corev1.ConditionFalse && pod.Status.StartTime.Add(delayOfInitialReadinessStatus).After(cond.LastTransitionTime.Time)
			}
			if isUnready {
				unready = append(unready, pod.Name)
				continue
			}
		}
		ready++
	}
	return ready, unready, missing, ignored
}

func podReadyCondition(pod *corev1.Pod) *corev1.PodCondition {
	for i := range pod.Status.Conditions {
		if pod.Status.Conditions[i].Type == corev1.PodReady {
			return &pod.Status.Conditions[i]
		}
	}
	return nil
}

// podRequests is calculateRequests: each pod's request of the resource, summed over its
// containers and sidecars (or the one named container); a container without one fails.
func podRequests(pods []*corev1.Pod, container string, name corev1.ResourceName) (map[string]int64, error) {
	requests := make(map[string]int64, len(pods))
	for _, pod := range pods {
		containers := append([]corev1.Container(nil), pod.Spec.Containers...)
		for _, c := range pod.Spec.InitContainers {
			if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
				containers = append(containers, c)
			}
		}
		var request int64
		found := false
		for _, c := range containers {
			if container != "" && c.Name != container {
				continue
			}
			q, ok := c.Resources.Requests[name]
			if !ok {
				return nil, fmt.Errorf("missing request for %s in container %s of Pod %s", name, c.Name, pod.Name)
			}
			request += q.MilliValue()
			found = true
		}
		if container != "" && !found {
			return nil, fmt.Errorf("container %s not found in Pod %s", container, pod.Name)
		}
		requests[pod.Name] = request
	}
	return requests, nil
}

// utilizationRatio is GetResourceUtilizationRatio: the pods' use as a whole percentage of
// their requests, its ratio to the target, and the average use.
func utilizationRatio(metrics map[string]PodMetric, requests map[string]int64, target int32) (float64, int32, int64, error) {
	var used, requested int64
	n := 0
	for pod, m := range metrics {
		r, ok := requests[pod]
		if !ok {
			continue
		}
		used += m.Value
		requested += r
		n++
	}
	if requested == 0 {
		return 0, 0, 0, errors.New("no metrics returned matched known pods")
	}
	u := int32(used * 100 / requested)
	return float64(u) / float64(target), u, used / int64(n), nil
}

func sumMetrics(m map[string]PodMetric) int64 {
	var total int64
	for _, v := range m {
		total += v.Value
	}
	return total
}

// metricQuantity is buildQuantity: memory in binary units, anything else in decimal ones.
func metricQuantity(name corev1.ResourceName, milli int64) resource.Quantity {
	format := resource.DecimalSI
	if name == corev1.ResourceMemory {
		format = resource.BinarySI
	}
	return *resource.NewMilliQuantity(milli, format)
}
