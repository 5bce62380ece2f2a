package deployment

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
)

// writer is what a sync writes through: the API server for the controller (controller.go),
// an in-memory cluster in tests. Every method returns the object as stored; the sync never
// changes what it is given or returned, it writes copies.
type writer interface {
	CreateReplicaSet(rs *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error)
	// GetReplicaSet reads a ReplicaSet afresh (after a create found the name taken).
	GetReplicaSet(namespace, name string) (*appsv1.ReplicaSet, error)
	UpdateReplicaSet(rs *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error)
	// DeleteReplicaSet deletes rs if it is still the same object (uid precondition).
	DeleteReplicaSet(rs *appsv1.ReplicaSet) error
	// UpdateDeployment writes the main resource (a rollback's template).
	UpdateDeployment(d *appsv1.Deployment) (*appsv1.Deployment, error)
	// UpdateDeploymentStatus writes the status subresource. As upstream's status strategy,
	// it keeps annotation changes (the revision annotation travels this way) and bumps no
	// generation.
	UpdateDeploymentStatus(d *appsv1.Deployment) (*appsv1.Deployment, error)
	// Eventf records an event about the Deployment as `deployment-controller`.
	Eventf(d *appsv1.Deployment, eventType, reason, messageFmt string, args ...any)
}

// syncer is one sync of one Deployment: upstream's syncDeployment and the methods it calls,
// in upstream's order, with the decisions made by the receiver-less functions of this
// package. d and rss follow the writes (upstream re-reads them on its next sync, after a
// conflict; here the next step just uses what the write returned).
type syncer struct {
	w   writer
	now time.Time
	d   *appsv1.Deployment
	rss []*appsv1.ReplicaSet
}

// syncDeployment reconciles d with its claimed ReplicaSets (claimReplicaSets) and, for a
// Recreate Deployment, their pods by ReplicaSet uid. It returns when to look again for a
// progress deadline (0: no need).
func syncDeployment(w writer, d *appsv1.Deployment, rss []*appsv1.ReplicaSet, podsByRS map[types.UID][]*corev1.Pod, now time.Time) (time.Duration, error) {
	if d.Spec.Selector == nil || (len(d.Spec.Selector.MatchLabels) == 0 && len(d.Spec.Selector.MatchExpressions) == 0) {
		w.Eventf(d, corev1.EventTypeWarning, ReasonSelectingAll, "This deployment is selecting all pods. A non-empty selector is required.")
		if d.Status.ObservedGeneration < d.Generation {
			c := d.DeepCopy()
			c.Status.ObservedGeneration = c.Generation
			_, _ = w.UpdateDeploymentStatus(c) // upstream ignores the error too
		}
		return 0, nil
	}
	s := &syncer{w: w, now: now, d: d, rss: slices.Clone(rss)}
	if d.DeletionTimestamp != nil {
		return 0, s.syncStatusOnly()
	}
	if err := s.checkPausedConditions(); err != nil {
		return 0, err
	}
	if s.d.Spec.Paused {
		return 0, s.scale()
	}
	if rollbackTo(s.d) != nil {
		return 0, s.rollback()
	}
	newRS, oldRSs, err := s.replicaSets(false)
	if err != nil {
		return 0, err
	}
	if isScalingEvent(s.d, newRS, oldRSs) {
		return 0, s.scale()
	}
	switch s.d.Spec.Strategy.Type {
	case appsv1.RecreateDeploymentStrategyType:
		return s.rolloutRecreate(podsByRS)
	case appsv1.RollingUpdateDeploymentStrategyType:
		return s.rolloutRolling()
	}
	return 0, fmt.Errorf("unexpected deployment strategy type: %s", s.d.Spec.Strategy.Type)
}

// current is the latest version of rs this sync knows.
func (s *syncer) current(rs *appsv1.ReplicaSet) *appsv1.ReplicaSet {
	for _, r := range s.rss {
		if r.UID == rs.UID && r.Name == rs.Name {
			return r
		}
	}
	return rs
}

// stored takes a ReplicaSet the API returned as the current version.
func (s *syncer) stored(rs *appsv1.ReplicaSet) {
	for i, r := range s.rss {
		if r.UID == rs.UID && r.Name == rs.Name {
			s.rss[i] = rs
			return
		}
	}
	s.rss = append(s.rss, rs)
}

// writeStatus writes d's status (and annotations) and follows the result.
func (s *syncer) writeStatus(d *appsv1.Deployment) error {
	got, err := s.w.UpdateDeploymentStatus(d)
	if err != nil {
		return err
	}
	s.d = got
	return nil
}

// replicaSets is getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked
// and missing) with its revision and annotations synced, and all the old ones.
func (s *syncer) replicaSets(create bool) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet, error) {
	_, oldRSs := findOldReplicaSets(s.d, s.rss)
	newRS, err := s.newReplicaSet(oldRSs, create)
	return newRS, oldRSs, err
}

// newReplicaSet is getNewReplicaSet.
func (s *syncer) newReplicaSet(oldRSs []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, error) {
	newRevision := strconv.FormatInt(maxRevision(oldRSs)+1, 10)
	if existing := findNewReplicaSet(s.d, s.rss); existing != nil {
		if synced := syncedNewReplicaSet(s.d, existing, newRevision); synced != nil {
			// Upstream returns here: the Deployment takes the revision on the next pass.
			got, err := s.w.UpdateReplicaSet(synced)
			if err != nil {
				return nil, err
			}
			s.stored(got)
			return got, nil
		}
		c := s.d.DeepCopy()
		if foundNewReplicaSet(c, existing, s.now) {
			if err := s.writeStatus(c); err != nil {
				return nil, err
			}
		}
		return existing, nil
	}
	if !create {
		return nil, nil
	}

	rs := newReplicaSet(s.d, newRevision)
	replicas, err := newRSNewReplicas(s.d, append(slices.Clone(oldRSs), rs), rs)
	if err != nil {
		return nil, err
	}
	*rs.Spec.Replicas = replicas
	created, err := s.w.CreateReplicaSet(rs)
	alreadyExists := false
	switch {
	case apierrors.IsAlreadyExists(err):
		// A ReplicaSet of that name: ours from a stale read, or a hash collision.
		alreadyExists = true
		existing, getErr := s.w.GetReplicaSet(rs.Namespace, rs.Name)
		if getErr != nil {
			return nil, getErr
		}
		if !isOwnNewReplicaSet(s.d, existing) {
			c := s.d.DeepCopy()
			if c.Status.CollisionCount == nil {
				c.Status.CollisionCount = new(int32)
			}
			*c.Status.CollisionCount++
			// The error requeues; the next sync tries the name the new count gives.
			_ = s.writeStatus(c)
			return nil, err
		}
		created, err = existing, nil
	case apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause):
		return nil, err
	case err != nil:
		c := s.d.DeepCopy()
		msg := failedNewReplicaSet(c, rs.Name, err, s.now)
		if hasProgressDeadline(c) {
			_ = s.writeStatus(c) // the creation error is the one to report
		}
		s.w.Eventf(s.d, corev1.EventTypeWarning, ReasonReplicaSetCreateError, "%s", msg)
		return nil, err
	}
	s.stored(created)
	if !alreadyExists && replicas > 0 {
		s.w.Eventf(s.d, corev1.EventTypeNormal, ReasonScalingReplicaSet, "Scaled up replica set %s from 0 to %d", created.Name, replicas)
	}
	c := s.d.DeepCopy()
	if createdNewReplicaSet(c, created, newRevision, !alreadyExists, s.now) {
		if err := s.writeStatus(c); err != nil {
			return created, err
		}
	}
	return created, nil
}

// apply writes one scale step to the ReplicaSet as this sync last saw it; scaled reports a
// change of size (and its ScalingReplicaSet event).
func (s *syncer) apply(step scaleStep) (bool, error) {
	upd, msg := scaledReplicaSet(s.current(step.rs), step.to, s.d, step.force)
	if upd == nil {
		return false, nil
	}
	got, err := s.w.UpdateReplicaSet(upd)
	if err != nil {
		return false, err
	}
	s.stored(got)
	if msg == "" {
		return false, nil
	}
	s.w.Eventf(s.d, corev1.EventTypeNormal, ReasonScalingReplicaSet, "%s", msg)
	return true, nil
}

// scale is upstream's sync: a scaling event or a paused Deployment scales (proportionally)
// without rolling out; a paused one also cleans up its history.
func (s *syncer) scale() error {
	newRS, oldRSs, err := s.replicaSets(false)
	if err != nil {
		return err
	}
	for _, step := range scaleSteps(s.d, newRS, oldRSs) {
		if _, err := s.apply(step); err != nil {
			return err
		}
	}
	if s.d.Spec.Paused && rollbackTo(s.d) == nil {
		if err := s.cleanup(oldRSs); err != nil {
			return err
		}
	}
	return s.syncStatus(append(oldRSs, newRS), newRS)
}

// syncStatusOnly is syncStatusOnly: a Deployment being deleted only gets its status.
func (s *syncer) syncStatusOnly() error {
	newRS, oldRSs, err := s.replicaSets(false)
	if err != nil {
		return err
	}
	return s.syncStatus(append(oldRSs, newRS), newRS)
}

// syncStatus is syncDeploymentStatus: counts and Available, no progress estimate.
func (s *syncer) syncStatus(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) error {
	status := calculateStatus(allRSs, newRS, s.d, s.now)
	if equality.Semantic.DeepEqual(s.d.Status, status) {
		return nil
	}
	c := s.d.DeepCopy()
	c.Status = status
	return s.writeStatus(c)
}

// syncRolloutStatus is syncRolloutStatus: the status with the Progressing condition, or,
// when nothing changed, when to check the progress deadline again.
func (s *syncer) syncRolloutStatus(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) (time.Duration, error) {
	status := rolloutStatus(allRSs, newRS, s.d, s.now)
	if equality.Semantic.DeepEqual(s.d.Status, status) {
		after, _ := progressCheckAfter(s.d, status, s.now)
		return after, nil
	}
	c := s.d.DeepCopy()
	c.Status = status
	return 0, s.writeStatus(c)
}

// checkPausedConditions writes the DeploymentPaused or DeploymentResumed condition.
func (s *syncer) checkPausedConditions() error {
	status, changed := pausedCondition(s.d, s.now)
	if !changed {
		return nil
	}
	c := s.d.DeepCopy()
	c.Status = status
	return s.writeStatus(c)
}

// cleanup is cleanupDeployment: delete old ReplicaSets beyond revisionHistoryLimit.
func (s *syncer) cleanup(oldRSs []*appsv1.ReplicaSet) error {
	for _, rs := range replicaSetsToCleanUp(oldRSs, s.d) {
		if err := s.w.DeleteReplicaSet(rs); err != nil && !apierrors.IsNotFound(err) {
			return err
		}
	}
	return nil
}

// rolloutRolling is rolloutRolling: grow the new ReplicaSet if it may, else shrink old
// ones if they may, else (complete) clean up the history; then the status.
func (s *syncer) rolloutRolling() (time.Duration, error) {
	newRS, oldRSs, err := s.replicaSets(true)
	if err != nil {
		return 0, err
	}
	// The status below is computed from the ReplicaSets as they were before this sync's
	// scaling, as upstream does; the next sync (their update events) sees the new sizes.
	allRSs := append(slices.Clone(oldRSs), newRS)

	target, err := newReplicaSetTarget(allRSs, newRS, s.d)
	if err != nil {
		return 0, err
	}
	scaledUp, err := s.apply(scaleStep{rs: newRS, to: target})
	if err != nil {
		return 0, err
	}
	if scaledUp {
		return s.syncRolloutStatus(allRSs, newRS)
	}

	steps, scaledDown := oldReplicaSetsScaleDown(allRSs, activeReplicaSets(oldRSs), newRS, s.d)
	for _, step := range steps {
		if _, err := s.apply(step); err != nil {
			// Upstream drops the error here: the next sync tries again.
			scaledDown = false
			break
		}
	}
	if scaledDown {
		return s.syncRolloutStatus(allRSs, newRS)
	}
	if deploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanup(oldRSs); err != nil {
			return 0, err
		}
	}
	return s.syncRolloutStatus(allRSs, newRS)
}

// rolloutRecreate is rolloutRecreate: old ReplicaSets to zero; once none of their pods is
// left running, the new ReplicaSet (created only now) to full size.
func (s *syncer) rolloutRecreate(podsByRS map[types.UID][]*corev1.Pod) (time.Duration, error) {
	newRS, oldRSs, err := s.replicaSets(false)
	if err != nil {
		return 0, err
	}
	allRSs := append(slices.Clone(oldRSs), newRS)
	scaledDown := false
	for _, step := range recreateScaleDown(activeReplicaSets(oldRSs)) {
		scaled, err := s.apply(step)
		if err != nil {
			return 0, err
		}
		scaledDown = scaledDown || scaled
	}
	if scaledDown || oldPodsRunning(newRS, oldRSs, podsByRS) {
		return s.syncRolloutStatus(allRSs, newRS)
	}
	if newRS == nil {
		if newRS, oldRSs, err = s.replicaSets(true); err != nil {
			return 0, err
		}
		allRSs = append(slices.Clone(oldRSs), newRS)
	}
	if _, err := s.apply(scaleStep{rs: newRS, to: deploymentReplicas(s.d)}); err != nil {
		return 0, err
	}
	if deploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanup(oldRSs); err != nil {
			return 0, err
		}
	}
	return s.syncRolloutStatus(allRSs, newRS)
}

// rollback is rollback: the template of the requested revision goes back into the
// Deployment (whose next sync rolls it out), the request annotation goes either way.
func (s *syncer) rollback() error {
	newRS, oldRSs, err := s.replicaSets(true)
	if err != nil {
		return err
	}
	r := rollbackTarget(s.d, append(oldRSs, newRS), *rollbackTo(s.d))
	if r.reason != ReasonRollbackDone {
		s.w.Eventf(s.d, r.eventType, r.reason, "%s", r.message)
	}
	got, err := s.w.UpdateDeployment(r.deployment)
	if err != nil {
		return err
	}
	s.d = got
	if r.reason == ReasonRollbackDone {
		s.w.Eventf(s.d, r.eventType, r.reason, "%s", r.message)
	}
	return nil
}

// claim is what the ControllerRefManager does with one ReplicaSet of the namespace.
type claim int

const (
	claimIgnore  claim = iota // another controller's, or an orphan we may not take
	claimKeep                 // ours and selected
	claimAdopt                // an orphan we select: add our controller reference
	claimRelease              // ours but no longer selected: remove our reference
)

// claimFor is ClaimObject's decision for rs and the Deployment d with selector sel: a
// Deployment being deleted neither adopts nor releases, nor is a ReplicaSet being deleted
// adopted.
func claimFor(d *appsv1.Deployment, sel labels.Selector, rs *appsv1.ReplicaSet) claim {
	matches := sel.Matches(labels.Set(rs.Labels))
	if ref := metav1.GetControllerOfNoCopy(rs); ref != nil {
		switch {
		case ref.UID != d.UID:
			return claimIgnore
		case matches:
			return claimKeep
		case d.DeletionTimestamp != nil:
			return claimIgnore
		}
		return claimRelease
	}
	if d.DeletionTimestamp != nil || !matches || rs.DeletionTimestamp != nil || rs.Namespace != d.Namespace {
		return claimIgnore
	}
	return claimAdopt
}

// claimReplicaSets is getReplicaSetsForDeployment: the Deployment's ReplicaSets among the
// namespace's, adopting and releasing as claimFor says (a ReplicaSet gone meanwhile is
// skipped).
func claimReplicaSets(w writer, d *appsv1.Deployment, all []*appsv1.ReplicaSet) ([]*appsv1.ReplicaSet, error) {
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return nil, fmt.Errorf("deployment %s/%s has invalid label selector: %v", d.Namespace, d.Name, err)
	}
	var claimed []*appsv1.ReplicaSet
	for _, rs := range all {
		switch claimFor(d, sel, rs) {
		case claimKeep:
			claimed = append(claimed, rs)
		case claimAdopt:
			c := rs.DeepCopy()
			c.OwnerReferences = append(c.OwnerReferences, *metav1.NewControllerRef(d, deploymentKind))
			got, err := w.UpdateReplicaSet(c)
			if apierrors.IsNotFound(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			claimed = append(claimed, got)
		case claimRelease:
			c := rs.DeepCopy()
			c.OwnerReferences = slices.DeleteFunc(c.OwnerReferences, func(r metav1.OwnerReference) bool { return r.UID == d.UID })
			if _, err := w.UpdateReplicaSet(c); err != nil && !apierrors.IsNotFound(err) {
				return nil, err
			}
		}
	}
	return claimed, nil
}
