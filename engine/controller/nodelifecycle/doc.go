// Package nodelifecycle is the node-controller (node health and taints), the
// taint-eviction-controller (NoExecute evictions) and the pod garbage collector's orphan
// pass (pods bound to nodes that no longer exist).
//
// kubetab simulates no heartbeats: a month of virtual time must stay cheap. Instead the
// controller asks a KubeletStatus function (the kubelets' Manager.Stopped) since when a
// node's kubelet has been silent, and wakes itself once the node monitor grace period (50 s)
// has passed. It then sets the node's conditions to Unknown (NodeStatusUnknown, "Kubelet
// stopped posting node status."), taints it node.kubernetes.io/unreachable (NoSchedule and
// NoExecute), records NodeNotReady on the node and marks its pods not ready. When the kubelet
// posts Ready again, the taints go.
//
// The taint eviction controller deletes pods that do not tolerate a node's NoExecute taints,
// at once or when their tolerationSeconds run out (300 s for the tolerations the API server
// adds), recording TaintManagerEviction. Such pods stay Terminating until their kubelet
// confirms, or until the node is removed and the pod GC deletes them (after a 40 s
// quarantine, as upstream).
//
// Imports sim, store, events and api; learns about kubelets only through KubeletStatus.
package nodelifecycle
