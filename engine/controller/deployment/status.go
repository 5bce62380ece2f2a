package deployment

import (
	"fmt"
	"math"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// newCondition is NewDeploymentCondition at the virtual instant now.
func newCondition(t appsv1.DeploymentConditionType, status corev1.ConditionStatus, reason, message string, now time.Time) appsv1.DeploymentCondition {
	return appsv1.DeploymentCondition{
		Type: t, Status: status, Reason: reason, Message: message,
		LastUpdateTime: metav1.NewTime(now), LastTransitionTime: metav1.NewTime(now),
	}
}

// getCondition is GetDeploymentCondition: a copy of the condition of type t, or nil.
func getCondition(status appsv1.DeploymentStatus, t appsv1.DeploymentConditionType) *appsv1.DeploymentCondition {
	for _, c := range status.Conditions {
		if c.Type == t {
			return &c
		}
	}
	return nil
}

// setCondition is SetDeploymentCondition: nothing changes when a condition of that type
// has the same status and reason (its message and times stay); a new status keeps the old
// transition time only if the status is the same. The condition goes last.
func setCondition(status *appsv1.DeploymentStatus, c appsv1.DeploymentCondition) {
	cur := getCondition(*status, c.Type)
	if cur != nil && cur.Status == c.Status && cur.Reason == c.Reason {
		return
	}
	if cur != nil && cur.Status == c.Status {
		c.LastTransitionTime = cur.LastTransitionTime
	}
	status.Conditions = append(withoutCondition(status.Conditions, c.Type), c)
}

// removeCondition is RemoveDeploymentCondition.
func removeCondition(status *appsv1.DeploymentStatus, t appsv1.DeploymentConditionType) {
	status.Conditions = withoutCondition(status.Conditions, t)
}

// withoutCondition returns a new slice (nil when empty), as filterOutCondition.
func withoutCondition(conds []appsv1.DeploymentCondition, t appsv1.DeploymentConditionType) []appsv1.DeploymentCondition {
	var out []appsv1.DeploymentCondition
	for _, c := range conds {
		if c.Type != t {
			out = append(out, c)
		}
	}
	return out
}

// hasProgressDeadline is HasProgressDeadline (MaxInt32 means none).
func hasProgressDeadline(d *appsv1.Deployment) bool {
	return d.Spec.ProgressDeadlineSeconds != nil && *d.Spec.ProgressDeadlineSeconds != math.MaxInt32
}

// terminatingReplicas is GetTerminatingReplicaCountForReplicaSets: the sum of the
// ReplicaSets' terminatingReplicas, unknown (nil) when a ReplicaSet the ReplicaSet controller
// has synced does not report it.
func terminatingReplicas(rss []*appsv1.ReplicaSet) *int32 {
	var n int32
	for _, rs := range rss {
		switch {
		case rs == nil:
		case rs.Status.ObservedGeneration == 0 && rs.Status.TerminatingReplicas == nil:
		case rs.Status.TerminatingReplicas == nil:
			return nil
		default:
			n += *rs.Status.TerminatingReplicas
		}
	}
	return &n
}

// calculateStatus is calculateStatus: the counts summed over the ReplicaSets (updated
// ones from the new ReplicaSet), observedGeneration, collisionCount kept, the conditions
// kept and Available set from whether at least spec.replicas - maxUnavailable pods are
// available.
func calculateStatus(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment, now time.Time) appsv1.DeploymentStatus {
	var replicas, ready, available, updated int32
	for _, rs := range allRSs {
		if rs == nil {
			continue
		}
		replicas += rs.Status.Replicas
		ready += rs.Status.ReadyReplicas
		available += rs.Status.AvailableReplicas
	}
	if newRS != nil {
		updated = newRS.Status.Replicas
	}
	status := appsv1.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            replicas,
		UpdatedReplicas:     updated,
		ReadyReplicas:       ready,
		AvailableReplicas:   available,
		UnavailableReplicas: max(sumSpecReplicas(allRSs)-available, 0),
		TerminatingReplicas: terminatingReplicas(allRSs),
	}
	if d.Status.CollisionCount != nil {
		status.CollisionCount = new(int32)
		*status.CollisionCount = *d.Status.CollisionCount
	}
	for _, c := range d.Status.Conditions {
		status.Conditions = append(status.Conditions, *c.DeepCopy())
	}
	if available >= deploymentReplicas(d)-maxUnavailable(d) {
		setCondition(&status, newCondition(appsv1.DeploymentAvailable, corev1.ConditionTrue, ReasonMinimumReplicasAvailable, "Deployment has minimum availability.", now))
	} else {
		setCondition(&status, newCondition(appsv1.DeploymentAvailable, corev1.ConditionFalse, ReasonMinimumReplicasUnavailable, "Deployment does not have minimum availability.", now))
	}
	return status
}

// deploymentComplete is DeploymentComplete: every replica updated and available, no old
// one left, and the status is of the current generation.
func deploymentComplete(d *appsv1.Deployment, status *appsv1.DeploymentStatus) bool {
	replicas := deploymentReplicas(d)
	return status.UpdatedReplicas == replicas && status.Replicas == replicas &&
		status.AvailableReplicas == replicas && status.ObservedGeneration >= d.Generation
}

// deploymentProgressing is DeploymentProgressing: compared with d's status, more updated,
// ready or available pods, or fewer old ones.
func deploymentProgressing(d *appsv1.Deployment, status *appsv1.DeploymentStatus) bool {
	old := d.Status
	return status.UpdatedReplicas > old.UpdatedReplicas ||
		status.Replicas-status.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		status.ReadyReplicas > old.ReadyReplicas ||
		status.AvailableReplicas > old.AvailableReplicas
}

// deploymentTimedOut is DeploymentTimedOut: the Progressing condition of status was last
// updated more than progressDeadlineSeconds before now, or already says so. A completed
// rollout never times out.
func deploymentTimedOut(d *appsv1.Deployment, status *appsv1.DeploymentStatus, now time.Time) bool {
	if !hasProgressDeadline(d) {
		return false
	}
	c := getCondition(*status, appsv1.DeploymentProgressing)
	switch {
	case c == nil || c.Reason == ReasonNewReplicaSetAvailable:
		return false
	case c.Reason == ReasonProgressDeadlineExceeded:
		return true
	}
	return c.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second).Before(now)
}

// rolloutStatus is syncRolloutStatus's decision: calculateStatus, then, when the Deployment
// has a progress deadline and the rollout is not already complete, the Progressing
// condition: NewReplicaSetAvailable once complete, ReplicaSetUpdated (its update time
// renewed) while progress shows, ProgressDeadlineExceeded once the deadline passed without
// any; and the ReplicaFailure condition of the ReplicaSets (the new one's first).
func rolloutStatus(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment, now time.Time) appsv1.DeploymentStatus {
	status := calculateStatus(allRSs, newRS, d, now)
	if !hasProgressDeadline(d) {
		removeCondition(&status, appsv1.DeploymentProgressing)
	}
	cur := getCondition(d.Status, appsv1.DeploymentProgressing)
	complete := status.Replicas == status.UpdatedReplicas && cur != nil && cur.Reason == ReasonNewReplicaSetAvailable
	if hasProgressDeadline(d) && !complete {
		subject := fmt.Sprintf("Deployment %q", d.Name)
		if newRS != nil {
			subject = fmt.Sprintf("ReplicaSet %q", newRS.Name)
		}
		switch {
		case deploymentComplete(d, &status):
			setCondition(&status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetAvailable, subject+" has successfully progressed.", now))
		case deploymentProgressing(d, &status):
			c := newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated, subject+" is progressing.", now)
			// Unlike setCondition, progress renews the update time even with the same reason.
			if cur != nil {
				if cur.Status == corev1.ConditionTrue {
					c.LastTransitionTime = cur.LastTransitionTime
				}
				removeCondition(&status, appsv1.DeploymentProgressing)
			}
			setCondition(&status, c)
		case deploymentTimedOut(d, &status, now):
			setCondition(&status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, ReasonProgressDeadlineExceeded, subject+" has timed out progressing.", now))
		}
	}
	if c := replicaFailure(allRSs, newRS); c != nil {
		setCondition(&status, *c)
	} else {
		removeCondition(&status, appsv1.DeploymentReplicaFailure)
	}
	return status
}

// replicaFailure is getReplicaFailures' first condition: the new ReplicaSet's
// ReplicaFailure, else the first old one's, as a Deployment condition.
func replicaFailure(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) *appsv1.DeploymentCondition {
	for _, rs := range append([]*appsv1.ReplicaSet{newRS}, allRSs...) {
		if rs == nil {
			continue
		}
		for _, c := range rs.Status.Conditions {
			if c.Type == appsv1.ReplicaSetReplicaFailure {
				return &appsv1.DeploymentCondition{
					Type: appsv1.DeploymentConditionType(c.Type), Status: c.Status,
					LastTransitionTime: c.LastTransitionTime, LastUpdateTime: c.LastTransitionTime,
					Reason: c.Reason, Message: c.Message,
				}
			}
		}
	}
	return nil
}

// progressCheckAfter is requeueStuckDeployment: how long until a rollout that shows no
// progress should be looked at again to see whether its deadline passed (the deadline plus
// the second upstream adds against clock skew); false when no check is needed (no deadline,
// no Progressing condition yet, complete, already timed out). Upstream requeues at once,
// rate-limited, when less than a second is left, and keeps doing so for a completed rollout
// that lost a pod (its condition still NewReplicaSetAvailable, which can never time out);
// on virtual time that would spin at one instant, so the first waits the second and the
// second is not requeued: the ReplicaSet's next status change syncs it anyway.
func progressCheckAfter(d *appsv1.Deployment, status appsv1.DeploymentStatus, now time.Time) (time.Duration, bool) {
	cur := getCondition(d.Status, appsv1.DeploymentProgressing)
	if !hasProgressDeadline(d) || cur == nil {
		return 0, false
	}
	if deploymentComplete(d, &status) || cur.Reason == ReasonProgressDeadlineExceeded || cur.Reason == ReasonNewReplicaSetAvailable {
		return 0, false
	}
	after := cur.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second).Sub(now)
	return max(after, 0) + time.Second, true
}

// pausedCondition is checkPausedConditions: with a progress deadline, a paused Deployment
// gets Progressing Unknown DeploymentPaused, and a resumed one DeploymentResumed, so that
// the time spent paused never counts against the deadline; a timed-out condition stays.
// It returns the new status and whether it changed.
func pausedCondition(d *appsv1.Deployment, now time.Time) (appsv1.DeploymentStatus, bool) {
	if !hasProgressDeadline(d) {
		return d.Status, false
	}
	cur := getCondition(d.Status, appsv1.DeploymentProgressing)
	if cur != nil && cur.Reason == ReasonProgressDeadlineExceeded {
		return d.Status, false
	}
	pausedSet := cur != nil && cur.Reason == ReasonDeploymentPaused
	var c appsv1.DeploymentCondition
	switch {
	case d.Spec.Paused && !pausedSet:
		c = newCondition(appsv1.DeploymentProgressing, corev1.ConditionUnknown, ReasonDeploymentPaused, "Deployment is paused", now)
	case !d.Spec.Paused && pausedSet:
		c = newCondition(appsv1.DeploymentProgressing, corev1.ConditionUnknown, ReasonDeploymentResumed, "Deployment is resumed", now)
	default:
		return d.Status, false
	}
	status := *d.Status.DeepCopy()
	setCondition(&status, c)
	return status, true
}

// foundNewReplicaSet is what getNewReplicaSet does to the Deployment once its new
// ReplicaSet exists: the Deployment takes the ReplicaSet's revision, and, when it has a
// deadline but no Progressing condition yet, FoundNewReplicaSet. d is the caller's copy; the
// result says whether a status write is needed.
func foundNewReplicaSet(d *appsv1.Deployment, rs *appsv1.ReplicaSet, now time.Time) bool {
	changed := setDeploymentRevision(d, rs.Annotations[AnnotationRevision])
	if hasProgressDeadline(d) && getCondition(d.Status, appsv1.DeploymentProgressing) == nil {
		setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonFoundNewReplicaSet, fmt.Sprintf("Found new replica set %q", rs.Name), now))
		changed = true
	}
	return changed
}

// createdNewReplicaSet is what getNewReplicaSet does to the Deployment after creating its
// new ReplicaSet (created) or finding it already there (a stale read): the new revision,
// and for a creation NewReplicaSetCreated. d is the caller's copy.
func createdNewReplicaSet(d *appsv1.Deployment, rs *appsv1.ReplicaSet, newRevision string, created bool, now time.Time) bool {
	changed := setDeploymentRevision(d, newRevision)
	if created && hasProgressDeadline(d) {
		setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetCreated, fmt.Sprintf("Created new replica set %q", rs.Name), now))
		changed = true
	}
	return changed
}

// failedNewReplicaSet is the message and condition of a refused ReplicaSet creation; d
// (the caller's copy) gets the condition when it has a progress deadline.
func failedNewReplicaSet(d *appsv1.Deployment, name string, err error, now time.Time) string {
	msg := fmt.Sprintf("Failed to create new replica set %q: %v", name, err)
	if hasProgressDeadline(d) {
		setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, ReasonReplicaSetCreateError, msg, now))
	}
	return msg
}
