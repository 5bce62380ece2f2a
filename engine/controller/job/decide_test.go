package job

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func TestWantActive(t *testing.T) {
	for _, tc := range []struct {
		name                                 string
		completions                          *int32
		parallelism, succeeded, active, want int32
	}{
		{"work queue starts parallelism", nil, 3, 0, 0, 3},
		{"work queue after a success keeps what runs", nil, 3, 1, 2, 2},
		{"one completion", ptr.To[int32](1), 1, 0, 0, 1},
		{"sequential completions", ptr.To[int32](5), 1, 3, 0, 1},
		{"parallel completions capped by parallelism", ptr.To[int32](5), 2, 0, 0, 2},
		{"last completion", ptr.To[int32](5), 2, 4, 1, 1},
		{"more succeeded than completions", ptr.To[int32](5), 2, 7, 0, 0},
		{"parallelism zero", ptr.To[int32](5), 0, 0, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wantActive(tc.completions, tc.parallelism, tc.succeeded, tc.active); got != tc.want {
				t.Errorf("wantActive = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestPodFailureBackoff(t *testing.T) {
	for _, tc := range []struct {
		failures int32
		want     time.Duration
	}{
		{0, 0}, {1, 10 * time.Second}, {2, 20 * time.Second}, {3, 40 * time.Second},
		{6, 320 * time.Second}, {7, 10 * time.Minute}, {8, 10 * time.Minute}, {1000, 10 * time.Minute},
	} {
		if got := podFailureBackoff(tc.failures); got != tc.want {
			t.Errorf("podFailureBackoff(%d) = %s, want %s", tc.failures, got, tc.want)
		}
	}
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		failures int32
		since    time.Duration
		want     time.Duration
	}{
		{"no failures", 0, 0, 0},
		{"just failed", 1, 0, 10 * time.Second},
		{"partly waited", 2, 5 * time.Second, 15 * time.Second},
		{"exactly due", 3, 40 * time.Second, 0},
		{"long ago", 3, time.Hour, 0},
	} {
		if got := backoffRemaining(tc.failures, now.Add(-tc.since), now); got != tc.want {
			t.Errorf("%s: backoffRemaining = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func finishedPod(name string, phase corev1.PodPhase, finished time.Time) *corev1.Pod {
	code := int32(0)
	if phase == corev1.PodFailed {
		code = 1
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: corev1.PodStatus{Phase: phase, ContainerStatuses: []corev1.ContainerStatus{{
			Name:  "main",
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, FinishedAt: metav1.NewTime(finished)}},
		}}},
	}
}

func TestBackoffRecord(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for _, tc := range []struct {
		name              string
		start             backoffRecord
		succeeded, failed []*corev1.Pod
		want              backoffRecord
	}{
		{"nothing new", backoffRecord{2, at(5)}, nil, nil, backoffRecord{2, at(5)}},
		{"failures add up", backoffRecord{1, at(5)}, nil,
			[]*corev1.Pod{finishedPod("b", corev1.PodFailed, at(20)), finishedPod("a", corev1.PodFailed, at(10))},
			backoffRecord{3, at(20)}},
		{"a success resets", backoffRecord{4, at(5)}, []*corev1.Pod{finishedPod("s", corev1.PodSucceeded, at(30))}, nil, backoffRecord{}},
		{"only failures after the last success count", backoffRecord{4, at(5)},
			[]*corev1.Pod{finishedPod("s", corev1.PodSucceeded, at(30))},
			[]*corev1.Pod{finishedPod("a", corev1.PodFailed, at(20)), finishedPod("b", corev1.PodFailed, at(40)), finishedPod("c", corev1.PodFailed, at(50))},
			backoffRecord{2, at(50)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.start.withFinishedPods(tc.succeeded, tc.failed)
			if got.failuresAfterLastSuccess != tc.want.failuresAfterLastSuccess || !got.lastFailureTime.Equal(tc.want.lastFailureTime) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPodFinishTime(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	p := finishedPod("a", corev1.PodFailed, t0.Add(time.Minute))
	p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{Name: "side",
		State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{FinishedAt: metav1.NewTime(t0.Add(2 * time.Minute))}}})
	if got := podFinishTime(p); !got.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("latest container: %s", got)
	}
	p.Status.ContainerStatuses[1].State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, LastTransitionTime: metav1.NewTime(t0.Add(3 * time.Minute))}}
	if got := podFinishTime(p); !got.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("Ready=False: %s", got)
	}
	p.Status.Conditions = nil
	p.DeletionTimestamp = ptr.To(metav1.NewTime(t0.Add(5 * time.Minute)))
	p.DeletionGracePeriodSeconds = ptr.To[int64](30)
	if got := podFinishTime(p); !got.Equal(t0.Add(4*time.Minute + 30*time.Second)) {
		t.Errorf("deletion: %s", got)
	}
}

func exitedPod(ns, name string, codes map[string]int32, conds ...corev1.PodConditionType) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Status: corev1.PodStatus{Phase: corev1.PodFailed}}
	for _, c := range []string{"init", "main", "side"} {
		code, ok := codes[c]
		if !ok {
			continue
		}
		cs := corev1.ContainerStatus{Name: c, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code}}}
		if c == "init" {
			p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses, cs)
		} else {
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, cs)
		}
	}
	for _, c := range conds {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: c, Status: corev1.ConditionTrue})
	}
	return p
}

func TestMatchPodFailurePolicy(t *testing.T) {
	policy := &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
		{Action: batchv1.PodFailurePolicyActionFailJob, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
			ContainerName: ptr.To("main"), Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}},
		{Action: batchv1.PodFailurePolicyActionIgnore, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{
			{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}}},
		{Action: batchv1.PodFailurePolicyActionFailIndex, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
			Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{7}}},
		{Action: batchv1.PodFailurePolicyActionCount, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
			Operator: batchv1.PodFailurePolicyOnExitCodesOpNotIn, Values: []int32{1, 2}}},
		{Action: batchv1.PodFailurePolicyActionFailJob, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{
			{Type: "ConfigIssue", Status: corev1.ConditionTrue}}},
	}}
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
		want policyMatch
	}{
		{"FailJob on exit 42 in main", exitedPod("default", "p", map[string]int32{"main": 42}),
			policyMatch{batchv1.PodFailurePolicyActionFailJob, true, "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 0"}},
		{"42 in another container is not rule 0", exitedPod("default", "p", map[string]int32{"main": 0, "side": 42}),
			policyMatch{batchv1.PodFailurePolicyActionCount, true, ""}},
		{"rules in order: FailJob before Ignore", exitedPod("default", "p", map[string]int32{"main": 42}, corev1.DisruptionTarget),
			policyMatch{batchv1.PodFailurePolicyActionFailJob, true, "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 0"}},
		{"Ignore on DisruptionTarget", exitedPod("default", "p", map[string]int32{"main": 137}, corev1.DisruptionTarget),
			policyMatch{batchv1.PodFailurePolicyActionIgnore, false, ""}},
		{"FailIndex from an init container", exitedPod("default", "p", map[string]int32{"init": 7}),
			policyMatch{batchv1.PodFailurePolicyActionFailIndex, true, ""}},
		{"NotIn", exitedPod("default", "p", map[string]int32{"main": 3}),
			policyMatch{batchv1.PodFailurePolicyActionCount, true, ""}},
		{"no rule matches", exitedPod("default", "p", map[string]int32{"main": 1}),
			policyMatch{"", true, ""}},
		{"exit 0 never matches", exitedPod("default", "p", map[string]int32{"main": 0}),
			policyMatch{"", true, ""}},
		{"FailJob on a pod condition", exitedPod("ns1", "q", map[string]int32{"main": 1}, "ConfigIssue"),
			policyMatch{batchv1.PodFailurePolicyActionFailJob, true, "Pod ns1/q has condition ConfigIssue matching FailJob rule at index 4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := matchPodFailurePolicy(policy, tc.pod); got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if got := matchPodFailurePolicy(nil, exitedPod("d", "p", nil)); got != (policyMatch{count: true}) {
		t.Errorf("nil policy: %+v", got)
	}
}

func TestIndexSet(t *testing.T) {
	for _, tc := range []struct {
		in          string
		completions int
		want        string
		total       int
	}{
		{"", 5, "", 0},
		{"0,1,2,4", 5, "0-2,4", 4},
		{"0,1", 5, "0,1", 2},
		{"1,3-5,7", 10, "1,3-5,7", 5},
		{"1,3-5,7", 5, "1,3,4", 3},
		{"3-9", 5, "3,4", 2},
		{"x,2,5-3,4", 10, "2,4", 2},
	} {
		s := parseIndexSet(tc.in, tc.completions)
		if got := s.String(); got != tc.want || s.total() != tc.total {
			t.Errorf("parse(%q, %d) = %q (%d), want %q (%d)", tc.in, tc.completions, got, s.total(), tc.want, tc.total)
		}
	}
	s := indexSet(nil).withIndexes([]int{4, 0, 2, 1, 2})
	if s.String() != "0-2,4" {
		t.Errorf("withIndexes = %q", s)
	}
	for ix, want := range map[int]bool{0: true, 2: true, 3: false, 4: true, 5: false, -1: false} {
		if s.has(ix) != want {
			t.Errorf("has(%d) = %v", ix, !want)
		}
	}
	if u := parseIndexSet("0,5-6", 10).union(parseIndexSet("1-3,8", 10)); u.String() != "0-3,5,6,8" {
		t.Errorf("union = %q", u)
	}
	if got := firstPendingIndexes(parseIndexSet("0,2-3,6", 10), 4, 8); len(got) != 4 || got[0] != 1 || got[1] != 4 || got[2] != 5 || got[3] != 7 {
		t.Errorf("firstPendingIndexes = %v", got)
	}
	if got := firstPendingIndexes(parseIndexSet("0-2", 3), 2, 3); len(got) != 0 {
		t.Errorf("firstPendingIndexes, all busy = %v", got)
	}
}

func TestMatchSuccessPolicy(t *testing.T) {
	rules := &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{
		{SucceededIndexes: ptr.To("0,2-3"), SucceededCount: ptr.To[int32](1)},
		{SucceededIndexes: ptr.To("5-7")},
		{SucceededCount: ptr.To[int32](4)},
	}}
	for _, tc := range []struct {
		succeeded string
		want      string
		ok        bool
	}{
		{"", "", false},
		{"1", "", false},
		{"2", "Matched rules at index 0", true},
		{"5,6", "", false},
		{"5-7", "Matched rules at index 1", true},
		{"1,4,8,9", "Matched rules at index 2", true},
	} {
		msg, ok := matchSuccessPolicy(rules, 10, parseIndexSet(tc.succeeded, 10))
		if msg != tc.want || ok != tc.ok {
			t.Errorf("succeeded %q: got %q %v, want %q %v", tc.succeeded, msg, ok, tc.want, tc.ok)
		}
	}
}

func TestPodGenerateName(t *testing.T) {
	long := "a23456789b23456789c23456789d23456789e23456789f23456789g23456789"
	for _, tc := range []struct {
		job   string
		index int
		want  string
	}{
		{"pi", unknownIndex, "pi-"},
		{"indexed-job", 3, "indexed-job-3-"},
		{long, unknownIndex, long[:58]},
		{long, 12, long[:54] + "-12-"},
	} {
		if got := podGenerateName(tc.job, tc.index); got != tc.want {
			t.Errorf("podGenerateName(%q, %d) = %q, want %q", tc.job, tc.index, got, tc.want)
		}
	}
}

func TestActivePodsForRemoval(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	mk := func(name, node string, phase corev1.PodPhase, readySince int, created int, index string) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(t0.Add(time.Duration(created) * time.Second))},
			Spec: corev1.PodSpec{NodeName: node}, Status: corev1.PodStatus{Phase: phase}}
		if readySince >= 0 {
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(time.Duration(readySince) * time.Second))}}
		}
		if index != "" {
			p.Annotations = map[string]string{batchv1.JobCompletionIndexAnnotation: index}
		}
		return p
	}
	nonIndexed := &batchv1.Job{}
	pods := []*corev1.Pod{
		mk("ready-old", "n1", corev1.PodRunning, 10, 0, ""),
		mk("ready-new", "n1", corev1.PodRunning, 50, 0, ""),
		mk("running", "n1", corev1.PodRunning, -1, 0, ""),
		mk("pending", "n1", corev1.PodPending, -1, 0, ""),
		mk("unassigned", "", corev1.PodPending, -1, 0, ""),
	}
	names := func(ps []*corev1.Pod) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	got := names(activePodsForRemoval(nonIndexed, pods, 5))
	want := []string{"unassigned", "pending", "running", "ready-new", "ready-old"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if got := names(activePodsForRemoval(nonIndexed, pods, 0)); len(got) != 0 {
		t.Errorf("rmAtLeast 0: %v", got)
	}
	indexed := &batchv1.Job{Spec: batchv1.JobSpec{CompletionMode: ptr.To(batchv1.IndexedCompletion), Completions: ptr.To[int32](3)}}
	ipods := []*corev1.Pod{
		mk("a", "n1", corev1.PodRunning, 10, 0, "0"),
		mk("b", "n1", corev1.PodPending, -1, 5, "0"),
		mk("c", "n1", corev1.PodRunning, 10, 0, "1"),
		mk("d", "n1", corev1.PodRunning, 10, 0, "7"),
		mk("e", "n1", corev1.PodRunning, 10, 0, ""),
	}
	got = names(activePodsForRemoval(indexed, ipods, 0))
	if len(got) != 3 || got[0] != "e" || got[1] != "b" || got[2] != "d" {
		t.Errorf("indexed removal = %v, want [e b d] (no index, duplicate of 0, out of range)", got)
	}
}
