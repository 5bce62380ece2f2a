//lint:file-ignore SA1019 v1 Endpoints are deprecated since v1.33 and still served, as a v1.37 API server serves them

package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/dns"
	"github.com/kubetab/kubetab/engine/sim"
)

// The Services every cluster starts with, written by who writes them in a kubeadm cluster
// (kind's): the API server's own `kubernetes` Service in default, at the first address of
// the service range, with its Endpoints and EndpointSlice pointing at the control plane's
// 6443, and kubeadm's CoreDNS addon Service `kube-dns` in kube-system at 10.96.0.10.
//
// kubetab runs no CoreDNS pods (nor the other kube-system pods a kind cluster has): the
// kube-dns Service selects nothing, its slice is the empty placeholder, and the cluster DNS
// answers all the same (engine/dns).
const (
	// APIServerClient and KubeadmClient write those objects.
	APIServerClient = "kube-apiserver"
	KubeadmClient   = "kubeadm"
	// KubernetesServiceIP is the `kubernetes` Service's cluster IP.
	KubernetesServiceIP = "10.96.0.1"
	// APIServerPort is where the control plane's API server listens.
	APIServerPort = 6443
)

func createClusterServices(c *sim.Cluster) error {
	node := c.Store.Lookup(nodesResource, "", ControlPlaneNode)
	if node == nil {
		return fmt.Errorf("no control-plane node %s", ControlPlaneNode)
	}
	ip := ""
	for _, a := range node.(*corev1.Node).Status.Addresses {
		if a.Type == corev1.NodeInternalIP {
			ip = a.Address
		}
	}
	apiServer := c.API.Client(APIServerClient)
	kubernetes := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: metav1.NamespaceDefault,
			Labels: map[string]string{"component": "apiserver", "provider": "kubernetes"}},
		Spec: corev1.ServiceSpec{ClusterIP: KubernetesServiceIP, Ports: []corev1.ServicePort{
			{Name: "https", Port: 443, TargetPort: intstr.FromInt32(APIServerPort)}}},
	}
	https, tcp, port := "https", corev1.ProtocolTCP, int32(APIServerPort)
	ready := true
	endpoints := &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: metav1.NamespaceDefault,
			Labels: map[string]string{discoveryv1.LabelSkipMirror: "true"}},
		Subsets: []corev1.EndpointSubset{{
			Addresses: []corev1.EndpointAddress{{IP: ip}},
			Ports:     []corev1.EndpointPort{{Name: https, Port: port, Protocol: tcp}},
		}},
	}
	slice := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: metav1.NamespaceDefault,
			Labels: map[string]string{discoveryv1.LabelServiceName: "kubernetes"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{ip}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
		Ports:       []discoveryv1.EndpointPort{{Name: &https, Port: &port, Protocol: &tcp}},
	}
	for _, o := range []api.Object{kubernetes, endpoints, slice} {
		if _, err := apiServer.Create(o, apiserver.CreateOptions{HandOver: true}); err != nil {
			return fmt.Errorf("creating %s: %w", o.GetName(), err)
		}
	}
	udp := corev1.ProtocolUDP
	kubeDNS := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kube-dns", Namespace: metav1.NamespaceSystem,
			Labels:      map[string]string{"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
			Annotations: map[string]string{"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
		Spec: corev1.ServiceSpec{ClusterIP: dns.ServerIP, Selector: map[string]string{"k8s-app": "kube-dns"},
			Ports: []corev1.ServicePort{
				{Name: "dns", Port: 53, Protocol: udp, TargetPort: intstr.FromInt32(53)},
				{Name: "dns-tcp", Port: 53, Protocol: tcp, TargetPort: intstr.FromInt32(53)},
				{Name: "metrics", Port: 9153, Protocol: tcp, TargetPort: intstr.FromInt32(9153)},
			}},
	}
	if _, err := c.API.Client(KubeadmClient).Create(kubeDNS, apiserver.CreateOptions{HandOver: true}); err != nil {
		return fmt.Errorf("creating kube-dns: %w", err)
	}
	return nil
}
