package job_test

import (
	"fmt"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/store"
)

// The book's Chapter04 manifests, as printed.
const (
	batchJobYAML = `apiVersion: batch/v1
kind: Job
metadata:
  name: batch-job
spec:
  template:
    metadata:
      labels:
        app: batch-job
    spec:
      restartPolicy: OnFailure
      containers:
      - name: main
        image: luksa/batch-job
`
	timeLimitedYAML = `apiVersion: batch/v1
kind: Job
metadata:
  name: time-limited-batch-job
spec:
  activeDeadlineSeconds: 30
  template:
    metadata:
      labels:
        app: batch-job
    spec:
      restartPolicy: OnFailure
      containers:
      - name: main
        image: luksa/batch-job
`
	parallelYAML = `apiVersion: batch/v1
kind: Job
metadata:
  name: multi-completion-batch-job
spec:
  completions: 5
  parallelism: 2
  template:
    metadata:
      labels:
        app: batch-job
    spec:
      restartPolicy: OnFailure
      containers:
      - name: main
        image: luksa/batch-job
`
)

var jobs = api.ResourceByName("jobs")

// apply does what `kubectl apply` does before the API server: decode and default.
func apply(tb testing.TB, c *cluster.Cluster, manifest string) {
	tb.Helper()
	docs := api.Decode([]byte(manifest))
	if len(docs) != 1 || docs[0].Err != nil {
		tb.Fatalf("decode: %+v", docs)
	}
	obj := docs[0].Object
	if obj.GetNamespace() == "" {
		obj.SetNamespace("default")
	}
	api.Default(obj)
	if _, err := c.API.Client("test").Create(obj, apiserver.CreateOptions{}); err != nil {
		tb.Fatal(err)
	}
}

func getJob(tb testing.TB, c *cluster.Cluster, name string) *batchv1.Job {
	tb.Helper()
	obj, err := c.Store.Get(jobs, "default", name)
	if err != nil {
		tb.Fatal(err)
	}
	return obj.(*batchv1.Job)
}

func finished(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func runUntilFinished(tb testing.TB, c *cluster.Cluster, name string, limit time.Duration) *batchv1.Job {
	tb.Helper()
	ok, err := c.RunUntil(c.Now().Add(limit), func() bool { return finished(getJob(tb, c, name)) })
	if err != nil {
		tb.Fatal(err)
	}
	if !ok {
		tb.Fatalf("%s not finished after %s: %+v", name, limit, getJob(tb, c, name).Status)
	}
	return getJob(tb, c, name)
}

func conds(j *batchv1.Job, start time.Time) string {
	s := ""
	for _, c := range j.Status.Conditions {
		s += fmt.Sprintf("%s/%s@%s ", c.Type, c.Reason, c.LastTransitionTime.Sub(start))
	}
	return s
}

func TestBookBatchJob(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	start := c.Now()
	apply(t, c, batchJobYAML)
	j := runUntilFinished(t, c, "batch-job", 10*time.Minute)
	if j.Status.Succeeded != 1 || j.Status.Failed != 0 || j.Status.CompletionTime == nil {
		t.Fatalf("status %+v", j.Status)
	}
	// COMPLETIONS 1/1, DURATION about 2m: 120 s of sleep plus scheduling and the image pull.
	d := j.Status.CompletionTime.Sub(j.Status.StartTime.Time)
	if d < 120*time.Second || d > 150*time.Second {
		t.Errorf("duration %s, want about 2m", d)
	}
	t.Logf("batch-job: %s duration %s", conds(j, start), d)
	pods, _ := c.Store.List(api.ResourceByName("pods"), "default", store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{"job-name": "batch-job"})})
	if len(pods) != 1 || pods[0].(*corev1.Pod).Status.Phase != corev1.PodSucceeded || len(pods[0].GetFinalizers()) != 0 {
		t.Errorf("pods %v", pods)
	}
}

func TestBookTimeLimitedBatchJob(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	start := c.Now()
	apply(t, c, timeLimitedYAML)
	j := runUntilFinished(t, c, "time-limited-batch-job", 10*time.Minute)
	if len(j.Status.Conditions) != 2 || j.Status.Conditions[0].Type != batchv1.JobFailureTarget ||
		j.Status.Conditions[1].Reason != "DeadlineExceeded" || j.Status.Conditions[0].LastTransitionTime.Sub(start) != 30*time.Second {
		t.Errorf("conditions %s", conds(j, start))
	}
	t.Logf("time-limited-batch-job: %s failed %d", conds(j, start), j.Status.Failed)
	if n := c.Store.Count(api.ResourceByName("pods"), "default"); n != 0 {
		t.Errorf("%d pods left", n)
	}
}

func TestBookParallelBatchJob(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	apply(t, c, parallelYAML)
	j := runUntilFinished(t, c, "multi-completion-batch-job", 30*time.Minute)
	d := j.Status.CompletionTime.Sub(j.Status.StartTime.Time)
	if j.Status.Succeeded != 5 || d < 6*time.Minute || d > 7*time.Minute {
		t.Errorf("succeeded %d in %s, want 5 in about 6m (2+2+1)", j.Status.Succeeded, d)
	}
}

// BenchmarkJobsMany runs 1,000 one-pod luksa/batch-job Jobs on 10 workers, from create to
// all Complete.
func BenchmarkJobsMany(b *testing.B) {
	const n = 1000
	workers := make([]string, 10)
	for i := range workers {
		workers[i] = fmt.Sprintf("kubetab-worker%d", i+1)
	}
	var virtual time.Duration
	for b.Loop() {
		b.StopTimer()
		c, err := cluster.New(cluster.Options{Seed: 1, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		complete := 0
		c.Watch("jobs", func(ev store.WatchEvent) {
			if ev.Type == store.Deleted {
				return
			}
			if finished(ev.Object.(*batchv1.Job)) && (ev.Old == nil || !finished(ev.Old.(*batchv1.Job))) {
				complete++
			}
		})
		b.StartTimer()
		start := c.Now()
		for i := 0; i < n; i++ {
			apply(b, c, batchJob(fmt.Sprintf("job-%d", i), ""))
		}
		ok, err := c.RunUntil(start.Add(time.Hour), func() bool { return complete == n })
		if err != nil || !ok {
			b.Fatalf("%d of %d complete: %v", complete, n, err)
		}
		virtual = c.Now().Sub(start)
	}
	b.ReportMetric(float64(n), "jobs/op")
	b.ReportMetric(virtual.Seconds(), "virtual-s")
}

// BenchmarkJobParallel10k is a Job of 10,000 completions, all allowed at once, on the default
// cluster's three workers (330 pods at a time): 9,670 pods wait for a free slot, and each
// pod that finishes lets one more in.
func BenchmarkJobParallel10k(b *testing.B) { benchJobParallel(b, 10_000) }

// BenchmarkJobParallel2k is the same Job with fewer pods: the two show whether the cost per
// pod grows with the pods.
func BenchmarkJobParallel2k(b *testing.B) { benchJobParallel(b, 2_000) }

func benchJobParallel(b *testing.B, n int) {
	var virtual time.Duration
	for b.Loop() {
		b.StopTimer()
		c, err := cluster.New(cluster.Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		done := false
		c.Watch("jobs", func(ev store.WatchEvent) {
			if ev.Type != store.Deleted && finished(ev.Object.(*batchv1.Job)) {
				done = true
			}
		})
		b.StartTimer()
		start := c.Now()
		apply(b, c, batchJob("parallel", fmt.Sprintf("  completions: %d\n  parallelism: %d\n", n, n)))
		ok, err := c.RunUntil(start.Add(6*time.Hour), func() bool { return done })
		if err != nil || !ok {
			b.Fatalf("the Job did not finish: %v", err)
		}
		virtual = c.Now().Sub(start)
		b.StopTimer()
		var job *batchv1.Job
		if o, err := c.Store.Get(api.ResourceByName("jobs"), "default", "parallel"); err == nil {
			job = o.(*batchv1.Job)
		}
		if job == nil || int(job.Status.Succeeded) != n {
			b.Fatalf("the Job finished with %+v", job)
		}
		b.StartTimer()
	}
	b.ReportMetric(virtual.Seconds(), "virtual-s")
}

// batchJob is a luksa/batch-job Job's manifest; spec holds more lines of its spec.
func batchJob(name, spec string) string {
	return fmt.Sprintf(`apiVersion: batch/v1
kind: Job
metadata:
  name: %s
spec:
%s  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: luksa/batch-job
`, name, spec)
}
