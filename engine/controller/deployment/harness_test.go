package deployment

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// fakeCluster is an in-memory API server for one Deployment and its ReplicaSets, plus a
// stand-in for the ReplicaSet controller and the kubelets: each ReplicaSet's pods follow its
// spec.replicas at once and become available readyAfter after their creation, except pods
// of a broken image, which never do. It implements writer with the strategies that matter
// here: a main-resource update keeps the status and bumps the generation on a spec (or, for
// the Deployment, annotation) change; a status update keeps the spec and labels.
type fakeCluster struct {
	t          testing.TB
	now        time.Time
	d          *appsv1.Deployment
	rss        map[string]*appsv1.ReplicaSet
	pods       map[string][]time.Time // creation times of each ReplicaSet's pods, oldest first
	broken     map[string]bool        // images whose pods never become available
	readyAfter time.Duration
	events     []string
	uids, rv   int
	writes     int
	// failCreate makes ReplicaSet creations fail with this error.
	failCreate error
}

func newFakeCluster(t testing.TB, d *appsv1.Deployment) *fakeCluster {
	f := &fakeCluster{t: t, now: t0, rss: map[string]*appsv1.ReplicaSet{}, pods: map[string][]time.Time{},
		broken: map[string]bool{}, readyAfter: 2 * time.Second}
	d = d.DeepCopy()
	d.Namespace, d.UID, d.Generation, d.CreationTimestamp = "default", "d-uid", 1, metav1.NewTime(t0)
	f.d = d
	return f
}

func (f *fakeCluster) nextRV() string {
	f.rv++
	f.writes++
	return fmt.Sprint(f.rv)
}

var rsResource = schema.GroupResource{Group: "apps", Resource: "replicasets"}

func (f *fakeCluster) CreateReplicaSet(rs *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error) {
	if f.failCreate != nil {
		return nil, f.failCreate
	}
	if _, ok := f.rss[rs.Name]; ok {
		return nil, apierrors.NewAlreadyExists(rsResource, rs.Name)
	}
	c := rs.DeepCopy()
	f.uids++
	c.UID = types.UID(fmt.Sprintf("rs-uid-%d", f.uids))
	c.ResourceVersion, c.Generation, c.CreationTimestamp = f.nextRV(), 1, metav1.NewTime(f.now)
	f.rss[c.Name] = c
	return c.DeepCopy(), nil
}

func (f *fakeCluster) GetReplicaSet(_, name string) (*appsv1.ReplicaSet, error) {
	rs, ok := f.rss[name]
	if !ok {
		return nil, apierrors.NewNotFound(rsResource, name)
	}
	return rs.DeepCopy(), nil
}

func (f *fakeCluster) UpdateReplicaSet(rs *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error) {
	old, ok := f.rss[rs.Name]
	if !ok || old.UID != rs.UID {
		return nil, apierrors.NewNotFound(rsResource, rs.Name)
	}
	if rs.ResourceVersion != old.ResourceVersion {
		f.t.Fatalf("update of ReplicaSet %s from a stale read (%s, stored %s)", rs.Name, rs.ResourceVersion, old.ResourceVersion)
	}
	c := rs.DeepCopy()
	c.Status = old.Status
	if !equality.Semantic.DeepEqual(c.Spec, old.Spec) {
		c.Generation = old.Generation + 1
	}
	c.ResourceVersion = f.nextRV()
	f.rss[c.Name] = c
	return c.DeepCopy(), nil
}

func (f *fakeCluster) DeleteReplicaSet(rs *appsv1.ReplicaSet) error {
	old, ok := f.rss[rs.Name]
	if !ok || old.UID != rs.UID {
		return apierrors.NewNotFound(rsResource, rs.Name)
	}
	delete(f.rss, rs.Name)
	delete(f.pods, rs.Name)
	f.writes++
	return nil
}

func (f *fakeCluster) checkDeploymentRV(d *appsv1.Deployment) {
	if d.ResourceVersion != f.d.ResourceVersion {
		f.t.Fatalf("Deployment write from a stale read (%s, stored %s)", d.ResourceVersion, f.d.ResourceVersion)
	}
}

func (f *fakeCluster) UpdateDeployment(d *appsv1.Deployment) (*appsv1.Deployment, error) {
	f.checkDeploymentRV(d)
	c := d.DeepCopy()
	c.Status = f.d.Status
	if !equality.Semantic.DeepEqual(c.Spec, f.d.Spec) || !equality.Semantic.DeepEqual(c.Annotations, f.d.Annotations) {
		c.Generation = f.d.Generation + 1
	}
	c.ResourceVersion = f.nextRV()
	f.d = c
	return c.DeepCopy(), nil
}

func (f *fakeCluster) UpdateDeploymentStatus(d *appsv1.Deployment) (*appsv1.Deployment, error) {
	f.checkDeploymentRV(d)
	c := d.DeepCopy()
	c.Spec, c.Labels, c.Generation = f.d.Spec, f.d.Labels, f.d.Generation
	c.ResourceVersion = f.nextRV()
	f.d = c
	return c.DeepCopy(), nil
}

func (f *fakeCluster) Eventf(_ *appsv1.Deployment, eventType, reason, messageFmt string, args ...any) {
	f.events = append(f.events, eventType+" "+reason+" "+fmt.Sprintf(messageFmt, args...))
}

// edit changes the Deployment as a user would (kubectl set image, scale, rollout pause).
func (f *fakeCluster) edit(change func(d *appsv1.Deployment)) {
	c := f.d.DeepCopy()
	change(c)
	if _, err := f.UpdateDeployment(c); err != nil {
		f.t.Fatal(err)
	}
}

// replicaSets lists the stored ReplicaSets by name, as the store lists them.
func (f *fakeCluster) replicaSets() []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, rs := range f.rss {
		out = append(out, rs.DeepCopy())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// sync runs one sync of the Deployment, as the controller would: claim, gather pods,
// syncDeployment.
func (f *fakeCluster) sync() time.Duration {
	f.t.Helper()
	d := f.d.DeepCopy()
	rss, err := claimReplicaSets(f, d, f.replicaSets())
	if err != nil {
		f.t.Fatal(err)
	}
	pods := map[types.UID][]*corev1.Pod{}
	for _, rs := range rss {
		for range f.pods[rs.Name] {
			pods[rs.UID] = append(pods[rs.UID], &corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodRunning}})
		}
	}
	after, err := syncDeployment(f, d, rss, pods, f.now)
	if err != nil {
		f.t.Fatalf("sync at %v: %v", f.now.Sub(t0), err)
	}
	return after
}

// available counts a ReplicaSet's available pods now.
func (f *fakeCluster) available(rs *appsv1.ReplicaSet) int32 {
	if f.broken[rs.Spec.Template.Spec.Containers[0].Image] {
		return 0
	}
	var n int32
	for _, created := range f.pods[rs.Name] {
		if !f.now.Before(created.Add(f.readyAfter)) {
			n++
		}
	}
	return n
}

// replicaSetController moves each ReplicaSet's pods to its spec (removing the newest
// first, which are also the not-yet-available ones) and writes its status; it reports
// whether anything changed.
func (f *fakeCluster) replicaSetController() bool {
	changed := false
	for _, rs := range f.replicaSets() {
		pods := f.pods[rs.Name]
		for int32(len(pods)) < *rs.Spec.Replicas {
			pods = append(pods, f.now)
		}
		pods = pods[:min(len(pods), int(*rs.Spec.Replicas))]
		f.pods[rs.Name] = pods
		stored := f.rss[rs.Name]
		available := f.available(rs)
		st := appsv1.ReplicaSetStatus{Replicas: int32(len(pods)), FullyLabeledReplicas: int32(len(pods)),
			ReadyReplicas: available, AvailableReplicas: available, ObservedGeneration: rs.Generation}
		if !equality.Semantic.DeepEqual(st, stored.Status) {
			stored.Status = st
			stored.ResourceVersion = f.nextRV()
			changed = true
		}
	}
	return changed
}

// settle runs the Deployment controller and the ReplicaSet stand-in until neither writes,
// calling check after every step; it returns the last sync's requeue.
func (f *fakeCluster) settle(check func()) time.Duration {
	f.t.Helper()
	for i := 0; ; i++ {
		if i > 100 {
			f.t.Fatal("no fixed point at one instant")
		}
		before := f.writes
		after := f.sync()
		if check != nil {
			check()
		}
		rsChanged := f.replicaSetController()
		if check != nil {
			check()
		}
		if f.writes == before && !rsChanged {
			return after
		}
	}
}

// run advances a second at a time, settling at each instant, until done or limit.
func (f *fakeCluster) run(limit time.Duration, check func(), done func() bool) {
	f.t.Helper()
	end := f.now.Add(limit)
	for {
		f.settle(check)
		if done != nil && done() {
			return
		}
		if !f.now.Before(end) {
			if done != nil {
				f.t.Fatalf("not done after %v", limit)
			}
			return
		}
		f.now = f.now.Add(time.Second)
	}
}

func (f *fakeCluster) rolledOut() bool {
	return deploymentComplete(f.d, &f.d.Status) && f.d.Status.ObservedGeneration == f.d.Generation
}

// takeEvents returns the events so far, one per line, and forgets them.
func (f *fakeCluster) takeEvents() string {
	out := strings.Join(f.events, "\n")
	f.events = nil
	return out
}

// rsTable is `kubectl get rs`: NAME DESIRED CURRENT READY, by name.
func (f *fakeCluster) rsTable() string {
	var lines []string
	for _, rs := range f.replicaSets() {
		lines = append(lines, fmt.Sprintf("%s %d %d %d", rs.Name, *rs.Spec.Replicas, rs.Status.Replicas, rs.Status.ReadyReplicas))
	}
	return strings.Join(lines, "\n")
}

// condition is "Status Reason" of a Deployment condition.
func (f *fakeCluster) condition(t appsv1.DeploymentConditionType) string {
	c := getCondition(f.d.Status, t)
	if c == nil {
		return "<none>"
	}
	return string(c.Status) + " " + c.Reason
}

func (f *fakeCluster) conditionMessage(t appsv1.DeploymentConditionType) string {
	if c := getCondition(f.d.Status, t); c != nil {
		return c.Message
	}
	return ""
}

func (f *fakeCluster) rsByImage(image string) *appsv1.ReplicaSet {
	for _, rs := range f.replicaSets() {
		if rs.Spec.Template.Spec.Containers[0].Image == image {
			return rs
		}
	}
	return nil
}

func (f *fakeCluster) totalPods() int32 {
	var n int32
	for _, pods := range f.pods {
		n += int32(len(pods))
	}
	return n
}

func (f *fakeCluster) availablePods() int32 {
	var n int32
	for _, rs := range f.rss {
		n += f.available(rs)
	}
	return n
}

func setImage(image string) func(*appsv1.Deployment) {
	return func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = image }
}

func revisionsByImage(f *fakeCluster) string {
	var out []string
	for _, rs := range f.replicaSets() {
		r := rs.Annotations[AnnotationRevision]
		if h := rs.Annotations[AnnotationRevisionHistory]; h != "" {
			r += " (" + h + ")"
		}
		out = append(out, rs.Spec.Template.Spec.Containers[0].Image+"="+r)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}
