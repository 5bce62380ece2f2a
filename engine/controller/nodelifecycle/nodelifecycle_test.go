package nodelifecycle_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
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

const worker = "kubetab-worker"

func setup(t *testing.T) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b"} {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
			Spec: corev1.PodSpec{NodeName: worker, Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}}}
		if name == "b" {
			// Tolerates unreachable nodes for ever.
			p.Spec.Tolerations = []corev1.Toleration{{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute}}
		}
		if _, err := c.API.Client("test").Create(p, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	step(t, c, time.Minute)
	return c
}

func step(t *testing.T, c *cluster.Cluster, d time.Duration) {
	t.Helper()
	if err := c.Advance(d); err != nil {
		t.Fatal(err)
	}
}

func node(c *cluster.Cluster, name string) *corev1.Node {
	o, err := c.Store.Get(nodesRes, "", name)
	if err != nil {
		return nil
	}
	return o.(*corev1.Node)
}

func pod(c *cluster.Cluster, name string) *corev1.Pod {
	o, err := c.Store.Get(podsRes, "default", name)
	if err != nil {
		return nil
	}
	return o.(*corev1.Pod)
}

func ready(n *corev1.Node) corev1.NodeCondition {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c
		}
	}
	return corev1.NodeCondition{}
}

func podReady(p *corev1.Pod) corev1.ConditionStatus {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status
		}
	}
	return ""
}

func taints(n *corev1.Node) string {
	var s []string
	for _, t := range n.Spec.Taints {
		s = append(s, t.Key+":"+string(t.Effect))
	}
	return strings.Join(s, ",")
}

func eventTexts(c *cluster.Cluster, name string) string {
	objs, _ := c.Store.List(eventsRes, "", store.ListOptions{})
	var out []string
	for _, o := range objs {
		if e := o.(*corev1.Event); e.InvolvedObject.Name == name {
			out = append(out, e.Source.Component+" "+e.Reason+" "+e.Message)
		}
	}
	return strings.Join(out, "\n")
}

func TestFailAndRecover(t *testing.T) {
	c := setup(t)
	if err := c.FailNode(worker); err != nil {
		t.Fatal(err)
	}
	step(t, c, 49*time.Second)
	if r := ready(node(c, worker)); r.Status != corev1.ConditionTrue {
		t.Fatalf("NotReady too early: %+v", r)
	}
	step(t, c, time.Second)
	n := node(c, worker)
	if r := ready(n); r.Status != corev1.ConditionUnknown || r.Reason != "NodeStatusUnknown" || r.Message != "Kubelet stopped posting node status." {
		t.Fatalf("after 50 s: %+v", r)
	}
	if got := taints(n); got != "node.kubernetes.io/unreachable:NoSchedule,node.kubernetes.io/unreachable:NoExecute" {
		t.Errorf("taints %s", got)
	}
	if ev := eventTexts(c, worker); !strings.Contains(ev, "node-controller NodeNotReady Node kubetab-worker status is now: NodeNotReady") {
		t.Errorf("node events:\n%s", ev)
	}
	if podReady(pod(c, "a")) != corev1.ConditionFalse || !strings.Contains(eventTexts(c, "a"), "node-controller NodeNotReady Node is not ready") {
		t.Errorf("pod a not marked not ready:\n%s", eventTexts(c, "a"))
	}

	// a has no toleration at all (created straight in the store, without admission's
	// defaults) unless admission added the 300 s one.
	tolerated := false
	for _, tol := range pod(c, "a").Spec.Tolerations {
		if tol.Key == corev1.TaintNodeUnreachable && tol.TolerationSeconds != nil && *tol.TolerationSeconds == 300 {
			tolerated = true
		}
	}
	if tolerated {
		step(t, c, 299*time.Second)
		if pod(c, "a").DeletionTimestamp != nil {
			t.Fatal("evicted before 300 s")
		}
		step(t, c, time.Second)
	}
	a := pod(c, "a")
	if a == nil || a.DeletionTimestamp == nil {
		t.Fatalf("pod a not terminating: %+v", a)
	}
	if ev := eventTexts(c, "a"); !strings.Contains(ev, "taint-eviction-controller TaintManagerEviction Marking for deletion Pod default/a") {
		t.Errorf("events of a:\n%s", ev)
	}
	if b := pod(c, "b"); b.DeletionTimestamp != nil {
		t.Errorf("b tolerates the taint for ever but was evicted")
	}
	// Nobody confirms the deletion while the kubelet is down.
	step(t, c, 10*time.Minute)
	if pod(c, "a") == nil {
		t.Fatal("pod a vanished without its kubelet")
	}

	if err := c.RecoverNode(worker); err != nil {
		t.Fatal(err)
	}
	n = node(c, worker)
	if ready(n).Status != corev1.ConditionTrue || taints(n) != "" {
		t.Fatalf("after recovery: %+v taints %q", ready(n), taints(n))
	}
	if podReady(pod(c, "b")) != corev1.ConditionTrue {
		t.Errorf("b not ready again")
	}
	step(t, c, 30*time.Second)
	if pod(c, "a") != nil {
		t.Errorf("a not removed 30 s after recovery")
	}
}

func TestRemoveNodeCollectsPods(t *testing.T) {
	c := setup(t)
	if err := c.RemoveNode(worker); err != nil {
		t.Fatal(err)
	}
	step(t, c, 39*time.Second)
	if pod(c, "a") == nil {
		t.Fatal("pod GC did not wait for its quarantine")
	}
	step(t, c, time.Second)
	if pod(c, "a") != nil || pod(c, "b") != nil {
		t.Fatal("orphaned pods not collected")
	}
}

func TestAddNode(t *testing.T) {
	c := setup(t)
	n, err := c.AddNode("kubetab-worker4", map[string]string{"disk": "ssd"})
	if err != nil {
		t.Fatal(err)
	}
	if n.Spec.PodCIDR != "10.244.4.0/24" || n.Labels["disk"] != "ssd" || ready(n).Status != corev1.ConditionTrue {
		t.Errorf("node %s %v %+v", n.Spec.PodCIDR, n.Labels, ready(n))
	}
	want := []string{
		"kubelet Starting Starting kubelet.",
		"kubelet NodeHasSufficientMemory Node kubetab-worker4 status is now: NodeHasSufficientMemory",
		"kubelet NodeReady Node kubetab-worker4 status is now: NodeReady",
		"node-controller RegisteredNode Node kubetab-worker4 event: Registered Node kubetab-worker4 in Controller",
	}
	ev := eventTexts(c, "kubetab-worker4")
	for _, w := range want {
		if !strings.Contains(ev, w) {
			t.Errorf("missing %q in\n%s", w, ev)
		}
	}
	if _, err := c.AddNode("kubetab-worker4", nil); err == nil || err.Error() != `nodes "kubetab-worker4" already exists` {
		t.Errorf("duplicate: %v", err)
	}
}

func TestUnknownNode(t *testing.T) {
	c := setup(t)
	for name, op := range map[string]func(*cluster.Cluster, string) error{
		"fail": (*cluster.Cluster).FailNode, "recover": (*cluster.Cluster).RecoverNode, "remove": (*cluster.Cluster).RemoveNode,
	} {
		if err := op(c, "nope"); err == nil || err.Error() != `nodes "nope" not found` {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The controller records RegisteredNode for every node it learns of (the default ones
// too) and RemovingNode for one that is gone, in default, about the node's name and uid.
func TestRegisteredAndRemovingNodeEvents(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddNode("kubetab-worker4", nil); err != nil {
		t.Fatal(err)
	}
	uid := node(c, "kubetab-worker4").UID
	if err := c.RemoveNode("kubetab-worker4"); err != nil {
		t.Fatal(err)
	}
	var got []string
	c.Store.Each(eventsRes, "default", func(o api.Object) bool {
		ev := o.(*corev1.Event)
		if ev.Source.Component == "node-controller" {
			got = append(got, ev.Reason+" "+ev.InvolvedObject.Kind+"/"+ev.InvolvedObject.Name+": "+ev.Message)
			if ev.InvolvedObject.Name == "kubetab-worker4" && (ev.InvolvedObject.UID != uid || ev.InvolvedObject.ResourceVersion != "") {
				t.Errorf("%s refers to %+v", ev.Reason, ev.InvolvedObject)
			}
		}
		return true
	})
	want := []string{
		"RegisteredNode Node/kubetab-control-plane: Node kubetab-control-plane event: Registered Node kubetab-control-plane in Controller",
		"RegisteredNode Node/kubetab-worker2: Node kubetab-worker2 event: Registered Node kubetab-worker2 in Controller",
		"RegisteredNode Node/kubetab-worker3: Node kubetab-worker3 event: Registered Node kubetab-worker3 in Controller",
		"RegisteredNode Node/kubetab-worker4: Node kubetab-worker4 event: Registered Node kubetab-worker4 in Controller",
		"RegisteredNode Node/kubetab-worker: Node kubetab-worker event: Registered Node kubetab-worker in Controller",
		"RemovingNode Node/kubetab-worker4: Node kubetab-worker4 event: Removing Node kubetab-worker4 from Controller",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
