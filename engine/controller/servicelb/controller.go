package servicelb

import (
	"net/netip"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// Name is the controller's name, and its API client's and events' component.
const Name = "service-controller"

// The pool the load balancers' addresses come from, on kind's docker network.
var (
	poolFirst = netip.MustParseAddr("172.18.255.200")
	poolLast  = netip.MustParseAddr("172.18.255.250")
)

// ProvisionTime is how long a load balancer takes to come up, as cloud-provider-kind's
// proxy container does in a few seconds.
const ProvisionTime = 3 * time.Second

var servicesResource = api.ResourceByName("services")

// Controller provisions the load balancers of one cluster.
type Controller struct {
	c        *sim.Cluster
	api      *apiserver.Client
	recorder *events.Recorder
	// ensuring are the Services (namespace/name) whose load balancer is being made.
	ensuring map[string]bool
}

// New adds the controller to c.
func New(c *sim.Cluster) *Controller {
	lb := &Controller{c: c, api: c.API.Client(Name), recorder: c.Recorder(Name, ""), ensuring: map[string]bool{}}
	c.Watch(servicesResource.Name, lb.onService)
	c.AddController(Name, lb.sync)
	return lb
}

// wants tells whether a Service needs a load balancer it does not have yet.
func wants(s *corev1.Service) bool {
	return s.Spec.Type == corev1.ServiceTypeLoadBalancer && s.Spec.LoadBalancerClass == nil && len(s.Status.LoadBalancer.Ingress) == 0
}

func (lb *Controller) onService(ev store.WatchEvent) {
	if ev.Type == store.Deleted {
		return
	}
	if s := ev.Object.(*corev1.Service); wants(s) {
		lb.c.Enqueue(Name, s.Namespace+"/"+s.Name)
	}
}

func (lb *Controller) sync(key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj := lb.c.Store.Lookup(servicesResource, ns, name)
	if obj == nil {
		delete(lb.ensuring, key)
		return 0, nil
	}
	svc := obj.(*corev1.Service)
	if !wants(svc) {
		delete(lb.ensuring, key)
		return 0, nil
	}
	if !lb.ensuring[key] {
		lb.ensuring[key] = true
		lb.recorder.Eventf(svc, corev1.EventTypeNormal, "EnsuringLoadBalancer", "Ensuring load balancer")
		return ProvisionTime, nil
	}
	ip, ok := lb.address(svc)
	if !ok {
		lb.recorder.Eventf(svc, corev1.EventTypeWarning, "SyncLoadBalancerFailed", "Error syncing load balancer: failed to ensure load balancer: no address left in the pool "+pool())
		return time.Minute, nil
	}
	next := svc.DeepCopy()
	vip := corev1.LoadBalancerIPModeVIP
	next.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: ip.String(), IPMode: &vip}}
	if _, err := lb.api.UpdateStatus(next, apiserver.UpdateOptions{HandOver: true}); err != nil {
		return 0, err
	}
	delete(lb.ensuring, key)
	lb.recorder.Eventf(svc, corev1.EventTypeNormal, "EnsuredLoadBalancer", "Ensured load balancer")
	return 0, nil
}

// address is the load balancer address for svc: its spec's loadBalancerIP when that is in
// the pool and free, else the lowest free one.
func (lb *Controller) address(svc *corev1.Service) (netip.Addr, bool) {
	used := map[netip.Addr]bool{}
	lb.c.Store.Each(servicesResource, "", func(o api.Object) bool {
		s := o.(*corev1.Service)
		if s.UID == svc.UID {
			return true
		}
		for _, in := range s.Status.LoadBalancer.Ingress {
			if a, err := netip.ParseAddr(in.IP); err == nil {
				used[a] = true
			}
		}
		return true
	})
	if a, err := netip.ParseAddr(svc.Spec.LoadBalancerIP); err == nil && inPool(a) && !used[a] {
		return a, true
	}
	for a := poolFirst; inPool(a); a = a.Next() {
		if !used[a] {
			return a, true
		}
	}
	return netip.Addr{}, false
}

func inPool(a netip.Addr) bool { return a.Compare(poolFirst) >= 0 && a.Compare(poolLast) <= 0 }

// pool names the pool, for messages.
func pool() string { return poolFirst.String() + "-" + poolLast.String() }
