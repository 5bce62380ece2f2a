package scheduler_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/store"
)

var (
	podsRes   = api.ResourceByName("pods")
	nodesRes  = api.ResourceByName("nodes")
	eventsRes = api.ResourceByName("events")
)

func mustCluster(tb testing.TB, opts cluster.Options) *cluster.Cluster {
	tb.Helper()
	c, err := cluster.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func pod(name string, mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}}}
	for _, m := range mutate {
		m(p)
	}
	return p
}

func getPod(c *cluster.Cluster, name string) *corev1.Pod {
	o, err := c.Store.Get(podsRes, "default", name)
	if err != nil {
		return nil
	}
	return o.(*corev1.Pod)
}

func scheduledCondition(p *corev1.Pod) corev1.PodCondition {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled {
			return c
		}
	}
	return corev1.PodCondition{}
}

func requests(cpu string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)}
	}
}

func affinity(terms ...corev1.NodeSelectorTerm) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: terms}}}
	}
}

const cpTaint = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"

func TestFilters(t *testing.T) {
	tolerateCP := func(p *corev1.Pod) {
		p.Spec.Tolerations = append(p.Spec.Tolerations, corev1.Toleration{Key: "node-role.kubernetes.io/control-plane", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule})
	}
	tests := []struct {
		name   string
		pod    *corev1.Pod
		nodes  []string // acceptable nodes; empty means unschedulable
		reason string   // the FailedScheduling message when unschedulable
	}{
		{"any worker", pod("p"), []string{"kubetab-worker", "kubetab-worker2", "kubetab-worker3"}, ""},
		{"nodeSelector matches nothing", pod("p", func(p *corev1.Pod) { p.Spec.NodeSelector = map[string]string{"gpu": "true"} }), nil,
			"0/4 nodes are available: " + cpTaint + ", 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."},
		{"nodeSelector hostname", pod("p", func(p *corev1.Pod) {
			p.Spec.NodeSelector = map[string]string{"kubernetes.io/hostname": "kubetab-worker2"}
		}), []string{"kubetab-worker2"}, ""},
		{"tolerates control plane", pod("p", tolerateCP, func(p *corev1.Pod) {
			p.Spec.NodeSelector = map[string]string{"node-role.kubernetes.io/control-plane": ""}
		}), []string{"kubetab-control-plane"}, ""},
		{"matchFields metadata.name", pod("p", affinity(corev1.NodeSelectorTerm{MatchFields: []corev1.NodeSelectorRequirement{
			{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{"kubetab-worker3"}}}})), []string{"kubetab-worker3"}, ""},
		{"NotIn and DoesNotExist", pod("p", affinity(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{
			{Key: "kubernetes.io/hostname", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"kubetab-worker", "kubetab-worker2"}},
			{Key: "disk", Operator: corev1.NodeSelectorOpDoesNotExist}}})), []string{"kubetab-worker3"}, ""},
		{"Gt never matches non-numbers", pod("p", affinity(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{
			{Key: "kubernetes.io/hostname", Operator: corev1.NodeSelectorOpGt, Values: []string{"3"}}}})), nil,
			"0/4 nodes are available: " + cpTaint + ", 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."},
		{"too much cpu", pod("p", requests("5")), nil,
			"0/4 nodes are available: " + cpTaint + ", 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."},
		{"fits cpu", pod("p", requests("3500m")), []string{"kubetab-worker", "kubetab-worker2", "kubetab-worker3"}, ""},
		{"nodeName already set", pod("p", func(p *corev1.Pod) { p.Spec.NodeName = "kubetab-control-plane" }), []string{"kubetab-control-plane"}, ""},
		{"another scheduler", pod("p", func(p *corev1.Pod) { p.Spec.SchedulerName = "my-scheduler" }), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCluster(t, cluster.Options{Seed: 1})
			if _, err := c.API.Client("test").Create(tt.pod, apiserver.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := c.Settle(); err != nil {
				t.Fatal(err)
			}
			p := getPod(c, "p")
			if len(tt.nodes) > 0 {
				for _, n := range tt.nodes {
					if p.Spec.NodeName == n {
						return
					}
				}
				t.Fatalf("bound to %q, want one of %v (%s)", p.Spec.NodeName, tt.nodes, scheduledCondition(p).Message)
			}
			if p.Spec.NodeName != "" {
				t.Fatalf("bound to %s", p.Spec.NodeName)
			}
			cond := scheduledCondition(p)
			if tt.reason == "" {
				if cond.Type != "" {
					t.Fatalf("unexpected condition %+v", cond)
				}
				return
			}
			if cond.Status != corev1.ConditionFalse || cond.Reason != "Unschedulable" || cond.Message != tt.reason {
				t.Errorf("condition %+v\nwant message %s", cond, tt.reason)
			}
			if evs := events(c, "p"); len(evs) != 1 || evs[0] != "Warning FailedScheduling "+tt.reason {
				t.Errorf("events %q", evs)
			}
		})
	}
}

func events(c *cluster.Cluster, name string) []string {
	objs, _ := c.Store.List(eventsRes, "default", store.ListOptions{})
	var out []string
	for _, o := range objs {
		if e := o.(*corev1.Event); e.InvolvedObject.Name == name {
			out = append(out, e.Type+" "+e.Reason+" "+e.Message)
		}
	}
	return out
}

func TestRetryWhenNodeChanges(t *testing.T) {
	c := mustCluster(t, cluster.Options{Seed: 1})
	if _, err := c.API.Client("test").Create(pod("kubia-gpu", func(p *corev1.Pod) { p.Spec.NodeSelector = map[string]string{"gpu": "true"} }), apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Advance(30 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if evs := events(c, "kubia-gpu"); len(evs) != 1 {
		t.Fatalf("want one FailedScheduling (no hot loop), got %q", evs)
	}
	o, _ := c.Store.Get(nodesRes, "", "kubetab-worker2")
	n := o.(*corev1.Node).DeepCopy()
	n.Labels["gpu"] = "true"
	if _, err := c.API.Client("test").Update(n, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	p := getPod(c, "kubia-gpu")
	if p.Spec.NodeName != "kubetab-worker2" || scheduledCondition(p).Status != corev1.ConditionTrue {
		t.Fatalf("not scheduled after labelling: %q %+v", p.Spec.NodeName, scheduledCondition(p))
	}
	evs := events(c, "kubia-gpu")
	if evs[len(evs)-1] != "Normal Scheduled Successfully assigned default/kubia-gpu to kubetab-worker2" {
		t.Errorf("events %q", evs)
	}
}

func TestCordonedNode(t *testing.T) {
	c := mustCluster(t, cluster.Options{Seed: 1, Workers: []string{"w1"}})
	o, _ := c.Store.Get(nodesRes, "", "w1")
	n := o.(*corev1.Node).DeepCopy()
	n.Spec.Unschedulable = true
	if _, err := c.API.Client("test").Update(n, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.API.Client("test").Create(pod("p"), apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	want := "0/2 nodes are available: " + cpTaint + ", 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
	if got := scheduledCondition(getPod(c, "p")).Message; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSpreadByOwner(t *testing.T) {
	c := mustCluster(t, cluster.Options{Seed: 7})
	yes := true
	// Any existing object will do as the controller (the garbage collector checks it exists).
	cm, err := c.API.Client("test").Create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "owner", Namespace: "default"}}, apiserver.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	owner := metav1.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "owner", UID: cm.GetUID(), Controller: &yes}
	// Unrelated pods crowd worker3; the set still spreads evenly across all workers.
	for i := 0; i < 3; i++ {
		if _, err := c.API.Client("test").Create(pod(fmt.Sprintf("other-%d", i), func(p *corev1.Pod) { p.Spec.NodeName = "kubetab-worker3" }), apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 6; i++ {
		if _, err := c.API.Client("test").Create(pod(fmt.Sprintf("kubia-%d", i), func(p *corev1.Pod) { p.OwnerReferences = []metav1.OwnerReference{owner} }), apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for i := 0; i < 6; i++ {
		count[getPod(c, fmt.Sprintf("kubia-%d", i)).Spec.NodeName]++
	}
	var got []string
	for n, k := range count {
		got = append(got, fmt.Sprintf("%s=%d", n, k))
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "kubetab-worker2=2 kubetab-worker3=2 kubetab-worker=2" {
		t.Errorf("spread %v", got)
	}
}

func TestTooManyPods(t *testing.T) {
	c := mustCluster(t, cluster.Options{Seed: 1, Workers: []string{"w1"}})
	for i := 0; i < 111; i++ {
		if _, err := c.API.Client("test").Create(pod(fmt.Sprintf("p%03d", i)), apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	// Reasons are sorted as strings, as upstream does: "1 Too many pods" before "1 node(s)".
	want := "0/2 nodes are available: 1 Too many pods, " + cpTaint + ". preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
	if got := scheduledCondition(getPod(c, "p110")).Message; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Deleting a scheduled pod frees a slot.
	zero := int64(0)
	if _, err := c.API.Client("test").Delete(podsRes, "default", "p000", apiserver.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if getPod(c, "p110").Spec.NodeName != "w1" {
		t.Errorf("p110 not scheduled after a slot freed")
	}
}

// BenchmarkScheduleAndStart10k creates 10,000 bare pods on 100 workers and advances
// virtual time until all of them are Running.
func BenchmarkScheduleAndStart10k(b *testing.B) {
	workers := make([]string, 100)
	for i := range workers {
		workers[i] = fmt.Sprintf("worker%03d", i+1)
	}
	for b.Loop() {
		c := mustCluster(b, cluster.Options{Seed: 1, Workers: workers})
		c.Store.MaxObjects = 0
		for i := 0; i < 10_000; i++ {
			if _, err := c.API.Client("test").Create(pod(fmt.Sprintf("p%05d", i), func(p *corev1.Pod) { p.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 8080}} }), apiserver.CreateOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		// Count Running pods from watch events, as a UI would, instead of listing them
		// after every instant.
		n := 0
		c.Watch("pods", func(ev store.WatchEvent) {
			p := ev.Object.(*corev1.Pod)
			was := ev.Old != nil && ev.Old.(*corev1.Pod).Status.Phase == corev1.PodRunning
			is := ev.Type != store.Deleted && p.Status.Phase == corev1.PodRunning
			switch {
			case is && !was:
				n++
			case was && !is:
				n--
			}
		})
		running := func() bool { return n == 10_000 }
		ok, err := c.RunUntil(c.Now().Add(time.Hour), running)
		if err != nil || !ok {
			b.Fatalf("not all running: %v", err)
		}
		b.ReportMetric(c.Now().Sub(c.Start).Seconds(), "virtual-s")
	}
}

// A pod leaving a full node lets in the pod of a controller that has waited longest, and
// costs one more attempt for the rest of its kind, not one per waiting pod.
func TestFreedSlotRetriesOneClass(t *testing.T) {
	c := mustCluster(t, cluster.Options{Seed: 1, Workers: []string{"w1"}})
	cl := c.API.Client("test")
	cm, err := cl.Create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "owner", Namespace: "default"}}, apiserver.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	owner := metav1.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "owner", UID: cm.GetUID(), Controller: &yes}
	for i := range 130 {
		if _, err := cl.Create(pod(fmt.Sprintf("p%03d", i), func(p *corev1.Pod) { p.OwnerReferences = []metav1.OwnerReference{owner} }), apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	var waiting []string
	for i := range 130 {
		if name := fmt.Sprintf("p%03d", i); getPod(c, name).Spec.NodeName == "" {
			waiting = append(waiting, name)
		}
	}
	if len(waiting) < 2 {
		t.Fatalf("waiting %v: the node should be full", waiting)
	}
	failed := 0
	c.Watch("events", func(ev store.WatchEvent) {
		if e, ok := ev.Object.(*corev1.Event); ok && ev.Type != store.Deleted && e.Reason == "FailedScheduling" {
			failed++
		}
	})
	zero := int64(0)
	if _, err := cl.Delete(podsRes, "default", "p000", apiserver.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if got := getPod(c, waiting[0]).Spec.NodeName; got != "w1" {
		t.Errorf("%s, the first to wait, is on %q, want w1", waiting[0], got)
	}
	for _, name := range waiting[1:] {
		if got := getPod(c, name).Spec.NodeName; got != "" {
			t.Errorf("%s is on %q, want still waiting", name, got)
		}
	}
	if failed != 1 {
		t.Errorf("%d FailedScheduling writes after one slot freed, want 1 (the next pod's attempt)", failed)
	}
}

// A pod bound to a node that does not exist counts no node toward "0/N nodes"; nor does a
// node once deleted.
func TestNodesCountedAreTheNodesThatExist(t *testing.T) {
	c := mustCluster(t, cluster.Options{Seed: 1, Workers: []string{"w1"}})
	cl := c.API.Client("test")
	if _, err := cl.Create(pod("ghost", func(p *corev1.Pod) { p.Spec.NodeName = "w0" }), apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Delete(nodesRes, "", "w1", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Create(pod("p"), apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	want := "0/1 nodes are available: " + cpTaint + ". preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
	if got := scheduledCondition(getPod(c, "p")).Message; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
