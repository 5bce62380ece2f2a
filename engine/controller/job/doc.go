// Package job is the Job controller (batch/v1, component `job-controller`) with upstream's
// modern (v1.31+) semantics, plus the two small controllers that belong to it: the cleanup of
// tracking finalizers on pods whose Job is gone, and the ttl-after-finished controller.
//
// It owns: setting status.startTime; creating pods from the template (generateName
// `<job>-`, or `<job>-<index>-` with the completion index annotation, label, hostname and
// JOB_COMPLETION_INDEX for Indexed Jobs) with a controller ownerReference and the
// `batch.kubernetes.io/job-tracking` finalizer, removed once the pod's outcome is counted;
// the number of active pods (parallelism, remaining completions, slow-start batches, at most
// 500 creates or deletes per sync, surplus pods deleted in ActivePods order); the pod-failure
// back-off (10 s doubling to 10 min); backoffLimit (failed pods, or container restarts with
// restartPolicy OnFailure), backoffLimitPerIndex and maxFailedIndexes; podFailurePolicy
// (FailJob, FailIndex, Ignore, Count); successPolicy; activeDeadlineSeconds; suspend and
// resume; and the status: active, ready, terminating, succeeded, failed, completedIndexes,
// failedIndexes and the conditions, where the terminal Complete or Failed condition follows
// SuccessCriteriaMet or FailureTarget only once no pod is terminating.
//
// A Job's own events sync it at once; its pods' events a second later (upstream's
// syncJobBatchPeriod), once for all the pod changes of that second, since a sync looks at
// every pod of the Job.
//
// sync re-reads the Job, gathers its pods and calls receiver-less decisions (wantActive,
// podFailureBackoff, matchPodFailurePolicy, decideFailure, activePodsForRemoval,
// firstPendingIndexes, matchSuccessPolicy, indexSet) that tests call directly; it returns
// when to look again (deadline, back-off) instead of waiting.
//
// It imports sim, store, events and api; it must not import other controllers, the
// scheduler or the kubelet. Deleting the pods of a deleted Job is the garbage collector's
// job; this package only makes sure its finalizer does not hold them.
package job
