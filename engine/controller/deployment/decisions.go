package deployment

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/utils/dump"
)

// Annotations the controller writes (pkg/controller/deployment/util).
const (
	// AnnotationRevision numbers a Deployment's rollouts, on the Deployment and its ReplicaSets.
	AnnotationRevision = "deployment.kubernetes.io/revision"
	// AnnotationRevisionHistory keeps the earlier revisions a ReplicaSet served, when a
	// rollback made it new again.
	AnnotationRevisionHistory = "deployment.kubernetes.io/revision-history"
	// AnnotationDesiredReplicas is the Deployment's spec.replicas when the ReplicaSet was last
	// scaled: a different value on an active ReplicaSet is a scaling event.
	AnnotationDesiredReplicas = "deployment.kubernetes.io/desired-replicas"
	// AnnotationMaxReplicas is spec.replicas + maxSurge then, the base of proportional scaling.
	AnnotationMaxReplicas = "deployment.kubernetes.io/max-replicas"
	// maxRevisionHistoryChars bounds the revision-history annotation (about 100 revisions).
	maxRevisionHistoryChars = 2000
)

// Event reasons and condition reasons, as upstream spells them.
const (
	ReasonScalingReplicaSet         = "ScalingReplicaSet"
	ReasonSelectingAll              = "SelectingAll"
	ReasonRollbackDone              = "DeploymentRollback"
	ReasonRollbackRevisionNotFound  = "DeploymentRollbackRevisionNotFound"
	ReasonRollbackTemplateUnchanged = "DeploymentRollbackTemplateUnchanged"

	ReasonReplicaSetUpdated          = "ReplicaSetUpdated"
	ReasonReplicaSetCreateError      = "ReplicaSetCreateError"
	ReasonNewReplicaSetCreated       = "NewReplicaSetCreated"
	ReasonFoundNewReplicaSet         = "FoundNewReplicaSet"
	ReasonNewReplicaSetAvailable     = "NewReplicaSetAvailable"
	ReasonProgressDeadlineExceeded   = "ProgressDeadlineExceeded"
	ReasonDeploymentPaused           = "DeploymentPaused"
	ReasonDeploymentResumed          = "DeploymentResumed"
	ReasonMinimumReplicasAvailable   = "MinimumReplicasAvailable"
	ReasonMinimumReplicasUnavailable = "MinimumReplicasUnavailable"
)

var deploymentKind = appsv1.SchemeGroupVersion.WithKind("Deployment")

// computeHash is upstream's controller.ComputeHash: FNV-32a of the template as go-spew
// prints it with the configuration upstream hashes with (k8s.io/utils/dump.ForHash), then
// the collision count as 8 little-endian bytes (only the low 4 set), the decimal sum made
// safe for names. The template must be the API server's defaulted one: every field,
// including nil pointers, is part of the text, so the value matches a real cluster of the
// same API version (k8s.io/api v0.37 ↔ Kubernetes v1.37).
func computeHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%v", dump.ForHash(*template))
	if collisionCount != nil {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, uint32(*collisionCount))
		h.Write(b)
	}
	return utilrand.SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// replicaSetName is generateReplicaSetName: `<deployment>-<hash>`, the Deployment's name cut
// so that the whole stays a valid DNS subdomain.
func replicaSetName(deploymentName, hash string) string {
	maxLen := validation.DNS1123SubdomainMaxLength - 1 - len(hash)
	if len(deploymentName) > maxLen && maxLen > 0 {
		deploymentName = deploymentName[:maxLen]
	}
	return deploymentName + "-" + hash
}

// newReplicaSet is the ReplicaSet getNewReplicaSet would create for d's current template:
// the template with the pod-template-hash label, the Deployment's selector plus that label,
// the template's labels (not the Deployment's) as its own, minReadySeconds, a controller
// reference, and the annotations of setNewReplicaSetAnnotations for revision. replicas is
// what newRSNewReplicas says (the caller computes it with this ReplicaSet among allRSs).
func newReplicaSet(d *appsv1.Deployment, revision string) *appsv1.ReplicaSet {
	template := *d.Spec.Template.DeepCopy()
	hash := computeHash(&template, d.Status.CollisionCount)
	template.Labels = withLabel(d.Spec.Template.Labels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name:            replicaSetName(d.Name, hash),
			Namespace:       d.Namespace,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, deploymentKind)},
			Labels:          template.Labels,
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        new(int32),
			MinReadySeconds: d.Spec.MinReadySeconds,
			Selector:        selectorWithLabel(d.Spec.Selector, appsv1.DefaultDeploymentUniqueLabelKey, hash),
			Template:        template,
		},
	}
	setNewReplicaSetAnnotations(d, rs, revision, false)
	return rs
}

// withLabel is labelsutil.CloneAndAddLabel.
func withLabel(labels map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(labels)+1)
	for k, v := range labels {
		out[k] = v
	}
	out[key] = value
	return out
}

// selectorWithLabel is labelsutil.CloneSelectorAndAddLabel.
func selectorWithLabel(sel *metav1.LabelSelector, key, value string) *metav1.LabelSelector {
	out := &metav1.LabelSelector{MatchLabels: map[string]string{}}
	if sel == nil {
		out.MatchLabels[key] = value
		return out
	}
	for k, v := range sel.MatchLabels {
		out.MatchLabels[k] = v
	}
	out.MatchLabels[key] = value
	for _, e := range sel.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, *e.DeepCopy())
	}
	return out
}

// deploymentReplicas is spec.replicas; the API server defaults it to 1.
func deploymentReplicas(d *appsv1.Deployment) int32 {
	if d.Spec.Replicas == nil {
		return 1
	}
	return *d.Spec.Replicas
}

// specReplicas is a ReplicaSet's spec.replicas, defaulted as the API server does.
func specReplicas(rs *appsv1.ReplicaSet) int32 {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return *rs.Spec.Replicas
}

// EqualIgnoreHash is upstream's EqualIgnoreHash: two templates are the same rollout when
// they are semantically equal but for the pod-template-hash label. kubectl's rollout undo
// asks it too.
func EqualIgnoreHash(t1, t2 *corev1.PodTemplateSpec) bool {
	// Shallow copies with their own label maps: nothing else is changed.
	a, b := *t1, *t2
	a.Labels = withoutLabel(t1.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	b.Labels = withoutLabel(t2.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	return equality.Semantic.DeepEqual(&a, &b)
}

// withoutLabel is labelsutil.CloneAndRemoveLabel.
func withoutLabel(labels map[string]string, key string) map[string]string {
	if _, ok := labels[key]; !ok {
		return labels
	}
	out := make(map[string]string, len(labels))
	for k, v := range labels {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// byCreation is ReplicaSetsByCreationTimestamp: older first, names breaking ties.
func byCreation(a, b *appsv1.ReplicaSet) int {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		if a.CreationTimestamp.Before(&b.CreationTimestamp) {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Name, b.Name)
}

// sortedByCreation returns a sorted copy (upstream sorts the caller's slice in place).
func sortedByCreation(rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	out := slices.Clone(rss)
	slices.SortStableFunc(out, byCreation)
	return out
}

// findNewReplicaSet is FindNewReplicaSet: the oldest ReplicaSet whose template is d's.
func findNewReplicaSet(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) *appsv1.ReplicaSet {
	for _, rs := range sortedByCreation(rss) {
		if EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			// More than one can match after an upgrade changed the hash: the oldest wins.
			return rs
		}
	}
	return nil
}

// findOldReplicaSets is FindOldReplicaSets: every ReplicaSet but the new one, and of those
// the ones with replicas in their spec.
func findOldReplicaSets(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) (withReplicas, all []*appsv1.ReplicaSet) {
	newRS := findNewReplicaSet(d, rss)
	for _, rs := range rss {
		if newRS != nil && rs.UID == newRS.UID {
			continue
		}
		all = append(all, rs)
		if specReplicas(rs) != 0 {
			withReplicas = append(withReplicas, rs)
		}
	}
	return withReplicas, all
}

// activeReplicaSets is FilterActiveReplicaSets: those with replicas in their spec.
func activeReplicaSets(rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, rs := range rss {
		if rs != nil && specReplicas(rs) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// findActiveOrLatest is FindActiveOrLatest: the one active ReplicaSet, or the newest when
// none is active (the new one if it exists), nil when several are active.
func findActiveOrLatest(newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) *appsv1.ReplicaSet {
	if newRS == nil && len(oldRSs) == 0 {
		return nil
	}
	newestFirst := sortedByCreation(oldRSs)
	slices.Reverse(newestFirst)
	active := activeReplicaSets(append(slices.Clone(newestFirst), newRS))
	switch len(active) {
	case 0:
		if newRS != nil {
			return newRS
		}
		return newestFirst[0]
	case 1:
		return active[0]
	}
	return nil
}

// Revision is upstream's deploymentutil.Revision: a ReplicaSet's (or Deployment's) revision
// annotation; none is 0. kubectl's rollout history and undo read it too.
func Revision(obj metav1.Object) (int64, error) { return revision(obj.GetAnnotations()) }

// revision reads a revision annotation; none is 0.
func revision(annotations map[string]string) (int64, error) {
	v, ok := annotations[AnnotationRevision]
	if !ok {
		return 0, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// maxRevision is MaxRevision: the highest parsable revision.
func maxRevision(rss []*appsv1.ReplicaSet) int64 {
	var m int64
	for _, rs := range rss {
		if rs == nil {
			continue
		}
		if v, err := revision(rs.Annotations); err == nil && v > m {
			m = v
		}
	}
	return m
}

// lastRevision is LastRevision: the second highest revision, the one `undo` goes back to.
func lastRevision(rss []*appsv1.ReplicaSet) int64 {
	var first, second int64
	for _, rs := range rss {
		if rs == nil {
			continue
		}
		v, err := revision(rs.Annotations)
		switch {
		case err != nil:
		case v >= first:
			second, first = first, v
		case v > second:
			second = v
		}
	}
	return second
}

// skippedAnnotations are never copied between a Deployment and its ReplicaSets.
var skippedAnnotations = map[string]bool{
	corev1.LastAppliedConfigAnnotation: true,
	AnnotationRevision:                 true,
	AnnotationRevisionHistory:          true,
	AnnotationDesiredReplicas:          true,
	AnnotationMaxReplicas:              true,
	appsv1.DeprecatedRollbackTo:        true,
}

// setNewReplicaSetAnnotations is SetNewReplicaSetAnnotations on rs, which the caller owns:
// the Deployment's annotations (but the skipped ones) are copied over, the revision is
// raised to newRevision if lower (a ReplicaSet that had one keeps it in its revision
// history, as after a rollback), and a ReplicaSet about to be created (!exists) gets the
// replicas annotations. It reports whether anything changed.
func setNewReplicaSetAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet, newRevision string, exists bool) bool {
	changed := copyDeploymentAnnotations(d, rs)
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	oldRevision, had := rs.Annotations[AnnotationRevision]
	oldRev, err := strconv.ParseInt(oldRevision, 10, 64)
	if err != nil {
		if oldRevision != "" {
			return false // upstream logs and leaves a non-numeric revision alone
		}
		oldRev = 0
	}
	newRev, err := strconv.ParseInt(newRevision, 10, 64)
	if err != nil {
		return false
	}
	if oldRev < newRev {
		rs.Annotations[AnnotationRevision] = newRevision
		changed = true
		if had {
			appendRevisionHistory(rs.Annotations, oldRevision)
		}
	}
	if !exists && setReplicasAnnotations(rs, deploymentReplicas(d), deploymentReplicas(d)+maxSurge(d)) {
		changed = true
	}
	return changed
}

// appendRevisionHistory adds old to the revision-history annotation, dropping the oldest
// entries to stay within maxRevisionHistoryChars.
func appendRevisionHistory(annotations map[string]string, old string) {
	history := annotations[AnnotationRevisionHistory]
	if history == "" {
		annotations[AnnotationRevisionHistory] = old
		return
	}
	revs := strings.Split(history, ",")
	total := len(history) + len(old) + 1
	start := 0
	for total > maxRevisionHistoryChars && start < len(revs) {
		total -= len(revs[start]) + 1
		start++
	}
	if total <= maxRevisionHistoryChars {
		annotations[AnnotationRevisionHistory] = strings.Join(append(revs[start:], old), ",")
	}
}

// copyDeploymentAnnotations is copyDeploymentAnnotationsToReplicaSet: annotations of d
// that rs lacks or holds with another value are copied, but the skipped ones.
func copyDeploymentAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	changed := false
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	for k, v := range d.Annotations {
		if cur, ok := rs.Annotations[k]; skippedAnnotations[k] || (ok && cur == v) {
			continue
		}
		rs.Annotations[k] = v
		changed = true
	}
	return changed
}

// setReplicasAnnotations is SetReplicasAnnotations: desired-replicas and max-replicas.
func setReplicasAnnotations(rs *appsv1.ReplicaSet, desired, maxReplicas int32) bool {
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	changed := false
	for k, v := range map[string]string{
		AnnotationDesiredReplicas: strconv.FormatInt(int64(desired), 10),
		AnnotationMaxReplicas:     strconv.FormatInt(int64(maxReplicas), 10),
	} {
		if rs.Annotations[k] != v {
			rs.Annotations[k] = v
			changed = true
		}
	}
	return changed
}

// replicasAnnotationsNeedUpdate is ReplicasAnnotationsNeedUpdate.
func replicasAnnotationsNeedUpdate(rs *appsv1.ReplicaSet, desired, maxReplicas int32) bool {
	return rs.Annotations[AnnotationDesiredReplicas] != strconv.FormatInt(int64(desired), 10) ||
		rs.Annotations[AnnotationMaxReplicas] != strconv.FormatInt(int64(maxReplicas), 10)
}

// nonNegativeAnnotation reads an int32 annotation written by setReplicasAnnotations.
func nonNegativeAnnotation(rs *appsv1.ReplicaSet, key string) (int32, bool) {
	v, ok := rs.Annotations[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n > math.MaxInt32 {
		return 0, false
	}
	return int32(n), true
}

// syncedNewReplicaSet is what getNewReplicaSet writes to an existing new ReplicaSet: the
// Deployment's annotations and newRevision (setNewReplicaSetAnnotations with exists) and
// minReadySeconds. nil means nothing changed.
func syncedNewReplicaSet(d *appsv1.Deployment, rs *appsv1.ReplicaSet, newRevision string) *appsv1.ReplicaSet {
	c := rs.DeepCopy()
	changed := setNewReplicaSetAnnotations(d, c, newRevision, true)
	if !changed && c.Spec.MinReadySeconds == d.Spec.MinReadySeconds {
		return nil
	}
	c.Spec.MinReadySeconds = d.Spec.MinReadySeconds
	return c
}

// setDeploymentRevision is SetDeploymentRevision on d, which the caller owns.
func setDeploymentRevision(d *appsv1.Deployment, rev string) bool {
	if d.Annotations[AnnotationRevision] == rev {
		return false
	}
	if d.Annotations == nil {
		d.Annotations = map[string]string{}
	}
	d.Annotations[AnnotationRevision] = rev
	return true
}

// isOwnNewReplicaSet tells, when creating the new ReplicaSet found its name taken, whether
// the ReplicaSet there is d's own for its template (a stale read: use it) or a hash
// collision (raise collisionCount and try another name).
func isOwnNewReplicaSet(d *appsv1.Deployment, existing *appsv1.ReplicaSet) bool {
	ref := metav1.GetControllerOfNoCopy(existing)
	return ref != nil && ref.UID == d.UID && EqualIgnoreHash(&d.Spec.Template, &existing.Spec.Template)
}

// rollbackTo reads the deprecated rollback annotation (what `rollbackTo` of
// extensions/v1beta1 and apps/v1beta1 becomes); nil when absent or not a number.
func rollbackTo(d *appsv1.Deployment) *int64 {
	v := d.Annotations[appsv1.DeprecatedRollbackTo]
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

// rollbackResult is what a rollback sync does: the Deployment to write (always: the
// rollback annotation goes) and the event it records.
type rollbackResult struct {
	deployment *appsv1.Deployment
	eventType  string
	reason     string
	message    string
}

// rollbackTarget is the controller's rollback: find the ReplicaSet of revision toRevision
// (0: the last revision before the current one) among allRSs and copy its template and
// annotations back into a copy of d, or say why not. The rollback annotation is cleared
// either way.
func rollbackTarget(d *appsv1.Deployment, allRSs []*appsv1.ReplicaSet, toRevision int64) rollbackResult {
	out := d.DeepCopy()
	delete(out.Annotations, appsv1.DeprecatedRollbackTo)
	if toRevision == 0 {
		if toRevision = lastRevision(allRSs); toRevision == 0 {
			return rollbackResult{out, corev1.EventTypeWarning, ReasonRollbackRevisionNotFound, "Unable to find last revision."}
		}
	}
	for _, rs := range allRSs {
		if rs == nil {
			continue
		}
		if v, err := revision(rs.Annotations); err != nil || v != toRevision {
			continue
		}
		if !RollbackToTemplate(out, rs) {
			return rollbackResult{out, corev1.EventTypeWarning, ReasonRollbackTemplateUnchanged,
				fmt.Sprintf("The rollback revision contains the same template as current deployment %q", d.Name)}
		}
		return rollbackResult{out, corev1.EventTypeNormal, ReasonRollbackDone,
			fmt.Sprintf("Rolled back deployment %q to revision %d", d.Name, toRevision)}
	}
	return rollbackResult{out, corev1.EventTypeWarning, ReasonRollbackRevisionNotFound, "Unable to find the revision to rollback to."}
}

// RollbackToTemplate copies rs's template (without the hash label) and annotations (but the
// skipped ones, which d keeps) into d, which the caller owns; false when the templates are
// already the same. kubectl's `rollout undo` does the same from the client side, with this.
func RollbackToTemplate(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	if EqualIgnoreHash(&d.Spec.Template, &rs.Spec.Template) {
		return false
	}
	t := rs.Spec.Template.DeepCopy()
	d.Spec.Template.ObjectMeta = t.ObjectMeta
	d.Spec.Template.Spec = t.Spec
	d.Spec.Template.Labels = withoutLabel(t.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	setDeploymentAnnotationsTo(d, rs)
	return true
}

// setDeploymentAnnotationsTo is SetDeploymentAnnotationsTo: d keeps only its skipped
// annotations and takes every other annotation of rs.
func setDeploymentAnnotationsTo(d *appsv1.Deployment, rs *appsv1.ReplicaSet) {
	kept := map[string]string{}
	for k, v := range d.Annotations {
		if skippedAnnotations[k] {
			kept[k] = v
		}
	}
	for k, v := range rs.Annotations {
		if !skippedAnnotations[k] {
			kept[k] = v
		}
	}
	d.Annotations = kept
}
