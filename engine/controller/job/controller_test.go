package job

import (
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

func TestOnePodCompletes(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("batch-job", nil))
	j := h.job("batch-job")
	if j.Status.StartTime == nil || !j.Status.StartTime.Time.Equal(t0) {
		t.Fatalf("startTime = %v", j.Status.StartTime)
	}
	pods := h.pods("batch-job")
	if len(pods) != 1 {
		t.Fatalf("%d pods", len(pods))
	}
	p := pods[0]
	if !strings.HasPrefix(p.Name, "batch-job-") || len(p.Name) != len("batch-job-")+5 {
		t.Errorf("pod name %q", p.Name)
	}
	ref := metav1.GetControllerOf(p)
	if ref == nil || ref.Kind != "Job" || ref.APIVersion != "batch/v1" || ref.UID != j.UID || !ptr.Deref(ref.BlockOwnerDeletion, false) {
		t.Errorf("owner %+v", ref)
	}
	for _, l := range []string{"batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name", "controller-uid", "job-name"} {
		if p.Labels[l] == "" {
			t.Errorf("pod lacks label %s: %v", l, p.Labels)
		}
	}
	if !hasTrackingFinalizer(p) {
		t.Errorf("finalizers %v", p.Finalizers)
	}
	h.expectStatus("batch-job", 1, 0, 0)
	if r := h.job("batch-job").Status.Ready; r == nil || *r != 0 {
		t.Errorf("ready = %v", r)
	}

	h.at(2 * time.Second)
	h.run(p.Name)
	if r := h.job("batch-job").Status.Ready; r == nil || *r != 1 {
		t.Errorf("ready = %v", r)
	}
	h.at(122 * time.Second)
	h.exit(p.Name, 0)
	j = h.job("batch-job")
	h.expectStatus("batch-job", 0, 1, 0)
	h.expectConditions("batch-job", "SuccessCriteriaMet=True(CompletionsReached)@2m2s Complete=True(CompletionsReached)@2m2s")
	if j.Status.CompletionTime == nil || j.Status.CompletionTime.Sub(t0) != 122*time.Second {
		t.Errorf("completionTime %v", j.Status.CompletionTime)
	}
	if c := j.Status.Conditions[1]; c.Message != "Reached expected number of succeeded pods" {
		t.Errorf("message %q", c.Message)
	}
	if j.Status.UncountedTerminatedPods == nil || len(j.Status.UncountedTerminatedPods.Succeeded) != 0 {
		t.Errorf("uncounted %+v", j.Status.UncountedTerminatedPods)
	}
	if hasTrackingFinalizer(h.pods("batch-job")[0]) {
		t.Error("finalizer still on the counted pod")
	}
	h.expectEvents("batch-job",
		"Normal SuccessfulCreate: Created pod: "+p.Name,
		"Normal Completed: Job completed")
	// Nothing happens afterwards.
	h.at(50 * time.Minute)
	if len(h.pods("batch-job")) != 1 || len(h.events("batch-job")) != 2 {
		t.Error("a finished Job did more")
	}
}

// runRounds completes the Job's active pods, 120 s after each round started, until the Job
// finishes, and returns how many pods ran in each round.
func runRounds(h *harness, job string) []int {
	var rounds []int
	for i := 0; i < 20 && !isFinished(h.job(job)); i++ {
		active := h.activePods(job)
		rounds = append(rounds, len(active))
		for _, p := range active {
			h.run(p.Name)
		}
		h.at(h.since() + 120*time.Second)
		for _, p := range active {
			h.exit(p.Name, 0)
		}
	}
	return rounds
}

func TestSequentialCompletions(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("multi-completion-batch-job", func(j *batchv1.Job) { j.Spec.Completions = ptr.To[int32](5) }))
	rounds := runRounds(h, "multi-completion-batch-job")
	if len(rounds) != 5 || rounds[0] != 1 || rounds[4] != 1 {
		t.Errorf("rounds %v, want five pods one after another", rounds)
	}
	h.expectStatus("multi-completion-batch-job", 0, 5, 0)
	h.expectConditions("multi-completion-batch-job", "SuccessCriteriaMet=True(CompletionsReached)@10m0s Complete=True(CompletionsReached)@10m0s")
	if n := len(h.pods("multi-completion-batch-job")); n != 5 {
		t.Errorf("%d pods", n)
	}
}

func TestParallelCompletions(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("multi-completion-parallel-batch-job", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](5)
		j.Spec.Parallelism = ptr.To[int32](2)
	}))
	rounds := runRounds(h, "multi-completion-parallel-batch-job")
	if len(rounds) != 3 || rounds[0] != 2 || rounds[1] != 2 || rounds[2] != 1 {
		t.Errorf("rounds %v, want 2+2+1", rounds)
	}
	h.expectConditions("multi-completion-parallel-batch-job", "SuccessCriteriaMet=True(CompletionsReached)@6m0s Complete=True(CompletionsReached)@6m0s")
}

func TestWorkQueueJob(t *testing.T) {
	// No completions: parallelism pods; the first success stops creation, and the Job
	// completes once the rest have finished.
	h := newHarness(t)
	h.create(newJob("queue", func(j *batchv1.Job) {
		j.Spec.Completions = nil
		j.Spec.Parallelism = ptr.To[int32](3)
	}))
	pods := h.activePods("queue")
	if len(pods) != 3 {
		t.Fatalf("%d pods", len(pods))
	}
	h.at(10 * time.Second)
	h.exit(pods[0].Name, 0)
	h.expectStatus("queue", 2, 1, 0)
	if len(h.pods("queue")) != 3 {
		t.Error("a pod was created after the first success")
	}
	h.exit(pods[1].Name, 0)
	h.exit(pods[2].Name, 1) // later failures are ignored
	h.expectStatus("queue", 0, 2, 1)
	h.expectConditions("queue", "SuccessCriteriaMet=True(CompletionsReached)@10s Complete=True(CompletionsReached)@10s")
}

func TestSlowStartAndBurst(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("wide", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](2000)
		j.Spec.Parallelism = ptr.To[int32](700)
	}))
	// At most 500 per sync; the next sync (at the same instant) creates the rest.
	if n := len(h.activePods("wide")); n != 700 {
		t.Errorf("%d active pods", n)
	}
	if a := h.job("wide").Status.Active; a != 700 {
		t.Errorf("status.active %d", a)
	}
}

func TestActiveDeadline(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("time-limited-batch-job", func(j *batchv1.Job) {
		j.Spec.ActiveDeadlineSeconds = ptr.To[int64](30)
		j.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
	}))
	p := h.pods("time-limited-batch-job")[0].Name
	h.at(time.Second)
	h.run(p)
	h.at(29 * time.Second)
	h.expectConditions("time-limited-batch-job", "")
	h.at(30 * time.Second)
	// The deadline: FailureTarget, the pod is deleted (graceful, it is running on a node),
	// counted as failed; Failed waits until it is gone.
	h.expectConditions("time-limited-batch-job", "FailureTarget=True(DeadlineExceeded)@30s")
	h.expectStatus("time-limited-batch-job", 0, 0, 1)
	pod := h.pods("time-limited-batch-job")[0]
	if pod.DeletionTimestamp == nil || hasTrackingFinalizer(pod) {
		t.Errorf("pod not being deleted, or still with finalizer: %v %v", pod.DeletionTimestamp, pod.Finalizers)
	}
	if term := h.job("time-limited-batch-job").Status.Terminating; term == nil || *term != 1 {
		t.Errorf("terminating %v", term)
	}
	if c := h.job("time-limited-batch-job").Status.Conditions[0]; c.Message != "Job was active longer than specified deadline" {
		t.Errorf("message %q", c.Message)
	}
	h.at(60 * time.Second) // the kubelet's 30 s grace period runs out
	h.finishDeletion(p)
	h.expectConditions("time-limited-batch-job", "FailureTarget=True(DeadlineExceeded)@30s Failed=True(DeadlineExceeded)@1m0s")
	h.expectEvents("time-limited-batch-job",
		"Normal SuccessfulCreate: Created pod: "+p,
		"Normal SuccessfulDelete: Deleted pod: "+p,
		"Warning DeadlineExceeded: Job was active longer than specified deadline")
	if len(h.pods("time-limited-batch-job")) != 0 {
		t.Error("pod still there")
	}
}

func TestActiveDeadlineUnscheduledPod(t *testing.T) {
	// A pod that never got a node is deleted at once, so Failed comes at the deadline.
	h := newHarness(t)
	h.create(newJob("j", func(j *batchv1.Job) { j.Spec.ActiveDeadlineSeconds = ptr.To[int64](30) }))
	h.at(30 * time.Second)
	h.expectConditions("j", "FailureTarget=True(DeadlineExceeded)@30s Failed=True(DeadlineExceeded)@30s")
	h.expectStatus("j", 0, 0, 1)
	if len(h.pods("j")) != 0 {
		t.Error("pod still there")
	}
}

func TestBackoffLimitNever(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("failing", func(j *batchv1.Job) { j.Spec.BackoffLimit = ptr.To[int32](3) }))
	// Pods fail 5 s after they start; each replacement must wait 10 s, 20 s, 40 s after the
	// previous failure.
	var created []time.Duration
	for round := 0; round < 10 && !isFinished(h.job("failing")); round++ {
		active := h.activePods("failing")
		if len(active) != 1 {
			next, _, ok := h.c.NextTimer()
			if !ok {
				t.Fatalf("at %s: no active pod and nothing scheduled", h.since())
			}
			h.at(next.Sub(t0))
			continue
		}
		created = append(created, active[0].CreationTimestamp.Sub(t0))
		h.at(h.since() + 5*time.Second)
		h.exit(active[0].Name, 1)
	}
	want := []time.Duration{0, 15 * time.Second, 40 * time.Second, 85 * time.Second}
	if len(created) != len(want) {
		t.Fatalf("pods created at %v, want %v", created, want)
	}
	for i := range want {
		if created[i] != want[i] {
			t.Fatalf("pods created at %v, want %v", created, want)
		}
	}
	h.expectStatus("failing", 0, 0, 4)
	h.expectConditions("failing", "FailureTarget=True(BackoffLimitExceeded)@1m30s Failed=True(BackoffLimitExceeded)@1m30s")
	evs := h.lastEvents("failing", 1)
	if evs[0] != "Warning BackoffLimitExceeded: Job has reached the specified backoff limit" {
		t.Errorf("last event %v", evs)
	}
}

func TestBackoffLimitOnFailureRestarts(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("restarts", func(j *batchv1.Job) {
		j.Spec.BackoffLimit = ptr.To[int32](2)
		j.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
	}))
	p := h.pods("restarts")[0].Name
	h.at(time.Second)
	h.run(p)
	h.updatePod(p, func(p *corev1.Pod) { p.Status.ContainerStatuses[0].RestartCount = 1 })
	h.expectConditions("restarts", "")
	h.at(20 * time.Second)
	h.updatePod(p, func(p *corev1.Pod) { p.Status.ContainerStatuses[0].RestartCount = 2 })
	h.expectConditions("restarts", "FailureTarget=True(BackoffLimitExceeded)@20s")
	h.finishDeletion(p)
	h.expectConditions("restarts", "FailureTarget=True(BackoffLimitExceeded)@20s Failed=True(BackoffLimitExceeded)@20s")
	h.expectStatus("restarts", 0, 0, 1)
}

func failurePolicy(j *batchv1.Job) {
	j.Spec.Completions = ptr.To[int32](4)
	j.Spec.Parallelism = ptr.To[int32](2)
	j.Spec.BackoffLimit = ptr.To[int32](0)
	j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
		{Action: batchv1.PodFailurePolicyActionFailJob, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
			ContainerName: ptr.To("main"), Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}},
		{Action: batchv1.PodFailurePolicyActionIgnore, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{
			{Type: corev1.DisruptionTarget}}},
	}}
}

func TestPodFailurePolicy(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("pfp", failurePolicy))
	pods := h.activePods("pfp")
	if len(pods) != 2 {
		t.Fatalf("%d pods", len(pods))
	}
	for _, p := range pods {
		h.run(p.Name)
	}
	// A disruption (eviction) is ignored: not counted although backoffLimit is 0, and
	// replaced after the pod-failure back-off.
	h.at(10 * time.Second)
	h.exit(pods[0].Name, 137, corev1.DisruptionTarget)
	h.expectStatus("pfp", 1, 0, 0)
	h.expectConditions("pfp", "")
	h.at(19 * time.Second)
	if n := len(h.activePods("pfp")); n != 1 {
		t.Errorf("replacement before the back-off: %d active", n)
	}
	h.at(20 * time.Second)
	active := h.activePods("pfp")
	if len(active) != 2 {
		t.Fatalf("%d active after the back-off", len(active))
	}
	// Exit code 42 in main fails the whole Job.
	h.at(30 * time.Second)
	h.exit(pods[1].Name, 42)
	msg := "Container main for pod default/" + pods[1].Name + " failed with exit code 42 matching FailJob rule at index 0"
	j := h.job("pfp")
	if len(j.Status.Conditions) != 2 || j.Status.Conditions[0].Type != batchv1.JobFailureTarget || j.Status.Conditions[1].Type != batchv1.JobFailed {
		t.Fatalf("conditions %s", conditions(j))
	}
	for _, c := range j.Status.Conditions {
		if c.Reason != "PodFailurePolicy" || c.Message != msg {
			t.Errorf("condition %s: %s %q", c.Type, c.Reason, c.Message)
		}
	}
	// The replacement never got a node, so its deletion was immediate and Failed followed
	// at once; it counts as failed (the Job is failing), the evicted pod does not.
	h.expectStatus("pfp", 0, 0, 2)
	if evs := h.lastEvents("pfp", 1); evs[0] != "Warning PodFailurePolicy: "+msg {
		t.Errorf("last event %v", evs)
	}
}

func TestIndexedJob(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("indexed-job", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](3)
		j.Spec.Parallelism = ptr.To[int32](2)
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		j.Spec.Template.Spec.Subdomain = "workers"
		j.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "input", Image: "busybox"}}
		j.Spec.Template.Spec.Containers = append(j.Spec.Template.Spec.Containers, corev1.Container{Name: "worker", Image: "busybox",
			Env: []corev1.EnvVar{{Name: "JOB_COMPLETION_INDEX", Value: "mine"}}})
	}))
	pods := h.activePods("indexed-job")
	if len(pods) != 2 {
		t.Fatalf("%d pods", len(pods))
	}
	for i, p := range pods {
		ix := string(rune('0' + completionIndex(p)))
		if !strings.HasPrefix(p.Name, "indexed-job-"+ix+"-") || p.Labels[batchv1.JobCompletionIndexAnnotation] != ix ||
			p.Spec.Hostname != "indexed-job-"+ix || p.Spec.Subdomain != "workers" {
			t.Errorf("pod %d: %s labels %v hostname %q subdomain %q", i, p.Name, p.Labels, p.Spec.Hostname, p.Spec.Subdomain)
		}
		for _, c := range append(p.Spec.InitContainers, p.Spec.Containers...) {
			var env *corev1.EnvVar
			for k := range c.Env {
				if c.Env[k].Name == "JOB_COMPLETION_INDEX" {
					env = &c.Env[k]
				}
			}
			switch {
			case env == nil:
				t.Errorf("container %s lacks JOB_COMPLETION_INDEX", c.Name)
			case c.Name == "worker":
				if env.Value != "mine" {
					t.Errorf("the template's own variable was replaced: %+v", env)
				}
			case env.ValueFrom == nil || env.ValueFrom.FieldRef == nil || env.ValueFrom.FieldRef.FieldPath != "metadata.labels['batch.kubernetes.io/job-completion-index']":
				t.Errorf("container %s: %+v", c.Name, env)
			}
		}
	}
	if completionIndex(pods[0])+completionIndex(pods[1]) != 1 {
		t.Fatalf("indexes %d, %d", completionIndex(pods[0]), completionIndex(pods[1]))
	}
	byIndex := map[int]string{completionIndex(pods[0]): pods[0].Name, completionIndex(pods[1]): pods[1].Name}
	h.at(5 * time.Second)
	h.exit(byIndex[1], 0)
	if got := h.job("indexed-job").Status.CompletedIndexes; got != "1" {
		t.Errorf("completedIndexes %q", got)
	}
	active := h.activePods("indexed-job")
	if len(active) != 2 || completionIndex(active[0])+completionIndex(active[1]) != 2 {
		t.Fatalf("after index 1: %d active", len(active))
	}
	for _, p := range active {
		h.exit(p.Name, 0)
	}
	j := h.job("indexed-job")
	if j.Status.CompletedIndexes != "0-2" || j.Status.Succeeded != 3 || j.Status.FailedIndexes != nil {
		t.Errorf("completedIndexes %q succeeded %d failedIndexes %v", j.Status.CompletedIndexes, j.Status.Succeeded, j.Status.FailedIndexes)
	}
	h.expectConditions("indexed-job", "SuccessCriteriaMet=True(CompletionsReached)@5s Complete=True(CompletionsReached)@5s")
}

func TestBackoffLimitPerIndex(t *testing.T) {
	// job-backoff-limit-per-index-failindex.yaml: index 0 exits 1 (one retry, then the index
	// fails), index 1 exits 42 (FailIndex: fails at once), indexes 2 and 3 succeed.
	h := newHarness(t)
	h.create(newJob("per-index", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](4)
		j.Spec.Parallelism = ptr.To[int32](2)
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		j.Spec.BackoffLimitPerIndex = ptr.To[int32](1)
		j.Spec.BackoffLimit = nil
		j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
			{Action: batchv1.PodFailurePolicyActionFailIndex, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
				ContainerName: ptr.To("main"), Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}},
		}}
	}))
	if bl := h.job("per-index").Spec.BackoffLimit; bl == nil || *bl != 1<<31-1 {
		t.Errorf("backoffLimit defaulted to %v", bl)
	}
	codes := map[int]int32{0: 1, 1: 42, 2: 0, 3: 0}
	for step := 0; step < 30 && !isFinished(h.job("per-index")); step++ {
		active := h.activePods("per-index")
		if len(active) == 0 {
			next, _, ok := h.c.NextTimer()
			if !ok {
				t.Fatalf("at %s: stuck: %s", h.since(), conditions(h.job("per-index")))
			}
			h.at(next.Sub(t0))
			continue
		}
		h.at(h.since() + time.Second)
		for _, p := range active {
			if api.IsPodActive(p) {
				h.exit(p.Name, codes[completionIndex(p)])
			}
		}
	}
	j := h.job("per-index")
	if j.Status.CompletedIndexes != "2,3" || ptr.Deref(j.Status.FailedIndexes, "<nil>") != "0,1" || j.Status.Succeeded != 2 || j.Status.Failed != 3 {
		t.Errorf("completed %q failed %q succeeded %d failed pods %d", j.Status.CompletedIndexes, ptr.Deref(j.Status.FailedIndexes, "<nil>"), j.Status.Succeeded, j.Status.Failed)
	}
	if got := conditions(j); !strings.Contains(got, "FailureTarget=True(FailedIndexes)") || !strings.Contains(got, "Failed=True(FailedIndexes)") {
		t.Errorf("conditions %s", got)
	}
	// The retry of index 0 carried the failure count.
	retried := 0
	for _, p := range h.pods("per-index") {
		if completionIndex(p) == 0 && p.Annotations[batchv1.JobIndexFailureCountAnnotation] == "1" {
			retried++
		}
		if hasTrackingFinalizer(p) {
			t.Errorf("pod %s kept its finalizer", p.Name)
		}
	}
	if retried != 1 {
		t.Errorf("%d retries of index 0 with failure count 1", retried)
	}
	if evs := h.lastEvents("per-index", 1); evs[0] != "Warning FailedIndexes: Job has failed indexes" {
		t.Errorf("last event %v", evs)
	}
}

func TestMaxFailedIndexes(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("max-failed", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](5)
		j.Spec.Parallelism = ptr.To[int32](5)
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		j.Spec.BackoffLimitPerIndex = ptr.To[int32](0)
		j.Spec.MaxFailedIndexes = ptr.To[int32](1)
		j.Spec.BackoffLimit = nil
	}))
	active := h.activePods("max-failed")
	h.exit(active[0].Name, 1)
	h.expectConditions("max-failed", "")
	h.exit(active[1].Name, 1)
	h.expectConditions("max-failed", "FailureTarget=True(MaxFailedIndexesExceeded)@0s Failed=True(MaxFailedIndexesExceeded)@0s")
	if n := len(h.activePods("max-failed")); n != 0 {
		t.Errorf("%d pods still active", n)
	}
}

func TestSuccessPolicy(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("job-success", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](5)
		j.Spec.Parallelism = ptr.To[int32](5)
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		j.Spec.SuccessPolicy = &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{
			{SucceededIndexes: ptr.To("0,2-3"), SucceededCount: ptr.To[int32](1)}}}
	}))
	var two string
	for _, p := range h.activePods("job-success") {
		h.run(p.Name)
		if completionIndex(p) == 2 {
			two = p.Name
		}
	}
	h.at(10 * time.Second)
	h.exit(two, 0)
	// The lingering pods run on a node: they terminate gracefully, then Complete.
	h.expectConditions("job-success", "SuccessCriteriaMet=True(SuccessPolicy)@10s")
	if c := h.job("job-success").Status.Conditions[0]; c.Message != "Matched rules at index 0" {
		t.Errorf("message %q", c.Message)
	}
	for _, p := range h.pods("job-success") {
		if p.Name != two && p.DeletionTimestamp == nil {
			t.Errorf("pod %s not deleted", p.Name)
		}
	}
	h.at(40 * time.Second)
	for _, p := range h.pods("job-success") {
		if p.DeletionTimestamp != nil {
			h.finishDeletion(p.Name)
		}
	}
	h.expectConditions("job-success", "SuccessCriteriaMet=True(SuccessPolicy)@10s Complete=True(SuccessPolicy)@40s")
	h.expectStatus("job-success", 0, 1, 0)
}

func TestSuspendResume(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("sus", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](4)
		j.Spec.Parallelism = ptr.To[int32](2)
		j.Spec.ActiveDeadlineSeconds = ptr.To[int64](100)
	}))
	for _, p := range h.activePods("sus") {
		h.run(p.Name)
	}
	h.at(60 * time.Second)
	h.updateJob("sus", func(j *batchv1.Job) { j.Spec.Suspend = ptr.To(true) })
	h.expectConditions("sus", "Suspended=True(JobSuspended)@1m0s")
	h.expectStatus("sus", 0, 0, 0)
	for _, p := range h.pods("sus") {
		if p.DeletionTimestamp == nil || hasTrackingFinalizer(p) {
			t.Errorf("pod %s: deletion %v finalizers %v", p.Name, p.DeletionTimestamp, p.Finalizers)
		}
		h.finishDeletion(p.Name)
	}
	h.expectStatus("sus", 0, 0, 0) // deleted for suspension, not failed
	// Suspended for longer than the deadline: it does not count.
	h.at(10 * time.Minute)
	h.updateJob("sus", func(j *batchv1.Job) { j.Spec.Suspend = ptr.To(false) })
	h.expectConditions("sus", "Suspended=False(JobResumed)@10m0s")
	j := h.job("sus")
	if j.Status.StartTime.Sub(t0) != 10*time.Minute {
		t.Errorf("startTime not reset: %v", j.Status.StartTime)
	}
	if len(h.activePods("sus")) != 2 {
		t.Errorf("%d active after resume", len(h.activePods("sus")))
	}
	evs := h.events("sus")
	var reasons []string
	for _, e := range evs {
		reasons = append(reasons, strings.SplitN(e, ":", 2)[0])
	}
	want := "Normal SuccessfulCreate,Normal SuccessfulCreate,Normal SuccessfulDelete,Normal SuccessfulDelete,Normal Suspended,Normal SuccessfulCreate,Normal SuccessfulCreate,Normal Resumed"
	if strings.Join(reasons, ",") != want {
		t.Errorf("events\n  %s\nwant\n  %s", strings.Join(reasons, ","), want)
	}
	h.at(10*time.Minute + 100*time.Second)
	h.expectConditions("sus", "Suspended=False(JobResumed)@10m0s FailureTarget=True(DeadlineExceeded)@11m40s Failed=True(DeadlineExceeded)@11m40s")
}

func TestCreatedSuspended(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("later", func(j *batchv1.Job) { j.Spec.Suspend = ptr.To(true) }))
	j := h.job("later")
	if j.Status.StartTime != nil || len(h.pods("later")) != 0 {
		t.Errorf("a suspended Job started: %v, %d pods", j.Status.StartTime, len(h.pods("later")))
	}
	h.expectConditions("later", "Suspended=True(JobSuspended)@0s")
	h.expectEvents("later", "Normal Suspended: Job suspended")
}

func TestTTLAfterFinished(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("ttl", func(j *batchv1.Job) { j.Spec.TTLSecondsAfterFinished = ptr.To[int32](100) }))
	p := h.pods("ttl")[0].Name
	h.at(20 * time.Second)
	h.exit(p, 0)
	h.at(119 * time.Second)
	if !h.jobExists("ttl") {
		t.Fatal("deleted early")
	}
	h.at(120 * time.Second)
	if h.jobExists("ttl") {
		t.Fatal("not deleted at finish + ttl")
	}
}

func TestParallelismChange(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("scale", func(j *batchv1.Job) {
		j.Spec.Completions = ptr.To[int32](10)
		j.Spec.Parallelism = ptr.To[int32](3)
	}))
	pods := h.activePods("scale")
	if len(pods) != 3 {
		t.Fatalf("%d pods", len(pods))
	}
	h.run(pods[1].Name) // the ready one stays
	h.at(5 * time.Second)
	h.updateJob("scale", func(j *batchv1.Job) { j.Spec.Parallelism = ptr.To[int32](1) })
	active := h.activePods("scale")
	if len(active) != 1 || active[0].Name != pods[1].Name {
		t.Fatalf("left %v", active)
	}
	h.expectStatus("scale", 1, 0, 0)
	if n := len(h.pods("scale")); n != 1 {
		t.Errorf("%d pods left (unscheduled ones go at once)", n)
	}
	h.updateJob("scale", func(j *batchv1.Job) { j.Spec.Parallelism = ptr.To[int32](4) })
	if n := len(h.activePods("scale")); n != 4 {
		t.Errorf("%d active after scaling up", n)
	}
	evs := h.events("scale")
	deletes := 0
	for _, e := range evs {
		if strings.HasPrefix(e, "Normal SuccessfulDelete: Deleted pod: ") {
			deletes++
		}
	}
	if deletes != 2 {
		t.Errorf("%d deletions in %v", deletes, evs)
	}
}

func TestDeletedJobReleasesPodFinalizers(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("gone", func(j *batchv1.Job) { j.Spec.Parallelism = ptr.To[int32](2); j.Spec.Completions = nil }))
	pods := h.pods("gone")
	h.run(pods[0].Name)
	if _, err := h.c.API.Client("test").Delete(jobsResource, "default", "gone", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h.settle()
	for _, p := range pods {
		obj, err := h.c.Store.Get(podsResource, "default", p.Name)
		if err != nil {
			t.Fatal(err)
		}
		if hasTrackingFinalizer(obj.(*corev1.Pod)) {
			t.Errorf("pod %s of a deleted Job keeps the finalizer", p.Name)
		}
	}
}

func TestForegroundDeletionReleasesPodFinalizers(t *testing.T) {
	h := newHarness(t)
	h.create(newJob("fg", nil))
	p := h.pods("fg")[0].Name
	if _, err := h.c.API.Client("test").Delete(jobsResource, "default", "fg", apiserver.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationForeground)}); err != nil {
		t.Fatal(err)
	}
	h.settle()
	obj, err := h.c.Store.Get(podsResource, "default", p)
	if err != nil {
		t.Fatal(err)
	}
	if hasTrackingFinalizer(obj.(*corev1.Pod)) {
		t.Error("pod of a Job being deleted keeps the finalizer")
	}
	if n := len(h.events("fg")); n != 1 {
		t.Errorf("a Job being deleted got %d events", n)
	}
}

func TestManualSelectorAdoptsOrphans(t *testing.T) {
	h := newHarness(t)
	orphan := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "stray", Namespace: "default", Labels: map[string]string{"app": "batch"}},
		Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "main", Image: "busybox"}}}}
	if _, err := h.c.API.Client("test").Create(orphan, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	h.create(newJob("manual", func(j *batchv1.Job) {
		j.Spec.ManualSelector = ptr.To(true)
		j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "batch"}}
		j.Spec.Template.Labels = map[string]string{"app": "batch"}
	}))
	pods := h.pods("manual")
	if len(pods) != 1 || pods[0].Name != "stray" || !hasTrackingFinalizer(pods[0]) {
		t.Fatalf("adopted %v", pods)
	}
	h.exit("stray", 0)
	h.expectConditions("manual", "SuccessCriteriaMet=True(CompletionsReached)@0s Complete=True(CompletionsReached)@0s")
}

func TestDeterministic(t *testing.T) {
	run := func() string {
		h := newHarness(t)
		h.create(newJob("a", func(j *batchv1.Job) {
			j.Spec.Completions = ptr.To[int32](6)
			j.Spec.Parallelism = ptr.To[int32](3)
		}))
		runRounds(h, "a")
		var names []string
		for _, p := range h.pods("a") {
			names = append(names, p.Name)
		}
		return strings.Join(names, ",") + "|" + strings.Join(h.events("a"), "|")
	}
	if a, b := run(), run(); a != b {
		t.Errorf("two runs differ:\n%s\n%s", a, b)
	}
}

// As upstream's, the controller syncs a Job a second after its pods change, once for all
// the changes of that second.
func TestPodEventsBatched(t *testing.T) {
	h := newHarnessBatching(t, syncJobBatchPeriod)
	h.create(newJob("batch-job", func(j *batchv1.Job) { j.Spec.Parallelism, j.Spec.Completions = ptr.To[int32](2), ptr.To[int32](2) }))
	h.expectStatus("batch-job", 2, 0, 0)
	pods := h.pods("batch-job")
	h.at(2 * time.Second)
	h.run(pods[0].Name)
	h.at(2*time.Second + 500*time.Millisecond)
	h.run(pods[1].Name)
	if r := h.job("batch-job").Status.Ready; r == nil || *r != 0 {
		t.Errorf("ready = %v before the batch period passed, want 0", r)
	}
	rv := h.job("batch-job").ResourceVersion
	h.at(3 * time.Second)
	if r := h.job("batch-job").Status.Ready; r == nil || *r != 2 {
		t.Errorf("ready = %v a second after the first pod ran, want 2", r)
	}
	if got := h.job("batch-job").ResourceVersion; got == rv {
		t.Error("the status was not written")
	}
	h.at(122 * time.Second)
	h.exit(pods[0].Name, 0)
	h.exit(pods[1].Name, 0)
	h.expectStatus("batch-job", 2, 0, 0)
	h.at(123 * time.Second)
	h.expectStatus("batch-job", 0, 2, 0)
	h.expectConditions("batch-job", "SuccessCriteriaMet=True(CompletionsReached)@2m3s Complete=True(CompletionsReached)@2m3s")
}
