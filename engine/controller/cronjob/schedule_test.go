package cronjob

import (
	"reflect"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// at parses an RFC3339 time (fractions allowed) for test tables.
func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func mustParse(tb testing.TB, spec string) cron.Schedule {
	tb.Helper()
	cc := &controller{schedules: map[string]parsedSchedule{}, zones: map[string]loadedZone{}}
	s, err := cc.parse(spec)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func cronJobAt(created string, last string, deadline *int64) *batchv1.CronJob {
	cj := &batchv1.CronJob{}
	t, _ := time.Parse(time.RFC3339Nano, created)
	cj.CreationTimestamp = metav1.NewTime(t)
	if last != "" {
		l, _ := time.Parse(time.RFC3339Nano, last)
		cj.Status.LastScheduleTime = &metav1.Time{Time: l}
	}
	cj.Spec.StartingDeadlineSeconds = deadline
	return cj
}

func TestMostRecentScheduleTime(t *testing.T) {
	tests := []struct {
		name          string
		schedule      string
		created, last string
		deadline      *int64
		withDeadline  bool
		now           string
		wantEarliest  string
		wantRecent    string // "" = nil
		wantMissed    int64
		wantErr       bool
	}{
		{name: "before the first time", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:00:30Z",
			wantEarliest: "2026-01-01T09:00:00Z"},
		{name: "exactly the first time", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:01:00Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T09:01:00Z", wantMissed: 1},
		{name: "just before the second time", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:01:59.9Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T09:01:00Z", wantMissed: 1},
		{name: "second time reached", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:02:00Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T09:02:00Z", wantMissed: 2},
		{name: "from the last schedule time", schedule: "*/1 * * * *", created: "2026-01-01T08:00:00Z", last: "2026-01-01T09:05:00Z", now: "2026-01-01T09:10:30Z",
			wantEarliest: "2026-01-01T09:05:00Z", wantRecent: "2026-01-01T09:10:00Z", wantMissed: 5},
		{name: "three hours missed", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T12:00:30Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T12:00:00Z", wantMissed: 180},
		{name: "starting deadline bounds the count", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", deadline: ptr.To[int64](200), withDeadline: true, now: "2026-01-01T12:00:30Z",
			wantEarliest: "2026-01-01T11:57:10Z", wantRecent: "2026-01-01T12:00:00Z", wantMissed: 3},
		{name: "deadline ignored when not asked", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", deadline: ptr.To[int64](200), now: "2026-01-01T12:00:30Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T12:00:00Z", wantMissed: 180},
		{name: "deadline older than the last schedule", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", last: "2026-01-01T09:04:00Z", deadline: ptr.To[int64](3600), withDeadline: true, now: "2026-01-01T09:05:00.1Z",
			wantEarliest: "2026-01-01T09:04:00Z", wantRecent: "2026-01-01T09:05:00Z", wantMissed: 1},
		{name: "book quarter hours", schedule: "0,15,30,45 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:15:00.1Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T09:15:00Z", wantMissed: 1},
		{name: "book quarter hours, late", schedule: "0,15,30,45 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:50:00Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T09:45:00Z", wantMissed: 3},
		// Four real misses (Fri 10:30, 14:30, Mon 06:30, 10:30); the approximation counts 4 h steps.
		{name: "irregular schedule", schedule: "30 6-16/4 * * 1-5", created: "2026-01-02T07:00:00Z", now: "2026-01-05T11:00:00Z",
			wantEarliest: "2026-01-02T07:00:00Z", wantRecent: "2026-01-05T10:30:00Z", wantMissed: 19},
		{name: "hourly descriptor", schedule: "@hourly", created: "2026-01-01T09:30:00Z", now: "2026-01-01T10:00:00.1Z",
			wantEarliest: "2026-01-01T09:30:00Z", wantRecent: "2026-01-01T10:00:00Z", wantMissed: 1},
		{name: "every descriptor", schedule: "@every 90m", created: "2026-01-01T09:00:00Z", now: "2026-01-01T12:00:00Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantRecent: "2026-01-01T12:00:00Z", wantMissed: 2},
		{name: "Berlin across the DST change", schedule: "TZ=Europe/Berlin 0 9 * * *", created: "2026-03-28T06:00:00Z", now: "2026-03-29T07:00:00.1Z",
			wantEarliest: "2026-03-28T06:00:00Z", wantRecent: "2026-03-29T07:00:00Z", wantMissed: 2},
		{name: "no zone means UTC", schedule: "0 9 * * *", created: "2026-03-28T06:00:00Z", now: "2026-03-28T09:00:00.1Z",
			wantEarliest: "2026-03-28T06:00:00Z", wantRecent: "2026-03-28T09:00:00Z", wantMissed: 1},
		{name: "31st of February", schedule: "0 0 31 2 *", created: "2026-01-01T09:00:00Z", now: "2026-03-01T00:00:00Z",
			wantEarliest: "2026-01-01T09:00:00Z", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cj := cronJobAt(tt.created, tt.last, tt.deadline)
			earliest, recent, missed, err := mostRecentScheduleTime(cj, at(t, tt.now), mustParse(t, tt.schedule), tt.withDeadline)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !earliest.Equal(at(t, tt.wantEarliest)) {
				t.Errorf("earliest = %s, want %s", earliest.UTC(), tt.wantEarliest)
			}
			switch {
			case tt.wantRecent == "" && recent != nil:
				t.Errorf("most recent = %s, want none", recent.UTC())
			case tt.wantRecent != "" && (recent == nil || !recent.Equal(at(t, tt.wantRecent))):
				t.Errorf("most recent = %v, want %s", recent, tt.wantRecent)
			}
			if missed != tt.wantMissed {
				t.Errorf("missed = %d, want %d", missed, tt.wantMissed)
			}
		})
	}
}

func TestNextScheduleTime(t *testing.T) {
	tests := []struct {
		name          string
		created, last string
		deadline      *int64
		now           string
		want          string
		wantMany      bool
	}{
		{name: "nothing due", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:00:59Z"},
		{name: "one due", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:01:00.1Z", want: "2026-01-01T09:01:00Z"},
		{name: "already scheduled", created: "2026-01-01T09:00:00Z", last: "2026-01-01T09:01:00Z", now: "2026-01-01T09:01:00.1Z"},
		{name: "100 missed is not too many", created: "2026-01-01T09:00:00Z", now: "2026-01-01T10:40:30Z", want: "2026-01-01T10:40:00Z"},
		{name: "101 missed is too many, the latest still starts", created: "2026-01-01T09:00:00Z", now: "2026-01-01T10:41:30Z", want: "2026-01-01T10:41:00Z", wantMany: true},
		{name: "a deadline limits what counts", created: "2026-01-01T09:00:00Z", deadline: ptr.To[int64](200), now: "2026-01-01T12:00:30Z", want: "2026-01-01T12:00:00Z"},
		{name: "a zero deadline never starts anything", created: "2026-01-01T09:00:00Z", deadline: ptr.To[int64](0), now: "2026-01-01T09:01:00.1Z"},
	}
	sched := mustParse(t, "*/1 * * * *")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, many, err := nextScheduleTime(cronJobAt(tt.created, tt.last, tt.deadline), at(t, tt.now), sched)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("got %s, want none", got.UTC())
			case tt.want != "" && (got == nil || !got.Equal(at(t, tt.want))):
				t.Errorf("got %v, want %s", got, tt.want)
			}
			if many != tt.wantMany {
				t.Errorf("many missed = %v, want %v", many, tt.wantMany)
			}
		})
	}
}

func TestNextScheduleDelay(t *testing.T) {
	tests := []struct {
		name          string
		schedule      string
		created, last string
		deadline      *int64
		now           string
		want          time.Duration
	}{
		{name: "created on the minute", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:00:00Z", want: 60*time.Second + 100*time.Millisecond},
		{name: "right after a run", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", last: "2026-01-01T09:01:00Z", now: "2026-01-01T09:01:00.1Z", want: time.Minute},
		{name: "a job event mid-minute", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", last: "2026-01-01T09:01:00Z", now: "2026-01-01T09:01:42Z", want: 18*time.Second + 100*time.Millisecond},
		{name: "missed runs", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T12:00:30Z", want: 30*time.Second + 100*time.Millisecond},
		{name: "the deadline never delays", schedule: "*/1 * * * *", created: "2026-01-01T09:00:00Z", last: "2026-01-01T09:01:00Z", deadline: ptr.To[int64](10), now: "2026-01-01T09:05:30Z", want: 30*time.Second + 100*time.Millisecond},
		{name: "book quarter hours", schedule: "0,15,30,45 * * * *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:00:00Z", want: 15*time.Minute + 100*time.Millisecond},
		{name: "Berlin daily", schedule: "TZ=Europe/Berlin 0 9 * * *", created: "2026-03-28T06:00:00Z", last: "2026-03-28T08:00:00Z", now: "2026-03-28T08:00:00.1Z", want: 23 * time.Hour},
		{name: "no next time", schedule: "0 0 31 2 *", created: "2026-01-01T09:00:00Z", now: "2026-01-01T09:00:00Z", want: 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nextScheduleDelay(cronJobAt(tt.created, tt.last, tt.deadline), at(t, tt.now), mustParse(t, tt.schedule))
			if got != tt.want {
				t.Errorf("delay = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStartingDeadlineMissed(t *testing.T) {
	tests := []struct {
		name     string
		deadline *int64
		now      string
		want     bool
	}{
		{name: "no deadline", now: "2026-01-01T12:00:00Z"},
		{name: "within", deadline: ptr.To[int64](60), now: "2026-01-01T09:01:59Z"},
		{name: "exactly at the deadline", deadline: ptr.To[int64](60), now: "2026-01-01T09:02:00Z"},
		{name: "past it", deadline: ptr.To[int64](60), now: "2026-01-01T09:02:00.1Z", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cj := cronJobAt("2026-01-01T09:00:00Z", "", tt.deadline)
			if got := startingDeadlineMissed(cj, at(t, "2026-01-01T09:01:00Z"), at(t, tt.now)); got != tt.want {
				t.Errorf("missed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestJobName(t *testing.T) {
	tests := []struct {
		cronJob, scheduled, want string
	}{
		{"hello", "2026-01-01T09:15:00Z", "hello-29454315"},
		{"hello", "2026-01-01T09:15:59Z", "hello-29454315"},
		{"batch-job-every-fifteen-minutes", "2026-01-01T10:00:00Z", "batch-job-every-fifteen-minutes-29454360"},
		{"berlin", "2026-03-29T09:00:00+02:00", "berlin-29579460"},
	}
	for _, tt := range tests {
		if got := jobName(tt.cronJob, at(t, tt.scheduled)); got != tt.want {
			t.Errorf("jobName(%s, %s) = %s, want %s", tt.cronJob, tt.scheduled, got, tt.want)
		}
	}
}

func TestJobFromTemplate(t *testing.T) {
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "berlin", Namespace: "ns", UID: "cj-uid"},
		Spec: batchv1.CronJobSpec{
			Schedule: "0 9 * * *",
			TimeZone: ptr.To("Europe/Berlin"),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}, Annotations: map[string]string{"note": "y"}},
				Spec: batchv1.JobSpec{
					BackoffLimit: ptr.To[int32](2),
					Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
						RestartPolicy: corev1.RestartPolicyOnFailure,
						Containers:    []corev1.Container{{Name: "main", Image: "busybox"}},
					}},
				},
			},
		},
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	job := jobFromTemplate(cj, at(t, "2026-03-29T07:00:00Z"), berlin)
	if job.Name != "berlin-29579460" || job.Namespace != "ns" {
		t.Errorf("name = %s/%s", job.Namespace, job.Name)
	}
	if !reflect.DeepEqual(job.Labels, map[string]string{"app": "x"}) {
		t.Errorf("labels = %v", job.Labels)
	}
	wantAnn := map[string]string{"note": "y", "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-03-29T09:00:00+02:00"}
	if !reflect.DeepEqual(job.Annotations, wantAnn) {
		t.Errorf("annotations = %v, want %v", job.Annotations, wantAnn)
	}
	wantRef := metav1.OwnerReference{APIVersion: "batch/v1", Kind: "CronJob", Name: "berlin", UID: "cj-uid", Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}
	if len(job.OwnerReferences) != 1 || !reflect.DeepEqual(job.OwnerReferences[0], wantRef) {
		t.Errorf("ownerReferences = %+v", job.OwnerReferences)
	}
	if !reflect.DeepEqual(job.Spec, cj.Spec.JobTemplate.Spec) {
		t.Errorf("spec = %+v", job.Spec)
	}
	// The Job owns its copies: changing it leaves the CronJob alone.
	job.Labels["app"] = "changed"
	*job.Spec.BackoffLimit = 9
	if cj.Spec.JobTemplate.Labels["app"] != "x" || *cj.Spec.JobTemplate.Spec.BackoffLimit != 2 {
		t.Error("the Job shares maps or pointers with the CronJob")
	}
	if utc := jobFromTemplate(cj, at(t, "2026-01-01T09:15:00Z"), time.UTC); utc.Annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] != "2026-01-01T09:15:00Z" {
		t.Errorf("UTC annotation = %q", utc.Annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"])
	}
}

func finishedJob(name string, start string, cond batchv1.JobConditionType) *batchv1.Job {
	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if start != "" {
		t, _ := time.Parse(time.RFC3339, start)
		j.Status.StartTime = &metav1.Time{Time: t}
	}
	if cond != "" {
		j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue}}
	}
	return j
}

func TestFinishedCondition(t *testing.T) {
	tests := []struct {
		name  string
		conds []batchv1.JobCondition
		want  batchv1.JobConditionType
	}{
		{name: "running"},
		{name: "complete", conds: []batchv1.JobCondition{{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue}, {Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}, want: batchv1.JobComplete},
		{name: "failed", conds: []batchv1.JobCondition{{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue}, {Type: batchv1.JobFailed, Status: corev1.ConditionTrue}}, want: batchv1.JobFailed},
		{name: "heading for success only", conds: []batchv1.JobCondition{{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue}}},
		{name: "condition not true", conds: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionFalse}}},
		{name: "suspended", conds: []batchv1.JobCondition{{Type: batchv1.JobSuspended, Status: corev1.ConditionTrue}}},
	}
	for _, tt := range tests {
		j := &batchv1.Job{Status: batchv1.JobStatus{Conditions: tt.conds}}
		if got := finishedCondition(j); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestHistoryToDelete(t *testing.T) {
	jobs := []*batchv1.Job{
		finishedJob("d", "2026-01-01T09:04:00Z", batchv1.JobComplete),
		finishedJob("never-started", "", batchv1.JobComplete),
		finishedJob("b", "2026-01-01T09:02:00Z", batchv1.JobComplete),
		finishedJob("a2", "2026-01-01T09:01:00Z", batchv1.JobComplete),
		finishedJob("a1", "2026-01-01T09:01:00Z", batchv1.JobComplete),
		finishedJob("c", "2026-01-01T09:03:00Z", batchv1.JobComplete),
	}
	tests := []struct {
		name  string
		limit int32
		want  []string
	}{
		{name: "keep 3", limit: 3, want: []string{"a1", "a2", "b"}},
		{name: "keep 1", limit: 1, want: []string{"a1", "a2", "b", "c", "d"}},
		{name: "keep none", limit: 0, want: []string{"a1", "a2", "b", "c", "d", "never-started"}},
		{name: "under the limit", limit: 6},
		{name: "far under the limit", limit: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, j := range historyToDelete(jobs, tt.limit) {
				got = append(got, j.Name)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if jobs[0].Name != "d" || jobs[1].Name != "never-started" {
		t.Error("historyToDelete reordered its input")
	}
}
