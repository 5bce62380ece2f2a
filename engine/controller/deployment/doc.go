// Package deployment is the Deployment controller (apps/v1, component
// `deployment-controller`), after upstream's pkg/controller/deployment (v1.37).
//
// It owns: one ReplicaSet per pod template, named `<deployment>-<pod-template-hash>` with the
// hash computed exactly as upstream computes it (computeHash: FNV-32a over the template as
// go-spew writes it for hashing, plus the collisionCount), the hash label on its selector,
// template and labels, the Deployment's annotations copied to it (but the last-applied
// configuration and the controller's own), a controller reference, and the
// `deployment.kubernetes.io/revision`, `revision-history`, `desired-replicas` and
// `max-replicas` annotations; rolling out a new template with RollingUpdate (maxSurge and
// maxUnavailable, absolute or percent, surge rounded up, unavailable down, both zero meaning
// one unavailable) or Recreate (old ReplicaSets to zero, wait for their pods to be gone, then
// the new one to full size); proportional scaling of a rollout in flight or paused; the
// rollback requested through the deprecated `deprecated.deployment.rollback.to` annotation
// (DeploymentRollback events); removing old ReplicaSets beyond revisionHistoryLimit; the
// status (replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas,
// terminatingReplicas, observedGeneration, collisionCount) and the Available and Progressing
// conditions with upstream's reasons and messages, including ProgressDeadlineExceeded, for
// which a sync says when to look again.
//
// Decisions are receiver-less functions that tests call directly (see decisions.go,
// rollout.go, status.go): computeHash, replicaSetName, newReplicaSet, resolveFenceposts,
// maxSurge, maxUnavailable, newRSNewReplicas, scaledReplicaSet, scaleSteps (proportional
// scaling), newReplicaSetTarget, oldReplicaSetsScaleDown (cleanupUnhealthyReplicas, then
// scaleDownOldReplicaSetsForRollingUpdate), recreateScaleDown, oldPodsRunning,
// replicaSetsToCleanUp, findNewReplicaSet, findOldReplicaSets, findActiveOrLatest,
// isScalingEvent, setNewReplicaSetAnnotations, rollbackTarget, rollbackToTemplate,
// calculateStatus, rolloutStatus, pausedCondition and progressCheckAfter. The controller's
// sync (controller.go) only gathers the Deployment, its ReplicaSets and (for Recreate) their
// pods, calls them in upstream's order and writes what they return.
//
// It imports sim, store, events and api; it must not import other controllers, the scheduler
// or the kubelet. The ReplicaSets' pods are the ReplicaSet controller's; the ReplicaSets of a
// deleted Deployment are the garbage collector's.
package deployment
