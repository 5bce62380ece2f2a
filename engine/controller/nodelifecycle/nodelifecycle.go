package nodelifecycle

import (
	"math"
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

// Names of the controllers in the sim loop, which are also their event sources.
const (
	Name              = "node-controller"
	TaintEvictionName = "taint-eviction-controller"
	PodGCName         = "pod-garbage-collector"
)

// Timings (kube-controller-manager defaults, v1.32+).
const (
	NodeMonitorGracePeriod = 50 * time.Second
	// PodGCQuarantine: the pod GC waits this long before deleting the pods of a node that
	// is gone, in case the node comes back.
	PodGCQuarantine = 40 * time.Second
)

var (
	podsResource  = api.ResourceByName("pods")
	nodesResource = api.ResourceByName("nodes")
)

// KubeletStatus tells since when a node's kubelet has stopped posting status; silent is
// false while it posts.
type KubeletStatus func(node string) (since time.Time, silent bool)

// Controller is the node lifecycle controller of one cluster, with its taint eviction and
// orphan pod GC companions.
type Controller struct {
	c   *sim.Cluster
	api *apiserver.Client
	// evictAPI and podGCAPI write for the companions, under their own names.
	evictAPI, podGCAPI *apiserver.Client
	kubelets           KubeletStatus
	rec                *events.Recorder
	evictRec           *events.Recorder
	// evictions: pods whose eviction is scheduled, with when the countdown started.
	evictions map[string]time.Time
	// known are the nodes the controller has seen, with their uid (upstream's
	// knownNodeSet): a new one gets RegisteredNode, one gone RemovingNode.
	known map[string]types.UID
}

// New adds the controllers to c. kubelets may be nil (no kubelet ever goes silent).
func New(c *sim.Cluster, kubelets KubeletStatus) *Controller {
	ctl := &Controller{
		c: c, kubelets: kubelets,
		api:       c.API.Client(Name),
		evictAPI:  c.API.Client(TaintEvictionName),
		podGCAPI:  c.API.Client(PodGCName),
		rec:       c.Recorder(Name, ""),
		evictRec:  c.Recorder(TaintEvictionName, ""),
		evictions: map[string]time.Time{},
		known:     map[string]types.UID{},
	}
	c.Watch("nodes", ctl.onNode)
	c.Watch("pods", ctl.onPod)
	c.AddController(Name, ctl.syncNode)
	c.AddController(TaintEvictionName, ctl.syncEviction)
	c.AddController(PodGCName, ctl.syncOrphans)
	return ctl
}

// NodeChanged asks the controller to look at a node now (the kubelet stopped or resumed).
func (ctl *Controller) NodeChanged(node string) { ctl.c.Enqueue(Name, node) }

func podKey(namespace, name string) string { return namespace + "/" + name }

func (ctl *Controller) onNode(ev store.WatchEvent) {
	name := ev.Object.GetName()
	if ev.Type == store.Deleted {
		ctl.c.EnqueueAfter(PodGCName, name, PodGCQuarantine)
	}
	ctl.c.Enqueue(Name, name)
}

func (ctl *Controller) onPod(ev store.WatchEvent) {
	pod := ev.Object.(*corev1.Pod)
	if ev.Type == store.Deleted {
		if len(ctl.evictions) > 0 {
			delete(ctl.evictions, podKey(pod.Namespace, pod.Name))
		}
		return
	}
	if pod.Spec.NodeName == "" || pod.DeletionTimestamp != nil {
		return
	}
	obj := ctl.c.Store.Lookup(nodesResource, "", pod.Spec.NodeName)
	if obj == nil {
		ctl.c.EnqueueAfter(PodGCName, pod.Spec.NodeName, PodGCQuarantine)
		return
	}
	if len(noExecuteTaints(obj.(*corev1.Node))) > 0 {
		ctl.c.Enqueue(TaintEvictionName, podKey(pod.Namespace, pod.Name))
	}
}

func (ctl *Controller) syncNode(name string) (time.Duration, error) {
	obj, err := ctl.c.Store.Get(nodesResource, "", name)
	if apierrors.IsNotFound(err) {
		if uid, ok := ctl.known[name]; ok {
			delete(ctl.known, name)
			ctl.recordNodeEvent(name, uid, "RemovingNode", "Removing Node %s from Controller")
		}
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	node := obj.(*corev1.Node)
	if _, ok := ctl.known[name]; !ok {
		ctl.known[name] = node.UID
		ctl.recordNodeEvent(name, node.UID, "RegisteredNode", "Registered Node %s in Controller")
	}
	now := ctl.c.Now()
	n := node.DeepCopy()
	becameUnknown := false
	if ctl.kubelets != nil {
		if since, silent := ctl.kubelets(name); silent {
			if deadline := since.Add(NodeMonitorGracePeriod); now.Before(deadline) {
				return deadline.Sub(now), nil
			}
			becameUnknown = markUnknown(n, now)
		}
	}
	taintsChanged := reconcileTaints(n, now)
	if !becameUnknown && !taintsChanged {
		return 0, nil
	}
	// The conditions through the status, the taints through the node itself, as upstream
	// writes them in two steps.
	if becameUnknown {
		updated, err := ctl.api.UpdateStatus(n, apiserver.UpdateOptions{})
		if err != nil {
			return 0, err
		}
		n.ResourceVersion = updated.GetResourceVersion()
	}
	if taintsChanged {
		updated, err := ctl.api.Update(n, apiserver.UpdateOptions{})
		if err != nil {
			return 0, err
		}
		n = updated.(*corev1.Node)
	}
	if becameUnknown {
		ctl.rec.Eventf(n, corev1.EventTypeNormal, "NodeNotReady", "Node %s status is now: %s", name, "NodeNotReady")
		if err := ctl.markPodsNotReady(name); err != nil {
			return 0, err
		}
	}
	if taintsChanged {
		for _, key := range ctl.podKeysOn(name) {
			ctl.c.Enqueue(TaintEvictionName, key)
		}
	}
	return 0, nil
}

// recordNodeEvent records an event about a node as upstream's RecordNodeEvent does: about a
// reference made of its name and uid, with the message `Node <name> event: <event>`.
func (ctl *Controller) recordNodeEvent(name string, uid types.UID, reason, event string) {
	ref := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, UID: uid}}
	ctl.rec.Eventf(ref, corev1.EventTypeNormal, reason, "Node %s event: "+event, name, name)
}

// markUnknown sets every condition to Unknown, as the controller does for a node whose
// kubelet went silent; it reports whether anything changed.
func markUnknown(n *corev1.Node, now time.Time) bool {
	changed := false
	for i := range n.Status.Conditions {
		c := &n.Status.Conditions[i]
		if c.Status == corev1.ConditionUnknown {
			continue
		}
		c.Status = corev1.ConditionUnknown
		c.Reason = "NodeStatusUnknown"
		c.Message = "Kubelet stopped posting node status."
		c.LastTransitionTime = metav1.NewTime(now)
		changed = true
	}
	return changed
}

// reconcileTaints makes the controller's taints follow the Ready condition: Unknown →
// unreachable, False → not-ready, True → none (NoSchedule and NoExecute each).
func reconcileTaints(n *corev1.Node, now time.Time) bool {
	want := ""
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			switch c.Status {
			case corev1.ConditionUnknown:
				want = corev1.TaintNodeUnreachable
			case corev1.ConditionFalse:
				want = corev1.TaintNodeNotReady
			}
		}
	}
	var kept []corev1.Taint
	have := map[corev1.TaintEffect]bool{}
	changed := false
	for _, t := range n.Spec.Taints {
		ours := (t.Key == corev1.TaintNodeUnreachable || t.Key == corev1.TaintNodeNotReady) &&
			(t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute)
		if ours && t.Key != want {
			changed = true
			continue
		}
		if ours {
			have[t.Effect] = true
		}
		kept = append(kept, t)
	}
	if want != "" {
		for _, e := range []corev1.TaintEffect{corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute} {
			if !have[e] {
				at := metav1.NewTime(now)
				kept = append(kept, corev1.Taint{Key: want, Effect: e, TimeAdded: &at})
				changed = true
			}
		}
	}
	if changed {
		n.Spec.Taints = kept
	}
	return changed
}

func (ctl *Controller) podKeysOn(node string) []string {
	var keys []string
	ctl.c.Store.Each(podsResource, "", func(o api.Object) bool {
		if p := o.(*corev1.Pod); p.Spec.NodeName == node {
			keys = append(keys, podKey(p.Namespace, p.Name))
		}
		return true
	})
	return keys
}

// markPodsNotReady sets the Ready condition of the node's pods to False and records
// NodeNotReady on each.
func (ctl *Controller) markPodsNotReady(node string) error {
	now := metav1.NewTime(ctl.c.Now())
	for _, key := range ctl.podKeysOn(node) {
		ns, name, _ := strings.Cut(key, "/")
		obj, err := ctl.c.Store.Get(podsResource, ns, name)
		if err != nil {
			continue
		}
		pod := obj.(*corev1.Pod).DeepCopy()
		changed := false
		for i := range pod.Status.Conditions {
			c := &pod.Status.Conditions[i]
			if c.Type == corev1.PodReady && c.Status != corev1.ConditionFalse {
				c.Status = corev1.ConditionFalse
				c.LastTransitionTime = now
				changed = true
			}
		}
		if !changed {
			continue
		}
		if _, err := ctl.api.UpdateStatus(pod, apiserver.UpdateOptions{HandOver: true}); err != nil {
			if apierrors.IsNotFound(err) {
				continue
			}
			return err
		}
		ctl.rec.Eventf(pod, corev1.EventTypeWarning, "NodeNotReady", "Node is not ready")
	}
	return nil
}

func noExecuteTaints(n *corev1.Node) []corev1.Taint {
	var out []corev1.Taint
	for _, t := range n.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoExecute {
			out = append(out, t)
		}
	}
	return out
}

// minToleration is how long a pod may stay on a node with these NoExecute taints: 0 when
// one is not tolerated, -1 when forever, else the smallest tolerationSeconds used.
func minToleration(tolerations []corev1.Toleration, taints []corev1.Taint) time.Duration {
	var used []*corev1.Toleration
	for i := range taints {
		found := false
		for j := range tolerations {
			if api.ToleratesTaint(&tolerations[j], &taints[i]) {
				used = append(used, &tolerations[j])
				found = true
			}
		}
		if !found {
			return 0
		}
	}
	least := int64(math.MaxInt64)
	for _, t := range used {
		if t.TolerationSeconds == nil {
			continue
		}
		if *t.TolerationSeconds <= 0 {
			return 0
		}
		least = min(least, *t.TolerationSeconds)
	}
	if least == math.MaxInt64 {
		return -1
	}
	return time.Duration(least) * time.Second
}

func (ctl *Controller) syncEviction(key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj, err := ctl.c.Store.Get(podsResource, ns, name)
	if apierrors.IsNotFound(err) {
		delete(ctl.evictions, key)
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	pod := obj.(*corev1.Pod)
	if pod.DeletionTimestamp != nil || pod.Spec.NodeName == "" {
		delete(ctl.evictions, key)
		return 0, nil
	}
	nobj, err := ctl.c.Store.Get(nodesResource, "", pod.Spec.NodeName)
	if err != nil {
		return 0, nil
	}
	now := ctl.c.Now()
	taints := noExecuteTaints(nobj.(*corev1.Node))
	tolerated := time.Duration(-1)
	if len(taints) > 0 {
		tolerated = minToleration(pod.Spec.Tolerations, taints)
	}
	started, scheduled := ctl.evictions[key]
	if tolerated < 0 {
		if scheduled {
			delete(ctl.evictions, key)
			ctl.evictRec.Eventf(pod, corev1.EventTypeNormal, "TaintManagerEviction", "Cancelling deletion of Pod %s", key)
		}
		return 0, nil
	}
	if !scheduled {
		started = now
		ctl.evictions[key] = now
	}
	if due := started.Add(tolerated); now.Before(due) {
		return due.Sub(now), nil
	}
	delete(ctl.evictions, key)
	ctl.evictRec.Eventf(pod, corev1.EventTypeNormal, "TaintManagerEviction", "Marking for deletion Pod %s", key)
	p := pod.DeepCopy()
	addCondition(p, corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
		Reason: "DeletionByTaintManager", Message: "Taint manager: deleting due to NoExecute taint"}, now)
	if _, err := ctl.evictAPI.UpdateStatus(p, apiserver.UpdateOptions{HandOver: true}); err != nil && !apierrors.IsNotFound(err) {
		return 0, err
	}
	if _, err := ctl.evictAPI.Delete(podsResource, ns, name, apiserver.DeleteOptions{UID: pod.UID}); err != nil && !apierrors.IsNotFound(err) {
		return 0, err
	}
	return 0, nil
}

func addCondition(p *corev1.Pod, cond corev1.PodCondition, now time.Time) {
	cond.LastTransitionTime = metav1.NewTime(now)
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == cond.Type {
			if p.Status.Conditions[i].Status == cond.Status {
				cond.LastTransitionTime = p.Status.Conditions[i].LastTransitionTime
			}
			p.Status.Conditions[i] = cond
			return
		}
	}
	p.Status.Conditions = append(p.Status.Conditions, cond)
}

// syncOrphans is the pod GC's pass over the pods of a node that no longer exists: marked
// Failed and deleted at once.
func (ctl *Controller) syncOrphans(node string) (time.Duration, error) {
	if _, err := ctl.c.Store.Get(nodesResource, "", node); err == nil {
		return 0, nil
	}
	zero := int64(0)
	now := ctl.c.Now()
	for _, key := range ctl.podKeysOn(node) {
		ns, name, _ := strings.Cut(key, "/")
		obj, err := ctl.c.Store.Get(podsResource, ns, name)
		if err != nil {
			continue
		}
		p := obj.(*corev1.Pod).DeepCopy()
		if p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
			p.Status.Phase = corev1.PodFailed
		}
		addCondition(p, corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
			Reason: "DeletionByPodGC", Message: "PodGC: node no longer exists"}, now)
		if _, err := ctl.podGCAPI.UpdateStatus(p, apiserver.UpdateOptions{HandOver: true}); err != nil && !apierrors.IsNotFound(err) {
			return 0, err
		}
		if _, err := ctl.podGCAPI.Delete(podsResource, ns, name, apiserver.DeleteOptions{GracePeriodSeconds: &zero, UID: p.UID}); err != nil && !apierrors.IsNotFound(err) {
			return 0, err
		}
	}
	return 0, nil
}
