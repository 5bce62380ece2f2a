package scheduler

import (
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Filter reasons, as the upstream plugins word them.
const (
	ReasonUnschedulable = "node(s) were unschedulable"
	ReasonNodeAffinity  = "node(s) didn't match Pod's node affinity/selector"
	ReasonTooManyPods   = "Too many pods"
	ReasonInsufficient  = "Insufficient %s"
)

// podInfo is what the filters need of a pod, computed once per scheduling attempt.
type podInfo struct {
	pod              *corev1.Pod
	owner            types.UID
	milliCPU, memory int64
}

func newPodInfo(pod *corev1.Pod) *podInfo {
	p := &podInfo{pod: pod}
	if ref := metav1.GetControllerOf(pod); ref != nil {
		p.owner = ref.UID
	}
	p.milliCPU, p.memory = podRequests(pod)
	return p
}

// filter runs the filters on one node in upstream's plugin order and stops at the first that
// fails. resolvable tells whether evicting pods could help (only resource shortages).
func filter(p *podInfo, ni *nodeInfo) (reasons []string, resolvable bool) {
	node := ni.node
	if node.Spec.Unschedulable && !tolerates(p.pod.Spec.Tolerations, &corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}) {
		return []string{ReasonUnschedulable}, false
	}
	if t := untoleratedTaint(p.pod.Spec.Tolerations, node.Spec.Taints); t != nil {
		return []string{taintReason(t)}, false
	}
	if !ni.ready && !hasTaint(node.Spec.Taints, corev1.TaintNodeNotReady) && !hasTaint(node.Spec.Taints, corev1.TaintNodeUnreachable) {
		// The node lifecycle controller taints a node that is not Ready at once; until the
		// taint is there, behave as if it were.
		t := &corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule}
		if !tolerates(p.pod.Spec.Tolerations, t) {
			return []string{taintReason(t)}, false
		}
	}
	if !MatchesNodeSelectorAndAffinity(p.pod, node) {
		return []string{ReasonNodeAffinity}, false
	}
	if int64(ni.pods)+1 > ni.allocPods {
		reasons = append(reasons, ReasonTooManyPods)
	}
	if p.milliCPU > 0 && ni.milliCPU+p.milliCPU > ni.allocMilliCPU {
		reasons = append(reasons, fmt.Sprintf(ReasonInsufficient, corev1.ResourceCPU))
	}
	if p.memory > 0 && ni.memory+p.memory > ni.allocMemory {
		reasons = append(reasons, fmt.Sprintf(ReasonInsufficient, corev1.ResourceMemory))
	}
	return reasons, true
}

func taintReason(t *corev1.Taint) string {
	return fmt.Sprintf("node(s) had untolerated taint {%s: %s}", t.Key, t.Value)
}

func hasTaint(taints []corev1.Taint, key string) bool {
	for i := range taints {
		if taints[i].Key == key {
			return true
		}
	}
	return false
}

// untoleratedTaint returns the first NoSchedule or NoExecute taint the tolerations miss.
func untoleratedTaint(tolerations []corev1.Toleration, taints []corev1.Taint) *corev1.Taint {
	for i := range taints {
		t := &taints[i]
		if t.Effect != corev1.TaintEffectNoSchedule && t.Effect != corev1.TaintEffectNoExecute {
			continue
		}
		if !tolerates(tolerations, t) {
			return t
		}
	}
	return nil
}

func tolerates(tolerations []corev1.Toleration, t *corev1.Taint) bool {
	for i := range tolerations {
		if ToleratesTaint(&tolerations[i], t) {
			return true
		}
	}
	return false
}

// ToleratesTaint is the API's matching rule: an empty effect matches every effect, an empty
// key with operator Exists matches every taint, Exists ignores the value.
func ToleratesTaint(tol *corev1.Toleration, t *corev1.Taint) bool {
	if tol.Effect != "" && tol.Effect != t.Effect {
		return false
	}
	if tol.Key != "" && tol.Key != t.Key {
		return false
	}
	switch tol.Operator {
	case corev1.TolerationOpExists:
		return true
	case corev1.TolerationOpEqual, "":
		return tol.Key != "" && tol.Value == t.Value
	}
	return false
}

// MatchesNodeSelectorAndAffinity applies spec.nodeSelector and the required node affinity.
func MatchesNodeSelectorAndAffinity(pod *corev1.Pod, node *corev1.Node) bool {
	for k, v := range pod.Spec.NodeSelector {
		if w, ok := node.Labels[k]; !ok || w != v {
			return false
		}
	}
	a := pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		if matchesTerm(&term, node) {
			return true
		}
	}
	return false
}

// matchesTerm: the requirements of one term are ANDed; an empty term matches nothing.
func matchesTerm(term *corev1.NodeSelectorTerm, node *corev1.Node) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	for i := range term.MatchExpressions {
		r := &term.MatchExpressions[i]
		v, ok := node.Labels[r.Key]
		if !matchesRequirement(r, v, ok) {
			return false
		}
	}
	for i := range term.MatchFields {
		r := &term.MatchFields[i]
		if r.Key != "metadata.name" {
			return false
		}
		if !matchesRequirement(r, node.Name, true) {
			return false
		}
	}
	return true
}

func matchesRequirement(r *corev1.NodeSelectorRequirement, v string, present bool) bool {
	in := func() bool {
		for _, x := range r.Values {
			if x == v {
				return true
			}
		}
		return false
	}
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return present && in()
	case corev1.NodeSelectorOpNotIn:
		return !present || !in()
	case corev1.NodeSelectorOpExists:
		return present
	case corev1.NodeSelectorOpDoesNotExist:
		return !present
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		if !present || len(r.Values) != 1 {
			return false
		}
		have, err1 := strconv.ParseInt(v, 10, 64)
		want, err2 := strconv.ParseInt(r.Values[0], 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if r.Operator == corev1.NodeSelectorOpGt {
			return have > want
		}
		return have < want
	}
	return false
}
