package scheduler

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
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
	// anyNode: no nodeSelector and no required node affinity, so every open node matches.
	anyNode bool
}

func newPodInfo(pod *corev1.Pod) *podInfo {
	p := &podInfo{pod: pod}
	if ref := metav1.GetControllerOfNoCopy(pod); ref != nil {
		p.owner = ref.UID
	}
	p.milliCPU, p.memory = podRequests(pod)
	a := pod.Spec.Affinity
	p.anyNode = len(pod.Spec.NodeSelector) == 0 &&
		(a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil)
	return p
}

// filter runs the filters on one node in upstream's plugin order and stops at the first that
// fails. resolvable tells whether evicting pods could help (only resource shortages).
// Unless explain is set, a node that does not fit gets notFit rather than its reasons: the
// search asks only whether nodes fit, and words them only when none does.
func filter(p *podInfo, ni *nodeInfo, explain bool) (reasons []string, resolvable bool) {
	if ni.open && p.anyNode {
		// Most pods on most nodes: only the resources are left to check, without reading
		// the node object (a cache miss per node, 420 nodes a pod at 1,000 nodes).
		return resourceReasons(p, ni, explain), true
	}
	node := ni.node
	if node.Spec.Unschedulable && !api.Tolerates(p.pod.Spec.Tolerations, &corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}) {
		return because(explain, ReasonUnschedulable), false
	}
	if t := api.UntoleratedTaint(p.pod.Spec.Tolerations, node.Spec.Taints, schedulingEffect); t != nil {
		return becauseOf(explain, t), false
	}
	if !ni.ready && !hasTaint(node.Spec.Taints, corev1.TaintNodeNotReady) && !hasTaint(node.Spec.Taints, corev1.TaintNodeUnreachable) {
		// The node lifecycle controller taints a node that is not Ready at once; until the
		// taint is there, behave as if it were.
		t := &corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule}
		if !api.Tolerates(p.pod.Spec.Tolerations, t) {
			return becauseOf(explain, t), false
		}
	}
	if !api.MatchesNodeSelectorAndAffinity(p.pod, node) {
		return because(explain, ReasonNodeAffinity), false
	}
	return resourceReasons(p, ni, explain), true
}

// because is the reasons of a node that fails for reason: notFit unless explain.
func because(explain bool, reason string) []string {
	if !explain {
		return notFit
	}
	return []string{reason}
}

// becauseOf is because for an untolerated taint.
func becauseOf(explain bool, t *corev1.Taint) []string {
	if !explain {
		return notFit
	}
	return []string{taintReason(t)}
}

// notFit stands for the reasons of a node that does not fit when they are not asked for.
var notFit = []string{"does not fit"}

// resourceReasons is the NodeResourcesFit filter: the pod count and the requests.
func resourceReasons(p *podInfo, ni *nodeInfo, explain bool) (reasons []string) {
	pods := int64(ni.pods)+1 > ni.allocPods
	cpu := p.milliCPU > 0 && ni.milliCPU+p.milliCPU > ni.allocMilliCPU
	memory := p.memory > 0 && ni.memory+p.memory > ni.allocMemory
	switch {
	case !pods && !cpu && !memory:
		return nil
	case !explain:
		return notFit
	}
	if pods {
		reasons = append(reasons, ReasonTooManyPods)
	}
	if cpu {
		reasons = append(reasons, fmt.Sprintf(ReasonInsufficient, corev1.ResourceCPU))
	}
	if memory {
		reasons = append(reasons, fmt.Sprintf(ReasonInsufficient, corev1.ResourceMemory))
	}
	return reasons
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

// schedulingEffect: the taint effects that keep a pod off a node (PreferNoSchedule only
// lowers its score).
func schedulingEffect(e corev1.TaintEffect) bool {
	return e == corev1.TaintEffectNoSchedule || e == corev1.TaintEffectNoExecute
}
