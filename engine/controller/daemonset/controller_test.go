package daemonset

import (
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
)

// bare is a cluster with only this controller: pods stay unbound, so they are found by the
// node their affinity names.
func bare(t *testing.T, nodes int) *sim.Cluster {
	t.Helper()
	c := sim.New(1, t0)
	New(c)
	if _, err := c.API.Client("test").Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < nodes; i++ {
		if _, err := c.API.Client("test").Create(testNode(fmt.Sprintf("n%03d", i), nil), apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	settle(t, c)
	return c
}

func settle(t *testing.T, c *sim.Cluster) {
	t.Helper()
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
}

func countPods(c *sim.Cluster) (n int, bySuffix map[string]int) {
	bySuffix = map[string]int{}
	c.Store.Each(podsResource, "default", func(o api.Object) bool {
		n++
		if t, ok := targetNodeName(o.(*corev1.Pod)); ok {
			bySuffix[t]++
		}
		return true
	})
	return n, bySuffix
}

func TestBurstAndUnboundPods(t *testing.T) {
	c := bare(t, 300)
	if _, err := c.API.Client("test").Create(testDS(), apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	n, byNode := countPods(c)
	if n != 300 || len(byNode) != 300 {
		t.Fatalf("%d pods on %d nodes", n, len(byNode))
	}
	ds, _ := c.Store.Get(daemonSetsResource, "default", "ssd-monitor")
	if st := ds.(*appsv1.DaemonSet).Status; st.DesiredNumberScheduled != 300 || st.CurrentNumberScheduled != 300 || st.NumberReady != 0 || st.NumberUnavailable != 300 {
		t.Fatalf("status %+v", st)
	}
	// A removed node's never-bound pod cannot wait for the pod GC: the controller deletes it.
	if _, err := c.API.Client("test").Delete(nodesResource, "", "n007", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	if n, byNode := countPods(c); n != 299 || byNode["n007"] != 0 {
		t.Fatalf("%d pods, %d on the removed node", n, byNode["n007"])
	}
}

func TestAdoptionAndRelease(t *testing.T) {
	c := bare(t, 1)
	orphan := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "orphan", Namespace: "default", Labels: map[string]string{"app": "ssd-monitor"}},
		Spec:       corev1.PodSpec{NodeName: "n000", Containers: []corev1.Container{{Name: "main", Image: "luksa/ssd-monitor"}}},
	}
	if _, err := c.API.Client("test").Create(orphan, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.API.Client("test").Create(testDS(), apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	o, _ := c.Store.Get(podsResource, "default", "orphan")
	if ref := metav1.GetControllerOf(o.(*corev1.Pod)); ref == nil || ref.Name != "ssd-monitor" {
		t.Fatalf("orphan not adopted: %+v", o.GetOwnerReferences())
	}
	if n, _ := countPods(c); n != 1 {
		t.Fatalf("%d pods: the adopted pod should serve its node", n)
	}
	// Relabelled, it is released and the node gets a new daemon pod.
	p := o.(*corev1.Pod).DeepCopy()
	p.Labels["app"] = "debug"
	if _, err := c.API.Client("test").Update(p, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	o, _ = c.Store.Get(podsResource, "default", "orphan")
	if len(o.GetOwnerReferences()) != 0 {
		t.Fatalf("not released: %+v", o.GetOwnerReferences())
	}
	if n, _ := countPods(c); n != 2 {
		t.Fatalf("%d pods, want the released one and a new one", n)
	}
}

// A DaemonSet selecting all pods is refused by the API server; the controller's own
// SelectingAll event remains for DaemonSets stored before that validation.
func TestSelectingAll(t *testing.T) {
	c := bare(t, 1)
	ds := testDS()
	ds.Spec.Selector = &metav1.LabelSelector{}
	_, err := c.API.Client("test").Create(ds, apiserver.CreateOptions{})
	if want := `DaemonSet.apps "ssd-monitor" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for daemonset`; err == nil || err.Error() != want {
		t.Fatalf("create: %v, want %s", err, want)
	}
}
