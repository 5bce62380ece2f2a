package cronjob

import (
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// nextScheduleDelta pads every requeue, as upstream does against clock skew: the sync for a
// schedule time runs 100 ms after it.
const nextScheduleDelta = 100 * time.Millisecond

// tooManyMissed is upstream's threshold: more missed start times than this draw a warning.
const tooManyMissed = 100

var errScheduleTooDense = errors.New("time difference between two schedules is less than 1 second")

// mostRecentScheduleTime finds the schedule times a CronJob has not met yet. It returns the
// earliest time considered (lastScheduleTime, else the creation time, moved up to
// now − startingDeadlineSeconds when withDeadline is set), the most recent schedule time
// after it and not after now (nil if none), and how many schedule times fall in between,
// approximated as upstream does from the interval between the first two (0 when none is
// due, 1 when only the first is). The error reports a schedule that parses but never
// produces two distinct times (such as the 31st of February).
func mostRecentScheduleTime(cj *batchv1.CronJob, now time.Time, sched cron.Schedule, withDeadline bool) (earliest time.Time, mostRecent *time.Time, missed int64, err error) {
	earliest = cj.CreationTimestamp.Time
	if cj.Status.LastScheduleTime != nil {
		earliest = cj.Status.LastScheduleTime.Time
	}
	if withDeadline && cj.Spec.StartingDeadlineSeconds != nil {
		// Nothing older than the deadline will be started, so it need not be counted either.
		if d := now.Add(-time.Duration(*cj.Spec.StartingDeadlineSeconds) * time.Second); d.After(earliest) {
			earliest = d
		}
	}
	t1 := sched.Next(earliest)
	t2 := sched.Next(t1)
	if now.Before(t1) {
		return earliest, nil, 0, nil
	}
	if now.Before(t2) {
		return earliest, &t1, 1, nil
	}
	interval := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if interval < 1 {
		return earliest, nil, 0, errScheduleTooDense
	}
	missed = int64(now.Sub(t1).Seconds())/interval + 1
	// Jump close to now (one interval early, so that irregular schedules such as
	// `30 6-16/4 * * 1-5` are still walked by the cron library itself) instead of walking
	// every missed time.
	var recent time.Time
	from := t1.Add(time.Duration((missed-2)*interval) * time.Second)
	for t := sched.Next(from); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		recent = t
	}
	if recent.IsZero() {
		return earliest, nil, missed, nil
	}
	return earliest, &recent, missed, nil
}

// nextScheduleTime is the schedule time a sync at now should start a Job for, or nil, and
// whether so many were missed that the controller warns (it still starts only the most
// recent one).
func nextScheduleTime(cj *batchv1.CronJob, now time.Time, sched cron.Schedule) (scheduled *time.Time, manyMissed bool, err error) {
	_, recent, missed, err := mostRecentScheduleTime(cj, now, sched, true)
	if recent == nil || recent.After(now) {
		return nil, false, err
	}
	return recent, missed > tooManyMissed, err
}

// nextScheduleDelay is how long after now the CronJob should be synced again: just after the
// schedule time following the most recent one (startingDeadlineSeconds aside, so that a
// deadline never hides the next run).
func nextScheduleDelay(cj *batchv1.CronJob, now time.Time, sched cron.Schedule) time.Duration {
	earliest, recent, missed, err := mostRecentScheduleTime(cj, now, sched, false)
	from := now
	switch {
	case err != nil:
	case recent != nil:
		from = *recent
	case missed == 0:
		from = earliest
	}
	d := sched.Next(from).Add(nextScheduleDelta).Sub(now)
	if d <= 0 {
		// Only a schedule without a next time gets here; never spin on it.
		d = nextScheduleDelta
	}
	return d
}

// startingDeadlineMissed reports whether a Job for scheduled may no longer start at now.
func startingDeadlineMissed(cj *batchv1.CronJob, scheduled, now time.Time) bool {
	sds := cj.Spec.StartingDeadlineSeconds
	return sds != nil && scheduled.Add(time.Duration(*sds)*time.Second).Before(now)
}

// jobName is the deterministic name of the Job for one schedule time: the minutes since the
// Unix epoch, so that a second sync for the same time cannot create a second Job.
func jobName(cronJobName string, scheduled time.Time) string {
	var buf [80]byte // on the stack: the string is the one allocation
	b := append(buf[:0], cronJobName...)
	b = append(b, '-')
	return string(strconv.AppendInt(b, scheduled.Unix()/60, 10))
}

// jobFromTemplate builds the Job a CronJob starts for a schedule time; loc is the CronJob's
// zone, in which the scheduled-timestamp annotation is written.
func jobFromTemplate(cj *batchv1.CronJob, scheduled time.Time, loc *time.Location) *batchv1.Job {
	tmpl := &cj.Spec.JobTemplate
	var labels map[string]string
	if len(tmpl.Labels) > 0 {
		labels = make(map[string]string, len(tmpl.Labels))
		for k, v := range tmpl.Labels {
			labels[k] = v
		}
	}
	annotations := make(map[string]string, len(tmpl.Annotations)+1)
	for k, v := range tmpl.Annotations {
		annotations[k] = v
	}
	annotations[batchv1.CronJobScheduledTimestampAnnotation] = scheduled.In(loc).Format(time.RFC3339)
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:            jobName(cj.Name, scheduled),
			Namespace:       cj.Namespace,
			Labels:          labels,
			Annotations:     annotations,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, cronJobKind)},
		},
	}
	tmpl.Spec.DeepCopyInto(&job.Spec)
	return job
}

// finishedCondition returns Complete or Failed when the Job has that condition True, else "".
func finishedCondition(job *batchv1.Job) batchv1.JobConditionType {
	for _, c := range job.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.Type
		}
	}
	return ""
}

// historyToDelete picks the finished Jobs beyond a history limit: the oldest by
// status.startTime (Jobs that never started count as newest), then by name. It returns them
// in deletion order without reordering jobs.
func historyToDelete(jobs []*batchv1.Job, limit int32) []*batchv1.Job {
	n := len(jobs) - int(limit)
	if n <= 0 {
		return nil
	}
	sorted := append([]*batchv1.Job(nil), jobs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].Status.StartTime, sorted[j].Status.StartTime
		switch {
		case a == nil && b != nil:
			return false
		case a != nil && b == nil:
			return true
		case a.Equal(b):
			return sorted[i].Name < sorted[j].Name
		}
		return a.Before(b)
	})
	return sorted[:n]
}
