package kubelet

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Restart back-off, as the kubelet's doBackOff (pkg/kubelet/kuberuntime) over client-go's
// flowcontrol.Backoff with the kubelet's settings (10 s initial, 300 s cap, no jitter):
//
//   - A sync that wants to start a container looks at the latest exited instance in the
//     pod status it began with. None: start. Otherwise, if the container's back-off entry
//     says it is still backing off since that instance finished, the start is refused:
//     Warning BackOff, and the container waits with reason CrashLoopBackOff. Else the
//     entry moves on (created at 10 s, then doubled up to 300 s; re-created when the last
//     update is more than 600 s before the exit, i.e. after ten quiet minutes) and the
//     container starts.
//   - So a crash-looping container restarts at once the first time, then 10 s, 20 s,
//     40 s, ... after each exit.
//   - A liveness kill and the restart happen in the same sync, whose pod status was taken
//     before the kill: the back-off is measured from the exit of the instance before, so
//     a container killed every ~100 s restarts at once until the entry grows past that.
//   - An exit on its own is seen by the PLEG relist about a second later; while backing
//     off, the pod worker retries every 10 s (syncs emit BackOff each time, which the
//     event recorder counts) and at the instant the back-off ends.

const (
	initialBackOff = 10 * time.Second
	maxBackOff     = 300 * time.Second
	// backOffRetry is how often the pod worker syncs a pod whose start was refused.
	backOffRetry = 10 * time.Second
	// plegRelist is how long the kubelet takes to notice that a container ended.
	plegRelist = time.Second
)

// inBackOffSince is flowcontrol.Backoff.IsInBackOffSince.
func (h *containerHealth) inBackOffSince(finished, now time.Time) bool {
	if !h.hasBackOff || finished.Sub(h.backOffUpdated) > 2*maxBackOff {
		return false
	}
	return now.Sub(finished) < h.backOff
}

// nextBackOff is flowcontrol.Backoff.Next.
func (h *containerHealth) nextBackOff(finished, now time.Time) {
	if !h.hasBackOff || finished.Sub(h.backOffUpdated) > 2*maxBackOff {
		h.hasBackOff = true
		h.backOff = initialBackOff
	} else {
		h.backOff = min(2*h.backOff, maxBackOff)
	}
	h.backOffUpdated = now
}

// restartAfterBackOff restarts a container that ended (afterExit decided it restarts).
func (r *podRuntime) restartAfterBackOff(c *containerRuntime) {
	h := c.healthState()
	if h.killedByProbe {
		h.killedByProbe = false
		r.syncContainerStart(c, h.previousFinish, h.hasPrevious)
		return
	}
	r.scheduleContainerSync(c, r.now().Add(plegRelist))
}

// scheduleContainerSync plans the pod worker's next attempt to start c.
func (r *podRuntime) scheduleContainerSync(c *containerRuntime, at time.Time) {
	h := c.healthState()
	clk := r.k.m.c.Clock
	if h.restartTimer.Pending() {
		clk.Stop(h.restartTimer)
	}
	h.restartTimer = clk.At(at, r.timerLabel("restart", c.spec.Name, ""), func() {
		h.restartTimer = nil // as r.step's (schedule)
		if r.gone {
			return
		}
		if r.k.stopped {
			r.stall(func() { r.syncContainerStart(c, c.finishedAt(), true) })
			return
		}
		r.syncContainerStart(c, c.finishedAt(), true)
	})
}

// syncContainerStart is one sync's attempt to start c again; latestExit is the finish of
// the latest exited instance in the status the sync works from (none: hasExit false).
func (r *podRuntime) syncContainerStart(c *containerRuntime, latestExit time.Time, hasExit bool) {
	if r.gone || r.killing || r.terminal || c.state == stateRunning {
		return
	}
	h := c.healthState()
	now := r.now()
	if hasExit && h.inBackOffSince(latestExit, now) {
		podRef := r.podRef()
		r.k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "BackOff", "Back-off restarting failed container %s in pod %s", c.spec.Name, podRef)
		if c.state == stateTerminated {
			c.setLast(r.terminatedState(c))
		}
		c.setWaiting("CrashLoopBackOff", fmt.Sprintf("back-off %v restarting failed container=%s pod=%s", h.backOff, c.spec.Name, podRef))
		r.writeStatus()
		next := now.Add(backOffRetry)
		if end := c.finishedAt().Add(h.backOff); end.After(now) && end.Before(next) {
			next = end
		}
		r.scheduleContainerSync(c, next)
		return
	}
	if hasExit {
		h.nextBackOff(latestExit, now)
	}
	r.restartContainer(c)
}

// restartContainer creates the container's next instance: the finished one becomes
// lastState, the restart count goes up, and the image is pulled per its pull policy
// (again, for Always) before the new instance starts.
func (r *podRuntime) restartContainer(c *containerRuntime) {
	h := c.healthState()
	if h.restartTimer.Pending() {
		r.k.m.c.Clock.Stop(h.restartTimer)
	}
	h.previousFinish, h.hasPrevious = c.finishedAt(), true
	c.setLast(r.terminatedState(c))
	c.restarts++
	c.setWaiting("ContainerCreating", "")
	for i, o := range r.containers {
		if o == c {
			r.pull(i, false)
			return
		}
	}
}
