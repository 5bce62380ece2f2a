package metrics

import (
	"errors"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// The addon's Deployment, as minikube names it.
const (
	Namespace  = "kube-system"
	Deployment = "metrics-server"
	Image      = "registry.k8s.io/metrics-server/metrics-server:v0.8.0"
)

// The model's figures.
const (
	Resolution    = 15 * time.Second
	IdleCPU       = 1   // millicores per container
	CPUPerRequest = 100 // milli-CPU-seconds per request served
	LoadWindow    = time.Minute
	DefaultMemory = 8 << 20
)

// NodeOverhead is what a node uses besides its pods.
var NodeOverhead = Usage{CPU: 100, Memory: 512 << 20}

// idleMemory is the idle working set of a few images' containers, by repository.
var idleMemory = map[string]int64{
	"nginx":                              3 << 20,
	"httpd":                              6 << 20,
	"redis":                              3 << 20,
	"busybox":                            1 << 19,
	"alpine":                             1 << 19,
	"luksa/kubia":                        10 << 20,
	"google-samples/kubernetes-bootcamp": 10 << 20,
	"metrics-server/metrics-server":      18 << 20,
}

var (
	// ErrNotServed: no metrics-server, no metrics.k8s.io group.
	ErrNotServed = errors.New("the server could not find the requested resource (get pods.metrics.k8s.io)")
	// ErrUnavailable: the APIService is registered but its pods are not ready.
	ErrUnavailable = errors.New("the server is currently unable to handle the request (get pods.metrics.k8s.io)")
)

var (
	podsResource        = api.ResourceByName("pods")
	nodesResource       = api.ResourceByName("nodes")
	deploymentsResource = api.ResourceByName("deployments")
)

// Usage is a use of CPU (millicores) and memory (bytes).
type Usage struct{ CPU, Memory int64 }

// ContainerMetrics is one container's use.
type ContainerMetrics struct {
	Name string
	Usage
}

// PodMetrics is a pod's sample, as a PodMetrics object of metrics.k8s.io carries it.
type PodMetrics struct {
	Namespace, Name string
	Timestamp       time.Time
	Window          time.Duration
	Containers      []ContainerMetrics
}

// Total is the pod's use, summed over its containers.
func (p PodMetrics) Total() Usage {
	var u Usage
	for _, c := range p.Containers {
		u.CPU += c.CPU
		u.Memory += c.Memory
	}
	return u
}

// NodeMetrics is a node's sample.
type NodeMetrics struct {
	Name      string
	Timestamp time.Time
	Usage
}

// RequestCounter tells how many requests a pod served since a time (the kubelets).
type RequestCounter interface {
	RequestsServed(namespace, name string, since time.Time) int
}

// Server answers the resource metrics API from the model.
type Server struct {
	store *store.Store
	now   func() time.Time
	load  RequestCounter
}

// New returns the metrics server of a cluster.
func New(st *store.Store, now func() time.Time, load RequestCounter) *Server {
	return &Server{store: st, now: now, load: load}
}

// Available says whether the API is served: nil, ErrNotServed or ErrUnavailable.
func (s *Server) Available() error {
	obj := s.store.Lookup(deploymentsResource, Namespace, Deployment)
	if obj == nil {
		return ErrNotServed
	}
	if obj.(*appsv1.Deployment).Status.AvailableReplicas < 1 {
		return ErrUnavailable
	}
	return nil
}

// Pods returns the samples of the pods of namespace ("" for all) that selector selects, in
// the store's order; pods without a sample yet are left out.
func (s *Server) Pods(namespace string, selector labels.Selector) ([]PodMetrics, error) {
	if err := s.Available(); err != nil {
		return nil, err
	}
	var out []PodMetrics
	s.store.Each(podsResource, namespace, func(o api.Object) bool {
		if selector != nil && !selector.Matches(labels.Set(o.GetLabels())) {
			return true
		}
		if m, ok := s.pod(o.(*corev1.Pod)); ok {
			out = append(out, m)
		}
		return true
	})
	return out, nil
}

// sampleTime is the last scrape: the last multiple of Resolution.
func (s *Server) sampleTime() time.Time { return s.now().Truncate(Resolution) }

// pod is one pod's sample: a Running pod that has run for a Resolution.
func (s *Server) pod(p *corev1.Pod) (PodMetrics, bool) {
	at := s.sampleTime()
	if p.Status.Phase != corev1.PodRunning || p.Status.StartTime == nil || at.Sub(p.Status.StartTime.Time) < Resolution {
		return PodMetrics{}, false
	}
	m := PodMetrics{Namespace: p.Namespace, Name: p.Name, Timestamp: at, Window: Resolution}
	running := map[string]bool{}
	for _, cs := range p.Status.ContainerStatuses {
		running[cs.Name] = cs.State.Running != nil
	}
	for i, c := range p.Spec.Containers {
		if !running[c.Name] {
			continue
		}
		u := Usage{CPU: IdleCPU, Memory: ImageMemory(c.Image)}
		if i == 0 && s.load != nil {
			u.CPU += int64(s.load.RequestsServed(p.Namespace, p.Name, s.now().Add(-LoadWindow))) * CPUPerRequest * int64(time.Second/time.Millisecond) / int64(LoadWindow/time.Millisecond)
		}
		m.Containers = append(m.Containers, ContainerMetrics{Name: c.Name, Usage: u})
	}
	return m, len(m.Containers) > 0
}

// ImageMemory is the model's idle memory of a container of image.
func ImageMemory(image string) int64 {
	repo := image
	if i := strings.LastIndex(repo, "@"); i >= 0 {
		repo = repo[:i]
	}
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	for r := repo; r != ""; {
		if m, ok := idleMemory[r]; ok {
			return m
		}
		// Registries and mirrors: registry.k8s.io/metrics-server/metrics-server, docker.io/library/nginx.
		_, rest, ok := strings.Cut(r, "/")
		if !ok {
			break
		}
		r = rest
	}
	return DefaultMemory
}

// Nodes returns every node's sample (or the one named name), in the store's order.
func (s *Server) Nodes(name string) ([]NodeMetrics, error) {
	if err := s.Available(); err != nil {
		return nil, err
	}
	byNode := map[string]Usage{}
	s.store.Each(podsResource, "", func(o api.Object) bool {
		p := o.(*corev1.Pod)
		if m, ok := s.pod(p); ok {
			u, t := byNode[p.Spec.NodeName], m.Total()
			byNode[p.Spec.NodeName] = Usage{CPU: u.CPU + t.CPU, Memory: u.Memory + t.Memory}
		}
		return true
	})
	var out []NodeMetrics
	at := s.sampleTime()
	s.store.Each(nodesResource, "", func(o api.Object) bool {
		if name != "" && o.GetName() != name {
			return true
		}
		u := byNode[o.GetName()]
		out = append(out, NodeMetrics{Name: o.GetName(), Timestamp: at, Usage: Usage{CPU: u.CPU + NodeOverhead.CPU, Memory: u.Memory + NodeOverhead.Memory}})
		return true
	})
	return out, nil
}
