package api

import (
	"strconv"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
)

// The API's rules for which pods may go where, shared by the scheduler, the DaemonSet
// controller and the taint-eviction controller (upstream keeps them in
// k8s.io/component-helpers; the toleration rule is the API type's own method).

// ToleratesTaint reports whether one toleration matches a taint: an empty effect matches
// every effect, an empty key with Exists matches every taint, Exists ignores the value.
func ToleratesTaint(tol *corev1.Toleration, taint *corev1.Taint) bool {
	// The comparison operators (Gt/Lt) are an alpha feature kubetab leaves off, so the
	// logger, used only to report their parse errors, is never written to.
	return tol.ToleratesTaint(logr.Discard(), taint, false)
}

// Tolerates reports whether any of the tolerations matches the taint.
func Tolerates(tolerations []corev1.Toleration, taint *corev1.Taint) bool {
	for i := range tolerations {
		if ToleratesTaint(&tolerations[i], taint) {
			return true
		}
	}
	return false
}

// UntoleratedTaint returns the first taint whose effect counts (per counts) that no
// toleration matches, or nil.
func UntoleratedTaint(tolerations []corev1.Toleration, taints []corev1.Taint, counts func(corev1.TaintEffect) bool) *corev1.Taint {
	for i := range taints {
		if counts(taints[i].Effect) && !Tolerates(tolerations, &taints[i]) {
			return &taints[i]
		}
	}
	return nil
}

// MatchesNodeSelectorAndAffinity applies spec.nodeSelector and the required node affinity
// (GetRequiredNodeAffinity upstream): every nodeSelector label, and any one of the
// required terms.
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
	terms := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	for i := range terms {
		if matchesTerm(&terms[i], node) {
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
		// metadata.name is the only field node affinity supports.
		if r.Key != "metadata.name" || !matchesRequirement(r, node.Name, true) {
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
