package cluster

import (
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/controller/nodelifecycle"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// The node operations of `kubetab node add|fail|recover|remove`. Each one settles the
// cluster at the current instant; unknown nodes give the API server's NotFound
// (`nodes "x" not found`).

// AddNode adds a Ready worker with the next free pod CIDR; its kubelet records its start-up
// events and the node controller registers it.
func AddNode(c *sim.Cluster, name string, labels map[string]string) (*corev1.Node, error) {
	n := NewNode(name, FreeNodeIndex(c.Store), false, labels, metav1.NewTime(c.Now()))
	obj, err := c.Store.Create(n)
	if err != nil {
		return nil, err
	}
	if err := c.Settle(); err != nil {
		return nil, err
	}
	if m := kubelet.For(c); m != nil {
		m.RecordStartup(name)
	}
	if ctl := nodelifecycle.For(c); ctl != nil {
		ctl.RecordRegistered(obj.(*corev1.Node))
	}
	if err := c.Settle(); err != nil {
		return nil, err
	}
	cur, err := c.Store.Get(nodesResource, "", name)
	if err != nil {
		return nil, err
	}
	return cur.(*corev1.Node), nil
}

// RemoveNode deletes the Node object. Its pods stay until the pod garbage collector deletes
// them (after its 40 s quarantine).
func RemoveNode(c *sim.Cluster, name string) error {
	if _, err := c.Store.Delete(nodesResource, "", name, store.DeleteOptions{}); err != nil {
		return err
	}
	return c.Settle()
}

// FailNode stops the node's kubelet: no more status, its containers keep their last state.
// After the node monitor grace period the node controller marks the node NotReady, taints
// it unreachable and evicts its pods as their tolerations run out.
func FailNode(c *sim.Cluster, name string) error {
	if err := nodeExists(c, name); err != nil {
		return err
	}
	m := kubelet.For(c)
	if m == nil {
		return apierrors.NewServiceUnavailable("kubetab: no kubelets in this cluster")
	}
	if err := m.Stop(name); err != nil {
		return err
	}
	if ctl := nodelifecycle.For(c); ctl != nil {
		ctl.NodeChanged(name)
	}
	return c.Settle()
}

// RecoverNode starts the node's kubelet again: it posts Ready conditions, the node
// controller lifts its taints, and the kubelet stops and removes the pods deleted meanwhile.
func RecoverNode(c *sim.Cluster, name string) error {
	if err := nodeExists(c, name); err != nil {
		return err
	}
	m := kubelet.For(c)
	if m == nil {
		return apierrors.NewServiceUnavailable("kubetab: no kubelets in this cluster")
	}
	if err := m.Resume(name, ReadyConditions(metav1.NewTime(c.Now()))); err != nil {
		return err
	}
	return c.Settle()
}

func nodeExists(c *sim.Cluster, name string) error {
	_, err := c.Store.Get(nodesResource, "", name)
	return err
}
