package proxy

import (
	"errors"
	"math/rand/v2"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// Errors a connection gets when its Service has no endpoint to go to.
var (
	// ErrRejected: the Service port has no endpoint at all (REJECT, icmp-port-unreachable).
	ErrRejected = errors.New("connection refused")
	// ErrDropped: the packet is dropped (no local endpoint, or no rule for the port).
	ErrDropped = errors.New("i/o timeout")
)

var (
	servicesResource = api.ResourceByName("services")
	slicesResource   = api.ResourceByName("endpointslices")
	nodesResource    = api.ResourceByName("nodes")
)

// Proxy is the cluster's kube-proxies.
type Proxy struct {
	store  *store.Store
	now    func() time.Time
	stream func(string) *rand.Rand
	// rand holds each node's stream, made at its first draw.
	rand map[string]*rand.Rand
	// affinity is the ClientIP session affinity table (the `recent` module's lists).
	affinity map[affinityKey]affinityEntry
}

type affinityKey struct {
	node, service, port, client string
}

type affinityEntry struct {
	endpoint Endpoint
	lastUsed time.Time
}

// New returns the kube-proxies of the cluster whose store is s, clock now, random streams
// stream.
func New(s *store.Store, now func() time.Time, stream func(string) *rand.Rand) *Proxy {
	return &Proxy{store: s, now: now, stream: stream, rand: map[string]*rand.Rand{}, affinity: map[affinityKey]affinityEntry{}}
}

// Endpoint is where a connection is sent.
type Endpoint struct {
	IP   string
	Port int
	// Node is the endpoint's node, "" when unknown.
	Node string
}

// Route says where a TCP connection from clientIP to ip:port, made on node (or entering
// it), goes. handled is false when ip:port is no Service's: the connection goes where it
// is addressed. With handled, err is ErrRejected or ErrDropped when it goes nowhere.
func (p *Proxy) Route(node, clientIP, ip string, port int) (ep Endpoint, handled bool, err error) {
	svc, sp, external := p.serviceAt(ip, port)
	if svc == nil {
		return Endpoint{}, false, nil
	}
	if sp == nil {
		return Endpoint{}, true, ErrDropped
	}
	all := p.endpoints(svc, sp.Name)
	local := (!external && svc.Spec.InternalTrafficPolicy != nil && *svc.Spec.InternalTrafficPolicy == corev1.ServiceInternalTrafficPolicyLocal) ||
		(external && svc.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal)
	usable, any := usableEndpoints(all, local, node)
	if !any {
		return Endpoint{}, true, ErrRejected
	}
	if len(usable) == 0 {
		return Endpoint{}, true, ErrDropped
	}
	return p.choose(node, clientIP, svc, sp, usable), true, nil
}

// serviceAt finds the Service and port ip:port belongs to: a cluster IP (or external IP)
// and service port, or a node's address and node port (external says so).
func (p *Proxy) serviceAt(ip string, port int) (svc *corev1.Service, sp *corev1.ServicePort, external bool) {
	nodeIP := p.isNodeIP(ip)
	p.store.Each(servicesResource, "", func(o api.Object) bool {
		s := o.(*corev1.Service)
		if s.Spec.Type == corev1.ServiceTypeExternalName {
			return true
		}
		if api.ServiceIPSet(s) && s.Spec.ClusterIP == ip {
			svc, sp = s, servicePort(s, func(x *corev1.ServicePort) bool { return int(x.Port) == port })
			return false
		}
		for _, e := range externalAddresses(s) {
			if e == ip {
				if x := servicePort(s, func(x *corev1.ServicePort) bool { return int(x.Port) == port }); x != nil {
					svc, sp, external = s, x, true
					return false
				}
			}
		}
		if nodeIP {
			if x := servicePort(s, func(x *corev1.ServicePort) bool { return int(x.NodePort) == port }); x != nil {
				svc, sp, external = s, x, true
				return false
			}
		}
		return true
	})
	return svc, sp, external
}

// externalAddresses are where a Service is reached from outside: its external IPs and its
// load balancer's addresses.
func externalAddresses(s *corev1.Service) []string {
	out := s.Spec.ExternalIPs
	if s.Spec.Type == corev1.ServiceTypeLoadBalancer {
		for _, in := range s.Status.LoadBalancer.Ingress {
			if in.IP != "" {
				out = append(out[:len(out):len(out)], in.IP)
			}
		}
	}
	return out
}

func servicePort(s *corev1.Service, match func(*corev1.ServicePort) bool) *corev1.ServicePort {
	for i := range s.Spec.Ports {
		if x := &s.Spec.Ports[i]; (x.Protocol == corev1.ProtocolTCP || x.Protocol == "") && match(x) {
			return x
		}
	}
	return nil
}

func (p *Proxy) isNodeIP(ip string) bool {
	found := false
	p.store.Each(nodesResource, "", func(o api.Object) bool {
		for _, a := range o.(*corev1.Node).Status.Addresses {
			if a.Type == corev1.NodeInternalIP && a.Address == ip {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// candidate is one endpoint of a Service port with its conditions.
type candidate struct {
	Endpoint
	ready, serving, terminating bool
}

// endpoints lists the Service port's endpoints from its IPv4 slices, sorted by address, as
// kube-proxy's endpoint cache orders them.
func (p *Proxy) endpoints(svc *corev1.Service, portName string) []candidate {
	list, _ := p.store.List(slicesResource, svc.Namespace, store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{discoveryv1.LabelServiceName: svc.Name})})
	var out []candidate
	seen := map[Endpoint]bool{}
	for _, o := range list {
		s := o.(*discoveryv1.EndpointSlice)
		if s.AddressType != discoveryv1.AddressTypeIPv4 {
			continue
		}
		for _, sp := range s.Ports {
			if sp.Port == nil || (sp.Name != nil && *sp.Name != portName) || (sp.Name == nil && portName != "") {
				continue
			}
			if sp.Protocol != nil && *sp.Protocol != corev1.ProtocolTCP {
				continue
			}
			for _, ep := range s.Endpoints {
				if len(ep.Addresses) == 0 {
					continue
				}
				e := Endpoint{IP: ep.Addresses[0], Port: int(*sp.Port)}
				if ep.NodeName != nil {
					e.Node = *ep.NodeName
				}
				if seen[e] {
					continue
				}
				seen[e] = true
				c := ep.Conditions
				out = append(out, candidate{Endpoint: e,
					ready:       c.Ready == nil || *c.Ready,
					serving:     (c.Serving == nil && (c.Ready == nil || *c.Ready)) || (c.Serving != nil && *c.Serving),
					terminating: c.Terminating != nil && *c.Terminating})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].IP != out[j].IP {
			return out[i].IP < out[j].IP
		}
		return out[i].Port < out[j].Port
	})
	return out
}

// usableEndpoints is CategorizeEndpoints: the ready endpoints (only the node's own under a
// Local policy) or, when there are none, the serving terminating ones; any tells whether
// the Service port has an endpoint anywhere.
func usableEndpoints(all []candidate, local bool, node string) (usable []Endpoint, any bool) {
	pick := func(ok func(candidate) bool) []Endpoint {
		var out []Endpoint
		for _, c := range all {
			if ok(c) && (!local || c.Node == node) {
				out = append(out, c.Endpoint)
			}
		}
		return out
	}
	for _, c := range all {
		if c.ready || (c.serving && c.terminating) {
			any = true
		}
	}
	usable = pick(func(c candidate) bool { return c.ready })
	if len(usable) == 0 {
		usable = pick(func(c candidate) bool { return c.serving && c.terminating })
	}
	return usable, any
}

// choose draws one of usable from the node's stream, or keeps the client's affinity.
func (p *Proxy) choose(node, clientIP string, svc *corev1.Service, sp *corev1.ServicePort, usable []Endpoint) Endpoint {
	now := p.now()
	var key affinityKey
	sticky := svc.Spec.SessionAffinity == corev1.ServiceAffinityClientIP && clientIP != ""
	if sticky {
		key = affinityKey{node: node, service: svc.Namespace + "/" + svc.Name, port: sp.Name, client: clientIP}
		timeout := time.Duration(corev1.DefaultClientIPServiceAffinitySeconds) * time.Second
		if c := svc.Spec.SessionAffinityConfig; c != nil && c.ClientIP != nil && c.ClientIP.TimeoutSeconds != nil {
			timeout = time.Duration(*c.ClientIP.TimeoutSeconds) * time.Second
		}
		if e, ok := p.affinity[key]; ok && now.Sub(e.lastUsed) < timeout {
			for _, ep := range usable {
				if ep == e.endpoint {
					p.affinity[key] = affinityEntry{endpoint: e.endpoint, lastUsed: now}
					return ep
				}
			}
		}
	}
	r := p.rand[node]
	if r == nil {
		label := "kube-proxy"
		if node != "" {
			label += "/" + node
		}
		r = p.stream(label)
		p.rand[node] = r
	}
	ep := usable[r.IntN(len(usable))]
	if sticky {
		p.affinity[key] = affinityEntry{endpoint: ep, lastUsed: now}
	}
	return ep
}
