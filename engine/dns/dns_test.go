package dns_test

import (
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/dns"
)

func mustCluster(t *testing.T) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func answer(a dns.Answer) string {
	var parts []string
	for _, r := range a.Records {
		parts = append(parts, r.Type+" "+r.Name+" "+r.Data)
	}
	return fmt.Sprintf("%d %s", a.Rcode, strings.Join(parts, "; "))
}

func TestQuery(t *testing.T) {
	c := mustCluster(t)
	cl := c.API.Client("test")
	svcs := []*corev1.Service{
		{ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default"}, Spec: corev1.ServiceSpec{
			ClusterIP: "10.96.7.7", Selector: map[string]string{"app": "kubia"}, Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "kubia-headless", Namespace: "default"}, Spec: corev1.ServiceSpec{
			ClusterIP: "None", Selector: map[string]string{"app": "kubia"}, Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "external-service", Namespace: "default"}, Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeExternalName, ExternalName: "kubia.default.svc.cluster.local", Ports: []corev1.ServicePort{{Port: 80}}}},
	}
	for _, s := range svcs {
		if _, err := cl.Create(s, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"a", "b"} {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"app": "kubia"}},
			Spec: corev1.PodSpec{Hostname: name, Subdomain: "kubia-headless", Containers: []corev1.Container{{Name: "c", Image: "luksa/kubia",
				Ports: []corev1.ContainerPort{{ContainerPort: 8080}}}}}}
		if _, err := cl.Create(p, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Advance(60e9); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, qtype, want string }{
		{"kubia.default.svc.cluster.local", "A", "0 A kubia.default.svc.cluster.local 10.96.7.7"},
		{"KUBIA.default.svc.cluster.local.", "A", "0 A kubia.default.svc.cluster.local 10.96.7.7"},
		{"kubia.default.svc.cluster.local", "AAAA", "0 "},
		{"kubernetes.default.svc.cluster.local", "A", "0 A kubernetes.default.svc.cluster.local 10.96.0.1"},
		{"kube-dns.kube-system.svc.cluster.local", "A", "0 A kube-dns.kube-system.svc.cluster.local 10.96.0.10"},
		{"kubia.svc.cluster.local", "A", "3 "},
		{"kubia.other.svc.cluster.local", "A", "3 "},
		{"kubia.default", "A", "3 "},
		{"a.kubia-headless.default.svc.cluster.local", "A", "0 A a.kubia-headless.default.svc.cluster.local 10.244.1.2"},
		{"external-service.default.svc.cluster.local", "A", "0 CNAME external-service.default.svc.cluster.local kubia.default.svc.cluster.local; A kubia.default.svc.cluster.local 10.96.7.7"},
		{"10-244-1-2.default.pod.cluster.local", "A", "0 A 10-244-1-2.default.pod.cluster.local 10.244.1.2"},
		{"1.0.96.10.in-addr.arpa", "PTR", "0 PTR 1.0.96.10.in-addr.arpa kubernetes.default.svc.cluster.local"},
		{"google.com", "A", "3 "},
	}
	for _, tc := range tests {
		if got := answer(c.DNS.Query(tc.name, tc.qtype)); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.qtype, tc.name, got, tc.want)
		}
	}
	// A headless Service answers with its ready pods' addresses, in an order CoreDNS
	// shuffles.
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		a := c.DNS.Query("kubia-headless.default.svc.cluster.local", "A")
		if len(a.Records) != 2 {
			t.Fatalf("headless: %s", answer(a))
		}
		seen[a.Records[0].Data] = true
	}
	if len(seen) != 2 {
		t.Fatalf("the first record is always %v", seen)
	}
}

func TestResolvConf(t *testing.T) {
	five := "5"
	tests := []struct {
		name string
		spec corev1.PodSpec
		want string
	}{
		{"ClusterFirst", corev1.PodSpec{}, "search web.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"},
		{"host network", corev1.PodSpec{HostNetwork: true}, "nameserver 172.18.0.1\n"},
		{"None with dnsConfig", corev1.PodSpec{DNSPolicy: corev1.DNSNone, DNSConfig: &corev1.PodDNSConfig{
			Nameservers: []string{"1.2.3.4"}, Searches: []string{"ns1.svc.cluster-domain.example"}, Options: []corev1.PodDNSConfigOption{{Name: "ndots", Value: &five}}}},
			"search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\noptions ndots:5\n"},
		{"ClusterFirst with options", corev1.PodSpec{DNSConfig: &corev1.PodDNSConfig{Options: []corev1.PodDNSConfigOption{{Name: "ndots", Value: ptr("2")}, {Name: "edns0"}}}},
			"search web.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:2 edns0\n"},
	}
	for _, tc := range tests {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "web"}, Spec: tc.spec}
		if got := dns.ResolvConf(p); got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

func ptr(s string) *string { return &s }
