package api

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestPodPredicates(t *testing.T) {
	ready := func(s corev1.ConditionStatus) []corev1.PodCondition {
		return []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}, {Type: corev1.PodReady, Status: s}}
	}
	cases := []struct {
		name          string
		pod           corev1.Pod
		active, isRdy bool
	}{
		{"running and ready", corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: ready(corev1.ConditionTrue)}}, true, true},
		{"running, not ready", corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: ready(corev1.ConditionFalse)}}, true, false},
		{"pending, no conditions", corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodPending}}, true, false},
		{"succeeded", corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodSucceeded}}, false, false},
		{"being deleted", corev1.Pod{ObjectMeta: metav1.ObjectMeta{DeletionTimestamp: &metav1.Time{}}, Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: ready(corev1.ConditionTrue)}}, false, true},
	}
	for _, tc := range cases {
		if got := IsPodActive(&tc.pod); got != tc.active {
			t.Errorf("%s: active %v", tc.name, got)
		}
		if got := IsPodReady(&tc.pod); got != tc.isRdy {
			t.Errorf("%s: ready %v", tc.name, got)
		}
	}
}
