package daemonset

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/controller/podowner"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// Component is the controller's name in the sim loop and the FROM of its events.
const Component = "daemonset-controller"

// BurstReplicas caps the creates, and separately the deletes, of one sync.
const BurstReplicas = 250

// Event reasons: the pod ones from controller_utils.go, the rest from daemon_controller.go.
const (
	ReasonSuccessfulCreate   = "SuccessfulCreate"
	ReasonFailedCreate       = "FailedCreate"
	ReasonSuccessfulDelete   = "SuccessfulDelete"
	ReasonFailedDelete       = "FailedDelete"
	ReasonSelectingAll       = "SelectingAll"
	ReasonFailedDaemonPod    = "FailedDaemonPod"
	ReasonSucceededDaemonPod = "SucceededDaemonPod"
)

var (
	podsResource       = api.ResourceByName("pods")
	nodesResource      = api.ResourceByName("nodes")
	daemonSetsResource = api.ResourceByName("daemonsets")
	namespacesResource = api.ResourceByName("namespaces")
)

// Controller is the DaemonSet controller of one cluster.
type Controller struct {
	c        *sim.Cluster
	api      *apiserver.Client
	recorder *events.Recorder
	sets     map[string]*dsState // by "namespace/name"
	backoff  failedPodsBackoff
}

// dsState is what the controller remembers of one DaemonSet between syncs. All of it can be
// rebuilt from the store (needsRebuild), which happens whenever the generation changes.
type dsState struct {
	uid        types.UID
	generation int64
	selector   labels.Selector
	selErr     error
	selectAll  bool
	hash       string
	tmplGen    *int64
	// probe is the template pod the node predicates look at.
	probe        *corev1.Pod
	needsRebuild bool

	// pods are the claimed pods by name, with the node each targets ("" when none).
	pods  map[string]podRef
	nodes map[string]*nodeState
	// dirtyPods need re-claiming; dirtyNodes need their predicates, actions and status
	// share recomputed.
	dirtyPods  map[string]struct{}
	dirtyNodes map[string]struct{}
	// counts is the sum of the nodes' status shares.
	counts nodeStatus
	// oldNodes counts nodes holding a pod of an older template, so that a sync outside a
	// rollout does not walk every node.
	oldNodes  int
	writtenRV string
}

type podRef struct {
	pod  *corev1.Pod
	node string
}

// nodeState is one node as one DaemonSet sees it.
type nodeState struct {
	// predicates, valid for the node's resourceVersion predRV
	predRV                    string
	shouldRun, shouldContinue bool
	pods                      map[string]*corev1.Pod
	share                     nodeStatus
	hasOld                    bool
}

// New adds the DaemonSet controller to c and returns it.
func New(c *sim.Cluster) *Controller {
	ctl := &Controller{
		c:        c,
		api:      c.API.Client(Component),
		recorder: c.Recorder(Component, ""),
		sets:     map[string]*dsState{},
		backoff:  failedPodsBackoff{entries: map[string]*backoffEntry{}},
	}
	c.Watch(daemonSetsResource.Name, ctl.onDaemonSet)
	c.Watch(nodesResource.Name, ctl.onNode)
	c.Watch(podsResource.Name, ctl.onPod)
	c.AddController(Component, ctl.sync)
	return ctl
}

func key(namespace, name string) string { return namespace + "/" + name }

// stateFor returns ds's state, starting afresh for a new uid or generation.
func (ctl *Controller) stateFor(ds *appsv1.DaemonSet) *dsState {
	k := key(ds.Namespace, ds.Name)
	st := ctl.sets[k]
	if st != nil && st.uid == ds.UID && st.generation == ds.Generation {
		return st
	}
	sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	nst := &dsState{
		uid:          ds.UID,
		generation:   ds.Generation,
		selector:     sel,
		selErr:       err,
		selectAll:    ds.Spec.Selector != nil && reflect.DeepEqual(*ds.Spec.Selector, metav1.LabelSelector{}),
		hash:         templateHash(&ds.Spec.Template, ds.Status.CollisionCount),
		tmplGen:      templateGeneration(ds),
		probe:        probePod(ds),
		needsRebuild: true,
		pods:         map[string]podRef{},
		nodes:        map[string]*nodeState{},
		dirtyPods:    map[string]struct{}{},
		dirtyNodes:   map[string]struct{}{},
	}
	if st != nil && st.uid == ds.UID {
		nst.writtenRV = st.writtenRV
	}
	ctl.sets[k] = nst
	return nst
}

func (ctl *Controller) onDaemonSet(ev store.WatchEvent) {
	ds := ev.Object.(*appsv1.DaemonSet)
	k := key(ds.Namespace, ds.Name)
	if ev.Type == store.Deleted {
		delete(ctl.sets, k)
		return
	}
	st := ctl.stateFor(ds)
	if ev.Type == store.Modified && ds.ResourceVersion == st.writtenRV {
		return // our own status write
	}
	ctl.c.Enqueue(Component, k)
}

// onNode wakes the DaemonSets for which a node's predicates changed (upstream's addNode and
// updateNode, plus node removal, so that the status follows at once); only labels and
// taints feed the predicates, so heartbeats cost nothing.
func (ctl *Controller) onNode(ev store.WatchEvent) {
	node := ev.Object.(*corev1.Node)
	var old *corev1.Node
	if ev.Type == store.Modified {
		old = ev.Old.(*corev1.Node)
		if labels.Equals(old.Labels, node.Labels) && reflect.DeepEqual(old.Spec.Taints, node.Spec.Taints) {
			return
		}
	}
	ctl.c.Store.Each(daemonSetsResource, "", func(o api.Object) bool {
		ds := o.(*appsv1.DaemonSet)
		st := ctl.stateFor(ds)
		wake := false
		switch ev.Type {
		case store.Added:
			run, _ := nodeShouldRunDaemonPod(st.probe, node)
			wake = run
		case store.Deleted:
			ns := st.nodes[node.Name]
			wake = ns != nil && (len(ns.pods) > 0 || ns.share != nodeStatus{})
		default:
			r1, c1 := nodeShouldRunDaemonPod(st.probe, old)
			r2, c2 := nodeShouldRunDaemonPod(st.probe, node)
			wake = r1 != r2 || c1 != c2
		}
		if wake {
			st.dirtyNodes[node.Name] = struct{}{}
			ctl.c.Enqueue(Component, key(ds.Namespace, ds.Name))
		}
		return true
	})
}

// onPod marks the pod for the DaemonSets it concerns: its controller (old and new), or, for
// an orphan whose labels may now match, every DaemonSet in the namespace that selects it.
func (ctl *Controller) onPod(ev store.WatchEvent) {
	pod := podowner.Route(ev, ctl.markOwned)
	if pod == nil {
		return
	}
	set := labels.Set(pod.Labels)
	ctl.c.Store.Each(daemonSetsResource, pod.Namespace, func(o api.Object) bool {
		ds := o.(*appsv1.DaemonSet)
		st := ctl.stateFor(ds)
		if st.selErr == nil && !st.selectAll && st.selector.Matches(set) {
			st.dirtyPods[pod.Name] = struct{}{}
			ctl.c.Enqueue(Component, key(ds.Namespace, ds.Name))
		}
		return true
	})
}

func (ctl *Controller) markOwned(namespace string, ref *metav1.OwnerReference, pod string) {
	if ref.Kind != "DaemonSet" || !strings.HasPrefix(ref.APIVersion, "apps/") {
		return
	}
	obj, err := ctl.c.Store.Get(daemonSetsResource, namespace, ref.Name)
	if err != nil || obj.GetUID() != ref.UID {
		return
	}
	st := ctl.stateFor(obj.(*appsv1.DaemonSet))
	st.dirtyPods[pod] = struct{}{}
	ctl.c.Enqueue(Component, key(namespace, ref.Name))
}

// sync reconciles one DaemonSet: claim its pods, create and delete per node, roll out a new
// template, write the status.
func (ctl *Controller) sync(k string) (time.Duration, error) {
	ns, name, _ := strings.Cut(k, "/")
	obj, err := ctl.c.Store.Get(daemonSetsResource, ns, name)
	if apierrors.IsNotFound(err) {
		delete(ctl.sets, k)
		ctl.api.CancelReservation(k)
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	ds := obj.(*appsv1.DaemonSet)
	st := ctl.stateFor(ds)
	now := ctl.c.Now()
	ctl.backoff.gc(now)
	if st.selectAll {
		ctl.recorder.Eventf(ds, corev1.EventTypeWarning, ReasonSelectingAll, "This daemon set is selecting all pods. A non-empty selector is required.")
		return 0, nil
	}
	if st.selErr != nil || ds.DeletionTimestamp != nil {
		return 0, nil
	}
	if err := ctl.claim(ds, st); err != nil {
		return 0, err
	}
	if st.needsRebuild {
		ctl.c.Store.Each(nodesResource, "", func(o api.Object) bool {
			st.dirtyNodes[o.GetName()] = struct{}{}
			return true
		})
		st.needsRebuild = false
	}
	if ds.Spec.MinReadySeconds > 0 {
		// Availability moves with time alone: look at every node holding pods.
		for n, s := range st.nodes {
			if len(s.pods) > 0 {
				st.dirtyNodes[n] = struct{}{}
			}
		}
	}

	requeue, changed, throttled, manageErr := ctl.manage(ds, st, now)
	if manageErr == nil && throttled == 0 && !changed && st.oldNodes > 0 && ds.Spec.UpdateStrategy.Type == appsv1.RollingUpdateDaemonSetStrategyType {
		// Upstream rolls out only once the creates and deletes of manage are observed.
		throttled, manageErr = ctl.rollOut(ds, st, now)
	}
	if throttled > 0 && manageErr == nil {
		// Upstream's sync waits for its client's rate limit inside the burst and writes
		// the status after it: come back when the next write may go.
		if requeue == 0 || throttled < requeue {
			requeue = throttled
		}
		return requeue, nil
	}

	if err := ctl.writeStatus(ds, st); err != nil {
		return 0, err
	}
	if manageErr != nil {
		return 0, manageErr
	}
	if ds.Spec.MinReadySeconds > 0 && st.counts.ready != st.counts.available {
		next := time.Duration(0)
		for _, s := range st.nodes {
			for _, p := range s.pods {
				if d := untilAvailable(p, ds.Spec.MinReadySeconds, now); d > 0 && (next == 0 || d < next) {
					next = d
				}
			}
		}
		if next > 0 && (requeue == 0 || next < requeue) {
			requeue = next
		}
	}
	return requeue, nil
}

// claim brings st.pods up to date: every pod of the namespace on a rebuild, the dirty ones
// otherwise, with the ControllerRefManager's rules.
func (ctl *Controller) claim(ds *appsv1.DaemonSet, st *dsState) error {
	var names []string
	if st.needsRebuild {
		for n := range st.pods {
			ctl.forget(st, n)
		}
		ctl.c.Store.Each(podsResource, ds.Namespace, func(o api.Object) bool {
			pod := o.(*corev1.Pod)
			if ref := metav1.GetControllerOfNoCopy(pod); ref != nil {
				if ref.UID == st.uid {
					names = append(names, pod.Name)
				}
			} else if st.selector.Matches(labels.Set(pod.Labels)) {
				names = append(names, pod.Name)
			}
			return true
		})
	} else {
		names = make([]string, 0, len(st.dirtyPods))
		for n := range st.dirtyPods {
			names = append(names, n)
		}
		sort.Strings(names)
	}
	if len(st.dirtyPods) > 0 {
		st.dirtyPods = map[string]struct{}{}
	}
	for _, n := range names {
		if err := ctl.claimPod(ds, st, n); err != nil {
			return err
		}
	}
	return nil
}

func (ctl *Controller) claimPod(ds *appsv1.DaemonSet, st *dsState, name string) error {
	o, err := ctl.c.Store.Get(podsResource, ds.Namespace, name)
	if err != nil {
		ctl.forget(st, name)
		return nil
	}
	pod := o.(*corev1.Pod)
	matches := st.selector.Matches(labels.Set(pod.Labels))
	ref := metav1.GetControllerOfNoCopy(pod)
	switch {
	case ref != nil && ref.UID != st.uid:
		ctl.forget(st, name)
	case ref != nil && matches:
		ctl.keep(st, pod)
	case ref != nil:
		// Our pod no longer matches: release it.
		ctl.forget(st, name)
		released := pod.DeepCopy()
		released.OwnerReferences = withoutOwner(released.OwnerReferences, st.uid)
		if _, err := ctl.api.Update(released, apiserver.UpdateOptions{HandOver: true}); err != nil && !apierrors.IsNotFound(err) {
			return err
		}
	case !matches || pod.DeletionTimestamp != nil:
		ctl.forget(st, name)
	default:
		adopted := pod.DeepCopy()
		adopted.OwnerReferences = append(adopted.OwnerReferences, newDaemonPod(ds, "", nil, "").OwnerReferences[0])
		updated, err := ctl.api.Update(adopted, apiserver.UpdateOptions{HandOver: true})
		if err != nil {
			if apierrors.IsNotFound(err) {
				ctl.forget(st, name)
				return nil
			}
			return err
		}
		ctl.keep(st, updated.(*corev1.Pod))
	}
	return nil
}

func withoutOwner(refs []metav1.OwnerReference, uid types.UID) []metav1.OwnerReference {
	var out []metav1.OwnerReference
	for _, r := range refs {
		if r.UID != uid {
			out = append(out, r)
		}
	}
	return out
}

func (st *dsState) node(name string) *nodeState {
	ns := st.nodes[name]
	if ns == nil {
		ns = &nodeState{pods: map[string]*corev1.Pod{}}
		st.nodes[name] = ns
	}
	return ns
}

func (ctl *Controller) forget(st *dsState, name string) {
	ref, ok := st.pods[name]
	if !ok {
		return
	}
	delete(st.pods, name)
	if ns := st.nodes[ref.node]; ns != nil {
		delete(ns.pods, name)
	}
	st.dirtyNodes[ref.node] = struct{}{}
}

// keep records a claimed pod under the node it targets. Pods that are both finished and
// being deleted are the kubelet's or the pod GC's business and count for nothing
// (getNodesToDaemonPods), nor do pods that name no node.
func (ctl *Controller) keep(st *dsState, pod *corev1.Pod) {
	ctl.forget(st, pod.Name)
	if isTerminal(pod) && pod.DeletionTimestamp != nil {
		return
	}
	node, ok := targetNodeName(pod)
	if !ok {
		return
	}
	st.pods[pod.Name] = podRef{pod: pod, node: node}
	st.node(node).pods[pod.Name] = pod
	st.dirtyNodes[node] = struct{}{}
}

// view assembles what the decisions see of one node, refreshing its predicates when the
// Node object changed.
func (ctl *Controller) view(st *dsState, name string) (*nodePods, *nodeState) {
	ns := st.node(name)
	n := &nodePods{name: name}
	if o, err := ctl.c.Store.Get(nodesResource, "", name); err == nil {
		node := o.(*corev1.Node)
		n.exists = true
		if ns.predRV != node.ResourceVersion || ns.predRV == "" {
			ns.shouldRun, ns.shouldContinue = nodeShouldRunDaemonPod(st.probe, node)
			ns.predRV = node.ResourceVersion
		}
		n.shouldRun, n.shouldContinue = ns.shouldRun, ns.shouldContinue
	} else {
		ns.predRV = ""
	}
	n.pods = make([]*corev1.Pod, 0, len(ns.pods))
	for _, p := range ns.pods {
		n.pods = append(n.pods, p)
	}
	sortByCreation(n.pods)
	return n, ns
}

// manage is upstream's manage over the dirty nodes: it creates and deletes pods (at most
// BurstReplicas of each) and recomputes the nodes' status shares. Nodes left with work
// (burst limit, back-off, rate limit) stay dirty. changed reports whether anything was
// created or deleted; throttled, how long the rest must wait for the client's rate limit.
func (ctl *Controller) manage(ds *appsv1.DaemonSet, st *dsState, now time.Time) (requeue time.Duration, changed bool, throttled time.Duration, err error) {
	names := make([]string, 0, len(st.dirtyNodes))
	for n := range st.dirtyNodes {
		names = append(names, n)
	}
	sort.Strings(names)
	st.dirtyNodes = map[string]struct{}{}
	surge := allowsSurge(ds)

	var createOn []string
	var toDelete []*corev1.Pod
	for _, name := range names {
		n, ns := ctl.view(st, name)
		st.counts.add(ns.share, -1)
		if ns.hasOld {
			st.oldNodes--
		}
		ns.share = statusOfNode(n, st.hash, st.tmplGen, ds.Spec.MinReadySeconds, now)
		ns.hasOld = false
		for _, p := range n.pods {
			if p.DeletionTimestamp == nil && !isPodUpdated(p, st.hash, st.tmplGen) {
				ns.hasOld = true
			}
		}
		st.counts.add(ns.share, 1)
		if ns.hasOld {
			st.oldNodes++
		}
		if !n.exists {
			// Pods pinned to a node that does not exist and never bound cannot be removed by
			// the pod GC (getUnscheduledPodsWithoutNode).
			for _, p := range n.pods {
				if p.Spec.NodeName == "" && p.DeletionTimestamp == nil {
					toDelete = append(toDelete, p)
				}
			}
			if len(ns.pods) == 0 {
				delete(st.nodes, name)
			}
			continue
		}
		a := podsShouldBeOnNode(n, surge, st.hash, ds.Spec.MinReadySeconds, now)
		if a.create {
			createOn = append(createOn, name)
		}
		for _, p := range a.failed {
			bk := string(st.uid) + "/" + name
			if in, delay := ctl.backoff.inBackoff(bk, now); in {
				st.dirtyNodes[name] = struct{}{}
				if requeue == 0 || delay < requeue {
					requeue = delay
				}
				continue
			}
			ctl.backoff.next(bk, now)
			ctl.recorder.Eventf(ds, corev1.EventTypeWarning, ReasonFailedDaemonPod,
				"Found failed daemon pod %s/%s on node %s, will try to kill it", p.Namespace, p.Name, name)
			toDelete = append(toDelete, p)
		}
		for _, p := range a.succeeded {
			ctl.recorder.Eventf(ds, corev1.EventTypeNormal, ReasonSucceededDaemonPod,
				"Found succeeded daemon pod %s/%s on node %s, will try to delete it", p.Namespace, p.Name, name)
			toDelete = append(toDelete, p)
		}
		toDelete = append(toDelete, a.remove...)
	}
	changed = len(createOn) > 0 || len(toDelete) > 0
	throttled, err = ctl.syncNodes(ds, st, toDelete, createOn)
	return requeue, changed, throttled, err
}

// syncNodes creates pods on nodes and deletes pods, BurstReplicas of each at most; the
// nodes left over stay dirty for the next sync, which is queued at once, or once the
// client's rate limit lets it write again (throttled).
func (ctl *Controller) syncNodes(ds *appsv1.DaemonSet, st *dsState, toDelete []*corev1.Pod, createOn []string) (throttled time.Duration, err error) {
	// What is past a burst waits for the next sync: at once, unless the rate limit stops
	// this one (then the sync's requeue brings it back when a write may go; an immediate
	// one would find the client still throttled, again and again, in the same instant).
	more := false
	if len(createOn) > BurstReplicas {
		for _, n := range createOn[BurstReplicas:] {
			st.dirtyNodes[n] = struct{}{}
		}
		createOn = createOn[:BurstReplicas]
		more = true
	}
	if len(toDelete) > BurstReplicas {
		for _, p := range toDelete[BurstReplicas:] {
			st.dirtyPods[p.Name] = struct{}{}
		}
		toDelete = toDelete[:BurstReplicas]
		more = true
	}
	defer func() {
		if more && throttled == 0 {
			ctl.c.Enqueue(Component, key(ds.Namespace, ds.Name))
		}
	}()
	var errs []error
	if len(createOn) > 0 {
		if nsObj, err := ctl.c.Store.Get(namespacesResource, "", ds.Namespace); err == nil && nsObj.GetDeletionTimestamp() != nil {
			// Upstream drops creates into a terminating namespace without an event.
			createOn = nil
		}
	}
	for i, node := range createOn {
		if throttled = ctl.api.Reserve(key(ds.Namespace, ds.Name)); throttled > 0 {
			for _, n := range createOn[i:] {
				st.dirtyNodes[n] = struct{}{}
			}
			break
		}
		created, err := ctl.api.Create(newDaemonPod(ds, st.hash, st.tmplGen, node), apiserver.CreateOptions{HandOver: true})
		if err != nil {
			ctl.recorder.Eventf(ds, corev1.EventTypeWarning, ReasonFailedCreate, "Error creating: %v", err)
			errs = append(errs, err)
			// Like upstream's slow start, stop at the first failure; the rest wait for the retry.
			for _, n := range createOn[i:] {
				st.dirtyNodes[n] = struct{}{}
			}
			break
		}
		ctl.recorder.Eventf(ds, corev1.EventTypeNormal, ReasonSuccessfulCreate, "Created pod: %v", created.GetName())
		// One pod per node: across a thousand nodes, the page may paint between two.
		ctl.c.MayPause()
	}
	for i, p := range toDelete {
		if throttled == 0 {
			throttled = ctl.api.Reserve(key(ds.Namespace, ds.Name))
		}
		if throttled > 0 {
			for _, p := range toDelete[i:] {
				st.dirtyPods[p.Name] = struct{}{}
			}
			break
		}
		if _, err := ctl.api.Delete(podsResource, p.Namespace, p.Name, apiserver.DeleteOptions{}); err != nil {
			if apierrors.IsNotFound(err) {
				continue
			}
			ctl.recorder.Eventf(ds, corev1.EventTypeWarning, ReasonFailedDelete, "Error deleting: %v", err)
			st.dirtyPods[p.Name] = struct{}{}
			errs = append(errs, err)
			continue
		}
		ctl.recorder.Eventf(ds, corev1.EventTypeNormal, ReasonSuccessfulDelete, "Deleted pod: %v", p.Name)
		ctl.c.MayPause()
	}
	switch len(errs) {
	case 0:
		return throttled, nil
	case 1:
		return throttled, errs[0]
	}
	return throttled, fmt.Errorf("%d errors, the first: %w", len(errs), errs[0])
}

// rollOut runs the rolling update over every node with pods or that should run one.
func (ctl *Controller) rollOut(ds *appsv1.DaemonSet, st *dsState, now time.Time) (throttled time.Duration, err error) {
	names := make([]string, 0, len(st.nodes))
	for n, s := range st.nodes {
		if len(s.pods) > 0 || s.share.desired > 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	nodes := make([]*nodePods, 0, len(names))
	for _, n := range names {
		v, _ := ctl.view(st, n)
		nodes = append(nodes, v)
	}
	deletes, creates := rollingUpdate(nodes, ds, int(st.counts.desired), st.hash, st.tmplGen, now)
	return ctl.syncNodes(ds, st, deletes, creates)
}

// writeStatus stores the status when it differs (storeDaemonSetStatus).
func (ctl *Controller) writeStatus(ds *appsv1.DaemonSet, st *dsState) error {
	c := st.counts
	want := appsv1.DaemonSetStatus{
		DesiredNumberScheduled: c.desired,
		CurrentNumberScheduled: c.current,
		NumberMisscheduled:     c.misscheduled,
		NumberReady:            c.ready,
		UpdatedNumberScheduled: c.updated,
		NumberAvailable:        c.available,
		NumberUnavailable:      c.desired - c.available,
		ObservedGeneration:     ds.Generation,
	}
	s := ds.Status
	if s.DesiredNumberScheduled == want.DesiredNumberScheduled && s.CurrentNumberScheduled == want.CurrentNumberScheduled &&
		s.NumberMisscheduled == want.NumberMisscheduled && s.NumberReady == want.NumberReady &&
		s.UpdatedNumberScheduled == want.UpdatedNumberScheduled && s.NumberAvailable == want.NumberAvailable &&
		s.NumberUnavailable == want.NumberUnavailable && s.ObservedGeneration >= ds.Generation {
		return nil
	}
	next := *ds // status only: the spec and metadata are shared, read only
	want.CollisionCount = s.CollisionCount
	want.Conditions = s.Conditions
	next.Status = want
	updated, err := ctl.api.UpdateStatus(&next, apiserver.UpdateOptions{HandOver: true})
	if err != nil {
		return err
	}
	st.writtenRV = updated.GetResourceVersion()
	return nil
}
