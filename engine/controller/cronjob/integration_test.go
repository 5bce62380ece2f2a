package cronjob_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/app/gcbudget"
	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
)

var (
	jobsResource = api.ResourceByName("jobs")
	podsResource = api.ResourceByName("pods")
)

// helloCronJob is the docs' application/job/cronjob.yaml as batch/v1, before defaulting.
func helloCronJob() *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default"},
		Spec: batchv1.CronJobSpec{
			Schedule: "*/1 * * * *",
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyOnFailure,
				Containers: []corev1.Container{{
					Name: "hello", Image: "busybox", ImagePullPolicy: corev1.PullIfNotPresent,
					Args: []string{"/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"},
				}},
			}}}},
		},
	}
}

// bookCronJob is Kubernetes in Action's Chapter04/cronjob.yaml as batch/v1.
func bookCronJob() *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "batch-job-every-fifteen-minutes", Namespace: "default"},
		Spec: batchv1.CronJobSpec{
			Schedule: "0,15,30,45 * * * *",
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "periodic-batch-job"}},
				Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyOnFailure,
					Containers:    []corev1.Container{{Name: "main", Image: "luksa/batch-job"}},
				},
			}}},
		},
	}
}

func newCluster(tb testing.TB) *cluster.Cluster {
	tb.Helper()
	c, err := cluster.New(cluster.Options{Seed: 7})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// create does what `kubectl create` does: default, then store.
func create(tb testing.TB, c *cluster.Cluster, obj api.Object) {
	tb.Helper()
	api.Default(obj)
	if _, err := c.API.Client("test").Create(obj, apiserver.CreateOptions{}); err != nil {
		tb.Fatal(err)
	}
}

func advance(tb testing.TB, c *cluster.Cluster, d time.Duration) {
	tb.Helper()
	if err := c.Advance(d); err != nil {
		tb.Fatal(err)
	}
}

// jobStates lists the Jobs as `name condition` (`Running` when unfinished).
func jobStates(c *cluster.Cluster) []string {
	var out []string
	c.Store.Each(jobsResource, "default", func(o api.Object) bool {
		j := o.(*batchv1.Job)
		state := "Running"
		for _, cond := range j.Status.Conditions {
			if (cond.Type == batchv1.JobComplete || cond.Type == batchv1.JobFailed) && cond.Status == corev1.ConditionTrue {
				state = string(cond.Type)
			}
		}
		out = append(out, j.Name+" "+state)
		return true
	})
	return out
}

// podOwners lists, for each pod, the Job that owns it.
func podOwners(c *cluster.Cluster) []string {
	var out []string
	c.Store.Each(podsResource, "default", func(o api.Object) bool {
		owner := "<none>"
		if ref := metav1.GetControllerOf(o); ref != nil {
			owner = ref.Name
		}
		out = append(out, owner+" "+string(o.(*corev1.Pod).Status.Phase))
		return true
	})
	return out
}

func expect(tb testing.TB, what string, got []string, want ...string) {
	tb.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		tb.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func cronJobStatus(tb testing.TB, c *cluster.Cluster, name string) batchv1.CronJobStatus {
	tb.Helper()
	obj, err := c.Store.Get(api.ResourceByName("cronjobs"), "default", name)
	if err != nil {
		tb.Fatal(err)
	}
	return obj.(*batchv1.CronJob).Status
}

func TestHelloCronJobOnTheDefaultCluster(t *testing.T) {
	c := newCluster(t)
	start := c.Now()
	create(t, c, helloCronJob())
	advance(t, c, 5*time.Minute+30*time.Second)
	// Every minute a Job runs to completion; the history keeps the last three, and the
	// garbage collector takes the pods of the deleted ones.
	expect(t, "jobs", jobStates(c), "hello-29454303 Complete", "hello-29454304 Complete", "hello-29454305 Complete")
	expect(t, "pods", podOwners(c), "hello-29454303 Succeeded", "hello-29454304 Succeeded", "hello-29454305 Succeeded")
	st := cronJobStatus(t, c, "hello")
	if len(st.Active) != 0 || st.LastScheduleTime == nil || !st.LastScheduleTime.Time.Equal(start.Add(5*time.Minute)) {
		t.Errorf("status = %+v", st)
	}
	if st.LastSuccessfulTime == nil || st.LastSuccessfulTime.Time.Before(start.Add(5*time.Minute)) {
		t.Errorf("lastSuccessfulTime = %v", st.LastSuccessfulTime)
	}

	// Deleting the CronJob removes all Jobs and Pods it created.
	if _, err := c.API.Client("test").Delete(api.ResourceByName("cronjobs"), "default", "hello", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	advance(t, c, time.Minute)
	expect(t, "jobs after deleting the CronJob", jobStates(c))
	expect(t, "pods after deleting the CronJob", podOwners(c))
}

func TestBookCronJobOnTheDefaultCluster(t *testing.T) {
	c := newCluster(t)
	create(t, c, bookCronJob())
	advance(t, c, time.Hour+time.Second) // 10:00:01
	// luksa/batch-job runs for two minutes: the 10:00 Job is still running.
	expect(t, "jobs", jobStates(c),
		"batch-job-every-fifteen-minutes-29454315 Complete",
		"batch-job-every-fifteen-minutes-29454330 Complete",
		"batch-job-every-fifteen-minutes-29454345 Complete",
		"batch-job-every-fifteen-minutes-29454360 Running",
	)
	st := cronJobStatus(t, c, "batch-job-every-fifteen-minutes")
	if len(st.Active) != 1 || st.Active[0].Name != "batch-job-every-fifteen-minutes-29454360" {
		t.Errorf("active = %+v", st.Active)
	}
	advance(t, c, 15*time.Minute) // 10:15:01: the 09:15 Job leaves the history
	expect(t, "jobs at 10:15", jobStates(c),
		"batch-job-every-fifteen-minutes-29454330 Complete",
		"batch-job-every-fifteen-minutes-29454345 Complete",
		"batch-job-every-fifteen-minutes-29454360 Complete",
		"batch-job-every-fifteen-minutes-29454375 Running",
	)
}

// BenchmarkCronJobMonth follows a `*/1 * * * *` CronJob with the default history limits for
// 30 days on the default cluster: 43,200 Jobs and their pods, created, run, completed and
// deleted again. It runs with the native kubetab's collector settings (app/gcbudget), as
// the scale benchmarks do: GOGC 300 within the memory budget.
func BenchmarkCronJobMonth(b *testing.B) {
	const month = 30 * 24 * time.Hour
	defer gcbudget.Keep(gcbudget.Native)()
	for b.Loop() {
		c := newCluster(b)
		start := c.Now()
		create(b, c, helloCronJob())
		advance(b, c, month+30*time.Second)
		st := cronJobStatus(b, c, "hello")
		created := st.LastScheduleTime.Time.Sub(start) / time.Minute
		if created != 43200 {
			b.Fatalf("%d Jobs created, want 43200", created)
		}
		if n := c.Store.Count(jobsResource, "default"); n != 3 {
			b.Fatalf("%d Jobs kept, want 3", n)
		}
		b.ReportMetric(float64(created), "jobs/op")
		b.ReportMetric(float64(c.Store.Len()), "objects")
	}
}

// Example-style check that the names in the tests are minutes since the epoch.
func TestNamesAreMinutes(t *testing.T) {
	if got := fmt.Sprint(cluster.DefaultStart.Unix() / 60); got != "29454300" {
		t.Fatalf("DefaultStart is minute %s; the expected names above assume 29454300", got)
	}
}
