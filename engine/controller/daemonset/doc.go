// Package daemonset is the DaemonSet controller (apps/v1, component `daemonset-controller`),
// after upstream's pkg/controller/daemon.
//
// It owns: one daemon pod per eligible node. A node is eligible when the template's
// nodeSelector and required node affinity match it and its NoSchedule/NoExecute taints are
// tolerated, counting the tolerations every daemon pod gets (not-ready and unreachable
// NoExecute without tolerationSeconds; disk-, memory-, pid-pressure and unschedulable
// NoSchedule; network-unavailable for hostNetwork pods). Pods are created with those
// tolerations, the `controller-revision-hash` label, a required node affinity
// `matchFields metadata.name In [<node>]` (the default scheduler binds them) and a controller
// reference. Nodes that stop being eligible lose their pod (a node with only untolerated
// NoSchedule taints keeps a running one); extra pods on a node go, oldest kept; failed pods
// are deleted with a per DaemonSet+node back-off and a FailedDaemonPod warning; at most
// BurstReplicas creates and deletes per sync. Template changes roll out with RollingUpdate
// (maxUnavailable, or maxSurge) or wait for the user's deletes with OnDelete. It writes
// the status (desired/current/ready/updated/available/unavailable/misscheduled numbers,
// observedGeneration).
//
// Revisions: kubetab keeps no ControllerRevision objects. The controller-revision-hash is
// computed from the pod template itself (FNV-32a of its JSON, encoded like upstream's
// hashes), so it changes exactly when the template changes but differs from a real
// cluster's value; `kubectl rollout history/undo` has nothing to read. When the DaemonSet
// carries the API server's `deprecated.daemonset.template.generation` annotation, pods also
// get the `pod-template-generation` label.
//
// Handlers only mark work: pods to re-claim, nodes to re-evaluate. sync(key) re-claims just
// those pods and re-evaluates just those nodes, keeping each node's share of the status, so
// a pod's status change costs O(1) rather than a walk over every node; a new generation or
// uid rebuilds everything from a full listing, as upstream's sync does every time. Node
// updates that change neither labels nor taints (heartbeats) are ignored. Nodes are
// visited in name order (upstream walks maps), so runs are deterministic.
//
// Decisions are receiver-less functions (nodeShouldRunDaemonPod, podsShouldBeOnNode,
// rollingUpdate, statusOfNode, newDaemonPod, templateHash) that tests call directly.
//
// It imports sim, store, events and api; it must not import other controllers, the
// scheduler or the kubelet. Pods of deleted nodes are left to the pod garbage collector,
// and pods of a deleted DaemonSet to the garbage collector, as upstream.
package daemonset
