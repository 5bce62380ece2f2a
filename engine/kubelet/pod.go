package kubelet

import (
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/clock"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// podRuntime is what one kubelet knows of a pod it runs: its sandbox, its containers and
// the next step it will take.
//
// Every pod the kubelets run keeps one: fields are ordered to pack, and what can be
// derived from the pod (its key, its hostname) is not kept.
type podRuntime struct {
	k *Kubelet
	// pod is the version the store holds now (onPod follows it): only what no update
	// changes is read from it (its namespace, name and uid, the spec's immutable fields),
	// and the kubelet keeps no version the store has dropped alive.
	pod *corev1.Pod
	// admittedRV is the resourceVersion of the version admitted: the runtime is the pod
	// as its events name it (Involved, as the pod manager's copy, which status writes
	// leave), with the namespace, name and uid of pod.
	admittedRV string

	ip string
	// admitted is when the pod was admitted: its status.startTime, which the status shares
	// (neither ever changes it).
	admitted *metav1.Time
	// sandboxAfter is how long after admitted the sandbox was set up, plus one nanosecond: 0
	// means no sandbox (sandboxAt).
	sandboxAfter time.Duration

	containers []*containerRuntime // init containers first (initcontainers.go), then the others
	volumes    []namedVolume       // made when first mounted, shared by the containers (volumes.go)
	// step is the kubelet's next action (a sandbox, a pull, a restart, the end of a kill).
	step *clock.Timer
	// seldom is what few pods need, made when first needed (more).
	seldom *podSeldom

	// tokenIssued is when the pod's service account token was issued (token.go), in Unix
	// seconds plus one: 0 means not yet.
	tokenIssued int64

	ipOffset uint16 // in the node's pod CIDR, 0 for none (at most 65534: allocateIP)
	// dirty: the status changed while the kubelet could not report it.
	dirty    bool
	killing  bool
	terminal bool // Succeeded or Failed: nothing more will run
	gone     bool
}

// podSeldom is the part of a pod's runtime few pods need: every pod would otherwise keep
// room for it.
type podSeldom struct {
	// stalled holds actions that came due while the kubelet was stopped.
	stalled []func()
	// pullBackOffs: the image pull back-off by image, as the spec names it (pull.go).
	pullBackOffs map[string]*pullBackOff
	// served are the times of the requests the pod served in the last LoadWindow (load.go).
	served []time.Time
	// killDeadline is when a kill sends SIGKILL (killing).
	killDeadline time.Time
	// volumeSync is the periodic sync that brings the volumes up to date after a ConfigMap
	// or Secret change (volumes.go).
	volumeSync *clock.Timer
	// synced: syncedLabels and syncedAnnotations are the pod's labels and annotations as
	// last synced; without it, they are those of the version the runtime follows (follow).
	synced                          bool
	syncedLabels, syncedAnnotations map[string]string
	// jwt is the pod's token as a restored runtime kept it (token.go).
	jwt string
}

// more is the pod's podSeldom, made when first asked for.
func (r *podRuntime) more() *podSeldom {
	if r.seldom == nil {
		r.seldom = &podSeldom{}
	}
	return r.seldom
}

// sandboxAt is when the pod's sandbox was set up; zero if it has none.
func (r *podRuntime) sandboxAt() time.Time {
	if r.sandboxAfter == 0 {
		return time.Time{}
	}
	return r.startTime().Add(r.sandboxAfter - 1)
}

// setSandboxAt records when the pod's sandbox was set up (zero: it has none).
func (r *podRuntime) setSandboxAt(t time.Time) {
	r.sandboxAfter = 0
	if !t.IsZero() {
		r.sandboxAfter = t.Sub(r.startTime()) + 1
	}
}

// startTime is when the pod was admitted.
func (r *podRuntime) startTime() time.Time { return r.admitted.Time }

// stall keeps fn for when the stopped kubelet is resumed.
func (r *podRuntime) stall(fn func()) {
	x := r.more()
	x.stalled = append(x.stalled, fn)
}

// key is the pod's "namespace/name", its key in Manager.pods.
func (r *podRuntime) key() string { return podKey(r.pod.Namespace, r.pod.Name) }

// hostname is the pod's hostname: its name unless spec.hostname says otherwise.
func (r *podRuntime) hostname() string {
	if h := r.pod.Spec.Hostname; h != "" {
		return h
	}
	return r.pod.Name
}

type containerState uint8

const (
	stateWaiting containerState = iota
	stateRunning
	stateTerminated
)

// containerRuntime is one container of a pod: its instance's state and its logs. Every
// container the kubelets run keeps one: fields are ordered to pack (160 bytes), and what
// only a container that failed, waited with a message or restarted has is kept apart
// (containerSeldom).
type containerRuntime struct {
	spec *corev1.Container
	img  *containerImage

	waitingReason string
	id            string
	// running is when the current instance started (nil: none has), as the status's
	// running state shows it: the status shares it, and neither changes it.
	running *corev1.ContainerStateRunning
	// finished is when the last instance that ended did (nil: none has): a running
	// container keeps no time for it.
	finished *time.Time

	program Program
	wake    *clock.Timer

	logs []logLine

	// health: probe workers, crash-loop back-off and probe kills (probe.go, backoff.go,
	// lifecycle.go); nil until needed (healthState).
	health *containerHealth

	env map[string]string // the current instance's environment (env.go)
	fs  *sh.FS            // its filesystem, made when first needed (shell.go)
	// seldom is made when first needed (more).
	seldom *containerSeldom

	exitCode    int32
	restarts    int32
	state       containerState
	everStarted bool
	simulated   bool // announced with a Simulated event
	// init: an init container; sidecar: one with restartPolicy Always (initcontainers.go).
	init, sidecar bool
	// muted: the program is being run up to the instant it had reached when its kubelet
	// restarted (restart.go), and what it writes is in the log already.
	muted bool
}

// startedAt is when the current instance started (zero: none has).
func (c *containerRuntime) startedAt() time.Time {
	if c.running == nil {
		return time.Time{}
	}
	return c.running.StartedAt.Time
}

// setStartedAt records when the current instance started.
func (c *containerRuntime) setStartedAt(t time.Time) {
	c.running = nil
	if !t.IsZero() {
		c.running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(t)}
	}
}

// finishedAt is when the last instance that ended did (zero: none has).
func (c *containerRuntime) finishedAt() time.Time {
	if c.finished == nil {
		return time.Time{}
	}
	return *c.finished
}

// setFinishedAt records when the last instance ended.
func (c *containerRuntime) setFinishedAt(t time.Time) {
	c.finished = nil
	if !t.IsZero() {
		c.finished = &t
	}
}

// containerSeldom is the part of a container's runtime that only some containers need.
type containerSeldom struct {
	// waitingMsg is the message of the waiting reason (ErrImagePull's, say).
	waitingMsg string
	// last is the previous instance's end and previous its log (lastState, logs
	// --previous).
	last     *corev1.ContainerStateTerminated
	previous []logLine
	// termReason and termMessage are the runtime's words for an instance that ended
	// otherwise than by exiting (StartError); none means Completed or Error.
	termReason, termMessage string
	logsDropped             int // lines trimmed from logs by MaxLogLines
}

// more is the container's containerSeldom, made when first asked for.
func (c *containerRuntime) more() *containerSeldom {
	if c.seldom == nil {
		c.seldom = &containerSeldom{}
	}
	return c.seldom
}

// had is the container's containerSeldom as it is: its zero value when it has none.
func (c *containerRuntime) had() *containerSeldom {
	if c.seldom == nil {
		return &noSeldom
	}
	return c.seldom
}

// noSeldom is what a container without a containerSeldom has: never written.
var noSeldom containerSeldom

// setWaiting puts the container in state waiting for reason, with message.
func (c *containerRuntime) setWaiting(reason, message string) {
	c.state = stateWaiting
	c.setWaitingReason(reason, message)
}

// setWaitingReason sets the reason and message of the waiting state ("" for none).
func (c *containerRuntime) setWaitingReason(reason, message string) {
	c.waitingReason = reason
	if message != "" || c.seldom != nil {
		c.more().waitingMsg = message
	}
}

// setLast makes the instance that ended the previous one: its end is lastState, its log
// the one --previous shows.
func (c *containerRuntime) setLast(last *corev1.ContainerStateTerminated) {
	x := c.more()
	x.last, x.previous = last, c.logs
}

// setTermination records the runtime's words for the instance's end ("" for none).
func (c *containerRuntime) setTermination(reason, message string) {
	if reason != "" || message != "" || c.seldom != nil {
		x := c.more()
		x.termReason, x.termMessage = reason, message
	}
}

// LogLine is one line of a container's output with the virtual instant it was written.
type LogLine struct {
	Time time.Time
	Text string
}

// logLine is a LogLine as a container's log keeps it (up to MaxLogLines of them): the
// instant as Unix seconds and nanoseconds, 32 bytes a line where a time.Time makes 48.
// Virtual time is UTC, which the instant comes back in.
type logLine struct {
	sec  int64
	text string
	nsec int32
}

// logLines are the lines of a kept log.
func logLines(kept []logLine) []LogLine {
	if len(kept) == 0 {
		return nil
	}
	lines := make([]LogLine, len(kept))
	for i, l := range kept {
		lines[i] = LogLine{Time: time.Unix(l.sec, int64(l.nsec)).UTC(), Text: l.text}
	}
	return lines
}

// keptLines is a log as kept.
func keptLines(lines []LogLine) []logLine {
	if lines == nil {
		return nil
	}
	kept := make([]logLine, len(lines))
	for i, l := range lines {
		kept[i] = logLine{sec: l.Time.Unix(), nsec: int32(l.Time.Nanosecond()), text: l.Text}
	}
	return kept
}

func (c *containerRuntime) log(at time.Time, text string) {
	if c.muted {
		return
	}
	if len(c.logs) >= MaxLogLines {
		c.more().logsDropped += len(c.logs) - MaxLogLines + 1
		n := copy(c.logs, c.logs[len(c.logs)-MaxLogLines+1:])
		c.logs = c.logs[:n]
	}
	c.logs = append(c.logs, logLine{sec: at.Unix(), nsec: int32(at.Nanosecond()), text: text})
}

// admit takes a pod bound to this node, whose key is key: it reports ContainerCreating and
// sets up the sandbox.
func (k *Kubelet) admit(pod *corev1.Pod, key string) {
	m := k.m
	r := k.newPodRuntime(pod)
	r.carriedOver() // restart.go
	m.pods[key] = r
	r.addProbeWorkers()
	// The volumes come first (WaitForAttachAndMount): a ConfigMap or Secret a volume needs
	// and cannot have leaves the pod ContainerCreating, without a sandbox, until it can.
	if !r.mountVolumes() {
		r.writeStatus()
		r.schedule(m.c.Now().Add(mountRetryInitial), "mount", func() { r.retryMount(mountRetryInitial) })
		return
	}
	r.startSandbox()
}

// newPodRuntime is the runtime of a pod the kubelet takes, its containers waiting.
func (k *Kubelet) newPodRuntime(pod *corev1.Pod) *podRuntime {
	// The pod is the stored version, which nobody mutates: the runtime reads the spec it
	// runs from it, without a copy.
	r := &podRuntime{k: k, pod: pod,
		admittedRV: pod.ResourceVersion,
		admitted:   &metav1.Time{Time: k.m.c.Now()}}
	for i := range r.pod.Spec.Containers {
		spec := &r.pod.Spec.Containers[i]
		c := &containerRuntime{spec: spec, img: r.k.m.imageFor(spec.Image), state: stateWaiting, waitingReason: "ContainerCreating"}
		r.containers = append(r.containers, c)
	}
	r.addInitContainers()
	return r
}

// startSandbox sets up the pod's sandbox and address, in the same status write as
// ContainerCreating at admission (one write less per pod keeps 10,000 pods cheap); the
// image pull starts once the sandbox would be up.
func (r *podRuntime) startSandbox() {
	m, k := r.k.m, r.k
	if !r.setUpSandbox() {
		r.writeStatus()
		r.schedule(m.c.Now().Add(10*time.Second), "sandbox", r.retrySandbox)
		return
	}
	r.writeStatus()
	if len(r.containers) > 0 {
		r.schedule(m.c.Now().Add(k.randMillis(400, 1200)), "sandbox", func() { r.pull(0, true) })
	}
}

// schedule sets the pod's next kubelet step; a step due while the kubelet is down waits.
func (r *podRuntime) schedule(at time.Time, what string, fn func()) {
	c := r.k.m.c
	if r.step.Pending() {
		c.Clock.Stop(r.step)
	}
	r.step = c.Clock.At(at, r.timerLabel(what, "", ""), func() {
		// This is r.step (a step replaced is stopped): a timer that fired is not kept,
		// nor its label and function.
		r.step = nil
		if r.gone {
			return
		}
		if r.k.stopped {
			r.stall(fn)
			return
		}
		fn()
	})
}

func (r *podRuntime) now() time.Time { return r.k.m.c.Now() }

// PodRef is a pod as its kubelet admitted it: what the kubelet's events name (the pod
// manager's copy, whose resourceVersion status writes do not change) and what a program
// knows of its pod.
type PodRef struct {
	Namespace, Name string
	UID             types.UID
	ResourceVersion string
}

// The runtime is the pod its events name (events.Involved).
func (r *podRuntime) GetNamespace() string             { return r.pod.Namespace }
func (r *podRuntime) GetName() string                  { return r.pod.Name }
func (r *podRuntime) GetUID() types.UID                { return r.pod.UID }
func (r *podRuntime) GetResourceVersion() string       { return r.admittedRV }
func (r *podRuntime) GetObjectKind() schema.ObjectKind { return &podTypeMeta }

// ref is the pod as admitted.
func (r *podRuntime) ref() *PodRef {
	return &PodRef{Namespace: r.pod.Namespace, Name: r.pod.Name, UID: r.pod.UID, ResourceVersion: r.admittedRV}
}

func (p *PodRef) GetNamespace() string             { return p.Namespace }
func (p *PodRef) GetName() string                  { return p.Name }
func (p *PodRef) GetUID() types.UID                { return p.UID }
func (p *PodRef) GetResourceVersion() string       { return p.ResourceVersion }
func (p *PodRef) GetObjectKind() schema.ObjectKind { return &podTypeMeta }

// podTypeMeta is the kind events name for a pod, shared by all of them.
var podTypeMeta = metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"}

// setUpSandbox gives the pod its address (the node's, for hostNetwork pods).
func (r *podRuntime) setUpSandbox() bool {
	ip := ""
	if r.pod.Spec.HostNetwork {
		ip = r.k.hostIP()
	} else if a, off, ok := r.k.allocateIP(); ok {
		ip, r.ipOffset = a, uint16(off)
	} else {
		r.k.rec.Eventf(r, corev1.EventTypeWarning, "FailedCreatePodSandBox", "Failed to create pod sandbox: %s", "failed to allocate an IP address: no addresses left in range "+r.k.cidr.String())
		return false
	}
	r.ip = ip
	r.k.setPodAt(r)
	r.setSandboxAt(r.now())
	return true
}

func (r *podRuntime) retrySandbox() {
	if !r.setUpSandbox() {
		r.schedule(r.now().Add(10*time.Second), "sandbox", r.retrySandbox)
		return
	}
	r.writeStatus()
	if len(r.containers) > 0 {
		r.pull(0, true)
	}
}

// fieldPath is the container's path in the pod (spec.containers{NAME}), which its events
// name.
func (r *podRuntime) fieldPath(c *containerRuntime) string { return r.words(c).fieldPath }

// containerWords are the strings the events about a container of some name say, made once
// per name: the events of every pod share them (the recorder keeps the strings it is given).
type containerWords struct {
	fieldPath                  string
	created, started, stopping string
	// unready is the Ready condition's message when this container alone is not ready.
	unready string
}

type containerWordsKey struct {
	name string
	init bool
}

// words are container c's containerWords.
func (r *podRuntime) words(c *containerRuntime) *containerWords {
	m := r.k.m
	key := containerWordsKey{c.spec.Name, c.init}
	w := m.containerWords[key]
	if w == nil {
		name := c.spec.Name
		w = &containerWords{fieldPath: "spec.containers{" + name + "}", created: "Created container: " + name,
			started: "Started container " + name, stopping: "Stopping container " + name,
			unready: "containers with unready status: [" + name + "]"}
		if c.init {
			w.fieldPath = "spec.initContainers{" + name + "}"
		}
		if m.containerWords == nil {
			m.containerWords = map[containerWordsKey]*containerWords{}
		}
		m.containerWords[key] = w
	}
	return w
}

// containerEvent records an event about container c whose message is one of the shared
// strings (words, containerImage), passed as it is.
func (r *podRuntime) containerEvent(c *containerRuntime, eventType, reason, message string) {
	r.k.rec.ContainerEvent(r, r.fieldPath(c), eventType, reason, message)
}

// pull ensures container i's image is on the node, then creates and starts it; chain moves
// on to the next container afterwards (start-up runs containers one after the other).
// Images that cannot be parsed or pulled leave the container waiting (pull.go).
func (r *podRuntime) pull(i int, chain bool) {
	k, c := r.k, r.containers[i]
	verdict := k.m.verdictFor(c)
	if msg := verdict.invalid; msg != "" {
		k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "InspectFailed", "%s", msg)
		r.failBeforePull(i, chain, "InvalidImageName", msg)
		return
	}
	ref := c.img.name
	present := k.images[ref]
	policy := c.spec.ImagePullPolicy
	if policy == "" {
		policy = corev1.PullIfNotPresent
		if c.img.ref.Tag == "latest" && c.img.ref.Digest == "" {
			policy = corev1.PullAlways
		}
	}
	now := r.now()
	switch {
	case policy == corev1.PullNever && !present:
		msg := fmt.Sprintf("Container image %q is not present with pull policy of Never", c.spec.Image)
		k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "ErrImageNeverPull", "%s", msg)
		r.failBeforePull(i, chain, "ErrImageNeverPull", msg)
		return
	case policy != corev1.PullAlways && present:
		r.containerEvent(c, corev1.EventTypeNormal, "Pulled", c.img.present)
		r.start(i, nil, chain)
		return
	}
	if b := r.pullBackOffFor(c); b.inBackOff(now) {
		r.backOffPull(i, chain, b)
		return
	}
	r.containerEvent(c, corev1.EventTypeNormal, "Pulling", c.img.pulling)
	failure := verdict.failure
	var d time.Duration
	switch {
	case present || failure != "":
		// Always with the layers cached, or a reference the registry does not resolve:
		// only the manifest is asked for.
		d = k.randMillis(300, 1000)
	default:
		// About 120 MB/s plus a little latency.
		d = time.Duration(c.img.size/120_000)*time.Millisecond + k.randMillis(500, 2000)
	}
	begin := now
	if k.pullFreeAt.After(begin) {
		begin = k.pullFreeAt
	}
	k.pullFreeAt = begin.Add(d)
	if failure != "" {
		r.schedule(k.pullFreeAt, "pull", func() { r.pullFailed(i, chain, failure) })
		return
	}
	// The pull's times live only until it ends, not in every container's runtime.
	pulled := imagePull{requested: now, started: begin}
	r.schedule(k.pullFreeAt, "pull", func() {
		p := pulled // a copy, so that the closure holds the times (one allocation, not two)
		r.start(i, &p, chain)
	})
}

// imagePull is when a pull was asked for and when it started (after the node's earlier
// pulls): the Pulled event's "in" and "including waiting".
type imagePull struct{ requested, started time.Time }

// start creates and starts container i (after its image was pulled if pulled is set).
func (r *podRuntime) start(i int, pulled *imagePull, chain bool) {
	k, c := r.k, r.containers[i]
	now := r.now()
	if pulled != nil {
		k.images[c.img.name] = true
		// "Successfully pulled image %q in %v (%v including waiting). Image size: %d bytes.",
		// made without fmt: every pod that pulls says it.
		r.containerEvent(c, corev1.EventTypeNormal, "Pulled", "Successfully pulled image "+strconv.Quote(c.spec.Image)+
			" in "+now.Sub(pulled.started).Truncate(time.Millisecond).String()+
			" ("+now.Sub(pulled.requested).Truncate(time.Millisecond).String()+" including waiting). Image size: "+
			strconv.FormatInt(c.img.size, 10)+" bytes.")
	}
	if !r.configure(i) {
		r.next(i, chain)
		return
	}
	argv := resolveArgv(c.img.image, c.spec, c.env)
	r.containerEvent(c, corev1.EventTypeNormal, "Created", r.words(c).created)
	c.logs, c.fs = nil, nil
	if x := c.seldom; x != nil {
		x.logsDropped, x.termReason, x.termMessage = 0, "", ""
	}
	if hasSubPathMounts(c) {
		r.containerFS(c)
	}
	if msg := r.startError(c, argv); msg != "" {
		r.failStart(c, msg)
		r.next(i, chain)
		return
	}
	r.containerEvent(c, corev1.EventTypeNormal, "Started", r.words(c).started)
	c.state = stateRunning
	c.setWaitingReason("", "")
	c.id = containerID(k.rand)
	c.setStartedAt(now)
	c.everStarted = true
	c.program = r.newProgram(c, r.newContainer(c, argv))
	r.next(i, chain)
	r.runProgram(c)
	r.probesOnStart(c)
	if !r.killing && !r.terminal {
		r.writeStatus()
	}
}

// runProgram advances a running container's program to now and acts on its exit.
func (r *podRuntime) runProgram(c *containerRuntime) {
	if c.state != stateRunning || c.program == nil {
		return
	}
	clk := r.k.m.c.Clock
	res := c.program.Run(r.now())
	if c.wake.Pending() {
		// A read that catches a program up (logs, curl, a probe) usually leaves its wake-up
		// where it was: keep that timer, so reading does not reorder what is due.
		if !res.Exited && res.WakeAt.Equal(c.wake.At) {
			return
		}
		clk.Stop(c.wake)
		c.wake = nil
	}
	if res.Exited {
		r.exited(c, int32(res.ExitCode))
		return
	}
	if !res.WakeAt.IsZero() {
		// The container runs on whether the kubelet is up or not.
		c.wake = clk.At(res.WakeAt, r.timerLabel("container", c.spec.Name, ""), func() {
			c.wake = nil // as r.step's (schedule)
			if !r.gone {
				r.runProgram(c)
			}
		})
	}
}

func (r *podRuntime) exited(c *containerRuntime, code int32) {
	c.state = stateTerminated
	c.exitCode = code
	c.setFinishedAt(r.now())
	c.program = nil
	if c.wake.Pending() {
		r.k.m.c.Clock.Stop(c.wake)
	}
	if r.killing {
		r.maybeFinishKill()
		return
	}
	if r.k.stopped {
		r.dirty = true
		r.stall(func() { r.afterExit(c) })
		return
	}
	r.afterExit(c)
}

// afterExit applies the restart policy to a container that ended by itself.
func (r *podRuntime) afterExit(c *containerRuntime) {
	if c.init {
		r.initExited(c)
		return
	}
	policy := r.pod.Spec.RestartPolicy
	if policy == "" {
		policy = corev1.RestartPolicyAlways
	}
	if policy == corev1.RestartPolicyAlways || (policy == corev1.RestartPolicyOnFailure && c.exitCode != 0) {
		r.writeStatus()
		r.restartAfterBackOff(c)
		return
	}
	for _, o := range r.containers {
		if o.state != stateTerminated && !o.sidecar {
			r.writeStatus()
			return
		}
	}
	r.finished()
	r.stopSidecars()
	r.writeStatus()
}

// kill stops the pod's containers for a graceful deletion: SIGTERM, then SIGKILL when the
// grace period ends; a shorter grace period from a second delete brings the end forward.
func (r *podRuntime) kill(pod *corev1.Pod) {
	grace := time.Duration(corev1.DefaultTerminationGracePeriodSeconds) * time.Second
	if g := pod.DeletionGracePeriodSeconds; g != nil {
		grace = time.Duration(*g) * time.Second
	}
	grace = max(grace, minimumGracePeriod)
	deadline := r.now().Add(grace)
	if r.killing {
		if x := r.more(); deadline.Before(x.killDeadline) {
			x.killDeadline = deadline
			r.schedule(deadline, "kill", r.sigkill)
		}
		return
	}
	r.killing = true
	r.more().killDeadline = deadline
	if r.step.Pending() {
		r.k.m.c.Clock.Stop(r.step)
	}
	for _, c := range r.containers {
		if c.state != stateRunning {
			continue
		}
		r.containerEvent(c, corev1.EventTypeNormal, "Killing", r.words(c).stopping)
		c.program.Signal(r.now(), SIGTERM)
		r.runProgram(c)
	}
	if !r.maybeFinishKill() {
		r.schedule(deadline, "kill", r.sigkill)
	}
}

func (r *podRuntime) sigkill() {
	for _, c := range r.containers {
		if c.state == stateRunning {
			c.program.Run(r.now()) // flush output up to the kill
			r.exited(c, 137)
		}
	}
}

// maybeFinishKill ends a kill once no container runs: final status, then the kubelet's
// delete with grace 0, which removes the pod.
func (r *podRuntime) maybeFinishKill() bool {
	for _, c := range r.containers {
		if c.state == stateRunning {
			return false
		}
	}
	if r.k.stopped {
		r.dirty = true
		r.stall(func() { r.maybeFinishKill() })
		return true
	}
	if r.step.Pending() {
		r.k.m.c.Clock.Stop(r.step)
	}
	r.finished()
	r.writeStatus()
	pod, err := r.currentPod()
	if err == nil {
		_ = r.k.m.confirmDeletion(pod)
	}
	r.forget()
	return true
}

// forget drops the pod: timers stop, the IP is free again.
func (r *podRuntime) forget() {
	if r.gone {
		return
	}
	r.gone = true
	m := r.k.m
	if r.step.Pending() {
		m.c.Clock.Stop(r.step)
	}
	if x := r.seldom; x != nil && x.volumeSync.Pending() {
		m.c.Clock.Stop(x.volumeSync)
	}
	for _, c := range r.containers {
		if c.wake.Pending() {
			m.c.Clock.Stop(c.wake)
		}
	}
	r.releaseIP()
	if key := r.key(); m.pods[key] == r {
		delete(m.pods, key)
	}
}

// finished marks a pod whose containers are done for good (Succeeded or Failed): its
// sandbox goes, and with it the pod's address, which the next pod on the node may get (the
// status keeps showing it, as a real pod's does). The runtime stays for the logs.
func (r *podRuntime) finished() {
	r.terminal = true
	r.releaseIP()
}

// releaseIP gives the pod's address back to the node's range.
func (r *podRuntime) releaseIP() {
	r.k.clearPodAt(r)
	if r.ipOffset != 0 {
		r.k.ipUsed.remove(uint32(r.ipOffset))
		r.ipOffset = 0
	}
}

// resume runs what the kubelet missed while it was stopped.
func (r *podRuntime) resume() {
	var stalled []func()
	if x := r.seldom; x != nil {
		stalled, x.stalled = x.stalled, nil
	}
	for _, fn := range stalled {
		if r.gone {
			return
		}
		fn()
	}
	if r.gone {
		return
	}
	// Report everything again: the node controller marked the pod not ready meanwhile.
	r.dirty = false
	r.writeStatus()
}

func (r *podRuntime) currentPod() (*corev1.Pod, error) {
	ns, name := r.pod.Namespace, r.pod.Name
	obj, err := r.k.m.c.Store.Get(podsResource, ns, name)
	if err != nil {
		return nil, err
	}
	pod := obj.(*corev1.Pod)
	if pod.UID != r.pod.UID {
		return nil, apierrors.NewNotFound(podsResource.GroupResource(), name)
	}
	return pod, nil
}

func (r *podRuntime) terminatedState(c *containerRuntime) *corev1.ContainerStateTerminated {
	reason := "Completed"
	if c.exitCode != 0 {
		reason = "Error"
	}
	x := c.had()
	if x.termReason != "" {
		reason = x.termReason
	}
	return &corev1.ContainerStateTerminated{
		ExitCode: c.exitCode, Reason: reason, Message: x.termMessage,
		StartedAt: metav1.NewTime(c.startedAt()), FinishedAt: metav1.NewTime(c.finishedAt()),
		ContainerID: c.id,
	}
}
