package cluster

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

func TestDefaultCluster(t *testing.T) {
	c, err := New(Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	nodes, _ := c.Store.List(api.ResourceByName("nodes"), "", store.ListOptions{})
	if len(nodes) != 4 {
		t.Fatalf("want 4 nodes, got %d", len(nodes))
	}
	cp := nodes[0].(*corev1.Node)
	if cp.Name != ControlPlaneNode || len(cp.Spec.Taints) != 1 || cp.Spec.Taints[0].Effect != corev1.TaintEffectNoSchedule {
		t.Fatalf("control plane node should come first and be tainted NoSchedule: %+v", cp.Spec)
	}
	for _, ns := range DefaultNamespaces {
		if _, err := c.Store.Get(api.ResourceByName("namespaces"), "", ns); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAdmissionMakesNewPodsPendingWithQoS(t *testing.T) {
	c, err := New(Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		res  corev1.ResourceRequirements
		want corev1.PodQOSClass
	}{
		{"best-effort", corev1.ResourceRequirements{}, corev1.PodQOSBestEffort},
		{"burstable", corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}}, corev1.PodQOSBurstable},
		{"guaranteed", corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("1Gi")},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("1Gi")},
		}, corev1.PodQOSGuaranteed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A node selector nobody matches keeps the pod unscheduled.
			obj, err := c.Store.Create(&corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: tc.name, Namespace: "default"},
				Spec: corev1.PodSpec{NodeSelector: map[string]string{"nowhere": "true"},
					Containers: []corev1.Container{{Name: "c", Image: "nginx", Resources: tc.res}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			p := obj.(*corev1.Pod)
			if p.Status.Phase != corev1.PodPending || p.Status.QOSClass != tc.want {
				t.Fatalf("got phase %q qos %q", p.Status.Phase, p.Status.QOSClass)
			}
		})
	}
}

func TestPodCIDRsStayValidPastTheFirst256Nodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		cidr := PodCIDR(i)
		if seen[cidr] {
			t.Fatalf("duplicate %s", cidr)
		}
		seen[cidr] = true
	}
	if PodCIDR(1) != "10.244.1.0/24" || PodCIDR(256) != "10.245.0.0/24" {
		t.Fatalf("got %s %s", PodCIDR(1), PodCIDR(256))
	}
}
