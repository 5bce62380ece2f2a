// Package deployment is the Deployment controller (apps/v1, component
// `deployment-controller`), after upstream's pkg/controller/deployment (v1.37).
//
// It owns: one ReplicaSet per pod template, named `<deployment>-<pod-template-hash>` with the
// hash computed exactly as upstream computes it (computeHash: FNV-32a over the defaulted
// template as go-spew writes it for hashing, plus the collisionCount), the hash label on its
// selector, template and labels, the Deployment's annotations copied to it (but the
// last-applied configuration and the controller's own), a controller reference, and the
// `deployment.kubernetes.io/revision`, `revision-history`, `desired-replicas` and
// `max-replicas` annotations; adopting orphan ReplicaSets its selector matches and releasing
// its own that stopped matching; rolling out a new template with RollingUpdate (maxSurge and
// maxUnavailable, absolute or percent, surge rounded up, unavailable down, both zero meaning
// one unavailable) or Recreate (old ReplicaSets to zero, wait for their pods to be gone, then
// the new one at full size); proportional scaling of a rollout in flight or paused; the
// rollback requested through the deprecated `deprecated.deployment.rollback.to` annotation
// (DeploymentRollback events; `kubectl rollout undo` patches the template itself); removing
// old ReplicaSets beyond revisionHistoryLimit; the status (replicas, updatedReplicas,
// readyReplicas, availableReplicas, unavailableReplicas, terminatingReplicas,
// observedGeneration, collisionCount) with the Available, Progressing and ReplicaFailure
// conditions and upstream's reasons and messages, including ProgressDeadlineExceeded, for
// which a sync says when to look again. ScalingReplicaSet events read `Scaled up replica set
// web-6d4cf56db6 from 0 to 3`.
//
// Three layers, each testable on its own:
//   - Decisions (decisions.go, rollout.go, status.go) are receiver-less functions that
//     tables test directly: computeHash, replicaSetName, newReplicaSet, findNewReplicaSet,
//     findOldReplicaSets, findActiveOrLatest, setNewReplicaSetAnnotations,
//     syncedNewReplicaSet, isOwnNewReplicaSet, rollbackTarget, RollbackToTemplate,
//     resolveFenceposts, maxSurge, maxUnavailable, newRSNewReplicas, scaledReplicaSet,
//     isScalingEvent, scaleSteps (proportional scaling), newReplicaSetTarget,
//     oldReplicaSetsScaleDown (cleanupUnhealthyReplicas, then
//     scaleDownOldReplicaSetsForRollingUpdate), recreateScaleDown, oldPodsRunning,
//     replicaSetsToCleanUp, calculateStatus, rolloutStatus, progressCheckAfter,
//     pausedCondition, foundNewReplicaSet, createdNewReplicaSet, claimFor. Three are
//     exported because kubectl's rollout history and undo decide as upstream's kubectl does
//     with its copy of deploymentutil: Revision, EqualIgnoreHash, RollbackToTemplate.
//   - The sync (sync.go): syncDeployment and claimReplicaSets call the decisions in
//     upstream's order and write through a small writer interface, so that an in-memory
//     API in the tests plays whole rollouts (the docs' Deployment page, bounds at every
//     step, Recreate, pause, history, collisions).
//   - The controller (controller.go): watch handlers as upstream's (a ReplicaSet's
//     controlling Deployment, matching Deployments for orphans, pod deletions for
//     Recreate), a sync that reads the Deployment, its namespace's ReplicaSets and
//     Recreate's pods from the store, and the writer on the API server.
//
// It imports sim, store, events, apiserver and api; it must not import other controllers,
// the scheduler or the kubelet. The ReplicaSets' pods are the ReplicaSet controller's; the
// ReplicaSets of a deleted Deployment are the garbage collector's.
package deployment
