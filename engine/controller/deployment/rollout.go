package deployment

import (
	"fmt"
	"math"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// resolveFenceposts is ResolveFenceposts: maxSurge as a number of pods rounded up,
// maxUnavailable rounded down, and one unavailable pod when both come to zero (validation
// refuses both zero as written, but 10% of 3 rounds down to 0).
func resolveFenceposts(surge, unavailable *intstr.IntOrString, desired int32) (int32, int32, error) {
	s, err := intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(surge, intstr.FromInt32(0)), int(desired), true)
	if err != nil {
		return 0, 0, err
	}
	u, err := intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(unavailable, intstr.FromInt32(0)), int(desired), false)
	if err != nil {
		return 0, 0, err
	}
	if s == 0 && u == 0 {
		u = 1
	}
	return int32(s), int32(u), nil
}

func isRollingUpdate(d *appsv1.Deployment) bool {
	return d.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType
}

// rollingParams are the Deployment's maxSurge and maxUnavailable as written (defaulting
// sets both for RollingUpdate).
func rollingParams(d *appsv1.Deployment) (surge, unavailable *intstr.IntOrString) {
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		return ru.MaxSurge, ru.MaxUnavailable
	}
	return nil, nil
}

// maxSurge is MaxSurge: the pods a rolling update may run above spec.replicas (0 for
// Recreate). Validation has refused values that do not resolve.
func maxSurge(d *appsv1.Deployment) int32 {
	if !isRollingUpdate(d) {
		return 0
	}
	s, u := rollingParams(d)
	surge, _, _ := resolveFenceposts(s, u, deploymentReplicas(d))
	return surge
}

// maxUnavailable is MaxUnavailable: the pods a rolling update may have unavailable, at
// most spec.replicas (0 for Recreate or no replicas).
func maxUnavailable(d *appsv1.Deployment) int32 {
	replicas := deploymentReplicas(d)
	if !isRollingUpdate(d) || replicas == 0 {
		return 0
	}
	s, u := rollingParams(d)
	_, unavailable, _ := resolveFenceposts(s, u, replicas)
	return min(unavailable, replicas)
}

// sumSpecReplicas is GetReplicaCountForReplicaSets.
func sumSpecReplicas(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += specReplicas(rs)
		}
	}
	return n
}

// newRSNewReplicas is NewRSNewReplicas: how far the new ReplicaSet may grow now. A rolling
// update adds up to spec.replicas + maxSurge pods in all, never beyond spec.replicas in the
// new ReplicaSet; Recreate goes straight to spec.replicas.
func newRSNewReplicas(d *appsv1.Deployment, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) (int32, error) {
	replicas := deploymentReplicas(d)
	switch d.Spec.Strategy.Type {
	case appsv1.RollingUpdateDeploymentStrategyType:
		s, _ := rollingParams(d)
		surge, err := intstr.GetScaledValueFromIntOrPercent(s, int(replicas), true)
		if err != nil {
			return 0, err
		}
		current := sumSpecReplicas(allRSs)
		maxTotal := replicas + int32(surge)
		if current >= maxTotal {
			return specReplicas(newRS), nil
		}
		up := min(maxTotal-current, replicas-specReplicas(newRS))
		return specReplicas(newRS) + up, nil
	case appsv1.RecreateDeploymentStrategyType:
		return replicas, nil
	}
	return 0, fmt.Errorf("deployment type %v isn't supported", d.Spec.Strategy.Type)
}

// scaleStep asks to scale a ReplicaSet to a size. Steps of one sync are applied in order,
// each to the ReplicaSet as the previous steps left it (the same ReplicaSet can be scaled
// twice: unhealthy replicas first, then for the rollout).
type scaleStep struct {
	rs *appsv1.ReplicaSet
	to int32
	// force writes the replicas annotations even when the size stays (proportional scaling).
	force bool
}

// scaledReplicaSet is scaleReplicaSet's decision: the copy of rs to write, scaled to `to`
// with the replicas annotations of d, and the ScalingReplicaSet message when the size
// changes. nil when nothing needs writing: the size already is `to` and either the step is
// lazy or the annotations are current.
func scaledReplicaSet(rs *appsv1.ReplicaSet, to int32, d *appsv1.Deployment, force bool) (*appsv1.ReplicaSet, string) {
	from := specReplicas(rs)
	if !force && from == to {
		return nil, ""
	}
	desired, maxReplicas := deploymentReplicas(d), deploymentReplicas(d)+maxSurge(d)
	if from == to && !replicasAnnotationsNeedUpdate(rs, desired, maxReplicas) {
		return nil, ""
	}
	c := rs.DeepCopy()
	c.Spec.Replicas = &to
	setReplicasAnnotations(c, desired, maxReplicas)
	if from == to {
		return c, ""
	}
	return c, scalingMessage(rs.Name, from, to)
}

// scalingMessage is the ScalingReplicaSet event's text.
func scalingMessage(name string, from, to int32) string {
	dir := "up"
	if to < from {
		dir = "down"
	}
	return fmt.Sprintf("Scaled %s replica set %s from %d to %d", dir, name, from, to)
}

// isSaturated is IsSaturated: the new ReplicaSet has all the replicas, believes so
// (desired-replicas annotation) and all of them are available.
func isSaturated(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	if rs == nil {
		return false
	}
	desired, ok := nonNegativeAnnotation(rs, AnnotationDesiredReplicas)
	replicas := deploymentReplicas(d)
	return ok && specReplicas(rs) == replicas && desired == replicas && rs.Status.AvailableReplicas == replicas
}

// isScalingEvent is isScalingEvent: an active ReplicaSet was last scaled for another
// spec.replicas, so this sync scales (proportionally) rather than rolls out.
func isScalingEvent(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) bool {
	for _, rs := range activeReplicaSets(append(slices.Clone(oldRSs), newRS)) {
		if desired, ok := nonNegativeAnnotation(rs, AnnotationDesiredReplicas); ok && desired != deploymentReplicas(d) {
			return true
		}
	}
	return false
}

// scaleSteps is the controller's `scale` (a scaling event, or a paused Deployment): with at
// most one active ReplicaSet it takes all the replicas; a saturated new ReplicaSet leaves
// none to the old ones; otherwise, for RollingUpdate, the replicas to add or remove (up to
// spec.replicas + maxSurge in all) are spread over the active ReplicaSets in proportion to
// their size, biggest first, newer first when growing and older first when shrinking, the
// rounding leftover going to the first.
func scaleSteps(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) []scaleStep {
	replicas := deploymentReplicas(d)
	if rs := findActiveOrLatest(newRS, oldRSs); rs != nil {
		if specReplicas(rs) == replicas {
			return nil
		}
		return []scaleStep{{rs: rs, to: replicas}}
	}
	var steps []scaleStep
	if isSaturated(d, newRS) {
		for _, old := range activeReplicaSets(oldRSs) {
			steps = append(steps, scaleStep{rs: old, to: 0})
		}
		return steps
	}
	if !isRollingUpdate(d) {
		return nil
	}
	all := activeReplicaSets(append(slices.Clone(oldRSs), newRS))
	var allowed int32
	if replicas > 0 {
		allowed = replicas + maxSurge(d)
	}
	toAdd := allowed - sumSpecReplicas(all)
	switch {
	case toAdd > 0:
		slices.SortFunc(all, bySizeNewer)
	case toAdd < 0:
		slices.SortFunc(all, bySizeOlder)
	}
	sizes := make([]int32, len(all))
	var added int32
	for i, rs := range all {
		sizes[i] = specReplicas(rs)
		if toAdd != 0 {
			p := replicaSetProportion(rs, d, toAdd, added)
			sizes[i] += p
			added += p
		}
	}
	if toAdd != 0 && len(all) > 0 {
		sizes[0] = max(sizes[0]+toAdd-added, 0)
	}
	for i, rs := range all {
		steps = append(steps, scaleStep{rs: rs, to: sizes[i], force: true})
	}
	return steps
}

// bySizeNewer is ReplicaSetsBySizeNewer: bigger first, then newer first.
func bySizeNewer(a, b *appsv1.ReplicaSet) int {
	if sa, sb := specReplicas(a), specReplicas(b); sa != sb {
		return int(sb) - int(sa)
	}
	return byCreation(b, a)
}

// bySizeOlder is ReplicaSetsBySizeOlder: bigger first, then older first.
func bySizeOlder(a, b *appsv1.ReplicaSet) int {
	if sa, sb := specReplicas(a), specReplicas(b); sa != sb {
		return int(sb) - int(sa)
	}
	return byCreation(a, b)
}

// replicaSetProportion is GetReplicaSetProportion: rs's share of toAdd (negative when
// removing), never more than what is left to add or remove. Empty ReplicaSets get none.
func replicaSetProportion(rs *appsv1.ReplicaSet, d *appsv1.Deployment, toAdd, added int32) int32 {
	if rs == nil || specReplicas(rs) == 0 || toAdd == 0 || toAdd == added {
		return 0
	}
	fraction := replicaSetFraction(rs, d)
	allowed := toAdd - added
	if toAdd > 0 {
		return min(fraction, allowed)
	}
	return max(fraction, allowed)
}

// replicaSetFraction is getReplicaSetFraction: rs's size scaled by the ratio of the new
// maximum (spec.replicas + maxSurge) to the one it was last scaled for (its max-replicas
// annotation, else the Deployment's status.replicas), rounded half away from zero, minus
// its size.
func replicaSetFraction(rs *appsv1.ReplicaSet, d *appsv1.Deployment) int32 {
	size := specReplicas(rs)
	if deploymentReplicas(d) == 0 {
		return -size
	}
	newMax := deploymentReplicas(d) + maxSurge(d)
	before, ok := nonNegativeAnnotation(rs, AnnotationMaxReplicas)
	if !ok || before == 0 {
		before = d.Status.Replicas
		if before == 0 {
			return 0
		}
	}
	return int32(math.Round(float64(size*newMax)/float64(before))) - size
}

// newReplicaSetTarget is reconcileNewReplicaSet's decision: the size the new ReplicaSet
// should have now (scaledReplicaSet with a lazy step turns it into a write).
func newReplicaSetTarget(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) (int32, error) {
	size, replicas := specReplicas(newRS), deploymentReplicas(d)
	switch {
	case size == replicas:
		return size, nil
	case size > replicas:
		return replicas, nil
	}
	return newRSNewReplicas(d, allRSs, newRS)
}

// oldReplicaSetsScaleDown is reconcileOldReplicaSets' decision for the active old
// ReplicaSets: at most allPods - minAvailable - (unavailable pods of the new ReplicaSet)
// go, first the unavailable replicas of old ReplicaSets, oldest first
// (cleanupUnhealthyReplicas), then available ones as long as more than minAvailable pods
// stay available (scaleDownOldReplicaSetsForRollingUpdate). scaled is what upstream
// reports: false when nothing is scaled down, and also when it gives up on finding an old
// ReplicaSet whose status shows more available pods than its spec wants (a status not yet
// caught up), after the steps found before it.
func oldReplicaSetsScaleDown(allRSs, oldRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) (steps []scaleStep, scaled bool) {
	if sumSpecReplicas(oldRSs) == 0 {
		return nil, false
	}
	minAvailable := deploymentReplicas(d) - maxUnavailable(d)
	newUnavailable := specReplicas(newRS) - newRS.Status.AvailableReplicas
	maxScaledDown := sumSpecReplicas(allRSs) - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return nil, false
	}

	olds := sortedByCreation(oldRSs)
	sizes := make([]int32, len(olds))
	var cleaned int32
	for i, rs := range olds {
		sizes[i] = specReplicas(rs)
		if cleaned >= maxScaledDown || sizes[i] == 0 || sizes[i] == rs.Status.AvailableReplicas {
			continue
		}
		n := min(maxScaledDown-cleaned, sizes[i]-rs.Status.AvailableReplicas)
		if n < 0 {
			return steps, false
		}
		sizes[i] -= n
		cleaned += n
		steps = append(steps, scaleStep{rs: rs, to: sizes[i]})
	}

	available := newRS.Status.AvailableReplicas
	for _, rs := range olds {
		available += rs.Status.AvailableReplicas
	}
	if available <= minAvailable {
		return steps, cleaned > 0
	}
	want := available - minAvailable
	var scaledDown int32
	for i, rs := range olds {
		if scaledDown >= want {
			break
		}
		if sizes[i] == 0 {
			continue
		}
		n := min(sizes[i], want-scaledDown)
		sizes[i] -= n
		scaledDown += n
		steps = append(steps, scaleStep{rs: rs, to: sizes[i]})
	}
	return steps, cleaned+scaledDown > 0
}

// recreateScaleDown is scaleDownOldReplicaSetsForRecreate: every active old ReplicaSet to 0.
func recreateScaleDown(activeOldRSs []*appsv1.ReplicaSet) []scaleStep {
	var steps []scaleStep
	for _, rs := range activeOldRSs {
		if specReplicas(rs) != 0 {
			steps = append(steps, scaleStep{rs: rs, to: 0})
		}
	}
	return steps
}

// oldPodsRunning is oldPodsRunning: Recreate waits until no old ReplicaSet reports pods and
// no pod of one is anything but Succeeded or Failed. podsByRS holds the pods of each of the
// Deployment's ReplicaSets by the ReplicaSet's uid.
func oldPodsRunning(newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet, podsByRS map[types.UID][]*corev1.Pod) bool {
	for _, rs := range oldRSs {
		if rs != nil && rs.Status.Replicas > 0 {
			return true
		}
	}
	for uid, pods := range podsByRS {
		if newRS != nil && newRS.UID == uid {
			continue
		}
		for _, pod := range pods {
			if pod.Status.Phase != corev1.PodFailed && pod.Status.Phase != corev1.PodSucceeded {
				return true
			}
		}
	}
	return false
}

// hasRevisionHistoryLimit is HasRevisionHistoryLimit (MaxInt32 keeps everything).
func hasRevisionHistoryLimit(d *appsv1.Deployment) bool {
	return d.Spec.RevisionHistoryLimit != nil && *d.Spec.RevisionHistoryLimit != math.MaxInt32
}

// replicaSetsToCleanUp is cleanupDeployment's decision: beyond revisionHistoryLimit, the
// oldest revisions go, but only ReplicaSets with no replicas in spec or status whose status
// has caught up with their spec.
func replicaSetsToCleanUp(oldRSs []*appsv1.ReplicaSet, d *appsv1.Deployment) []*appsv1.ReplicaSet {
	if !hasRevisionHistoryLimit(d) {
		return nil
	}
	var alive []*appsv1.ReplicaSet
	for _, rs := range oldRSs {
		if rs != nil && rs.DeletionTimestamp == nil {
			alive = append(alive, rs)
		}
	}
	diff := len(alive) - int(*d.Spec.RevisionHistoryLimit)
	if diff <= 0 {
		return nil
	}
	slices.SortStableFunc(alive, byRevision)
	var out []*appsv1.ReplicaSet
	for _, rs := range alive[:diff] {
		if rs.Status.Replicas != 0 || specReplicas(rs) != 0 || rs.Generation > rs.Status.ObservedGeneration {
			continue
		}
		out = append(out, rs)
	}
	return out
}

// byRevision is ReplicaSetsByRevision: lower revisions first, creation order when equal or
// unreadable.
func byRevision(a, b *appsv1.ReplicaSet) int {
	ra, errA := revision(a.Annotations)
	rb, errB := revision(b.Annotations)
	if errA != nil || errB != nil || ra == rb {
		return byCreation(a, b)
	}
	if ra < rb {
		return -1
	}
	return 1
}
