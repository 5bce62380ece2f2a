package apiserver

import (
	"hash/fnv"
	"math/rand/v2"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

var t0 = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)

// testServer is a server with a test client, whose calls read like the store's of old.
type testServer struct {
	*store.Store
	c *Client
}

func (s testServer) Create(obj api.Object) (api.Object, error) {
	return s.c.Create(obj, CreateOptions{})
}
func (s testServer) Update(obj api.Object) (api.Object, error) {
	return s.c.Update(obj, UpdateOptions{})
}
func (s testServer) UpdateStatus(obj api.Object) (api.Object, error) {
	return s.c.UpdateStatus(obj, UpdateOptions{})
}
func (s testServer) Delete(r *api.Resource, ns, name string, opts DeleteOptions) (api.Object, error) {
	return s.c.Delete(r, ns, name, opts)
}

func newStore(t *testing.T) (testServer, *time.Time) {
	t.Helper()
	now := t0
	st, w := store.New()
	streams := map[string]*rand.Rand{}
	srv := New(st, w, func() time.Time { return now }, func(label string) *rand.Rand {
		if streams[label] == nil {
			// Seeded by the label, as the cluster's streams are: the order in which streams
			// are first asked for changes nothing.
			h := fnv.New64a()
			h.Write([]byte(label))
			streams[label] = rand.New(rand.NewPCG(1, h.Sum64()))
		}
		return streams[label]
	})
	s := testServer{st, srv.Client("test")}
	for _, ns := range []string{"default", "kube-system"} {
		if _, err := s.Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
	}
	s.Drain()
	return s, &now
}

var pods = api.ResourceByName("pods")

func pod(name string, lbls map[string]string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: lbls},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}}}
}

func TestCreateSetsIdentityAndRefusesDuplicates(t *testing.T) {
	s, _ := newStore(t)
	obj, err := s.Create(pod("a", nil))
	if err != nil {
		t.Fatal(err)
	}
	if obj.GetNamespace() != "default" || obj.GetUID() == "" || obj.GetResourceVersion() == "" ||
		obj.GetGeneration() != 1 || !obj.GetCreationTimestamp().Time.Equal(t0) {
		t.Fatalf("identity not set: %+v", obj)
	}
	if obj.GetObjectKind().GroupVersionKind().Kind != "Pod" {
		t.Fatal("kind not set")
	}
	_, err = s.Create(pod("a", nil))
	if !apierrors.IsAlreadyExists(err) || err.Error() != `pods "a" already exists` {
		t.Fatalf("got %v", err)
	}
	nope := pod("b", nil)
	nope.Namespace = "nope"
	_, err = s.Create(nope)
	if !apierrors.IsNotFound(err) || err.Error() != `namespaces "nope" not found` {
		t.Fatalf("got %v", err)
	}
	ev := s.Drain()
	if len(ev) != 1 || ev[0].Type != store.Added {
		t.Fatalf("events %v", ev)
	}
}

func TestGenerateNameIsSeededAndDeterministic(t *testing.T) {
	names := func() []string {
		s, _ := newStore(t)
		var out []string
		for i := 0; i < 3; i++ {
			p := pod("", nil)
			p.GenerateName = "kubia-"
			obj, err := s.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, obj.GetName())
		}
		return out
	}
	a, b := names(), names()
	for i := range a {
		if a[i] != b[i] || len(a[i]) != len("kubia-")+5 {
			t.Fatalf("names differ or wrong shape: %v %v", a, b)
		}
	}
}

func TestUpdateConflictAndGeneration(t *testing.T) {
	s, _ := newStore(t)
	obj, _ := s.Create(pod("a", nil))
	stale := obj.DeepCopyObject().(*corev1.Pod)

	next := obj.DeepCopyObject().(*corev1.Pod)
	next.Labels = map[string]string{"app": "kubia"}
	up, err := s.Update(next)
	if err != nil {
		t.Fatal(err)
	}
	if up.GetGeneration() != 1 {
		t.Fatal("a label change must not bump generation")
	}
	stale.Labels = map[string]string{"x": "y"}
	if _, err := s.Update(stale); !apierrors.IsConflict(err) {
		t.Fatalf("want conflict, got %v", err)
	}
	spec := up.DeepCopyObject().(*corev1.Pod)
	spec.Spec.NodeName = "n1"
	up2, err := s.Update(spec)
	if err != nil || up2.GetGeneration() != 2 {
		t.Fatalf("spec change should bump generation: %v %d", err, up2.GetGeneration())
	}
	same, _ := s.Update(up2.DeepCopyObject().(api.Object))
	if same.GetResourceVersion() != up2.GetResourceVersion() {
		t.Fatal("a no-op update must not write")
	}
}

func TestListSelectorsAndOrder(t *testing.T) {
	s, _ := newStore(t)
	for _, n := range []string{"c", "a", "b"} {
		p := pod(n, map[string]string{"app": "kubia"})
		if n == "b" {
			p.Labels["app"] = "other"
			p.Spec.NodeName = "n1"
		}
		s.Create(p)
	}
	all, _ := s.List(pods, "", store.ListOptions{})
	if got := names(all); got != "a,b,c" {
		t.Fatalf("order %s", got)
	}
	sel, _ := labels.Parse("app=kubia")
	kubia, _ := s.List(pods, "default", store.ListOptions{Labels: sel})
	if got := names(kubia); got != "a,c" {
		t.Fatalf("label selector %s", got)
	}
	onNode, _ := s.List(pods, "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.nodeName", "n1")})
	if got := names(onNode); got != "b" {
		t.Fatalf("field selector %s", got)
	}
	_, err := s.List(pods, "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.foo", "x")})
	if !apierrors.IsBadRequest(err) {
		t.Fatalf("unsupported field: %v", err)
	}
}

func names(objs []api.Object) string {
	s := ""
	for i, o := range objs {
		if i > 0 {
			s += ","
		}
		s += o.GetName()
	}
	return s
}

func TestGracefulPodDeletion(t *testing.T) {
	s, now := newStore(t)
	p := pod("a", nil)
	p.Spec.NodeName = "n1"
	s.Create(p)
	s.Drain()
	obj, err := s.Delete(pods, "default", "a", DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if obj.GetDeletionTimestamp() == nil || *obj.GetDeletionGracePeriodSeconds() != 30 {
		t.Fatal("a scheduled pod is deleted gracefully with the default 30 s")
	}
	if !obj.GetDeletionTimestamp().Time.Equal(now.Add(30 * time.Second).Truncate(time.Second)) {
		t.Fatal("deletionTimestamp is now + grace")
	}
	// The kubelet finishes with a zero grace period.
	zero := int64(0)
	if _, err := s.Delete(pods, "default", "a", DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(pods, "default", "a"); !apierrors.IsNotFound(err) {
		t.Fatal("pod should be gone")
	}
	ev := s.Drain()
	if len(ev) != 2 || ev[0].Type != store.Modified || ev[1].Type != store.Deleted {
		t.Fatalf("events: %v", ev)
	}
	// Unscheduled pods go at once.
	s.Create(pod("b", nil))
	s.Delete(pods, "default", "b", DeleteOptions{})
	if _, err := s.Get(pods, "default", "b"); !apierrors.IsNotFound(err) {
		t.Fatal("unscheduled pod should be gone at once")
	}
}

func TestFinalizersHoldDeletionAndOwnerIndex(t *testing.T) {
	s, _ := newStore(t)
	rcs := api.ResourceByName("replicationcontrollers")
	rc, err := s.Create(&corev1.ReplicationController{ObjectMeta: metav1.ObjectMeta{Name: "kubia"},
		Spec: corev1.ReplicationControllerSpec{Selector: map[string]string{"app": "kubia"}, Template: &corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "kubia"}}, Spec: pod("", nil).Spec}}})
	if err != nil {
		t.Fatal(err)
	}
	p := pod("a", nil)
	p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "ReplicationController", Name: "kubia", UID: rc.GetUID()}}
	s.Create(p)
	if deps := s.Dependents(rc.GetUID()); len(deps) != 1 || deps[0].GetName() != "a" {
		t.Fatalf("dependents %v", deps)
	}
	orphan := metav1.DeletePropagationOrphan
	obj, err := s.Delete(rcs, "default", "kubia", DeleteOptions{PropagationPolicy: &orphan})
	if err != nil || obj.GetDeletionTimestamp() == nil || obj.GetFinalizers()[0] != metav1.FinalizerOrphanDependents {
		t.Fatalf("orphan delete should hold the object with a finalizer: %v %v", err, obj)
	}
	cleared := obj.DeepCopyObject().(api.Object)
	cleared.SetFinalizers(nil)
	if _, err := s.Update(cleared); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(rcs, "default", "kubia"); !apierrors.IsNotFound(err) {
		t.Fatal("removing the last finalizer deletes the object")
	}
}

func TestMaxObjects(t *testing.T) {
	s, _ := newStore(t)
	s.MaxObjects = s.Len() + 1
	if _, err := s.Create(pod("a", nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(pod("b", nil)); !apierrors.IsForbidden(err) {
		t.Fatalf("want Forbidden, got %v", err)
	}
}

func TestListingOrderSurvivesDeleteAndRecreate(t *testing.T) {
	s, _ := newStore(t)
	for _, n := range []string{"d", "b", "a", "c"} {
		s.Create(pod(n, nil))
	}
	all, _ := s.List(pods, "default", store.ListOptions{})
	if got := names(all); got != "a,b,c,d" {
		t.Fatalf("order %s", got)
	}
	s.Delete(pods, "default", "b", DeleteOptions{})
	s.Create(pod("b", nil))
	s.Create(pod("e", nil))
	s.Delete(pods, "default", "a", DeleteOptions{})
	all, _ = s.List(pods, "default", store.ListOptions{})
	if got := names(all); got != "b,c,d,e" {
		t.Fatalf("order after delete/recreate %s", got)
	}
	if s.Count(pods, "default") != 4 || s.Count(pods, "") != 4 {
		t.Fatal("count")
	}
}

func TestNamespaceWaitsForItsFinalizers(t *testing.T) {
	s, _ := newStore(t)
	nsRes := api.ResourceByName("namespaces")
	s.Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "x"}, Spec: corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{corev1.FinalizerKubernetes}}})
	obj, err := s.Delete(nsRes, "", "x", DeleteOptions{})
	if err != nil || obj.GetDeletionTimestamp() == nil || obj.(*corev1.Namespace).Status.Phase != corev1.NamespaceTerminating {
		t.Fatalf("namespace should be Terminating: %v %+v", err, obj)
	}
	p := pod("p", nil)
	p.Namespace = "x"
	if _, err := s.Create(p); !apierrors.IsForbidden(err) {
		t.Fatalf("creating in a terminating namespace: %v", err)
	}
	// spec.finalizers change only through namespaces/finalize.
	done := obj.DeepCopyObject().(*corev1.Namespace)
	done.Spec.Finalizers = nil
	if got, err := s.Update(done); err != nil || len(got.(*corev1.Namespace).Spec.Finalizers) != 1 {
		t.Fatalf("an update changed spec.finalizers: %v %+v", err, got)
	}
	if err := s.c.Finalize("x", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(nsRes, "", "x"); !apierrors.IsNotFound(err) {
		t.Fatal("namespace should be gone once its finalizers are")
	}
}

func TestUpdateStatusWritesOnlyStatus(t *testing.T) {
	s, _ := newStore(t)
	created, _ := s.Create(pod("a", map[string]string{"app": "kubia"}))
	next := created.DeepCopyObject().(*corev1.Pod)
	next.Status.Phase = corev1.PodRunning
	next.Labels = map[string]string{"app": "changed"} // ignored: metadata is not the status
	next.Spec.NodeName = "ignored"
	got, err := s.UpdateStatus(next)
	if err != nil {
		t.Fatal(err)
	}
	p := got.(*corev1.Pod)
	if p.Status.Phase != corev1.PodRunning || p.Labels["app"] != "kubia" || p.Spec.NodeName != "" || p.Generation != 1 {
		t.Fatalf("status write changed more than the status: %+v", p)
	}
	if p.ResourceVersion == created.GetResourceVersion() {
		t.Fatal("resourceVersion should move")
	}
	if same, _ := s.UpdateStatus(p.DeepCopy()); same.GetResourceVersion() != p.ResourceVersion {
		t.Fatal("an unchanged status must not write")
	}
	if _, err := s.UpdateStatus(next); !apierrors.IsConflict(err) {
		t.Fatalf("stale resourceVersion: %v", err)
	}
	if _, err := s.Create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "x"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateStatus(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "x"}}); err == nil {
		t.Fatal("a ConfigMap has no status")
	}
}

func TestTimestampsAreWholeSeconds(t *testing.T) {
	s, now := newStore(t)
	*now = now.Add(1500 * time.Millisecond)
	p := pod("a", nil)
	p.Spec.NodeName = "n1"
	obj, _ := s.Create(p)
	if ts := obj.GetCreationTimestamp().Time; !ts.Equal(ts.Truncate(time.Second)) {
		t.Fatalf("creationTimestamp %v has a fraction: a JSON round trip would change it", ts)
	}
	obj, _ = s.Delete(pods, "default", "a", DeleteOptions{})
	if ts := obj.GetDeletionTimestamp().Time; !ts.Equal(ts.Truncate(time.Second)) {
		t.Fatalf("deletionTimestamp %v has a fraction", ts)
	}
}

// The pod budget refuses an object asking for more pods than it holds, before anything is
// made, and a pod past it as a quota does; other objects and updates still go through.
func TestPodBudget(t *testing.T) {
	s, _ := newStore(t)
	s.c.srv.MaxPods = 2
	rc := &corev1.ReplicationController{ObjectMeta: metav1.ObjectMeta{Name: "kubia"},
		Spec: corev1.ReplicationControllerSpec{Replicas: ptr.To[int32](3), Selector: map[string]string{"app": "kubia"},
			Template: &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "kubia"}}, Spec: pod("", nil).Spec}}}
	_, err := s.Create(rc)
	if want := `ReplicationController "kubia" is invalid: spec.replicas: Invalid value: 3: must be no more than kubetab's pod budget (2 pods)`; err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	if s.Lookup(api.ResourceByName("replicationcontrollers"), "default", "kubia") != nil {
		t.Fatal("the refused object was stored")
	}
	for _, name := range []string{"a", "b"} {
		if _, err := s.Create(pod(name, nil)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.Create(pod("c", nil))
	if want := `pods "c" is forbidden: exceeded kubetab's pod budget: requested: pods=1, used: pods=2, limited: pods=2`; err == nil || err.Error() != want || !apierrors.IsForbidden(err) {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	a := s.Lookup(pods, "default", "a").(*corev1.Pod).DeepCopy()
	a.Labels = map[string]string{"at": "budget"}
	if _, err := s.Update(a); err != nil {
		t.Errorf("an update at the budget: %v", err)
	}
	if _, err := s.Create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm"}}); err != nil {
		t.Errorf("another kind at the budget: %v", err)
	}
}

// A rate-limited client may send Burst requests at once, then one every 1/QPS s; a request
// sent while throttled still goes and pushes the next ones back.
func TestClientRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	srv, c := rateLimitedClient(&now, "replication-controller", 3)
	for i := range 3 {
		if d := c.Throttled(); d != 0 {
			t.Fatalf("request %d of the burst waits %s", i, d)
		}
		c.spend()
	}
	if d := c.Throttled(); d != 50*time.Millisecond {
		t.Fatalf("after the burst: wait %s, want 50ms", d)
	}
	c.spend() // sent anyway
	if d := c.Throttled(); d != 100*time.Millisecond {
		t.Fatalf("after a request sent while throttled: wait %s, want 100ms", d)
	}
	now = now.Add(time.Second) // the bucket fills again
	for range 3 {
		if d := c.Throttled(); d != 0 {
			t.Fatalf("a second later: wait %s", d)
		}
		c.spend()
	}
	if d := srv.Client("kubectl").Throttled(); d != 0 {
		t.Fatalf("a client without a limit waits %s", d)
	}
}

// Waiters that Reserve are served in turn: each waits for a token of its own, and the
// request made once it is due spends that token rather than another.
func TestClientReserveServesWaitersInTurn(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	_, c := rateLimitedClient(&now, "replicaset-controller", 1)
	if d := c.Reserve("default/a"); d != 0 {
		t.Fatalf("first request waits %s", d)
	}
	c.spend()
	for i, waiter := range []string{"default/a", "default/b", "default/c"} {
		want := time.Duration(i+1) * 50 * time.Millisecond
		if d := c.Reserve(waiter); d != want {
			t.Fatalf("%s waits %s, want %s", waiter, d, want)
		}
	}
	if d := c.Reserve("default/b"); d != 100*time.Millisecond {
		t.Fatalf("asking again moves b's turn: %s", d)
	}
	now = now.Add(50 * time.Millisecond)
	if d := c.Reserve("default/b"); d != 50*time.Millisecond {
		t.Fatalf("b comes early: wait %s, want 50ms", d)
	}
	if d := c.Reserve("default/a"); d != 0 {
		t.Fatalf("a's token is due: wait %s", d)
	}
	c.spend() // a's request spends its reserved token
	if d := c.Reserve("default/d"); d != 150*time.Millisecond {
		t.Fatalf("a newcomer queues behind b and c: wait %s, want 150ms", d)
	}
	c.CancelReservation("default/c")
	now = now.Add(100 * time.Millisecond)
	if d := c.Reserve("default/c"); d != 100*time.Millisecond {
		t.Fatalf("c, cancelled, queues anew: wait %s, want 100ms", d)
	}
}

// rateLimitedClient is a server on the time *now and its client name, limited to 20
// requests a second with bursts of burst.
func rateLimitedClient(now *time.Time, name string, burst int) (*Server, *Client) {
	st, w := store.New()
	srv := New(st, w, func() time.Time { return *now }, func(string) *rand.Rand { return rand.New(rand.NewPCG(1, 2)) })
	c := srv.Client(name)
	c.SetRateLimit(RateLimit{QPS: 20, Burst: burst})
	return srv, c
}
