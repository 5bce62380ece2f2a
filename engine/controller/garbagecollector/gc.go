package garbagecollector

import (
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// Controller names in the sim's work queue.
const (
	ComponentGarbageCollector = "garbage-collector-controller"
	ComponentNamespace        = "namespace-controller"
)

// Work item actions.
const (
	actionDelete     = "delete"     // attemptToDelete: an object whose owners may be gone
	actionOrphan     = "orphan"     // an owner with the orphan finalizer
	actionForeground = "foreground" // an owner with the foregroundDeletion finalizer
)

// GarbageCollector deletes dependents whose owners are gone, and carries out the Foreground
// and Orphan propagation policies.
type GarbageCollector struct {
	cluster *sim.Cluster
	api     *apiserver.Client
	// throttled are the work items waiting for the client's rate limit, oldest first from
	// head; waiting holds the same keys. The wake item hands them back one per token, as
	// upstream's workers wait in turn for theirs.
	throttled []string
	head      int
	waiting   map[string]bool
}

// wakeKey is the work item that releases throttled items (it has none of itemKey's slashes).
const wakeKey = "throttled"

// New wires the garbage collector and the namespace controller into c.
func New(c *sim.Cluster) *GarbageCollector {
	gc := &GarbageCollector{cluster: c, api: c.API.Client(ComponentGarbageCollector), waiting: map[string]bool{}}
	nc := &namespaceController{cluster: c, api: c.API.Client(ComponentNamespace)}
	for _, r := range api.Resources() {
		c.Watch(r.Name, gc.onChange)
		if r.Namespaced {
			c.Watch(r.Name, nc.onContent)
		}
	}
	c.Watch(namespacesResource.Name, nc.onNamespace)
	c.AddController(ComponentGarbageCollector, gc.sync)
	c.AddController(ComponentNamespace, nc.sync)
	return gc
}

// itemKey names an action on one object: "<action>/<resource>/<namespace>/<name>/<uid>".
// None of the parts can contain a slash.
func itemKey(action string, r *api.Resource, obj metav1.Object) string {
	return action + "/" + r.Name + "/" + obj.GetNamespace() + "/" + obj.GetName() + "/" + string(obj.GetUID())
}

func (gc *GarbageCollector) enqueue(action string, r *api.Resource, obj metav1.Object) {
	gc.cluster.Enqueue(ComponentGarbageCollector, itemKey(action, r, obj))
}

func hasFinalizer(obj metav1.Object, f string) bool {
	for _, x := range obj.GetFinalizers() {
		if x == f {
			return true
		}
	}
	return false
}

func (gc *GarbageCollector) onChange(ev store.WatchEvent) {
	obj := ev.Object
	switch ev.Type {
	case store.Deleted:
		// Its dependents lost an owner.
		for _, dep := range gc.cluster.Store.Dependents(obj.GetUID()) {
			gc.enqueue(actionDelete, api.ResourceFor(dep), dep)
		}
		// An owner deleting in foreground may have been waiting for it.
		gc.wakeForegroundOwners(obj)
		return
	case store.Added:
		if len(obj.GetOwnerReferences()) > 0 && gc.needsAttention(obj) {
			gc.enqueue(actionDelete, ev.Resource, obj)
		}
	case store.Modified:
		if !ownerRefsEqual(ev.Old.GetOwnerReferences(), obj.GetOwnerReferences()) {
			if gc.needsAttention(obj) {
				gc.enqueue(actionDelete, ev.Resource, obj)
			}
			gc.wakeForegroundOwners(ev.Old)
		}
	}
	if obj.GetDeletionTimestamp() != nil {
		if hasFinalizer(obj, metav1.FinalizerOrphanDependents) {
			gc.enqueue(actionOrphan, ev.Resource, obj)
		}
		if hasFinalizer(obj, metav1.FinalizerDeleteDependents) {
			gc.enqueue(actionForeground, ev.Resource, obj)
		}
	}
}

// wakeForegroundOwners enqueues the owners of obj that are deleting in foreground.
func (gc *GarbageCollector) wakeForegroundOwners(obj api.Object) {
	for _, ref := range obj.GetOwnerReferences() {
		owner, r, state := gc.ownerOf(obj.GetNamespace(), ref)
		if state == ownerWaiting {
			gc.enqueue(actionForeground, r, owner)
		}
	}
}

func ownerRefsEqual(a, b []metav1.OwnerReference) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].UID != b[i].UID || boolValue(a[i].BlockOwnerDeletion) != boolValue(b[i].BlockOwnerDeletion) ||
			a[i].Name != b[i].Name || a[i].Kind != b[i].Kind || a[i].APIVersion != b[i].APIVersion {
			return false
		}
	}
	return true
}

func boolValue(p *bool) bool { return p != nil && *p }

// needsAttention: some owner of obj is gone or is deleting its dependents in foreground.
func (gc *GarbageCollector) needsAttention(obj api.Object) bool {
	for _, ref := range obj.GetOwnerReferences() {
		if _, _, state := gc.ownerOf(obj.GetNamespace(), ref); state != ownerSolid {
			return true
		}
	}
	return false
}

type ownerState int

const (
	ownerSolid    ownerState = iota // exists (or cannot be checked: a kind kubetab does not serve)
	ownerDangling                   // absent, or the name now belongs to another uid
	ownerWaiting                    // being deleted with the foregroundDeletion finalizer
)

// ownerOf resolves an ownerReference of an object in namespace. An owner is looked up by
// kind; a namespaced dependent's owner is in the same namespace, as upstream requires.
func (gc *GarbageCollector) ownerOf(namespace string, ref metav1.OwnerReference) (api.Object, *api.Resource, ownerState) {
	r := api.ResourceForKind(ref.Kind)
	if r == nil {
		return nil, nil, ownerSolid
	}
	if !r.Namespaced {
		namespace = ""
	}
	owner := gc.cluster.Store.Lookup(r, namespace, ref.Name)
	if owner == nil || owner.GetUID() != ref.UID {
		return nil, r, ownerDangling
	}
	if owner.GetDeletionTimestamp() != nil && hasFinalizer(owner, metav1.FinalizerDeleteDependents) {
		return owner, r, ownerWaiting
	}
	return owner, r, ownerSolid
}

func (gc *GarbageCollector) sync(key string) (time.Duration, error) {
	if key == wakeKey {
		return gc.release(), nil
	}
	if d := gc.api.Throttled(); d > 0 {
		gc.hold(key, d)
		return 0, nil
	}
	parts := strings.SplitN(key, "/", 5)
	if len(parts) != 5 {
		return 0, nil
	}
	action, r := parts[0], api.ResourceByName(parts[1])
	if r == nil {
		return 0, nil
	}
	obj, err := gc.cluster.Store.Get(r, parts[2], parts[3])
	if err != nil || obj.GetUID() != types.UID(parts[4]) {
		return 0, nil // already gone: nothing left to do
	}
	switch action {
	case actionDelete:
		return 0, gc.attemptToDelete(r, obj)
	case actionOrphan:
		return 0, gc.orphanDependents(r, obj)
	case actionForeground:
		return 0, gc.processForeground(r, obj)
	}
	return 0, nil
}

// hold keeps a work item until the client's rate limit lets it write, d from now.
func (gc *GarbageCollector) hold(key string, d time.Duration) {
	if !gc.waiting[key] {
		gc.waiting[key] = true
		gc.throttled = append(gc.throttled, key)
	}
	gc.cluster.EnqueueAfter(ComponentGarbageCollector, wakeKey, d)
}

// release hands the oldest throttled item back to the queue once a token is there, and
// comes back after it for the next; it returns how long until the next token otherwise.
func (gc *GarbageCollector) release() time.Duration {
	if gc.head == len(gc.throttled) {
		return 0
	}
	if d := gc.api.Throttled(); d > 0 {
		return d
	}
	key := gc.throttled[gc.head]
	gc.throttled[gc.head] = ""
	gc.head++
	if gc.head == len(gc.throttled) {
		gc.throttled, gc.head = gc.throttled[:0], 0
	}
	delete(gc.waiting, key)
	gc.cluster.Enqueue(ComponentGarbageCollector, key)
	if gc.head < len(gc.throttled) {
		gc.cluster.Enqueue(ComponentGarbageCollector, wakeKey) // after key, which spends first
	}
	return 0
}

// attemptToDelete is upstream's attemptToDeleteItem: delete obj when none of its owners
// remains, or unlink the owners that are gone when some remain.
func (gc *GarbageCollector) attemptToDelete(r *api.Resource, obj api.Object) error {
	if obj.GetDeletionTimestamp() != nil {
		if hasFinalizer(obj, metav1.FinalizerDeleteDependents) {
			return gc.processForeground(r, obj)
		}
		return nil // already on its way out
	}
	refs := obj.GetOwnerReferences()
	if len(refs) == 0 {
		return nil
	}
	var solid, dangling, waiting []types.UID
	for _, ref := range refs {
		switch _, _, state := gc.ownerOf(obj.GetNamespace(), ref); state {
		case ownerSolid:
			solid = append(solid, ref.UID)
		case ownerDangling:
			dangling = append(dangling, ref.UID)
		case ownerWaiting:
			waiting = append(waiting, ref.UID)
		}
	}
	switch {
	case len(solid) > 0:
		if len(dangling) == 0 && len(waiting) == 0 {
			return nil
		}
		// Some owner remains: only drop the references to owners that are gone or deleting.
		drop := map[types.UID]bool{}
		for _, uid := range append(dangling, waiting...) {
			drop[uid] = true
		}
		cp := obj.DeepCopyObject().(api.Object)
		var kept []metav1.OwnerReference
		for _, ref := range cp.GetOwnerReferences() {
			if !drop[ref.UID] {
				kept = append(kept, ref)
			}
		}
		cp.SetOwnerReferences(kept)
		_, err := gc.update(cp)
		return ignoreNotFound(err)
	case len(waiting) > 0 && gc.cluster.Store.HasDependents(obj.GetUID()):
		// An owner waits in foreground and obj has dependents of its own: delete obj in
		// foreground too, so that the wait cascades down. Only when one of obj's dependents is
		// itself deleting in foreground does obj stop blocking its owners first, which is how
		// upstream breaks possible cycles.
		for _, dep := range gc.cluster.Store.Dependents(obj.GetUID()) {
			if dep.GetDeletionTimestamp() != nil && hasFinalizer(dep, metav1.FinalizerDeleteDependents) {
				cp := obj.DeepCopyObject().(api.Object)
				refs := cp.GetOwnerReferences()
				for i := range refs {
					for _, uid := range waiting {
						if refs[i].UID == uid {
							refs[i].BlockOwnerDeletion = ptr.To(false)
						}
					}
				}
				cp.SetOwnerReferences(refs)
				updated, err := gc.update(cp)
				if err != nil {
					return ignoreNotFound(err)
				}
				obj = updated
				break
			}
		}
		return gc.delete(r, obj, metav1.DeletePropagationForeground)
	default:
		policy := metav1.DeletePropagationBackground
		switch {
		case hasFinalizer(obj, metav1.FinalizerOrphanDependents):
			policy = metav1.DeletePropagationOrphan
		case hasFinalizer(obj, metav1.FinalizerDeleteDependents):
			policy = metav1.DeletePropagationForeground
		}
		return gc.delete(r, obj, policy)
	}
}

// orphanDependents removes the ownerReference to owner from every dependent, then the
// owner's orphan finalizer.
func (gc *GarbageCollector) orphanDependents(r *api.Resource, owner api.Object) error {
	if owner.GetDeletionTimestamp() == nil || !hasFinalizer(owner, metav1.FinalizerOrphanDependents) {
		return nil
	}
	uid := owner.GetUID()
	for _, dep := range gc.cluster.Store.Dependents(uid) {
		cp := dep.DeepCopyObject().(api.Object)
		var kept []metav1.OwnerReference
		for _, ref := range cp.GetOwnerReferences() {
			if ref.UID != uid {
				kept = append(kept, ref)
			}
		}
		cp.SetOwnerReferences(kept)
		if _, err := gc.update(cp); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("orphaning %s/%s: %w", dep.GetNamespace(), dep.GetName(), err)
		}
	}
	return gc.removeFinalizer(owner, metav1.FinalizerOrphanDependents)
}

// processForeground is upstream's processDeletingDependentsItem, plus the first pass that
// upstream does when the owner enters the deleting-dependents state: every dependent not yet
// being deleted is attempted; the finalizer goes once no blocking dependent is left.
func (gc *GarbageCollector) processForeground(r *api.Resource, owner api.Object) error {
	if owner.GetDeletionTimestamp() == nil || !hasFinalizer(owner, metav1.FinalizerDeleteDependents) {
		return nil
	}
	uid := owner.GetUID()
	blocking := 0
	for _, dep := range gc.cluster.Store.Dependents(uid) {
		for _, ref := range dep.GetOwnerReferences() {
			if ref.UID == uid && boolValue(ref.BlockOwnerDeletion) {
				blocking++
				break
			}
		}
		if dep.GetDeletionTimestamp() == nil {
			gc.enqueue(actionDelete, api.ResourceFor(dep), dep)
		}
	}
	if blocking > 0 {
		return nil // their Deleted or Modified events bring us back
	}
	return gc.removeFinalizer(owner, metav1.FinalizerDeleteDependents)
}

func (gc *GarbageCollector) removeFinalizer(obj api.Object, f string) error {
	cp := obj.DeepCopyObject().(api.Object)
	var kept []string
	for _, x := range cp.GetFinalizers() {
		if x != f {
			kept = append(kept, x)
		}
	}
	cp.SetFinalizers(kept)
	_, err := gc.update(cp)
	return ignoreNotFound(err)
}

func (gc *GarbageCollector) update(obj api.Object) (api.Object, error) {
	return gc.api.Update(obj, apiserver.UpdateOptions{HandOver: true})
}

func (gc *GarbageCollector) delete(r *api.Resource, obj api.Object, policy metav1.DeletionPropagation) error {
	_, err := gc.api.Delete(r, obj.GetNamespace(), obj.GetName(),
		apiserver.DeleteOptions{PropagationPolicy: &policy, UID: obj.GetUID()})
	if err != nil && apierrors.IsConflict(err) {
		return nil // the name belongs to a new object now; ours is gone
	}
	return ignoreNotFound(err)
}

func ignoreNotFound(err error) error {
	if err != nil && apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
