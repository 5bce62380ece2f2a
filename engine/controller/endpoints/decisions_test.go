package endpoints

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func svc(ports ...corev1.ServicePort) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default", UID: "svc-uid", CreationTimestamp: metav1.NewTime(t0),
			Labels: map[string]string{"team": "a"}},
		Spec: corev1.ServiceSpec{ClusterIP: "10.96.5.5", Selector: map[string]string{"app": "kubia"}, Ports: ports},
	}
}

func pod(name, ip string, ready bool, mutate ...func(*corev1.Pod)) *corev1.Pod {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID(name + "-uid"), Labels: map[string]string{"app": "kubia"}},
		Spec: corev1.PodSpec{NodeName: "kubetab-worker", Containers: []corev1.Container{{Name: "c",
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: ip,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: status, LastTransitionTime: metav1.NewTime(t0.Add(10 * time.Second))}}},
	}
	for _, m := range mutate {
		m(p)
	}
	return p
}

var httpPort = corev1.ServicePort{Port: 80, TargetPort: intstr.FromString("http"), Protocol: corev1.ProtocolTCP}

func noNode(string) *corev1.Node { return nil }

func addresses(s *discoveryv1.EndpointSlice) string {
	var out []string
	for _, ep := range s.Endpoints {
		out = append(out, ep.Addresses[0])
	}
	return strings.Join(out, ",")
}

func TestPodToEndpointConditions(t *testing.T) {
	now := metav1.NewTime(t0)
	tests := []struct {
		name                        string
		pod                         *corev1.Pod
		publish                     bool
		ready, serving, terminating bool
	}{
		{name: "ready", pod: pod("a", "10.244.1.2", true), ready: true, serving: true},
		{name: "not ready", pod: pod("a", "10.244.1.2", false)},
		{name: "terminating ready pod serves but is not ready", pod: pod("a", "10.244.1.2", true, func(p *corev1.Pod) { p.DeletionTimestamp = &now }),
			serving: true, terminating: true},
		{name: "publishNotReadyAddresses", pod: pod("a", "10.244.1.2", false), publish: true, ready: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := svc(httpPort)
			s.Spec.PublishNotReadyAddresses = tc.publish
			ep := podToEndpoint(tc.pod, nil, s)
			c := ep.Conditions
			if *c.Ready != tc.ready || *c.Serving != tc.serving || *c.Terminating != tc.terminating {
				t.Fatalf("ready %v serving %v terminating %v", *c.Ready, *c.Serving, *c.Terminating)
			}
			if ep.TargetRef.Name != "a" || *ep.NodeName != "kubetab-worker" || ep.Hostname != nil {
				t.Fatalf("endpoint %+v", ep)
			}
		})
	}
}

func TestEndpointPortsResolveNamedTargetPorts(t *testing.T) {
	ports := endpointPorts(svc(httpPort), pod("a", "10.244.1.2", true))
	if len(ports) != 1 || *ports[0].Port != 8080 || *ports[0].Name != "" {
		t.Fatalf("ports %+v", ports)
	}
	// A pod without the named port offers none of the Service's ports.
	other := pod("b", "10.244.1.3", true, func(p *corev1.Pod) { p.Spec.Containers[0].Ports[0].Name = "web" })
	if ports := endpointPorts(svc(httpPort), other); len(ports) != 0 {
		t.Fatalf("ports %+v", ports)
	}
}

func TestReconcileSlices(t *testing.T) {
	s := svc(httpPort)
	a, b, c := pod("a", "10.244.1.2", true), pod("b", "10.244.2.2", true), pod("c", "10.244.3.2", true)

	// A Service selecting nothing gets one placeholder slice without ports.
	ch := reconcileSlices(s, nil, desiredGroups(s, nil, noNode))
	if len(ch.create) != 1 || len(ch.create[0].Ports) != 0 || len(ch.create[0].Endpoints) != 0 || ch.create[0].GenerateName != "kubia-" {
		t.Fatalf("placeholder %+v", ch)
	}
	l := ch.create[0].Labels
	if l["kubernetes.io/service-name"] != "kubia" || l["endpointslice.kubernetes.io/managed-by"] != SliceManager || l["team"] != "a" {
		t.Fatalf("labels %v", l)
	}
	placeholder := ch.create[0]
	placeholder.Name = "kubia-abcde"
	// It stays as it is while there is still nothing.
	if ch := reconcileSlices(s, []*discoveryv1.EndpointSlice{placeholder}, nil); len(ch.create)+len(ch.update)+len(ch.del) != 0 {
		t.Fatalf("placeholder changed: %+v", ch)
	}
	// Pods come: the placeholder is reused (a create and a delete become an update).
	ch = reconcileSlices(s, []*discoveryv1.EndpointSlice{placeholder}, desiredGroups(s, []*corev1.Pod{a, b}, noNode))
	if len(ch.create) != 0 || len(ch.del) != 0 || len(ch.update) != 1 || ch.update[0].Name != "kubia-abcde" || addresses(ch.update[0]) != "10.244.1.2,10.244.2.2" {
		t.Fatalf("reuse %+v", ch)
	}
	slice := ch.update[0]
	// A new pod is appended; existing endpoints keep their place.
	ch = reconcileSlices(s, []*discoveryv1.EndpointSlice{slice}, desiredGroups(s, []*corev1.Pod{c, b, a}, noNode))
	if len(ch.update) != 1 || addresses(ch.update[0]) != "10.244.1.2,10.244.2.2,10.244.3.2" {
		t.Fatalf("append %+v", ch)
	}
	slice = ch.update[0]
	// A pod that stops being ready stays, not ready.
	bNotReady := pod("b", "10.244.2.2", false)
	ch = reconcileSlices(s, []*discoveryv1.EndpointSlice{slice}, desiredGroups(s, []*corev1.Pod{a, bNotReady, c}, noNode))
	if len(ch.update) != 1 || *ch.update[0].Endpoints[1].Conditions.Ready {
		t.Fatalf("readiness %+v", ch)
	}
	// Nothing changed: nothing to write.
	if ch := reconcileSlices(s, []*discoveryv1.EndpointSlice{slice}, desiredGroups(s, []*corev1.Pod{a, b, c}, noNode)); len(ch.create)+len(ch.update)+len(ch.del) != 0 {
		t.Fatalf("no-op wrote %+v", ch)
	}
	// All pods gone: back to the placeholder, in the same slice.
	ch = reconcileSlices(s, []*discoveryv1.EndpointSlice{slice}, nil)
	if len(ch.update) != 1 || ch.update[0].Name != "kubia-abcde" || len(ch.update[0].Ports) != 0 || len(ch.update[0].Endpoints) != 0 || len(ch.del) != 0 {
		t.Fatalf("emptied %+v", ch)
	}
}

func TestReconcileSlicesSplitsAtAHundred(t *testing.T) {
	s := svc(httpPort)
	var pods []*corev1.Pod
	for i := 0; i < 150; i++ {
		pods = append(pods, pod(fmt.Sprintf("p%03d", i), fmt.Sprintf("10.244.%d.%d", i/100, i%100+2), true))
	}
	ch := reconcileSlices(s, nil, desiredGroups(s, pods, noNode))
	if len(ch.create) != 2 || len(ch.create[0].Endpoints) != 100 || len(ch.create[1].Endpoints) != 50 {
		t.Fatalf("slices %d", len(ch.create))
	}
}

func TestRepackSubsets(t *testing.T) {
	s := svc(corev1.ServicePort{Name: "http", Port: 80, TargetPort: intstr.FromInt32(8080), Protocol: corev1.ProtocolTCP},
		corev1.ServicePort{Name: "https", Port: 443, TargetPort: intstr.FromInt32(8443), Protocol: corev1.ProtocolTCP})
	got := endpointSubsets(s, []*corev1.Pod{pod("b", "10.244.2.2", true), pod("a", "10.244.1.2", true), pod("c", "10.244.3.2", false)})
	// Every pod offers both ports: one subset, ready addresses sorted by IP, the other not
	// ready; the ports in their hash order.
	if len(got) != 1 {
		t.Fatalf("subsets %+v", got)
	}
	ss := got[0]
	if len(ss.Addresses) != 2 || ss.Addresses[0].IP != "10.244.1.2" || ss.Addresses[1].IP != "10.244.2.2" ||
		len(ss.NotReadyAddresses) != 1 || ss.NotReadyAddresses[0].IP != "10.244.3.2" || len(ss.Ports) != 2 {
		t.Fatalf("subset %+v", ss)
	}
	// A terminating pod is left out unless not-ready addresses are published.
	now := metav1.NewTime(t0)
	term := pod("d", "10.244.4.2", true, func(p *corev1.Pod) { p.DeletionTimestamp = &now })
	if got := endpointSubsets(s, []*corev1.Pod{term}); len(got) != 0 {
		t.Fatalf("terminating pod in %+v", got)
	}
	// Nothing selected: no subsets at all (kubectl shows <none>).
	if got := endpointSubsets(s, nil); got == nil || len(got) != 0 {
		t.Fatalf("empty %+v", got)
	}
}

func TestTriggerTime(t *testing.T) {
	tt := triggerTimes{}
	s := svc(httpPort)
	a := pod("a", "10.244.1.2", true)
	if got := tt.triggerTime(s, []*corev1.Pod{a}); !got.Equal(t0) {
		t.Fatalf("first sync: %v, want the Service's creation", got)
	}
	if got := tt.triggerTime(s, []*corev1.Pod{a}); !got.IsZero() {
		t.Fatalf("nothing changed: %v", got)
	}
	b := pod("b", "10.244.2.2", true)
	b.Status.Conditions[0].LastTransitionTime = metav1.NewTime(t0.Add(time.Minute))
	if got := tt.triggerTime(s, []*corev1.Pod{a, b}); !got.Equal(t0.Add(time.Minute)) {
		t.Fatalf("new pod: %v", got)
	}
}
