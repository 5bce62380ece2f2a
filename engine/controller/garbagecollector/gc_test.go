package garbagecollector

import (
	"fmt"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/controller/replicaset"
	"github.com/kubetab/kubetab/engine/sim"
)

var t0 = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

type harness struct {
	t testing.TB
	c *sim.Cluster
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	c := sim.New(1, t0)
	replicaset.New(c)
	New(c)
	h := &harness{t: t, c: c}
	for _, ns := range []string{"default", "shop"} {
		h.create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns},
			Spec: corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{corev1.FinalizerKubernetes}}})
	}
	return h
}

func (h *harness) settle() {
	h.t.Helper()
	if err := h.c.Settle(); err != nil {
		h.t.Fatal(err)
	}
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

func (h *harness) delete(res, ns, name string, policy metav1.DeletionPropagation) {
	h.t.Helper()
	opts := apiserver.DeleteOptions{}
	if policy != "" {
		opts.PropagationPolicy = &policy
	}
	if _, err := h.c.API.Client("test").Delete(api.ResourceByName(res), ns, name, opts); err != nil {
		h.t.Fatal(err)
	}
	h.settle()
}

func (h *harness) get(res, ns, name string) (api.Object, bool) {
	obj, err := h.c.Store.Get(api.ResourceByName(res), ns, name)
	if apierrors.IsNotFound(err) {
		return nil, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return obj, true
}

func (h *harness) list(res, ns string) []api.Object {
	var out []api.Object
	h.c.Store.Each(api.ResourceByName(res), ns, func(o api.Object) bool {
		out = append(out, o)
		return true
	})
	return out
}

func names(objs []api.Object) string {
	var out []string
	for _, o := range objs {
		out = append(out, o.GetName())
	}
	return strings.Join(out, ",")
}

// runAll plays scheduler and kubelet: every pod in ns is bound and Running, so that its
// deletion becomes graceful.
func (h *harness) runAll(ns string) {
	h.t.Helper()
	for _, o := range h.list("pods", ns) {
		p := o.(*corev1.Pod).DeepCopy()
		p.Spec.NodeName = "node1"
		p.Status.Phase = corev1.PodRunning
		if _, err := h.c.API.Client("test").Update(p, apiserver.UpdateOptions{}); err != nil {
			h.t.Fatal(err)
		}
	}
	h.settle()
}

// finishTerminating plays the kubelet confirming every graceful pod deletion in ns.
func (h *harness) finishTerminating(ns string) {
	h.t.Helper()
	for _, o := range h.list("pods", ns) {
		if o.GetDeletionTimestamp() != nil {
			if _, err := h.c.API.Client("test").Delete(api.ResourceByName("pods"), ns, o.GetName(), apiserver.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	h.settle()
}

var kubia = map[string]string{"app": "kubia"}

func template() corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: kubia},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}}}
}

func newRS(ns, name string, replicas int32) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: appsv1.ReplicaSetSpec{Replicas: ptr.To(replicas), Selector: &metav1.LabelSelector{MatchLabels: kubia}, Template: template()}}
}

func newRC(ns, name string, replicas int32) *corev1.ReplicationController {
	tmpl := template()
	return &corev1.ReplicationController{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: corev1.ReplicationControllerSpec{Replicas: ptr.To(replicas), Selector: kubia, Template: &tmpl}}
}

func ownerRef(kind string, obj api.Object, block bool) metav1.OwnerReference {
	return metav1.OwnerReference{APIVersion: obj.GetObjectKind().GroupVersionKind().GroupVersion().String(), Kind: kind,
		Name: obj.GetName(), UID: obj.GetUID(), BlockOwnerDeletion: ptr.To(block)}
}

func configMap(name string, refs ...metav1.OwnerReference) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", OwnerReferences: refs}}
}

func TestCascadingDeletion(t *testing.T) {
	cases := []struct {
		name   string
		policy metav1.DeletionPropagation
		run    bool // pods Running on a node, so that they terminate gracefully
		// check runs right after the delete call settled, then after the kubelet finished.
		during, after func(t *testing.T, h *harness)
	}{
		{"background (default) deletes the pods", "", false,
			func(t *testing.T, h *harness) {
				if _, ok := h.get("replicasets", "default", "kubia"); ok {
					t.Error("RS still there")
				}
				if n := names(h.list("pods", "default")); n != "" {
					t.Errorf("pods left: %s", n)
				}
			}, nil},
		{"background with running pods leaves them terminating", metav1.DeletePropagationBackground, true,
			func(t *testing.T, h *harness) {
				if _, ok := h.get("replicasets", "default", "kubia"); ok {
					t.Error("RS still there")
				}
				for _, p := range h.list("pods", "default") {
					if p.GetDeletionTimestamp() == nil {
						t.Errorf("pod %s not terminating", p.GetName())
					}
				}
			},
			func(t *testing.T, h *harness) {
				if n := names(h.list("pods", "default")); n != "" {
					t.Errorf("pods left: %s", n)
				}
			}},
		{"foreground waits for the pods", metav1.DeletePropagationForeground, true,
			func(t *testing.T, h *harness) {
				rs, ok := h.get("replicasets", "default", "kubia")
				if !ok || rs.GetDeletionTimestamp() == nil || strings.Join(rs.GetFinalizers(), ",") != metav1.FinalizerDeleteDependents {
					t.Fatalf("RS should wait with the foregroundDeletion finalizer: %v", rs)
				}
				if len(h.list("pods", "default")) != 3 {
					t.Errorf("pods: %s", names(h.list("pods", "default")))
				}
				for _, p := range h.list("pods", "default") {
					if p.GetDeletionTimestamp() == nil {
						t.Errorf("pod %s not terminating", p.GetName())
					}
				}
			},
			func(t *testing.T, h *harness) {
				if _, ok := h.get("replicasets", "default", "kubia"); ok {
					t.Error("RS still there after its pods went")
				}
			}},
		{"foreground with unscheduled pods finishes at once", metav1.DeletePropagationForeground, false,
			func(t *testing.T, h *harness) {
				if _, ok := h.get("replicasets", "default", "kubia"); ok {
					t.Error("RS still there")
				}
				if n := names(h.list("pods", "default")); n != "" {
					t.Errorf("pods left: %s", n)
				}
			}, nil},
		{"orphan keeps the pods, without the reference", metav1.DeletePropagationOrphan, true,
			func(t *testing.T, h *harness) {
				if _, ok := h.get("replicasets", "default", "kubia"); ok {
					t.Error("RS still there")
				}
				pods := h.list("pods", "default")
				if len(pods) != 3 {
					t.Fatalf("pods: %s", names(pods))
				}
				for _, p := range pods {
					if p.GetDeletionTimestamp() != nil || len(p.GetOwnerReferences()) != 0 {
						t.Errorf("pod %s: deleting %v, refs %v", p.GetName(), p.GetDeletionTimestamp(), p.GetOwnerReferences())
					}
				}
			}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.create(newRS("default", "kubia", 3))
			if tc.run {
				h.runAll("default")
			}
			h.delete("replicasets", "default", "kubia", tc.policy)
			tc.during(t, h)
			if tc.after != nil {
				h.finishTerminating("default")
				tc.after(t, h)
			}
		})
	}
}

func TestBookOrphanAdoptionStory(t *testing.T) {
	// Kubernetes in Action ch. 4: delete the RC with --cascade=orphan, create a ReplicaSet with
	// the same selector: it adopts the three pods and creates none.
	h := newHarness(t)
	h.create(newRC("default", "kubia", 3))
	h.runAll("default")
	before := names(h.list("pods", "default"))
	h.delete("replicationcontrollers", "default", "kubia", metav1.DeletePropagationOrphan)
	if _, ok := h.get("replicationcontrollers", "default", "kubia"); ok {
		t.Fatal("RC still there")
	}
	rs := h.create(newRS("default", "kubia", 3))
	if after := names(h.list("pods", "default")); after != before {
		t.Errorf("pods changed from %s to %s", before, after)
	}
	for _, p := range h.list("pods", "default") {
		ref := metav1.GetControllerOfNoCopy(p)
		if ref == nil || ref.UID != rs.GetUID() || ref.Kind != "ReplicaSet" {
			t.Errorf("pod %s controller %v", p.GetName(), ref)
		}
	}
	for _, e := range h.list("events", "default") {
		ev := e.(*corev1.Event)
		if ev.InvolvedObject.Kind == "ReplicaSet" && ev.Reason == replicaset.ReasonSuccessfulCreate {
			t.Errorf("the RS created a pod: %s", ev.Message)
		}
	}
	st := h.mustGet("replicasets", "default", "kubia").(*appsv1.ReplicaSet).Status
	if st.Replicas != 3 {
		t.Errorf("RS status %+v", st)
	}
}

func (h *harness) mustGet(res, ns, name string) api.Object {
	h.t.Helper()
	obj, ok := h.get(res, ns, name)
	if !ok {
		h.t.Fatalf("%s %s/%s not found", res, ns, name)
	}
	return obj
}

func TestDependentsWithSeveralOwners(t *testing.T) {
	h := newHarness(t)
	a := h.create(configMap("owner-a"))
	b := h.create(configMap("owner-b"))
	h.create(configMap("shared", ownerRef("ConfigMap", a, false), ownerRef("ConfigMap", b, false)))
	h.create(configMap("only-a", ownerRef("ConfigMap", a, false)))
	h.delete("configmaps", "default", "owner-a", "")
	shared := h.mustGet("configmaps", "default", "shared")
	if refs := shared.GetOwnerReferences(); len(refs) != 1 || refs[0].Name != "owner-b" {
		t.Errorf("shared refs %v, want only owner-b", refs)
	}
	if _, ok := h.get("configmaps", "default", "only-a"); ok {
		t.Error("only-a survived its owner")
	}
	h.delete("configmaps", "default", "owner-b", "")
	if _, ok := h.get("configmaps", "default", "shared"); ok {
		t.Error("shared survived both owners")
	}
}

func TestDanglingReferenceAtCreation(t *testing.T) {
	h := newHarness(t)
	h.create(configMap("stray", metav1.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "ghost", UID: types.UID("nope")}))
	if _, ok := h.get("configmaps", "default", "stray"); ok {
		t.Error("an object whose owner never existed was kept")
	}
	// An owner kind kubetab does not serve cannot be checked, so it is trusted.
	h.create(configMap("foreign", metav1.OwnerReference{APIVersion: "example.com/v1", Kind: "Widget", Name: "w", UID: types.UID("w1")}))
	if _, ok := h.get("configmaps", "default", "foreign"); !ok {
		t.Error("an object owned by an unknown kind was deleted")
	}
	// A recreated owner with the same name is another owner.
	old := h.create(configMap("owner"))
	h.delete("configmaps", "default", "owner", metav1.DeletePropagationOrphan)
	h.create(configMap("owner"))
	h.create(configMap("child", ownerRef("ConfigMap", old, false)))
	if _, ok := h.get("configmaps", "default", "child"); ok {
		t.Error("a dependent of the old incarnation was kept")
	}
}

func TestForegroundChain(t *testing.T) {
	// deployment → replicaset → pods, deleted in foreground: the RS is deleted in foreground
	// too, the pods go first, then the RS, then the deployment.
	h := newHarness(t)
	dep := h.create(&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", Finalizers: []string{"example.com/hold"}},
		Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: kubia}, Template: template()}})
	rs := newRS("default", "web-abc", 2)
	ref := ownerRef("Deployment", dep, true)
	ref.Controller = ptr.To(true)
	rs.OwnerReferences = []metav1.OwnerReference{ref}
	h.create(rs)
	// Also a non-blocking dependent.
	h.create(configMap("notes", ownerRef("Deployment", dep, false)))
	h.runAll("default")
	h.delete("deployments", "default", "web", metav1.DeletePropagationForeground)

	gotRS := h.mustGet("replicasets", "default", "web-abc")
	if gotRS.GetDeletionTimestamp() == nil || !hasFinalizer(gotRS, metav1.FinalizerDeleteDependents) {
		t.Errorf("RS not deleting in foreground: finalizers %v", gotRS.GetFinalizers())
	}
	if r := gotRS.GetOwnerReferences(); len(r) != 1 || !*r[0].BlockOwnerDeletion {
		t.Errorf("RS no longer blocks its owner: %v", r)
	}
	if _, ok := h.get("configmaps", "default", "notes"); ok {
		t.Error("non-blocking dependent kept")
	}
	if d := h.mustGet("deployments", "default", "web"); !hasFinalizer(d, metav1.FinalizerDeleteDependents) {
		t.Error("deployment lost its finalizer before its dependents went")
	}
	for _, p := range h.list("pods", "default") {
		if p.GetDeletionTimestamp() == nil {
			t.Errorf("pod %s not terminating", p.GetName())
		}
	}
	h.finishTerminating("default")
	if _, ok := h.get("replicasets", "default", "web-abc"); ok {
		t.Error("RS still there")
	}
	d := h.mustGet("deployments", "default", "web")
	if strings.Join(d.GetFinalizers(), ",") != "example.com/hold" {
		t.Errorf("deployment finalizers %v", d.GetFinalizers())
	}
}

func TestNamespaceDeletion(t *testing.T) {
	cases := []struct {
		name string
		// hold adds a metadata finalizer that keeps the namespace object, the way a store that
		// honours spec.finalizers keeps it Terminating.
		hold bool
	}{
		{"held namespace goes through Terminating", true},
		{"namespace removed at once still loses its content", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "x"},
				Spec: corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{corev1.FinalizerKubernetes}}}
			if tc.hold {
				ns.Finalizers = []string{"example.com/hold"}
			}
			h.create(ns)
			h.create(newRS("x", "kubia", 2))
			h.create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cfg", Namespace: "x"}})
			h.runAll("x")
			h.create(newRS("default", "keep", 1))

			h.delete("namespaces", "", "x", "")
			if tc.hold {
				got := h.mustGet("namespaces", "", "x").(*corev1.Namespace)
				if got.Status.Phase != corev1.NamespaceTerminating {
					t.Errorf("phase %q", got.Status.Phase)
				}
				if len(got.Spec.Finalizers) != 1 {
					t.Errorf("spec.finalizers removed while pods terminate: %v", got.Spec.Finalizers)
				}
				if _, err := h.c.API.Client("test").Create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "late", Namespace: "x"}}, apiserver.CreateOptions{}); err == nil {
					t.Error("created content in a terminating namespace")
				}
			}
			if n := names(h.list("replicasets", "x")) + names(h.list("configmaps", "x")); n != "" {
				t.Errorf("content left: %s", n)
			}
			for _, p := range h.list("pods", "x") {
				if p.GetDeletionTimestamp() == nil {
					t.Errorf("pod %s not terminating", p.GetName())
				}
			}
			h.finishTerminating("x")
			for _, r := range api.Resources() {
				if r.Namespaced && h.c.Store.Count(r, "x") != 0 {
					t.Errorf("%s left in x: %s", r.Name, names(h.list(r.Name, "x")))
				}
			}
			if tc.hold {
				got := h.mustGet("namespaces", "", "x").(*corev1.Namespace)
				if len(got.Spec.Finalizers) != 0 {
					t.Errorf("spec.finalizers %v after the content went", got.Spec.Finalizers)
				}
				cp := got.DeepCopy()
				cp.Finalizers = nil
				if _, err := h.c.API.Client("test").Update(cp, apiserver.UpdateOptions{}); err != nil {
					t.Fatal(err)
				}
				h.settle()
			}
			if _, ok := h.get("namespaces", "", "x"); ok {
				t.Error("namespace still there")
			}
			if len(h.list("pods", "default")) != 1 {
				t.Error("another namespace lost its pods")
			}
		})
	}
}

func TestGCIsDeterministic(t *testing.T) {
	run := func() string {
		h := newHarness(t)
		for i := range 3 {
			h.create(newRS("default", fmt.Sprintf("rs%d", i), 2))
		}
		h.runAll("default")
		h.delete("replicasets", "default", "rs0", metav1.DeletePropagationForeground)
		h.delete("replicasets", "default", "rs1", "")
		h.finishTerminating("default")
		var out []string
		for _, p := range h.list("pods", "default") {
			out = append(out, p.GetName()+"@"+p.GetResourceVersion())
		}
		return strings.Join(out, ",")
	}
	if a, b := run(), run(); a != b {
		t.Errorf("two runs differ:\n%s\n%s", a, b)
	}
}
