package metrics_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/metrics"
)

func TestImageMemory(t *testing.T) {
	for image, want := range map[string]int64{
		"nginx":                              3 << 20,
		"nginx:1.14.2":                       3 << 20,
		"docker.io/library/nginx@sha256:abc": 3 << 20,
		metrics.Image:                        18 << 20,
		"luksa/kubia:v1":                     10 << 20,
		"example.com/x/y:1":                  metrics.DefaultMemory,
		"localhost:5000/app":                 metrics.DefaultMemory,
	} {
		if got := metrics.ImageMemory(image); got != want {
			t.Errorf("ImageMemory(%q) = %d, want %d", image, got, want)
		}
	}
}

// The API is absent, then unable to answer, then serving; a pod's CPU follows the requests
// it served in the last minute.
func TestModel(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Metrics.Available(); !errors.Is(err, metrics.ErrNotServed) {
		t.Fatalf("Available() = %v, want ErrNotServed", err)
	}
	if err := c.EnableMetricsServer(); err != nil {
		t.Fatal(err)
	}
	if err := c.Metrics.Available(); !errors.Is(err, metrics.ErrUnavailable) {
		t.Fatalf("Available() = %v before the pod runs, want ErrUnavailable", err)
	}
	if err := c.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	pods, err := c.Metrics.Pods("kube-system", labels.Everything())
	if err != nil || len(pods) != 1 {
		t.Fatalf("Pods() = %v, %v", pods, err)
	}
	p := pods[0]
	if u := p.Total(); u.CPU != metrics.IdleCPU || u.Memory != 18<<20 || !p.Timestamp.Equal(c.Now().Truncate(metrics.Resolution)) {
		t.Errorf("metrics-server's own sample = %+v", p)
	}
	// Six requests served: 600 ms of CPU over the minute, 10m.
	obj := c.Store.Lookup(api.ResourceByName("pods"), "kube-system", p.Name).(*corev1.Pod)
	for range 6 {
		if _, _, err := c.Kubelets.HTTPGet(fmt.Sprintf("http://%s:4443/", obj.Status.PodIP)); err != nil {
			t.Fatal(err)
		}
	}
	pods, _ = c.Metrics.Pods("kube-system", labels.Everything())
	if got := pods[0].Total().CPU; got != metrics.IdleCPU+10 {
		t.Errorf("CPU after 6 requests = %dm, want %dm", got, metrics.IdleCPU+10)
	}
	if err := c.Advance(metrics.LoadWindow); err != nil {
		t.Fatal(err)
	}
	pods, _ = c.Metrics.Pods("kube-system", labels.Everything())
	if got := pods[0].Total().CPU; got != metrics.IdleCPU {
		t.Errorf("CPU a minute later = %dm, want %dm", got, metrics.IdleCPU)
	}
	nodes, err := c.Metrics.Nodes("")
	if err != nil || len(nodes) != 4 {
		t.Fatalf("Nodes() = %v, %v", nodes, err)
	}
	if err := c.DisableMetricsServer(); err != nil {
		t.Fatal(err)
	}
	if err := c.Metrics.Available(); !errors.Is(err, metrics.ErrNotServed) {
		t.Fatalf("Available() = %v after disable, want ErrNotServed", err)
	}
}
