package kubelet

import (
	corev1 "k8s.io/api/core/v1"
)

// Init containers run one after the other, each to completion, before the pod's other
// containers start. They sit at the front of podRuntime.containers, so start-up, kills,
// logs and the network treat them like any container; what differs is decided here:
//
//   - a regular init container that exits 0 lets the next container start; one that fails
//     is restarted with back-off unless the pod's restartPolicy is Never, which fails the
//     pod (STATUS Init:Error, Init:CrashLoopBackOff while backing off);
//   - a sidecar (restartPolicy Always on the init container) lets the next one start as
//     soon as it runs, is restarted whenever it ends, and is stopped once the pod's other
//     containers are done for good.
//
// Until the first app container starts, every container waits with reason PodInitializing
// and the Initialized condition lists the init containers not done yet.

// addInitContainers puts the pod's init containers before its containers.
func (r *podRuntime) addInitContainers() {
	if len(r.pod.Spec.InitContainers) == 0 {
		return
	}
	inits := make([]*containerRuntime, 0, len(r.pod.Spec.InitContainers)+len(r.containers))
	for i := range r.pod.Spec.InitContainers {
		spec := &r.pod.Spec.InitContainers[i]
		c := &containerRuntime{spec: spec, img: r.k.m.imageFor(spec.Image), state: stateWaiting, waitingReason: "PodInitializing", init: true}
		c.sidecar = spec.RestartPolicy != nil && *spec.RestartPolicy == corev1.ContainerRestartPolicyAlways
		inits = append(inits, c)
	}
	for _, c := range r.containers {
		c.waitingReason = "PodInitializing"
	}
	r.containers = append(inits, r.containers...)
}

// next starts the container after container i during start-up (chain), unless i is an
// init container that has to complete first, or a sidecar that is not running yet. A
// sidecar that starts late (after a config error or a back-off) moves start-up on then.
func (r *podRuntime) next(i int, chain bool) {
	if i+1 >= len(r.containers) {
		return
	}
	c, n := r.containers[i], r.containers[i+1]
	switch {
	case c.init && !c.sidecar:
		return
	case c.sidecar && c.state != stateRunning:
		return
	case !chain && !(c.sidecar && !n.everStarted && n.waitingReason == "PodInitializing"):
		return
	}
	r.pull(i+1, true)
}

// initExited acts on the end of an init container.
func (r *podRuntime) initExited(c *containerRuntime) {
	i := 0
	for j, o := range r.containers {
		if o == c {
			i = j
		}
	}
	switch {
	case r.terminal || r.killing:
		r.writeStatus()
	case c.sidecar:
		r.writeStatus()
		r.restartAfterBackOff(c)
	case c.exitCode == 0 && c.had().termReason == "":
		r.writeStatus()
		if i+1 < len(r.containers) {
			r.pull(i+1, true)
		}
	case r.effectiveRestartPolicy() == corev1.RestartPolicyNever:
		r.finished()
		r.stopSidecars()
		r.writeStatus()
	default:
		r.writeStatus()
		r.restartAfterBackOff(c)
	}
}

// stopSidecars stops the running sidecars of a pod whose other containers are done for
// good: SIGTERM, and a sidecar that ignores it is killed at once (kubetab does not wait
// out its grace period). The pod must already be terminal, so that they are not restarted.
func (r *podRuntime) stopSidecars() {
	for _, c := range r.containers {
		if !c.sidecar || c.state != stateRunning || c.program == nil {
			continue
		}
		r.containerEvent(c, corev1.EventTypeNormal, "Killing", r.words(c).stopping)
		c.program.Signal(r.now(), SIGTERM)
		r.runProgram(c)
		if c.state == stateRunning {
			c.program.Run(r.now())
			r.exited(c, 137)
		}
	}
}

// initialized tells whether the pod's initialization is over (an app container has
// started) and otherwise which init containers are not done.
func (r *podRuntime) initialized() (bool, []string) {
	var pending []string
	for _, c := range r.containers {
		switch {
		case !c.init:
			if c.everStarted {
				return true, nil
			}
		case c.sidecar:
			if c.state != stateRunning {
				pending = append(pending, c.spec.Name)
			}
		case c.state != stateTerminated || c.exitCode != 0 || c.had().termReason != "":
			pending = append(pending, c.spec.Name)
		}
	}
	return len(pending) == 0, pending
}
