package cluster

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/controller/cronjob"
	"github.com/kubetab/kubetab/engine/controller/daemonset"
	"github.com/kubetab/kubetab/engine/controller/garbagecollector"
	"github.com/kubetab/kubetab/engine/controller/job"
	"github.com/kubetab/kubetab/engine/controller/nodelifecycle"
	"github.com/kubetab/kubetab/engine/controller/replicaset"
	"github.com/kubetab/kubetab/engine/kubelet"
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

// New builds the default cluster: namespaces, one tainted control-plane node and the
// workers, all Ready, with every component registered, settled at the start instant.
func New(opts Options) (*sim.Cluster, error) {
	start := opts.Start
	if start.IsZero() {
		start = DefaultStart
	}
	c := sim.New(opts.Seed, start.UTC())
	register(c)
	for _, ns := range DefaultNamespaces {
		if _, err := c.Store.Create(&corev1.Namespace{
			ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{"kubernetes.io/metadata.name": ns}},
			Status:     corev1.NamespaceStatus{Phase: corev1.NamespaceActive},
		}); err != nil {
			return nil, fmt.Errorf("creating namespace %s: %w", ns, err)
		}
	}
	workers := opts.Workers
	if workers == nil {
		workers = DefaultWorkers
	}
	now := metav1.NewTime(c.Now())
	if _, err := c.Store.Create(NewNode(ControlPlaneNode, 0, true, nil, now)); err != nil {
		return nil, err
	}
	for i, w := range workers {
		if _, err := c.Store.Create(NewNode(w, i+1, false, nil, now)); err != nil {
			return nil, err
		}
	}
	if err := c.Settle(); err != nil {
		return nil, err
	}
	return c, nil
}

// register wires admission and every component into c.
func register(c *sim.Cluster) {
	c.Store.Admit = admit
	replicaset.Register(c)
	daemonset.Register(c)
	garbagecollector.Register(c)
	job.Register(c)
	cronjob.Register(c)
	scheduler.Register(c)
	kubelet.Register(c)
	nodelifecycle.Register(c, kubelet.For(c).Stopped)
}
