// Package replicaset is the ReplicaSet controller (apps/v1, component `replicaset-controller`)
// and, through the same code, the ReplicationController controller (core/v1, component
// `replication-controller`), as upstream's pkg/controller/replication adapts RCs to the
// ReplicaSet code.
//
// It owns: claiming pods (adopting matching orphans, releasing owned pods whose labels stopped
// matching, never touching pods another controller owns), creating missing pods from the
// template and deleting surplus ones in upstream's ActivePods order, at most BurstReplicas per
// sync, and the status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
// observedGeneration, the ReplicaFailure condition).
//
// Handlers only mark keys: an owner key, plus the names of the pods whose events concern it.
// sync(key) re-reads the owner and reclassifies just those pods, keeping per-owner tallies, so
// that a pod status change costs O(1) rather than a listing of the namespace; any change of
// the owner's generation (selector, template, replicas) or uid rebuilds the claim from a full
// listing, as upstream's sync does every time.
//
// Decisions are receiver-less functions (getPodsToDelete, activePodsLess, calculateStatus,
// classifyPod, newPodFromTemplate) that tests call directly.
//
// It imports sim, store, events and api; it must not import other controllers, the scheduler
// or the kubelet. Ownership cleanup after deletion is the garbage collector's job.
package replicaset
