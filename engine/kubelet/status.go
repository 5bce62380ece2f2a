package kubelet

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/apiserver"
)

// writeStatus reports the pod's status as the kubelet's status manager would. While the
// kubelet is stopped nothing is written; the change is reported when it comes back.
func (r *podRuntime) writeStatus() {
	if r.k.stopped {
		r.dirty = true
		return
	}
	cur, err := r.currentPod()
	if err != nil {
		return
	}
	// Only the status is written (the status subresource, which copies what it stores), so
	// the working copy shares everything with the stored pod, read only: buildStatus
	// replaces the parts it changes with new values and never writes into shared ones.
	// The working copy itself is reused from write to write: the store keeps none of it.
	pod := &r.k.m.statusWork
	*pod = corev1.Pod{TypeMeta: cur.TypeMeta, ObjectMeta: cur.ObjectMeta, Spec: cur.Spec, Status: cur.Status}
	r.buildStatus(&pod.Status, r.now())
	// buildStatus made new values for what it changed: the status is handed over.
	if _, err := r.k.api.UpdateStatus(pod, apiserver.UpdateOptions{HandOver: true}); err != nil {
		r.dirty = true
	}
}

func (r *podRuntime) phase() corev1.PodPhase {
	if r.terminal {
		for _, c := range r.containers {
			if !c.sidecar && (c.exitCode != 0 || !c.everStarted) {
				return corev1.PodFailed
			}
		}
		return corev1.PodSucceeded
	}
	for _, c := range r.containers {
		if !c.everStarted {
			return corev1.PodPending
		}
	}
	return corev1.PodRunning
}

func (r *podRuntime) buildStatus(st *corev1.PodStatus, now time.Time) {
	phase := r.phase()
	st.Phase = phase
	// What has not changed since the last write is kept as it was (shared with the version
	// stored, which nobody mutates), and the node's address list is the node's.
	if host := r.k.hostIP(); host != "" {
		st.HostIP = host
		st.HostIPs = r.k.hostIPs(host)
	}
	if r.ip != "" {
		st.PodIP = r.ip
		if len(st.PodIPs) != 1 || st.PodIPs[0] != (corev1.PodIP{IP: r.ip}) {
			st.PodIPs = []corev1.PodIP{{IP: r.ip}}
		}
	}
	if st.StartTime == nil || st.StartTime.Time != r.admitted.Time {
		st.StartTime = r.admitted
	}

	var unready []string
	var lastUnready *containerRuntime
	st.ContainerStatuses = make([]corev1.ContainerStatus, 0, len(r.containers))
	st.InitContainerStatuses = nil
	for _, c := range r.containers {
		cs := r.containerStatus(c)
		if c.init && !c.sidecar {
			// A regular init container is never ready and does not count for the pod's.
			cs.Ready = false
			st.InitContainerStatuses = append(st.InitContainerStatuses, cs)
			continue
		}
		if !cs.Ready {
			unready = append(unready, c.spec.Name)
			lastUnready = c
		}
		if c.init {
			st.InitContainerStatuses = append(st.InitContainerStatuses, cs)
			continue
		}
		st.ContainerStatuses = append(st.ContainerStatuses, cs)
	}

	ready := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
	if len(unready) > 0 {
		ready.Status = corev1.ConditionFalse
		ready.Reason = "ContainersNotReady"
		if len(unready) == 1 {
			ready.Message = r.words(lastUnready).unready // made once per name
		} else {
			ready.Message = fmt.Sprintf("containers with unready status: [%s]", strings.Join(unready, " "))
		}
	}
	if phase == corev1.PodSucceeded || phase == corev1.PodFailed {
		ready = corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "PodCompleted"}
	}
	containersReady := ready
	containersReady.Type = corev1.ContainersReady
	sandbox := corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionFalse}
	if r.sandboxAfter != 0 && !r.terminal {
		sandbox.Status = corev1.ConditionTrue
	}
	initialized := corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}
	if done, pending := r.initialized(); !done {
		initialized.Status = corev1.ConditionFalse
		initialized.Reason = "ContainersNotInitialized"
		initialized.Message = fmt.Sprintf("containers with incomplete status: [%s]", strings.Join(pending, " "))
	} else if phase == corev1.PodSucceeded || phase == corev1.PodFailed {
		initialized.Reason = "PodCompleted"
	}

	// The kubelet's conditions come first, in its order; others (PodScheduled,
	// DisruptionTarget) follow as they were.
	mine := [...]corev1.PodCondition{sandbox, initialized, ready, containersReady}
	unchanged := len(st.Conditions) >= len(mine)
	for i := range mine {
		c := &mine[i]
		c.LastTransitionTime = metav1.NewTime(now)
		for _, old := range st.Conditions {
			if old.Type == c.Type && old.Status == c.Status {
				c.LastTransitionTime = old.LastTransitionTime
				c.LastProbeTime = old.LastProbeTime
			}
		}
		unchanged = unchanged && st.Conditions[i] == *c
	}
	others := 0
	for _, old := range st.Conditions {
		if !kubeletCondition(old.Type) {
			others++
		}
	}
	if unchanged && len(st.Conditions) == len(mine)+others {
		// What the last write made, in the same order: the stored slice is kept (shared,
		// read only, clipped so that an append copies), as a write of a container's state
		// alone leaves the conditions.
		st.Conditions = slices.Clip(st.Conditions)
		return
	}
	// Sized exactly: every Running pod keeps this slice in its stored status.
	out := make([]corev1.PodCondition, 0, len(mine)+others)
	out = append(out, mine[:]...)
	for _, old := range st.Conditions {
		if !kubeletCondition(old.Type) {
			out = append(out, old)
		}
	}
	st.Conditions = out
}

// hostIPs is status.hostIPs of the node's pods, shared by them.
func (k *Kubelet) hostIPs(host string) []corev1.HostIP {
	if len(k.statusHostIPs) != 1 || k.statusHostIPs[0].IP != host {
		k.statusHostIPs = []corev1.HostIP{{IP: host}}
	}
	return k.statusHostIPs
}

// waitingState is a container's waiting state: one per reason shared by the statuses
// that show it without a message (every pod's ContainerCreating), read only as every
// stored object is.
func (m *Manager) waitingState(reason, message string) *corev1.ContainerStateWaiting {
	if message != "" {
		return &corev1.ContainerStateWaiting{Reason: reason, Message: message}
	}
	w := m.waitingStates[reason]
	if w == nil {
		w = &corev1.ContainerStateWaiting{Reason: reason}
		if m.waitingStates == nil {
			m.waitingStates = map[string]*corev1.ContainerStateWaiting{}
		}
		m.waitingStates[reason] = w
	}
	return w
}

// hasStarted and notStarted are the containers' status.started, shared by every status,
// read only as every stored object is.
var hasStarted, notStarted = true, false

// kubeletCondition tells the conditions the kubelet writes from the others.
func kubeletCondition(t corev1.PodConditionType) bool {
	switch t {
	case corev1.PodReadyToStartContainers, corev1.PodInitialized, corev1.PodReady, corev1.ContainersReady:
		return true
	}
	return false
}

func (r *podRuntime) containerStatus(c *containerRuntime) corev1.ContainerStatus {
	started := &notStarted
	if r.containerStarted(c) { // past its startup probe (probe.go)
		started = &hasStarted
	}
	cs := corev1.ContainerStatus{
		Name:                 c.spec.Name,
		Image:                c.spec.Image,
		RestartCount:         c.restarts,
		Started:              started,
		Ready:                r.containerReady(c),
		LastTerminationState: corev1.ContainerState{Terminated: c.had().last},
	}
	if c.everStarted {
		cs.Image = c.img.name
		cs.ImageID = c.img.id
		cs.ContainerID = c.id
	}
	switch c.state {
	case stateWaiting:
		cs.State.Waiting = r.k.m.waitingState(c.waitingReason, c.had().waitingMsg)
	case stateRunning:
		cs.State.Running = c.running // shared: neither changes it
		if cs.State.Running == nil {
			cs.State.Running = &corev1.ContainerStateRunning{}
		}
	case stateTerminated:
		cs.State.Terminated = r.terminatedState(c)
	}
	return cs
}
