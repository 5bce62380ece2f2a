package apiserver

import (
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubetab/kubetab/engine/api"
)

// CreateOptions shape one create.
type CreateOptions struct {
	// DryRun runs the whole request path but stores nothing (kubectl --dry-run=server).
	DryRun bool
	// HandOver gives the object to the server: it is completed and stored as it is, without
	// a copy, so the caller must neither change nor keep it (a controller that builds an
	// object for one write).
	HandOver bool
}

// UpdateOptions shape one update or status update.
type UpdateOptions struct {
	DryRun bool
	// HandOver: as for CreateOptions. The object may share parts with the stored version
	// (a shallow copy with one field replaced), since stored objects are never mutated.
	HandOver bool
}

// DeleteOptions as kubectl sends them.
type DeleteOptions struct {
	// GracePeriodSeconds overrides the pod's terminationGracePeriodSeconds (0 = immediately).
	GracePeriodSeconds *int64
	// PropagationPolicy: Background (the default here), Foreground or Orphan.
	PropagationPolicy *metav1.DeletionPropagation
	// UID, if set, must match the stored object's.
	UID    types.UID
	DryRun bool
}

// Create creates obj: defaulting, mutating admission (the namespace must exist and not be
// terminating; pods get their default tolerations and service account), the kind's
// PrepareForCreate (a new object has no status of its own), a generated name for
// generateName, identity (uid, creationTimestamp, generation 1), validation with the API
// server's messages, kubetab's limits, then the store. It returns the stored object.
func (c *Client) Create(in api.Object, opts CreateOptions) (api.Object, error) {
	s := c.srv
	c.spend()
	r := api.ResourceFor(in)
	if r == nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("kubetab does not serve objects of type %T", in))
	}
	obj := in
	if !opts.HandOver {
		obj = in.DeepCopyObject().(api.Object)
	}
	if !r.Namespaced {
		obj.SetNamespace("")
	} else if obj.GetNamespace() == "" {
		obj.SetNamespace(metav1.NamespaceDefault)
	}
	api.SetTypeMeta(obj)
	labelsFromTemplate := jobLabelsFromTemplate(obj)
	api.Default(obj)
	if r.Namespaced {
		if err := s.namespaceAcceptsContent(obj.GetNamespace()); err != nil {
			return nil, err
		}
	}
	ids := c
	if opts.DryRun {
		// A dry run's generated names and uid come from streams of their own, so that trying
		// a request changes nothing that later requests generate.
		ids = s.Client(c.name + "/dry-run")
	}
	admitCreate(obj, ids)
	prepareForCreate(obj)
	if obj.GetName() == "" {
		if obj.GetGenerateName() == "" {
			return nil, apierrors.NewInvalid(r.GroupVersionKind().GroupKind(), "", field.ErrorList{
				field.Required(field.NewPath("metadata", "name"), "name or generateName is required"),
			})
		}
		// The API server tries a few suffixes before giving up; so do we.
		for i := 0; i < 8 && obj.GetName() == ""; i++ {
			name := obj.GetGenerateName() + ids.randomSuffix(5)
			if s.store.Lookup(r, obj.GetNamespace(), name) == nil {
				obj.SetName(name)
			}
		}
		if obj.GetName() == "" {
			return nil, apierrors.NewAlreadyExists(r.GroupResource(), obj.GetGenerateName())
		}
	}
	obj.SetUID(ids.newUID())
	obj.SetCreationTimestamp(s.timestamp())
	if hasGeneration(obj) {
		obj.SetGeneration(1)
	} else {
		obj.SetGeneration(0)
	}
	obj.SetDeletionTimestamp(nil)
	obj.SetDeletionGracePeriodSeconds(nil)
	obj.SetResourceVersion("")
	prepareWithIdentity(obj, labelsFromTemplate)
	if svc, ok := obj.(*corev1.Service); ok {
		if err := s.allocateService(svc, nil, opts.DryRun); err != nil {
			return nil, err
		}
	}
	if errs := api.ValidateCreate(obj); len(errs) > 0 {
		return nil, api.InvalidError(obj, errs)
	}
	if err := s.checkLimits(r, obj, true); err != nil {
		return nil, err
	}
	if err := s.callWebhooks(Create, obj, nil); err != nil {
		return nil, err
	}
	if opts.DryRun {
		if s.store.Lookup(r, obj.GetNamespace(), obj.GetName()) != nil {
			return nil, apierrors.NewAlreadyExists(r.GroupResource(), obj.GetName())
		}
		return obj, nil
	}
	if err := s.w.Insert(r, obj); err != nil {
		return nil, err
	}
	s.serviceStored(r, obj, nil)
	return obj, nil
}

var errModified = fmt.Errorf("the object has been modified; please apply your changes to the latest version and try again")

// current finds the stored version an update or delete of in applies to, with the
// preconditions of the request: a non-empty resourceVersion must match the stored one
// (optimistic concurrency), as must a uid. An empty resourceVersion updates
// unconditionally, as `kubectl replace --force` or a client that does not care would.
func (s *Server) current(in api.Object) (*api.Resource, api.Object, error) {
	r := api.ResourceFor(in)
	if r == nil {
		return nil, nil, apierrors.NewBadRequest(fmt.Sprintf("kubetab does not serve objects of type %T", in))
	}
	ns := in.GetNamespace()
	if !r.Namespaced {
		ns = ""
	} else if ns == "" {
		ns = metav1.NamespaceDefault
	}
	old := s.store.Lookup(r, ns, in.GetName())
	if old == nil {
		return nil, nil, apierrors.NewNotFound(r.GroupResource(), in.GetName())
	}
	if rv := in.GetResourceVersion(); rv != "" && rv != old.GetResourceVersion() {
		return nil, nil, apierrors.NewConflict(r.GroupResource(), in.GetName(), errModified)
	}
	if uid := in.GetUID(); uid != "" && uid != old.GetUID() {
		return nil, nil, preconditionFailed(r, in.GetName(), uid, old.GetUID())
	}
	return r, old, nil
}

func preconditionFailed(r *api.Resource, name string, want, got types.UID) error {
	return apierrors.NewConflict(r.GroupResource(), name,
		//lint:ignore ST1005 the API server's own message, as kubectl prints it
		fmt.Errorf("Precondition failed: UID in precondition: %s, UID in object meta: %s", want, got))
}

// Update replaces an object through its main resource: defaulting, the kind's
// PrepareForUpdate (the status cannot change here, only through UpdateStatus; identity
// metadata cannot change at all), validation of the update, kubetab's limits, then the store.
// metadata.generation moves when anything outside metadata and status changed. An update
// that changes nothing writes nothing and returns the stored object. An update that removes
// the last finalizer of an object being deleted completes the deletion.
func (c *Client) Update(in api.Object, opts UpdateOptions) (api.Object, error) {
	s := c.srv
	c.spend()
	r, old, err := s.current(in)
	if err != nil {
		return nil, err
	}
	obj := in
	if !opts.HandOver {
		obj = copyForUpdate(in, old)
	}
	obj.SetNamespace(old.GetNamespace())
	obj.SetUID(old.GetUID())
	obj.SetCreationTimestamp(old.GetCreationTimestamp())
	obj.SetDeletionTimestamp(old.GetDeletionTimestamp())
	obj.SetDeletionGracePeriodSeconds(old.GetDeletionGracePeriodSeconds())
	obj.SetGeneration(old.GetGeneration())
	obj.SetGenerateName(old.GetGenerateName())
	obj.SetResourceVersion(old.GetResourceVersion())
	api.SetTypeMeta(obj)
	api.Default(obj)
	prepareForUpdate(obj, old)
	if svc, ok := obj.(*corev1.Service); ok {
		if err := s.allocateService(svc, old.(*corev1.Service), opts.DryRun); err != nil {
			return nil, err
		}
	}
	// reflect's DeepEqual is several times faster than the semantic one, and what differs
	// only in representation (a Quantity's cached string) at worst costs a harmless extra
	// write or validation.
	spec := specChanged(obj, old)
	metaChanged := !sameMeta(obj, old)
	if !spec && !metaChanged && sameMetaAndStatus(obj, old) {
		return old, nil // a no-op: nothing to validate or write
	}
	// What the update leaves as stored passed validation already.
	if errs := api.ValidateChangedParts(obj, old, metaChanged, spec || withoutMetaAndStatus(obj) == nil); len(errs) > 0 {
		return nil, api.InvalidError(obj, errs)
	}
	if err := s.checkLimits(r, obj, false); err != nil {
		return nil, err
	}
	if err := s.callWebhooks(Update, obj, old); err != nil {
		return nil, err
	}
	if (spec || annotationsMoveGeneration(obj, old)) && hasGeneration(obj) {
		obj.SetGeneration(old.GetGeneration() + 1)
	}
	if opts.DryRun {
		return obj, nil
	}
	if obj.GetDeletionTimestamp() != nil && len(obj.GetFinalizers()) == 0 && !awaitsGracefulTermination(obj) && !namespaceFinalizing(obj) {
		s.w.Remove(r, obj, old)
		s.serviceStored(r, nil, old)
		return obj, nil
	}
	s.w.Replace(r, obj, old)
	s.serviceStored(r, obj, old)
	return obj, nil
}

// UpdateStatus writes only the status of in, like the API server's status subresource:
// metadata and spec stay as stored, whatever in carries (a Deployment's annotations
// excepted: the deployment controller writes its revision annotation there). The new version shares the stored
// spec (stored objects are never mutated), so a status write copies only the status (not
// even that when handed over). A status that did not change writes nothing.
func (c *Client) UpdateStatus(in api.Object, opts UpdateOptions) (api.Object, error) {
	s := c.srv
	c.spend()
	r, old, err := s.current(in)
	if err != nil {
		return nil, err
	}
	st := StatusOf(in)
	if st == nil {
		return nil, apierrors.NewNotFound(r.GroupResource(), in.GetName()+"/status")
	}
	annotations := statusCarriesAnnotations(in) && !sameMap(in.GetAnnotations(), old.GetAnnotations())
	// Most status writes of a busy cluster change nothing: tell before copying anything.
	if !annotations && deepEqual(st, StatusOf(old)) {
		return old, nil
	}
	obj := withStatusOf(old, in, opts.HandOver)
	if annotations {
		if errs := api.ValidateChangedParts(obj, old, true, false); len(errs) > 0 {
			return nil, api.InvalidError(obj, errs)
		}
	}
	if opts.DryRun {
		return obj, nil
	}
	s.w.Replace(r, obj, old)
	return obj, nil
}

// Bind is the pods/binding subresource, the scheduler's write: the pod is assigned to node
// and its PodScheduled condition becomes True. A pod already assigned is a Conflict. The new
// version shares everything else with the stored pod.
func (c *Client) Bind(namespace, name string, uid types.UID, node string) (*corev1.Pod, error) {
	s := c.srv
	c.spend()
	obj := s.store.Lookup(podsResource, namespace, name)
	if obj == nil {
		return nil, apierrors.NewNotFound(podsResource.GroupResource(), name)
	}
	old := obj.(*corev1.Pod)
	if uid != "" && uid != old.UID {
		return nil, preconditionFailed(podsResource, name, uid, old.UID)
	}
	if old.Spec.NodeName != "" {
		return nil, apierrors.NewConflict(podsResource.GroupResource(), name,
			fmt.Errorf("pod %s is already assigned to node %q", name, old.Spec.NodeName))
	}
	if old.DeletionTimestamp != nil {
		return nil, apierrors.NewConflict(podsResource.GroupResource(), name,
			fmt.Errorf("pod %s is being deleted, cannot be assigned to a host", name))
	}
	p := *old
	p.Status.Conditions = slices.Clone(old.Status.Conditions)
	p.Spec.NodeName = node
	SetPodCondition(&p.Status, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}, s.now())
	s.w.Replace(podsResource, &p, old)
	return &p, nil
}

// SetPodCondition sets a condition of a pod's status, keeping its transition time when its
// status is unchanged.
func SetPodCondition(st *corev1.PodStatus, cond corev1.PodCondition, now time.Time) {
	for i := range st.Conditions {
		c := &st.Conditions[i]
		if c.Type != cond.Type {
			continue
		}
		if c.Status == cond.Status {
			cond.LastTransitionTime = c.LastTransitionTime
		} else {
			cond.LastTransitionTime = metav1.NewTime(now)
		}
		*c = cond
		return
	}
	cond.LastTransitionTime = metav1.NewTime(now)
	st.Conditions = append(st.Conditions, cond)
}

// Finalize is the namespaces/finalize subresource, the namespace controller's write: it sets
// a namespace's spec.finalizers, which no other write may change. A namespace being deleted
// whose last finalizer goes is removed.
func (c *Client) Finalize(name string, finalizers []corev1.FinalizerName) error {
	s := c.srv
	c.spend()
	obj := s.store.Lookup(namespacesResource, "", name)
	if obj == nil {
		return apierrors.NewNotFound(namespacesResource.GroupResource(), name)
	}
	old := obj.(*corev1.Namespace)
	if slices.Equal(old.Spec.Finalizers, finalizers) {
		return nil
	}
	ns := *old
	ns.Spec.Finalizers = finalizers
	if ns.DeletionTimestamp != nil && len(ns.Spec.Finalizers) == 0 && len(ns.Finalizers) == 0 {
		s.w.Remove(namespacesResource, &ns, old)
		return nil
	}
	s.w.Replace(namespacesResource, &ns, old)
	return nil
}

// Delete deletes an object, or starts its graceful deletion: a pod with a grace period, or
// an object with finalizers (including those that Foreground and Orphan propagation add),
// gets a deletionTimestamp and stays until its kubelet or the garbage collector finishes.
// It returns the object as it is after the call.
func (c *Client) Delete(r *api.Resource, namespace, name string, opts DeleteOptions) (api.Object, error) {
	s := c.srv
	c.spend()
	if !r.Namespaced {
		namespace = ""
	}
	old := s.store.Lookup(r, namespace, name)
	if old == nil {
		return nil, apierrors.NewNotFound(r.GroupResource(), name)
	}
	if opts.UID != "" && opts.UID != old.GetUID() {
		return nil, preconditionFailed(r, name, opts.UID, old.GetUID())
	}
	if removesAtOnce(old, opts) {
		// Nothing but the resourceVersion changes on the way out, and stored objects are
		// never mutated: the final version shares everything else with the stored one.
		final := shallowCopy(old)
		if !opts.DryRun {
			s.w.Remove(r, final, old)
			s.serviceStored(r, nil, old)
		}
		return final, nil
	}
	obj := old.DeepCopyObject().(api.Object)
	changed := false
	if p := opts.PropagationPolicy; p != nil && old.GetDeletionTimestamp() == nil {
		switch *p {
		case metav1.DeletePropagationOrphan:
			changed = addFinalizer(obj, metav1.FinalizerOrphanDependents) || changed
		case metav1.DeletePropagationForeground:
			changed = addFinalizer(obj, metav1.FinalizerDeleteDependents) || changed
		}
	}
	grace := gracePeriod(obj, opts)
	now := s.now()
	if ns, ok := obj.(*corev1.Namespace); ok && namespaceFinalizing(ns) && ns.Status.Phase != corev1.NamespaceTerminating {
		ns.Status.Phase = corev1.NamespaceTerminating
		changed = true
	}
	if grace == 0 && len(obj.GetFinalizers()) == 0 && !namespaceFinalizing(obj) {
		if !opts.DryRun {
			s.w.Remove(r, obj, old)
			s.serviceStored(r, nil, old)
		}
		return obj, nil
	}
	if dt := obj.GetDeletionTimestamp(); dt == nil {
		ts := metav1.NewTime(now.Add(time.Duration(grace) * time.Second).Truncate(time.Second))
		obj.SetDeletionTimestamp(&ts)
		obj.SetDeletionGracePeriodSeconds(&grace)
		changed = true
	} else if cur := obj.GetDeletionGracePeriodSeconds(); cur != nil && grace < *cur {
		// A second delete may only shorten the grace period.
		ts := metav1.NewTime(now.Add(time.Duration(grace) * time.Second).Truncate(time.Second))
		obj.SetDeletionTimestamp(&ts)
		obj.SetDeletionGracePeriodSeconds(&grace)
		changed = true
	}
	if !changed {
		return old, nil
	}
	if !opts.DryRun {
		s.w.Replace(r, obj, old)
	}
	return obj, nil
}

// Expire removes an object whose time is up (an event past its TTL) as etcd drops a key
// whose lease ran out: no finalizer or grace period applies, and no new version is written
// for it. It reports whether it was there.
func (c *Client) Expire(r *api.Resource, namespace, name string) bool {
	return c.srv.w.Expire(r, namespace, name)
}

// awaitsGracefulTermination: a pod being deleted gracefully stays until its kubelet confirms
// the containers are gone by deleting it again with a zero grace period.
func awaitsGracefulTermination(obj api.Object) bool {
	g := obj.GetDeletionGracePeriodSeconds()
	_, isPod := obj.(*corev1.Pod)
	return isPod && g != nil && *g > 0
}

// namespaceFinalizing: a namespace also waits for its spec.finalizers ("kubernetes"), which
// the namespace controller removes once the namespace is empty.
func namespaceFinalizing(obj api.Object) bool {
	ns, ok := obj.(*corev1.Namespace)
	return ok && len(ns.Spec.Finalizers) > 0
}

// removesAtOnce tells whether Delete removes old right away: no finalizer to wait for (nor
// one that the propagation policy adds), no grace period, no namespace to finalize.
func removesAtOnce(old api.Object, opts DeleteOptions) bool {
	if p := opts.PropagationPolicy; p != nil && old.GetDeletionTimestamp() == nil &&
		(*p == metav1.DeletePropagationOrphan || *p == metav1.DeletePropagationForeground) {
		return false
	}
	return gracePeriod(old, opts) == 0 && len(old.GetFinalizers()) == 0 && !namespaceFinalizing(old)
}

// gracePeriod applies the pod rules of the API server's graceful deletion: explicit option,
// else the pod's own terminationGracePeriodSeconds; zero for pods never scheduled or already
// finished. Other objects have no grace period.
func gracePeriod(obj api.Object, opts DeleteOptions) int64 {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return 0
	}
	if pod.Spec.NodeName == "" || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return 0
	}
	if opts.GracePeriodSeconds != nil {
		if *opts.GracePeriodSeconds < 0 {
			return 0
		}
		return *opts.GracePeriodSeconds
	}
	if g := pod.Spec.TerminationGracePeriodSeconds; g != nil {
		return *g
	}
	return corev1.DefaultTerminationGracePeriodSeconds
}

func addFinalizer(obj api.Object, f string) bool {
	for _, x := range obj.GetFinalizers() {
		if x == f {
			return false
		}
	}
	obj.SetFinalizers(append(obj.GetFinalizers(), f))
	return true
}

var (
	podsResource       = api.ResourceByName("pods")
	namespacesResource = api.ResourceByName("namespaces")
)
