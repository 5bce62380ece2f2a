//lint:file-ignore SA1019 v1 Endpoints are deprecated since v1.33 and still served, as a v1.37 API server serves them

package endpoints

import (
	"maps"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// The controllers' names, as their API clients and work queues are called.
const (
	ComponentEndpointSlice = "endpointslice-controller"
	ComponentEndpoints     = "endpoint-controller"
	ComponentMirroring     = "endpointslicemirroring-controller"
)

var (
	servicesResource  = api.ResourceByName("services")
	podsResource      = api.ResourceByName("pods")
	nodesResource     = api.ResourceByName("nodes")
	slicesResource    = api.ResourceByName("endpointslices")
	endpointsResource = api.ResourceByName("endpoints")
)

// Controller is both controllers: they watch the same objects and differ in what they
// write.
type Controller struct {
	c                 *sim.Cluster
	sliceAPI, epAPI   *apiserver.Client
	mirrorAPI         *apiserver.Client
	sliceTriggers     triggerTimes
	endpointsTriggers triggerTimes
	// written holds the resourceVersion of each slice the controller last wrote, and
	// deleting the slices it is deleting (upstream's EndpointSliceTracker): a change it
	// did not make (a user's edit or delete) makes it sync the Service again.
	written  map[string]string
	deleting map[string]bool
}

// New wires the EndpointSlice and Endpoints controllers into c.
func New(c *sim.Cluster) *Controller {
	ec := &Controller{
		c:                 c,
		sliceAPI:          c.API.Client(ComponentEndpointSlice),
		epAPI:             c.API.Client(ComponentEndpoints),
		mirrorAPI:         c.API.Client(ComponentMirroring),
		sliceTriggers:     triggerTimes{},
		endpointsTriggers: triggerTimes{},
		written:           map[string]string{},
		deleting:          map[string]bool{},
	}
	c.Watch(servicesResource.Name, ec.onService)
	c.Watch(podsResource.Name, ec.onPod)
	c.Watch(slicesResource.Name, ec.onSlice)
	c.Watch(endpointsResource.Name, ec.onEndpoints)
	c.AddController(ComponentEndpointSlice, ec.syncSlices)
	c.AddController(ComponentEndpoints, ec.syncEndpoints)
	c.AddController(ComponentMirroring, ec.syncMirror)
	return ec
}

func key(namespace, name string) string { return namespace + "/" + name }

func (ec *Controller) enqueue(namespace, name string) {
	ec.c.Enqueue(ComponentEndpointSlice, key(namespace, name))
	ec.c.Enqueue(ComponentEndpoints, key(namespace, name))
}

func (ec *Controller) onService(ev store.WatchEvent) {
	ec.enqueue(ev.Object.GetNamespace(), ev.Object.GetName())
	ec.c.Enqueue(ComponentMirroring, key(ev.Object.GetNamespace(), ev.Object.GetName()))
}

// onPod is addPod, updatePod and deletePod: the Services that select the pod, before and
// after, when the change can change an endpoint.
func (ec *Controller) onPod(ev store.WatchEvent) {
	pod := ev.Object.(*corev1.Pod)
	var old *corev1.Pod
	if ev.Type == store.Modified && ev.Old != nil {
		old = ev.Old.(*corev1.Pod)
		if !endpointChanged(old, pod) {
			return
		}
		if labels.Equals(old.Labels, pod.Labels) {
			old = nil
		}
	}
	ec.c.Store.Each(servicesResource, pod.Namespace, func(o api.Object) bool {
		svc := o.(*corev1.Service)
		if selects(svc, pod) || (old != nil && selects(svc, old)) {
			ec.enqueue(svc.Namespace, svc.Name)
		}
		return true
	})
}

// endpointChanged is podEndpointsChanged: what an endpoint or a Service's choice of pods
// depends on.
func endpointChanged(old, pod *corev1.Pod) bool {
	return !labels.Equals(old.Labels, pod.Labels) || old.Status.PodIP != pod.Status.PodIP ||
		api.IsPodReady(old) != api.IsPodReady(pod) || (old.DeletionTimestamp == nil) != (pod.DeletionTimestamp == nil) ||
		old.Spec.NodeName != pod.Spec.NodeName || old.Spec.Hostname != pod.Spec.Hostname ||
		old.Spec.Subdomain != pod.Spec.Subdomain || old.Status.Phase != pod.Status.Phase ||
		!readyTransitionEqual(old, pod)
}

func readyTransitionEqual(a, b *corev1.Pod) bool {
	ca, cb := api.PodCondition(a, corev1.PodReady), api.PodCondition(b, corev1.PodReady)
	if ca == nil || cb == nil {
		return ca == cb
	}
	return ca.LastTransitionTime.Equal(&cb.LastTransitionTime)
}

func selects(svc *corev1.Service, pod *corev1.Pod) bool {
	if len(svc.Spec.Selector) == 0 {
		return false
	}
	for k, v := range svc.Spec.Selector {
		if got, ok := pod.Labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// onSlice: a slice of this controller that changed or went without its doing.
func (ec *Controller) onSlice(ev store.WatchEvent) {
	s := ev.Object.(*discoveryv1.EndpointSlice)
	k := key(s.Namespace, s.Name)
	if ev.Type == store.Deleted {
		delete(ec.written, k)
		if ec.deleting[k] {
			delete(ec.deleting, k)
			return
		}
	} else if ec.written[k] == s.ResourceVersion {
		return
	}
	if s.Labels[discoveryv1.LabelManagedBy] == MirrorManager {
		if name := s.Labels[discoveryv1.LabelServiceName]; name != "" && ev.Type == store.Deleted {
			ec.c.Enqueue(ComponentMirroring, key(s.Namespace, name))
		}
		return
	}
	if s.Labels[discoveryv1.LabelManagedBy] != SliceManager {
		if ev.Old == nil || ev.Old.GetLabels()[discoveryv1.LabelManagedBy] != SliceManager {
			return
		}
	}
	if name := s.Labels[discoveryv1.LabelServiceName]; name != "" {
		ec.c.Enqueue(ComponentEndpointSlice, key(s.Namespace, name))
	}
}

// onEndpoints: Endpoints of a Service with a selector that someone else deleted come back;
// any change may change what is mirrored.
func (ec *Controller) onEndpoints(ev store.WatchEvent) {
	k := key(ev.Object.GetNamespace(), ev.Object.GetName())
	if ev.Type == store.Deleted {
		ec.c.Enqueue(ComponentEndpoints, k)
	}
	ec.c.Enqueue(ComponentMirroring, k)
}

// service is the Service to sync, or nil when it is gone.
func (ec *Controller) service(k string) *corev1.Service {
	ns, name, _ := strings.Cut(k, "/")
	if o := ec.c.Store.Lookup(servicesResource, ns, name); o != nil {
		return o.(*corev1.Service)
	}
	return nil
}

// podsOf lists the pods a Service selects, in name order.
func (ec *Controller) podsOf(svc *corev1.Service) []*corev1.Pod {
	list, _ := ec.c.Store.List(podsResource, svc.Namespace, store.ListOptions{Labels: labels.SelectorFromSet(svc.Spec.Selector)})
	pods := make([]*corev1.Pod, len(list))
	for i, o := range list {
		pods[i] = o.(*corev1.Pod)
	}
	return pods
}

func (ec *Controller) node(name string) *corev1.Node {
	if name == "" {
		return nil
	}
	if o := ec.c.Store.Lookup(nodesResource, "", name); o != nil {
		return o.(*corev1.Node)
	}
	return nil
}

// syncSlices is the EndpointSlice controller's syncService.
func (ec *Controller) syncSlices(k string) (time.Duration, error) {
	svc := ec.service(k)
	if svc == nil {
		// Its slices go with it: the garbage collector follows their owner references.
		delete(ec.sliceTriggers, k)
		return 0, nil
	}
	if svc.Spec.Type == corev1.ServiceTypeExternalName || svc.Spec.Selector == nil {
		return 0, nil
	}
	pods := ec.podsOf(svc)
	list, _ := ec.c.Store.List(slicesResource, svc.Namespace, store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{
		discoveryv1.LabelServiceName: svc.Name, discoveryv1.LabelManagedBy: SliceManager})})
	existing := make([]*discoveryv1.EndpointSlice, len(list))
	for i, o := range list {
		existing[i] = o.(*discoveryv1.EndpointSlice)
	}
	ch := reconcileSlices(svc, existing, desiredGroups(svc, pods, ec.node))
	trigger := ec.sliceTriggers.triggerTime(svc, pods).Truncate(time.Second)
	for _, s := range ch.create {
		setTriggerTime(&s.ObjectMeta, trigger)
		obj, err := ec.sliceAPI.Create(s, apiserver.CreateOptions{HandOver: true})
		if err != nil {
			return 0, err
		}
		ec.written[key(obj.GetNamespace(), obj.GetName())] = obj.GetResourceVersion()
	}
	for _, s := range ch.update {
		setTriggerTime(&s.ObjectMeta, trigger)
		obj, err := ec.sliceAPI.Update(s, apiserver.UpdateOptions{HandOver: true})
		if err != nil {
			return 0, err
		}
		ec.written[key(obj.GetNamespace(), obj.GetName())] = obj.GetResourceVersion()
	}
	for _, s := range ch.del {
		ec.deleting[key(s.Namespace, s.Name)] = true
		if _, err := ec.sliceAPI.Delete(slicesResource, s.Namespace, s.Name, apiserver.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			delete(ec.deleting, key(s.Namespace, s.Name))
			return 0, err
		}
	}
	return 0, nil
}

// syncEndpoints is the Endpoints controller's syncService.
func (ec *Controller) syncEndpoints(k string) (time.Duration, error) {
	ns, name, _ := strings.Cut(k, "/")
	svc := ec.service(k)
	if svc == nil {
		delete(ec.endpointsTriggers, k)
		if ec.c.Store.Lookup(endpointsResource, ns, name) != nil {
			if _, err := ec.epAPI.Delete(endpointsResource, ns, name, apiserver.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				return 0, err
			}
		}
		return 0, nil
	}
	if svc.Spec.Type == corev1.ServiceTypeExternalName || svc.Spec.Selector == nil {
		return 0, nil
	}
	pods := ec.podsOf(svc)
	trigger := ec.endpointsTriggers.triggerTime(svc, pods).Truncate(time.Second)
	subsets := endpointSubsets(svc, pods)
	want := endpointsLabels(svc)
	var cur *corev1.Endpoints
	if o := ec.c.Store.Lookup(endpointsResource, ns, name); o != nil {
		cur = o.(*corev1.Endpoints)
		if equality.Semantic.DeepEqual(cur.Subsets, subsets) && maps.Equal(cur.Labels, want) {
			return 0, nil
		}
	}
	ep := &corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}}
	if cur != nil {
		ep = cur.DeepCopy()
	}
	ep.Subsets, ep.Labels = subsets, want
	setTriggerTime(&ep.ObjectMeta, trigger)
	var err error
	if cur == nil {
		_, err = ec.epAPI.Create(ep, apiserver.CreateOptions{HandOver: true})
	} else {
		_, err = ec.epAPI.Update(ep, apiserver.UpdateOptions{HandOver: true})
	}
	return 0, err
}

// syncMirror is the EndpointSlice mirroring controller's syncEndpoints: the Endpoints of a
// Service without selector (not marked skip-mirror) as EndpointSlices that kube-proxy and
// the DNS read.
func (ec *Controller) syncMirror(k string) (time.Duration, error) {
	ns, name, _ := strings.Cut(k, "/")
	list, _ := ec.c.Store.List(slicesResource, ns, store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{
		discoveryv1.LabelServiceName: name, discoveryv1.LabelManagedBy: MirrorManager})})
	existing := make([]*discoveryv1.EndpointSlice, len(list))
	for i, o := range list {
		existing[i] = o.(*discoveryv1.EndpointSlice)
	}
	var desired []*discoveryv1.EndpointSlice
	if svc := ec.service(k); svc != nil && svc.Spec.Selector == nil {
		if o := ec.c.Store.Lookup(endpointsResource, ns, name); o != nil && o.GetLabels()[discoveryv1.LabelSkipMirror] != "true" {
			desired = mirrorSlices(o.(*corev1.Endpoints))
		}
	}
	ch := reconcileMirrors(existing, desired)
	for _, s := range ch.create {
		if _, err := ec.mirrorAPI.Create(s, apiserver.CreateOptions{HandOver: true}); err != nil {
			return 0, err
		}
	}
	for _, s := range ch.update {
		if _, err := ec.mirrorAPI.Update(s, apiserver.UpdateOptions{HandOver: true}); err != nil {
			return 0, err
		}
	}
	for _, s := range ch.del {
		if _, err := ec.mirrorAPI.Delete(slicesResource, s.Namespace, s.Name, apiserver.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return 0, err
		}
	}
	return 0, nil
}
