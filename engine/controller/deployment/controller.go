package deployment

import (
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
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// ComponentDeployment is the controller's name, as the FROM column of events shows it.
const ComponentDeployment = "deployment-controller"

var (
	deploymentsResource = api.ResourceByName("deployments")
	replicaSetsResource = api.ResourceByName("replicasets")
	podsResource        = api.ResourceByName("pods")
)

// Controller keeps Deployments rolled out. It remembers nothing between syncs: each sync
// reads the Deployment and its namespace's ReplicaSets afresh, as upstream's does from its
// informers.
type Controller struct {
	cluster *sim.Cluster
	w       apiWriter
}

// New wires the Deployment controller into c.
func New(c *sim.Cluster) *Controller {
	dc := &Controller{cluster: c, w: apiWriter{
		api:      c.API.Client(ComponentDeployment),
		store:    c.Store,
		recorder: c.Recorder(ComponentDeployment, ""),
	}}
	c.Watch(deploymentsResource.Name, dc.onDeployment)
	c.Watch(replicaSetsResource.Name, dc.onReplicaSet)
	c.Watch(podsResource.Name, dc.onPod)
	c.AddController(ComponentDeployment, dc.sync)
	return dc
}

func key(namespace, name string) string { return namespace + "/" + name }

func (dc *Controller) enqueue(namespace, name string) {
	dc.cluster.Enqueue(ComponentDeployment, key(namespace, name))
}

func (dc *Controller) onDeployment(ev store.WatchEvent) {
	dc.enqueue(ev.Object.GetNamespace(), ev.Object.GetName())
}

// onReplicaSet is addReplicaSet, updateReplicaSet and deleteReplicaSet: the Deployment that
// controls the ReplicaSet (and the one that did, when that changed), or, for an orphan that
// is not being deleted, every Deployment whose selector matches it.
func (dc *Controller) onReplicaSet(ev store.WatchEvent) {
	rs := ev.Object.(*appsv1.ReplicaSet)
	ref := metav1.GetControllerOfNoCopy(rs)
	if ev.Old != nil {
		old := ev.Old.(*appsv1.ReplicaSet)
		if oldRef := metav1.GetControllerOfNoCopy(old); oldRef != nil && (ref == nil || oldRef.UID != ref.UID) {
			dc.enqueueController(old.Namespace, oldRef)
		}
		if ev.Type == store.Modified && ref == nil && metav1.GetControllerOfNoCopy(old) == nil && labels.Equals(old.Labels, rs.Labels) {
			return // an orphan's status change cannot make it adoptable
		}
	}
	if ref != nil {
		dc.enqueueController(rs.Namespace, ref)
		return
	}
	if ev.Type == store.Deleted || rs.DeletionTimestamp != nil || len(rs.Labels) == 0 {
		return
	}
	dc.cluster.Store.Each(deploymentsResource, rs.Namespace, func(o api.Object) bool {
		d := o.(*appsv1.Deployment)
		sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
		if err == nil && !sel.Empty() && sel.Matches(labels.Set(rs.Labels)) {
			dc.enqueue(d.Namespace, d.Name)
		}
		return true
	})
}

// onPod is deletePod: a Recreate rollout waits for the old pods to be gone.
func (dc *Controller) onPod(ev store.WatchEvent) {
	if ev.Type != store.Deleted {
		return
	}
	pod := ev.Object.(*corev1.Pod)
	ref := metav1.GetControllerOfNoCopy(pod)
	if ref == nil || ref.Kind != "ReplicaSet" {
		return
	}
	o := dc.cluster.Store.Lookup(replicaSetsResource, pod.Namespace, ref.Name)
	if o == nil || o.GetUID() != ref.UID {
		return
	}
	if d := dc.controllerOf(pod.Namespace, metav1.GetControllerOfNoCopy(o)); d != nil && d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		dc.enqueue(d.Namespace, d.Name)
	}
}

func (dc *Controller) enqueueController(namespace string, ref *metav1.OwnerReference) {
	if d := dc.controllerOf(namespace, ref); d != nil {
		dc.enqueue(d.Namespace, d.Name)
	}
}

// controllerOf is resolveControllerRef: the Deployment ref names, if it still exists with
// that uid.
func (dc *Controller) controllerOf(namespace string, ref *metav1.OwnerReference) *appsv1.Deployment {
	if ref == nil || ref.Kind != deploymentKind.Kind {
		return nil
	}
	o := dc.cluster.Store.Lookup(deploymentsResource, namespace, ref.Name)
	if o == nil || o.GetUID() != ref.UID {
		return nil
	}
	return o.(*appsv1.Deployment)
}

// sync gathers what syncDeployment needs: the Deployment, its claimed ReplicaSets and, for
// Recreate, their pods.
func (dc *Controller) sync(k string) (time.Duration, error) {
	ns, name, _ := strings.Cut(k, "/")
	o, err := dc.cluster.Store.Get(deploymentsResource, ns, name)
	if apierrors.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	d := o.(*appsv1.Deployment)
	var all []*appsv1.ReplicaSet
	dc.cluster.Store.Each(replicaSetsResource, ns, func(o api.Object) bool {
		all = append(all, o.(*appsv1.ReplicaSet))
		return true
	})
	rss, err := claimReplicaSets(dc.w, d, all)
	if err != nil {
		return 0, err
	}
	var pods map[types.UID][]*corev1.Pod
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		pods = dc.podsByReplicaSet(rss)
	}
	return syncDeployment(dc.w, d, rss, pods, dc.cluster.Now())
}

// podsByReplicaSet is getPodMapForDeployment: each ReplicaSet's pods, by controller
// reference.
func (dc *Controller) podsByReplicaSet(rss []*appsv1.ReplicaSet) map[types.UID][]*corev1.Pod {
	out := make(map[types.UID][]*corev1.Pod, len(rss))
	for _, rs := range rss {
		for _, o := range dc.cluster.Store.Dependents(rs.UID) {
			pod, ok := o.(*corev1.Pod)
			if !ok {
				continue
			}
			if ref := metav1.GetControllerOfNoCopy(pod); ref != nil && ref.UID == rs.UID {
				out[rs.UID] = append(out[rs.UID], pod)
			}
		}
	}
	return out
}

// apiWriter is the sync's writer on the API server, as `deployment-controller`. Every
// object handed to it is the sync's own copy, so it is handed over.
type apiWriter struct {
	api      *apiserver.Client
	store    *store.Store
	recorder *events.Recorder
}

var _ writer = apiWriter{}

func (w apiWriter) CreateReplicaSet(rs *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error) {
	o, err := w.api.Create(rs, apiserver.CreateOptions{HandOver: true})
	if err != nil {
		return nil, err
	}
	return o.(*appsv1.ReplicaSet), nil
}

func (w apiWriter) GetReplicaSet(namespace, name string) (*appsv1.ReplicaSet, error) {
	o, err := w.store.Get(replicaSetsResource, namespace, name)
	if err != nil {
		return nil, err
	}
	return o.(*appsv1.ReplicaSet), nil
}

func (w apiWriter) UpdateReplicaSet(rs *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error) {
	o, err := w.api.Update(rs, apiserver.UpdateOptions{HandOver: true})
	if err != nil {
		return nil, err
	}
	return o.(*appsv1.ReplicaSet), nil
}

func (w apiWriter) DeleteReplicaSet(rs *appsv1.ReplicaSet) error {
	_, err := w.api.Delete(replicaSetsResource, rs.Namespace, rs.Name, apiserver.DeleteOptions{UID: rs.UID})
	return err
}

func (w apiWriter) UpdateDeployment(d *appsv1.Deployment) (*appsv1.Deployment, error) {
	o, err := w.api.Update(d, apiserver.UpdateOptions{HandOver: true})
	if err != nil {
		return nil, err
	}
	return o.(*appsv1.Deployment), nil
}

func (w apiWriter) UpdateDeploymentStatus(d *appsv1.Deployment) (*appsv1.Deployment, error) {
	o, err := w.api.UpdateStatus(d, apiserver.UpdateOptions{HandOver: true})
	if err != nil {
		return nil, err
	}
	return o.(*appsv1.Deployment), nil
}

func (w apiWriter) Eventf(d *appsv1.Deployment, eventType, reason, messageFmt string, args ...any) {
	w.recorder.Eventf(d, eventType, reason, messageFmt, args...)
}
