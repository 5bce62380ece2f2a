package replicaset

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/apiserver/apiservertest"
	"github.com/kubetab/kubetab/engine/sim"
)

// harness is a bare cluster with namespaces and only the RS and RC controllers.
type harness struct {
	t  testing.TB
	c  *sim.Cluster
	rs *Controller
	rc *Controller
}

func newHarness(t testing.TB, seed uint64) *harness {
	t.Helper()
	c := sim.New(seed, t0)
	h := &harness{t: t, c: c, rs: newController(c, replicaSetKind), rc: newController(c, replicationControllerKind)}
	for _, ns := range []string{"default", "other"} {
		if _, err := c.API.Client("test").Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	h.settle()
	return h
}

// settle runs the current instant to the end and checks that the incremental tallies agree
// with a recount from the store.
func (h *harness) settle() {
	h.t.Helper()
	if err := h.c.Settle(); err != nil {
		h.t.Fatal(err)
	}
	for _, ctrl := range []*Controller{h.rs, h.rc} {
		keys := make([]string, 0, len(ctrl.owners))
		for k := range ctrl.owners {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			st := ctrl.owners[k]
			if st.needsRebuild {
				continue
			}
			var want replicaCounts
			ns, _, _ := strings.Cut(k, "/")
			n := 0
			h.c.Store.Each(podsResource, ns, func(o api.Object) bool {
				pod := o.(*corev1.Pod)
				if ref := metav1.GetControllerOfNoCopy(pod); ref != nil && ref.UID == st.uid {
					want.add(classifyPod(pod, st.templateLabels), 1)
					n++
				}
				return true
			})
			if want != st.counts || n != len(st.pods) {
				h.t.Fatalf("%s: incremental counts %+v over %d pods, recount %+v over %d", k, st.counts, len(st.pods), want, n)
			}
		}
	}
}

func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	if err := h.c.Advance(d); err != nil {
		h.t.Fatal(err)
	}
	h.settle()
}

func (h *harness) create(obj api.Object) api.Object {
	h.t.Helper()
	out, err := h.c.API.Client("test").Create(obj, apiserver.CreateOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	h.settle()
	return out
}

func (h *harness) update(obj api.Object) {
	h.t.Helper()
	apiservertest.Write(h.t, h.c.API.Client("test"), obj)
	h.settle()
}

func (h *harness) get(res, ns, name string) api.Object {
	h.t.Helper()
	obj, err := h.c.Store.Get(api.ResourceByName(res), ns, name)
	if err != nil {
		h.t.Fatal(err)
	}
	return obj
}

func (h *harness) pods(ns string) []*corev1.Pod {
	var out []*corev1.Pod
	h.c.Store.Each(podsResource, ns, func(o api.Object) bool {
		out = append(out, o.(*corev1.Pod))
		return true
	})
	return out
}

func podNames(pods []*corev1.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Name)
	}
	return out
}

// ownedBy lists the pods whose controller is the named owner.
func (h *harness) ownedBy(ns, name string) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range h.pods(ns) {
		if ref := metav1.GetControllerOfNoCopy(p); ref != nil && ref.Name == name {
			out = append(out, p)
		}
	}
	return out
}

// events returns "Reason Message" of the events about an object, oldest first.
func (h *harness) events(ns, involved string) []string {
	var out []string
	h.c.Store.Each(api.ResourceByName("events"), ns, func(o api.Object) bool {
		ev := o.(*corev1.Event)
		if ev.InvolvedObject.Name == involved {
			out = append(out, ev.Reason+" "+ev.Message)
		}
		return true
	})
	return out
}

func (h *harness) eventsWith(ns, involved, reason string) []string {
	var out []string
	for _, e := range h.events(ns, involved) {
		if strings.HasPrefix(e, reason+" ") {
			out = append(out, e)
		}
	}
	return out
}

// runPod plays the scheduler and kubelet: the pod is bound to node and Running, Ready now.
func (h *harness) runPod(p *corev1.Pod, node string) {
	h.t.Helper()
	cur := h.get("pods", p.Namespace, p.Name).(*corev1.Pod).DeepCopy()
	cur.Spec.NodeName = node
	cur.Status.Phase = corev1.PodRunning
	cur.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(h.c.Now())}}
	h.update(cur)
}

// finishDeletion plays the kubelet confirming a graceful deletion.
func (h *harness) finishDeletion(ns, name string) {
	h.t.Helper()
	if _, err := h.c.API.Client("test").Delete(podsResource, ns, name, apiserver.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}); err != nil {
		h.t.Fatal(err)
	}
	h.settle()
}

func kubiaTemplate(l map[string]string, image string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: l},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: image,
			Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}}}},
	}
}

func newRS(name string, replicas int32, sel *metav1.LabelSelector, l map[string]string) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: appsv1.ReplicaSetSpec{Replicas: ptr.To(replicas), Selector: sel,
			Template: kubiaTemplate(l, "luksa/kubia")},
	}
}

func newRC(name string, replicas int32, sel map[string]string) *corev1.ReplicationController {
	tmpl := kubiaTemplate(sel, "luksa/kubia")
	return &corev1.ReplicationController{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec:       corev1.ReplicationControllerSpec{Replicas: ptr.To(replicas), Selector: sel, Template: &tmpl},
	}
}

var kubia = map[string]string{"app": "kubia"}

// owner abstracts over the two kinds for the tests that run against both.
type ownerCase struct {
	kind     string
	resource string
	newOwner func(name string, replicas int32) api.Object
	setScale func(obj api.Object, replicas int32) api.Object
	status   func(obj api.Object) appsv1.ReplicaSetStatus
	from     string
}

var ownerCases = []ownerCase{
	{
		kind: "ReplicaSet", resource: "replicasets", from: ComponentReplicaSet,
		newOwner: func(name string, n int32) api.Object {
			return newRS(name, n, &metav1.LabelSelector{MatchLabels: kubia}, kubia)
		},
		setScale: func(obj api.Object, n int32) api.Object {
			rs := obj.(*appsv1.ReplicaSet).DeepCopy()
			rs.Spec.Replicas = ptr.To(n)
			return rs
		},
		status: func(obj api.Object) appsv1.ReplicaSetStatus { return obj.(*appsv1.ReplicaSet).Status },
	},
	{
		kind: "ReplicationController", resource: "replicationcontrollers", from: ComponentReplicationController,
		newOwner: func(name string, n int32) api.Object { return newRC(name, n, kubia) },
		setScale: func(obj api.Object, n int32) api.Object {
			rc := obj.(*corev1.ReplicationController).DeepCopy()
			rc.Spec.Replicas = ptr.To(n)
			return rc
		},
		status: func(obj api.Object) appsv1.ReplicaSetStatus {
			return rcStatusToRS(obj.(*corev1.ReplicationController).Status)
		},
	},
}

func TestCreateMakesReplicas(t *testing.T) {
	for _, oc := range ownerCases {
		t.Run(oc.kind, func(t *testing.T) {
			h := newHarness(t, 1)
			owner := h.create(oc.newOwner("kubia", 3))
			pods := h.pods("default")
			if len(pods) != 3 {
				t.Fatalf("got %d pods, want 3", len(pods))
			}
			var wantEvents []string
			for _, p := range pods {
				if p.GenerateName != "kubia-" || !strings.HasPrefix(p.Name, "kubia-") || len(p.Name) != len("kubia-")+5 {
					t.Errorf("pod name %q (generateName %q)", p.Name, p.GenerateName)
				}
				if p.Labels["app"] != "kubia" || p.Spec.Containers[0].Image != "luksa/kubia" || p.Spec.Containers[0].Ports[0].ContainerPort != 8080 {
					t.Errorf("pod %s does not carry the template: %+v", p.Name, p)
				}
				ref := metav1.GetControllerOfNoCopy(p)
				if ref == nil || ref.Kind != oc.kind || ref.UID != owner.GetUID() || !*ref.BlockOwnerDeletion {
					t.Errorf("pod %s controller ref %+v", p.Name, ref)
				}
			}
			// Events in creation order: their names sort by time then sequence.
			wantEvents = append(wantEvents, h.eventsWith("default", "kubia", ReasonSuccessfulCreate)...)
			if len(wantEvents) != 3 {
				t.Errorf("SuccessfulCreate events: %v", wantEvents)
			}
			for _, p := range pods {
				found := false
				for _, e := range wantEvents {
					found = found || e == "SuccessfulCreate Created pod: "+p.Name
				}
				if !found {
					t.Errorf("no SuccessfulCreate event for %s in %v", p.Name, wantEvents)
				}
			}
			var ev *corev1.Event
			h.c.Store.Each(api.ResourceByName("events"), "default", func(o api.Object) bool {
				ev = o.(*corev1.Event)
				return false
			})
			if ev.Source.Component != oc.from || ev.Type != corev1.EventTypeNormal || ev.InvolvedObject.Kind != oc.kind {
				t.Errorf("event %+v", ev)
			}
			st := oc.status(h.get(oc.resource, "default", "kubia"))
			if st.Replicas != 3 || st.FullyLabeledReplicas != 3 || st.ReadyReplicas != 0 || st.AvailableReplicas != 0 || st.ObservedGeneration != 1 {
				t.Errorf("status %+v", st)
			}
			for i, p := range pods {
				h.runPod(p, fmt.Sprintf("node%d", i))
			}
			st = oc.status(h.get(oc.resource, "default", "kubia"))
			if st.Replicas != 3 || st.ReadyReplicas != 3 || st.AvailableReplicas != 3 {
				t.Errorf("status after running %+v", st)
			}
		})
	}
}

func TestDeletedPodIsReplaced(t *testing.T) {
	for _, oc := range ownerCases {
		t.Run(oc.kind, func(t *testing.T) {
			h := newHarness(t, 2)
			h.create(oc.newOwner("kubia", 3))
			before := h.pods("default")
			victim := before[1]
			h.runPod(victim, "node1")
			// A graceful deletion: the pod is Terminating, no longer counted, and replaced at once.
			if _, err := h.c.API.Client("test").Delete(podsResource, "default", victim.Name, apiserver.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
			h.settle()
			if n := len(h.pods("default")); n != 4 {
				t.Errorf("%d pods while one terminates, want 4", n)
			}
			h.finishDeletion("default", victim.Name)
			after := h.pods("default")
			if len(after) != 3 {
				t.Fatalf("%d pods after replacement, want 3", len(after))
			}
			for _, p := range after {
				if p.Name == victim.Name {
					t.Errorf("deleted pod %s still there", p.Name)
				}
			}
			if n := len(h.eventsWith("default", "kubia", ReasonSuccessfulCreate)); n != 4 {
				t.Errorf("%d SuccessfulCreate events, want 4", n)
			}
			if st := oc.status(h.get(oc.resource, "default", "kubia")); st.Replicas != 3 {
				t.Errorf("status %+v", st)
			}
		})
	}
}

func TestRelabelReleasesThenAdopts(t *testing.T) {
	for _, oc := range ownerCases {
		t.Run(oc.kind, func(t *testing.T) {
			h := newHarness(t, 3)
			h.create(oc.newOwner("kubia", 3))
			for i, p := range h.pods("default") {
				h.runPod(p, fmt.Sprintf("node%d", i))
			}
			h.advance(time.Minute)
			moved := h.pods("default")[0]
			relabel := func(app string) {
				p := h.get("pods", "default", moved.Name).(*corev1.Pod).DeepCopy()
				p.Labels["app"] = app
				h.update(p)
			}

			relabel("foo")
			p := h.get("pods", "default", moved.Name).(*corev1.Pod)
			if len(p.OwnerReferences) != 0 {
				t.Errorf("released pod keeps %v", p.OwnerReferences)
			}
			owned := h.ownedBy("default", "kubia")
			if len(owned) != 3 || len(h.pods("default")) != 4 {
				t.Fatalf("after release: owned %v, all %v", podNames(owned), podNames(h.pods("default")))
			}
			var replacement string
			for _, q := range owned {
				if q.Spec.NodeName == "" {
					replacement = q.Name
				}
			}
			if replacement == "" {
				t.Fatal("no replacement pod")
			}

			// Back in scope: adopted, and the surplus is the unassigned replacement.
			relabel("kubia")
			p = h.get("pods", "default", moved.Name).(*corev1.Pod)
			if ref := metav1.GetControllerOfNoCopy(p); ref == nil || ref.Name != "kubia" {
				t.Errorf("pod not adopted back: %v", p.OwnerReferences)
			}
			if got := h.eventsWith("default", "kubia", ReasonSuccessfulDelete); len(got) != 1 || got[0] != "SuccessfulDelete Deleted pod: "+replacement {
				t.Errorf("delete events %v, want the replacement %s", got, replacement)
			}
			if names := podNames(h.pods("default")); len(names) != 3 || strings.Contains(strings.Join(names, ","), replacement) {
				t.Errorf("pods %v", names)
			}
		})
	}
}

func TestScale(t *testing.T) {
	cases := []struct {
		name    string
		from    int32
		to      int32
		creates int
		deletes int
	}{
		{"up", 3, 5, 5, 0},
		{"down", 5, 2, 5, 3},
		{"to zero", 2, 0, 2, 2},
		{"same", 2, 2, 2, 0},
	}
	for _, oc := range ownerCases {
		for _, tc := range cases {
			t.Run(oc.kind+"/"+tc.name, func(t *testing.T) {
				h := newHarness(t, 4)
				h.create(oc.newOwner("kubia", tc.from))
				// The two oldest run; the deletion order must spare them longest.
				pods := h.pods("default")
				h.advance(time.Second)
				var running []string
				for i := range min(2, len(pods)) {
					h.runPod(pods[i], "node1")
					running = append(running, pods[i].Name)
				}
				h.update(oc.setScale(h.get(oc.resource, "default", "kubia"), tc.to))
				live := 0
				for _, p := range h.pods("default") {
					if p.DeletionTimestamp == nil {
						live++
					}
				}
				if live != int(tc.to) {
					t.Errorf("%d pods not terminating, want %d", live, tc.to)
				}
				if n := len(h.eventsWith("default", "kubia", ReasonSuccessfulCreate)); n != tc.creates {
					t.Errorf("%d creates, want %d", n, tc.creates)
				}
				if n := len(h.eventsWith("default", "kubia", ReasonSuccessfulDelete)); n != tc.deletes {
					t.Errorf("%d deletes, want %d", n, tc.deletes)
				}
				var left []string
				for _, p := range h.pods("default") {
					if p.DeletionTimestamp == nil {
						left = append(left, p.Name)
					}
				}
				remaining := strings.Join(left, ",")
				for i, r := range running {
					if i < int(tc.to) && !strings.Contains(remaining, r) {
						t.Errorf("running pod %s deleted before pending ones (left %s)", r, remaining)
					}
				}
				st := oc.status(h.get(oc.resource, "default", "kubia"))
				if st.ObservedGeneration != 2 && tc.from != tc.to {
					t.Errorf("observedGeneration %d", st.ObservedGeneration)
				}
			})
		}
	}
}

func TestTemplateChangeAffectsOnlyNewPods(t *testing.T) {
	h := newHarness(t, 5)
	h.create(newRS("kubia", 2, &metav1.LabelSelector{MatchLabels: kubia}, kubia))
	old := h.pods("default")
	rs := h.get("replicasets", "default", "kubia").(*appsv1.ReplicaSet).DeepCopy()
	rs.Spec.Template.Spec.Containers[0].Image = "luksa/kubia:v2"
	h.update(rs)
	for _, p := range h.pods("default") {
		if p.Spec.Containers[0].Image != "luksa/kubia" {
			t.Errorf("existing pod %s changed to %s", p.Name, p.Spec.Containers[0].Image)
		}
	}
	if _, err := h.c.API.Client("test").Delete(podsResource, "default", old[0].Name, apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h.settle()
	images := map[string]string{}
	for _, p := range h.pods("default") {
		images[p.Name] = p.Spec.Containers[0].Image
	}
	if len(images) != 2 || images[old[1].Name] != "luksa/kubia" {
		t.Errorf("pods %v", images)
	}
	for name, img := range images {
		if name != old[1].Name && img != "luksa/kubia:v2" {
			t.Errorf("new pod %s has image %s", name, img)
		}
	}
}

func TestSelectors(t *testing.T) {
	expr := func(op metav1.LabelSelectorOperator, values ...string) *metav1.LabelSelector {
		return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: op, Values: values}}}
	}
	cases := []struct {
		name     string
		selector *metav1.LabelSelector
		template map[string]string
		orphans  map[string]map[string]string // name → labels, created before the RS
		adopted  []string
	}{
		{"matchLabels", &metav1.LabelSelector{MatchLabels: kubia}, kubia,
			map[string]map[string]string{"a": kubia, "b": {"app": "other"}}, []string{"a"}},
		{"In", expr(metav1.LabelSelectorOpIn, "kubia", "web"), kubia,
			map[string]map[string]string{"a": kubia, "b": {"app": "web"}, "c": {"app": "db"}}, []string{"a", "b"}},
		{"NotIn", expr(metav1.LabelSelectorOpNotIn, "db"), kubia,
			map[string]map[string]string{"a": {"app": "web"}, "b": {"app": "db"}, "c": {"x": "y"}}, []string{"a", "c"}},
		{"Exists", expr(metav1.LabelSelectorOpExists), kubia,
			map[string]map[string]string{"a": {"app": "web"}, "b": {"x": "y"}}, []string{"a"}},
		{"DoesNotExist", expr(metav1.LabelSelectorOpDoesNotExist), map[string]string{"tier": "fe"},
			map[string]map[string]string{"a": {"tier": "x"}, "b": {"app": "web"}}, []string{"a"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 6)
			var orphanNames []string
			for name := range tc.orphans {
				orphanNames = append(orphanNames, name)
			}
			sort.Strings(orphanNames)
			for _, name := range orphanNames {
				h.create(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: tc.orphans[name]},
					Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}})
			}
			h.create(newRS("rs", 3, tc.selector, tc.template))
			var adopted []string
			for _, p := range h.ownedBy("default", "rs") {
				if p.GenerateName == "" {
					adopted = append(adopted, p.Name)
				}
			}
			if strings.Join(adopted, ",") != strings.Join(tc.adopted, ",") {
				t.Errorf("adopted %v, want %v", adopted, tc.adopted)
			}
			if n := len(h.ownedBy("default", "rs")); n != 3 {
				t.Errorf("owns %d pods, want 3", n)
			}
			if n := len(h.eventsWith("default", "rs", ReasonSuccessfulCreate)); n != 3-len(tc.adopted) {
				t.Errorf("%d creates, want %d", n, 3-len(tc.adopted))
			}
		})
	}
}

func TestOrphansCreatedAfterAreAdoptedAndTrimmed(t *testing.T) {
	// The docs' pod-rs.yaml story: bare pods created after the RS are acquired and deleted.
	h := newHarness(t, 7)
	h.create(newRS("frontend", 3, &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "frontend"}}, map[string]string{"tier": "frontend"}))
	for i, p := range h.pods("default") {
		h.runPod(p, fmt.Sprintf("node%d", i))
	}
	for _, name := range []string{"pod1", "pod2"} {
		h.create(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"tier": "frontend"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}})
	}
	got := h.eventsWith("default", "frontend", ReasonSuccessfulDelete)
	if strings.Join(got, ";") != "SuccessfulDelete Deleted pod: pod1;SuccessfulDelete Deleted pod: pod2" {
		t.Errorf("delete events %v", got)
	}
	if n := len(h.pods("default")); n != 3 {
		t.Errorf("%d pods, want 3", n)
	}
}

func TestOtherControllersPodsAreLeftAlone(t *testing.T) {
	h := newHarness(t, 8)
	foreign := h.create(&corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "foreign", Namespace: "default", Labels: kubia,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "j", UID: "job-uid", Controller: ptr.To(true)}}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}})
	h.create(newRS("kubia", 2, &metav1.LabelSelector{MatchLabels: kubia}, kubia))
	h.create(newRC("kubia", 1, kubia))
	p := h.get("pods", "default", "foreign")
	if p.GetResourceVersion() != foreign.GetResourceVersion() {
		t.Errorf("foreign pod touched: %v", p.GetOwnerReferences())
	}
	if a, b := len(h.ownedBy("default", "kubia")), len(h.pods("default")); a != 3 || b != 4 {
		t.Errorf("owned %d of %d pods, want 3 of 4", a, b)
	}
}

func TestBeingDeletedOwnerCreatesNothing(t *testing.T) {
	h := newHarness(t, 9)
	rs := newRS("kubia", 2, &metav1.LabelSelector{MatchLabels: kubia}, kubia)
	rs.Finalizers = []string{"example.com/hold"}
	h.create(rs)
	if _, err := h.c.API.Client("test").Delete(api.ResourceByName("replicasets"), "default", "kubia", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h.settle()
	pods := h.pods("default")
	if _, err := h.c.API.Client("test").Delete(podsResource, "default", pods[0].Name, apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	// Relabelled pods of a deleting owner are not released either.
	p := pods[1].DeepCopy()
	p.Labels = map[string]string{"app": "gone"}
	h.update(p)
	if n := len(h.pods("default")); n != 1 {
		t.Errorf("%d pods, want 1 (no replacement)", n)
	}
	if len(h.get("pods", "default", p.Name).GetOwnerReferences()) != 1 {
		t.Error("a deleting owner released a pod")
	}
	if st := h.get("replicasets", "default", "kubia").(*appsv1.ReplicaSet).Status; st.Replicas != 1 {
		t.Errorf("status %+v", st)
	}
}

func TestFailedCreate(t *testing.T) {
	h := newHarness(t, 10)
	refuse := true
	h.c.API.Webhooks = append(h.c.API.Webhooks, func(op apiserver.Operation, obj, old api.Object) error {
		if _, ok := obj.(*corev1.Pod); ok && op == apiserver.Create && refuse {
			return apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, obj.GetGenerateName(), fmt.Errorf("exceeded quota: compute"))
		}
		return nil
	})
	h.create(newRS("kubia", 2, &metav1.LabelSelector{MatchLabels: kubia}, kubia))
	msg := `pods "kubia-" is forbidden: exceeded quota: compute`
	if got := h.eventsWith("default", "kubia", ReasonFailedCreate); len(got) != 1 || got[0] != "FailedCreate Error creating: "+msg {
		t.Errorf("events %v", got)
	}
	st := h.get("replicasets", "default", "kubia").(*appsv1.ReplicaSet).Status
	if len(st.Conditions) != 1 || st.Conditions[0].Type != appsv1.ReplicaSetReplicaFailure || st.Conditions[0].Reason != "FailedCreate" || st.Conditions[0].Message != msg {
		t.Errorf("conditions %+v", st.Conditions)
	}
	refuse = false
	h.advance(time.Second) // the sim's retry back-off
	st = h.get("replicasets", "default", "kubia").(*appsv1.ReplicaSet).Status
	if len(h.pods("default")) != 2 || len(st.Conditions) != 0 || st.Replicas != 2 {
		t.Errorf("after recovery: %d pods, status %+v", len(h.pods("default")), st)
	}
}

func TestMinReadySeconds(t *testing.T) {
	h := newHarness(t, 11)
	rs := newRS("kubia", 2, &metav1.LabelSelector{MatchLabels: kubia}, kubia)
	rs.Spec.MinReadySeconds = 10
	h.create(rs)
	for _, p := range h.pods("default") {
		h.runPod(p, "node1")
	}
	status := func() appsv1.ReplicaSetStatus {
		return h.get("replicasets", "default", "kubia").(*appsv1.ReplicaSet).Status
	}
	if st := status(); st.ReadyReplicas != 2 || st.AvailableReplicas != 0 {
		t.Errorf("at once: %+v", st)
	}
	h.advance(9 * time.Second)
	if st := status(); st.AvailableReplicas != 0 {
		t.Errorf("after 9s: %+v", st)
	}
	h.advance(time.Second)
	if st := status(); st.AvailableReplicas != 2 {
		t.Errorf("after 10s: %+v", st)
	}
}

func TestBurstPerSync(t *testing.T) {
	h := newHarness(t, 12)
	if _, err := h.c.API.Client("test").Create(newRS("big", 1200, &metav1.LabelSelector{MatchLabels: kubia}, kubia), apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rs.sync("default/big"); err != nil {
		t.Fatal(err)
	}
	if n := len(h.pods("default")); n != BurstReplicas {
		t.Fatalf("one sync created %d pods, want %d", n, BurstReplicas)
	}
	h.settle()
	if n := len(h.pods("default")); n != 1200 {
		t.Fatalf("%d pods, want 1200", n)
	}
	h.update(ownerCases[0].setScale(h.get("replicasets", "default", "big"), 0))
	if n := len(h.pods("default")); n != 0 {
		t.Fatalf("%d pods after scaling to 0", n)
	}
	if st := h.get("replicasets", "default", "big").(*appsv1.ReplicaSet).Status; st.Replicas != 0 {
		t.Errorf("status %+v", st)
	}
}

func TestSameSeedSameNames(t *testing.T) {
	run := func(seed uint64) string {
		h := newHarness(t, seed)
		h.create(newRS("kubia", 5, &metav1.LabelSelector{MatchLabels: kubia}, kubia))
		h.update(ownerCases[0].setScale(h.get("replicasets", "default", "kubia"), 2))
		return strings.Join(podNames(h.pods("default")), ",") + "|" + strings.Join(h.events("default", "kubia"), ";")
	}
	a, b, c := run(42), run(42), run(43)
	if a != b {
		t.Errorf("same seed, different runs:\n%s\n%s", a, b)
	}
	if a == c {
		t.Errorf("different seeds gave the same names %s", a)
	}
}

func TestRecreatedOwnerStartsOver(t *testing.T) {
	h := newHarness(t, 13)
	h.create(newRS("kubia", 2, &metav1.LabelSelector{MatchLabels: kubia}, kubia))
	if _, err := h.c.API.Client("test").Delete(api.ResourceByName("replicasets"), "default", "kubia", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h.settle()
	// Without a garbage collector the old pods keep a dangling controller ref: the new RS with
	// the same name but another uid must not count them.
	h.create(newRS("kubia", 1, &metav1.LabelSelector{MatchLabels: kubia}, kubia))
	rs := h.get("replicasets", "default", "kubia")
	n := 0
	for _, p := range h.pods("default") {
		if metav1.GetControllerOfNoCopy(p).UID == rs.GetUID() {
			n++
		}
	}
	if n != 1 || len(h.pods("default")) != 3 {
		t.Errorf("new RS owns %d of %d pods", n, len(h.pods("default")))
	}
}
