package daemonset

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

var t0 = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

func testDS(mutate ...func(*appsv1.DaemonSet)) *appsv1.DaemonSet {
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "ssd-monitor", Namespace: "default", UID: "ds-uid"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "ssd-monitor"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "ssd-monitor"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: "luksa/ssd-monitor"}}},
			},
			UpdateStrategy: appsv1.DaemonSetUpdateStrategy{
				Type: appsv1.RollingUpdateDaemonSetStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDaemonSet{
					MaxUnavailable: ptr.To(intstr.FromInt32(1)), MaxSurge: ptr.To(intstr.FromInt32(0)),
				},
			},
		},
	}
	for _, m := range mutate {
		m(ds)
	}
	return ds
}

func testNode(name string, labels map[string]string, taints ...corev1.Taint) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}, Spec: corev1.NodeSpec{Taints: taints}}
}

func TestNodeShouldRunDaemonPod(t *testing.T) {
	cp := corev1.Taint{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}
	tests := []struct {
		name            string
		ds              *appsv1.DaemonSet
		node            *corev1.Node
		run, continueOK bool
	}{
		{"plain node", testDS(), testNode("w1", nil), true, true},
		{"nodeSelector matches", testDS(func(d *appsv1.DaemonSet) { d.Spec.Template.Spec.NodeSelector = map[string]string{"disk": "ssd"} }),
			testNode("w1", map[string]string{"disk": "ssd"}), true, true},
		{"nodeSelector misses", testDS(func(d *appsv1.DaemonSet) { d.Spec.Template.Spec.NodeSelector = map[string]string{"disk": "ssd"} }),
			testNode("w1", map[string]string{"disk": "hdd"}), false, false},
		{"affinity NotIn", testDS(func(d *appsv1.DaemonSet) {
			d.Spec.Template.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"a"}}}}},
			}}}
		}), testNode("w1", map[string]string{"zone": "a"}), false, false},
		{"untolerated NoSchedule: keep running ones", testDS(), testNode("cp", nil, cp), false, true},
		{"tolerated control-plane taint", testDS(func(d *appsv1.DaemonSet) {
			d.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Key: cp.Key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
		}), testNode("cp", nil, cp), true, true},
		{"untolerated NoExecute", testDS(), testNode("w1", nil, corev1.Taint{Key: "dedicated", Value: "x", Effect: corev1.TaintEffectNoExecute}), false, false},
		{"unreachable NoExecute is tolerated", testDS(), testNode("w1", nil, corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}), true, true},
		{"unschedulable taint is tolerated", testDS(), testNode("w1", nil, corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}), true, true},
		{"network-unavailable only for hostNetwork", testDS(), testNode("w1", nil, corev1.Taint{Key: corev1.TaintNodeNetworkUnavailable, Effect: corev1.TaintEffectNoSchedule}), false, true},
		{"network-unavailable with hostNetwork", testDS(func(d *appsv1.DaemonSet) { d.Spec.Template.Spec.HostNetwork = true }),
			testNode("w1", nil, corev1.Taint{Key: corev1.TaintNodeNetworkUnavailable, Effect: corev1.TaintEffectNoSchedule}), true, true},
		{"template nodeName elsewhere", testDS(func(d *appsv1.DaemonSet) { d.Spec.Template.Spec.NodeName = "w2" }), testNode("w1", nil), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run, cont := nodeShouldRunDaemonPod(probePod(tc.ds), tc.node)
			if run != tc.run || cont != tc.continueOK {
				t.Errorf("got shouldRun=%v shouldContinueRunning=%v, want %v %v", run, cont, tc.run, tc.continueOK)
			}
		})
	}
}

func TestNewDaemonPod(t *testing.T) {
	ds := testDS(func(d *appsv1.DaemonSet) {
		d.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](5)}}
		d.Annotations = map[string]string{AnnotationTemplateGeneration: "3"}
	})
	hash := templateHash(&ds.Spec.Template, nil)
	pod := newDaemonPod(ds, hash, templateGeneration(ds), "w1")
	if pod.GenerateName != "ssd-monitor-" || pod.Labels["app"] != "ssd-monitor" || pod.Labels[LabelControllerRevisionHash] != hash || pod.Labels[LabelPodTemplateGeneration] != "3" {
		t.Fatalf("metadata: %+v", pod.ObjectMeta)
	}
	if ds.Spec.Template.Labels[LabelControllerRevisionHash] != "" {
		t.Fatal("the template was changed")
	}
	ref := metav1.GetControllerOf(pod)
	if ref == nil || ref.Kind != "DaemonSet" || ref.APIVersion != "apps/v1" || ref.UID != "ds-uid" || !*ref.BlockOwnerDeletion {
		t.Fatalf("owner: %+v", pod.OwnerReferences)
	}
	if n, ok := targetNodeName(pod); !ok || n != "w1" {
		t.Fatalf("target node %q %v", n, ok)
	}
	var keys []string
	for _, tol := range pod.Spec.Tolerations {
		s := tol.Key + ":" + string(tol.Effect)
		if tol.TolerationSeconds != nil {
			s += "(limited)"
		}
		keys = append(keys, s)
	}
	// The user's not-ready toleration differs (tolerationSeconds) only in what
	// MatchToleration ignores, so it is replaced by the unlimited one.
	want := "node.kubernetes.io/not-ready:NoExecute node.kubernetes.io/unreachable:NoExecute node.kubernetes.io/disk-pressure:NoSchedule node.kubernetes.io/memory-pressure:NoSchedule node.kubernetes.io/pid-pressure:NoSchedule node.kubernetes.io/unschedulable:NoSchedule"
	if got := strings.Join(keys, " "); got != want {
		t.Fatalf("tolerations\n got %s\nwant %s", got, want)
	}
}

func TestTemplateHash(t *testing.T) {
	a := testDS()
	b := testDS(func(d *appsv1.DaemonSet) { d.Spec.Template.Spec.Containers[0].Image = "luksa/ssd-monitor:v2" })
	ha, hb := templateHash(&a.Spec.Template, nil), templateHash(&b.Spec.Template, nil)
	if ha == hb || ha != templateHash(&testDS().Spec.Template, nil) || ha == templateHash(&a.Spec.Template, ptr.To[int32](1)) {
		t.Fatalf("hashes %s %s", ha, hb)
	}
	if len(ha) < 5 || strings.ContainsAny(ha, "aeiou013") {
		t.Fatalf("hash %q is not shaped like upstream's", ha)
	}
}

func pod(name, hash string, created time.Time, mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(created), Labels: map[string]string{LabelControllerRevisionHash: hash}},
		Spec:       corev1.PodSpec{NodeName: "w1"},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning},
	}
	for _, m := range mutate {
		m(p)
	}
	return p
}

func ready(since time.Time) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(since)})
	}
}

func phase(ph corev1.PodPhase) func(*corev1.Pod) {
	return func(p *corev1.Pod) { p.Status.Phase = ph }
}

func deleting(p *corev1.Pod) { p.DeletionTimestamp = ptr.To(metav1.NewTime(t0)) }

func names(pods []*corev1.Pod) string {
	var s []string
	for _, p := range pods {
		s = append(s, p.Name)
	}
	return strings.Join(s, ",")
}

func TestPodsShouldBeOnNode(t *testing.T) {
	tests := []struct {
		name                       string
		run, cont, surge           bool
		pods                       []*corev1.Pod
		create                     bool
		failed, succeeded, removed string
	}{
		{name: "missing pod is created", run: true, cont: true, create: true},
		{name: "terminating pod blocks a new one", run: true, cont: true, pods: []*corev1.Pod{pod("a", "h", t0, deleting)}},
		{name: "all but the oldest go", run: true, cont: true, pods: []*corev1.Pod{pod("a", "h", t0), pod("b", "h", t0.Add(time.Second)), pod("c", "h", t0.Add(2*time.Second))}, removed: "b,c"},
		{name: "failed and succeeded pods go", run: true, cont: true, pods: []*corev1.Pod{pod("a", "h", t0, phase(corev1.PodFailed)), pod("b", "h", t0, phase(corev1.PodSucceeded))}, failed: "a", succeeded: "b"},
		{name: "node stops matching", pods: []*corev1.Pod{pod("a", "h", t0), pod("b", "h", t0, deleting)}, removed: "a"},
		{name: "NoSchedule-tainted node keeps its pod", cont: true, pods: []*corev1.Pod{pod("a", "h", t0)}},
		{name: "surge: new not yet available keeps old", run: true, cont: true, surge: true, pods: []*corev1.Pod{pod("old", "h0", t0, ready(t0)), pod("new", "h", t0.Add(time.Second))}},
		{name: "surge: new available removes old", run: true, cont: true, surge: true, pods: []*corev1.Pod{pod("old", "h0", t0, ready(t0)), pod("new", "h", t0.Add(time.Second), ready(t0))}, removed: "old"},
		{name: "surge: unready old goes", run: true, cont: true, surge: true, pods: []*corev1.Pod{pod("old", "h0", t0), pod("new", "h", t0.Add(time.Second))}, removed: "old"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := &nodePods{name: "w1", exists: true, shouldRun: tc.run, shouldContinue: tc.cont, pods: tc.pods}
			sortByCreation(n.pods)
			a := podsShouldBeOnNode(n, tc.surge, "h", 0, t0)
			if a.create != tc.create || names(a.failed) != tc.failed || names(a.succeeded) != tc.succeeded || names(a.remove) != tc.removed {
				t.Errorf("got create=%v failed=%s succeeded=%s remove=%s", a.create, names(a.failed), names(a.succeeded), names(a.remove))
			}
		})
	}
}

func TestRollingUpdate(t *testing.T) {
	node := func(name string, pods ...*corev1.Pod) *nodePods {
		return &nodePods{name: name, exists: true, shouldRun: true, shouldContinue: true, pods: pods}
	}
	now := t0.Add(time.Minute)
	tests := []struct {
		name    string
		ds      *appsv1.DaemonSet
		nodes   []*nodePods
		deletes string
		creates string
	}{
		{"one at a time", testDS(), []*nodePods{
			node("w1", pod("a", "old", t0, ready(t0))), node("w2", pod("b", "old", t0, ready(t0))), node("w3", pod("c", "old", t0, ready(t0))),
		}, "a", ""},
		{"waits for the new pod to be available", testDS(), []*nodePods{
			node("w1", pod("a2", "h", now)), node("w2", pod("b", "old", t0, ready(t0))),
		}, "", ""},
		{"unavailable old pods always go", testDS(), []*nodePods{
			node("w1", pod("a2", "h", now)), node("w2", pod("b", "old", t0)), node("w3", pod("c", "old", t0, ready(t0))),
		}, "b", ""},
		{"maxUnavailable 2", testDS(func(d *appsv1.DaemonSet) {
			d.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = ptr.To(intstr.FromInt32(2))
		}), []*nodePods{
			node("w1", pod("a", "old", t0, ready(t0))), node("w2", pod("b", "old", t0, ready(t0))), node("w3", pod("c", "old", t0, ready(t0))),
		}, "a,b", ""},
		{"a node still missing its pod uses the budget", testDS(), []*nodePods{
			node("w1"), node("w2", pod("b", "old", t0, ready(t0))),
		}, "", ""},
		{"surge creates beside the old pod", testDS(func(d *appsv1.DaemonSet) {
			d.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{MaxUnavailable: ptr.To(intstr.FromInt32(0)), MaxSurge: ptr.To(intstr.FromInt32(1))}
		}), []*nodePods{
			node("w1", pod("a", "old", t0, ready(t0))), node("w2", pod("b", "old", t0, ready(t0))),
		}, "", "w1"},
		{"surge removes the old pod once the new one is available", testDS(func(d *appsv1.DaemonSet) {
			d.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{MaxUnavailable: ptr.To(intstr.FromInt32(0)), MaxSurge: ptr.To(intstr.FromInt32(1))}
		}), []*nodePods{
			node("w1", pod("a", "old", t0, ready(t0)), pod("a2", "h", now, ready(now))), node("w2", pod("b", "old", t0, ready(t0))),
		}, "a", "w2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			desired := 0
			for _, n := range tc.nodes {
				sortByCreation(n.pods)
				if n.shouldRun {
					desired++
				}
			}
			del, cr := rollingUpdate(tc.nodes, tc.ds, desired, "h", nil, now)
			if names(del) != tc.deletes || strings.Join(cr, ",") != tc.creates {
				t.Errorf("got deletes=%s creates=%s, want %s %s", names(del), strings.Join(cr, ","), tc.deletes, tc.creates)
			}
		})
	}
}

func TestStatusOfNode(t *testing.T) {
	tests := []struct {
		name string
		n    nodePods
		min  int32
		want nodeStatus
	}{
		{"gone node counts nothing", nodePods{pods: []*corev1.Pod{pod("a", "h", t0)}}, 0, nodeStatus{}},
		{"wanted, no pod", nodePods{exists: true, shouldRun: true}, 0, nodeStatus{desired: 1}},
		{"ready updated pod", nodePods{exists: true, shouldRun: true, pods: []*corev1.Pod{pod("a", "h", t0, ready(t0))}}, 0, nodeStatus{desired: 1, current: 1, ready: 1, available: 1, updated: 1}},
		{"ready but not yet available", nodePods{exists: true, shouldRun: true, pods: []*corev1.Pod{pod("a", "old", t0, ready(t0))}}, 10, nodeStatus{desired: 1, current: 1, ready: 1}},
		{"misscheduled", nodePods{exists: true, pods: []*corev1.Pod{pod("a", "h", t0)}}, 0, nodeStatus{misscheduled: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := statusOfNode(&tc.n, "h", nil, tc.min, t0.Add(5*time.Second)); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestFailedPodsBackoff(t *testing.T) {
	b := failedPodsBackoff{entries: map[string]*backoffEntry{}}
	steps := []struct {
		at      time.Duration
		in      bool
		delayed time.Duration
	}{
		{0, false, 0}, {500 * time.Millisecond, true, time.Second}, {time.Second, false, time.Second},
		{1500 * time.Millisecond, true, 2 * time.Second}, {3 * time.Second, false, 2 * time.Second},
	}
	for i, s := range steps {
		in, d := b.inBackoff("k", t0.Add(s.at))
		if in != s.in || d != s.delayed {
			t.Fatalf("step %d: in=%v delay=%v", i, in, d)
		}
		if !in {
			b.next("k", t0.Add(s.at))
		}
	}
	b.gc(t0.Add(time.Hour))
	if len(b.entries) != 0 {
		t.Fatal("idle entry kept")
	}
}
