package scheduler

import (
	"fmt"
	"math/rand/v2"
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

	nodes     map[string]*nodeInfo
	nodeNames []string // sorted; the order nodes are filtered in
	// assigned remembers what each bound, non-terminal pod adds to its node, so that its
	// removal can be subtracted without looking at the node again.
	assigned map[string]assignment
	// unschedulable pods wait here for a change in the cluster that might let them fit.
	unschedulable map[string]bool
}

type nodeInfo struct {
	node     *corev1.Node
	ready    bool
	pods     int
	milliCPU int64
	memory   int64
	owners   map[types.UID]int
	// allocatable, read once per node update
	allocPods, allocMilliCPU, allocMemory int64
}

type assignment struct {
	node             string
	owner            types.UID
	milliCPU, memory int64
}

// New adds the scheduler to c and returns it.
func New(c *sim.Cluster) *Scheduler {
	s := &Scheduler{
		c:             c,
		api:           c.API.Client(Name),
		rand:          c.Stream("scheduler"),
		rec:           c.Recorder(Name, ""),
		nodes:         map[string]*nodeInfo{},
		assigned:      map[string]assignment{},
		unschedulable: map[string]bool{},
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
		if _, ok := s.nodes[node.Name]; ok {
			delete(s.nodes, node.Name)
			i := sort.SearchStrings(s.nodeNames, node.Name)
			s.nodeNames = append(s.nodeNames[:i], s.nodeNames[i+1:]...)
		}
		return
	}
	ni := s.nodes[node.Name]
	if ni == nil {
		ni = &nodeInfo{owners: map[types.UID]int{}}
		s.nodes[node.Name] = ni
		i := sort.SearchStrings(s.nodeNames, node.Name)
		s.nodeNames = append(s.nodeNames, "")
		copy(s.nodeNames[i+1:], s.nodeNames[i:])
		s.nodeNames[i] = node.Name
	}
	ni.node = node
	ni.ready = nodeReady(node)
	alloc := node.Status.Allocatable
	ni.allocPods = alloc.Pods().Value()
	ni.allocMilliCPU = alloc.Cpu().MilliValue()
	ni.allocMemory = alloc.Memory().Value()
	if ev.Type == store.Added || nodeChangeMatters(ev.Old.(*corev1.Node), node) {
		s.retryUnschedulable()
	}
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

// retryUnschedulable moves every waiting pod back to the queue, in key order.
func (s *Scheduler) retryUnschedulable() {
	if len(s.unschedulable) == 0 {
		return
	}
	keys := make([]string, 0, len(s.unschedulable))
	for k := range s.unschedulable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		delete(s.unschedulable, k)
		s.c.Enqueue(Name, k)
	}
}

func (s *Scheduler) onPod(ev store.WatchEvent) {
	pod := ev.Object.(*corev1.Pod)
	key := podKey(pod.Namespace, pod.Name)
	if ev.Type == store.Deleted {
		delete(s.unschedulable, key)
		if s.unassign(key) {
			s.retryUnschedulable()
		}
		return
	}
	if pod.Spec.NodeName != "" {
		delete(s.unschedulable, key)
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
	if ev.Type == store.Modified && s.unschedulable[key] && ev.Old.GetGeneration() == pod.Generation {
		// Our own status write, or a change that does not touch the spec: keep waiting.
		return
	}
	delete(s.unschedulable, key)
	s.c.Enqueue(Name, key)
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
	ni := s.nodes[node]
	if ni == nil {
		// A pod bound to a node we do not know (yet): remember it so that the node's
		// counts are right if it appears.
		ni = &nodeInfo{owners: map[types.UID]int{}}
		s.nodes[node] = ni
		i := sort.SearchStrings(s.nodeNames, node)
		s.nodeNames = append(s.nodeNames, "")
		copy(s.nodeNames[i+1:], s.nodeNames[i:])
		s.nodeNames[i] = node
	}
	ni.pods++
	ni.milliCPU += cpu
	ni.memory += mem
	if a.owner != "" {
		ni.owners[a.owner]++
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
		if a.owner != "" {
			if ni.owners[a.owner]--; ni.owners[a.owner] <= 0 {
				delete(ni.owners, a.owner)
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
	ns, name := splitKey(key)
	obj, err := s.c.Store.Get(podsResource, ns, name)
	if err != nil && apierrors.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	pod := obj.(*corev1.Pod)
	if pod.Spec.NodeName != "" || pod.DeletionTimestamp != nil || !responsible(pod) || terminal(pod) {
		return 0, nil
	}
	node, fit := s.schedule(pod)
	if node == "" {
		s.unschedulable[key] = true
		return 0, s.markUnschedulable(pod, fit.Message())
	}
	return 0, s.bind(pod, node)
}

// schedule filters the nodes and picks the best; it returns "" and the reasons when none fits.
func (s *Scheduler) schedule(pod *corev1.Pod) (string, *FitError) {
	p := newPodInfo(pod)
	fit := &FitError{NumAllNodes: len(s.nodeNames), reasons: map[string]int{}, preemption: map[string]int{}}
	best := ""
	var bestOwned, bestPods, ties int
	for _, name := range s.nodeNames {
		ni := s.nodes[name]
		if ni.node == nil {
			fit.NumAllNodes--
			continue
		}
		reasons, resolvable := filter(p, ni)
		if len(reasons) > 0 {
			for _, r := range reasons {
				fit.reasons[r]++
			}
			if resolvable {
				fit.preemption[reasonNoVictims]++
			} else {
				fit.preemption[reasonNotHelpful]++
			}
			continue
		}
		owned := 0
		if p.owner != "" {
			owned = ni.owners[p.owner]
		}
		switch {
		case best == "" || owned < bestOwned || (owned == bestOwned && ni.pods < bestPods):
			best, bestOwned, bestPods, ties = name, owned, ni.pods, 1
		case owned == bestOwned && ni.pods == bestPods:
			// Reservoir sampling keeps every tied node equally likely with one draw per tie.
			ties++
			if s.rand.IntN(ties) == 0 {
				best = name
			}
		}
	}
	return best, fit
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
