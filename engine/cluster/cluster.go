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
	"github.com/kubetab/kubetab/engine/controller/replicaset"
	"github.com/kubetab/kubetab/engine/dns"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/proxy"
	"github.com/kubetab/kubetab/engine/scheduler"
	"github.com/kubetab/kubetab/engine/sim"
)

// DefaultStart is the virtual start time when none is given.
var DefaultStart = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// Options shape a new cluster.
type Options struct {
	Seed  uint64
	Start time.Time // zero means DefaultStart
	// Workers overrides the default worker node names (nil = DefaultWorkers).
	Workers []string
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
	c := wire(sim.New(opts.Seed, start.UTC()))
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
	c.Scheduler = scheduler.New(s)
	c.Kubelets = kubelet.New(s)
	c.Proxy = proxy.New(s.Store, s.Now, s.Stream)
	c.DNS = dns.New(s.Store, s.Stream)
	c.Kubelets.Proxy, c.Kubelets.DNS = c.Proxy, c.DNS
	c.NodeLifecycle = nodelifecycle.New(s, c.Kubelets.Stopped)
	return c
}
