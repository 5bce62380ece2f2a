package daemonset

import (
	"encoding/json"
	"hash/fnv"
	"sort"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
)

// Labels and annotations upstream puts on daemon pods and DaemonSets.
const (
	// LabelControllerRevisionHash names the template revision a daemon pod was made from.
	LabelControllerRevisionHash = appsv1.ControllerRevisionHashLabelKey // "controller-revision-hash"
	// LabelPodTemplateGeneration is the older way of saying the same, from the annotation below.
	LabelPodTemplateGeneration = "pod-template-generation"
	// AnnotationTemplateGeneration is set by the API server's DaemonSet strategy; when present,
	// daemon pods get it as LabelPodTemplateGeneration.
	AnnotationTemplateGeneration = appsv1.DeprecatedTemplateGeneration // "deprecated.daemonset.template.generation"
)

// daemonTolerations are the tolerations upstream's AddOrUpdateDaemonPodTolerations gives every
// daemon pod, in its order; the last one only for hostNetwork pods.
var daemonTolerations = []corev1.Toleration{
	{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
	{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
	{Key: corev1.TaintNodeDiskPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	{Key: corev1.TaintNodeMemoryPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	{Key: corev1.TaintNodePIDPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	{Key: corev1.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
}

var hostNetworkToleration = corev1.Toleration{Key: corev1.TaintNodeNetworkUnavailable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}

// addDaemonTolerations adds the daemon tolerations to spec. A toleration with the same key,
// operator, value and effect is replaced, anything else is kept, as upstream's
// AddOrUpdateTolerationInPodSpec.
func addDaemonTolerations(spec *corev1.PodSpec) {
	add := func(t corev1.Toleration) {
		for i := range spec.Tolerations {
			cur := &spec.Tolerations[i]
			if cur.Key == t.Key && cur.Operator == t.Operator && cur.Value == t.Value && cur.Effect == t.Effect {
				*cur = t
				return
			}
		}
		spec.Tolerations = append(spec.Tolerations, t)
	}
	for _, t := range daemonTolerations {
		add(t)
	}
	if spec.HostNetwork {
		add(hostNetworkToleration)
	}
}

// templateHash is the controller-revision-hash of a template: an FNV-32a hash of the
// template's JSON and the collision count, encoded as upstream encodes its revision hashes
// (rand.SafeEncodeString of the decimal hash). kubetab keeps no ControllerRevision objects,
// so the value differs from a real cluster's for the same template, but it changes exactly
// when the template does.
func templateHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	b, _ := json.Marshal(template) // a PodTemplateSpec always marshals
	h.Write(b)
	if collisionCount != nil {
		h.Write([]byte(strconv.FormatInt(int64(*collisionCount), 10)))
	}
	return utilrand.SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// templateGeneration reads the API server's template generation annotation, if any.
func templateGeneration(ds *appsv1.DaemonSet) *int64 {
	v, ok := ds.Annotations[AnnotationTemplateGeneration]
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

// probePod is the pod the node predicates look at: the template with the daemon
// tolerations, as upstream's NewPod.
func probePod(ds *appsv1.DaemonSet) *corev1.Pod {
	t := ds.Spec.Template.DeepCopy()
	addDaemonTolerations(&t.Spec)
	return &corev1.Pod{ObjectMeta: t.ObjectMeta, Spec: t.Spec}
}

// nodeShouldRunDaemonPod is upstream's NodeShouldRunDaemonPod: shouldRun says a daemon pod
// belongs on the node, shouldContinueRunning that one already there may stay (the node
// only has NoSchedule taints the pod does not tolerate).
func nodeShouldRunDaemonPod(pod *corev1.Pod, node *corev1.Node) (shouldRun, shouldContinueRunning bool) {
	if pod.Spec.NodeName != "" && pod.Spec.NodeName != node.Name {
		return false, false
	}
	if !api.MatchesNodeSelectorAndAffinity(pod, node) {
		return false, false
	}
	if api.UntoleratedTaint(pod.Spec.Tolerations, node.Spec.Taints, func(e corev1.TaintEffect) bool {
		return e == corev1.TaintEffectNoSchedule || e == corev1.TaintEffectNoExecute
	}) != nil {
		// Pods already there keep running unless a NoExecute taint would evict them.
		return false, api.UntoleratedTaint(pod.Spec.Tolerations, node.Spec.Taints, func(e corev1.TaintEffect) bool {
			return e == corev1.TaintEffectNoExecute
		}) == nil
	}
	return true, true
}

// nodeNameAffinity replaces the required node affinity with the one term that pins a pod to
// node, as upstream's ReplaceDaemonSetPodNodeNameNodeAffinity (the controller has already
// checked the user's terms against the node).
func nodeNameAffinity(affinity *corev1.Affinity, node string) *corev1.Affinity {
	sel := &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
		MatchFields: []corev1.NodeSelectorRequirement{{Key: metav1.ObjectNameField, Operator: corev1.NodeSelectorOpIn, Values: []string{node}}},
	}}}
	if affinity == nil {
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: sel}}
	}
	if affinity.NodeAffinity == nil {
		affinity.NodeAffinity = &corev1.NodeAffinity{}
	}
	affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = sel
	return affinity
}

// targetNodeName is upstream's GetTargetNodeName: the node a pod is bound to, or the one its
// node-name affinity pins it to.
func targetNodeName(pod *corev1.Pod) (string, bool) {
	if pod.Spec.NodeName != "" {
		return pod.Spec.NodeName, true
	}
	a := pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return "", false
	}
	terms := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	if len(terms) < 1 {
		return "", false
	}
	for _, r := range terms[0].MatchFields {
		if r.Key == metav1.ObjectNameField && r.Operator == corev1.NodeSelectorOpIn && len(r.Values) == 1 {
			return r.Values[0], true
		}
	}
	return "", false
}

// newDaemonPod is upstream's CreatePodTemplate plus GetPodFromTemplate for one node: the
// template with the daemon tolerations, the revision labels, the node-name affinity and a
// controller reference to ds.
func newDaemonPod(ds *appsv1.DaemonSet, hash string, generation *int64, node string) *corev1.Pod {
	t := ds.Spec.Template.DeepCopy()
	addDaemonTolerations(&t.Spec)
	if t.Labels == nil {
		t.Labels = map[string]string{}
	}
	if generation != nil {
		t.Labels[LabelPodTemplateGeneration] = strconv.FormatInt(*generation, 10)
	}
	if hash != "" {
		t.Labels[LabelControllerRevisionHash] = hash
	}
	t.Spec.Affinity = nodeNameAffinity(t.Spec.Affinity, node)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: ds.Name + "-",
			Namespace:    ds.Namespace,
			Labels:       t.Labels,
			Annotations:  t.Annotations,
			Finalizers:   t.Finalizers,
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion:         appsv1.SchemeGroupVersion.String(),
				Kind:               "DaemonSet",
				Name:               ds.Name,
				UID:                ds.UID,
				Controller:         ptr.To(true),
				BlockOwnerDeletion: ptr.To(true),
			}},
		},
		Spec: t.Spec,
	}
}

// isPodUpdated is upstream's IsPodUpdated: the pod carries the current hash or template
// generation.
func isPodUpdated(pod *corev1.Pod, hash string, generation *int64) bool {
	if generation != nil && pod.Labels[LabelPodTemplateGeneration] == strconv.FormatInt(*generation, 10) {
		return true
	}
	return hash != "" && pod.Labels[LabelControllerRevisionHash] == hash
}

// sortByCreation is upstream's podByCreationTimestampAndPhase: bound pods first, then the
// oldest, then by name.
func sortByCreation(pods []*corev1.Pod) {
	sort.Slice(pods, func(i, j int) bool {
		a, b := pods[i], pods[j]
		if (a.Spec.NodeName != "") != (b.Spec.NodeName != "") {
			return a.Spec.NodeName != ""
		}
		if a.CreationTimestamp.Equal(&b.CreationTimestamp) {
			return a.Name < b.Name
		}
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	})
}

// isPodAvailable is IsPodAvailable; like the ReplicaSet controller, the instant the wait ends
// counts, because on virtual time the sync runs exactly then.
func isPodAvailable(pod *corev1.Pod, minReadySeconds int32, now time.Time) bool {
	c := api.PodCondition(pod, corev1.PodReady)
	if c == nil || c.Status != corev1.ConditionTrue {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	return !c.LastTransitionTime.IsZero() && !now.Before(c.LastTransitionTime.Add(time.Duration(minReadySeconds)*time.Second))
}

// untilAvailable is how long until a ready pod becomes available (0 if it is, or never will).
func untilAvailable(pod *corev1.Pod, minReadySeconds int32, now time.Time) time.Duration {
	c := api.PodCondition(pod, corev1.PodReady)
	if minReadySeconds == 0 || c == nil || c.Status != corev1.ConditionTrue || c.LastTransitionTime.IsZero() {
		return 0
	}
	if d := c.LastTransitionTime.Add(time.Duration(minReadySeconds) * time.Second).Sub(now); d > 0 {
		return d
	}
	return 0
}

func isTerminal(pod *corev1.Pod) bool {
	return pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
}

// allowsSurge: a RollingUpdate with a non-zero maxSurge replaces pods by surging.
func allowsSurge(ds *appsv1.DaemonSet) bool {
	s := ds.Spec.UpdateStrategy
	if s.Type != appsv1.RollingUpdateDaemonSetStrategyType || s.RollingUpdate == nil || s.RollingUpdate.MaxSurge == nil {
		return false
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(s.RollingUpdate.MaxSurge, 1, true)
	return err == nil && n > 0
}

// rollingLimits is updatedDesiredNodeCounts' arithmetic: maxSurge and maxUnavailable scaled
// to the desired count (rounding up), with the fallback of one unavailable pod when both
// come out 0.
func rollingLimits(ds *appsv1.DaemonSet, desired int) (maxSurge, maxUnavailable int) {
	if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		if ru.MaxUnavailable != nil {
			maxUnavailable, _ = intstr.GetScaledValueFromIntOrPercent(ru.MaxUnavailable, desired, true)
		}
		if ru.MaxSurge != nil {
			maxSurge, _ = intstr.GetScaledValueFromIntOrPercent(ru.MaxSurge, desired, true)
		}
	}
	if desired > 0 && maxUnavailable == 0 && maxSurge == 0 {
		maxUnavailable = 1
	}
	return maxSurge, maxUnavailable
}

// nodePods is what the per-node decisions see of one node.
type nodePods struct {
	name string
	// exists: the Node object exists; shouldRun/shouldContinue are its predicates.
	exists, shouldRun, shouldContinue bool
	// pods are the claimed daemon pods targeting the node, minus those both finished and
	// being deleted, sorted by sortByCreation.
	pods []*corev1.Pod
}

// nodeActions is what podsShouldBeOnNode wants done on one node.
type nodeActions struct {
	create bool
	// failed and succeeded pods to delete, each with its event; failed ones are subject to
	// the back-off.
	failed, succeeded []*corev1.Pod
	// remove are other pods to delete.
	remove []*corev1.Pod
}

// podsShouldBeOnNode is upstream's function of the same name, minus the back-off, which
// the caller applies to failed.
func podsShouldBeOnNode(n *nodePods, surge bool, hash string, minReadySeconds int32, now time.Time) nodeActions {
	var a nodeActions
	exists := len(n.pods) > 0
	switch {
	case n.shouldRun && !exists:
		a.create = true
	case n.shouldContinue:
		var running []*corev1.Pod
		for _, p := range n.pods {
			switch {
			case p.DeletionTimestamp != nil:
			case p.Status.Phase == corev1.PodFailed:
				a.failed = append(a.failed, p)
			case p.Status.Phase == corev1.PodSucceeded:
				a.succeeded = append(a.succeeded, p)
			default:
				running = append(running, p)
			}
		}
		if !surge {
			// More than one: all but the oldest go (n.pods is sorted already).
			if len(running) > 1 {
				a.remove = append(a.remove, running[1:]...)
			}
			break
		}
		if len(running) <= 1 {
			a.create = len(running) == 0 && n.shouldRun
			break
		}
		// Surging: an old and a new pod may overlap until the new one is available.
		var oldestNew, oldestOld *corev1.Pod
		for _, p := range running {
			if p.Labels[LabelControllerRevisionHash] == hash {
				if oldestNew == nil {
					oldestNew = p
					continue
				}
			} else if oldestOld == nil {
				oldestOld = p
				continue
			}
			a.remove = append(a.remove, p)
		}
		if oldestNew != nil && oldestOld != nil &&
			(!api.IsPodReady(oldestOld) || isPodAvailable(oldestNew, minReadySeconds, now)) {
			a.remove = append(a.remove, oldestOld)
		}
	case exists:
		for _, p := range n.pods {
			if p.DeletionTimestamp == nil {
				a.remove = append(a.remove, p)
			}
		}
	}
	return a
}

// updatedPodsOnNode is findUpdatedPodsOnNode: the node's one new and one old pod (ignoring
// pods being deleted); ok is false when there are more.
func updatedPodsOnNode(pods []*corev1.Pod, hash string, generation *int64) (newPod, oldPod *corev1.Pod, ok bool) {
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if isPodUpdated(p, hash, generation) {
			if newPod != nil {
				return nil, nil, false
			}
			newPod = p
		} else {
			if oldPod != nil {
				return nil, nil, false
			}
			oldPod = p
		}
	}
	return newPod, oldPod, true
}

// rollingUpdate is upstream's rollingUpdate over nodes (in name order; upstream walks a
// map): which old pods to delete and, when surging, on which nodes to create new ones.
// nodes holds every node with daemon pods plus every node that should run one.
func rollingUpdate(nodes []*nodePods, ds *appsv1.DaemonSet, desired int, hash string, generation *int64, now time.Time) (deletes []*corev1.Pod, creates []string) {
	maxSurge, maxUnavailable := rollingLimits(ds, desired)
	minReady := ds.Spec.MinReadySeconds
	if maxSurge == 0 {
		numUnavailable := 0
		var allowed, candidates []*corev1.Pod
		for _, n := range nodes {
			newPod, oldPod, ok := updatedPodsOnNode(n.pods, hash, generation)
			if !ok {
				numUnavailable++
				continue
			}
			switch {
			case oldPod == nil && newPod == nil, oldPod != nil && newPod != nil:
				numUnavailable++
			case newPod != nil:
				if !isPodAvailable(newPod, minReady, now) {
					numUnavailable++
				}
			default:
				switch {
				case !isPodAvailable(oldPod, minReady, now):
					allowed = append(allowed, oldPod)
				case numUnavailable >= maxUnavailable:
				default:
					candidates = append(candidates, oldPod)
				}
			}
		}
		remaining := min(max(maxUnavailable-numUnavailable, 0), len(candidates))
		return append(allowed, candidates[:remaining]...), nil
	}

	var oldToDelete, shouldNotRun []*corev1.Pod
	var candidateNodes, allowedNodes []string
	numSurge, numAvailable := 0, 0
	for _, n := range nodes {
		newPod, oldPod, ok := updatedPodsOnNode(n.pods, hash, generation)
		if !ok {
			numSurge++
			continue
		}
		if oldPod != nil {
			if isPodAvailable(oldPod, minReady, now) {
				numAvailable++
			}
		} else if newPod != nil && isPodAvailable(newPod, minReady, now) {
			numAvailable++
		}
		switch {
		case oldPod == nil:
		case newPod == nil:
			switch {
			case !isPodAvailable(oldPod, minReady, now):
				if !n.shouldRun {
					oldToDelete = append(oldToDelete, oldPod)
					continue
				}
				allowedNodes = append(allowedNodes, n.name)
			default:
				if !n.shouldRun {
					shouldNotRun = append(shouldNotRun, oldPod)
					continue
				}
				if numSurge >= maxSurge {
					continue
				}
				candidateNodes = append(candidateNodes, n.name)
			}
		default:
			if !isPodAvailable(newPod, minReady, now) {
				numSurge++
				continue
			}
			oldToDelete = append(oldToDelete, oldPod)
		}
	}
	if deletable := numAvailable - desired; deletable > 0 {
		oldToDelete = append(oldToDelete, shouldNotRun[:min(deletable, len(shouldNotRun))]...)
	}
	remaining := min(max(maxSurge-numSurge, 0), len(candidateNodes))
	return oldToDelete, append(allowedNodes, candidateNodes[:remaining]...)
}

// nodeStatus is one node's share of the DaemonSet status (updateDaemonSetStatus).
type nodeStatus struct {
	desired, current, ready, available, updated, misscheduled int32
}

func (s *nodeStatus) add(o nodeStatus, sign int32) {
	s.desired += sign * o.desired
	s.current += sign * o.current
	s.ready += sign * o.ready
	s.available += sign * o.available
	s.updated += sign * o.updated
	s.misscheduled += sign * o.misscheduled
}

// statusOfNode computes a node's share: only existing nodes count; the oldest pod speaks for
// the node.
func statusOfNode(n *nodePods, hash string, generation *int64, minReadySeconds int32, now time.Time) nodeStatus {
	var s nodeStatus
	if !n.exists {
		return s
	}
	scheduled := len(n.pods) > 0
	if !n.shouldRun {
		if scheduled {
			s.misscheduled = 1
		}
		return s
	}
	s.desired = 1
	if !scheduled {
		return s
	}
	s.current = 1
	pod := n.pods[0]
	if api.IsPodReady(pod) {
		s.ready = 1
		if isPodAvailable(pod, minReadySeconds, now) {
			s.available = 1
		}
	}
	if isPodUpdated(pod, hash, generation) {
		s.updated = 1
	}
	return s
}

// failedPodsBackoff is the per DaemonSet+node back-off on deleting failed daemon pods
// (flowcontrol.Backoff with 1 s initial and 15 min maximum delay, on virtual time).
type failedPodsBackoff struct {
	entries map[string]*backoffEntry
}

type backoffEntry struct {
	delay time.Duration
	last  time.Time
}

const (
	backoffInitial = time.Second
	backoffMax     = 15 * time.Minute
)

// inBackoff tells whether key was stepped less than its delay ago, and the delay.
func (b *failedPodsBackoff) inBackoff(key string, now time.Time) (bool, time.Duration) {
	e := b.entries[key]
	if e == nil {
		return false, 0
	}
	return now.Sub(e.last) < e.delay, e.delay
}

// next steps key's delay: the initial one when new or idle for over twice the maximum,
// doubled (to the maximum) otherwise.
func (b *failedPodsBackoff) next(key string, now time.Time) {
	e := b.entries[key]
	switch {
	case e == nil:
		e = &backoffEntry{delay: backoffInitial}
		b.entries[key] = e
	case now.Sub(e.last) > 2*backoffMax:
		e.delay = backoffInitial
	default:
		e.delay = min(2*e.delay, backoffMax)
	}
	e.last = now
}

// gc forgets entries idle for over twice the maximum delay.
func (b *failedPodsBackoff) gc(now time.Time) {
	for k, e := range b.entries {
		if now.Sub(e.last) > 2*backoffMax {
			delete(b.entries, k)
		}
	}
}
