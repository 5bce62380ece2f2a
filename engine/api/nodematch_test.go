package api

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestToleratesTaint(t *testing.T) {
	cp := corev1.Taint{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}
	cases := []struct {
		name string
		tol  corev1.Toleration
		want bool
	}{
		{"exists on the key", corev1.Toleration{Key: cp.Key, Operator: corev1.TolerationOpExists}, true},
		{"exists on every key", corev1.Toleration{Operator: corev1.TolerationOpExists}, true},
		{"equal with the empty value", corev1.Toleration{Key: cp.Key, Operator: corev1.TolerationOpEqual, Effect: corev1.TaintEffectNoSchedule}, true},
		{"other effect", corev1.Toleration{Key: cp.Key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute}, false},
		{"other key", corev1.Toleration{Key: "x", Operator: corev1.TolerationOpExists}, false},
		{"other value", corev1.Toleration{Key: cp.Key, Value: "v"}, false},
	}
	for _, tc := range cases {
		if got := ToleratesTaint(&tc.tol, &cp); got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
	noExecute := func(e corev1.TaintEffect) bool { return e == corev1.TaintEffectNoExecute }
	if UntoleratedTaint(nil, []corev1.Taint{cp}, noExecute) != nil {
		t.Error("a NoSchedule taint does not count when only NoExecute does")
	}
}

func TestMatchesNodeSelectorAndAffinity(t *testing.T) {
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "kubetab-worker", Labels: map[string]string{"disk": "ssd", "cores": "8"}}}
	term := func(reqs ...corev1.NodeSelectorRequirement) *corev1.Affinity {
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: reqs}}}}}
	}
	cases := []struct {
		name     string
		selector map[string]string
		affinity *corev1.Affinity
		want     bool
	}{
		{"no constraints", nil, nil, true},
		{"selector matches", map[string]string{"disk": "ssd"}, nil, true},
		{"selector differs", map[string]string{"disk": "hdd"}, nil, false},
		{"In", nil, term(corev1.NodeSelectorRequirement{Key: "disk", Operator: corev1.NodeSelectorOpIn, Values: []string{"ssd", "nvme"}}), true},
		{"NotIn on a missing label", nil, term(corev1.NodeSelectorRequirement{Key: "gpu", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"true"}}), true},
		{"DoesNotExist", nil, term(corev1.NodeSelectorRequirement{Key: "disk", Operator: corev1.NodeSelectorOpDoesNotExist}), false},
		{"Gt", nil, term(corev1.NodeSelectorRequirement{Key: "cores", Operator: corev1.NodeSelectorOpGt, Values: []string{"4"}}), true},
		{"Lt", nil, term(corev1.NodeSelectorRequirement{Key: "cores", Operator: corev1.NodeSelectorOpLt, Values: []string{"4"}}), false},
		{"matchFields on the name", nil, &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{"kubetab-worker"}}}}}}}}, true},
		{"an empty term matches nothing", nil, &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}}}}, false},
	}
	for _, tc := range cases {
		pod := &corev1.Pod{Spec: corev1.PodSpec{NodeSelector: tc.selector, Affinity: tc.affinity}}
		if got := MatchesNodeSelectorAndAffinity(pod, node); got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
}
