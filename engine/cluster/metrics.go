package cluster

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/controller/podautoscaler"
	"github.com/kubetab/kubetab/engine/metrics"
)

// hpaMetrics is the HPA controller's resource metrics client over kubetab's metrics-server:
// each pod's use of one resource, in milli-units, summed over its containers or of the one
// named.
type hpaMetrics struct{ s *metrics.Server }

func (h hpaMetrics) PodMetrics(ns string, sel labels.Selector, name corev1.ResourceName, container string) (map[string]podautoscaler.PodMetric, time.Time, error) {
	pods, err := h.s.Pods(ns, sel)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("unable to fetch metrics from resource metrics API: %w", err)
	}
	out := make(map[string]podautoscaler.PodMetric, len(pods))
	var at time.Time
	for _, p := range pods {
		var value int64
		found := container == ""
		for _, c := range p.Containers {
			if container != "" && c.Name != container {
				continue
			}
			found = true
			if name == corev1.ResourceMemory {
				value += c.Memory * 1000
			} else {
				value += c.CPU
			}
		}
		if !found {
			return nil, time.Time{}, fmt.Errorf("failed to get container metrics: container %s not present in metrics for pod %s/%s", container, p.Namespace, p.Name)
		}
		out[p.Name] = podautoscaler.PodMetric{Value: value, Timestamp: p.Timestamp, Window: p.Window}
		at = p.Timestamp
	}
	return out, at, nil
}
