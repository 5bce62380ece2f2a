package cluster

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

// The node operations of `kubetab node add|fail|recover|remove`. Each one settles the
// cluster at the current instant; unknown nodes give the API server's NotFound
// (`nodes "x" not found`).

// AddNode adds a Ready worker with the next free pod CIDR; its kubelet records its start-up
// events and the node controller registers it.
//
// The name is validated first, as the API server validates a Node's (a DNS-1123
// subdomain), so that the error is about the name given and not also about the
// kubernetes.io/hostname label made from it.
func (c *Cluster) AddNode(name string, labels map[string]string) (*corev1.Node, error) {
	named := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if errs := api.ValidateMeta(named); len(errs) > 0 {
		return nil, api.InvalidError(named, errs)
	}
	n := NewNode(name, FreeNodeIndex(c.Store), false, labels, metav1.NewTime(c.Now()))
	_, err := c.Client.Create(n, apiserver.CreateOptions{HandOver: true})
	if err != nil {
		return nil, err
	}
	if err := c.Settle(); err != nil {
		return nil, err
	}
	c.Kubelets.RecordStartup(name)
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
func (c *Cluster) RemoveNode(name string) error {
	if _, err := c.Client.Delete(nodesResource, "", name, apiserver.DeleteOptions{}); err != nil {
		return err
	}
	return c.Settle()
}

// FailNode stops the node's kubelet: no more status, its containers keep their last state.
// After the node monitor grace period the node controller marks the node NotReady, taints
// it unreachable and evicts its pods as their tolerations run out.
func (c *Cluster) FailNode(name string) error {
	if err := c.nodeExists(name); err != nil {
		return err
	}
	if err := c.Kubelets.Stop(name); err != nil {
		return err
	}
	c.NodeLifecycle.NodeChanged(name)
	return c.Settle()
}

// RecoverNode starts the node's kubelet again: it posts Ready conditions, the node
// controller lifts its taints, and the kubelet stops and removes the pods deleted meanwhile.
func (c *Cluster) RecoverNode(name string) error {
	if err := c.nodeExists(name); err != nil {
		return err
	}
	if err := c.Kubelets.Resume(name, ReadyConditions(metav1.NewTime(c.Now()))); err != nil {
		return err
	}
	return c.Settle()
}

func (c *Cluster) nodeExists(name string) error {
	_, err := c.Store.Get(nodesResource, "", name)
	return err
}
