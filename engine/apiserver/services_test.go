package apiserver

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func service(name string, typ corev1.ServiceType, ports ...corev1.ServicePort) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec:       corev1.ServiceSpec{Type: typ, Selector: map[string]string{"app": name}, Ports: ports},
	}
}

func port(p int32) corev1.ServicePort { return corev1.ServicePort{Port: p} }

func nodePort(p, np int32) corev1.ServicePort { return corev1.ServicePort{Port: p, NodePort: np} }

func TestServiceAllocation(t *testing.T) {
	tests := []struct {
		name   string
		before []*corev1.Service
		svc    *corev1.Service
		err    string
		check  func(t *testing.T, svc *corev1.Service)
	}{
		{
			name: "cluster IP drawn from the upper part of the range, single stack",
			svc:  service("a", "", port(80)),
			check: func(t *testing.T, svc *corev1.Service) {
				ip, err := netip.ParseAddr(svc.Spec.ClusterIP)
				if err != nil || !ServiceCIDR.Contains(ip) || strings.HasPrefix(svc.Spec.ClusterIP, "10.96.0.") {
					t.Errorf("clusterIP %q", svc.Spec.ClusterIP)
				}
				if len(svc.Spec.ClusterIPs) != 1 || svc.Spec.ClusterIPs[0] != svc.Spec.ClusterIP {
					t.Errorf("clusterIPs %v", svc.Spec.ClusterIPs)
				}
				if *svc.Spec.IPFamilyPolicy != corev1.IPFamilyPolicySingleStack || len(svc.Spec.IPFamilies) != 1 || svc.Spec.IPFamilies[0] != corev1.IPv4Protocol {
					t.Errorf("families %v %v", *svc.Spec.IPFamilyPolicy, svc.Spec.IPFamilies)
				}
			},
		},
		{
			name: "requested cluster IP",
			svc:  withClusterIP(service("kubernetes", "", port(443)), "10.96.0.1"),
			check: func(t *testing.T, svc *corev1.Service) {
				if svc.Spec.ClusterIP != "10.96.0.1" || svc.Spec.ClusterIPs[0] != "10.96.0.1" {
					t.Errorf("clusterIP %q %v", svc.Spec.ClusterIP, svc.Spec.ClusterIPs)
				}
			},
		},
		{
			name:   "requested cluster IP already allocated",
			before: []*corev1.Service{withClusterIP(service("kubernetes", "", port(443)), "10.96.0.1")},
			svc:    withClusterIP(service("b", "", port(80)), "10.96.0.1"),
			err:    `Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.1"]: failed to allocate IP 10.96.0.1: provided IP is already allocated`,
		},
		{
			name: "requested cluster IP out of range",
			svc:  withClusterIP(service("b", "", port(80)), "10.0.0.5"),
			err:  `Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
		},
		{
			name: "headless",
			svc:  withClusterIP(service("h", "", port(80)), "None"),
			check: func(t *testing.T, svc *corev1.Service) {
				if svc.Spec.ClusterIP != "None" || svc.Spec.ClusterIPs[0] != "None" || svc.Spec.IPFamilies[0] != corev1.IPv4Protocol {
					t.Errorf("spec %+v", svc.Spec)
				}
			},
		},
		{
			name: "node port drawn above the static band",
			svc:  service("n", corev1.ServiceTypeNodePort, port(80)),
			check: func(t *testing.T, svc *corev1.Service) {
				if np := svc.Spec.Ports[0].NodePort; np < NodePortMin+86 || np > NodePortMax {
					t.Errorf("nodePort %d", np)
				}
				if svc.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyCluster {
					t.Errorf("externalTrafficPolicy %q", svc.Spec.ExternalTrafficPolicy)
				}
			},
		},
		{
			name:   "the same node port twice",
			before: []*corev1.Service{service("kubia-nodeport", corev1.ServiceTypeNodePort, nodePort(80, 30123))},
			svc:    service("other", corev1.ServiceTypeNodePort, nodePort(80, 30123)),
			err:    `Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30123: provided port is already allocated`,
		},
		{
			name: "node port out of range",
			svc:  service("n", corev1.ServiceTypeNodePort, nodePort(80, 80)),
			err:  `Service "n" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767`,
		},
		{
			name: "node port on a ClusterIP service",
			svc:  service("n", corev1.ServiceTypeClusterIP, nodePort(80, 30001)),
			err:  "Service \"n\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
		},
		{
			name: "load balancer gets node ports and stays pending",
			svc:  service("lb", corev1.ServiceTypeLoadBalancer, corev1.ServicePort{Name: "http", Port: 80}, corev1.ServicePort{Name: "https", Port: 443}),
			check: func(t *testing.T, svc *corev1.Service) {
				a, b := svc.Spec.Ports[0].NodePort, svc.Spec.Ports[1].NodePort
				if a == 0 || b == 0 || a == b || *svc.Spec.AllocateLoadBalancerNodePorts != true {
					t.Errorf("ports %+v", svc.Spec.Ports)
				}
				if len(svc.Status.LoadBalancer.Ingress) != 0 {
					t.Errorf("ingress %+v", svc.Status.LoadBalancer)
				}
			},
		},
		{
			name: "external name has no cluster IP",
			svc: &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "external-service", Namespace: "default"},
				Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "api.somecompany.com", Ports: []corev1.ServicePort{port(80)}}},
			check: func(t *testing.T, svc *corev1.Service) {
				if svc.Spec.ClusterIP != "" || svc.Spec.IPFamilyPolicy != nil || svc.Spec.InternalTrafficPolicy != nil {
					t.Errorf("spec %+v", svc.Spec)
				}
			},
		},
		{
			name: "two unnamed ports",
			svc:  service("m", "", port(80), port(443)),
			err:  `Service "m" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]`,
		},
		{
			name: "dual stack asked of a single-stack cluster",
			svc: func() *corev1.Service {
				s := service("d", "", port(80))
				s.Spec.IPFamilyPolicy = ptrTo(corev1.IPFamilyPolicyRequireDualStack)
				return s
			}(),
			err: `Service "d" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newStore(t)
			for _, b := range tc.before {
				if _, err := s.Create(b); err != nil {
					t.Fatal(err)
				}
			}
			obj, err := s.Create(tc.svc)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err %v\nwant %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, obj.(*corev1.Service))
		})
	}
}

func withClusterIP(svc *corev1.Service, ip string) *corev1.Service {
	svc.Spec.ClusterIP = ip
	return svc
}

func TestServiceAllocationIsReleasedAndKept(t *testing.T) {
	s, _ := newStore(t)
	obj, err := s.Create(service("a", corev1.ServiceTypeNodePort, nodePort(80, 30123)))
	if err != nil {
		t.Fatal(err)
	}
	a := obj.(*corev1.Service)
	// An update that leaves the allocated values out keeps them (kubectl apply without
	// clusterIP or nodePort).
	upd := service("a", corev1.ServiceTypeNodePort, corev1.ServicePort{Port: 80, TargetPort: intstr.FromInt32(8080)})
	obj, err = s.Update(upd)
	if err != nil {
		t.Fatal(err)
	}
	if b := obj.(*corev1.Service); b.Spec.ClusterIP != a.Spec.ClusterIP || b.Spec.Ports[0].NodePort != 30123 {
		t.Fatalf("allocated values not kept: %+v", b.Spec)
	}
	// Changing the cluster IP is refused.
	chg := obj.DeepCopyObject().(*corev1.Service)
	chg.Spec.ClusterIP, chg.Spec.ClusterIPs = "10.96.0.99", []string{"10.96.0.99"}
	if _, err := s.Update(chg); err == nil || !strings.Contains(err.Error(), `spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set`) {
		t.Fatalf("clusterIP change: %v", err)
	}
	// Back to ClusterIP: the node port is released and another Service may take it.
	back := obj.DeepCopyObject().(*corev1.Service)
	back.Spec.Type = corev1.ServiceTypeClusterIP
	obj, err = s.Update(back)
	if err != nil {
		t.Fatal(err)
	}
	if b := obj.(*corev1.Service); b.Spec.Ports[0].NodePort != 0 || b.Spec.ExternalTrafficPolicy != "" {
		t.Fatalf("type change kept %+v", b.Spec)
	}
	if _, err := s.Create(service("b", corev1.ServiceTypeNodePort, nodePort(80, 30123))); err != nil {
		t.Fatalf("released node port: %v", err)
	}
	// A deleted Service gives its cluster IP back.
	if _, err := s.Delete(servicesResource, "default", "a", DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(withClusterIP(service("c", "", port(80)), a.Spec.ClusterIP)); err != nil {
		t.Fatalf("released cluster IP: %v", err)
	}
}

func TestServiceAllocationDrawsItsOwnStream(t *testing.T) {
	ips := func() []string {
		s, _ := newStore(t)
		var out []string
		for _, n := range []string{"a", "b", "c"} {
			obj, err := s.Create(service(n, corev1.ServiceTypeNodePort, port(80)))
			if err != nil {
				t.Fatal(err)
			}
			svc := obj.(*corev1.Service)
			out = append(out, svc.Spec.ClusterIP, strconv.Itoa(int(svc.Spec.Ports[0].NodePort)))
		}
		return out
	}
	a, b := ips(), ips()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("not deterministic: %v %v", a, b)
	}
	// A dry run changes nothing later creates draw.
	s, _ := newStore(t)
	if _, err := s.c.Create(service("x", corev1.ServiceTypeNodePort, port(80)), CreateOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	obj, err := s.Create(service("a", corev1.ServiceTypeNodePort, port(80)))
	if err != nil {
		t.Fatal(err)
	}
	if obj.(*corev1.Service).Spec.ClusterIP != a[0] {
		t.Fatalf("a dry run moved the stream: %s, want %s", obj.(*corev1.Service).Spec.ClusterIP, a[0])
	}
}
