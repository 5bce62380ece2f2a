package replicaset

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
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

// Component names, as the FROM column of events shows them.
const (
	ComponentReplicaSet            = "replicaset-controller"
	ComponentReplicationController = "replication-controller"
)

// BurstReplicas caps the creates or deletes of one sync (upstream's --concurrent burst
// default); the rest follow in the next sync at the same instant.
const BurstReplicas = 500

// Event reasons, from controller_utils.go.
const (
	ReasonSuccessfulCreate = "SuccessfulCreate"
	ReasonFailedCreate     = "FailedCreate"
	ReasonSuccessfulDelete = "SuccessfulDelete"
	ReasonFailedDelete     = "FailedDelete"
)

var podsResource = api.ResourceByName("pods")
var namespacesResource = api.ResourceByName("namespaces")

// Controller keeps one owner kind's replica count.
type Controller struct {
	cluster  *sim.Cluster
	api      *apiserver.Client
	kind     *ownerKind
	recorder *events.Recorder
	owners   map[string]*ownerState // by "namespace/name"
}

// ownerState is what the controller remembers of one ReplicaSet or ReplicationController
// between syncs. Everything here can be rebuilt from the store (needsRebuild), so losing it
// (a restored cluster) costs one full listing.
type ownerState struct {
	key        string // namespace/name, made once: every pod event enqueues it
	uid        types.UID
	generation int64
	// selector and templateLabels are parsed once per generation.
	selector       labels.Selector
	selectorErr    error
	templateLabels labels.Selector
	needsRebuild   bool
	// pods are the claimed pods by name, with what each contributes to the status.
	pods   map[string]podState
	counts replicaCounts
	// dirty are pods whose events concern this owner since the last sync; dirtyGrew tells
	// that it held more than a small map's few entries since it was made.
	dirty     map[string]struct{}
	dirtyGrew bool
	// writtenRV is the resourceVersion of our own last status write, whose watch event needs
	// no sync.
	writtenRV string
	// burst is what is left of the creates or deletes under way (at most BurstReplicas):
	// upstream's sync waits for its client's rate limit inside the burst and writes the
	// status after it, so a sync that must wait resumes the burst instead of starting anew.
	burst int
}

// New wires the ReplicaSet and the ReplicationController controllers into c.
func New(c *sim.Cluster) (replicaSets, replicationControllers *Controller) {
	return newController(c, replicaSetKind), newController(c, replicationControllerKind)
}

func newController(c *sim.Cluster, k *ownerKind) *Controller {
	rc := &Controller{cluster: c, api: c.API.Client(k.component), kind: k, recorder: c.Recorder(k.component, ""), owners: map[string]*ownerState{}}
	c.Watch(k.resource.Name, rc.onOwner)
	c.Watch(podsResource.Name, rc.onPod)
	c.AddController(k.component, rc.sync)
	return rc
}

func key(namespace, name string) string { return namespace + "/" + name }

// stateFor returns the state of owner obj, resetting it when obj is a new incarnation or a new
// generation.
func (rc *Controller) stateFor(obj api.Object) *ownerState {
	// The key is built for the lookup alone (on the stack) and made to last only for a new
	// state: this runs for every pod event.
	st := rc.owners[key(obj.GetNamespace(), obj.GetName())]
	if st != nil && st.uid == obj.GetUID() && st.generation == obj.GetGeneration() {
		return st
	}
	k := key(obj.GetNamespace(), obj.GetName())
	v := rc.kind.view(obj)
	sel, err := rc.kind.selector(obj)
	var tmplLabels map[string]string
	if v.template != nil {
		tmplLabels = v.template.Labels
	}
	nst := &ownerState{
		key:            k,
		uid:            obj.GetUID(),
		generation:     obj.GetGeneration(),
		selector:       sel,
		selectorErr:    err,
		templateLabels: labels.SelectorFromSet(tmplLabels),
		needsRebuild:   true,
		pods:           map[string]podState{},
		dirty:          map[string]struct{}{},
	}
	if st != nil && st.uid == obj.GetUID() {
		nst.writtenRV = st.writtenRV
	}
	rc.owners[k] = nst
	return nst
}

func (rc *Controller) onOwner(ev store.WatchEvent) {
	k := key(ev.Object.GetNamespace(), ev.Object.GetName())
	if ev.Type == store.Deleted {
		delete(rc.owners, k)
		rc.cluster.Enqueue(rc.kind.component, k)
		return
	}
	st := rc.stateFor(ev.Object)
	if ev.Type == store.Modified && ev.Object.GetResourceVersion() == st.writtenRV {
		return // our own status write
	}
	rc.cluster.Enqueue(rc.kind.component, k)
}

// onPod enqueues the owners a pod event concerns, as upstream's add/update/deletePod: the
// pod's controller (old and new), or for an orphan every owner whose selector matches it.
func (rc *Controller) onPod(ev store.WatchEvent) {
	pod := podowner.Route(ev, rc.markOwned)
	if pod == nil {
		return
	}
	set := labels.Set(pod.Labels)
	rc.cluster.Store.Each(rc.kind.resource, pod.Namespace, func(obj api.Object) bool {
		st := rc.stateFor(obj)
		if st.selectorErr == nil && st.selector.Matches(set) {
			st.markDirty(pod.Name)
			rc.cluster.Enqueue(rc.kind.component, st.key)
		}
		return true
	})
}

// markOwned marks pod dirty for the owner ref names, if that owner is ours and still exists
// with that uid.
func (rc *Controller) markOwned(namespace string, ref *metav1.OwnerReference, pod string) {
	if ref.Kind != rc.kind.gvk.Kind || !sameGroup(ref.APIVersion, rc.kind.gvk.Group) {
		return
	}
	obj, err := rc.cluster.Store.Get(rc.kind.resource, namespace, ref.Name)
	if err != nil || obj.GetUID() != ref.UID {
		return
	}
	st := rc.stateFor(obj)
	st.markDirty(pod)
	rc.cluster.Enqueue(rc.kind.component, st.key)
}

// markDirty notes a pod whose event concerns the owner.
func (st *ownerState) markDirty(pod string) {
	st.dirty[pod] = struct{}{}
	if len(st.dirty) > smallDirty {
		st.dirtyGrew = true
	}
}

// smallDirty is as many entries as a map holds without growing past its first group.
const smallDirty = 8

func sameGroup(apiVersion, group string) bool {
	g, _, found := strings.Cut(apiVersion, "/")
	if !found {
		g = ""
	}
	return g == group
}

// sync reconciles one owner: claim pods, create or delete to reach spec.replicas, write status.
func (rc *Controller) sync(k string) (time.Duration, error) {
	ns, name, _ := strings.Cut(k, "/")
	// Lookup, not Get: IsNotFound(nil) allocates, once per sync (~8 per pod).
	obj := rc.cluster.Store.Lookup(rc.kind.resource, ns, name)
	if obj == nil {
		delete(rc.owners, k)
		rc.api.CancelReservation(k)
		return 0, nil
	}
	st := rc.stateFor(obj)
	if st.selectorErr != nil {
		// Upstream logs and drops the key: an invalid selector will not become valid by retrying.
		return 0, nil
	}
	if err := rc.claim(obj, st); err != nil {
		return 0, err
	}
	view := rc.kind.view(obj)
	now := rc.cluster.Now()

	var manageErr error
	if obj.GetDeletionTimestamp() == nil {
		var wait time.Duration
		wait, manageErr = rc.manageReplicas(obj, st, view)
		if wait > 0 {
			return wait, nil
		}
	}

	available, nextAvailable := countAvailable(st.pods, st.counts.ready, view.minReadySeconds, now)
	status := calculateStatus(view.status, obj.GetGeneration(), view.replicas, st.counts, available, manageErr, now)
	if !equality.Semantic.DeepEqual(status, view.status) {
		updated, err := rc.api.UpdateStatus(rc.kind.withStatus(obj, status), apiserver.UpdateOptions{})
		if err != nil {
			return 0, err
		}
		st.writtenRV = updated.GetResourceVersion()
	}
	if manageErr != nil {
		return 0, manageErr
	}
	return nextAvailable, nil
}

// claim brings st.pods up to date: a full listing when the owner is new or changed, otherwise
// only the dirty pods. Both follow the ControllerRefManager's rules.
func (rc *Controller) claim(owner api.Object, st *ownerState) error {
	var names []string
	if st.needsRebuild {
		st.pods = map[string]podState{}
		st.counts = replicaCounts{}
		rc.cluster.Store.Each(podsResource, owner.GetNamespace(), func(o api.Object) bool {
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
		st.needsRebuild = false
	} else {
		names = make([]string, 0, len(st.dirty))
		for n := range st.dirty {
			names = append(names, n)
		}
		sort.Strings(names)
	}
	if len(st.dirty) > 0 {
		// A fresh map after a burst, since clearing one costs its whole capacity; a map
		// that stayed small is cleared and kept.
		if st.dirtyGrew {
			st.dirty, st.dirtyGrew = map[string]struct{}{}, false
		} else {
			clear(st.dirty)
		}
	}
	for _, n := range names {
		if err := rc.claimPod(owner, st, n); err != nil {
			return err
		}
	}
	return nil
}

func (rc *Controller) forget(st *ownerState, name string) {
	if old, ok := st.pods[name]; ok {
		st.counts.add(old, -1)
		delete(st.pods, name)
	}
}

func (rc *Controller) keep(st *ownerState, pod *corev1.Pod) {
	s := classifyPod(pod, st.templateLabels)
	// One lookup and an overwrite, not a delete and an insert: this runs for every pod event.
	if old, ok := st.pods[pod.Name]; ok {
		if old.same(s) {
			return
		}
		st.counts.add(old, -1)
	}
	st.pods[pod.Name] = s
	st.counts.add(s, 1)
}

// claimPod applies ClaimPods to one pod: keep what we own and still select, release what we
// own but no longer select, adopt matching orphans, ignore pods of other controllers.
func (rc *Controller) claimPod(owner api.Object, st *ownerState, name string) error {
	o, err := rc.cluster.Store.Get(podsResource, owner.GetNamespace(), name)
	if err != nil {
		rc.forget(st, name)
		return nil
	}
	pod := o.(*corev1.Pod)
	matches := st.selector.Matches(labels.Set(pod.Labels))
	ownerDeleting := owner.GetDeletionTimestamp() != nil
	ref := metav1.GetControllerOfNoCopy(pod)
	switch {
	case ref != nil && ref.UID != st.uid:
		rc.forget(st, name)
	case ref != nil && (matches || ownerDeleting):
		// A deleting owner releases nothing: its pods are the garbage collector's now.
		rc.keep(st, pod)
	case ref != nil:
		rc.forget(st, name)
		released := pod.DeepCopy()
		released.OwnerReferences = withoutOwner(released.OwnerReferences, st.uid)
		if _, err := rc.api.Update(released, apiserver.UpdateOptions{HandOver: true}); err != nil && !apierrors.IsNotFound(err) {
			return err
		}
	case !matches || ownerDeleting || pod.DeletionTimestamp != nil:
		rc.forget(st, name)
	default:
		adopted := pod.DeepCopy()
		adopted.OwnerReferences = append(adopted.OwnerReferences, controllerRef(owner, rc.kind.gvk))
		updated, err := rc.api.Update(adopted, apiserver.UpdateOptions{HandOver: true})
		if err != nil {
			if apierrors.IsNotFound(err) {
				rc.forget(st, name)
				return nil
			}
			return err
		}
		rc.keep(st, updated.(*corev1.Pod))
	}
	return nil
}

func withoutOwner(refs []metav1.OwnerReference, uid types.UID) []metav1.OwnerReference {
	out := refs[:0]
	for _, r := range refs {
		if r.UID != uid {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// manageReplicas creates or deletes pods to move the active count towards spec.replicas.
// wait > 0 means the burst under way must wait that long for the client's rate limit.
func (rc *Controller) manageReplicas(owner api.Object, st *ownerState, view ownerView) (wait time.Duration, err error) {
	diff := int(st.counts.active) - int(view.replicas)
	if diff == 0 {
		st.burst = 0
		return 0, nil
	}
	if st.burst <= 0 {
		st.burst = min(max(diff, -diff), BurstReplicas)
	}
	// The burst is over when this sync returns, unless it waits.
	defer func() {
		if wait == 0 {
			st.burst = 0
		}
	}()
	switch {
	case diff < 0:
		n := min(-diff, st.burst)
		if n < -diff {
			defer func() {
				if wait == 0 {
					rc.cluster.Enqueue(rc.kind.component, st.key)
				}
			}()
		}
		if nsObj, err := rc.cluster.Store.Get(namespacesResource, "", owner.GetNamespace()); err == nil && nsObj.GetDeletionTimestamp() != nil {
			// Upstream drops creates into a terminating namespace without an event.
			return 0, nil
		}
		for i := 0; i < n; i++ {
			if d := rc.api.Reserve(st.key); d > 0 {
				return d, nil
			}
			pod, err := newPodFromTemplate(view.template, owner, rc.kind.gvk)
			if err != nil {
				return 0, err
			}
			created, err := rc.api.Create(pod, apiserver.CreateOptions{HandOver: true})
			if err != nil {
				rc.recorder.Eventf(owner, corev1.EventTypeWarning, ReasonFailedCreate, "Error creating: %v", err)
				return 0, err
			}
			st.burst--
			rc.recorder.Eventf(owner, corev1.EventTypeNormal, ReasonSuccessfulCreate, "Created pod: %v", created.GetName())
			// A burst is long: the page may paint between two creations.
			rc.cluster.MayPause()
		}
	case diff > 0:
		n := min(diff, st.burst)
		if n < diff {
			defer func() {
				if wait == 0 {
					rc.cluster.Enqueue(rc.kind.component, st.key)
				}
			}()
		}
		pods := make([]*corev1.Pod, 0, st.counts.active)
		for name, s := range st.pods {
			if !s.active {
				continue
			}
			if o, err := rc.cluster.Store.Get(podsResource, owner.GetNamespace(), name); err == nil {
				pods = append(pods, o.(*corev1.Pod))
			}
		}
		// getPodsToDelete orders totally (names last), so the map order above does not leak.
		for _, pod := range getPodsToDelete(pods, n) {
			if d := rc.api.Reserve(st.key); d > 0 {
				return d, nil
			}
			st.burst--
			if _, err := rc.api.Delete(podsResource, pod.Namespace, pod.Name, apiserver.DeleteOptions{}); err != nil {
				if apierrors.IsNotFound(err) {
					continue
				}
				rc.recorder.Eventf(owner, corev1.EventTypeWarning, ReasonFailedDelete, "Error deleting: %v", err)
				return 0, fmt.Errorf("unable to delete pods: %w", err)
			}
			rc.recorder.Eventf(owner, corev1.EventTypeNormal, ReasonSuccessfulDelete, "Deleted pod: %v", pod.Name)
			rc.cluster.MayPause()
		}
	}
	return 0, nil
}
