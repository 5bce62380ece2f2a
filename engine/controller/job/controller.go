package job

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// Names under which the controllers are registered; ControllerName is also the events'
// source component.
const (
	ControllerName = "job-controller"
	// OrphanPodsControllerName removes the tracking finalizer from pods no live Job owns.
	OrphanPodsControllerName = "job-controller-orphan-pods"
	// TTLControllerName deletes finished Jobs once ttlSecondsAfterFinished has passed.
	TTLControllerName = "ttl-after-finished-controller"
)

var (
	jobsResource  = api.ResourceByName("jobs")
	podsResource  = api.ResourceByName("pods")
	jobKind       = batchv1.SchemeGroupVersion.WithKind("Job")
	jobAPIVersion = jobKind.GroupVersion().String()
)

// controller is the Job controller of one cluster.
type controller struct {
	cluster  *sim.Cluster
	store    *store.Store
	api      *apiserver.Client
	recorder *events.Recorder
	// backoff holds each Job's pod-failure back-off, as upstream keeps it in memory. A Job
	// first seen with already counted pods (a cluster loaded from saved state) gets it
	// rebuilt from them, so that a reload does not forget the back-off.
	backoff map[types.UID]backoffRecord
	// selectors caches each Job's parsed selector: spec.selector is immutable, and parsing
	// it on every sync was a tenth of a month-long CronJob run.
	selectors map[types.UID]labels.Selector
	// working is the sync's working copy of a Job, reused from sync to sync: nothing keeps
	// it past the sync (the store copies the status it is given), and a month-long
	// CronJob would otherwise allocate a quarter of a million of them.
	working batchv1.Job
	// batchPeriod delays a sync asked for by pod events (syncJobBatchPeriod; the unit tests
	// that play the kubelet use 0, to see each decision at the instant of its cause).
	batchPeriod time.Duration
	// claims holds each Job's claimed pods from its last sync and the pods changed since
	// (claim.go), so that a sync of a wide Job re-reads only those.
	claims map[types.UID]*claimCache
	// verifyClaims makes every sync check the claims against a fresh claim (tests).
	verifyClaims bool
	// keys holds each live Job's queue key, made once: every event of its pods asks for a
	// sync.
	keys map[types.UID]string
}

// New adds the Job controller, its orphan-pod finalizer cleanup and the
// ttl-after-finished controller to c.
func New(c *sim.Cluster) { newController(c, syncJobBatchPeriod) }

func newController(c *sim.Cluster, batchPeriod time.Duration) *controller {
	jc := &controller{
		batchPeriod: batchPeriod,
		claims:      map[types.UID]*claimCache{},
		keys:        map[types.UID]string{},
		cluster:     c,
		store:       c.Store,
		api:         c.API.Client(ControllerName),
		recorder:    c.Recorder(ControllerName, ""),
		backoff:     map[types.UID]backoffRecord{},

		selectors: map[types.UID]labels.Selector{},
	}
	c.AddController(ControllerName, jc.syncJob)
	c.AddController(OrphanPodsControllerName, jc.syncOrphanPod)
	c.Watch(jobsResource.Name, jc.onJob)
	c.Watch(podsResource.Name, jc.onPod)
	newTTLController(c)
	return jc
}

func keyOf(obj metav1.Object) string { return obj.GetNamespace() + "/" + obj.GetName() }

// syncJobBatchPeriod is upstream's: a Job syncs at most once a second for its pods'
// events, however many pods change, so that a wide Job's sync (which looks at all of its
// pods) is not repeated for each of them.
const syncJobBatchPeriod = time.Second

// enqueueJobBatched asks for a sync of a Job after its pods changed.
func (jc *controller) enqueueJobBatched(ns, name string) {
	jc.cluster.EnqueueAfter(ControllerName, ns+"/"+name, jc.batchPeriod)
}

// enqueueLiveJobBatched is enqueueJobBatched for a Job read from the store.
func (jc *controller) enqueueLiveJobBatched(job *batchv1.Job) {
	k, ok := jc.keys[job.UID]
	if !ok {
		k = keyOf(job)
		jc.keys[job.UID] = k
	}
	jc.cluster.EnqueueAfter(ControllerName, k, jc.batchPeriod)
}

func (jc *controller) onJob(ev store.WatchEvent) {
	job := ev.Object.(*batchv1.Job)
	if ev.Type == store.Deleted {
		delete(jc.backoff, job.UID)
		delete(jc.selectors, job.UID)
		delete(jc.claims, job.UID)
		delete(jc.keys, job.UID)
		// Whatever the propagation policy, the Job's pods must not be kept by its finalizer.
		for _, o := range jc.store.Dependents(job.UID) {
			if p, ok := o.(*corev1.Pod); ok && hasTrackingFinalizer(p) {
				jc.cluster.Enqueue(OrphanPodsControllerName, keyOf(p))
			}
		}
		return
	}
	if ev.Type == store.Modified && ev.Old.GetGeneration() == job.Generation {
		// A status write (typically this controller's, after its pods changed): batched,
		// as upstream's, instead of a second sync at once that would find nothing to do.
		jc.enqueueLiveJobBatched(job)
		return
	}
	jc.cluster.Enqueue(ControllerName, keyOf(job))
}

// jobRef returns a pod's controller reference if it names a Job.
func jobRef(pod *corev1.Pod) *metav1.OwnerReference {
	ref := metav1.GetControllerOfNoCopy(pod)
	if ref == nil || ref.Kind != jobKind.Kind || !strings.HasPrefix(ref.APIVersion, batchv1.GroupName+"/") {
		return nil
	}
	return ref
}

// liveJob resolves a controller reference to the Job it names, nil if that Job is gone.
func (jc *controller) liveJob(ns string, ref *metav1.OwnerReference) *batchv1.Job {
	if ref.Kind != jobKind.Kind {
		return nil
	}
	obj := jc.store.Lookup(jobsResource, ns, ref.Name)
	if obj == nil || obj.GetUID() != ref.UID {
		return nil
	}
	return obj.(*batchv1.Job)
}

func (jc *controller) onPod(ev store.WatchEvent) {
	pod := ev.Object.(*corev1.Pod)
	gone := ev.Type == store.Deleted
	if ev.Type == store.Modified {
		if ref := metav1.GetControllerOfNoCopy(ev.Old.(*corev1.Pod)); ref != nil {
			jc.podChanged(ref.UID, pod)
		}
	}
	if ref := metav1.GetControllerOfNoCopy(pod); ref != nil {
		jc.podChanged(ref.UID, pod)
	}
	if ev.Type == store.Modified {
		if old := jobRef(ev.Old.(*corev1.Pod)); old != nil {
			if cur := jobRef(pod); cur == nil || cur.UID != old.UID {
				jc.enqueueJobBatched(pod.Namespace, old.Name)
			}
		}
	}
	if ref := metav1.GetControllerOfNoCopy(pod); ref != nil {
		job := jc.liveJob(pod.Namespace, ref)
		if job != nil {
			jc.enqueueLiveJobBatched(job)
		}
		if !gone && hasTrackingFinalizer(pod) && (job == nil || isFinished(job)) {
			jc.cluster.Enqueue(OrphanPodsControllerName, keyOf(pod))
		}
		return
	}
	if gone {
		return
	}
	if hasTrackingFinalizer(pod) {
		jc.cluster.Enqueue(OrphanPodsControllerName, keyOf(pod))
	}
	// An orphan may be adopted by a Job with a hand-written selector (generated selectors
	// name the Job's uid, which no orphan carries).
	if len(pod.Labels) == 0 {
		return
	}
	jc.store.Each(jobsResource, pod.Namespace, func(o api.Object) bool {
		job := o.(*batchv1.Job)
		if ptr.Deref(job.Spec.ManualSelector, false) && job.Spec.Selector != nil {
			if sel, err := metav1.LabelSelectorAsSelector(job.Spec.Selector); err == nil && sel.Matches(labels.Set(pod.Labels)) {
				jc.enqueueLiveJobBatched(job)
			}
		}
		return true
	})
}

// syncOrphanPod removes the tracking finalizer from a pod whose Job is gone or finished, so
// that the pod can be deleted.
func (jc *controller) syncOrphanPod(key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj, err := jc.store.Get(podsResource, ns, name)
	if err != nil {
		return 0, nil
	}
	pod := obj.(*corev1.Pod)
	if !hasTrackingFinalizer(pod) {
		return 0, nil
	}
	if ref := metav1.GetControllerOfNoCopy(pod); ref != nil {
		if job := jc.liveJob(ns, ref); job != nil && !isFinished(job) {
			return 0, nil // its Job counts it and removes the finalizer itself
		}
	}
	return 0, jc.removeFinalizer(pod)
}

// syncState is what one sync of a Job knows; the decisions fill it in order.
type syncState struct {
	job    *batchv1.Job // the copy being changed
	now    time.Time
	pods   []*corev1.Pod // claimed pods, by name
	active []*corev1.Pod

	ready, terminating int32
	// succeeded and failed include the pods finishing in this sync.
	succeeded, failed int32

	prevSucceededIdx, succeededIdx indexSet
	failedIdx                      *indexSet // only with backoffLimitPerIndex
	// delayedPerIndex: per index, the failed pod whose finalizer stays until its
	// replacement exists, so the replacement can inherit the index's failure count.
	delayedPerIndex map[int]*corev1.Pod

	// finished is the condition the Job is heading to: FailureTarget, Failed (after a
	// FailureTarget) or SuccessCriteriaMet.
	finished *batchv1.JobCondition
	backoff  backoffRecord
	requeue  time.Duration
	// throttled is how long the creates left must wait for the client's rate limit.
	throttled time.Duration
}

func (s *syncState) requeueAfter(d time.Duration) {
	if d > 0 && (s.requeue == 0 || d < s.requeue) {
		s.requeue = d
	}
}

func (jc *controller) syncJob(key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj, err := jc.store.Get(jobsResource, ns, name)
	if err != nil && apierrors.IsNotFound(err) {
		jc.api.CancelReservation(key)
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	shared := obj.(*batchv1.Job)
	if m := shared.Spec.ManagedBy; m != nil && *m != batchv1.JobControllerName {
		return 0, nil // another controller runs this Job
	}
	if isFinished(shared) {
		delete(jc.backoff, shared.UID)
		delete(jc.claims, shared.UID)
		return 0, nil
	}
	if m := shared.Spec.CompletionMode; m != nil && *m != batchv1.NonIndexedCompletion && *m != batchv1.IndexedCompletion {
		jc.recorder.Eventf(shared, corev1.EventTypeWarning, "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown")
		return 0, nil
	}
	// A sync writes only the status (Store.UpdateStatus): the working copy shares the
	// stored metadata and spec, read only, and owns a copy of the status.
	job := &jc.working
	*job = batchv1.Job{TypeMeta: shared.TypeMeta, ObjectMeta: shared.ObjectMeta, Spec: shared.Spec}
	shared.Status.DeepCopyInto(&job.Status)
	pods, err := jc.claimPods(job)
	if err != nil {
		return 0, err
	}
	s := &syncState{job: job, now: jc.cluster.Now(), pods: pods}
	for _, p := range pods {
		if api.IsPodActive(p) {
			s.active = append(s.active, p)
			if api.IsPodReady(p) {
				s.ready++
			}
		} else if isPodTerminating(p) {
			s.terminating++
		}
	}
	newSucceeded, newFailed := newFinishedPods(job, pods)
	s.succeeded = job.Status.Succeeded + int32(len(newSucceeded))
	s.failed = job.Status.Failed
	for _, p := range newFailed {
		if matchPodFailurePolicy(job.Spec.PodFailurePolicy, p).count {
			s.failed++
		}
	}
	if job.Status.StartTime == nil && !isSuspended(job) {
		t := metav1.NewTime(s.now)
		job.Status.StartTime = &t
	}
	if !isSuspended(job) && conditionTrue(job.Status.Conditions, batchv1.JobSuspended) != nil {
		// Resuming: activeDeadlineSeconds counts continuous activity, so the time spent
		// suspended must not fail the Job before the resume below resets startTime.
		job.Status.StartTime = ptr.To(metav1.NewTime(s.now))
	}
	s.backoff = jc.backoffRecord(job, pods).withFinishedPods(newSucceeded, newFailed)

	decideFailure(s)
	if isIndexed(job) {
		completions := int(completionsOf(job))
		s.prevSucceededIdx = parseIndexSet(job.Status.CompletedIndexes, completions)
		s.succeededIdx = s.prevSucceededIdx.withIndexes(newSucceededIndexes(job, pods))
		s.succeeded = int32(s.succeededIdx.total())
		if hasBackoffLimitPerIndex(job) {
			failed := failedIndexes(job, pods)
			s.failedIdx = &failed
			if s.finished == nil {
				switch {
				case job.Spec.MaxFailedIndexes != nil && failed.total() > int(*job.Spec.MaxFailedIndexes):
					s.finished = ptr.To(newCondition(batchv1.JobFailureTarget, corev1.ConditionTrue, batchv1.JobReasonMaxFailedIndexesExceeded, msgMaxFailedIndexes, s.now))
				case failed.total() > 0 && failed.total()+s.succeededIdx.total() >= completions:
					s.finished = ptr.To(newCondition(batchv1.JobFailureTarget, corev1.ConditionTrue, batchv1.JobReasonFailedIndexes, msgFailedIndexes, s.now))
				}
			}
			s.delayedPerIndex = delayedPerIndex(s)
		}
		if s.finished == nil {
			if msg, ok := matchSuccessPolicy(job.Spec.SuccessPolicy, completionsOf(job), s.succeededIdx); ok {
				s.finished = ptr.To(newCondition(batchv1.JobSuccessCriteriaMet, corev1.ConditionTrue, batchv1.JobReasonSuccessPolicy, msg, s.now))
			}
		}
	}

	active := int32(len(s.active))
	var manageErr error
	if s.finished != nil {
		// Heading for a terminal condition: stop every active pod, keeping its finalizer so
		// that it is counted.
		deletedReady, deleted, err := jc.deleteActivePods(job, s.active)
		if deleted != active {
			s.finished = nil
		}
		active -= deleted
		s.terminating += deleted
		s.ready -= deletedReady
		manageErr = err
	} else {
		manageCalled := false
		if job.DeletionTimestamp == nil {
			active, manageErr = jc.manageJob(s)
			manageCalled = true
			if s.throttled > 0 && manageErr == nil {
				// Upstream's sync waits for its client's rate limit inside manageJob and
				// writes the status after it: the next sync, when a write may go again,
				// takes up from the store what this one created.
				return s.throttled, nil
			}
		}
		complete := false
		if job.Spec.Completions == nil {
			complete = s.succeeded > 0 && active == 0
		} else {
			complete = s.succeeded >= *job.Spec.Completions && active == 0
		}
		switch {
		case complete:
			s.finished = ptr.To(newCondition(batchv1.JobSuccessCriteriaMet, corev1.ConditionTrue, batchv1.JobReasonCompletionsReached, msgCompletionsReached, s.now))
		case manageCalled && isSuspended(job):
			var changed bool
			job.Status.Conditions, changed = setCondition(job.Status.Conditions, batchv1.JobSuspended, corev1.ConditionTrue, reasonJobSuspended, msgJobSuspended, s.now)
			if changed {
				jc.recorder.Eventf(job, corev1.EventTypeNormal, "Suspended", msgJobSuspended)
			}
		case manageCalled:
			var changed bool
			job.Status.Conditions, changed = setCondition(job.Status.Conditions, batchv1.JobSuspended, corev1.ConditionFalse, reasonJobResumed, msgJobResumed, s.now)
			if changed {
				jc.recorder.Eventf(job, corev1.EventTypeNormal, "Resumed", msgJobResumed)
				// activeDeadlineSeconds counts continuous activity: a resumed Job starts again.
				t := metav1.NewTime(s.now)
				job.Status.StartTime = &t
			}
		}
	}
	job.Status.Active = active
	// The working status is the sync's own copy: its counters can be set in place.
	setInt32(&job.Status.Ready, s.ready)
	setInt32(&job.Status.Terminating, s.terminating)
	if err := jc.trackStatus(s, shared); err != nil {
		return 0, err
	}
	return s.requeue, manageErr
}

// setInt32 sets *p to v, allocating only when p is nil.
func setInt32(p **int32, v int32) {
	if *p == nil {
		*p = ptr.To(v)
		return
	}
	**p = v
}

// decideFailure picks the failure the Job is heading to, if any: a success already declared
// wins; then an earlier FailureTarget; then a FailJob rule; then the backoff limit; then the
// active deadline.
func decideFailure(s *syncState) {
	job := s.job
	if c := conditionTrue(job.Status.Conditions, batchv1.JobSuccessCriteriaMet); c != nil {
		s.finished = c.DeepCopy()
		return
	}
	if c := conditionTrue(job.Status.Conditions, batchv1.JobFailureTarget); c != nil {
		s.finished = ptr.To(newCondition(batchv1.JobFailed, corev1.ConditionTrue, c.Reason, c.Message, s.now))
		return
	}
	if job.Spec.PodFailurePolicy != nil {
		for _, p := range s.pods {
			if !isPodFailed(p, job) {
				continue
			}
			if m := matchPodFailurePolicy(job.Spec.PodFailurePolicy, p); m.action == batchv1.PodFailurePolicyActionFailJob {
				s.finished = ptr.To(newCondition(batchv1.JobFailureTarget, corev1.ConditionTrue, batchv1.JobReasonPodFailurePolicy, m.message, s.now))
				return
			}
		}
	}
	if s.failed > backoffLimit(job) || pastBackoffLimitOnFailure(job, s.pods) {
		s.finished = ptr.To(newCondition(batchv1.JobFailureTarget, corev1.ConditionTrue, batchv1.JobReasonBackoffLimitExceeded, msgBackoffLimit, s.now))
		return
	}
	past, left := pastActiveDeadline(job, s.now)
	if past {
		s.finished = ptr.To(newCondition(batchv1.JobFailureTarget, corev1.ConditionTrue, batchv1.JobReasonDeadlineExceeded, msgDeadline, s.now))
		return
	}
	s.requeueAfter(left)
}

// newFinishedPods are the claimed pods that finished but are not counted yet (they still
// carry the tracking finalizer); an Indexed Job only counts pods with a valid index.
func newFinishedPods(job *batchv1.Job, pods []*corev1.Pod) (succeeded, failed []*corev1.Pod) {
	for _, p := range pods {
		if !hasTrackingFinalizer(p) {
			continue
		}
		if isIndexed(job) {
			if ix := completionIndex(p); ix == unknownIndex || ix >= int(completionsOf(job)) {
				continue
			}
		}
		switch {
		case p.Status.Phase == corev1.PodSucceeded:
			succeeded = append(succeeded, p)
		case isPodFailed(p, job):
			failed = append(failed, p)
		}
	}
	return succeeded, failed
}

// newSucceededIndexes are the valid indexes of succeeded pods not counted yet, ascending.
func newSucceededIndexes(job *batchv1.Job, pods []*corev1.Pod) []int {
	var out []int
	for _, p := range pods {
		ix := completionIndex(p)
		if p.Status.Phase == corev1.PodSucceeded && ix != unknownIndex && ix < int(completionsOf(job)) && hasTrackingFinalizer(p) {
			out = append(out, ix)
		}
	}
	sort.Ints(out)
	return out
}

// failedIndexes are status.failedIndexes plus the indexes whose newest failure used up
// backoffLimitPerIndex or matched a FailIndex rule.
func failedIndexes(job *batchv1.Job, pods []*corev1.Pod) indexSet {
	completions := int(completionsOf(job))
	var prev indexSet
	if job.Status.FailedIndexes != nil {
		prev = parseIndexSet(*job.Status.FailedIndexes, completions)
	}
	var add []int
	for _, p := range pods {
		ix := completionIndex(p)
		if ix == unknownIndex || ix >= completions || !hasTrackingFinalizer(p) || !isPodFailed(p, job) {
			continue
		}
		m := matchPodFailurePolicy(job.Spec.PodFailurePolicy, p)
		counted, _ := indexFailureCount(p)
		if m.action == batchv1.PodFailurePolicyActionFailIndex || (m.count && counted >= *job.Spec.BackoffLimitPerIndex) {
			add = append(add, ix)
		}
	}
	sort.Ints(add)
	return prev.withIndexes(add)
}

// delayedPerIndex finds, for each index that is neither done nor running, its latest failed
// pod not counted yet.
func delayedPerIndex(s *syncState) map[int]*corev1.Pod {
	completions := int(completionsOf(s.job))
	activeIdx := map[int]bool{}
	for _, p := range s.active {
		activeIdx[completionIndex(p)] = true
	}
	out := map[int]*corev1.Pod{}
	for _, p := range s.pods {
		ix := completionIndex(p)
		if !hasTrackingFinalizer(p) || !isPodFailed(p, s.job) || ix == unknownIndex || ix >= completions {
			continue
		}
		if s.succeededIdx.has(ix) || s.failedIdx.has(ix) || activeIdx[ix] {
			continue
		}
		if last, ok := out[ix]; ok {
			lc, li := indexFailureCount(last)
			pc, pi := indexFailureCount(p)
			if lc+li <= pc+pi && !podFinishTime(p).Before(podFinishTime(last)) {
				out[ix] = p
			}
			continue
		}
		out[ix] = p
	}
	return out
}

// backoffRecord returns the Job's back-off, rebuilding it from counted pods when the
// controller has none (a Job created before this controller existed, e.g. after a reload).
func (jc *controller) backoffRecord(job *batchv1.Job, pods []*corev1.Pod) backoffRecord {
	if r, ok := jc.backoff[job.UID]; ok {
		return r
	}
	var succeeded, failed []*corev1.Pod
	for _, p := range pods {
		if hasTrackingFinalizer(p) {
			continue // counted by this sync
		}
		switch p.Status.Phase {
		case corev1.PodSucceeded:
			succeeded = append(succeeded, p)
		case corev1.PodFailed:
			failed = append(failed, p)
		}
	}
	return backoffRecord{}.withFinishedPods(succeeded, failed)
}

// manageJob creates or deletes pods towards the wanted number of active pods and returns
// the number of active pods afterwards.
func (jc *controller) manageJob(s *syncState) (int32, error) {
	job := s.job
	active := int32(len(s.active))
	if isSuspended(job) {
		rm := activePodsForRemoval(job, s.active, len(s.active))
		removedReady, removed, err := jc.deleteJobPods(job, rm)
		s.terminating += removed
		s.ready -= removedReady
		return active - removed, err
	}
	want := wantActive(job.Spec.Completions, parallelismOf(job), s.succeeded, active)
	rm := activePodsForRemoval(job, s.active, int(max(active-want, 0)))
	if len(rm) > MaxPodCreateDeletePerSync {
		rm = rm[:MaxPodCreateDeletePerSync]
	}
	if len(rm) > 0 {
		// One sync either deletes or creates; deleting goes first.
		removedReady, removed, err := jc.deleteJobPods(job, rm)
		s.terminating += removed
		s.ready -= removedReady
		return active - removed, err
	}
	var terminating int32
	if onlyReplaceFailedPods(job) {
		terminating = s.terminating
	}
	diff := want - terminating - active
	if diff <= 0 {
		return active, nil
	}
	if !hasBackoffLimitPerIndex(job) {
		if left := backoffRemaining(s.backoff.failuresAfterLastSuccess, s.backoff.lastFailureTime, s.now); left > 0 {
			s.requeueAfter(left)
			return active, nil
		}
	}
	diff = min(diff, MaxPodCreateDeletePerSync)
	var indexes []int
	if isIndexed(job) {
		indexes = firstPendingIndexes(busyIndexes(s), int(diff), int(completionsOf(job)))
		if hasBackoffLimitPerIndex(job) {
			var left time.Duration
			indexes, left = readyIndexes(s, indexes)
			if len(indexes) == 0 {
				s.requeueAfter(left)
				return active, nil
			}
		}
		diff = int32(len(indexes))
	}
	// newPod copies the template; the prepared one only needs its own copy of what
	// changes here (the finalizers, and for Indexed Jobs the containers' env).
	tmpl := job.Spec.Template
	template := &tmpl
	if isIndexed(job) {
		template = job.Spec.Template.DeepCopy()
		addCompletionIndexEnv(template)
	}
	if !hasString(template.Finalizers, batchv1.JobTrackingFinalizer) {
		template.Finalizers = append(slices.Clip(template.Finalizers), batchv1.JobTrackingFinalizer)
	}
	// Slow start: batches of 1, 2, 4, ...; a batch with an error stops the rest, so that a
	// Job that cannot create pods (quota, a terminating namespace) fails once, not 500 times.
	var firstErr error
	for batch := min(diff, slowStartInitialBatchSize); diff > 0; batch = min(2*batch, diff) {
		failed := false
		for i := int32(0); i < batch; i++ {
			if s.throttled = jc.api.Reserve(job.Namespace + "/" + job.Name); s.throttled > 0 {
				return active, nil
			}
			ix := unknownIndex
			if len(indexes) > 0 {
				ix, indexes = indexes[0], indexes[1:]
			}
			if err := jc.createPod(s, template, ix); err != nil {
				failed = true
				firstErr = errors.Join(firstErr, err)
				continue
			}
			active++
		}
		diff -= batch
		if failed {
			break
		}
	}
	return active, firstErr
}

// busyIndexes are the indexes that need no new pod: succeeded, running, failed for good and,
// when only failed pods are replaced, still terminating.
func busyIndexes(s *syncState) indexSet {
	var ixs []int
	for _, p := range s.active {
		if ix := completionIndex(p); ix != unknownIndex {
			ixs = append(ixs, ix)
		}
	}
	if onlyReplaceFailedPods(s.job) {
		for _, p := range s.pods {
			if ix := completionIndex(p); isPodTerminating(p) && ix != unknownIndex {
				ixs = append(ixs, ix)
			}
		}
	}
	sort.Ints(ixs)
	busy := s.succeededIdx.withIndexes(ixs)
	if s.failedIdx != nil {
		busy = busy.union(*s.failedIdx)
	}
	return busy
}

// readyIndexes keeps the indexes whose own back-off has passed; with none, it says how long
// until the first one is due.
func readyIndexes(s *syncState, indexes []int) ([]int, time.Duration) {
	var now []int
	var soonest time.Duration
	for _, ix := range indexes {
		left := time.Duration(0)
		if last := s.delayedPerIndex[ix]; last != nil {
			counted, ignored := indexFailureCount(last)
			left = backoffRemaining(counted+ignored+1, podFinishTime(last), s.now)
		}
		if left == 0 {
			now = append(now, ix)
		} else if soonest == 0 || left < soonest {
			soonest = left
		}
	}
	if len(now) > 0 {
		return now, 0
	}
	return nil, soonest
}

// addCompletionIndexEnv gives every container JOB_COMPLETION_INDEX from the pod's index
// label, unless the template sets it.
func addCompletionIndexEnv(t *corev1.PodTemplateSpec) {
	add := func(c *corev1.Container) {
		for _, e := range c.Env {
			if e.Name == completionIndexEnv {
				return
			}
		}
		c.Env = append(c.Env, corev1.EnvVar{
			Name: completionIndexEnv,
			ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{
				APIVersion: "v1",
				FieldPath:  fmt.Sprintf("metadata.labels['%s']", batchv1.JobCompletionIndexAnnotation),
			}},
		})
	}
	for i := range t.Spec.InitContainers {
		add(&t.Spec.InitContainers[i])
	}
	for i := range t.Spec.Containers {
		add(&t.Spec.Containers[i])
	}
}

// newPod builds a pod of job from the (prepared) template; index is unknownIndex for
// NonIndexed Jobs. replacing is the failed pod of that index whose failure count the new
// pod inherits (backoffLimitPerIndex only).
func newPod(job *batchv1.Job, t *corev1.PodTemplateSpec, index int, replacing *corev1.Pod) *corev1.Pod {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Namespace:    job.Namespace,
			GenerateName: podGenerateName(job.Name, index),
			Labels:       copyMap(t.Labels),
			Annotations:  copyMap(t.Annotations),
			Finalizers:   append([]string(nil), t.Finalizers...),
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion:         jobAPIVersion,
				Kind:               jobKind.Kind,
				Name:               job.Name,
				UID:                job.UID,
				Controller:         ptr.To(true),
				BlockOwnerDeletion: ptr.To(true),
			}},
		},
	}
	t.Spec.DeepCopyInto(&pod.Spec)
	if index == unknownIndex {
		return pod
	}
	if pod.Annotations == nil {
		pod.Annotations = map[string]string{}
	}
	if pod.Labels == nil {
		pod.Labels = map[string]string{}
	}
	ix := strconv.Itoa(index)
	pod.Annotations[batchv1.JobCompletionIndexAnnotation] = ix
	pod.Labels[batchv1.JobCompletionIndexAnnotation] = ix
	pod.Spec.Hostname = fmt.Sprintf("%s-%d", job.Name, index)
	if hasBackoffLimitPerIndex(job) {
		var counted, ignored int32
		if replacing != nil {
			counted, ignored = indexFailureCount(replacing)
			if matchPodFailurePolicy(job.Spec.PodFailurePolicy, replacing).count {
				counted++
			} else {
				ignored++
			}
		}
		pod.Annotations[batchv1.JobIndexFailureCountAnnotation] = strconv.Itoa(int(counted))
		if ignored > 0 {
			pod.Annotations[batchv1.JobIndexIgnoredFailureCountAnnotation] = strconv.Itoa(int(ignored))
		}
	}
	return pod
}

func (jc *controller) createPod(s *syncState, t *corev1.PodTemplateSpec, index int) error {
	job := s.job
	if len(t.Labels) == 0 {
		err := fmt.Errorf("unable to create pods, no labels")
		jc.recorder.Eventf(job, corev1.EventTypeWarning, "FailedCreate", "Error creating: %v", err)
		return err
	}
	// newPod shares nothing with the Job or the template: it is handed over.
	created, err := jc.api.Create(newPod(job, t, index, s.delayedPerIndex[index]), apiserver.CreateOptions{HandOver: true})
	if err != nil {
		jc.recorder.Eventf(job, corev1.EventTypeWarning, "FailedCreate", "Error creating: %v", err)
		return err
	}
	jc.recorder.Eventf(job, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: %v", created.GetName())
	// A wide Job creates many pods in one sync: the page may paint between two.
	jc.cluster.MayPause()
	return nil
}

// deletePod deletes one pod of job; a pod already gone counts as deleted, silently.
func (jc *controller) deletePod(job *batchv1.Job, pod *corev1.Pod) error {
	if _, err := jc.api.Delete(podsResource, pod.Namespace, pod.Name, apiserver.DeleteOptions{}); err != nil {
		if err != nil && apierrors.IsNotFound(err) {
			return nil
		}
		jc.recorder.Eventf(job, corev1.EventTypeWarning, "FailedDelete", "Error deleting: %v", err)
		return err
	}
	jc.recorder.Eventf(job, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted pod: %v", pod.Name)
	return nil
}

// deleteJobPods deletes surplus pods (suspension, lower parallelism). Their finalizer goes
// first, so that they are not counted as failures.
func (jc *controller) deleteJobPods(job *batchv1.Job, pods []*corev1.Pod) (ready, deleted int32, err error) {
	for _, p := range pods {
		if e := jc.removeFinalizer(p); e != nil {
			err = errors.Join(err, fmt.Errorf("removing completion finalizer: %w", e))
			continue
		}
		if e := jc.deletePod(job, p); e != nil {
			err = errors.Join(err, e)
			continue
		}
		deleted++
		if api.IsPodReady(p) {
			ready++
		}
	}
	return ready, deleted, err
}

// deleteActivePods stops the pods of a Job that is finishing; they keep their finalizer
// until they are counted.
func (jc *controller) deleteActivePods(job *batchv1.Job, pods []*corev1.Pod) (ready, deleted int32, err error) {
	for _, p := range pods {
		if e := jc.deletePod(job, p); e != nil {
			err = errors.Join(err, e)
			continue
		}
		deleted++
		if api.IsPodReady(p) {
			ready++
		}
	}
	return ready, deleted, err
}

// removeFinalizer takes the tracking finalizer off the stored pod; a pod already gone is fine.
func (jc *controller) removeFinalizer(pod *corev1.Pod) error {
	obj, err := jc.store.Get(podsResource, pod.Namespace, pod.Name)
	if err != nil && apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	cur := obj.(*corev1.Pod)
	if cur.UID != pod.UID || !hasTrackingFinalizer(cur) {
		return nil
	}
	// A shallow copy with its own finalizer list (removeString builds a new one), handed
	// over as the new version: what it shares with the stored pod is never mutated.
	p := *cur
	p.Finalizers = removeString(cur.Finalizers, batchv1.JobTrackingFinalizer)
	if _, err := jc.api.Update(&p, apiserver.UpdateOptions{HandOver: true}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	return nil
}

// claimPods returns the pods the Job controls, by name: those with its controller reference
// that its selector matches. Controlled pods that stopped matching are released; for a Job
// with a hand-written selector, matching orphans are adopted.
func (jc *controller) claimPods(job *batchv1.Job) ([]*corev1.Pod, error) {
	sel, ok := jc.selectors[job.UID]
	if !ok {
		if ls := job.Spec.Selector; ls != nil && len(ls.MatchExpressions) == 0 {
			// The usual selector (controller-uid=...) was validated when the Job was
			// created: building it again through the validating path costs regexps.
			sel = labels.SelectorFromValidatedSet(ls.MatchLabels)
		} else {
			var err error
			if sel, err = metav1.LabelSelectorAsSelector(ls); err != nil {
				return nil, fmt.Errorf("couldn't convert Job selector: %w", err)
			}
		}
		jc.selectors[job.UID] = sel
	}
	manual := ptr.Deref(job.Spec.ManualSelector, false) && job.DeletionTimestamp == nil && !sel.Empty()
	if !manual {
		if out, ok := jc.cachedClaims(job, sel); ok {
			return out, nil
		}
	}
	var out, release []*corev1.Pod
	jc.store.EachDependent(job.UID, func(o api.Object) bool {
		p, ok := o.(*corev1.Pod)
		if !ok {
			return true
		}
		if ref := metav1.GetControllerOfNoCopy(p); ref == nil || ref.UID != job.UID {
			return true
		}
		if sel.Matches(labels.Set(p.Labels)) {
			out = append(out, p)
		} else if job.DeletionTimestamp == nil {
			release = append(release, p)
		}
		return true
	})
	for _, p := range release {
		if err := jc.releasePod(job, p); err != nil {
			return nil, err
		}
	}
	if !manual {
		jc.claims[job.UID] = &claimCache{pods: slices.Clone(out), dirty: map[podName]bool{}}
	} else {
		var orphans []*corev1.Pod
		jc.store.Each(podsResource, job.Namespace, func(o api.Object) bool {
			p := o.(*corev1.Pod)
			if metav1.GetControllerOfNoCopy(p) == nil && p.DeletionTimestamp == nil && sel.Matches(labels.Set(p.Labels)) {
				orphans = append(orphans, p)
			}
			return true
		})
		for _, p := range orphans {
			adopted, err := jc.adoptPod(job, p)
			if err != nil {
				return nil, err
			}
			out = append(out, adopted)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	}
	return out, nil
}

func (jc *controller) releasePod(job *batchv1.Job, pod *corev1.Pod) error {
	p := pod.DeepCopy()
	var refs []metav1.OwnerReference
	for _, r := range p.OwnerReferences {
		if r.UID != job.UID {
			refs = append(refs, r)
		}
	}
	p.OwnerReferences = refs
	if _, err := jc.api.Update(p, apiserver.UpdateOptions{HandOver: true}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	return nil
}

func (jc *controller) adoptPod(job *batchv1.Job, pod *corev1.Pod) (*corev1.Pod, error) {
	p := pod.DeepCopy()
	p.OwnerReferences = append(p.OwnerReferences, metav1.OwnerReference{
		APIVersion:         jobAPIVersion,
		Kind:               jobKind.Kind,
		Name:               job.Name,
		UID:                job.UID,
		Controller:         ptr.To(true),
		BlockOwnerDeletion: ptr.To(true),
	})
	if !hasTrackingFinalizer(p) {
		p.Finalizers = append(p.Finalizers, batchv1.JobTrackingFinalizer)
	}
	obj, err := jc.api.Update(p, apiserver.UpdateOptions{HandOver: true})
	if err != nil {
		return nil, err
	}
	return obj.(*corev1.Pod), nil
}

// trackStatus counts the finished pods, removes their finalizers, writes the status and,
// once nothing is left terminating, the terminal condition with its events.
func (jc *controller) trackStatus(s *syncState, shared *batchv1.Job) error {
	job := s.job
	status := &job.Status
	indexed := isIndexed(job)
	completions := int(completionsOf(job))
	pods := s.pods
	if indexed {
		pods = append([]*corev1.Pod(nil), pods...)
		sort.SliceStable(pods, func(i, j int) bool { return completionIndex(pods[i]) < completionIndex(pods[j]) })
	}
	var succeeded, failed int32
	var newIdx []int
	var rmErr error
	counted := 0
	reachedMax := false
	for _, p := range pods {
		if !hasTrackingFinalizer(p) {
			continue
		}
		considerFailed := isPodFailed(p, job)
		if !canRemoveFinalizer(s, p, considerFailed) {
			continue
		}
		countSucceeded, countFailed := false, false
		ix := completionIndex(p)
		validIdx := ix != unknownIndex && ix < completions
		switch {
		case p.Status.Phase == corev1.PodSucceeded:
			if indexed {
				if validIdx && !s.prevSucceededIdx.has(ix) {
					newIdx = append(newIdx, ix)
				}
			} else {
				countSucceeded = true
			}
		case considerFailed || (s.finished != nil && s.finished.Type != batchv1.JobSuccessCriteriaMet):
			// A Job that is failing counts every pod that did not succeed as failed.
			if !indexed || validIdx {
				countFailed = matchPodFailurePolicy(job.Spec.PodFailurePolicy, p).count
			}
		}
		if err := jc.removeFinalizer(p); err != nil {
			rmErr = errors.Join(rmErr, err)
			continue
		}
		if countSucceeded {
			succeeded++
		}
		if countFailed {
			failed++
		}
		if counted++; counted >= maxCountedPerSync {
			reachedMax = true
			jc.cluster.Enqueue(ControllerName, keyOf(job)) // the rest at this same instant
			break
		}
	}
	if indexed {
		s.succeededIdx = s.succeededIdx.withIndexes(newIdx)
		status.Succeeded = int32(s.succeededIdx.total())
		status.CompletedIndexes = s.succeededIdx.String()
		if s.failedIdx != nil {
			status.FailedIndexes = ptr.To(s.failedIdx.String())
		} else {
			status.FailedIndexes = nil
		}
	} else {
		status.Succeeded += succeeded
	}
	status.Failed += failed
	// Nothing is left uncounted; the stored (empty) value is kept when there is one.
	if u := shared.Status.UncountedTerminatedPods; u != nil && len(u.Succeeded) == 0 && len(u.Failed) == 0 {
		status.UncountedTerminatedPods = u
	} else {
		status.UncountedTerminatedPods = &batchv1.UncountedTerminatedPods{}
	}

	finished := s.finished
	if finished != nil && finished.Type == batchv1.JobFailureTarget {
		status.Conditions = append(status.Conditions, *finished)
		finished = ptr.To(newCondition(batchv1.JobFailed, corev1.ConditionTrue, finished.Reason, finished.Message, s.now))
	}
	if finished != nil && finished.Type == batchv1.JobSuccessCriteriaMet {
		if conditionTrue(status.Conditions, batchv1.JobSuccessCriteriaMet) == nil {
			status.Conditions = append(status.Conditions, *finished)
		}
		finished = ptr.To(newCondition(batchv1.JobComplete, corev1.ConditionTrue, finished.Reason, finished.Message, s.now))
	}
	// The terminal condition waits until every pod is counted and none is terminating.
	jobFinished := finished != nil && !reachedMax && rmErr == nil && s.terminating == 0
	if jobFinished {
		status.Conditions, _ = setCondition(status.Conditions, finished.Type, corev1.ConditionTrue, finished.Reason, finished.Message, s.now)
		if finished.Type == batchv1.JobComplete {
			status.CompletionTime = ptr.To(metav1.NewTime(s.now))
		}
	}
	// UpdateStatus itself tells an unchanged status, and then writes nothing. The status
	// is the sync's own copy: it is handed over.
	if _, err := jc.api.UpdateStatus(job, apiserver.UpdateOptions{HandOver: true}); err != nil {
		return errors.Join(fmt.Errorf("updating Job status: %w", err), rmErr)
	}
	jc.backoff[job.UID] = s.backoff
	if jobFinished {
		if finished.Type == batchv1.JobComplete {
			if job.Spec.Completions != nil && status.Succeeded > *job.Spec.Completions {
				jc.recorder.Eventf(job, corev1.EventTypeWarning, "TooManySucceededPods", "Too many succeeded pods running after completion count reached")
			}
			jc.recorder.Eventf(job, corev1.EventTypeNormal, "Completed", "Job completed")
		} else {
			jc.recorder.Eventf(job, corev1.EventTypeWarning, finished.Reason, "%s", finished.Message)
		}
	}
	return rmErr
}

// canRemoveFinalizer: a pod is done with once the Job is being deleted or finishing, once it
// succeeded, or once it failed, unless it waits for its index's replacement.
func canRemoveFinalizer(s *syncState, p *corev1.Pod, considerFailed bool) bool {
	if s.job.DeletionTimestamp != nil || s.finished != nil || p.Status.Phase == corev1.PodSucceeded {
		return true
	}
	if !considerFailed {
		return false
	}
	if hasBackoffLimitPerIndex(s.job) {
		if ix := completionIndex(p); ix != unknownIndex {
			if d, ok := s.delayedPerIndex[ix]; ok && d.UID == p.UID {
				return false
			}
		}
	}
	return true
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func removeString(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
