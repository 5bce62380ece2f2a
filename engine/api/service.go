//lint:file-ignore SA1019 v1 Endpoints are deprecated since v1.33 and still served, as a v1.37 API server serves them

package api

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
)

// Services, Endpoints and EndpointSlices: their defaulting (pkg/apis/core/v1/defaults.go,
// pkg/apis/discovery/v1/defaults.go) and validation (pkg/apis/core/validation,
// pkg/apis/discovery/validation) as a v1.37 API server does them. What needs the cluster's
// configuration (the service CIDR, the node port range, the IP families) is the API server's
// (engine/apiserver).

// IsHeadlessService: clusterIP None.
func IsHeadlessService(svc *corev1.Service) bool {
	return svc.Spec.ClusterIP == corev1.ClusterIPNone
}

// ServiceIPSet is upstream's IsServiceIPSet: the service has a virtual IP (not headless, not
// ExternalName, and allocated).
func ServiceIPSet(svc *corev1.Service) bool {
	return svc.Spec.ClusterIP != corev1.ClusterIPNone && svc.Spec.ClusterIP != ""
}

// ExternallyAccessible is upstream's service.ExternallyAccessible: reachable from outside the
// cluster through node ports, a load balancer or external IPs.
func ExternallyAccessible(svc *corev1.Service) bool {
	return svc.Spec.Type == corev1.ServiceTypeLoadBalancer || svc.Spec.Type == corev1.ServiceTypeNodePort ||
		(svc.Spec.Type == corev1.ServiceTypeClusterIP && len(svc.Spec.ExternalIPs) > 0)
}

// NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local has a health check node
// port.
func NeedsHealthCheck(svc *corev1.Service) bool {
	return svc.Spec.Type == corev1.ServiceTypeLoadBalancer && svc.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal
}

// FindPort is the port of pod that a service port's targetPort names: a number as it is, a
// name through the pod's container ports (sidecars included) of the same protocol.
func FindPort(pod *corev1.Pod, sp *corev1.ServicePort) (int32, bool) {
	switch sp.TargetPort.Type {
	case intstr.String:
		name := sp.TargetPort.StrVal
		for _, c := range pod.Spec.Containers {
			for _, p := range c.Ports {
				if p.Name == name && p.Protocol == sp.Protocol {
					return p.ContainerPort, true
				}
			}
		}
		for _, c := range pod.Spec.InitContainers {
			if c.RestartPolicy == nil || *c.RestartPolicy != corev1.ContainerRestartPolicyAlways {
				continue
			}
			for _, p := range c.Ports {
				if p.Name == name && p.Protocol == sp.Protocol {
					return p.ContainerPort, true
				}
			}
		}
		return 0, false
	}
	return int32(sp.TargetPort.IntValue()), true
}

func defaultService(svc *corev1.Service) {
	s := &svc.Spec
	if s.SessionAffinity == "" {
		s.SessionAffinity = corev1.ServiceAffinityNone
	}
	if s.SessionAffinity == corev1.ServiceAffinityNone {
		s.SessionAffinityConfig = nil
	}
	if s.SessionAffinity == corev1.ServiceAffinityClientIP {
		if c := s.SessionAffinityConfig; c == nil || c.ClientIP == nil || c.ClientIP.TimeoutSeconds == nil {
			s.SessionAffinityConfig = &corev1.SessionAffinityConfig{ClientIP: &corev1.ClientIPConfig{
				TimeoutSeconds: ptrTo(corev1.DefaultClientIPServiceAffinitySeconds)}}
		}
	}
	if s.Type == "" {
		s.Type = corev1.ServiceTypeClusterIP
	}
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.Protocol == "" {
			p.Protocol = corev1.ProtocolTCP
		}
		if p.TargetPort == intstr.FromInt32(0) || p.TargetPort == intstr.FromString("") {
			p.TargetPort = intstr.FromInt32(p.Port)
		}
	}
	if ExternallyAccessible(svc) && s.ExternalTrafficPolicy == "" {
		s.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyCluster
	}
	if s.InternalTrafficPolicy == nil && (s.Type == corev1.ServiceTypeNodePort || s.Type == corev1.ServiceTypeLoadBalancer || s.Type == corev1.ServiceTypeClusterIP) {
		s.InternalTrafficPolicy = ptrTo(corev1.ServiceInternalTrafficPolicyCluster)
	}
	if s.Type == corev1.ServiceTypeLoadBalancer && s.AllocateLoadBalancerNodePorts == nil {
		s.AllocateLoadBalancerNodePorts = ptrTo(true)
	}
}

func defaultEndpoints(ep *corev1.Endpoints) {
	for i := range ep.Subsets {
		for j := range ep.Subsets[i].Ports {
			if p := &ep.Subsets[i].Ports[j]; p.Protocol == "" {
				p.Protocol = corev1.ProtocolTCP
			}
		}
	}
}

func defaultEndpointSlice(s *discoveryv1.EndpointSlice) {
	// The API server stores objects as protobuf, which keeps no difference between an
	// empty list and none: these two fields, without omitempty, read back as null.
	if len(s.Endpoints) == 0 {
		s.Endpoints = nil
	}
	if len(s.Ports) == 0 {
		s.Ports = nil
	}
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.Name == nil {
			p.Name = ptrTo("")
		}
		if p.Protocol == nil {
			p.Protocol = ptrTo(corev1.ProtocolTCP)
		}
	}
}

var (
	serviceTypes                   = []string{"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}
	sessionAffinities              = []string{"ClientIP", "None"}
	trafficPolicies                = []string{"Cluster", "Local"}
	ipFamilies                     = []string{"IPv4", "IPv6"}
	ipFamilyPolicies               = []string{"PreferDualStack", "RequireDualStack", "SingleStack"}
	addressTypes                   = []string{"FQDN", "IPv4", "IPv6"}
	trafficDistributions           = []string{"PreferClose", "PreferSameZone", "PreferSameNode"}
	maxClientIPAffinityTimeout     = int32(86400)
	endpointSliceMaxEndpoints      = 1000
	endpointSliceMaxAddresses      = 100
	loadBalancerOnly               = "may only be used when `type` is 'LoadBalancer'"
	externalNameForbidden          = "may not be set for ExternalName services"
	clientIPAffinityRequiredDetail = "when session affinity type is ClientIP"
)

// validateService is upstream's validateService (old is nil on create).
func validateService(svc, old *corev1.Service) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	s := &svc.Spec
	headless := IsHeadlessService(svc)
	if len(s.Ports) == 0 && !headless && s.Type != corev1.ServiceTypeExternalName {
		errs = append(errs, field.Required(spec.Child("ports"), ""))
	}
	switch s.Type {
	case corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeNodePort:
		if headless && len(s.ClusterIPs) > 0 {
			errs = append(errs, field.Invalid(spec.Child("clusterIPs").Index(0), s.ClusterIPs[0], fmt.Sprintf("may not be set to 'None' for %s services", s.Type)))
		}
	case corev1.ServiceTypeExternalName:
		if len(s.ClusterIPs) > 0 {
			errs = append(errs, field.Forbidden(spec.Child("clusterIPs"), externalNameForbidden))
		}
		if len(s.IPFamilies) > 0 {
			errs = append(errs, field.Forbidden(spec.Child("ipFamilies"), externalNameForbidden))
		}
		if s.IPFamilyPolicy != nil {
			errs = append(errs, field.Forbidden(spec.Child("ipFamilyPolicy"), externalNameForbidden))
		}
		// The CNAME may end in a dot to say it is fully qualified.
		if cname := strings.TrimSuffix(s.ExternalName, "."); cname != "" {
			for _, msg := range validation.IsDNS1123Subdomain(cname) {
				errs = append(errs, field.Invalid(spec.Child("externalName"), cname, msg))
			}
		} else {
			errs = append(errs, field.Required(spec.Child("externalName"), ""))
		}
	}
	names := sets.New[string]()
	for i := range s.Ports {
		errs = append(errs, validateServicePort(&s.Ports[i], len(s.Ports) > 1, names, spec.Child("ports").Index(i))...)
	}
	if s.Selector != nil {
		errs = append(errs, metav1validation.ValidateLabels(s.Selector, spec.Child("selector"))...)
	}
	switch {
	case s.SessionAffinity == "":
		errs = append(errs, field.Required(spec.Child("sessionAffinity"), ""))
	case !contains(sessionAffinities, string(s.SessionAffinity)):
		errs = append(errs, field.NotSupported(spec.Child("sessionAffinity"), s.SessionAffinity, sessionAffinities))
	}
	switch s.SessionAffinity {
	case corev1.ServiceAffinityClientIP:
		errs = append(errs, validateClientIPAffinity(s.SessionAffinityConfig, spec.Child("sessionAffinityConfig"))...)
	case corev1.ServiceAffinityNone:
		if s.SessionAffinityConfig != nil {
			errs = append(errs, field.Forbidden(spec.Child("sessionAffinityConfig"), "must not be set when session affinity is None"))
		}
	}
	errs = append(errs, ValidateServiceClusterIPs(svc, old)...)
	for i, ip := range s.ExternalIPs {
		p := spec.Child("externalIPs").Index(i)
		if e := validateLegacyIP(p, ip); len(e) > 0 {
			errs = append(errs, e...)
		} else {
			errs = append(errs, validateEndpointIP(ip, p)...)
		}
	}
	switch {
	case s.Type == "":
		errs = append(errs, field.Required(spec.Child("type"), ""))
	case !contains(serviceTypes, string(s.Type)):
		errs = append(errs, field.NotSupported(spec.Child("type"), s.Type, serviceTypes))
	}
	if s.Type == corev1.ServiceTypeClusterIP {
		for i := range s.Ports {
			if s.Ports[i].NodePort != 0 {
				errs = append(errs, field.Forbidden(spec.Child("ports").Index(i).Child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
			}
		}
	}
	nodePorts := map[corev1.ServicePort]bool{}
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.NodePort == 0 {
			continue
		}
		key := corev1.ServicePort{Protocol: p.Protocol, NodePort: p.NodePort}
		if nodePorts[key] {
			errs = append(errs, field.Duplicate(spec.Child("ports").Index(i).Child("nodePort"), p.NodePort))
		}
		nodePorts[key] = true
	}
	ports := map[corev1.ServicePort]bool{}
	for i, p := range s.Ports {
		key := corev1.ServicePort{Protocol: p.Protocol, Port: p.Port}
		if ports[key] {
			errs = append(errs, field.Duplicate(spec.Child("ports").Index(i), key))
		}
		ports[key] = true
	}
	if len(s.LoadBalancerSourceRanges) > 0 && s.Type != corev1.ServiceTypeLoadBalancer {
		errs = append(errs, field.Forbidden(spec.Child("LoadBalancerSourceRanges"), loadBalancerOnly))
	}
	if s.AllocateLoadBalancerNodePorts != nil && s.Type != corev1.ServiceTypeLoadBalancer {
		errs = append(errs, field.Forbidden(spec.Child("allocateLoadBalancerNodePorts"), loadBalancerOnly))
	}
	if s.Type == corev1.ServiceTypeLoadBalancer && s.AllocateLoadBalancerNodePorts == nil {
		errs = append(errs, field.Required(field.NewPath("allocateLoadBalancerNodePorts"), ""))
	}
	if s.LoadBalancerClass != nil && s.Type != corev1.ServiceTypeLoadBalancer {
		errs = append(errs, field.Forbidden(spec.Child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"))
	}
	if !ExternallyAccessible(svc) {
		if s.ExternalTrafficPolicy != "" {
			errs = append(errs, field.Invalid(spec.Child("externalTrafficPolicy"), s.ExternalTrafficPolicy, "may only be set for externally-accessible services"))
		}
	} else if s.ExternalTrafficPolicy == "" {
		errs = append(errs, field.Required(spec.Child("externalTrafficPolicy"), ""))
	} else if !contains(trafficPolicies, string(s.ExternalTrafficPolicy)) {
		errs = append(errs, field.NotSupported(spec.Child("externalTrafficPolicy"), s.ExternalTrafficPolicy, trafficPolicies))
	}
	if !NeedsHealthCheck(svc) {
		if s.HealthCheckNodePort != 0 {
			errs = append(errs, field.Invalid(spec.Child("healthCheckNodePort"), s.HealthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
		}
	} else if s.HealthCheckNodePort == 0 {
		errs = append(errs, field.Required(spec.Child("healthCheckNodePort"), ""))
	} else {
		for _, msg := range validation.IsValidPortNum(int(s.HealthCheckNodePort)) {
			errs = append(errs, field.Invalid(spec.Child("healthCheckNodePort"), s.HealthCheckNodePort, msg))
		}
	}
	if s.InternalTrafficPolicy == nil {
		if s.Type == corev1.ServiceTypeNodePort || s.Type == corev1.ServiceTypeLoadBalancer || s.Type == corev1.ServiceTypeClusterIP {
			errs = append(errs, field.Required(spec.Child("internalTrafficPolicy"), ""))
		}
	} else if !contains(trafficPolicies, string(*s.InternalTrafficPolicy)) {
		errs = append(errs, field.NotSupported(spec.Child("internalTrafficPolicy"), *s.InternalTrafficPolicy, trafficPolicies))
	}
	if d := s.TrafficDistribution; d != nil && !contains(trafficDistributions, *d) {
		errs = append(errs, field.NotSupported(spec.Child("trafficDistribution"), *d, trafficDistributions))
	}
	return errs
}

func validateServicePort(sp *corev1.ServicePort, requireName bool, names sets.Set[string], p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if requireName && sp.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	} else if sp.Name != "" {
		errs = append(errs, dns1123LabelErrs(p.Child("name"), sp.Name)...)
		if names.Has(sp.Name) {
			errs = append(errs, field.Duplicate(p.Child("name"), sp.Name))
		}
		names.Insert(sp.Name)
	}
	errs = append(errs, portNumErrs(p.Child("port"), sp.Port)...)
	errs = append(errs, protocolErrs(p.Child("protocol"), sp.Protocol)...)
	errs = append(errs, validatePortNumOrName(sp.TargetPort, p.Child("targetPort"))...)
	if sp.AppProtocol != nil {
		for _, msg := range validation.IsQualifiedName(*sp.AppProtocol) {
			errs = append(errs, field.Invalid(p.Child("appProtocol"), *sp.AppProtocol, msg))
		}
	}
	return errs
}

func validateClientIPAffinity(c *corev1.SessionAffinityConfig, p *field.Path) field.ErrorList {
	switch {
	case c == nil:
		return field.ErrorList{field.Required(p, clientIPAffinityRequiredDetail)}
	case c.ClientIP == nil:
		return field.ErrorList{field.Required(p.Child("clientIP"), clientIPAffinityRequiredDetail)}
	case c.ClientIP.TimeoutSeconds == nil:
		return field.ErrorList{field.Required(p.Child("clientIP", "timeoutSeconds"), clientIPAffinityRequiredDetail)}
	}
	if t := *c.ClientIP.TimeoutSeconds; t <= 0 || t > maxClientIPAffinityTimeout {
		return field.ErrorList{field.Invalid(p.Child("clientIP", "timeoutSeconds"), t, fmt.Sprintf("must be greater than 0 and less than %d", maxClientIPAffinityTimeout))}
	}
	return nil
}

// ValidateServiceClusterIPs is ValidateServiceClusterIPsRelatedFields: clusterIP and
// clusterIPs agree, the IPs are IPs (or a lone None), the families and policy are known.
// The API server runs it before it allocates, as upstream does.
func ValidateServiceClusterIPs(svc, old *corev1.Service) field.ErrorList {
	s := &svc.Spec
	if s.Type == corev1.ServiceTypeExternalName {
		return nil
	}
	var errs field.ErrorList
	ips := field.NewPath("spec", "clusterIPs")
	if s.ClusterIP != "" {
		if len(s.ClusterIPs) == 0 {
			errs = append(errs, field.Required(ips, ""))
		} else if s.ClusterIPs[0] != s.ClusterIP {
			errs = append(errs, field.Invalid(ips, s.ClusterIPs, "first value must match `clusterIP`"))
		}
	} else if len(s.ClusterIPs) != 0 {
		errs = append(errs, field.Invalid(ips, s.ClusterIPs, "must be empty when `clusterIP` is not specified"))
	}
	seen := map[corev1.IPFamily]bool{}
	for i, f := range s.IPFamilies {
		if !contains(ipFamilies, string(f)) {
			errs = append(errs, field.NotSupported(field.NewPath("spec", "ipFamilies").Index(i), f, ipFamilies))
		}
		if seen[f] {
			errs = append(errs, field.Duplicate(field.NewPath("spec", "ipFamilies").Index(i), f))
		}
		seen[f] = true
	}
	if p := s.IPFamilyPolicy; p != nil && !contains(ipFamilyPolicies, string(*p)) {
		errs = append(errs, field.NotSupported(field.NewPath("spec", "ipFamilyPolicy"), p, ipFamilyPolicies))
	}
	var oldIPs []string
	if old != nil {
		oldIPs = old.Spec.ClusterIPs
	}
	invalid := false
	for i, ip := range s.ClusterIPs {
		if i == 0 && ip == corev1.ClusterIPNone {
			if len(s.ClusterIPs) > 1 {
				invalid = true
				errs = append(errs, field.Invalid(ips, s.ClusterIPs, "'None' must be the first and only value"))
			}
			continue
		}
		if contains(oldIPs, ip) {
			continue
		}
		if e := validateLegacyIP(ips.Index(i), ip); len(e) > 0 {
			invalid = true
			errs = append(errs, e...)
		}
	}
	if len(s.ClusterIPs) > 2 {
		errs = append(errs, field.Invalid(ips, s.ClusterIPs, "may only hold up to 2 values"))
	}
	if invalid {
		return errs
	}
	if len(s.ClusterIPs) > 1 && isIPv6(s.ClusterIPs[0]) == isIPv6(s.ClusterIPs[1]) {
		errs = append(errs, field.Invalid(ips, s.ClusterIPs, "may specify no more than one IP for each IP family"))
	}
	if !IsHeadlessService(svc) {
		for i, ip := range s.ClusterIPs {
			if i >= len(s.IPFamilies) {
				break
			}
			if s.IPFamilies[i] == corev1.IPv4Protocol && isIPv6(ip) {
				errs = append(errs, field.Invalid(ips.Index(i), ip, fmt.Sprintf("expected an IPv4 value as indicated by `ipFamilies[%v]`", i)))
			}
			if s.IPFamilies[i] == corev1.IPv6Protocol && !isIPv6(ip) {
				errs = append(errs, field.Invalid(ips.Index(i), ip, fmt.Sprintf("expected an IPv6 value as indicated by `ipFamilies[%v]`", i)))
			}
		}
	}
	return errs
}

func isIPv6(ip string) bool { return strings.Contains(ip, ":") }

// validateLegacyIP is IsValidIPForLegacyField with v1.37's strict validation.
func validateLegacyIP(p *field.Path, ip string) field.ErrorList {
	return validation.IsValidIPForLegacyField(p, ip, true, nil)
}

// validateEndpointIP is ValidateEndpointIP: no unspecified, loopback or link-local address.
func validateEndpointIP(ip string, p *field.Path) field.ErrorList {
	var a [4]int
	if n, err := fmt.Sscanf(ip, "%d.%d.%d.%d", &a[0], &a[1], &a[2], &a[3]); err != nil || n != 4 {
		return nil // IPv6: the legacy check has spoken
	}
	var errs field.ErrorList
	switch {
	case a == [4]int{}:
		errs = append(errs, field.Invalid(p, ip, fmt.Sprintf("may not be unspecified (%v)", ip)))
	case a[0] == 127:
		errs = append(errs, field.Invalid(p, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
	case a[0] == 169 && a[1] == 254:
		errs = append(errs, field.Invalid(p, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
	case a[0] == 224 && a[1] == 0 && a[2] == 0:
		errs = append(errs, field.Invalid(p, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
	}
	return errs
}

// validateServiceUpdate adds what an update may not do: change the cluster IPs, or the
// health check node port of a LoadBalancer that keeps one.
func validateServiceUpdate(svc, old *corev1.Service) field.ErrorList {
	var errs field.ErrorList
	s, o := &svc.Spec, &old.Spec
	if s.Type != corev1.ServiceTypeExternalName && o.Type != corev1.ServiceTypeExternalName &&
		!(IsHeadlessService(svc) && IsHeadlessService(old)) {
		ips := field.NewPath("spec", "clusterIPs")
		switch {
		case len(o.ClusterIPs) == len(s.ClusterIPs):
			for i, ip := range o.ClusterIPs {
				if ip != s.ClusterIPs[i] {
					errs = append(errs, field.Invalid(ips.Index(i), s.ClusterIPs, "may not change once set"))
				}
			}
		case len(o.ClusterIPs) > len(s.ClusterIPs):
			if len(s.ClusterIPs) == 0 {
				errs = append(errs, field.Invalid(ips.Index(0), s.ClusterIPs, "primary clusterIP can not be unset"))
			} else if len(o.ClusterIPs) > 0 && s.ClusterIPs[0] != o.ClusterIPs[0] {
				errs = append(errs, field.Invalid(ips.Index(0), s.ClusterIPs, "may not change once set"))
			}
		default:
			if len(o.ClusterIPs) > 0 && s.ClusterIPs[0] != o.ClusterIPs[0] {
				errs = append(errs, field.Invalid(ips.Index(0), s.ClusterIPs, "may not change once set"))
			}
		}
	}
	if NeedsHealthCheck(old) && NeedsHealthCheck(svc) && s.HealthCheckNodePort != o.HealthCheckNodePort {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "healthCheckNodePort"), "field is immutable"))
	}
	return append(errs, validateService(svc, old)...)
}

// validateEndpoints is ValidateEndpoints without the metadata.
func validateEndpoints(ep, old *corev1.Endpoints) field.ErrorList {
	var errs field.ErrorList
	subsets := field.NewPath("subsets")
	for i := range ep.Subsets {
		ss := &ep.Subsets[i]
		p := subsets.Index(i)
		if len(ss.Addresses) == 0 && len(ss.NotReadyAddresses) == 0 {
			errs = append(errs, field.Required(p, "must specify `addresses` or `notReadyAddresses`"))
		}
		for j := range ss.Addresses {
			errs = append(errs, validateEndpointAddress(&ss.Addresses[j], p.Child("addresses").Index(j))...)
		}
		for j := range ss.NotReadyAddresses {
			errs = append(errs, validateEndpointAddress(&ss.NotReadyAddresses[j], p.Child("notReadyAddresses").Index(j))...)
		}
		for j := range ss.Ports {
			port, pp := &ss.Ports[j], p.Child("ports").Index(j)
			if len(ss.Ports) > 1 && port.Name == "" {
				errs = append(errs, field.Required(pp.Child("name"), ""))
			} else if port.Name != "" {
				errs = append(errs, dns1123LabelErrs(pp.Child("name"), port.Name)...)
			}
			errs = append(errs, portNumErrs(pp.Child("port"), port.Port)...)
			errs = append(errs, protocolErrs(pp.Child("protocol"), port.Protocol)...)
		}
	}
	// Subsets stored before keep being accepted, as upstream does.
	if len(errs) > 0 && old != nil && apiequality.Semantic.DeepEqual(ep.Subsets, old.Subsets) {
		return nil
	}
	return errs
}

func validateEndpointAddress(a *corev1.EndpointAddress, p *field.Path) field.ErrorList {
	errs := validateLegacyIP(p.Child("ip"), a.IP)
	if a.Hostname != "" {
		errs = append(errs, dns1123LabelErrs(p.Child("hostname"), a.Hostname)...)
	}
	if a.NodeName != nil {
		for _, msg := range validation.IsDNS1123Subdomain(*a.NodeName) {
			errs = append(errs, field.Invalid(p.Child("nodeName"), *a.NodeName, msg))
		}
	}
	if len(errs) == 0 {
		errs = validateEndpointIP(a.IP, p.Child("ip"))
	}
	return errs
}

// validateEndpointSlice is ValidateEndpointSlice without the metadata.
func validateEndpointSlice(s, old *discoveryv1.EndpointSlice) field.ErrorList {
	var errs field.ErrorList
	switch {
	case s.AddressType == "":
		errs = append(errs, field.Required(field.NewPath("addressType"), ""))
	case !contains(addressTypes, string(s.AddressType)):
		errs = append(errs, field.NotSupported(field.NewPath("addressType"), s.AddressType, addressTypes))
	}
	names := sets.New[string]()
	for i, port := range s.Ports {
		p := field.NewPath("ports").Index(i)
		name := ""
		if port.Name != nil {
			name = *port.Name
		}
		if name != "" {
			errs = append(errs, dns1123LabelErrs(p.Child("name"), name)...)
		}
		if names.Has(name) {
			errs = append(errs, field.Duplicate(p.Child("name"), port.Name))
		}
		names.Insert(name)
		if port.Protocol == nil {
			errs = append(errs, field.Required(p.Child("protocol"), ""))
		} else {
			errs = append(errs, protocolErrs(p.Child("protocol"), *port.Protocol)...)
		}
	}
	var epErrs field.ErrorList
	if len(s.Endpoints) > endpointSliceMaxEndpoints {
		epErrs = append(epErrs, field.TooMany(field.NewPath("endpoints"), len(s.Endpoints), endpointSliceMaxEndpoints))
	}
	for i, ep := range s.Endpoints {
		p := field.NewPath("endpoints").Index(i)
		ap := p.Child("addresses")
		switch {
		case len(ep.Addresses) == 0:
			epErrs = append(epErrs, field.Required(ap, "must contain at least 1 address"))
		case len(ep.Addresses) > endpointSliceMaxAddresses:
			epErrs = append(epErrs, field.TooMany(ap, len(ep.Addresses), endpointSliceMaxAddresses))
		}
		for j, a := range ep.Addresses {
			switch s.AddressType {
			case discoveryv1.AddressTypeIPv4, discoveryv1.AddressTypeIPv6:
				if e := validateLegacyIP(ap.Index(j), a); len(e) > 0 {
					epErrs = append(epErrs, e...)
					continue
				}
				if isIPv6(a) != (s.AddressType == discoveryv1.AddressTypeIPv6) {
					epErrs = append(epErrs, field.Invalid(ap, a, fmt.Sprintf("must be an %s address", s.AddressType)))
				}
				epErrs = append(epErrs, validateEndpointIP(a, ap.Index(j))...)
			case discoveryv1.AddressTypeFQDN:
				epErrs = append(epErrs, validation.IsFullyQualifiedDomainName(ap.Index(j), a)...)
			}
		}
		if ep.NodeName != nil {
			for _, msg := range validation.IsDNS1123Subdomain(*ep.NodeName) {
				epErrs = append(epErrs, field.Invalid(p.Child("nodeName"), *ep.NodeName, msg))
			}
		}
		if ep.Hostname != nil {
			epErrs = append(epErrs, dns1123LabelErrs(p.Child("hostname"), *ep.Hostname)...)
		}
	}
	if len(epErrs) > 0 && old != nil && apiequality.Semantic.DeepEqual(s.Endpoints, old.Endpoints) {
		epErrs = nil
	}
	errs = append(errs, epErrs...)
	if old != nil && s.AddressType != old.AddressType {
		errs = append(errs, field.Invalid(field.NewPath("addressType"), s.AddressType, "field is immutable"))
	}
	return errs
}

// NormalizeClusterIPs is the service strategy's NormalizeClusterIPs: clusterIPs follows
// clusterIP for clients that set only the singular field (old is nil on create).
func NormalizeClusterIPs(svc, old *corev1.Service) {
	s := &svc.Spec
	if old == nil {
		if s.ClusterIP != "" && len(s.ClusterIPs) == 0 {
			s.ClusterIPs = []string{s.ClusterIP}
		}
		return
	}
	o := &old.Spec
	// A client that patched something else and did not send clusterIPs.
	if len(o.ClusterIPs) > 0 && len(s.ClusterIPs) == 0 && o.ClusterIP == s.ClusterIP {
		s.ClusterIPs = o.ClusterIPs
	}
	if o.ClusterIP != s.ClusterIP {
		same := slices.Equal(o.ClusterIPs, s.ClusterIPs)
		// A client clearing clusterIP: clear clusterIPs on its behalf.
		if o.ClusterIP != "" && s.ClusterIP == "" && same {
			s.ClusterIPs = nil
		}
		if s.ClusterIP != "" && same {
			s.ClusterIPs = []string{s.ClusterIP}
		}
	}
}

// The checks every kind with ports makes.

// validPortNum tells a port portNumErrs finds nothing wrong with.
func validPortNum(port int32) bool { return port >= 1 && port <= 65535 }

func portNumErrs(p *field.Path, port int32) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsValidPortNum(int(port)) {
		errs = append(errs, field.Invalid(p, port, msg))
	}
	return errs
}

func protocolErrs(p *field.Path, proto corev1.Protocol) field.ErrorList {
	switch {
	case proto == "":
		return field.ErrorList{field.Required(p, "")}
	case !contains(protocols, string(proto)):
		return field.ErrorList{field.NotSupported(p, proto, protocols)}
	}
	return nil
}

func dns1123LabelErrs(p *field.Path, v string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Label(v) {
		errs = append(errs, field.Invalid(p, v, msg))
	}
	return errs
}
