package replicaset

import (
	"errors"
	"slices"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
)

// podState is what one claimed pod contributes to its owner's status.
type podState struct {
	active       bool // neither Succeeded nor Failed, and not being deleted
	terminating  bool // being deleted, neither Succeeded nor Failed yet
	fullyLabeled bool // carries every template label
	ready        bool // Ready condition True
	readySince   time.Time
}

func (s podState) same(o podState) bool {
	return s.active == o.active && s.terminating == o.terminating && s.fullyLabeled == o.fullyLabeled &&
		s.ready == o.ready && s.readySince.Equal(o.readySince)
}

// classifyPod computes a claimed pod's contribution. Only active pods count at all, as
// upstream computes status over the filtered (active) pods.
func classifyPod(pod *corev1.Pod, templateLabels labels.Selector) podState {
	if !api.IsPodActive(pod) {
		finished := pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
		return podState{terminating: pod.DeletionTimestamp != nil && !finished}
	}
	s := podState{active: true, fullyLabeled: templateLabels.Matches(labels.Set(pod.Labels))}
	if c := api.PodCondition(pod, corev1.PodReady); c != nil && c.Status == corev1.ConditionTrue {
		s.ready = true
		s.readySince = c.LastTransitionTime.Time
	}
	return s
}

// replicaCounts are the running tallies of an owner's claimed pods.
type replicaCounts struct {
	active, fullyLabeled, ready, terminating int32
}

// add adds (sign 1) or removes (sign -1) one pod's contribution.
func (c *replicaCounts) add(s podState, sign int32) {
	if s.terminating {
		c.terminating += sign
	}
	if !s.active {
		return
	}
	c.active += sign
	if s.fullyLabeled {
		c.fullyLabeled += sign
	}
	if s.ready {
		c.ready += sign
	}
}

// isAvailable is upstream's IsPodAvailable on a pod's state. Upstream compares strictly
// (ready since + minReadySeconds before now); on virtual time the sync runs exactly at that
// instant, so the instant itself counts, which is what a real cluster shows a moment later.
func isAvailable(s podState, minReadySeconds int32, now time.Time) bool {
	if !s.active || !s.ready {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	return !s.readySince.IsZero() && !now.Before(s.readySince.Add(time.Duration(minReadySeconds)*time.Second))
}

// countAvailable counts the available pods among states and, when some ready pods are not yet
// available, how long until the first becomes so (0 when none waits).
func countAvailable(states map[string]podState, ready int32, minReadySeconds int32, now time.Time) (int32, time.Duration) {
	if minReadySeconds == 0 {
		return ready, 0
	}
	var n int32
	var next time.Duration
	for _, s := range states {
		if !s.active || !s.ready {
			continue
		}
		if isAvailable(s, minReadySeconds, now) {
			n++
			continue
		}
		if s.readySince.IsZero() {
			continue
		}
		wait := s.readySince.Add(time.Duration(minReadySeconds) * time.Second).Sub(now)
		if next == 0 || wait < next {
			next = wait
		}
	}
	return n, next
}

// calculateStatus is upstream's calculateStatus plus the observedGeneration that
// updateReplicaSetStatus sets: counts come from the claimed active pods, and the
// ReplicaFailure condition follows the last create/delete error.
func calculateStatus(prev appsv1.ReplicaSetStatus, generation int64, replicas int32, counts replicaCounts, available int32, manageErr error, now time.Time) appsv1.ReplicaSetStatus {
	st := *prev.DeepCopy()
	st.Replicas = counts.active
	st.FullyLabeledReplicas = counts.fullyLabeled
	st.ReadyReplicas = counts.ready
	st.AvailableReplicas = available
	st.ObservedGeneration = generation
	// v1.33+ (DeploymentReplicaSetTerminatingReplicas, on by default): the pods on their
	// way out, which a Deployment sums for its own status.
	st.TerminatingReplicas = ptr.To(counts.terminating)
	failure := -1
	for i, c := range st.Conditions {
		if c.Type == appsv1.ReplicaSetReplicaFailure {
			failure = i
		}
	}
	switch {
	case manageErr != nil && failure < 0:
		reason := ""
		if diff := counts.active - replicas; diff < 0 {
			reason = "FailedCreate"
		} else if diff > 0 {
			reason = "FailedDelete"
		}
		st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{
			Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue,
			LastTransitionTime: metav1.NewTime(now), Reason: reason, Message: manageErr.Error(),
		})
	case manageErr == nil && failure >= 0:
		st.Conditions = append(st.Conditions[:failure:failure], st.Conditions[failure+1:]...)
		if len(st.Conditions) == 0 {
			st.Conditions = nil
		}
	}
	return st
}

// getPodsToDelete picks the diff pods to delete first, in upstream's ActivePods order.
func getPodsToDelete(pods []*corev1.Pod, diff int) []*corev1.Pod {
	// Sorted even when all go, so that the order of deletions never depends on the input's.
	sorted := append([]*corev1.Pod(nil), pods...)
	sort.SliceStable(sorted, func(i, j int) bool { return activePodsLess(sorted[i], sorted[j]) })
	return sorted[:min(diff, len(sorted))]
}

// activePodsLess is controller_utils' ActivePods ordering (the generation before deletion cost
// and co-location ranks): the pod to delete first sorts first. Names break remaining ties so
// that the order never depends on the input order.
func activePodsLess(a, b *corev1.Pod) bool {
	// 1. Unassigned before assigned.
	if a.Spec.NodeName != b.Spec.NodeName && (a.Spec.NodeName == "" || b.Spec.NodeName == "") {
		return a.Spec.NodeName == ""
	}
	// 2. Pending before Unknown before Running.
	if pa, pb := phaseOrdinal(a.Status.Phase), phaseOrdinal(b.Status.Phase); pa != pb {
		return pa < pb
	}
	// 3. Not ready before ready.
	ra, rb := api.IsPodReady(a), api.IsPodReady(b)
	if ra != rb {
		return !ra
	}
	// 4. Ready for a shorter time before ready for longer.
	if ra && rb {
		ta, tb := api.PodCondition(a, corev1.PodReady).LastTransitionTime.Time, api.PodCondition(b, corev1.PodReady).LastTransitionTime.Time
		if !ta.Equal(tb) {
			return afterOrZero(ta, tb)
		}
	}
	// 5. More container restarts before fewer.
	if ma, mb := maxContainerRestarts(a), maxContainerRestarts(b); ma != mb {
		return ma > mb
	}
	// 6. Newer before older (no creation time first).
	if ta, tb := a.CreationTimestamp.Time, b.CreationTimestamp.Time; !ta.Equal(tb) {
		return afterOrZero(ta, tb)
	}
	return a.Name < b.Name
}

func phaseOrdinal(p corev1.PodPhase) int {
	switch p {
	case corev1.PodUnknown:
		return 1
	case corev1.PodRunning:
		return 2
	}
	return 0
}

// afterOrZero: a zero time sorts first, otherwise the later time does.
func afterOrZero(t1, t2 time.Time) bool {
	if t1.IsZero() || t2.IsZero() {
		return t1.IsZero()
	}
	return t1.After(t2)
}

func maxContainerRestarts(pod *corev1.Pod) int32 {
	var m int32
	for _, cs := range pod.Status.ContainerStatuses {
		m = max(m, cs.RestartCount)
	}
	return m
}

// errNoLabels refuses pods that no selector could ever claim back; upstream returns it before
// trying, so it gets no FailedCreate event.
var errNoLabels = errors.New("unable to create pods, no labels")

// newPodFromTemplate is upstream's GetPodFromTemplate plus the controller reference: the pod
// gets generateName `<owner>-`, the template's labels, annotations, finalizers and spec.
func newPodFromTemplate(template *corev1.PodTemplateSpec, owner api.Object, gvk schema.GroupVersionKind) (*corev1.Pod, error) {
	if template == nil || len(template.Labels) == 0 {
		return nil, errNoLabels
	}
	// The pod shares the template's labels, annotations and finalizers: stored objects are
	// never mutated and creating a pod changes none of them, and 100,000 pods of one
	// template would otherwise hold 100,000 copies of one map. The spec is copied: admission
	// adds the token volume and its mounts to it; not its security context (140 bytes a
	// pod), which stays the template's: only defaulting sets one, and only where none is.
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: owner.GetName() + "-",
			Namespace:    owner.GetNamespace(),
			Labels:       template.Labels,
			Annotations:  template.Annotations,
			Finalizers:   slices.Clip(template.Finalizers), // an append copies
			OwnerReferences: []metav1.OwnerReference{
				controllerRef(owner, gvk),
			},
		},
	}
	spec := template.Spec
	spec.SecurityContext = nil
	spec.DeepCopyInto(&pod.Spec)
	pod.Spec.SecurityContext = template.Spec.SecurityContext
	return pod, nil
}

func controllerRef(owner api.Object, gvk schema.GroupVersionKind) metav1.OwnerReference {
	return metav1.OwnerReference{
		APIVersion:         gvk.GroupVersion().String(),
		Kind:               gvk.Kind,
		Name:               owner.GetName(),
		UID:                owner.GetUID(),
		Controller:         ptr.To(true),
		BlockOwnerDeletion: ptr.To(true),
	}
}
