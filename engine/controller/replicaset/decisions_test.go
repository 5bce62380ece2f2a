package replicaset

import (
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/utils/ptr"
)

var t0 = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// podSpec describes a pod for the ordering tables.
type podSpec struct {
	name     string
	node     string
	phase    corev1.PodPhase
	readyAt  time.Duration // ready since t0+readyAt; negative = not ready
	restarts int32
	created  time.Duration // created at t0+created
}

func (p podSpec) pod() *corev1.Pod {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: p.name, CreationTimestamp: metav1.NewTime(t0.Add(p.created))},
		Spec:       corev1.PodSpec{NodeName: p.node},
		Status: corev1.PodStatus{Phase: p.phase,
			ContainerStatuses: []corev1.ContainerStatus{{Name: "c", RestartCount: p.restarts}}},
	}
	if p.readyAt >= 0 {
		pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(p.readyAt))}}
	} else {
		pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse}}
	}
	return pod
}

func TestGetPodsToDelete(t *testing.T) {
	running := func(name string, readyAt time.Duration, restarts int32, created time.Duration) podSpec {
		return podSpec{name: name, node: "n1", phase: corev1.PodRunning, readyAt: readyAt, restarts: restarts, created: created}
	}
	cases := []struct {
		name string
		pods []podSpec
		diff int
		want []string
	}{
		{"unassigned before assigned", []podSpec{
			running("assigned", -1, 0, 0),
			{name: "unassigned", phase: corev1.PodPending, readyAt: -1},
		}, 1, []string{"unassigned"}},
		{"pending before unknown before running", []podSpec{
			{name: "running", node: "n1", phase: corev1.PodRunning, readyAt: -1},
			{name: "unknown", node: "n1", phase: corev1.PodUnknown, readyAt: -1},
			{name: "pending", node: "n1", phase: corev1.PodPending, readyAt: -1},
		}, 3, []string{"pending", "unknown", "running"}},
		{"not ready before ready", []podSpec{
			running("ready", 0, 0, 0),
			running("notready", -1, 0, 0),
		}, 1, []string{"notready"}},
		{"ready for less time before ready for longer", []podSpec{
			running("long", 1*time.Second, 0, 0),
			running("short", 50*time.Second, 0, 0),
			running("mid", 20*time.Second, 0, 0),
		}, 2, []string{"short", "mid"}},
		{"more restarts before fewer", []podSpec{
			running("few", 0, 1, 0),
			running("many", 0, 5, 0),
		}, 1, []string{"many"}},
		{"newer before older", []podSpec{
			running("old", 0, 0, 0),
			running("new", 0, 0, time.Minute),
		}, 1, []string{"new"}},
		{"phase outranks readiness and age", []podSpec{
			running("old-ready", 0, 0, 0),
			{name: "pending-new", node: "n1", phase: corev1.PodPending, readyAt: -1, created: time.Hour},
		}, 1, []string{"pending-new"}},
		{"names break ties", []podSpec{
			running("b", 0, 0, 0),
			running("a", 0, 0, 0),
			running("c", 0, 0, 0),
		}, 2, []string{"a", "b"}},
		{"diff at least len takes all", []podSpec{
			running("x", 0, 0, 0),
		}, 3, []string{"x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var pods []*corev1.Pod
			for _, p := range tc.pods {
				pods = append(pods, p.pod())
			}
			var got []string
			for _, p := range getPodsToDelete(pods, tc.diff) {
				got = append(got, p.Name)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("deleted %v, want %v", got, tc.want)
			}
			// The input order must not matter.
			rev := make([]*corev1.Pod, len(pods))
			for i, p := range pods {
				rev[len(pods)-1-i] = p
			}
			var again []string
			for _, p := range getPodsToDelete(rev, tc.diff) {
				again = append(again, p.Name)
			}
			if strings.Join(again, ",") != strings.Join(got, ",") {
				t.Errorf("reversed input gave %v, want %v", again, got)
			}
		})
	}
}

func TestCalculateStatus(t *testing.T) {
	failure := appsv1.ReplicaSetCondition{Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue,
		LastTransitionTime: metav1.NewTime(t0), Reason: "FailedCreate", Message: "old"}
	cases := []struct {
		name      string
		prev      appsv1.ReplicaSetStatus
		replicas  int32
		counts    replicaCounts
		available int32
		err       error
		now       time.Time
		want      appsv1.ReplicaSetStatus
	}{
		{"counts and generation", appsv1.ReplicaSetStatus{}, 3, replicaCounts{3, 2, 1, 0}, 1, nil, t0,
			appsv1.ReplicaSetStatus{Replicas: 3, FullyLabeledReplicas: 2, ReadyReplicas: 1, AvailableReplicas: 1, ObservedGeneration: 7, TerminatingReplicas: ptr.To[int32](0)}},
		{"create error sets ReplicaFailure", appsv1.ReplicaSetStatus{}, 3, replicaCounts{1, 1, 0, 0}, 0, errors.New("quota"), t0.Add(time.Minute),
			appsv1.ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 1, ObservedGeneration: 7, TerminatingReplicas: ptr.To[int32](0), Conditions: []appsv1.ReplicaSetCondition{{
				Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(time.Minute)),
				Reason: "FailedCreate", Message: "quota"}}}},
		{"delete error says FailedDelete", appsv1.ReplicaSetStatus{}, 1, replicaCounts{2, 2, 2, 0}, 2, errors.New("boom"), t0,
			appsv1.ReplicaSetStatus{Replicas: 2, FullyLabeledReplicas: 2, ReadyReplicas: 2, AvailableReplicas: 2, ObservedGeneration: 7, TerminatingReplicas: ptr.To[int32](0), Conditions: []appsv1.ReplicaSetCondition{{
				Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0),
				Reason: "FailedDelete", Message: "boom"}}}},
		{"existing failure kept while errors go on", appsv1.ReplicaSetStatus{Conditions: []appsv1.ReplicaSetCondition{failure}}, 3, replicaCounts{1, 1, 0, 0}, 0, errors.New("new"), t0.Add(time.Hour),
			appsv1.ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 1, ObservedGeneration: 7, TerminatingReplicas: ptr.To[int32](0), Conditions: []appsv1.ReplicaSetCondition{failure}}},
		{"success removes failure", appsv1.ReplicaSetStatus{Conditions: []appsv1.ReplicaSetCondition{failure}}, 3, replicaCounts{3, 3, 3, 0}, 3, nil, t0,
			appsv1.ReplicaSetStatus{Replicas: 3, FullyLabeledReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, ObservedGeneration: 7, TerminatingReplicas: ptr.To[int32](0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prev := *tc.prev.DeepCopy()
			got := calculateStatus(tc.prev, 7, tc.replicas, tc.counts, tc.available, tc.err, tc.now)
			if !apiEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if !apiEqual(tc.prev, prev) {
				t.Errorf("calculateStatus changed its input")
			}
		})
	}
}

func TestClassifyAndAvailability(t *testing.T) {
	tmpl := labels.SelectorFromSet(map[string]string{"app": "kubia", "tier": "web"})
	now := t0.Add(time.Minute)
	cases := []struct {
		name      string
		pod       func(*corev1.Pod)
		want      podState
		minReady  int32
		available bool
	}{
		{"running ready fully labeled", func(p *corev1.Pod) {}, podState{active: true, fullyLabeled: true, ready: true, readySince: t0}, 0, true},
		{"missing a template label", func(p *corev1.Pod) { delete(p.Labels, "tier") }, podState{active: true, ready: true, readySince: t0}, 0, true},
		{"succeeded is inactive", func(p *corev1.Pod) { p.Status.Phase = corev1.PodSucceeded }, podState{}, 0, false},
		{"failed is inactive", func(p *corev1.Pod) { p.Status.Phase = corev1.PodFailed }, podState{}, 0, false},
		{"deleting is inactive, and terminating", func(p *corev1.Pod) { ts := metav1.NewTime(now); p.DeletionTimestamp = &ts }, podState{terminating: true}, 0, false},
		{"not ready", func(p *corev1.Pod) { p.Status.Conditions[0].Status = corev1.ConditionFalse }, podState{active: true, fullyLabeled: true}, 0, false},
		{"ready long enough", func(p *corev1.Pod) {}, podState{active: true, fullyLabeled: true, ready: true, readySince: t0}, 60, true},
		{"ready not long enough", func(p *corev1.Pod) {}, podState{active: true, fullyLabeled: true, ready: true, readySince: t0}, 61, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pod := &corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "p", Labels: map[string]string{"app": "kubia", "tier": "web", "extra": "x"}},
				Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{
					{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0)}}},
			}
			tc.pod(pod)
			got := classifyPod(pod, tmpl)
			if got != tc.want {
				t.Errorf("classifyPod = %+v, want %+v", got, tc.want)
			}
			if a := isAvailable(got, tc.minReady, now); a != tc.available {
				t.Errorf("isAvailable = %v, want %v", a, tc.available)
			}
		})
	}
	states := map[string]podState{
		"a": {active: true, ready: true, readySince: t0},
		"b": {active: true, ready: true, readySince: t0.Add(30 * time.Second)},
		"c": {active: true},
	}
	if n, next := countAvailable(states, 2, 40, t0.Add(50*time.Second)); n != 1 || next != 20*time.Second {
		t.Errorf("countAvailable = %d, %s; want 1, 20s", n, next)
	}
	if n, next := countAvailable(states, 2, 0, t0); n != 2 || next != 0 {
		t.Errorf("countAvailable without minReadySeconds = %d, %s; want 2, 0", n, next)
	}
}

func TestNewPodFromTemplate(t *testing.T) {
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "ns", UID: "u1"}}
	tmpl := &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "kubia"}, Annotations: map[string]string{"a": "b"}, Finalizers: append(make([]string, 0, 4), "f")},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}},
	}
	pod, err := newPodFromTemplate(tmpl, rs, replicaSetKind.gvk)
	if err != nil {
		t.Fatal(err)
	}
	ref := pod.OwnerReferences[0]
	if pod.GenerateName != "kubia-" || pod.Namespace != "ns" || pod.Labels["app"] != "kubia" || pod.Annotations["a"] != "b" ||
		pod.Finalizers[0] != "f" || pod.Spec.Containers[0].Image != "luksa/kubia" ||
		ref.APIVersion != "apps/v1" || ref.Kind != "ReplicaSet" || ref.Name != "kubia" || ref.UID != "u1" ||
		!*ref.Controller || !*ref.BlockOwnerDeletion {
		t.Errorf("unexpected pod %+v", pod)
	}
	// The pod shares the template's metadata (neither is ever mutated) but a finalizer
	// added to the pod, as deletion does, must not land in the template's spare room.
	pod.Finalizers = append(pod.Finalizers, "g")
	if spare := tmpl.Finalizers[:2]; spare[1] != "" {
		t.Error("a finalizer added to the pod was written into the template's slice")
	}
	pod.Spec.Containers[0].Image = "changed"
	if tmpl.Spec.Containers[0].Image != "luksa/kubia" {
		t.Error("the pod shares the template's spec")
	}
	if _, err := newPodFromTemplate(&corev1.PodTemplateSpec{}, rs, replicaSetKind.gvk); err != errNoLabels {
		t.Errorf("no labels: err = %v", err)
	}
}

func apiEqual(a, b any) bool { return equality.Semantic.DeepEqual(a, b) }
