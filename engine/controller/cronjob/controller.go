package cronjob

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
	"github.com/kubetab/kubetab/engine/zoneinfo"
)

// ControllerName is the name the controller is registered under and its events' source.
const ControllerName = "cronjob-controller"

// Event texts of upstream's controller.
const (
	msgSawCompleted = "Saw completed job: %s, condition: %v"
	msgDeleted      = "Deleted job %v"
)

var (
	cronJobsResource = api.ResourceByName("cronjobs")
	jobsResource     = api.ResourceByName("jobs")
	cronJobKind      = batchv1.SchemeGroupVersion.WithKind("CronJob")
	background       = metav1.DeletePropagationBackground
)

// controller is the CronJob controller of one cluster.
type controller struct {
	api      *apiserver.Client
	cluster  *sim.Cluster
	store    *store.Store
	recorder *events.Recorder
	// schedules and zones cache parsing, which every sync needs and which is costly for
	// time zones (zoneinfo.LoadLocation reads the embedded database each time). Entries depend
	// only on their key, so the caches never change what the controller does.
	schedules map[string]parsedSchedule
	zones     map[string]loadedZone
	// working is the sync's working copy of a CronJob, reused from sync to sync: nothing
	// keeps it past the sync (the store copies the status it is given).
	working batchv1.CronJob
}

type parsedSchedule struct {
	sched cron.Schedule
	err   error
}

type loadedZone struct {
	loc *time.Location
	err error
}

// maxCached bounds each cache; past it the cache starts over.
const maxCached = 256

// New adds the CronJob controller to c.
func New(c *sim.Cluster) {
	cc := &controller{
		api:       c.API.Client(ControllerName),
		cluster:   c,
		store:     c.Store,
		recorder:  c.Recorder(ControllerName, ""),
		schedules: map[string]parsedSchedule{},
		zones:     map[string]loadedZone{},
	}
	c.AddController(ControllerName, cc.sync)
	c.Watch(cronJobsResource.Name, cc.onCronJob)
	c.Watch(jobsResource.Name, cc.onJob)
}

func keyOf(obj metav1.Object) string { return obj.GetNamespace() + "/" + obj.GetName() }

func (cc *controller) onCronJob(ev store.WatchEvent) {
	cj := ev.Object.(*batchv1.CronJob)
	if ev.Type != store.Modified {
		cc.cluster.Enqueue(ControllerName, keyOf(cj))
		return
	}
	old := ev.Old.(*batchv1.CronJob)
	if old.Generation == cj.Generation && old.DeletionTimestamp.Equal(cj.DeletionTimestamp) {
		// Only the status changed: the controller's own write, which needs no second look.
		return
	}
	if old.Spec.Schedule != cj.Spec.Schedule || !equalStringPtr(old.Spec.TimeZone, cj.Spec.TimeZone) {
		// A new schedule takes effect at its next time; a sync already queued sooner finds
		// nothing to do and asks again for the right time.
		sched, err := cc.parse(cc.formatSchedule(cj, false))
		if err != nil {
			cc.recorder.Eventf(cj, corev1.EventTypeWarning, "UnParseableCronJobSchedule", "unparseable schedule for cronjob: %s", cj.Spec.Schedule)
			return
		}
		cc.cluster.EnqueueAfter(ControllerName, keyOf(cj), nextScheduleDelay(cj, cc.cluster.Now(), sched))
		return
	}
	cc.cluster.Enqueue(ControllerName, keyOf(cj))
}

func (cc *controller) onJob(ev store.WatchEvent) {
	job := ev.Object.(*batchv1.Job)
	switch {
	case ev.Type == store.Added && job.DeletionTimestamp == nil:
		// A Job this controller created is in the active list before its event arrives,
		// and a sync would find nothing to do; any other Job is news.
		if cj := cc.owner(job.Namespace, metav1.GetControllerOfNoCopy(job)); cj != nil && !inActive(cj, job) {
			cc.enqueue(cj)
		}
	case ev.Type == store.Added || ev.Type == store.Deleted:
		// Only an active Job's disappearance matters (MissingJob, Forbid); finished Jobs
		// leave the history, mostly through this controller's own cleanup.
		if cj := cc.owner(job.Namespace, metav1.GetControllerOfNoCopy(job)); cj != nil && inActive(cj, job) {
			cc.enqueue(cj)
		}
	default:
		old := ev.Old.(*batchv1.Job)
		oldRef, curRef := metav1.GetControllerOfNoCopy(old), metav1.GetControllerOfNoCopy(job)
		refChanged := !equalOwnerRef(oldRef, curRef)
		if refChanged {
			cc.enqueue(cc.owner(old.Namespace, oldRef))
		}
		// A sync reads only a Job's owner, its finished condition and its completion time;
		// the Job controller's other status writes (active, ready, ...) need no sync.
		if refChanged || finishedCondition(old) != finishedCondition(job) ||
			!old.Status.CompletionTime.Equal(job.Status.CompletionTime) {
			cc.enqueue(cc.owner(job.Namespace, curRef))
		}
	}
}

// owner resolves a controller reference to the CronJob it names, nil unless it exists with
// that uid.
func (cc *controller) owner(ns string, ref *metav1.OwnerReference) *batchv1.CronJob {
	if ref == nil || ref.Kind != cronJobKind.Kind {
		return nil
	}
	obj, err := cc.store.Get(cronJobsResource, ns, ref.Name)
	if err != nil || obj.GetUID() != ref.UID {
		return nil
	}
	return obj.(*batchv1.CronJob)
}

func (cc *controller) enqueue(cj *batchv1.CronJob) {
	if cj != nil {
		cc.cluster.Enqueue(ControllerName, keyOf(cj))
	}
}

func (cc *controller) sync(key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj, err := cc.store.Get(cronJobsResource, ns, name)
	if err != nil {
		return 0, nil // deleted; its Jobs are the garbage collector's
	}
	cj := obj.(*batchv1.CronJob)
	jobs := cc.jobsOf(cj)
	// A sync changes only the status: the copy shares metadata and spec with the stored
	// object (read only; Update copies what it stores) and owns its status.
	cur := &cc.working
	*cur = batchv1.CronJob{TypeMeta: cj.TypeMeta, ObjectMeta: cj.ObjectMeta, Spec: cj.Spec}
	cj.Status.DeepCopyInto(&cur.Status)
	cleaned := cc.cleanupFinishedJobs(cur, jobs)
	requeue, synced, syncErr := cc.syncCronJob(cur, jobs, cc.cluster.Now())
	if cleaned || synced {
		// The status is the sync's own copy: it is handed over.
		if _, err := cc.api.UpdateStatus(cur, apiserver.UpdateOptions{HandOver: true}); err != nil {
			return 0, err
		}
	}
	if requeue > 0 {
		return requeue, nil
	}
	return 0, syncErr
}

// jobsOf lists the Jobs whose controller reference names the CronJob. As upstream, the name
// decides, not the uid: Jobs orphaned by a deleted CronJob belong to a new one of that name.
func (cc *controller) jobsOf(cj *batchv1.CronJob) []*batchv1.Job {
	// Room for the default history (3 + 1) and an active Job or two, in one allocation.
	jobs := make([]*batchv1.Job, 0, 8)
	cc.store.Each(jobsResource, cj.Namespace, func(o api.Object) bool {
		if ref := metav1.GetControllerOfNoCopy(o); ref != nil && ref.Name == cj.Name {
			jobs = append(jobs, o.(*batchv1.Job))
		}
		return true
	})
	return jobs
}

// cleanupFinishedJobs applies the history limits to the finished Jobs. It reports whether
// the status changed.
func (cc *controller) cleanupFinishedJobs(cj *batchv1.CronJob, jobs []*batchv1.Job) bool {
	if cj.Spec.SuccessfulJobsHistoryLimit == nil && cj.Spec.FailedJobsHistoryLimit == nil {
		return false
	}
	var succeeded, failed []*batchv1.Job
	for _, j := range jobs {
		switch finishedCondition(j) {
		case batchv1.JobComplete:
			succeeded = append(succeeded, j)
		case batchv1.JobFailed:
			failed = append(failed, j)
		}
	}
	changed := false
	if limit := cj.Spec.SuccessfulJobsHistoryLimit; limit != nil {
		for _, j := range historyToDelete(succeeded, *limit) {
			changed = cc.deleteJob(cj, j) || changed
		}
	}
	if limit := cj.Spec.FailedJobsHistoryLimit; limit != nil {
		for _, j := range historyToDelete(failed, *limit) {
			changed = cc.deleteJob(cj, j) || changed
		}
	}
	return changed
}

// deleteJob deletes a Job (its pods follow through the garbage collector) and drops it from
// the active list.
func (cc *controller) deleteJob(cj *batchv1.CronJob, job *batchv1.Job) bool {
	if _, err := cc.api.Delete(jobsResource, job.Namespace, job.Name, apiserver.DeleteOptions{PropagationPolicy: &background}); err != nil {
		cc.recorder.Eventf(cj, corev1.EventTypeWarning, "FailedDelete", "Deleted job: %v", err)
		return false
	}
	removeActive(cj, job.UID)
	cc.recorder.Eventf(cj, corev1.EventTypeNormal, "SuccessfulDelete", msgDeleted, job.Name)
	return true
}

// syncCronJob reconciles cj (a copy, changed in place) with its Jobs at now. It returns when
// to sync again (0: not until something changes) and whether the status changed.
func (cc *controller) syncCronJob(cj *batchv1.CronJob, jobs []*batchv1.Job, now time.Time) (time.Duration, bool, error) {
	changed := false
	children := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		children[string(j.UID)] = true
		active := inActive(cj, j)
		finished := finishedCondition(j)
		switch {
		case !active && finished == "":
			// Created by hand with an owner reference, or lost from the status.
			cc.recorder.Eventf(cj, corev1.EventTypeWarning, "UnexpectedJob", "Saw a job that the controller did not create or forgot: %s", j.Name)
		case finished != "":
			if active {
				removeActive(cj, j.UID)
				cc.recorder.Eventf(cj, corev1.EventTypeNormal, "SawCompletedJob", msgSawCompleted, j.Name, finished)
				changed = true
			}
			if finished == batchv1.JobComplete && j.Status.CompletionTime != nil {
				if last := cj.Status.LastSuccessfulTime; last == nil || j.Status.CompletionTime.After(last.Time) {
					t := *j.Status.CompletionTime
					cj.Status.LastSuccessfulTime = &t
					changed = true
				}
			}
		}
	}
	// An active Job that no longer exists would keep a Forbid CronJob waiting forever.
	for _, ref := range append([]corev1.ObjectReference(nil), cj.Status.Active...) {
		if children[string(ref.UID)] {
			continue
		}
		if _, err := cc.store.Get(jobsResource, ref.Namespace, ref.Name); apierrors.IsNotFound(err) {
			cc.recorder.Eventf(cj, corev1.EventTypeNormal, "MissingJob", "Active job went missing: %v", ref.Name)
			removeActive(cj, ref.UID)
			changed = true
		}
	}
	if cj.DeletionTimestamp != nil {
		return 0, changed, nil
	}
	var loc *time.Location
	if cj.Spec.TimeZone != nil {
		var err error
		if loc, err = cc.loadZone(*cj.Spec.TimeZone); err != nil {
			cc.recorder.Eventf(cj, corev1.EventTypeWarning, "UnknownTimeZone", "invalid timeZone: %q: %s", *cj.Spec.TimeZone, err)
			return 0, changed, nil
		}
	} else {
		loc = time.UTC
	}
	if cj.Spec.Suspend != nil && *cj.Spec.Suspend {
		// No requeue, as upstream: resuming is a spec change, which syncs at once.
		return 0, changed, nil
	}
	sched, err := cc.parse(cc.formatSchedule(cj, true))
	if err != nil {
		cc.recorder.Eventf(cj, corev1.EventTypeWarning, "UnparseableSchedule", "unparseable schedule: %q : %s", cj.Spec.Schedule, err)
		return 0, changed, nil
	}
	scheduled, manyMissed, err := nextScheduleTime(cj, now, sched)
	if manyMissed {
		cc.recorder.Eventf(cj, corev1.EventTypeWarning, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
	}
	if err != nil {
		cc.recorder.Eventf(cj, corev1.EventTypeWarning, "InvalidSchedule", "invalid schedule: %s : %s", cj.Spec.Schedule, err)
		return 0, changed, nil
	}
	next := nextScheduleDelay(cj, now, sched)
	if scheduled == nil {
		return next, changed, nil
	}
	if startingDeadlineMissed(cj, *scheduled, now) {
		cc.recorder.Eventf(cj, corev1.EventTypeWarning, "MissSchedule", "Missed scheduled time to start a job: %s", scheduled.UTC().Format(time.RFC1123Z))
		return next, changed, nil
	}
	name := jobName(cj.Name, *scheduled)
	if inActiveByName(cj, cj.Namespace, name) || cj.Status.LastScheduleTime.Equal(&metav1.Time{Time: *scheduled}) {
		return next, changed, nil
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && len(cj.Status.Active) > 0 {
		cc.recorder.Eventf(cj, corev1.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid")
		return next, changed, nil
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent {
		for _, ref := range append([]corev1.ObjectReference(nil), cj.Status.Active...) {
			obj, err := cc.store.Get(jobsResource, ref.Namespace, ref.Name)
			if err != nil {
				cc.recorder.Eventf(cj, corev1.EventTypeWarning, "FailedGet", "Get job: %v", err)
				return 0, changed, err
			}
			job := obj.(*batchv1.Job)
			if !cc.deleteJob(cj, job) {
				return 0, changed, fmt.Errorf("could not replace job %s/%s", job.Namespace, job.Name)
			}
			changed = true
		}
	}

	// jobFromTemplate shares nothing with the CronJob: it is handed over.
	created, err := cc.api.Create(jobFromTemplate(cj, *scheduled, loc), apiserver.CreateOptions{HandOver: true})
	switch {
	case err == nil:
		cc.recorder.Eventf(cj, corev1.EventTypeNormal, "SuccessfulCreate", "Created job %v", created.GetName())
	case apierrors.IsAlreadyExists(err):
		// A Job of that name exists. If this CronJob owns it, an earlier sync created it
		// and the status did not record it; otherwise someone else did, and, as upstream,
		// the controller leaves it alone and waits for the next change.
		obj, getErr := cc.store.Get(jobsResource, cj.Namespace, name)
		if getErr != nil {
			return 0, changed, getErr
		}
		if !metav1.IsControlledBy(obj, cj) || inActive(cj, obj.(*batchv1.Job)) {
			return 0, changed, nil
		}
		created = obj
	case namespaceTerminating(err):
		// Every create fails until the namespace and this CronJob are gone.
		return 0, changed, err
	default:
		cc.recorder.Eventf(cj, corev1.EventTypeWarning, "FailedCreate", "Error creating job: %v", err)
		return 0, changed, err
	}
	cj.Status.Active = append(cj.Status.Active, jobReference(created.(*batchv1.Job)))
	cj.Status.LastScheduleTime = &metav1.Time{Time: *scheduled}
	return nextScheduleDelay(cj, now, sched), true, nil
}

// formatSchedule is the schedule in the form the cron parser reads: prefixed with the
// CronJob's time zone when it has a valid one. A TZ inside the schedule itself (which
// validation refuses) is read as written, with upstream's warning when warn is set.
func (cc *controller) formatSchedule(cj *batchv1.CronJob, warn bool) string {
	if strings.Contains(cj.Spec.Schedule, "TZ") {
		if warn {
			cc.recorder.Eventf(cj, corev1.EventTypeWarning, "UnsupportedSchedule", "CRON_TZ or TZ used in schedule %q is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details", cj.Spec.Schedule)
		}
		return cj.Spec.Schedule
	}
	if tz := cj.Spec.TimeZone; tz != nil {
		if _, err := cc.loadZone(*tz); err == nil {
			return "TZ=" + *tz + " " + cj.Spec.Schedule
		}
	}
	return cj.Spec.Schedule
}

// parse reads a formatted schedule. A schedule without a zone runs in the controller
// manager's local zone, which in kubetab is UTC whatever the machine's zone is.
func (cc *controller) parse(spec string) (cron.Schedule, error) {
	if p, ok := cc.schedules[spec]; ok {
		return p.sched, p.err
	}
	sched, err := api.ParseCronSchedule(spec)
	if err == nil {
		sched = &memoSchedule{Schedule: sched}
	}
	if len(cc.schedules) >= maxCached {
		clear(cc.schedules)
	}
	cc.schedules[spec] = parsedSchedule{sched, err}
	return sched, err
}

// memoSchedule remembers the last few answers of a schedule. Next is a pure function, but
// robfig/cron finds the next time by stepping second by second, and every sync asks the same
// few questions (the times after lastScheduleTime) again.
type memoSchedule struct {
	cron.Schedule
	in, out [4]time.Time
	n       int
}

func (m *memoSchedule) Next(t time.Time) time.Time {
	for i := 0; i < m.n; i++ {
		if m.in[i].Equal(t) {
			return m.out[i].In(t.Location())
		}
	}
	next := m.Schedule.Next(t)
	i := m.n
	if i < len(m.in) {
		m.n++
	} else {
		// Questions move forward in time: forget the earliest.
		i = oldest(m.in[:])
	}
	m.in[i], m.out[i] = t, next
	return next
}

func oldest(ts []time.Time) int {
	o := 0
	for i := range ts {
		if ts[i].Before(ts[o]) {
			o = i
		}
	}
	return o
}

func (cc *controller) loadZone(name string) (*time.Location, error) {
	if z, ok := cc.zones[name]; ok {
		return z.loc, z.err
	}
	loc, err := zoneinfo.LoadLocation(name)
	if len(cc.zones) >= maxCached {
		clear(cc.zones)
	}
	cc.zones[name] = loadedZone{loc, err}
	return loc, err
}

func namespaceTerminating(err error) bool {
	return apierrors.IsForbidden(err) && strings.Contains(err.Error(), "because it is being terminated")
}

// jobReference is the status.active entry for a Job, as client-go's GetReference makes it.
func jobReference(job *batchv1.Job) corev1.ObjectReference {
	return corev1.ObjectReference{
		Kind:            "Job",
		Namespace:       job.Namespace,
		Name:            job.Name,
		UID:             job.UID,
		APIVersion:      batchv1.SchemeGroupVersion.String(),
		ResourceVersion: job.ResourceVersion,
	}
}

func inActive(cj *batchv1.CronJob, job *batchv1.Job) bool {
	for _, ref := range cj.Status.Active {
		if ref.UID == job.UID {
			return true
		}
	}
	return false
}

func inActiveByName(cj *batchv1.CronJob, ns, name string) bool {
	for _, ref := range cj.Status.Active {
		if ref.Name == name && ref.Namespace == ns {
			return true
		}
	}
	return false
}

func removeActive(cj *batchv1.CronJob, uid types.UID) {
	var kept []corev1.ObjectReference
	for _, ref := range cj.Status.Active {
		if ref.UID != uid {
			kept = append(kept, ref)
		}
	}
	cj.Status.Active = kept
}

func equalStringPtr(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func equalOwnerRef(a, b *metav1.OwnerReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.UID == b.UID && a.Name == b.Name && a.Kind == b.Kind && a.APIVersion == b.APIVersion
}
