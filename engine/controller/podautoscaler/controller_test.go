package podautoscaler

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/apiserver/apiservertest"
	"github.com/kubetab/kubetab/engine/sim"
)

var nine = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// fakeMetrics serves a fixed CPU use per pod (millicores), or fails as a cluster without
// metrics-server does when err is set.
type fakeMetrics struct {
	cpu map[string]int64
	err error
	now func() time.Time
}

func (f *fakeMetrics) PodMetrics(ns string, sel labels.Selector, name corev1.ResourceName, container string) (map[string]PodMetric, time.Time, error) {
	if f.err != nil {
		return nil, time.Time{}, fmt.Errorf("unable to fetch metrics from resource metrics API: %w", f.err)
	}
	out := map[string]PodMetric{}
	for pod, v := range f.cpu {
		out[pod] = PodMetric{Value: v, Timestamp: f.now(), Window: 15 * time.Second}
	}
	return out, f.now(), nil
}

var errNotServed = errors.New("the server could not find the requested resource (get pods.metrics.k8s.io)")

// newSim is a bare cluster (no admission, no other controllers: the test plays the
// Deployment's pods) with a default namespace and the HPA controller.
func newSim(tb testing.TB, m *fakeMetrics) (*sim.Cluster, *apiserver.Client) {
	tb.Helper()
	c := sim.New(1, nine)
	m.now = c.Now
	New(c, m)
	cl := c.API.Client("test")
	create(tb, c, cl, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
	return c, cl
}

func create(tb testing.TB, c *sim.Cluster, cl *apiserver.Client, obj api.Object) {
	tb.Helper()
	if _, err := cl.Create(obj, apiserver.CreateOptions{}); err != nil {
		tb.Fatal(err)
	}
	settle(tb, c)
}

func settle(tb testing.TB, c *sim.Cluster) {
	tb.Helper()
	if err := c.Settle(); err != nil {
		tb.Fatal(err)
	}
}

func advance(tb testing.TB, c *sim.Cluster, d time.Duration) {
	tb.Helper()
	if err := c.Advance(d); err != nil {
		tb.Fatal(err)
	}
}

// deployment "web" with replicas pods of a 100m CPU request, each running and ready since
// the start (older than the CPU initialization period once the test advances past it).
func deployment(tb testing.TB, c *sim.Cluster, cl *apiserver.Client, replicas int32, cpuRequest string) {
	tb.Helper()
	sel := map[string]string{"app": "web"}
	create(tb, c, cl, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: sel},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: sel}, Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}},
			}},
		},
	})
	for i := range replicas {
		addPod(tb, c, cl, fmt.Sprintf("web-%d", i), cpuRequest)
	}
}

func addPod(tb testing.TB, c *sim.Cluster, cl *apiserver.Client, name, cpuRequest string) {
	tb.Helper()
	ctr := corev1.Container{Name: "nginx", Image: "nginx"}
	if cpuRequest != "" {
		ctr.Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpuRequest)}
	}
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{ctr}},
	}
	create(tb, c, cl, p)
	start := metav1.NewTime(nine.Add(-10 * time.Minute))
	p = c.Store.Lookup(podsResource, "default", name).(*corev1.Pod).DeepCopy()
	p.Status = corev1.PodStatus{Phase: corev1.PodRunning, StartTime: &start, Conditions: []corev1.PodCondition{
		{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: start},
	}}
	apiservertest.Write(tb, cl, p)
	settle(tb, c)
}

func autoscaler(minReplicas, maxReplicas, target int32) *autoscalingv2.HorizontalPodAutoscaler {
	h := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
			MinReplicas:    &minReplicas,
			MaxReplicas:    maxReplicas,
		},
	}
	api.Default(h)
	h.Spec.Metrics[0].Resource.Target.AverageUtilization = &target
	return h
}

func replicasOf(c *sim.Cluster) int32 {
	return *c.Store.Lookup(api.ResourceByName("deployments"), "default", "web").(*appsv1.Deployment).Spec.Replicas
}

func hpaOf(c *sim.Cluster) *autoscalingv2.HorizontalPodAutoscaler {
	return c.Store.Lookup(hpaResource, "default", "web").(*autoscalingv2.HorizontalPodAutoscaler)
}

// conditions renders the HPA's conditions as "Type=Status/Reason" in their order.
func conditions(h *autoscalingv2.HorizontalPodAutoscaler) string {
	var out []string
	for _, c := range h.Status.Conditions {
		out = append(out, fmt.Sprintf("%s=%s/%s", c.Type, c.Status, c.Reason))
	}
	return strings.Join(out, " ")
}

// hpaEvents lists the HPA's events as "Reason xCount: message", sorted.
func hpaEvents(c *sim.Cluster) []string {
	var out []string
	c.Store.Each(api.ResourceByName("events"), "default", func(o api.Object) bool {
		e := o.(*corev1.Event)
		if e.InvolvedObject.Kind == "HorizontalPodAutoscaler" {
			out = append(out, fmt.Sprintf("%s x%d: %s", e.Reason, e.Count, e.Message))
		}
		return true
	})
	sort.Strings(out)
	return out
}

func TestMinReplicasEnforced(t *testing.T) {
	c, cl := newSim(t, &fakeMetrics{err: errNotServed})
	deployment(t, c, cl, 2, "100m")
	create(t, c, cl, autoscaler(4, 6, 80))
	if got := replicasOf(c); got != 4 {
		t.Fatalf("replicas = %d, want 4 (minReplicas)", got)
	}
	h := hpaOf(c)
	if got, want := conditions(h), "AbleToScale=True/SucceededRescale ScaledToZero=False/NotScaledToZero"; got != want {
		t.Errorf("conditions = %s, want %s", got, want)
	}
	if h.Status.CurrentReplicas != 2 || h.Status.DesiredReplicas != 4 || h.Status.LastScaleTime == nil || !h.Status.LastScaleTime.Time.Equal(nine) {
		t.Errorf("status = %+v", h.Status)
	}
	want := []string{"SuccessfulRescale x1: New size: 4; reason: Current number of replicas below Spec.MinReplicas"}
	if got := hpaEvents(c); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events = %q, want %q", got, want)
	}
}

func TestMaxReplicasEnforced(t *testing.T) {
	c, cl := newSim(t, &fakeMetrics{err: errNotServed})
	deployment(t, c, cl, 7, "100m")
	create(t, c, cl, autoscaler(1, 5, 80))
	if got := replicasOf(c); got != 5 {
		t.Fatalf("replicas = %d, want 5 (maxReplicas)", got)
	}
	want := []string{"SuccessfulRescale x1: New size: 5; reason: Current number of replicas above Spec.MaxReplicas"}
	if got := hpaEvents(c); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events = %q, want %q", got, want)
	}
}

// Without metrics-server the HPA reports the failure every sync period and leaves the
// replicas alone, as on a real cluster.
func TestNoMetrics(t *testing.T) {
	c, cl := newSim(t, &fakeMetrics{err: errNotServed})
	deployment(t, c, cl, 3, "100m")
	create(t, c, cl, autoscaler(1, 5, 80))
	advance(t, c, 31*time.Second)
	if got := replicasOf(c); got != 3 {
		t.Fatalf("replicas = %d, want 3", got)
	}
	h := hpaOf(c)
	if got, want := conditions(h), "AbleToScale=True/SucceededGetScale ScalingActive=False/FailedGetResourceMetric"; got != want {
		t.Errorf("conditions = %s, want %s", got, want)
	}
	if msg := h.Status.Conditions[1].Message; msg != "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)" {
		t.Errorf("ScalingActive message = %q", msg)
	}
	if h.Status.CurrentReplicas != 3 || h.Status.DesiredReplicas != 0 || len(h.Status.CurrentMetrics) != 1 {
		t.Errorf("status = %+v", h.Status)
	}
	// Syncs at 0 s, 15 s and 30 s.
	want := []string{
		"FailedComputeMetricsReplicas x3: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
		"FailedGetResourceMetric x3: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
	}
	if got := hpaEvents(c); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// With metrics the HPA scales up at most to twice the replicas (at least 4) per sync, holds
// a scale-down for the stabilization window, then scales down.
func TestScaleOnCPU(t *testing.T) {
	m := &fakeMetrics{cpu: map[string]int64{"web-0": 200, "web-1": 200}}
	c, cl := newSim(t, m)
	deployment(t, c, cl, 2, "100m")
	create(t, c, cl, autoscaler(1, 10, 50))
	// 200 % of the request against a 50 % target: 8 pods wanted, 4 allowed.
	if got := replicasOf(c); got != 4 {
		t.Fatalf("replicas = %d, want 4 (the scale-up limit)", got)
	}
	h := hpaOf(c)
	if got, want := conditions(h), "AbleToScale=True/SucceededRescale ScalingActive=True/ValidMetricFound ScalingLimited=True/ScaleUpLimit ScaledToZero=False/NotScaledToZero"; got != want {
		t.Errorf("conditions = %s, want %s", got, want)
	}
	if cur := h.Status.CurrentMetrics[0].Resource.Current; *cur.AverageUtilization != 200 || cur.AverageValue.String() != "200m" {
		t.Errorf("current metric = %d%% %s", *cur.AverageUtilization, cur.AverageValue.String())
	}
	// The load spreads over the new pods and falls to 20 % of the requests: 2 pods would do,
	// but the recommendations of the last 5 minutes (8 at first) hold the replicas up.
	addPod(t, c, cl, "web-2", "100m")
	addPod(t, c, cl, "web-3", "100m")
	m.cpu = map[string]int64{"web-0": 20, "web-1": 20, "web-2": 20, "web-3": 20}
	advance(t, c, 15*time.Second)
	if got := replicasOf(c); got != 8 {
		t.Fatalf("replicas = %d, want 8 (the highest recommendation of the window)", got)
	}
	advance(t, c, 4*time.Minute)
	if got := replicasOf(c); got != 8 {
		t.Fatalf("replicas = %d, want 8 within the stabilization window", got)
	}
	if got := conditions(hpaOf(c)); !strings.HasPrefix(got, "AbleToScale=True/ScaleDownStabilized") {
		t.Errorf("conditions = %s, want AbleToScale ScaleDownStabilized", got)
	}
	advance(t, c, time.Minute+15*time.Second)
	// The four pods that run (the test plays no Deployment controller) at 40 % of the
	// target: ceil(0.4 × 4) = 2.
	if got := replicasOf(c); got != 2 {
		t.Fatalf("replicas = %d, want 2 after the stabilization window", got)
	}
	got := hpaEvents(c)
	want := []string{
		"SuccessfulRescale x1: New size: 2; reason: All metrics below target",
		"SuccessfulRescale x1: New size: 4; reason: cpu resource utilization (percentage of request) above target",
		// Upstream words the reason before the stabilization raises the size.
		"SuccessfulRescale x1: New size: 8; reason: All metrics below target",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Pods without a CPU request have no utilization: the HPA says which container lacks one.
func TestMissingRequest(t *testing.T) {
	c, cl := newSim(t, &fakeMetrics{cpu: map[string]int64{"web-0": 5}})
	deployment(t, c, cl, 1, "")
	create(t, c, cl, autoscaler(1, 5, 80))
	h := hpaOf(c)
	want := "the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container nginx of Pod web-0"
	if got := h.Status.Conditions[1]; got.Reason != "FailedGetResourceMetric" || got.Message != want {
		t.Errorf("ScalingActive = %s: %q, want %q", got.Reason, got.Message, want)
	}
}

// A target that does not exist: AbleToScale False with the API server's NotFound.
func TestMissingTarget(t *testing.T) {
	c, cl := newSim(t, &fakeMetrics{err: errNotServed})
	create(t, c, cl, autoscaler(1, 5, 80))
	h := hpaOf(c)
	if got, want := conditions(h), "AbleToScale=False/FailedGetScale"; got != want {
		t.Errorf("conditions = %s, want %s", got, want)
	}
	if got, want := h.Status.Conditions[0].Message, `the HPA controller was unable to get the target's current scale: deployments.apps "web" not found`; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

// A behavior's policies limit the change per period.
func TestBehaviorPolicy(t *testing.T) {
	m := &fakeMetrics{cpu: map[string]int64{"web-0": 400, "web-1": 400}}
	c, cl := newSim(t, m)
	deployment(t, c, cl, 2, "100m")
	h := autoscaler(1, 10, 50)
	h.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{ScaleUp: &autoscalingv2.HPAScalingRules{
		Policies: []autoscalingv2.HPAScalingPolicy{{Type: autoscalingv2.PodsScalingPolicy, Value: 1, PeriodSeconds: 60}},
	}}
	api.Default(h)
	create(t, c, cl, h)
	if got := replicasOf(c); got != 3 {
		t.Fatalf("replicas = %d, want 3 (one pod a minute)", got)
	}
	advance(t, c, 30*time.Second)
	if got := replicasOf(c); got != 3 {
		t.Fatalf("replicas = %d, want 3 within the policy's period", got)
	}
	advance(t, c, 31*time.Second)
	if got := replicasOf(c); got != 4 {
		t.Fatalf("replicas = %d, want 4 after the period", got)
	}
}
