package cronjob

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

var nine = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// newSim is a bare cluster (no admission, no other controllers) with a default namespace
// and this controller, settled at start.
func newSim(tb testing.TB, start time.Time) *sim.Cluster {
	tb.Helper()
	c := sim.New(1, start)
	New(c)
	mustCreate(tb, c, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
	return c
}

func mustCreate(tb testing.TB, c *sim.Cluster, obj api.Object) api.Object {
	tb.Helper()
	out, err := c.API.Client("test").Create(obj, apiserver.CreateOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	mustSettle(tb, c)
	return out
}

func mustSettle(tb testing.TB, c *sim.Cluster) {
	tb.Helper()
	if err := c.Settle(); err != nil {
		tb.Fatal(err)
	}
}

func mustAdvance(tb testing.TB, c *sim.Cluster, d time.Duration) {
	tb.Helper()
	if err := c.Advance(d); err != nil {
		tb.Fatal(err)
	}
}

// newCronJob is a CronJob as defaulting leaves it (the bare cluster has no admission).
func newCronJob(name, schedule string) *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: batchv1.CronJobSpec{
			Schedule:                   schedule,
			ConcurrencyPolicy:          batchv1.AllowConcurrent,
			Suspend:                    ptr.To(false),
			SuccessfulJobsHistoryLimit: ptr.To[int32](3),
			FailedJobsHistoryLimit:     ptr.To[int32](1),
			JobTemplate: batchv1.JobTemplateSpec{
				Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
					Spec: corev1.PodSpec{
						RestartPolicy: corev1.RestartPolicyOnFailure,
						Containers:    []corev1.Container{{Name: "main", Image: "busybox"}},
					},
				}},
			},
		},
	}
}

func getCronJob(tb testing.TB, c *sim.Cluster, name string) *batchv1.CronJob {
	tb.Helper()
	obj, err := c.Store.Get(cronJobsResource, "default", name)
	if err != nil {
		tb.Fatal(err)
	}
	return obj.(*batchv1.CronJob)
}

func updateCronJob(tb testing.TB, c *sim.Cluster, name string, change func(*batchv1.CronJob)) {
	tb.Helper()
	cj := getCronJob(tb, c, name).DeepCopy()
	change(cj)
	if _, err := c.API.Client("test").Update(cj, apiserver.UpdateOptions{}); err != nil {
		tb.Fatal(err)
	}
	mustSettle(tb, c)
}

func jobNames(c *sim.Cluster) []string {
	var names []string
	c.Store.Each(jobsResource, "default", func(o api.Object) bool {
		names = append(names, o.GetName())
		return true
	})
	return names
}

func activeNames(cj *batchv1.CronJob) []string {
	var names []string
	for _, ref := range cj.Status.Active {
		names = append(names, ref.Name)
	}
	return names
}

// finishJobs does the Job controller's part: every unfinished Job gets a start time (its
// creation, if it had none) and the terminal condition.
func finishJobs(tb testing.TB, c *sim.Cluster, cond batchv1.JobConditionType, names ...string) {
	tb.Helper()
	var todo []*batchv1.Job
	c.Store.Each(jobsResource, "default", func(o api.Object) bool {
		j := o.(*batchv1.Job)
		if finishedCondition(j) == "" && (len(names) == 0 || contains(names, j.Name)) {
			todo = append(todo, j.DeepCopy())
		}
		return true
	})
	now := metav1.NewTime(c.Now())
	for _, j := range todo {
		if j.Status.StartTime == nil {
			start := j.CreationTimestamp
			j.Status.StartTime = &start
		}
		j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: cond, Status: corev1.ConditionTrue, LastTransitionTime: now})
		if cond == batchv1.JobComplete {
			j.Status.Succeeded = 1
			j.Status.CompletionTime = &now
		} else {
			j.Status.Failed = 1
		}
		if _, err := c.API.Client("test").UpdateStatus(j, apiserver.UpdateOptions{}); err != nil {
			tb.Fatal(err)
		}
	}
	mustSettle(tb, c)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// eventLines lists the events about one CronJob as `Type Reason Message` (with `(xN)` for
// repeats), oldest first.
func eventLines(c *sim.Cluster, cronJob string) []string {
	var evs []*corev1.Event
	c.Store.Each(api.ResourceByName("events"), "default", func(o api.Object) bool {
		ev := o.(*corev1.Event)
		if ev.InvolvedObject.Kind == "CronJob" && ev.InvolvedObject.Name == cronJob {
			evs = append(evs, ev)
		}
		return true
	})
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].FirstTimestamp.Before(&evs[j].FirstTimestamp) })
	var lines []string
	for _, ev := range evs {
		if ev.Source.Component != ControllerName {
			lines = append(lines, "wrong source "+ev.Source.Component)
		}
		l := ev.Type + " " + ev.Reason + " " + ev.Message
		if ev.Count > 1 {
			l += fmt.Sprintf(" (x%d)", ev.Count)
		}
		lines = append(lines, l)
	}
	return lines
}

func wantLines(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// minute names the Job of a schedule time on 2026-01-01 in UTC (09:00 is minute 29454300).
func minute(name string, hhmm string) string {
	t, err := time.Parse("2006-01-02 15:04", "2026-01-01 "+hhmm)
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%s-%d", name, t.Unix()/60)
}

func TestEveryMinuteKeepsThreeSuccessfulJobs(t *testing.T) {
	c := newSim(t, nine)
	mustCreate(t, c, newCronJob("hello", "*/1 * * * *"))
	if at, label, ok := c.NextTimer(); !ok || !at.Equal(nine.Add(time.Minute+100*time.Millisecond)) || label != "cronjob-controller default/hello" {
		t.Fatalf("next timer = %s %q %v, want 09:01:00.1 for the CronJob", at, label, ok)
	}
	mustAdvance(t, c, time.Second)
	for i := 1; i <= 10; i++ {
		mustAdvance(t, c, time.Minute) // to 09:0i:01
		want := fmt.Sprintf("hello-%d", 29454300+i)
		if names := jobNames(c); !contains(names, want) {
			t.Fatalf("at %s: jobs %v lack %s", c.Now().Format(time.TimeOnly), names, want)
		}
		if got := activeNames(getCronJob(t, c, "hello")); !reflect.DeepEqual(got, []string{want}) {
			t.Fatalf("at %s: active %v", c.Now().Format(time.TimeOnly), got)
		}
		finishJobs(t, c, batchv1.JobComplete)
	}
	wantLines(t, "jobs", jobNames(c), []string{"hello-29454308", "hello-29454309", "hello-29454310"})
	cj := getCronJob(t, c, "hello")
	if len(cj.Status.Active) != 0 {
		t.Errorf("active = %v", activeNames(cj))
	}
	if got := cj.Status.LastScheduleTime; got == nil || !got.Time.Equal(nine.Add(10*time.Minute)) {
		t.Errorf("lastScheduleTime = %v", got)
	}
	if got := cj.Status.LastSuccessfulTime; got == nil || !got.Time.Equal(nine.Add(10*time.Minute+time.Second)) {
		t.Errorf("lastSuccessfulTime = %v", got)
	}
	var want []string
	for i := 1; i <= 10; i++ {
		name := fmt.Sprintf("hello-%d", 29454300+i)
		created := "Normal SuccessfulCreate Created job " + name
		if i == 10 {
			// The 10th different message of a reason: the recorder combines them.
			created = "Normal SuccessfulCreate (combined from similar events): Created job " + name
		}
		want = append(want, created)
		// As upstream, a sync applies the history limits before it looks at the active
		// list, so the oldest Job goes before the newest is reported complete.
		if i > 3 {
			want = append(want, fmt.Sprintf("Normal SuccessfulDelete Deleted job hello-%d", 29454300+i-3))
		}
		// The 26th event about the CronJob is the spam filter's: 25, then one every 5 minutes.
		if i < 10 {
			want = append(want, "Normal SawCompletedJob Saw completed job: "+name+", condition: Complete")
		}
	}
	wantLines(t, "events", eventLines(c, "hello"), want)
}

func TestJobShape(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hello", "*/1 * * * *")
	cj.Spec.JobTemplate.Labels = map[string]string{"tier": "batch"}
	cj.Spec.JobTemplate.Annotations = map[string]string{"note": "from the template"}
	created := mustCreate(t, c, cj).(*batchv1.CronJob)
	mustAdvance(t, c, time.Minute+time.Second)
	obj, err := c.Store.Get(jobsResource, "default", "hello-29454301")
	if err != nil {
		t.Fatal(err)
	}
	job := obj.(*batchv1.Job)
	// Created at 09:01:00.1 (the schedule plus upstream's 100 ms); the API shows whole seconds.
	if !job.CreationTimestamp.Time.Equal(nine.Add(time.Minute)) {
		t.Errorf("created at %s, want 09:01:00", job.CreationTimestamp.Time)
	}
	if !reflect.DeepEqual(job.Labels, map[string]string{"tier": "batch"}) {
		t.Errorf("labels = %v", job.Labels)
	}
	wantAnn := map[string]string{"note": "from the template", "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-01-01T09:01:00Z"}
	if !reflect.DeepEqual(job.Annotations, wantAnn) {
		t.Errorf("annotations = %v", job.Annotations)
	}
	ref := metav1.GetControllerOf(job)
	if ref == nil || ref.UID != created.UID || ref.Kind != "CronJob" || ref.APIVersion != "batch/v1" || !ptr.Deref(ref.BlockOwnerDeletion, false) {
		t.Errorf("owner = %+v", ref)
	}
	active := getCronJob(t, c, "hello").Status.Active
	want := []corev1.ObjectReference{{Kind: "Job", Namespace: "default", Name: "hello-29454301", UID: job.UID, APIVersion: "batch/v1", ResourceVersion: job.ResourceVersion}}
	if !reflect.DeepEqual(active, want) {
		t.Errorf("active = %+v, want %+v", active, want)
	}
}

func TestBookEveryFifteenMinutes(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("batch-job-every-fifteen-minutes", "0,15,30,45 * * * *")
	cj.Spec.JobTemplate.Spec.Template.Labels = map[string]string{"app": "periodic-batch-job"}
	mustCreate(t, c, cj)
	// Virtual time jumps from schedule to schedule: the next thing to happen is 09:15.
	if at, _, _ := c.NextTimer(); !at.Equal(nine.Add(15*time.Minute + 100*time.Millisecond)) {
		t.Errorf("next timer at %s, want 09:15:00.1", at.Format(time.RFC3339Nano))
	}
	mustAdvance(t, c, time.Hour+time.Second)
	wantLines(t, "jobs", jobNames(c), []string{
		"batch-job-every-fifteen-minutes-29454315", // 09:15
		"batch-job-every-fifteen-minutes-29454330", // 09:30
		"batch-job-every-fifteen-minutes-29454345", // 09:45
		"batch-job-every-fifteen-minutes-29454360", // 10:00
	})
	if got := len(getCronJob(t, c, "batch-job-every-fifteen-minutes").Status.Active); got != 4 {
		t.Errorf("%d active, want 4 (nothing finished them)", got)
	}
	obj, _ := c.Store.Get(jobsResource, "default", "batch-job-every-fifteen-minutes-29454360")
	job := obj.(*batchv1.Job)
	if job.Spec.Template.Labels["app"] != "periodic-batch-job" || job.Annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] != "2026-01-01T10:00:00Z" {
		t.Errorf("job = %+v", job.ObjectMeta)
	}
}

func TestForbidSkipsWhileAJobRuns(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hello", "*/1 * * * *")
	cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	mustCreate(t, c, cj)
	mustAdvance(t, c, 3*time.Minute+30*time.Second) // 09:03:30: the 09:01 job still runs
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:01")})
	// The Job ends mid-minute; with no deadline the missed 09:03 run starts at once.
	finishJobs(t, c, batchv1.JobComplete)
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:01"), minute("hello", "09:03")})
	wantLines(t, "events", eventLines(c, "hello"), []string{
		"Normal SuccessfulCreate Created job hello-29454301",
		"Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid (x2)",
		"Normal SawCompletedJob Saw completed job: hello-29454301, condition: Complete",
		"Normal SuccessfulCreate Created job hello-29454303",
	})
	if got := getCronJob(t, c, "hello").Status.LastScheduleTime.Time; !got.Equal(nine.Add(3 * time.Minute)) {
		t.Errorf("lastScheduleTime = %s", got)
	}
}

func TestReplaceDeletesTheRunningJob(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hello", "*/1 * * * *")
	cj.Spec.ConcurrencyPolicy = batchv1.ReplaceConcurrent
	mustCreate(t, c, cj)
	mustAdvance(t, c, 3*time.Minute+time.Second)
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:03")})
	wantLines(t, "active", activeNames(getCronJob(t, c, "hello")), []string{minute("hello", "09:03")})
	wantLines(t, "events", eventLines(c, "hello"), []string{
		"Normal SuccessfulCreate Created job hello-29454301",
		"Normal SuccessfulDelete Deleted job hello-29454301",
		"Normal SuccessfulCreate Created job hello-29454302",
		"Normal SuccessfulDelete Deleted job hello-29454302",
		"Normal SuccessfulCreate Created job hello-29454303",
	})
}

func TestAllowRunsConcurrently(t *testing.T) {
	c := newSim(t, nine)
	mustCreate(t, c, newCronJob("hello", "*/1 * * * *"))
	mustAdvance(t, c, 3*time.Minute+time.Second)
	want := []string{minute("hello", "09:01"), minute("hello", "09:02"), minute("hello", "09:03")}
	wantLines(t, "jobs", jobNames(c), want)
	wantLines(t, "active", activeNames(getCronJob(t, c, "hello")), want)
}

func TestSuspend(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hello", "*/1 * * * *")
	cj.Spec.Suspend = ptr.To(true)
	mustCreate(t, c, cj)
	if at, label, ok := c.NextTimer(); ok {
		t.Errorf("a suspended CronJob left a timer: %s %s", at, label)
	}
	mustAdvance(t, c, 5*time.Minute+30*time.Second)
	if names := jobNames(c); len(names) != 0 {
		t.Fatalf("suspended CronJob created %v", names)
	}
	// Resuming is a spec change: the most recent missed run (09:05) starts at once.
	updateCronJob(t, c, "hello", func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(false) })
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:05")})
	mustAdvance(t, c, time.Minute)
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:05"), minute("hello", "09:06")})
	// Suspending again stops new runs but leaves the running ones.
	updateCronJob(t, c, "hello", func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(true) })
	mustAdvance(t, c, 10*time.Minute)
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:05"), minute("hello", "09:06")})
	wantLines(t, "events", eventLines(c, "hello"), []string{
		"Normal SuccessfulCreate Created job hello-29454305",
		"Normal SuccessfulCreate Created job hello-29454306",
	})
}

func TestStartingDeadlineSkipsAMissedStart(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hourly", "0 * * * *")
	cj.Spec.StartingDeadlineSeconds = ptr.To[int64](60)
	cj.Spec.Suspend = ptr.To(true)
	mustCreate(t, c, cj)
	mustAdvance(t, c, time.Hour+5*time.Minute) // 10:05, the 10:00 start was missed
	updateCronJob(t, c, "hourly", func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(false) })
	if names := jobNames(c); len(names) != 0 {
		t.Fatalf("a start older than the deadline ran: %v", names)
	}
	if at, _, _ := c.NextTimer(); !at.Equal(nine.Add(2*time.Hour + 100*time.Millisecond)) {
		t.Errorf("next sync at %s, want 11:00:00.1", at.Format(time.TimeOnly))
	}
	mustAdvance(t, c, time.Hour)
	wantLines(t, "jobs", jobNames(c), []string{minute("hourly", "11:00")})

	// Within the deadline a late start still runs.
	c2 := newSim(t, nine)
	mustCreate(t, c2, cj)
	mustAdvance(t, c2, time.Hour+30*time.Second)
	updateCronJob(t, c2, "hourly", func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(false) })
	wantLines(t, "jobs", jobNames(c2), []string{minute("hourly", "10:00")})
}

func TestTimeZoneEuropeBerlin(t *testing.T) {
	start := time.Date(2026, time.March, 28, 6, 0, 0, 0, time.UTC)
	c := newSim(t, start)
	cj := newCronJob("berlin", "0 9 * * *")
	cj.Spec.TimeZone = ptr.To("Europe/Berlin")
	mustCreate(t, c, cj)
	mustAdvance(t, c, 2*24*time.Hour+2*time.Hour)
	// 09:00 in Berlin is 08:00 UTC on Saturday and, after the change to summer time in
	// the night, 07:00 UTC on Sunday.
	want := map[string]string{
		"berlin-29578080": "2026-03-28T09:00:00+01:00",
		"berlin-29579460": "2026-03-29T09:00:00+02:00",
		"berlin-29580900": "2026-03-30T09:00:00+02:00",
	}
	names := jobNames(c)
	if len(names) != len(want) {
		t.Fatalf("jobs %v", names)
	}
	for _, n := range names {
		obj, _ := c.Store.Get(jobsResource, "default", n)
		if got := obj.GetAnnotations()["batch.kubernetes.io/cronjob-scheduled-timestamp"]; got != want[n] {
			t.Errorf("%s: scheduled timestamp %q, want %q", n, got, want[n])
		}
	}
}

func TestTooManyMissedTimes(t *testing.T) {
	c := newSim(t, nine)
	for _, name := range []string{"plain", "bounded"} {
		cj := newCronJob(name, "*/1 * * * *")
		cj.Spec.Suspend = ptr.To(true)
		if name == "bounded" {
			cj.Spec.StartingDeadlineSeconds = ptr.To[int64](200)
		}
		mustCreate(t, c, cj)
	}
	mustAdvance(t, c, 3*time.Hour+30*time.Second)
	for _, name := range []string{"plain", "bounded"} {
		updateCronJob(t, c, name, func(cj *batchv1.CronJob) { cj.Spec.Suspend = ptr.To(false) })
	}
	// 180 missed minutes: a warning, and still one run for the latest (12:00).
	wantLines(t, "plain events", eventLines(c, "plain"), []string{
		"Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
		"Normal SuccessfulCreate Created job plain-29454480",
	})
	// With startingDeadlineSeconds only 3 count.
	wantLines(t, "bounded events", eventLines(c, "bounded"), []string{
		"Normal SuccessfulCreate Created job bounded-29454480",
	})
}

// A schedule that never fires twice passes validation but stops the CronJob with an event;
// an unparsable schedule or an unknown zone is refused by the API server already (the
// controller's own checks for those remain for CronJobs stored before a validation change).
func TestBadScheduleOrZoneStopsTheCronJob(t *testing.T) {
	tests := []struct {
		name, schedule string
		zone           *string
		want           string
		refused        string
	}{
		{name: "unparseable", schedule: "61 * * * *",
			refused: `CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61`},
		{name: "never twice", schedule: "0 0 31 2 *",
			want: `Warning InvalidSchedule invalid schedule: 0 0 31 2 * : time difference between two schedules is less than 1 second`},
		{name: "unknown zone", schedule: "*/1 * * * *", zone: ptr.To("Mars/Olympus_Mons"),
			refused: `CronJob.batch "bad" is invalid: spec.timeZone: Invalid value: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSim(t, nine)
			cj := newCronJob("bad", tt.schedule)
			cj.Spec.TimeZone = tt.zone
			if tt.refused != "" {
				if _, err := c.API.Client("test").Create(cj, apiserver.CreateOptions{}); err == nil || err.Error() != tt.refused {
					t.Fatalf("create: %v, want %s", err, tt.refused)
				}
				return
			}
			mustCreate(t, c, cj)
			if at, label, ok := c.NextTimer(); ok {
				t.Errorf("requeued at %s (%s)", at, label)
			}
			wantLines(t, "events", eventLines(c, "bad"), []string{tt.want})
			// Fixing the spec brings it back.
			updateCronJob(t, c, "bad", func(cj *batchv1.CronJob) { cj.Spec.Schedule = "*/1 * * * *"; cj.Spec.TimeZone = nil })
			mustAdvance(t, c, time.Minute+time.Second)
			wantLines(t, "jobs", jobNames(c), []string{minute("bad", "09:01")})
		})
	}
}

func TestScheduleChangeRequeues(t *testing.T) {
	c := newSim(t, nine)
	mustCreate(t, c, newCronJob("hello", "0 * * * *"))
	mustAdvance(t, c, 10*time.Minute)
	updateCronJob(t, c, "hello", func(cj *batchv1.CronJob) { cj.Spec.Schedule = "*/15 * * * *" })
	if at, _, _ := c.NextTimer(); !at.Equal(nine.Add(15*time.Minute + 100*time.Millisecond)) {
		t.Errorf("next sync at %s, want 09:15:00.1", at.Format(time.TimeOnly))
	}
	mustAdvance(t, c, 5*time.Minute+time.Second)
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:15")})
}

func TestFailedHistoryKeepsOne(t *testing.T) {
	c := newSim(t, nine)
	mustCreate(t, c, newCronJob("hello", "*/1 * * * *"))
	for i := 0; i < 4; i++ {
		mustAdvance(t, c, time.Minute+time.Second)
		finishJobs(t, c, batchv1.JobFailed)
	}
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:04")})
	if got := getCronJob(t, c, "hello").Status.LastSuccessfulTime; got != nil {
		t.Errorf("lastSuccessfulTime = %v after failures only", got)
	}
	lines := eventLines(c, "hello")
	if !contains(lines, "Normal SawCompletedJob Saw completed job: hello-29454302, condition: Failed") ||
		!contains(lines, "Normal SuccessfulDelete Deleted job hello-29454303") {
		t.Errorf("events:\n%s", strings.Join(lines, "\n"))
	}
}

func TestUnlimitedHistory(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hello", "*/1 * * * *")
	// Left out, the limits default to 3 and 1: a large one keeps everything.
	cj.Spec.SuccessfulJobsHistoryLimit, cj.Spec.FailedJobsHistoryLimit = ptr.To[int32](100), ptr.To[int32](100)
	mustCreate(t, c, cj)
	for i := 0; i < 5; i++ {
		mustAdvance(t, c, time.Minute)
		finishJobs(t, c, batchv1.JobComplete)
	}
	if n := len(jobNames(c)); n != 5 {
		t.Errorf("%d jobs kept, want all 5", n)
	}
}

func TestManualJobCountsAsTheCronJobs(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hello", "*/1 * * * *")
	cj.Spec.SuccessfulJobsHistoryLimit = ptr.To[int32](1)
	owner := mustCreate(t, c, cj).(*batchv1.CronJob)
	mustAdvance(t, c, 10*time.Second)
	// What `kubectl create job hello-manual --from=cronjob/hello` creates.
	mustCreate(t, c, &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name: "hello-manual", Namespace: "default",
			Annotations:     map[string]string{"cronjob.kubernetes.io/instantiate": "manual"},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(owner, cronJobKind)},
		},
		Spec: *owner.Spec.JobTemplate.Spec.DeepCopy(),
	})
	mustAdvance(t, c, 10*time.Second)
	finishJobs(t, c, batchv1.JobComplete, "hello-manual")
	mustAdvance(t, c, 41*time.Second) // 09:01:01
	finishJobs(t, c, batchv1.JobComplete)
	// The manual Job started earlier, so the history limit of 1 removes it.
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:01")})
	wantLines(t, "events", eventLines(c, "hello"), []string{
		"Warning UnexpectedJob Saw a job that the controller did not create or forgot: hello-manual",
		"Normal SuccessfulCreate Created job hello-29454301",
		"Normal SuccessfulDelete Deleted job hello-manual",
		"Normal SawCompletedJob Saw completed job: hello-29454301, condition: Complete",
	})
	if got := getCronJob(t, c, "hello").Status.LastSuccessfulTime.Time; !got.Equal(nine.Add(61 * time.Second)) {
		t.Errorf("lastSuccessfulTime = %s", got)
	}
}

func TestMissingJob(t *testing.T) {
	c := newSim(t, nine)
	cj := newCronJob("hello", "*/1 * * * *")
	cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	mustCreate(t, c, cj)
	mustAdvance(t, c, time.Minute+time.Second)
	if _, err := c.API.Client("test").Delete(jobsResource, "default", minute("hello", "09:01"), apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	mustSettle(t, c)
	if active := getCronJob(t, c, "hello").Status.Active; len(active) != 0 {
		t.Errorf("active = %v", active)
	}
	mustAdvance(t, c, time.Minute)
	wantLines(t, "events", eventLines(c, "hello"), []string{
		"Normal SuccessfulCreate Created job hello-29454301",
		"Normal MissingJob Active job went missing: hello-29454301",
		"Normal SuccessfulCreate Created job hello-29454302",
	})
}

func TestJobNameTaken(t *testing.T) {
	t.Run("by a Job the CronJob owns", func(t *testing.T) {
		c := newSim(t, nine)
		owner := mustCreate(t, c, newCronJob("hello", "*/1 * * * *")).(*batchv1.CronJob)
		job := jobFromTemplate(owner, nine.Add(time.Minute), time.UTC)
		mustCreate(t, c, job)
		mustAdvance(t, c, time.Minute+time.Second)
		// Reported while it runs outside the active list (once when it appeared, once at
		// 09:01), then taken into the active list without a SuccessfulCreate.
		wantLines(t, "active", activeNames(getCronJob(t, c, "hello")), []string{"hello-29454301"})
		wantLines(t, "events", eventLines(c, "hello"), []string{
			"Warning UnexpectedJob Saw a job that the controller did not create or forgot: hello-29454301 (x2)",
		})
		mustAdvance(t, c, time.Minute)
		wantLines(t, "jobs", jobNames(c), []string{"hello-29454301", "hello-29454302"})
	})
	t.Run("by someone else's Job", func(t *testing.T) {
		c := newSim(t, nine)
		mustCreate(t, c, newCronJob("hello", "*/1 * * * *"))
		mustCreate(t, c, &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "hello-29454301", Namespace: "default"},
			Spec: *newCronJob("other", "*/1 * * * *").Spec.JobTemplate.Spec.DeepCopy()})
		mustAdvance(t, c, time.Minute+time.Second)
		// As upstream: left alone, nothing recorded, and no requeue until the next change.
		if active := getCronJob(t, c, "hello").Status.Active; len(active) != 0 {
			t.Errorf("active = %v", active)
		}
		if at, label, ok := c.NextTimer(); ok {
			t.Errorf("requeued at %s (%s)", at, label)
		}
	})
}

func TestDeletedCronJobStops(t *testing.T) {
	c := newSim(t, nine)
	mustCreate(t, c, newCronJob("hello", "*/1 * * * *"))
	mustAdvance(t, c, time.Minute+time.Second)
	if _, err := c.API.Client("test").Delete(cronJobsResource, "default", "hello", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	mustAdvance(t, c, 5*time.Minute)
	// Without a garbage collector the first Job stays; no new one appears.
	wantLines(t, "jobs", jobNames(c), []string{minute("hello", "09:01")})
}

// TestDeterministic runs a busy scenario twice and compares everything stored.
func TestDeterministic(t *testing.T) {
	run := func() string {
		c := newSim(t, nine)
		for i, sched := range []string{"*/1 * * * *", "*/2 * * * *", "0,15,30,45 * * * *", "@hourly"} {
			cj := newCronJob(fmt.Sprintf("cj%d", i), sched)
			cj.Spec.ConcurrencyPolicy = []batchv1.ConcurrencyPolicy{batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent, batchv1.AllowConcurrent}[i]
			mustCreate(t, c, cj)
		}
		for i := 0; i < 90; i++ {
			mustAdvance(t, c, time.Minute)
			if i%3 == 0 {
				finishJobs(t, c, batchv1.JobComplete)
			} else if i%7 == 0 {
				finishJobs(t, c, batchv1.JobFailed)
			}
		}
		var b strings.Builder
		for _, r := range []string{"jobs", "cronjobs", "events"} {
			c.Store.Each(api.ResourceByName(r), "", func(o api.Object) bool {
				fmt.Fprintf(&b, "%s %s %s\n", r, o.GetName(), o.GetUID())
				return true
			})
		}
		return b.String()
	}
	if a, b := run(), run(); a != b {
		t.Error("two runs differ")
	}
}

// BenchmarkCronJobMonthBare is BenchmarkCronJobMonth without pods: a stand-in Job
// controller completes each Job 5 s after it appears, so the figure is this controller's
// own work with the store and the event sink.
func BenchmarkCronJobMonthBare(b *testing.B) {
	for b.Loop() {
		c := newSim(b, nine)
		c.Watch(jobsResource.Name, func(ev store.WatchEvent) {
			if ev.Type == store.Added {
				c.EnqueueAfter("finisher", ev.Object.GetName(), 5*time.Second)
			}
		})
		c.AddController("finisher", func(name string) (time.Duration, error) {
			obj, err := c.Store.Get(jobsResource, "default", name)
			if err != nil {
				return 0, nil
			}
			j := obj.(*batchv1.Job).DeepCopy()
			now := metav1.NewTime(c.Now())
			j.Status.StartTime = &j.CreationTimestamp
			j.Status.CompletionTime = &now
			j.Status.Succeeded = 1
			j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}
			_, err = c.API.Client("test").UpdateStatus(j, apiserver.UpdateOptions{HandOver: true})
			return 0, err
		})
		mustCreate(b, c, newCronJob("hello", "*/1 * * * *"))
		mustAdvance(b, c, 30*24*time.Hour+30*time.Second)
		if n := len(jobNames(c)); n != 3 {
			b.Fatalf("%d jobs kept", n)
		}
	}
}
