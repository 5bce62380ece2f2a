package cluster

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
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

// MetricsServerClient is the API client the metrics-server addon is installed with.
const MetricsServerClient = "minikube"

// EnableMetricsServer installs the metrics-server addon as minikube does: its Deployment
// in kube-system (kubetab's metrics API serves once it is available). Enabling it again
// changes nothing.
func (c *Cluster) EnableMetricsServer() error {
	if c.Store.Lookup(api.ResourceByName("deployments"), metrics.Namespace, metrics.Deployment) != nil {
		return nil
	}
	lbl := map[string]string{"k8s-app": metrics.Deployment}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: metrics.Deployment, Namespace: metrics.Namespace,
			Labels: map[string]string{"k8s-app": metrics.Deployment, "addonmanager.kubernetes.io/mode": "Reconcile"}},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: lbl},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: lbl},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name:  metrics.Deployment,
					Image: metrics.Image,
					Args:  []string{"--cert-dir=/tmp", "--secure-port=4443", "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--kubelet-use-node-status-port", "--metric-resolution=15s", "--kubelet-insecure-tls"},
					Ports: []corev1.ContainerPort{{Name: "https", ContainerPort: 4443, Protocol: corev1.ProtocolTCP}},
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
						corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("200Mi"),
					}},
				}}},
			},
		},
	}
	_, err := c.API.Client(MetricsServerClient).Create(d, apiserver.CreateOptions{HandOver: true})
	return err
}

// DisableMetricsServer removes the addon's Deployment, if it is there.
func (c *Cluster) DisableMetricsServer() error {
	r := api.ResourceByName("deployments")
	if c.Store.Lookup(r, metrics.Namespace, metrics.Deployment) == nil {
		return nil
	}
	_, err := c.API.Client(MetricsServerClient).Delete(r, metrics.Namespace, metrics.Deployment, apiserver.DeleteOptions{})
	return err
}
