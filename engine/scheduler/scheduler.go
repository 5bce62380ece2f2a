package scheduler

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// Name is the scheduler's name: the schedulerName it serves, its controller name in the sim
// loop and the source of its events.
const Name = corev1.DefaultSchedulerName

var podsResource = api.ResourceByName("pods")

// Scheduler holds the scheduler's cache of one cluster.
type Scheduler struct {
	c   *sim.Cluster
	api *apiserver.Client
	rec *events.Recorder
	// rand breaks ties between equally good nodes.
	rand *rand.Rand

	nodes map[string]*nodeInfo
	list  []*nodeInfo // sorted by name; the order nodes are filtered in
	// known counts the nodes of list whose Node the scheduler has seen (a pod can name a
	// node before it exists).
	known int
	// nextStart is where the next search for feasible nodes begins when it looks at only
	// part of a large cluster (numFeasibleNodesToFind), so that every node gets its turn.
	nextStart int
	// assigned remembers what each bound, non-terminal pod adds to its node, so that its
	// removal can be subtracted without looking at the node again.
	assigned map[string]assignment
	// owned counts each controller's assigned pods per node (by nodeInfo.id), for the
	// spreading score. One dense slice per owner rather than a map per node: the search
	// reads the count of one owner on hundreds of nodes per pod, and a map per node made
	// that a cache miss each (5.7 of 43 s CPU with 100,000 pods on 1,000 nodes).
	owned map[types.UID]*ownerCounts
	// nextID numbers the nodeInfos as they are made; a node removed and added again gets
	// a new one, and so starts with no pods counted, as a new nodeInfo always has.
	nextID int
	// Unschedulable pods wait for a change in the cluster that might let them fit, in
	// classes of pods that the filters cannot tell apart (waiting.go).
	waiting
}

type nodeInfo struct {
	name  string
	id    int // index into each ownerCounts.perNode
	node  *corev1.Node
	ready bool
	// open: Ready, schedulable and untainted, so only the pod's node selection and the
	// resources can keep a pod off it (filter's fast path).
	open     bool
	pods     int
	milliCPU int64
	memory   int64
	// allocatable, read once per node update
	allocPods, allocMilliCPU, allocMemory int64
}

// ownerCounts is one controller's assigned pods: per node id, and in all.
type ownerCounts struct {
	perNode []int32
	total   int
}

type assignment struct {
	node             string
	owner            types.UID
	milliCPU, memory int64
}

// New adds the scheduler to c and returns it.
func New(c *sim.Cluster) *Scheduler {
	s := &Scheduler{
		c:        c,
		api:      c.API.Client(Name),
		rand:     c.Stream("scheduler"),
		rec:      c.Recorder(Name, ""),
		nodes:    map[string]*nodeInfo{},
		assigned: map[string]assignment{},
		owned:    map[types.UID]*ownerCounts{},
		waiting:  newWaiting(),
	}
	c.Watch("nodes", s.onNode)
	c.Watch("pods", s.onPod)
	c.AddController(Name, s.sync)
	return s
}

func podKey(namespace, name string) string { return namespace + "/" + name }

func splitKey(key string) (string, string) {
	ns, name, _ := strings.Cut(key, "/")
	return ns, name
}

func responsible(pod *corev1.Pod) bool {
	return pod.Spec.SchedulerName == "" || pod.Spec.SchedulerName == Name
}

func terminal(pod *corev1.Pod) bool {
	return pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
}

func (s *Scheduler) onNode(ev store.WatchEvent) {
	node := ev.Object.(*corev1.Node)
	if ev.Type == store.Deleted {
		if ni, ok := s.nodes[node.Name]; ok {
			if ni.node != nil {
				s.known--
			}
			s.forgetOwned(ni)
			delete(s.nodes, node.Name)
			i := s.position(node.Name)
			s.list = slices.Delete(s.list, i, i+1)
		}
		return
	}
	ni := s.nodeInfo(node.Name)
	if ni.node == nil {
		s.known++
	}
	ni.node = node
	ni.ready = nodeReady(node)
	ni.open = ni.ready && !node.Spec.Unschedulable && len(node.Spec.Taints) == 0
	alloc := node.Status.Allocatable
	ni.allocPods = alloc.Pods().Value()
	ni.allocMilliCPU = alloc.Cpu().MilliValue()
	ni.allocMemory = alloc.Memory().Value()
	if ev.Type == store.Added || nodeChangeMatters(ev.Old.(*corev1.Node), node) {
		s.retryUnschedulable()
	}
}

// forgetOwned drops a removed node's counts from its owners: its id is never used again.
func (s *Scheduler) forgetOwned(ni *nodeInfo) {
	for uid, oc := range s.owned {
		if ni.id < len(oc.perNode) && oc.perNode[ni.id] > 0 {
			oc.total -= int(oc.perNode[ni.id])
			oc.perNode[ni.id] = 0
			if oc.total == 0 {
				delete(s.owned, uid)
			}
		}
	}
}

// nodeInfo returns what the scheduler knows of a node, adding it to the list if it is new.
func (s *Scheduler) nodeInfo(name string) *nodeInfo {
	if ni := s.nodes[name]; ni != nil {
		return ni
	}
	ni := &nodeInfo{name: name, id: s.nextID}
	s.nextID++
	s.nodes[name] = ni
	// append and copy, not slices.Insert: its instance was 2.8 KB of the browser's wasm.
	i := s.position(name)
	s.list = append(s.list, nil)
	copy(s.list[i+1:], s.list[i:])
	s.list[i] = ni
	return ni
}

// position is where a node of that name is, or belongs, in the sorted list.
func (s *Scheduler) position(name string) int {
	i, _ := slices.BinarySearchFunc(s.list, name, func(ni *nodeInfo, name string) int { return strings.Compare(ni.name, name) })
	return i
}

// nodeChangeMatters: only changes the filters look at wake waiting pods, so that status
// writes that change nothing relevant cost nothing.
func nodeChangeMatters(old, cur *corev1.Node) bool {
	if old.Spec.Unschedulable != cur.Spec.Unschedulable || nodeReady(old) != nodeReady(cur) {
		return true
	}
	if !mapsEqual(old.Labels, cur.Labels) || len(old.Spec.Taints) != len(cur.Spec.Taints) {
		return true
	}
	for i := range old.Spec.Taints {
		a, b := old.Spec.Taints[i], cur.Spec.Taints[i]
		if a.Key != b.Key || a.Value != b.Value || a.Effect != b.Effect {
			return true
		}
	}
	oa, ca := old.Status.Allocatable, cur.Status.Allocatable
	return oa.Cpu().Cmp(*ca.Cpu()) != 0 || oa.Memory().Cmp(*ca.Memory()) != 0 || oa.Pods().Cmp(*ca.Pods()) != 0
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func (s *Scheduler) onPod(ev store.WatchEvent) {
	pod := ev.Object.(*corev1.Pod)
	if ev.Type == store.Modified && pod.Spec.NodeName != "" && !terminal(pod) && s.counted(pod) {
		return // a status write of a pod already counted on its node: most pod events
	}
	key := podKey(pod.Namespace, pod.Name)
	if ev.Type == store.Deleted {
		s.unwait(key)
		if s.unassign(key) {
			s.retryUnschedulable()
		}
		return
	}
	if pod.Spec.NodeName != "" {
		s.unwait(key)
		if terminal(pod) {
			if s.unassign(key) {
				s.retryUnschedulable()
			}
			return
		}
		s.assign(key, pod, pod.Spec.NodeName)
		return
	}
	if !responsible(pod) || pod.DeletionTimestamp != nil {
		return
	}
	if ev.Type == store.Modified && s.isWaiting(key) && ev.Old.GetGeneration() == pod.Generation {
		// Our own status write, or a change that does not touch the spec: keep waiting.
		return
	}
	s.unwait(key)
	s.c.Enqueue(Name, key)
}

// counted tells whether pod is counted on its node and not waiting, which is all onPod
// would see to for it (assign and unwait would do nothing). Its key is looked up from a
// buffer on the stack: no string is made.
func (s *Scheduler) counted(pod *corev1.Pod) bool {
	var buf [128]byte
	k := append(append(append(buf[:0], pod.Namespace...), '/'), pod.Name...)
	a, ok := s.assigned[string(k)]
	if !ok || a.node != pod.Spec.NodeName {
		return false
	}
	_, waiting := s.byKey[string(k)]
	return !waiting
}

func (s *Scheduler) assign(key string, pod *corev1.Pod, node string) {
	if a, ok := s.assigned[key]; ok {
		if a.node == node {
			return
		}
		s.unassign(key)
	}
	cpu, mem := podRequests(pod)
	a := assignment{node: node, milliCPU: cpu, memory: mem}
	if ref := metav1.GetControllerOfNoCopy(pod); ref != nil {
		a.owner = ref.UID
	}
	s.assigned[key] = a
	// A pod bound to a node we do not know (yet) is counted there all the same, so that the
	// node's counts are right if it appears.
	ni := s.nodeInfo(node)
	ni.pods++
	ni.milliCPU += cpu
	ni.memory += mem
	if a.owner != "" {
		oc := s.owned[a.owner]
		if oc == nil {
			oc = &ownerCounts{}
			s.owned[a.owner] = oc
		}
		if ni.id >= len(oc.perNode) {
			oc.perNode = slices.Grow(oc.perNode, ni.id+1-len(oc.perNode))[:ni.id+1]
		}
		oc.perNode[ni.id]++
		oc.total++
	}
}

func (s *Scheduler) unassign(key string) bool {
	a, ok := s.assigned[key]
	if !ok {
		return false
	}
	delete(s.assigned, key)
	if ni := s.nodes[a.node]; ni != nil {
		ni.pods--
		ni.milliCPU -= a.milliCPU
		ni.memory -= a.memory
		if oc := s.owned[a.owner]; oc != nil && ni.id < len(oc.perNode) && oc.perNode[ni.id] > 0 {
			oc.perNode[ni.id]--
			if oc.total--; oc.total == 0 {
				delete(s.owned, a.owner)
			}
		}
	}
	return true
}

// podRequests is what the NodeResourcesFit filter counts: the sum over the app containers,
// or the largest init container if that is more.
func podRequests(pod *corev1.Pod) (milliCPU, memory int64) {
	for i := range pod.Spec.Containers {
		r := pod.Spec.Containers[i].Resources.Requests
		milliCPU += r.Cpu().MilliValue()
		memory += r.Memory().Value()
	}
	for i := range pod.Spec.InitContainers {
		r := pod.Spec.InitContainers[i].Resources.Requests
		milliCPU = max(milliCPU, r.Cpu().MilliValue())
		memory = max(memory, r.Memory().Value())
	}
	return milliCPU, memory
}

func (s *Scheduler) sync(key string) (requeueAfter time.Duration, err error) {
	// A class's retry moves on (or stops) with the outcome of its head's attempt.
	retry := s.retrying[key]
	delete(s.retrying, key)
	ns, name := splitKey(key)
	obj := s.c.Store.Lookup(podsResource, ns, name)
	if obj == nil {
		s.unwait(key)
		s.retryNext(retry)
		return 0, nil
	}
	pod := obj.(*corev1.Pod)
	if pod.Spec.NodeName != "" || pod.DeletionTimestamp != nil || !responsible(pod) || terminal(pod) {
		s.unwait(key)
		s.retryNext(retry)
		return 0, nil
	}
	node, fit := s.schedule(pod)
	if node == "" {
		msg := fit.Message()
		s.wait(key, pod, msg, retry)
		return 0, s.markUnschedulable(pod, msg)
	}
	s.unwait(key)
	err = s.bind(pod, node)
	s.retryNext(retry)
	return 0, err
}

// Upstream's bounds on the nodes one scheduling attempt looks at (schedule_one.go).
const (
	minFeasibleNodesToFind           = 100
	minFeasibleNodesPercentageToFind = 5
)

// numFeasibleNodesToFind is upstream's adaptive percentageOfNodesToScore: every node in a
// cluster of fewer than 100, else 50% less a point per 125 nodes (at least 5%, at least
// 100 nodes); the search stops once that many nodes fit.
func numFeasibleNodesToFind(all int) int {
	if all < minFeasibleNodesToFind {
		return all
	}
	percentage := max(50-all/125, minFeasibleNodesPercentageToFind)
	return max(all*percentage/100, minFeasibleNodesToFind)
}

// schedule filters the nodes and picks the best; it returns "" and the reasons when none fits.
// In a large cluster it stops once numFeasibleNodesToFind nodes fit, and the next search
// starts where this one stopped, as upstream's does.
func (s *Scheduler) schedule(pod *corev1.Pod) (string, *FitError) {
	p := newPodInfo(pod)
	all := s.known
	want := numFeasibleNodesToFind(all)
	start := 0
	if want < all {
		start = s.nextStart % len(s.list)
	}
	var ownerPods []int32 // the pod's controller's pods per node id
	if p.owner != "" {
		if oc := s.owned[p.owner]; oc != nil {
			ownerPods = oc.perNode
		}
	}
	best := ""
	var bestOwned, bestPods, ties, feasible, processed int
	for i := range s.list {
		if feasible == want {
			break
		}
		ni := s.list[(start+i)%len(s.list)]
		if ni.node == nil {
			continue
		}
		processed++
		if reasons, _ := filter(p, ni, false); len(reasons) > 0 {
			continue
		}
		feasible++
		owned := 0
		if ni.id < len(ownerPods) {
			owned = int(ownerPods[ni.id])
		}
		switch {
		case best == "" || owned < bestOwned || (owned == bestOwned && ni.pods < bestPods):
			best, bestOwned, bestPods, ties = ni.name, owned, ni.pods, 1
		case owned == bestOwned && ni.pods == bestPods:
			// Reservoir sampling keeps every tied node equally likely with one draw per tie.
			ties++
			if s.rand.IntN(ties) == 0 {
				best = ni.name
			}
		}
	}
	if want < all {
		s.nextStart = (start + processed) % len(s.list)
	}
	if best != "" {
		return best, nil
	}
	// No node fits, so the search saw every node: the reasons are counted again, apart, so
	// that the usual search, which passes the tainted control plane more often than not,
	// counts nothing.
	fit := &FitError{NumAllNodes: all, reasons: map[string]int{}, preemption: map[string]int{}}
	for _, ni := range s.list {
		if ni.node != nil {
			if reasons, resolvable := filter(p, ni, true); len(reasons) > 0 {
				fit.count(reasons, resolvable)
			}
		}
	}
	return "", fit
}

func (s *Scheduler) bind(pod *corev1.Pod, node string) error {
	p, err := s.api.Bind(pod.Namespace, pod.Name, pod.UID, node)
	if err != nil {
		if apierrors.IsNotFound(err) {
			return nil
		}
		return err
	}
	s.assign(podKey(p.Namespace, p.Name), p, node)
	s.rec.Eventf(p, corev1.EventTypeNormal, "Scheduled", "Successfully assigned %s/%s to %s", p.Namespace, p.Name, node)
	return nil
}

func (s *Scheduler) markUnschedulable(pod *corev1.Pod, msg string) error {
	p := pod.DeepCopy()
	apiserver.SetPodCondition(&p.Status, corev1.PodCondition{
		Type: corev1.PodScheduled, Status: corev1.ConditionFalse,
		Reason: corev1.PodReasonUnschedulable, Message: msg,
	}, s.c.Now())
	if _, err := s.api.UpdateStatus(p, apiserver.UpdateOptions{HandOver: true}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	s.rec.Eventf(p, corev1.EventTypeWarning, "FailedScheduling", "%s", msg)
	return nil
}

// FitError explains why a pod fits no node, counted per reason as upstream's FitError does.
type FitError struct {
	NumAllNodes int
	reasons     map[string]int
	// preemption counts the nodes per verdict of the (always fruitless) preemption attempt.
	preemption map[string]int
}

// count adds a node that does not fit, for reasons, and the preemption's verdict on it.
func (f *FitError) count(reasons []string, resolvable bool) {
	for _, r := range reasons {
		f.reasons[r]++
	}
	if resolvable {
		f.preemption[reasonNoVictims]++
	} else {
		f.preemption[reasonNotHelpful]++
	}
}

const (
	reasonNotHelpful = "Preemption is not helpful for scheduling"
	reasonNoVictims  = "No preemption victims found for incoming pod"
)

func histogram(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for r, n := range m {
		parts = append(parts, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// Message is the text of the PodScheduled condition and of the FailedScheduling event.
func (f *FitError) Message() string {
	if f.NumAllNodes == 0 {
		return "no nodes available to schedule pods"
	}
	return fmt.Sprintf("0/%d nodes are available: %s. preemption: 0/%d nodes are available: %s.",
		f.NumAllNodes, histogram(f.reasons), f.NumAllNodes, histogram(f.preemption))
}
