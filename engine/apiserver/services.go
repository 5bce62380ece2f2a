package apiserver

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubetab/kubetab/engine/api"
)

// A Service's cluster IPs and node ports, as the service registry allocates them
// (pkg/registry/core/service/storage/alloc.go, ipallocator, portallocator): a single-stack
// IPv4 cluster, as kind and kubeadm make by default.

// ServiceCIDR is the range cluster IPs come from (kube-apiserver --service-cluster-ip-range).
var ServiceCIDR = netip.MustParsePrefix("10.96.0.0/12")

// The node port range (--service-node-port-range).
const (
	NodePortMin = 30000
	NodePortMax = 32767
)

// Random streams of the allocators: real ones pick at random within their range, so a
// cluster's IPs and ports look like a real cluster's, yet replay identically.
const (
	clusterIPStream = "apiserver/ipallocator"
	nodePortStream  = "apiserver/portallocator"
)

var servicesResource = api.ResourceByName("services")

// serviceAllocations is what the allocators hold: which cluster IPs and node ports stored
// Services use (ns/name of the owner), kept as Services are written.
type serviceAllocations struct {
	ips   map[netip.Addr]string
	ports map[int32]string
}

func serviceKey(svc *corev1.Service) string { return svc.Namespace + "/" + svc.Name }

// serviceStored keeps the allocations in step with a write of the services resource:
// obj is the stored version (nil once removed), old the one it replaced (nil for a create).
func (s *Server) serviceStored(r *api.Resource, obj, old api.Object) {
	if r != servicesResource {
		return
	}
	a := &s.services
	if a.ips == nil {
		a.ips, a.ports = map[netip.Addr]string{}, map[int32]string{}
	}
	if o, ok := old.(*corev1.Service); ok {
		for _, ip := range o.Spec.ClusterIPs {
			if addr, err := netip.ParseAddr(ip); err == nil && a.ips[addr] == serviceKey(o) {
				delete(a.ips, addr)
			}
		}
		for _, p := range serviceNodePorts(o) {
			if a.ports[p] == serviceKey(o) {
				delete(a.ports, p)
			}
		}
	}
	if n, ok := obj.(*corev1.Service); ok {
		for _, ip := range n.Spec.ClusterIPs {
			if addr, err := netip.ParseAddr(ip); err == nil && ServiceCIDR.Contains(addr) {
				a.ips[addr] = serviceKey(n)
			}
		}
		for _, p := range serviceNodePorts(n) {
			a.ports[p] = serviceKey(n)
		}
	}
}

func serviceNodePorts(svc *corev1.Service) []int32 {
	var ports []int32
	for _, p := range svc.Spec.Ports {
		if p.NodePort != 0 {
			ports = append(ports, p.NodePort)
		}
	}
	if svc.Spec.HealthCheckNodePort != 0 {
		ports = append(ports, svc.Spec.HealthCheckNodePort)
	}
	return ports
}

// prepareServiceUpdate is the part of the service strategy's PrepareForUpdate and of the
// registry's beginUpdate that runs before allocation: what a client left out of an update
// keeps its allocated value (patchAllocatedValues), clusterIPs follows clusterIP, and what
// the new type no longer needs goes (dropTypeDependentFields).
func prepareServiceUpdate(svc, old *corev1.Service) {
	// The ports are changed in place below: the object may share them with the stored one.
	svc.Spec.Ports = slices.Clone(svc.Spec.Ports)
	s, o := &svc.Spec, &old.Spec
	if needsClusterIP(old) && needsClusterIP(svc) {
		if s.ClusterIP == "" {
			s.ClusterIP = o.ClusterIP
		}
		if len(s.ClusterIPs) == 0 && len(o.ClusterIPs) > 0 {
			s.ClusterIPs = o.ClusterIPs
		}
	}
	if needsNodePort(old) && needsNodePort(svc) {
		used := map[int32]bool{}
		for _, p := range o.Ports {
			for _, q := range s.Ports {
				if p.NodePort != 0 && p.NodePort == q.NodePort {
					used[p.NodePort] = true
				}
			}
		}
		byName := map[string]int32{}
		for _, p := range o.Ports {
			byName[p.Name] = p.NodePort
		}
		for i := range s.Ports {
			if p := &s.Ports[i]; p.NodePort == 0 && !used[byName[p.Name]] {
				p.NodePort = byName[p.Name]
			}
		}
	}
	if api.NeedsHealthCheck(old) && api.NeedsHealthCheck(svc) && s.HealthCheckNodePort == 0 {
		s.HealthCheckNodePort = o.HealthCheckNodePort
	}
	api.NormalizeClusterIPs(svc, old)
	if needsClusterIP(old) && !needsClusterIP(svc) {
		if slices.Equal(s.ClusterIPs, o.ClusterIPs) {
			s.ClusterIP, s.ClusterIPs = "", nil
		}
		if slices.Equal(s.IPFamilies, o.IPFamilies) {
			s.IPFamilies = nil
		}
		if samePtr(s.IPFamilyPolicy, o.IPFamilyPolicy) {
			s.IPFamilyPolicy = nil
		}
	}
	if needsNodePort(old) && !needsNodePort(svc) && slices.Equal(serviceNodePortsOf(s.Ports), serviceNodePortsOf(o.Ports)) {
		for i := range s.Ports {
			s.Ports[i].NodePort = 0
		}
	}
	if api.NeedsHealthCheck(old) && !api.NeedsHealthCheck(svc) && s.HealthCheckNodePort == o.HealthCheckNodePort {
		s.HealthCheckNodePort = 0
	}
	if s.Type != corev1.ServiceTypeLoadBalancer && samePtr(s.AllocateLoadBalancerNodePorts, o.AllocateLoadBalancerNodePorts) {
		s.AllocateLoadBalancerNodePorts = nil
	}
	if s.Type != corev1.ServiceTypeLoadBalancer && samePtr(s.LoadBalancerClass, o.LoadBalancerClass) {
		s.LoadBalancerClass = nil
	}
	if !api.ExternallyAccessible(svc) && s.ExternalTrafficPolicy == o.ExternalTrafficPolicy {
		s.ExternalTrafficPolicy = ""
	}
	if s.Type != corev1.ServiceTypeLoadBalancer {
		svc.Status.LoadBalancer = corev1.LoadBalancerStatus{}
	}
}

func serviceNodePortsOf(ports []corev1.ServicePort) []int32 {
	out := make([]int32, len(ports))
	for i, p := range ports {
		out[i] = p.NodePort
	}
	return out
}

func needsClusterIP(svc *corev1.Service) bool { return svc.Spec.Type != corev1.ServiceTypeExternalName }

func needsNodePort(svc *corev1.Service) bool {
	switch svc.Spec.Type {
	case corev1.ServiceTypeNodePort:
		return true
	case corev1.ServiceTypeLoadBalancer:
		return svc.Spec.AllocateLoadBalancerNodePorts == nil || *svc.Spec.AllocateLoadBalancerNodePorts
	}
	return false
}

// allocateService is the registry's allocateCreate and allocateUpdate (old nil on create):
// the IP families, then the cluster IP a Service that needs one has not got yet, then its
// node ports (and a LoadBalancer's health check node port), each a requested value checked
// or a free one drawn. Nothing is held until the Service is stored (serviceStored), so a
// request that fails later leaves nothing allocated.
func (s *Server) allocateService(svc, old *corev1.Service, dryRun bool) error {
	if err := initIPFamilies(svc, old); err != nil {
		return err
	}
	streamSuffix := ""
	if dryRun {
		// A dry run draws from streams of its own: trying a request changes nothing that
		// later requests allocate.
		streamSuffix = "/dry-run"
	}
	owner := serviceKey(svc)
	if needsClusterIP(svc) && (old == nil || !needsClusterIP(old)) {
		switch ip := svc.Spec.ClusterIP; ip {
		case corev1.ClusterIPNone:
		case "":
			addr, ok := s.nextClusterIP(s.stream(clusterIPStream + streamSuffix))
			if !ok {
				return apierrors.NewInternalError(fmt.Errorf("failed to allocate a serviceIP for Service %q: range is full", svc.Name))
			}
			svc.Spec.ClusterIP, svc.Spec.ClusterIPs = addr.String(), []string{addr.String()}
		default:
			if msg := s.clusterIPTaken(ip, owner); msg != "" {
				return api.InvalidError(svc, field.ErrorList{field.Invalid(field.NewPath("spec", "clusterIPs"), svc.Spec.ClusterIPs, fmt.Sprintf("failed to allocate IP %s: %s", ip, msg))})
			}
		}
	}
	// Node ports a request takes, so that two ports of one Service never get the same.
	taken := map[int32]bool{}
	ports := s.stream(nodePortStream + streamSuffix)
	var kept map[int32]bool
	if old != nil {
		kept = map[int32]bool{}
		for _, p := range serviceNodePorts(old) {
			kept[p] = true
		}
	}
	request := func(p *field.Path, port int32) error {
		if !kept[port] {
			if msg := s.nodePortTaken(port, owner, taken); msg != "" {
				return api.InvalidError(svc, field.ErrorList{field.Invalid(p, port, msg)})
			}
		}
		taken[port] = true
		return nil
	}
	next := func() (int32, error) {
		port, ok := s.nextNodePort(ports, taken)
		if !ok {
			return 0, apierrors.NewInternalError(fmt.Errorf("failed to allocate a nodePort: range is full"))
		}
		taken[port] = true
		return port, nil
	}
	if svc.Spec.Type == corev1.ServiceTypeNodePort || svc.Spec.Type == corev1.ServiceTypeLoadBalancer {
		// One node port per port number: TCP and UDP on the same port share it.
		byPort := map[int32]int32{}
		for i := range svc.Spec.Ports {
			sp := &svc.Spec.Ports[i]
			p := field.NewPath("spec", "ports").Index(i).Child("nodePort")
			if sp.NodePort == 0 && !needsNodePort(svc) {
				continue // a LoadBalancer without node ports still gets those asked for
			}
			got := byPort[sp.Port]
			switch {
			case got == 0 && sp.NodePort != 0:
				if err := request(p, sp.NodePort); err != nil {
					return err
				}
				byPort[sp.Port] = sp.NodePort
			case got == 0:
				if np := requestedNodePort(sp.Port, svc.Spec.Ports[i:]); np != 0 {
					if err := request(p, np); err != nil {
						return err
					}
					sp.NodePort = np
				} else {
					np, err := next()
					if err != nil {
						return err
					}
					sp.NodePort = np
				}
				byPort[sp.Port] = sp.NodePort
			case sp.NodePort == 0:
				sp.NodePort = got
			case sp.NodePort != got:
				if err := request(p, sp.NodePort); err != nil {
					return err
				}
			}
		}
	}
	if api.NeedsHealthCheck(svc) {
		if hc := svc.Spec.HealthCheckNodePort; hc != 0 {
			if msg := s.nodePortTaken(hc, owner, taken); msg != "" && !kept[hc] {
				return apierrors.NewInternalError(fmt.Errorf("failed to allocate requested HealthCheck NodePort %d: %s", hc, msg))
			}
		} else {
			np, err := next()
			if err != nil {
				return err
			}
			svc.Spec.HealthCheckNodePort = np
		}
	}
	return nil
}

// requestedNodePort is findRequestedNodePort: a node port a later entry for the same port
// number asks for.
func requestedNodePort(port int32, ports []corev1.ServicePort) int32 {
	for _, p := range ports {
		if p.Port == port && p.NodePort != 0 {
			return p.NodePort
		}
	}
	return 0
}

// initIPFamilies is initIPFamilyFields on a single-stack IPv4 cluster: the policy (the old
// one on update, RequireDualStack for a headless Service without selector, else
// SingleStack), the families the cluster IPs imply, and the refusals of what this cluster
// cannot give.
func initIPFamilies(svc, old *corev1.Service) error {
	s := &svc.Spec
	if s.Type == corev1.ServiceTypeExternalName {
		return nil
	}
	if s.IPFamilyPolicy == nil {
		switch {
		case old != nil && old.Spec.IPFamilyPolicy != nil:
			s.IPFamilyPolicy = old.Spec.IPFamilyPolicy
		case s.ClusterIP == corev1.ClusterIPNone && len(s.Selector) == 0:
			s.IPFamilyPolicy = ptrTo(corev1.IPFamilyPolicyRequireDualStack)
		default:
			s.IPFamilyPolicy = ptrTo(corev1.IPFamilyPolicySingleStack)
		}
	}
	if errs := api.ValidateServiceClusterIPs(svc, old); len(errs) > 0 {
		return api.InvalidError(svc, errs)
	}
	var errs field.ErrorList
	policy := field.NewPath("spec", "ipFamilyPolicy")
	if *s.IPFamilyPolicy == corev1.IPFamilyPolicySingleStack {
		if len(s.ClusterIPs) == 2 {
			errs = append(errs, field.Invalid(policy, s.IPFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"))
		}
		if len(s.IPFamilies) == 2 {
			errs = append(errs, field.Invalid(policy, s.IPFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"))
		}
	}
	for i, ip := range s.ClusterIPs {
		if ip == corev1.ClusterIPNone {
			break
		}
		if i >= len(s.IPFamilies) {
			if addr, err := netip.ParseAddr(ip); err == nil && addr.Is6() {
				errs = append(errs, field.Invalid(field.NewPath("spec", "clusterIPs").Index(i), s.ClusterIPs, "IPv6 is not configured on this cluster"))
			} else {
				s.IPFamilies = append(s.IPFamilies, corev1.IPv4Protocol)
			}
		}
	}
	if len(errs) > 0 {
		return api.InvalidError(svc, errs)
	}
	if s.ClusterIP == corev1.ClusterIPNone && len(s.Selector) == 0 {
		// Headless without selector may name both families even here.
		if len(s.IPFamilies) == 0 {
			s.IPFamilies = []corev1.IPFamily{corev1.IPv4Protocol}
		}
		if len(s.IPFamilies) < 2 && *s.IPFamilyPolicy != corev1.IPFamilyPolicySingleStack {
			if s.IPFamilies[0] == corev1.IPv4Protocol {
				s.IPFamilies = append(s.IPFamilies, corev1.IPv6Protocol)
			} else {
				s.IPFamilies = append(s.IPFamilies, corev1.IPv4Protocol)
			}
		}
		return nil
	}
	if *s.IPFamilyPolicy == corev1.IPFamilyPolicyRequireDualStack {
		errs = append(errs, field.Invalid(policy, s.IPFamilyPolicy, "this cluster is not configured for dual-stack services"))
	}
	for i, f := range s.IPFamilies {
		if f != corev1.IPv4Protocol {
			errs = append(errs, field.Invalid(field.NewPath("spec", "ipFamilies").Index(i), f, "not configured on this cluster"))
		}
	}
	if len(errs) > 0 {
		return api.InvalidError(svc, errs)
	}
	if len(s.IPFamilies) == 0 {
		s.IPFamilies = []corev1.IPFamily{corev1.IPv4Protocol}
	}
	return nil
}

// clusterIPTaken says why a requested cluster IP cannot be had ("" when it can).
func (s *Server) clusterIPTaken(ip, owner string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "failed to parse IP"
	}
	if !ServiceCIDR.Contains(addr) || addr == ServiceCIDR.Addr() || addr == lastAddr(ServiceCIDR) {
		return fmt.Sprintf("the provided IP (%s) is not in the valid range. The range of valid IPs is %s", ip, ServiceCIDR)
	}
	if by, ok := s.services.ips[addr]; ok && by != owner {
		return "provided IP is already allocated"
	}
	return ""
}

// nodePortTaken says why a requested node port cannot be had ("" when it can).
func (s *Server) nodePortTaken(port int32, owner string, taken map[int32]bool) string {
	if port < NodePortMin || port > NodePortMax {
		return fmt.Sprintf("provided port is not in the valid range. The range of valid ports is %d-%d", NodePortMin, NodePortMax)
	}
	if by, ok := s.services.ports[port]; (ok && by != owner) || taken[port] {
		return "provided port is already allocated"
	}
	return ""
}

// nextClusterIP is the IP allocator's AllocateNext: a random start in the upper part of the
// range, then upwards; the lowest addresses (min(max(16, size/16), 256) of them) are kept
// for Services that ask for an IP, and used only once the rest is full.
func (s *Server) nextClusterIP(r *rand.Rand) (netip.Addr, bool) {
	first := ServiceCIDR.Addr().Next()
	size := uint32(1)<<(32-ServiceCIDR.Bits()) - 2 // without network and broadcast addresses
	offset := min(max(16, (size+2)/16), 256)
	free := func(i uint32) (netip.Addr, bool) {
		a := addrPlus(first, i)
		_, used := s.services.ips[a]
		return a, !used
	}
	if n := size - offset; n > 0 {
		start := uint32(r.Int64N(int64(n)))
		for i := uint32(0); i < n; i++ {
			if a, ok := free(offset + (start+i)%n); ok {
				return a, true
			}
		}
	}
	start := uint32(r.IntN(int(offset)))
	for i := uint32(0); i < offset; i++ {
		if a, ok := free((start + i) % offset); ok {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// nextNodePort is the port allocator's AllocateNext, with the same split: the lowest
// min(max(16, size/32), 128) ports of the range wait for Services that ask for them.
func (s *Server) nextNodePort(r *rand.Rand, taken map[int32]bool) (int32, bool) {
	size := int32(NodePortMax - NodePortMin + 1)
	offset := min(max(16, size/32), 128)
	free := func(p int32) bool { _, used := s.services.ports[p]; return !used && !taken[p] }
	n := size - offset
	start := int32(r.IntN(int(n)))
	for i := int32(0); i < n; i++ {
		if p := NodePortMin + offset + (start+i)%n; free(p) {
			return p, true
		}
	}
	start = int32(r.IntN(int(offset)))
	for i := int32(0); i < offset; i++ {
		if p := NodePortMin + (start+i)%offset; free(p) {
			return p, true
		}
	}
	return 0, false
}

func addrPlus(a netip.Addr, n uint32) netip.Addr {
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += n
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func lastAddr(p netip.Prefix) netip.Addr {
	return addrPlus(p.Addr(), uint32(1)<<(32-p.Bits())-1)
}

func ptrTo[T any](v T) *T { return &v }

// Recover rebuilds what the server keeps beside the store (the Services' cluster IPs and
// node ports) from the stored objects: a restarted API server over a store that survived.
func (s *Server) Recover() {
	s.services = serviceAllocations{}
	s.store.Each(servicesResource, "", func(o api.Object) bool {
		s.serviceStored(servicesResource, o, nil)
		return true
	})
}
