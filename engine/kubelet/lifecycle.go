package kubelet

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// effectiveRestartPolicy is the pod's restartPolicy, Always when unset.
func (r *podRuntime) effectiveRestartPolicy() corev1.RestartPolicy {
	if p := r.pod.Spec.RestartPolicy; p != "" {
		return p
	}
	return corev1.RestartPolicyAlways
}

// killForProbe stops a container that failed its liveness or startup probe, as the sync
// after the failure does (computePodActions, then killContainer): a Killing event, SIGTERM,
// and SIGKILL when the grace period ends. When the container is gone, afterExit applies
// the restart policy; the restart is part of the same sync (backoff.go).
func (r *podRuntime) killForProbe(c *containerRuntime, w *probeWorker) {
	if r.killing || r.terminal || r.gone || r.k.stopped || c.state != stateRunning || c.program == nil {
		return
	}
	h := c.healthState()
	if h.probeKillTimer.Pending() && h.probeKillTarget == c.id {
		return // already being killed
	}
	msg := fmt.Sprintf("Container %s failed %s probe", c.spec.Name, strings.ToLower(w.kind.String()))
	if r.effectiveRestartPolicy() != corev1.RestartPolicyNever {
		msg += ", will be restarted"
	}
	r.k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeNormal, "Killing", "%s", msg)

	grace := r.probeKillGrace(w)
	id := c.id
	h.killedByProbe = true
	h.probeKillTarget = id
	now := r.now()
	clk := r.k.m.c.Clock
	h.probeKillTimer = clk.At(now.Add(grace), r.timerLabel("kill", c.spec.Name, ""), func() {
		if r.gone || c.id != id || c.state != stateRunning {
			return
		}
		c.program.Run(r.now()) // output up to the kill
		r.exited(c, 137)
	})
	c.program.Signal(now, SIGTERM)
	r.runProgram(c)
	if c.state != stateRunning || c.id != id {
		// It stopped on SIGTERM (and may already be running again).
		if h.probeKillTarget == id && h.probeKillTimer.Pending() {
			clk.Stop(h.probeKillTimer)
		}
	}
}

// probeKillGrace is setTerminationGracePeriod for a probe kill: the pod's deletion grace
// period if it is being deleted, else the probe's own terminationGracePeriodSeconds,
// else the pod's; never less than minimumGracePeriod.
func (r *podRuntime) probeKillGrace(w *probeWorker) time.Duration {
	secs := int64(corev1.DefaultTerminationGracePeriodSeconds)
	switch {
	case r.pod.DeletionGracePeriodSeconds != nil:
		secs = *r.pod.DeletionGracePeriodSeconds
	case w.spec.TerminationGracePeriodSeconds != nil:
		secs = *w.spec.TerminationGracePeriodSeconds
	case r.pod.Spec.TerminationGracePeriodSeconds != nil:
		secs = *r.pod.Spec.TerminationGracePeriodSeconds
	}
	return max(time.Duration(secs)*time.Second, minimumGracePeriod)
}
