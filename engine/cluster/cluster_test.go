package cluster

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
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
			obj, err := c.API.Client("test").Create(&corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: tc.name, Namespace: "default"},
				Spec: corev1.PodSpec{NodeSelector: map[string]string{"nowhere": "true"},
					Containers: []corev1.Container{{Name: "c", Image: "nginx", Resources: tc.res}}},
			}, apiserver.CreateOptions{})
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

// A Job created without labels shows its template's, selector labels included, as a real
// API server returns it (defaulting runs again on every read from storage).
func TestAdmissionJobLabelsFromTemplate(t *testing.T) {
	c, err := New(Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "pi", Namespace: "default"},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "pi", Image: "perl"}},
		}}},
	}
	obj, err := c.API.Client("test").Create(job, apiserver.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := obj.(*batchv1.Job)
	if got.Labels["batch.kubernetes.io/job-name"] != "pi" || got.Labels["batch.kubernetes.io/controller-uid"] != string(got.UID) {
		t.Errorf("job labels = %v, want the template's selector labels", got.Labels)
	}
	labelled := job.DeepCopy()
	labelled.Name, labelled.Labels = "labelled", map[string]string{"app": "x"}
	obj, err = c.API.Client("test").Create(labelled, apiserver.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l := obj.(*batchv1.Job).Labels; len(l) != 1 || l["app"] != "x" {
		t.Errorf("a Job's own labels were replaced: %v", l)
	}
}

// The DaemonSet template generation annotation: 1 on create, kept on updates that leave the
// template alone, one more when the template changes; clients cannot set it.
func TestAdmissionDaemonSetTemplateGeneration(t *testing.T) {
	c, err := New(Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "d", Namespace: "default"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "d"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "d"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
			},
		},
	}
	gen := func(o api.Object) string {
		return o.(*appsv1.DaemonSet).Annotations[appsv1.DeprecatedTemplateGeneration]
	}
	obj, err := c.API.Client("test").Create(ds, apiserver.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g := gen(obj); g != "1" {
		t.Fatalf("after create: generation %q, want 1", g)
	}
	next := obj.(*appsv1.DaemonSet).DeepCopy()
	next.Labels = map[string]string{"k": "v"}
	next.Annotations[appsv1.DeprecatedTemplateGeneration] = "7"
	if obj, err = c.API.Client("test").Update(next, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if g := gen(obj); g != "1" {
		t.Fatalf("after a label change: generation %q, want 1", g)
	}
	next = obj.(*appsv1.DaemonSet).DeepCopy()
	next.Spec.Template.Spec.Containers[0].Image = "busybox:1.36"
	if obj, err = c.API.Client("test").Update(next, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if g := gen(obj); g != "2" {
		t.Fatalf("after a template change: generation %q, want 2", g)
	}
}

// A ReplicaSet whose pods outrun the pod budget gets the pods that fit and FailedCreate
// events for the rest; the cluster keeps settling (no hot loop) and answering.
func TestPodBudgetReached(t *testing.T) {
	c, err := New(Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	pods := api.ResourceByName("pods")
	c.API.MaxPods = c.Store.Count(pods, "") + 4
	other := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "other", Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}}}
	if _, err := c.API.Client("test").Create(other, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "kubia"}
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default"},
		Spec: appsv1.ReplicaSetSpec{Replicas: ptr.To[int32](4), Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}}}}}
	if _, err := c.API.Client("test").Create(rs, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Advance(10 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := c.Store.Count(pods, "default"); n != 4 {
		t.Errorf("%d pods, want the 4 the budget holds", n)
	}
	failed := 0
	c.Store.Each(api.ResourceByName("events"), "default", func(o api.Object) bool {
		if e := o.(*corev1.Event); e.Reason == "FailedCreate" && strings.Contains(e.Message, "exceeded kubetab's pod budget") {
			failed++
		}
		return true
	})
	if failed == 0 {
		t.Error("no FailedCreate event names the pod budget")
	}
}
