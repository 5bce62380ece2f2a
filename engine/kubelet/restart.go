package kubelet

import (
	"cmp"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

// RuntimeState is what the nodes' container runtime holds that the API objects do not: the
// containers of each pod (state, ids, start and exit times, restart counts, logs), and each
// node's pulled images. A cluster snapshot keeps it (engine/cluster), so that the kubelets
// of a restored cluster re-adopt the containers, as a restarted kubelet finds the
// containers its runtime kept running.
type RuntimeState struct {
	Nodes []NodeState `json:"nodes,omitempty"`
	Pods  []PodState  `json:"pods,omitempty"`
}

// NodeState is one kubelet's own state.
type NodeState struct {
	Name       string    `json:"name"`
	Stopped    bool      `json:"stopped,omitempty"`
	StoppedAt  time.Time `json:"stoppedAt,omitzero"`
	Images     []string  `json:"images,omitempty"`
	PullFreeAt time.Time `json:"pullFreeAt,omitzero"`
}

// PodState is one pod's sandbox and containers.
type PodState struct {
	Namespace  string           `json:"namespace"`
	Name       string           `json:"name"`
	UID        types.UID        `json:"uid"`
	Node       string           `json:"node"`
	IP         string           `json:"ip,omitempty"`
	IPOffset   uint32           `json:"ipOffset,omitempty"`
	StartTime  time.Time        `json:"startTime"`
	SandboxAt  time.Time        `json:"sandboxAt,omitzero"`
	Token      string           `json:"token,omitempty"`
	Terminal   bool             `json:"terminal,omitempty"`
	Containers []ContainerState `json:"containers"`
}

// ContainerState is one container of a pod as the runtime keeps it.
type ContainerState struct {
	Name          string            `json:"name"`
	State         string            `json:"state"` // waiting, running or terminated
	WaitingReason string            `json:"waitingReason,omitempty"`
	WaitingMsg    string            `json:"waitingMessage,omitempty"`
	ID            string            `json:"id,omitempty"`
	StartedAt     time.Time         `json:"startedAt,omitzero"`
	FinishedAt    time.Time         `json:"finishedAt,omitzero"`
	ExitCode      int32             `json:"exitCode,omitempty"`
	EverStarted   bool              `json:"everStarted,omitempty"`
	Restarts      int32             `json:"restarts,omitempty"`
	Last          *TerminatedState  `json:"last,omitempty"`
	Simulated     bool              `json:"simulated,omitempty"`
	Logs          []LogLine         `json:"logs,omitempty"`
	Previous      []LogLine         `json:"previous,omitempty"`
	LogsDropped   int               `json:"logsDropped,omitempty"`
	TermReason    string            `json:"termReason,omitempty"`
	TermMessage   string            `json:"termMessage,omitempty"`
	Env           map[string]string `json:"env,omitempty"`
	// BackOff is the container's crash-loop back-off entry (backoff.go), if it has one.
	BackOff *BackOffState `json:"backOff,omitempty"`
}

// BackOffState is a container's restart back-off: the flowcontrol.Backoff entry and the
// finish of the instance before the current one.
type BackOffState struct {
	Delay          time.Duration `json:"delay"`
	Updated        time.Time     `json:"updated"`
	PreviousFinish time.Time     `json:"previousFinish,omitzero"`
}

// TerminatedState is a container instance's end (corev1.ContainerStateTerminated with its
// times whole: JSON of metav1.Time keeps seconds only).
type TerminatedState struct {
	ExitCode    int32     `json:"exitCode"`
	Reason      string    `json:"reason,omitempty"`
	Message     string    `json:"message,omitempty"`
	StartedAt   time.Time `json:"startedAt"`
	FinishedAt  time.Time `json:"finishedAt"`
	ContainerID string    `json:"containerID,omitempty"`
}

var stateNames = [...]string{stateWaiting: "waiting", stateRunning: "running", stateTerminated: "terminated"}

// Runtime returns the container runtime's state, in node and pod key order.
func (m *Manager) Runtime() RuntimeState {
	var st RuntimeState
	names := make([]string, 0, len(m.nodes))
	for name := range m.nodes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		k := m.nodes[name]
		ns := NodeState{Name: name, Stopped: k.stopped, StoppedAt: k.stoppedAt, PullFreeAt: k.pullFreeAt}
		for ref, ok := range k.images {
			if ok {
				ns.Images = append(ns.Images, ref)
			}
		}
		slices.Sort(ns.Images)
		st.Nodes = append(st.Nodes, ns)
	}
	keys := make([]string, 0, len(m.pods))
	for key, r := range m.pods {
		if !r.gone {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	for _, key := range keys {
		r := m.pods[key]
		ps := PodState{Namespace: r.pod.Namespace, Name: r.pod.Name, UID: r.pod.UID, Node: r.k.name, IP: r.ip, IPOffset: uint32(r.ipOffset),
			StartTime: r.startTime(), SandboxAt: r.sandboxAt(), Terminal: r.terminal}
		ps.Token = r.token() // the JWT as the pod's volume shows it
		for _, c := range r.containers {
			x := c.had()
			cs := ContainerState{Name: c.spec.Name, State: stateNames[c.state], WaitingReason: c.waitingReason, WaitingMsg: x.waitingMsg,
				ID: c.id, StartedAt: c.startedAt(), FinishedAt: c.finishedAt(), ExitCode: c.exitCode, EverStarted: c.everStarted,
				Restarts: c.restarts, Simulated: c.simulated, Logs: logLines(c.logs), Previous: logLines(x.previous), LogsDropped: x.logsDropped,
				TermReason: x.termReason, TermMessage: x.termMessage, Env: c.env}
			if h := c.health; h != nil && (h.hasBackOff || h.hasPrevious) {
				cs.BackOff = &BackOffState{Delay: h.backOff, Updated: h.backOffUpdated, PreviousFinish: h.previousFinish}
				if !h.hasBackOff {
					cs.BackOff.Delay = 0
				}
			}
			if l := x.last; l != nil {
				cs.Last = &TerminatedState{ExitCode: l.ExitCode, Reason: l.Reason, Message: l.Message, StartedAt: l.StartedAt.Time,
					FinishedAt: l.FinishedAt.Time, ContainerID: l.ContainerID}
			}
			ps.Containers = append(ps.Containers, cs)
		}
		st.Pods = append(st.Pods, ps)
	}
	return st
}

// Restart starts the kubelets of a restored cluster over the container runtime st, before
// the restarted components see the stored objects: each node's kubelet comes up with its
// images and its stopped state, and takes back its pods.
//
//   - A pod done for good keeps its containers' logs and exit states.
//   - A pod whose containers are running, ended for good or waiting in crash-loop
//     back-off is re-adopted: its sandbox and address, its volumes (written again), its
//     containers with their ids, start times, restart counts, back-off entries and logs.
//     Each running container's program is started again with its start time and run
//     silently up to now, which brings a program that only depends on time (sleeps,
//     loops, servers) where it was; the prober's workers start afresh, as a restarted
//     kubelet's do; a container waiting to be restarted gets the first sync's attempt.
//   - Any other pod (starting, pulling, initialising) is admitted again when the kubelet's
//     first sync sees it, as a kubelet that lost track of it would: its containers start
//     again, keeping their restart counts, the last instance's log as --previous.
//
// With restartContainers (the snapshot was written by another engine: an upgrade), every
// pod not done for good is admitted again, its containers restarted (each restart
// counted), as after an upgrade that restarts the node.
func (m *Manager) Restart(st RuntimeState, restartContainers bool) {
	m.c.Store.Each(nodesResource, "", func(o api.Object) bool {
		node := o.(*corev1.Node)
		m.nodes[node.Name] = m.newKubelet(node)
		return true
	})
	for _, ns := range st.Nodes {
		k := m.nodes[ns.Name]
		if k == nil {
			continue
		}
		k.stopped, k.stoppedAt, k.pullFreeAt = ns.Stopped, ns.StoppedAt, ns.PullFreeAt
		for _, ref := range ns.Images {
			k.images[ref] = true
		}
	}
	m.carried = map[types.UID]*PodState{}
	for i := range st.Pods {
		ps := &st.Pods[i]
		k := m.nodes[ps.Node]
		obj := m.c.Store.Lookup(podsResource, ps.Namespace, ps.Name)
		if k == nil || obj == nil {
			continue
		}
		pod := obj.(*corev1.Pod)
		if pod.UID != ps.UID || pod.Spec.NodeName != ps.Node {
			continue
		}
		switch {
		case ps.Terminal:
			r := k.runtimeFor(pod, ps)
			r.terminal = true
			m.pods[r.key()] = r
		case !restartContainers && readoptable(pod, ps):
			k.readopt(pod, ps)
		default:
			m.carried[ps.UID] = ps
		}
	}
}

// runtimeFor builds the runtime of a pod from its saved state, without programs or timers.
func (k *Kubelet) runtimeFor(pod *corev1.Pod, ps *PodState) *podRuntime {
	r := k.newPodRuntime(pod)
	r.admitted = &metav1.Time{Time: ps.StartTime}
	r.setSandboxAt(ps.SandboxAt)
	if ps.Token != "" {
		r.more().jwt = ps.Token
	}
	for _, c := range r.containers {
		i := slices.IndexFunc(ps.Containers, func(cs ContainerState) bool { return cs.Name == c.spec.Name })
		if i < 0 {
			continue
		}
		cs := &ps.Containers[i]
		c.state = containerState(max(0, slices.Index(stateNames[:], cs.State)))
		c.setWaitingReason(cs.WaitingReason, cs.WaitingMsg)
		c.id = cs.ID
		c.setStartedAt(cs.StartedAt)
		c.setFinishedAt(cs.FinishedAt)
		c.exitCode, c.everStarted = cs.ExitCode, cs.EverStarted
		c.restarts, c.simulated, c.logs = cs.Restarts, cs.Simulated, keptLines(cs.Logs)
		if cs.Previous != nil || cs.LogsDropped != 0 {
			x := c.more()
			x.previous, x.logsDropped = keptLines(cs.Previous), cs.LogsDropped
		}
		c.env = cs.Env
		c.setTermination(cs.TermReason, cs.TermMessage)
		if b := cs.BackOff; b != nil {
			h := c.healthState()
			h.hasBackOff, h.backOff, h.backOffUpdated = b.Delay > 0, b.Delay, b.Updated
			h.previousFinish, h.hasPrevious = b.PreviousFinish, !b.PreviousFinish.IsZero()
		}
		if l := cs.Last; l != nil {
			c.more().last = &corev1.ContainerStateTerminated{ExitCode: l.ExitCode, Reason: l.Reason, Message: l.Message,
				StartedAt: metav1.NewTime(l.StartedAt), FinishedAt: metav1.NewTime(l.FinishedAt), ContainerID: l.ContainerID}
		}
	}
	return r
}

// readoptable tells whether a pod's containers are all in a state a restarted kubelet
// takes back as it is: running, ended for good (an init container that completed, a
// container the restart policy does not restart), or ended and waiting to be restarted
// (crash-loop back-off), which the restarted kubelet's first sync restarts when its
// back-off allows. A pod being deleted is killed again.
func readoptable(pod *corev1.Pod, ps *PodState) bool {
	if ps.IP == "" && !pod.Spec.HostNetwork {
		return false
	}
	for _, cs := range ps.Containers {
		switch {
		case cs.State == "running":
		case restartable(pod, &cs):
		case cs.State == "terminated":
			init := slices.ContainsFunc(pod.Spec.InitContainers, func(c corev1.Container) bool {
				return c.Name == cs.Name && (c.RestartPolicy == nil || *c.RestartPolicy != corev1.ContainerRestartPolicyAlways)
			})
			if !init || cs.ExitCode != 0 {
				return false
			}
		default:
			return false
		}
	}
	return len(ps.Containers) == len(pod.Spec.Containers)+len(pod.Spec.InitContainers)
}

// restartable tells whether a container of a regular pod ended and waits for the kubelet
// to restart it: in crash-loop back-off, or terminated under a policy that restarts it.
func restartable(pod *corev1.Pod, cs *ContainerState) bool {
	if !cs.EverStarted || cs.FinishedAt.IsZero() || !slices.ContainsFunc(pod.Spec.Containers, func(c corev1.Container) bool { return c.Name == cs.Name }) {
		return false
	}
	policy := pod.Spec.RestartPolicy
	switch cs.State {
	case "waiting":
		return cs.WaitingReason == "CrashLoopBackOff"
	case "terminated":
		return policy == "" || policy == corev1.RestartPolicyAlways || policy == corev1.RestartPolicyOnFailure && cs.ExitCode != 0
	}
	return false
}

// readopt takes back a running pod (see Restart).
func (k *Kubelet) readopt(pod *corev1.Pod, ps *PodState) {
	m := k.m
	r := k.runtimeFor(pod, ps)
	r.ip, r.ipOffset = ps.IP, uint16(ps.IPOffset)
	if r.ipOffset != 0 {
		k.ipUsed.add(uint32(r.ipOffset))
	}
	k.setPodAt(r)
	m.pods[r.key()] = r
	r.mountVolumes()
	for _, c := range r.containers {
		if c.state != stateRunning {
			continue
		}
		argv := resolveArgv(c.img.image, c.spec, c.env)
		c.program = r.newProgram(c, r.newContainer(c, argv))
		// What the program writes up to now is in the saved log already.
		c.muted = true
		r.runProgram(c)
		c.muted = false
	}
	r.addProbeWorkers()
	r.resyncVolumesLater()
	for i := range ps.Containers {
		cs := &ps.Containers[i]
		j := slices.IndexFunc(r.containers, func(c *containerRuntime) bool { return !c.init && c.spec.Name == cs.Name })
		if j >= 0 && restartable(pod, cs) {
			// The restarted kubelet's first sync of the pod: a restart, or a BackOff.
			r.scheduleContainerSync(r.containers[j], r.now())
		}
	}
}

// carriedOver gives the containers of a pod admitted again after a restart (see Restart)
// the restart counts of their instances before it, and the last instance's log as the
// previous one.
func (r *podRuntime) carriedOver() {
	m := r.k.m
	ps := m.carried[r.pod.UID]
	if ps == nil {
		return
	}
	delete(m.carried, r.pod.UID)
	for _, c := range r.containers {
		i := slices.IndexFunc(ps.Containers, func(cs ContainerState) bool { return cs.Name == c.spec.Name })
		if i < 0 {
			continue
		}
		cs := &ps.Containers[i]
		c.restarts = cs.Restarts
		if cs.Previous != nil {
			c.more().previous = keptLines(cs.Previous)
		}
		if cs.EverStarted {
			c.restarts++
			c.more().previous = keptLines(cs.Logs)
			// A running instance ends with the node's restart: containerd's "Unknown", 255.
			last := &corev1.ContainerStateTerminated{ExitCode: 255, Reason: "Unknown", ContainerID: cs.ID,
				StartedAt: metav1.NewTime(cs.StartedAt), FinishedAt: metav1.NewTime(r.now())}
			if cs.State == "terminated" {
				last.ExitCode, last.FinishedAt = cs.ExitCode, metav1.NewTime(cs.FinishedAt)
				last.Reason = cmp.Or(cs.TermReason, map[bool]string{true: "Completed", false: "Error"}[cs.ExitCode == 0])
				last.Message = cs.TermMessage
			}
			c.more().last = last
		}
	}
}

// CatchUp runs every running container's program up to now, so that its log holds all it
// wrote so far (output that depends on time alone is written when a program next runs):
// a snapshot's logs are then whole, and a re-adopted program run silently up to the
// snapshot's instant writes nothing the log lacks.
func (m *Manager) CatchUp() {
	keys := make([]string, 0, len(m.pods))
	for key, r := range m.pods {
		if !r.gone && !r.terminal {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	for _, key := range keys {
		r := m.pods[key]
		for _, c := range r.containers {
			if !r.gone {
				r.runProgram(c)
			}
		}
	}
}
