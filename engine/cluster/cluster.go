package cluster

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/controller/cronjob"
	"github.com/kubetab/kubetab/engine/controller/daemonset"
	"github.com/kubetab/kubetab/engine/controller/deployment"
	"github.com/kubetab/kubetab/engine/controller/endpoints"
	"github.com/kubetab/kubetab/engine/controller/garbagecollector"
	"github.com/kubetab/kubetab/engine/controller/job"
	"github.com/kubetab/kubetab/engine/controller/nodelifecycle"
	"github.com/kubetab/kubetab/engine/controller/podautoscaler"
	"github.com/kubetab/kubetab/engine/controller/replicaset"
	"github.com/kubetab/kubetab/engine/controller/rootcacert"
	"github.com/kubetab/kubetab/engine/controller/servicelb"
	"github.com/kubetab/kubetab/engine/dns"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/metrics"
	"github.com/kubetab/kubetab/engine/proxy"
	"github.com/kubetab/kubetab/engine/scheduler"
	"github.com/kubetab/kubetab/engine/sim"
)

// DefaultStart is the virtual start time when none is given.
var DefaultStart = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// A cluster starts between EarliestStart and LatestStart: the Unix epoch, before which
// some clocks and formats (cron, Unix timestamps) do not go, and the end of year 9000,
// which leaves a thousand years of advances before sim.LatestTime.
var (
	EarliestStart = time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC)
	LatestStart   = time.Date(9000, time.December, 31, 23, 59, 59, 0, time.UTC)
)

// CheckStart refuses a start time outside EarliestStart and LatestStart.
func CheckStart(t time.Time) error {
	if t.Before(EarliestStart) || t.After(LatestStart) {
		return fmt.Errorf("start time %s is outside the years 1970 to 9000 that kubetab accepts", t.UTC().Format(time.RFC3339))
	}
	return nil
}

// Options shape a new cluster.
type Options struct {
	Seed  uint64
	Start time.Time // zero means DefaultStart
	// Workers overrides the default worker node names (nil = DefaultWorkers).
	Workers []string
	// KubeAPIQPS and KubeAPIBurst are the rate limit of each controller-manager
	// controller's API client, as kube-controller-manager's --kube-api-qps and
	// --kube-api-burst (zero: the defaults, 20 and 30; a negative QPS: no limit).
	KubeAPIQPS   float64
	KubeAPIBurst int
}

// The controller-manager's client rate limit by default (kube-controller-manager's
// --kube-api-qps and --kube-api-burst).
const (
	DefaultKubeAPIQPS   = 20
	DefaultKubeAPIBurst = 30
)

// ControllerManagerClients are the API clients of the controllers kube-controller-manager
// runs: each has its own rate limit (Options.KubeAPIQPS), as each upstream controller
// builds its own client from the same configuration. Events are written by their own
// client (sim.EventsClient), as upstream's event broadcaster does.
var ControllerManagerClients = []string{
	replicaset.ComponentReplicaSet, replicaset.ComponentReplicationController,
	deployment.ComponentDeployment, daemonset.Component,
	garbagecollector.ComponentGarbageCollector, garbagecollector.ComponentNamespace,
	job.ControllerName, job.TTLControllerName, cronjob.ControllerName,
	endpoints.ComponentEndpoints, endpoints.ComponentEndpointSlice, endpoints.ComponentMirroring,
	rootcacert.Name, nodelifecycle.Name, nodelifecycle.TaintEvictionName, nodelifecycle.PodGCName,
	podautoscaler.ControllerName, servicelb.Name,
}

// Cluster is a simulated cluster with every component of a default one, each reachable by
// its type.
type Cluster struct {
	*sim.Cluster
	// Client writes as the cluster's bootstrap and the node operations (kubetab node ...).
	Client                 *apiserver.Client
	ReplicaSets            *replicaset.Controller
	ReplicationControllers *replicaset.Controller
	DaemonSets             *daemonset.Controller
	Deployments            *deployment.Controller
	Endpoints              *endpoints.Controller
	GarbageCollector       *garbagecollector.GarbageCollector
	Scheduler              *scheduler.Scheduler
	Kubelets               *kubelet.Manager
	// Proxy is the nodes' kube-proxy and DNS the cluster DNS (CoreDNS), which the
	// kubelets' pods reach Services through.
	Proxy         *proxy.Proxy
	DNS           *dns.Server
	NodeLifecycle *nodelifecycle.Controller
	// Metrics is the metrics-server's resource metrics API (serving while its addon runs),
	// which the HorizontalPodAutoscalers read.
	Metrics     *metrics.Server
	Autoscalers *podautoscaler.Controller
}

// BootstrapClient is the API client of the cluster's set-up and of node operations.
const BootstrapClient = "kubetab"

// New builds the default cluster: namespaces, one tainted control-plane node and the
// workers, all Ready, with every component wired in, settled at the start instant.
func New(opts Options) (*Cluster, error) {
	start := opts.Start
	if start.IsZero() {
		start = DefaultStart
	}
	if err := CheckStart(start); err != nil {
		return nil, err
	}
	c := wire(sim.New(opts.Seed, start.UTC()))
	setRateLimits(c, opts)
	for _, ns := range DefaultNamespaces {
		if _, err := c.Client.Create(&corev1.Namespace{
			ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{"kubernetes.io/metadata.name": ns}},
		}, apiserver.CreateOptions{HandOver: true}); err != nil {
			return nil, fmt.Errorf("creating namespace %s: %w", ns, err)
		}
	}
	workers := opts.Workers
	if workers == nil {
		workers = DefaultWorkers
	}
	now := metav1.NewTime(c.Now())
	if _, err := c.Client.Create(NewNode(ControlPlaneNode, 0, true, nil, now), apiserver.CreateOptions{HandOver: true}); err != nil {
		return nil, err
	}
	for i, w := range workers {
		if _, err := c.Client.Create(NewNode(w, i+1, false, nil, now), apiserver.CreateOptions{HandOver: true}); err != nil {
			return nil, err
		}
	}
	if err := createClusterServices(c.Cluster); err != nil {
		return nil, err
	}
	if err := c.Settle(); err != nil {
		return nil, err
	}
	return c, nil
}

// setRateLimits gives each controller-manager controller's client its rate limit.
func setRateLimits(c *Cluster, opts Options) {
	limit := apiserver.RateLimit{QPS: opts.KubeAPIQPS, Burst: opts.KubeAPIBurst}
	if limit.QPS == 0 {
		limit.QPS = DefaultKubeAPIQPS
	}
	if limit.Burst == 0 {
		limit.Burst = DefaultKubeAPIBurst
	}
	for _, name := range ControllerManagerClients {
		c.API.Client(name).SetRateLimit(limit)
	}
}

// wire adds every component to s, in the order their watches see events.
func wire(s *sim.Cluster) *Cluster {
	c := &Cluster{Cluster: s, Client: s.API.Client(BootstrapClient)}
	c.ReplicaSets, c.ReplicationControllers = replicaset.New(s)
	c.Deployments = deployment.New(s)
	c.DaemonSets = daemonset.New(s)
	c.GarbageCollector = garbagecollector.New(s)
	job.New(s)
	cronjob.New(s)
	c.Endpoints = endpoints.New(s)
	rootcacert.New(s)
	c.Scheduler = scheduler.New(s)
	c.Kubelets = kubelet.New(s)
	c.Proxy = proxy.New(s.Store, s.Now, s.Stream)
	c.DNS = dns.New(s.Store, s.Stream)
	c.Kubelets.Proxy, c.Kubelets.DNS = c.Proxy, c.DNS
	c.NodeLifecycle = nodelifecycle.New(s, c.Kubelets.Stopped)
	c.Metrics = metrics.New(s.Store, s.Now, c.Kubelets)
	c.Autoscalers = podautoscaler.New(s, hpaMetrics{c.Metrics})
	servicelb.New(s)
	return c
}
