package dns

import (
	"math/rand/v2"
	"net/netip"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// The cluster's DNS settings, as kubeadm and the kubelet configure them.
const (
	// ServerIP is the kube-dns Service's cluster IP (the kubelet's clusterDNS).
	ServerIP = "10.96.0.10"
	// ClusterDomain is the kubelet's clusterDomain and the zone CoreDNS serves.
	ClusterDomain = "cluster.local"
	// Stream is the random stream of CoreDNS's loadbalance plugin.
	Stream = "coredns"
)

// Response codes a query gets.
const (
	NoError  = 0
	ServFail = 2
	NXDomain = 3
)

// Record is one answer record: A (Data an IPv4 address), CNAME or PTR (Data a name).
type Record struct {
	Name, Type, Data string
}

// Answer is a server's reply to one question.
type Answer struct {
	Rcode   int
	Records []Record
	// Authoritative: CoreDNS answers for its zones with the AA bit (nslookup then prints
	// no "Non-authoritative answer:").
	Authoritative bool
}

var (
	servicesResource   = api.ResourceByName("services")
	slicesResource     = api.ResourceByName("endpointslices")
	namespacesResource = api.ResourceByName("namespaces")
)

// Server answers DNS questions from the store.
type Server struct {
	store  *store.Store
	stream func(string) *rand.Rand
	rand   *rand.Rand // made at the first shuffle
}

// New returns the DNS server of the cluster whose store is s; stream gives its random
// stream.
func New(s *store.Store, stream func(string) *rand.Rand) *Server {
	return &Server{store: s, stream: stream}
}

// Query answers one question (qtype "A", "AAAA", "CNAME", "PTR"), as CoreDNS with kubeadm's
// Corefile would.
func (s *Server) Query(name, qtype string) Answer {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if qtype == "PTR" {
		return s.reverse(name)
	}
	zone := "." + ClusterDomain
	if !strings.HasSuffix(name, zone) && name != ClusterDomain {
		// Forwarded to the node's resolver, which kubetab's offline cluster does not have
		// an answer from.
		return Answer{Rcode: NXDomain}
	}
	labelsOf := strings.Split(strings.TrimSuffix(strings.TrimSuffix(name, ClusterDomain), "."), ".")
	if name == ClusterDomain {
		labelsOf = nil
	}
	// What the name asks, read from the right: [hostname.]service.namespace.svc or
	// dashed-ip.namespace.pod.
	n := len(labelsOf)
	if n == 0 {
		return Answer{Rcode: NoError, Authoritative: true}
	}
	switch labelsOf[n-1] {
	case "svc":
		switch n {
		case 1:
			return Answer{Rcode: NoError, Authoritative: true}
		case 2:
			if s.namespaceExists(labelsOf[0]) {
				return Answer{Rcode: NoError, Authoritative: true}
			}
			return Answer{Rcode: NXDomain, Authoritative: true}
		case 3:
			return s.service(name, labelsOf[1], labelsOf[0], "", qtype)
		case 4:
			return s.service(name, labelsOf[2], labelsOf[1], labelsOf[0], qtype)
		}
	case "pod":
		if n == 3 {
			ip := strings.ReplaceAll(labelsOf[0], "-", ".")
			if isIPv4(ip) {
				return addresses(name, qtype, []string{ip})
			}
		}
	}
	return Answer{Rcode: NXDomain, Authoritative: true}
}

func (s *Server) namespaceExists(ns string) bool {
	return s.store.Lookup(namespacesResource, "", ns) != nil
}

// service answers for a Service name, or for one of its endpoints (endpoint: a hostname, or
// a dashed IP for an endpoint without one).
func (s *Server) service(name, ns, svcName, endpoint, qtype string) Answer {
	o := s.store.Lookup(servicesResource, ns, svcName)
	if o == nil {
		return Answer{Rcode: NXDomain, Authoritative: true}
	}
	svc := o.(*corev1.Service)
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		if endpoint != "" {
			return Answer{Rcode: NXDomain, Authoritative: true}
		}
		target := strings.TrimSuffix(strings.ToLower(svc.Spec.ExternalName), ".")
		a := Answer{Rcode: NoError, Authoritative: true, Records: []Record{{Name: name, Type: "CNAME", Data: target}}}
		if qtype == "A" || qtype == "AAAA" {
			// CoreDNS looks the target up itself when it can (in the cluster's zone).
			if t := s.Query(target, qtype); t.Rcode == NoError {
				a.Records = append(a.Records, t.Records...)
			}
		}
		return a
	}
	if endpoint == "" && api.ServiceIPSet(svc) {
		return addresses(name, qtype, []string{svc.Spec.ClusterIP})
	}
	var ips []string
	seen := map[string]bool{}
	for _, ep := range s.endpointsOf(svc) {
		if endpoint != "" && endpoint != endpointHostname(ep) {
			continue
		}
		for _, a := range ep.Addresses {
			if !seen[a] {
				seen[a] = true
				ips = append(ips, a)
			}
		}
	}
	if len(ips) == 0 {
		return Answer{Rcode: NXDomain, Authoritative: true}
	}
	a := addresses(name, qtype, ips)
	s.shuffle(a.Records)
	return a
}

// endpointsOf are the Service's ready endpoints across its EndpointSlices, as CoreDNS reads
// them (the EndpointSlice controller marks every endpoint ready when the Service publishes
// addresses that are not).
func (s *Server) endpointsOf(svc *corev1.Service) []discoveryv1.Endpoint {
	list, _ := s.store.List(slicesResource, svc.Namespace, store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{discoveryv1.LabelServiceName: svc.Name})})
	var eps []discoveryv1.Endpoint
	for _, o := range list {
		sl := o.(*discoveryv1.EndpointSlice)
		if sl.AddressType != discoveryv1.AddressTypeIPv4 {
			continue
		}
		for _, ep := range sl.Endpoints {
			if ep.Conditions.Ready == nil || *ep.Conditions.Ready {
				eps = append(eps, ep)
			}
		}
	}
	return eps
}

func endpointHostname(ep discoveryv1.Endpoint) string {
	if ep.Hostname != nil && *ep.Hostname != "" {
		return *ep.Hostname
	}
	if len(ep.Addresses) > 0 {
		return strings.ReplaceAll(ep.Addresses[0], ".", "-")
	}
	return ""
}

// addresses answers an address question: A records, or no data (but the name exists) for
// AAAA and the other types in this IPv4 cluster.
func addresses(name, qtype string, ips []string) Answer {
	a := Answer{Rcode: NoError, Authoritative: true}
	if qtype != "A" {
		return a
	}
	for _, ip := range ips {
		a.Records = append(a.Records, Record{Name: name, Type: "A", Data: ip})
	}
	return a
}

// shuffle is the loadbalance plugin: the order of several records is random.
func (s *Server) shuffle(r []Record) {
	if len(r) < 2 {
		return
	}
	if s.rand == nil {
		s.rand = s.stream(Stream)
	}
	s.rand.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
}

// reverse answers a PTR question for a Service's cluster IP or one of its endpoints.
func (s *Server) reverse(name string) Answer {
	rest, ok := strings.CutSuffix(name, ".in-addr.arpa")
	parts := strings.Split(rest, ".")
	if !ok || len(parts) != 4 {
		return Answer{Rcode: NXDomain}
	}
	ip := parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0]
	var found string
	s.store.Each(servicesResource, "", func(o api.Object) bool {
		svc := o.(*corev1.Service)
		if svc.Spec.ClusterIP == ip {
			found = svc.Name + "." + svc.Namespace + ".svc." + ClusterDomain
			return false
		}
		if !api.IsHeadlessService(svc) {
			return true
		}
		for _, ep := range s.endpointsOf(svc) {
			for _, a := range ep.Addresses {
				if a == ip {
					found = endpointHostname(ep) + "." + svc.Name + "." + svc.Namespace + ".svc." + ClusterDomain
					return false
				}
			}
		}
		return true
	})
	if found == "" {
		return Answer{Rcode: NXDomain}
	}
	return Answer{Rcode: NoError, Authoritative: true, Records: []Record{{Name: name, Type: "PTR", Data: found}}}
}

func isIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// ResolvConf is the /etc/resolv.conf the kubelet writes for pod: for dnsPolicy ClusterFirst
// (the default; a hostNetwork pod needs ClusterFirstWithHostNet) the cluster's name server,
// the search path of the pod's namespace and ndots:5; for Default the node's; for None
// only the pod's dnsConfig, which the other policies add to.
func ResolvConf(pod *corev1.Pod) string {
	var servers, searches []string
	options := []string{}
	policy := pod.Spec.DNSPolicy
	if policy == "" {
		policy = corev1.DNSClusterFirst
	}
	if policy == corev1.DNSClusterFirst && pod.Spec.HostNetwork {
		policy = corev1.DNSDefault
	}
	switch policy {
	case corev1.DNSClusterFirst, corev1.DNSClusterFirstWithHostNet:
		servers = []string{ServerIP}
		searches = []string{pod.Namespace + ".svc." + ClusterDomain, "svc." + ClusterDomain, ClusterDomain}
		options = []string{"ndots:5"}
	case corev1.DNSDefault:
		servers = []string{NodeResolver}
	}
	if c := pod.Spec.DNSConfig; c != nil {
		servers = append(servers, c.Nameservers...)
		searches = append(searches, c.Searches...)
		for _, o := range c.Options {
			opt := o.Name
			if o.Value != nil {
				opt += ":" + *o.Value
			}
			// A pod's option replaces the same option of the policy.
			replaced := false
			for i, have := range options {
				if n, _, _ := strings.Cut(have, ":"); n == o.Name {
					options[i], replaced = opt, true
				}
			}
			if !replaced {
				options = append(options, opt)
			}
		}
	}
	var b strings.Builder
	if len(searches) > 0 {
		b.WriteString("search " + strings.Join(searches, " ") + "\n")
	}
	for _, s := range servers {
		b.WriteString("nameserver " + s + "\n")
	}
	if len(options) > 0 {
		b.WriteString("options " + strings.Join(options, " ") + "\n")
	}
	return b.String()
}

// NodeResolver is the name server in a kind node's own resolv.conf (Docker's embedded DNS
// on the kind network), which pods with dnsPolicy Default inherit.
const NodeResolver = "172.18.0.1"
