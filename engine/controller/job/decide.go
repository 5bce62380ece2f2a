package job

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

// Limits and timings of the upstream controller (pkg/controller/job/job_controller.go).
const (
	// MaxPodCreateDeletePerSync caps the pod creates or deletes of one sync.
	MaxPodCreateDeletePerSync = 500
	// maxCountedPerSync caps how many finished pods one sync counts (upstream's
	// MaxUncountedPods), so a huge Job cannot starve the others.
	maxCountedPerSync = 500
	// DefaultPodFailureBackOff is the delay before replacing a failed pod, doubled for each
	// further failure since the last success.
	DefaultPodFailureBackOff = 10 * time.Second
	// MaxPodFailureBackOff caps that delay (the docs still say six minutes, the code says ten).
	MaxPodFailureBackOff = 10 * time.Minute
	// slowStartInitialBatchSize is the first batch of pod creates (controller_utils).
	slowStartInitialBatchSize = 1
)

// Condition reasons and messages the controller writes (k8s.io/api/batch/v1 constants where
// they exist).
const (
	msgCompletionsReached = "Reached expected number of succeeded pods"
	msgBackoffLimit       = "Job has reached the specified backoff limit"
	msgDeadline           = "Job was active longer than specified deadline"
	msgMaxFailedIndexes   = "Job has exceeded the specified maximal number of failed indexes"
	msgFailedIndexes      = "Job has failed indexes"
	reasonJobSuspended    = "JobSuspended"
	reasonJobResumed      = "JobResumed"
	msgJobSuspended       = "Job suspended"
	msgJobResumed         = "Job resumed"
)

// completionIndexEnv is the variable every container of an Indexed Job's pod gets.
const completionIndexEnv = "JOB_COMPLETION_INDEX"

// unknownIndex marks a pod without a valid completion index.
const unknownIndex = -1

// maxGeneratedNameLength is the API server's limit for the generateName part of a name
// (63 characters minus the 5-character random suffix).
const maxGeneratedNameLength = 58

// wantActive is how many pods should be running: parallelism while no completion count is
// set (until the first success, after which whatever runs is left running), otherwise the
// remaining completions capped by parallelism.
func wantActive(completions *int32, parallelism, succeeded, active int32) int32 {
	if completions == nil {
		if succeeded > 0 {
			return active
		}
		return parallelism
	}
	want := min(*completions-succeeded, parallelism)
	return max(want, 0)
}

// podFailureBackoff is the delay owed after failures consecutive pod failures since the last
// success: 10 s, 20 s, 40 s, ... capped at 10 minutes; nothing before the first failure.
func podFailureBackoff(failures int32) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := DefaultPodFailureBackOff
	for i := int32(1); i < failures; i++ {
		d *= 2
		if d >= MaxPodFailureBackOff {
			return MaxPodFailureBackOff
		}
	}
	return d
}

// backoffRemaining is how long pod creation must still wait at now, given the failures since
// the last success and when the last of them finished.
func backoffRemaining(failures int32, lastFailure time.Time, now time.Time) time.Duration {
	if failures <= 0 {
		return 0
	}
	left := podFailureBackoff(failures) - now.Sub(lastFailure)
	return max(left, 0)
}

// backoffRecord is the pod-failure back-off state of one Job.
type backoffRecord struct {
	failuresAfterLastSuccess int32
	lastFailureTime          time.Time
}

// withFinishedPods folds the pods counted in this sync into the record: a success resets the
// count, and only failures that finished after the latest success count.
func (r backoffRecord) withFinishedPods(succeeded, failed []*corev1.Pod) backoffRecord {
	if len(succeeded) == 0 && len(failed) == 0 {
		return r
	}
	// Only the latest times and a count matter: no sort (a wide Job has thousands of
	// finished pods to count at a sync).
	if len(succeeded) == 0 {
		return backoffRecord{
			failuresAfterLastSuccess: r.failuresAfterLastSuccess + int32(len(failed)),
			lastFailureTime:          latestFinishTime(failed),
		}
	}
	lastSuccess := latestFinishTime(succeeded)
	var out backoffRecord
	for _, p := range failed {
		if t := podFinishTime(p); t.After(lastSuccess) {
			out.failuresAfterLastSuccess++
			if t.After(out.lastFailureTime) {
				out.lastFailureTime = t
			}
		}
	}
	return out
}

// latestFinishTime is the latest podFinishTime of pods (zero for none).
func latestFinishTime(pods []*corev1.Pod) time.Time {
	var latest time.Time
	for _, p := range pods {
		if t := podFinishTime(p); t.After(latest) {
			latest = t
		}
	}
	return latest
}

// podFinishTime estimates when a pod finished: the latest container finish if every
// container has finished, else when Ready turned False, else the deletion request time, else
// its creation.
func podFinishTime(p *corev1.Pod) time.Time {
	var latest time.Time
	all := len(p.Status.ContainerStatuses) > 0
	for _, cs := range p.Status.ContainerStatuses {
		t := cs.State.Terminated
		if t == nil || t.FinishedAt.IsZero() {
			all = false
			break
		}
		if t.FinishedAt.After(latest) {
			latest = t.FinishedAt.Time
		}
	}
	if all {
		return latest
	}
	if c := api.PodCondition(p, corev1.PodReady); c != nil && c.Status == corev1.ConditionFalse && !c.LastTransitionTime.IsZero() {
		return c.LastTransitionTime.Time
	}
	if p.DeletionTimestamp != nil {
		var grace int64
		if p.DeletionGracePeriodSeconds != nil {
			grace = *p.DeletionGracePeriodSeconds
		}
		return p.DeletionTimestamp.Add(-time.Duration(grace) * time.Second)
	}
	return p.CreationTimestamp.Time
}

// policyMatch is the outcome of matching a failed pod against a podFailurePolicy.
type policyMatch struct {
	// action of the first matching rule, "" when none matched.
	action batchv1.PodFailurePolicyAction
	// count: the failure counts against backoffLimit (false only for Ignore).
	count bool
	// message for a FailJob match.
	message string
}

// matchPodFailurePolicy evaluates the rules in order; the first match decides.
func matchPodFailurePolicy(policy *batchv1.PodFailurePolicy, pod *corev1.Pod) policyMatch {
	if policy == nil {
		return policyMatch{count: true}
	}
	for i, rule := range policy.Rules {
		var failJobMsg string
		switch {
		case rule.OnExitCodes != nil:
			cs := matchOnExitCodes(&pod.Status, rule.OnExitCodes)
			if cs == nil {
				continue
			}
			failJobMsg = fmt.Sprintf("Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d",
				cs.Name, pod.Namespace, pod.Name, cs.State.Terminated.ExitCode, rule.Action, i)
		case rule.OnPodConditions != nil:
			c := matchOnPodConditions(&pod.Status, rule.OnPodConditions)
			if c == nil {
				continue
			}
			failJobMsg = fmt.Sprintf("Pod %s/%s has condition %s matching %s rule at index %d",
				pod.Namespace, pod.Name, c.Type, rule.Action, i)
		default:
			continue
		}
		switch rule.Action {
		case batchv1.PodFailurePolicyActionIgnore:
			return policyMatch{action: rule.Action}
		case batchv1.PodFailurePolicyActionCount, batchv1.PodFailurePolicyActionFailIndex:
			return policyMatch{action: rule.Action, count: true}
		case batchv1.PodFailurePolicyActionFailJob:
			return policyMatch{action: rule.Action, count: true, message: failJobMsg}
		}
		// An unknown action (validation prevents it) falls through to the next rule, as
		// upstream's switch does.
	}
	return policyMatch{count: true}
}

// matchOnExitCodes finds the first terminated container (app containers, then init
// containers) with a non-zero exit code that the requirement matches.
func matchOnExitCodes(st *corev1.PodStatus, req *batchv1.PodFailurePolicyOnExitCodesRequirement) *corev1.ContainerStatus {
	for _, list := range [][]corev1.ContainerStatus{st.ContainerStatuses, st.InitContainerStatuses} {
		for i := range list {
			cs := &list[i]
			t := cs.State.Terminated
			if t == nil || t.ExitCode == 0 {
				continue
			}
			if req.ContainerName != nil && *req.ContainerName != cs.Name {
				continue
			}
			if exitCodeMatches(t.ExitCode, req) {
				return cs
			}
		}
	}
	return nil
}

func exitCodeMatches(code int32, req *batchv1.PodFailurePolicyOnExitCodesRequirement) bool {
	in := false
	for _, v := range req.Values {
		if v == code {
			in = true
			break
		}
	}
	switch req.Operator {
	case batchv1.PodFailurePolicyOnExitCodesOpIn:
		return in
	case batchv1.PodFailurePolicyOnExitCodesOpNotIn:
		return !in
	}
	return false
}

func matchOnPodConditions(st *corev1.PodStatus, patterns []batchv1.PodFailurePolicyOnPodConditionsPattern) *corev1.PodCondition {
	for i := range st.Conditions {
		c := &st.Conditions[i]
		for _, p := range patterns {
			status := p.Status
			if status == "" {
				status = corev1.ConditionTrue // the API default
			}
			if c.Type == p.Type && c.Status == status {
				return c
			}
		}
	}
	return nil
}

// pastBackoffLimitOnFailure: with restartPolicy OnFailure failures are container restarts,
// so the restarts of pending and running pods are summed against backoffLimit.
func pastBackoffLimitOnFailure(job *batchv1.Job, pods []*corev1.Pod) bool {
	if job.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyOnFailure {
		return false
	}
	var restarts int32
	for _, p := range pods {
		if p.Status.Phase != corev1.PodRunning && p.Status.Phase != corev1.PodPending {
			continue
		}
		for _, cs := range p.Status.InitContainerStatuses {
			restarts += cs.RestartCount
		}
		for _, cs := range p.Status.ContainerStatuses {
			restarts += cs.RestartCount
		}
	}
	limit := backoffLimit(job)
	if limit == 0 {
		return restarts > 0
	}
	return restarts >= limit
}

// pastActiveDeadline reports whether a running (not suspended) Job has used up
// activeDeadlineSeconds, and otherwise how long is left.
func pastActiveDeadline(job *batchv1.Job, now time.Time) (past bool, left time.Duration) {
	if job.Spec.ActiveDeadlineSeconds == nil || job.Status.StartTime == nil || isSuspended(job) {
		return false, 0
	}
	allowed := time.Duration(*job.Spec.ActiveDeadlineSeconds) * time.Second
	used := now.Sub(job.Status.StartTime.Time)
	if used >= allowed {
		return true, 0
	}
	return false, allowed - used
}

// interval is a closed range of completion indexes.
type interval struct{ first, last int }

// indexSet is a sorted list of disjoint, non-adjacent intervals: the form of
// status.completedIndexes and status.failedIndexes ("0-2,4").
type indexSet []interval

// parseIndexSet reads "1,3-5,7", dropping indexes ≥ completions and malformed parts.
func parseIndexSet(s string, completions int) indexSet {
	if s == "" {
		return nil
	}
	var out indexSet
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := strconv.Atoi(lo)
		if err != nil || first < 0 {
			continue
		}
		if first >= completions {
			break
		}
		last := first
		if isRange {
			if last, err = strconv.Atoi(hi); err != nil || last < first {
				continue
			}
			last = min(last, completions-1)
		}
		if n := len(out); n > 0 && out[n-1].last >= first-1 {
			out[n-1].last = max(out[n-1].last, last)
			continue
		}
		out = append(out, interval{first, last})
	}
	return out
}

// String renders the set as the API does: ranges of three or more as "a-b", two adjacent
// indexes as "a,b".
func (s indexSet) String() string {
	var b strings.Builder
	for _, iv := range s {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(iv.first))
		switch {
		case iv.last == iv.first+1:
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(iv.last))
		case iv.last > iv.first:
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(iv.last))
		}
	}
	return b.String()
}

// total is the number of indexes in the set.
func (s indexSet) total() int {
	n := 0
	for _, iv := range s {
		n += iv.last - iv.first + 1
	}
	return n
}

// has reports whether ix is in the set.
func (s indexSet) has(ix int) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i].last >= ix })
	return i < len(s) && s[i].first <= ix
}

// union merges two sets.
func (s indexSet) union(o indexSet) indexSet {
	all := make(indexSet, 0, len(s)+len(o))
	all = append(all, s...)
	all = append(all, o...)
	sort.Slice(all, func(i, j int) bool { return all[i].first < all[j].first })
	var out indexSet
	for _, iv := range all {
		if n := len(out); n > 0 && out[n-1].last >= iv.first-1 {
			out[n-1].last = max(out[n-1].last, iv.last)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// withIndexes adds single indexes to the set.
func (s indexSet) withIndexes(ixs []int) indexSet {
	if len(ixs) == 0 {
		return s
	}
	add := make(indexSet, len(ixs))
	for i, ix := range ixs {
		add[i] = interval{ix, ix}
	}
	return s.union(add)
}

// firstPendingIndexes returns up to count indexes below completions that are in none of the
// given sets, lowest first.
func firstPendingIndexes(busy indexSet, count, completions int) []int {
	var out []int
	candidate := 0
	for _, iv := range busy {
		for ; candidate < completions && len(out) < count && candidate < iv.first; candidate++ {
			out = append(out, candidate)
		}
		candidate = max(candidate, iv.last+1)
	}
	for ; candidate < completions && len(out) < count; candidate++ {
		out = append(out, candidate)
	}
	return out
}

// matchSuccessPolicy returns the message of the first rule the succeeded indexes satisfy.
func matchSuccessPolicy(policy *batchv1.SuccessPolicy, completions int32, succeeded indexSet) (string, bool) {
	if policy == nil || len(succeeded) == 0 {
		return "", false
	}
	for i, rule := range policy.Rules {
		msg := fmt.Sprintf("Matched rules at index %d", i)
		if rule.SucceededIndexes != nil {
			required := parseIndexSet(*rule.SucceededIndexes, int(completions))
			if len(required) == 0 {
				continue
			}
			in := overlap(required, succeeded)
			if in == required.total() || (rule.SucceededCount != nil && in >= int(*rule.SucceededCount)) {
				return msg, true
			}
		} else if rule.SucceededCount != nil && succeeded.total() >= int(*rule.SucceededCount) {
			return msg, true
		}
	}
	return "", false
}

// overlap counts the indexes two sets share.
func overlap(a, b indexSet) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		if o := min(a[i].last, b[j].last) - max(a[i].first, b[j].first) + 1; o > 0 {
			n += o
		}
		if a[i].last < b[j].last {
			i++
		} else {
			j++
		}
	}
	return n
}

// completionIndex reads a pod's completion index annotation.
func completionIndex(pod *corev1.Pod) int {
	v, ok := pod.Annotations[batchv1.JobCompletionIndexAnnotation]
	if !ok {
		return unknownIndex
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return unknownIndex
	}
	return i
}

// indexFailureCount reads the per-index failure count annotations (counted, ignored).
func indexFailureCount(pod *corev1.Pod) (counted, ignored int32) {
	parse := func(key string) int32 {
		v, err := strconv.Atoi(pod.Annotations[key])
		if err != nil || v < 0 || v > 1<<31-1 {
			return 0
		}
		return int32(v)
	}
	return parse(batchv1.JobIndexFailureCountAnnotation), parse(batchv1.JobIndexIgnoredFailureCountAnnotation)
}

// podGenerateName is the generateName of a Job's pods: `<job>-` or `<job>-<index>-`, cut to
// what the API server accepts.
func podGenerateName(jobName string, index int) string {
	if index == unknownIndex {
		prefix := jobName + "-"
		if len(prefix) > maxGeneratedNameLength {
			prefix = prefix[:maxGeneratedNameLength]
		}
		return prefix
	}
	suffix := "-" + strconv.Itoa(index) + "-"
	prefix := jobName + suffix
	if len(prefix) > maxGeneratedNameLength {
		prefix = prefix[:maxGeneratedNameLength-len(suffix)] + suffix
	}
	return prefix
}

// activePodsLess is controller_utils' ActivePods order, the order in which surplus pods are
// deleted: unassigned before assigned; Pending before Unknown before Running; not ready
// before ready; ready for a shorter time first; more restarts first; newer first. Ties keep
// the name order the pods were listed in.
func activePodsLess(a, b *corev1.Pod) bool {
	if (a.Spec.NodeName == "") != (b.Spec.NodeName == "") {
		return a.Spec.NodeName == ""
	}
	if ra, rb := phaseRank(a.Status.Phase), phaseRank(b.Status.Phase); ra != rb {
		return ra < rb
	}
	readyA, readyB := api.IsPodReady(a), api.IsPodReady(b)
	if readyA != readyB {
		return !readyA
	}
	if readyA && readyB {
		ta, tb := api.PodCondition(a, corev1.PodReady).LastTransitionTime, api.PodCondition(b, corev1.PodReady).LastTransitionTime
		if !ta.Equal(&tb) {
			return tb.Before(&ta)
		}
	}
	if ra, rb := maxRestarts(a), maxRestarts(b); ra != rb {
		return ra > rb
	}
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return b.CreationTimestamp.Before(&a.CreationTimestamp)
	}
	return false
}

func phaseRank(p corev1.PodPhase) int {
	switch p {
	case corev1.PodPending:
		return 0
	case corev1.PodUnknown:
		return 1
	case corev1.PodRunning:
		return 2
	}
	return 0
}

func maxRestarts(p *corev1.Pod) int32 {
	var m int32
	for _, cs := range p.Status.ContainerStatuses {
		m = max(m, cs.RestartCount)
	}
	return m
}

// activePodsForRemoval picks the active pods to delete: for Indexed Jobs first every pod
// without a valid index and all but one pod of a repeated index, then, to reach rmAtLeast,
// the first pods in ActivePods order.
func activePodsForRemoval(job *batchv1.Job, active []*corev1.Pod, rmAtLeast int) []*corev1.Pod {
	var rm, left []*corev1.Pod
	if isIndexed(job) {
		rm, left = duplicateIndexPods(active, int(completionsOf(job)))
	} else {
		left = active
	}
	if len(rm) < rmAtLeast {
		left = append([]*corev1.Pod(nil), left...)
		sort.SliceStable(left, func(i, j int) bool { return activePodsLess(left[i], left[j]) })
		rm = append(rm, left[:min(rmAtLeast-len(rm), len(left))]...)
	}
	return rm
}

// duplicateIndexPods splits active pods of an Indexed Job into those to remove (no index, an
// index out of range, or the extra pods of a repeated index) and those to keep.
func duplicateIndexPods(active []*corev1.Pod, completions int) (rm, keep []*corev1.Pod) {
	byIndex := append([]*corev1.Pod(nil), active...)
	sort.SliceStable(byIndex, func(i, j int) bool { return completionIndex(byIndex[i]) < completionIndex(byIndex[j]) })
	for i := 0; i < len(byIndex); {
		ix := completionIndex(byIndex[i])
		j := i + 1
		for j < len(byIndex) && completionIndex(byIndex[j]) == ix {
			j++
		}
		group := byIndex[i:j]
		switch {
		case ix == unknownIndex || ix >= completions:
			rm = append(rm, group...)
		case len(group) == 1:
			keep = append(keep, group[0])
		default:
			g := append([]*corev1.Pod(nil), group...)
			sort.SliceStable(g, func(a, b int) bool { return activePodsLess(g[a], g[b]) })
			rm = append(rm, g[:len(g)-1]...)
			keep = append(keep, g[len(g)-1])
		}
		i = j
	}
	return rm, keep
}

// setCondition sets a condition of the given type, appending it if missing (but never
// appending one whose status is False, which would say nothing). It reports whether
// anything changed.
func setCondition(list []batchv1.JobCondition, t batchv1.JobConditionType, status corev1.ConditionStatus, reason, message string, now time.Time) ([]batchv1.JobCondition, bool) {
	for i := range list {
		if list[i].Type != t {
			continue
		}
		if list[i].Status == status && list[i].Reason == reason && list[i].Message == message {
			return list, false
		}
		list[i] = newCondition(t, status, reason, message, now)
		return list, true
	}
	if status == corev1.ConditionFalse {
		return list, false
	}
	return append(list, newCondition(t, status, reason, message, now)), true
}

func newCondition(t batchv1.JobConditionType, status corev1.ConditionStatus, reason, message string, now time.Time) batchv1.JobCondition {
	return batchv1.JobCondition{
		Type:               t,
		Status:             status,
		LastProbeTime:      metav1.NewTime(now),
		LastTransitionTime: metav1.NewTime(now),
		Reason:             reason,
		Message:            message,
	}
}

func findCondition(list []batchv1.JobCondition, t batchv1.JobConditionType) *batchv1.JobCondition {
	for i := range list {
		if list[i].Type == t {
			return &list[i]
		}
	}
	return nil
}

func conditionTrue(list []batchv1.JobCondition, t batchv1.JobConditionType) *batchv1.JobCondition {
	if c := findCondition(list, t); c != nil && c.Status == corev1.ConditionTrue {
		return c
	}
	return nil
}

// isFinished: the Job has its terminal Complete or Failed condition.
func isFinished(job *batchv1.Job) bool {
	return conditionTrue(job.Status.Conditions, batchv1.JobComplete) != nil ||
		conditionTrue(job.Status.Conditions, batchv1.JobFailed) != nil
}

// finishTime is when the Job got its terminal condition.
func finishTime(job *batchv1.Job) (time.Time, bool) {
	for _, c := range job.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.LastTransitionTime.Time, !c.LastTransitionTime.IsZero()
		}
	}
	return time.Time{}, false
}

func isSuspended(job *batchv1.Job) bool { return job.Spec.Suspend != nil && *job.Spec.Suspend }

func isIndexed(job *batchv1.Job) bool {
	return job.Spec.CompletionMode != nil && *job.Spec.CompletionMode == batchv1.IndexedCompletion
}

func hasBackoffLimitPerIndex(job *batchv1.Job) bool {
	return isIndexed(job) && job.Spec.BackoffLimitPerIndex != nil
}

// completionsOf is spec.completions, 0 when unset (Indexed Jobs always have it).
func completionsOf(job *batchv1.Job) int32 {
	if job.Spec.Completions == nil {
		return 0
	}
	return *job.Spec.Completions
}

func parallelismOf(job *batchv1.Job) int32 {
	if job.Spec.Parallelism == nil {
		return 1 // the API default
	}
	return *job.Spec.Parallelism
}

func backoffLimit(job *batchv1.Job) int32 {
	if job.Spec.BackoffLimit == nil {
		if job.Spec.BackoffLimitPerIndex != nil {
			return 1<<31 - 1
		}
		return 6 // the API default
	}
	return *job.Spec.BackoffLimit
}

// onlyReplaceFailedPods: podReplacementPolicy Failed (the default with a podFailurePolicy)
// waits for a terminating pod to be gone before replacing it.
func onlyReplaceFailedPods(job *batchv1.Job) bool {
	if p := job.Spec.PodReplacementPolicy; p != nil {
		return *p == batchv1.Failed
	}
	return job.Spec.PodFailurePolicy != nil
}

// isPodFailed: a Failed pod, or (unless only failed pods are replaced) one being deleted
// before it succeeded.
func isPodFailed(p *corev1.Pod, job *batchv1.Job) bool {
	if p.Status.Phase == corev1.PodFailed {
		return true
	}
	if onlyReplaceFailedPods(job) {
		return false
	}
	return p.DeletionTimestamp != nil && p.Status.Phase != corev1.PodSucceeded
}

func isPodTerminating(p *corev1.Pod) bool {
	return p.DeletionTimestamp != nil && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed
}

func hasTrackingFinalizer(p *corev1.Pod) bool {
	for _, f := range p.Finalizers {
		if f == batchv1.JobTrackingFinalizer {
			return true
		}
	}
	return false
}
