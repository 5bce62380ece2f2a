package cluster

import (
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

// scaleUp creates a ReplicationController of n replicas and reports how long, in virtual
// time, its controller took to create every pod, and its status.replicas after 10 s (-1 when it took less).
func scaleUp(t *testing.T, opts Options, n int32) (c *Cluster, took time.Duration, early int32) {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	template := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "kubia"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}},
	}
	if _, err := c.API.Client("kubectl").Create(&corev1.ReplicationController{
		ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default"},
		Spec:       corev1.ReplicationControllerSpec{Replicas: ptr.To(n), Selector: template.Labels, Template: &template},
	}, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	start := c.Now()
	pods := api.ResourceByName("pods")
	rcs := api.ResourceByName("replicationcontrollers")
	early = -1
	all := func() bool {
		if early < 0 && c.Now().Sub(start) >= 10*time.Second {
			early = c.Store.Lookup(rcs, "default", "kubia").(*corev1.ReplicationController).Status.Replicas
		}
		return c.Store.Count(pods, "default") == int(n)
	}
	if ok, err := c.RunUntil(start.Add(5*time.Minute), all); err != nil || !ok {
		t.Fatalf("%d pods after 5 minutes (%v)", c.Store.Count(pods, "default"), err)
	}
	return c, c.Now().Sub(start), early
}

// The controller-manager's clients are limited to 20 requests a second with bursts of 30:
// a ReplicationController scaled from 0 to 1,000 takes about 50 s to create its pods, as
// on a real cluster; its status is written after each burst of 500, not during one.
func TestScaleUpTakesAsLongAsARealControllerManager(t *testing.T) {
	_, took, early := scaleUp(t, Options{Seed: 1}, 1000)
	if took < 45*time.Second || took > 55*time.Second {
		t.Errorf("1,000 pods took %s, want 45–55 s", took)
	}
	if early != 0 {
		t.Errorf("status.replicas %d after 10 s, in the first burst, want 0", early)
	}
	// --kube-api-qps raised: the same scale-up is quicker.
	if _, took, _ := scaleUp(t, Options{Seed: 1, KubeAPIQPS: 200, KubeAPIBurst: 300}, 1000); took > 5*time.Second {
		t.Errorf("at 200 QPS, 1,000 pods took %s", took)
	}
	// No limit: every pod at once.
	if _, took, _ := scaleUp(t, Options{Seed: 1, KubeAPIQPS: -1}, 1000); took != 0 {
		t.Errorf("without a limit, 1,000 pods took %s", took)
	}
}

// The garbage collector's client is limited too: deleting a ReplicationController of 230
// pods marks the last of them for deletion (200 tokens after the burst of 30) 10 s later.
func TestCascadingDeletionIsRateLimited(t *testing.T) {
	c, _, _ := scaleUp(t, Options{Seed: 1}, 230)
	if _, err := c.API.Client("kubectl").Delete(api.ResourceByName("replicationcontrollers"), "default", "kubia", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	start := c.Now()
	pods := api.ResourceByName("pods")
	marked := func() bool { // every pod marked for deletion, or gone
		unmarked := 0
		c.Store.Each(pods, "default", func(o api.Object) bool {
			if o.GetDeletionTimestamp() == nil {
				unmarked++
			}
			return true
		})
		return unmarked == 0
	}
	if ok, err := c.RunUntil(start.Add(time.Minute), marked); err != nil || !ok {
		t.Fatalf("not every pod marked for deletion after a minute (%v)", err)
	}
	if took := c.Now().Sub(start); took < 9*time.Second || took > 11*time.Second {
		t.Errorf("the garbage collector took %s, want about 10 s", took)
	}
}

// The DaemonSet controller waits for its client's rate limit inside a burst too: on 130
// nodes, its last pod comes 100 tokens after the burst of 30, 5 s later.
func TestDaemonSetOnManyNodesIsRateLimited(t *testing.T) {
	workers := make([]string, 129) // and the control-plane node, which the template tolerates
	for i := range workers {
		workers[i] = fmt.Sprintf("worker-%03d", i)
	}
	c, err := New(Options{Seed: 1, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "agent"}
	if _, err := c.API.Client("kubectl").Create(&appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "default"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers:  []corev1.Container{{Name: "agent", Image: "busybox"}},
					Tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
				},
			},
		},
	}, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	start := c.Now()
	pods := api.ResourceByName("pods")
	all := func() bool { return c.Store.Count(pods, "default") == 130 }
	if ok, err := c.RunUntil(start.Add(time.Minute), all); err != nil || !ok {
		t.Fatalf("%d daemon pods after a minute (%v)", c.Store.Count(pods, "default"), err)
	}
	if took := c.Now().Sub(start); took < 4*time.Second || took > 6*time.Second {
		t.Errorf("130 daemon pods took %s, want about 5 s", took)
	}
}

// The Job controller waits for its client's rate limit inside manageJob: 230 pods in
// parallel come over 10 s, and the status (active, startTime) is written after them.
func TestWideJobIsRateLimited(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.API.Client("kubectl").Create(&batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "wide", Namespace: "default"},
		Spec: batchv1.JobSpec{
			Parallelism: ptr.To[int32](230), Completions: ptr.To[int32](230),
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyNever,
				Containers:    []corev1.Container{{Name: "main", Image: "busybox", Command: []string{"sleep", "3600"}}},
			}},
		},
	}, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	start := c.Now()
	pods := api.ResourceByName("pods")
	job := func() *batchv1.Job {
		return c.Store.Lookup(api.ResourceByName("jobs"), "default", "wide").(*batchv1.Job)
	}
	if err := c.Advance(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if n := c.Store.Count(pods, "default"); n < 100 || n > 150 || job().Status.Active != 0 {
		t.Errorf("after 5 s: %d pods (want about 130), status.active %d (want 0)", n, job().Status.Active)
	}
	all := func() bool { return c.Store.Count(pods, "default") == 230 }
	if ok, err := c.RunUntil(start.Add(time.Minute), all); err != nil || !ok {
		t.Fatalf("%d pods after a minute (%v)", c.Store.Count(pods, "default"), err)
	}
	if took := c.Now().Sub(start); took < 9*time.Second || took > 11*time.Second {
		t.Errorf("230 pods took %s, want about 10 s", took)
	}
	if err := c.Advance(time.Second); err != nil {
		t.Fatal(err)
	}
	if j := job(); j.Status.Active != 230 || j.Status.StartTime == nil {
		t.Errorf("after the burst: status.active %d, startTime %v", j.Status.Active, j.Status.StartTime)
	}
}

// ReplicaSets scaling at once share their controller's client and take its tokens in
// turn, as the controller-manager's workers do, each waiting for a token reserved for it:
// after the burst of 30, which the first takes whole, they gain a pod each per 100 ms.
func TestReplicaSetsScalingAtOnceTakeTokensInTurn(t *testing.T) {
	r := newScaleRun(t, 1, 2, 100, podRunning)
	r.createReplicaSets(t, 2, 100)
	start := r.c.Now()
	if err := r.c.Advance(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	pods := api.ResourceByName("pods")
	counts := map[string]int{}
	r.c.Store.Each(pods, "default", func(o api.Object) bool {
		counts[metav1.GetControllerOf(o).Name]++
		return true
	})
	// 30 at once and one every 50 ms up to 3 s: 90 pods, 30 + 30 and 30.
	if counts["kubia-1"] != 60 || counts["kubia-2"] != 30 {
		t.Errorf("after %s: %v pods, want kubia-1 60 and kubia-2 30", r.c.Now().Sub(start), counts)
	}
}
