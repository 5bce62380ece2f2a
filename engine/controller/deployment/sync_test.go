package deployment

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

func lines(s ...string) string { return strings.Join(s, "\n") }

// TestDocsDeploymentStory plays the docs' Deployment page through the controller's sync:
// create, update the image, a stuck rollout with a bad tag, the deadline, rollback, scale.
func TestDocsDeploymentStory(t *testing.T) {
	f := newFakeCluster(t, mustDeployment(t, nginxDeploymentYAML))
	f.broken["nginx:1.161"] = true
	const (
		v1  = "nginx-deployment-54fd4d6d4c"
		v2  = "nginx-deployment-76df5b8bb8"
		bad = "nginx-deployment-86769868fd"
	)

	f.run(time.Minute, nil, f.rolledOut)
	if got, want := f.takeEvents(), "Normal ScalingReplicaSet Scaled up replica set "+v1+" from 0 to 3"; got != want {
		t.Errorf("create: events\n%s\nwant\n%s", got, want)
	}
	if got := f.rsTable(); got != v1+" 3 3 3" {
		t.Errorf("create: rs\n%s", got)
	}
	if f.d.Annotations[AnnotationRevision] != "1" || f.condition(appsv1.DeploymentProgressing) != "True NewReplicaSetAvailable" ||
		f.conditionMessage(appsv1.DeploymentProgressing) != `ReplicaSet "`+v1+`" has successfully progressed.` ||
		f.condition(appsv1.DeploymentAvailable) != "True MinimumReplicasAvailable" ||
		f.conditionMessage(appsv1.DeploymentAvailable) != "Deployment has minimum availability." {
		t.Errorf("create: revision %s, conditions %+v", f.d.Annotations[AnnotationRevision], f.d.Status.Conditions)
	}
	st := f.d.Status
	if st.Replicas != 3 || st.UpdatedReplicas != 3 || st.ReadyReplicas != 3 || st.AvailableReplicas != 3 || st.UnavailableReplicas != 0 || st.ObservedGeneration != 1 {
		t.Errorf("create: status %+v", st)
	}

	// kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1: at most 4 pods, at
	// least 3 available, in the docs' order.
	f.edit(setImage("nginx:1.16.1"))
	f.run(time.Minute, func() {
		if n := f.totalPods(); n > 4 {
			t.Fatalf("%d pods", n)
		}
		if n := f.availablePods(); n < 3 {
			t.Fatalf("%d available", n)
		}
	}, f.rolledOut)
	if got, want := f.takeEvents(), lines(
		"Normal ScalingReplicaSet Scaled up replica set "+v2+" from 0 to 1",
		"Normal ScalingReplicaSet Scaled down replica set "+v1+" from 3 to 2",
		"Normal ScalingReplicaSet Scaled up replica set "+v2+" from 1 to 2",
		"Normal ScalingReplicaSet Scaled down replica set "+v1+" from 2 to 1",
		"Normal ScalingReplicaSet Scaled up replica set "+v2+" from 2 to 3",
		"Normal ScalingReplicaSet Scaled down replica set "+v1+" from 1 to 0",
	); got != want {
		t.Errorf("update: events\n%s\nwant\n%s", got, want)
	}
	if got, want := f.rsTable(), lines(v1+" 0 0 0", v2+" 3 3 3"); got != want {
		t.Errorf("update: rs\n%s", got)
	}
	if f.d.Annotations[AnnotationRevision] != "2" {
		t.Errorf("update: revision %s", f.d.Annotations[AnnotationRevision])
	}

	// The typo nginx:1.161: one new pod that never becomes available, the old ones stay.
	f.edit(setImage("nginx:1.161"))
	badAt := f.now
	f.run(10*time.Second, nil, nil)
	if got, want := f.takeEvents(), "Normal ScalingReplicaSet Scaled up replica set "+bad+" from 0 to 1"; got != want {
		t.Errorf("bad: events\n%s", got)
	}
	if got, want := f.rsTable(), lines(v1+" 0 0 0", v2+" 3 3 3", bad+" 1 1 0"); got != want {
		t.Errorf("bad: rs\n%s", got)
	}
	st = f.d.Status
	if st.Replicas != 4 || st.UpdatedReplicas != 1 || st.AvailableReplicas != 3 || st.UnavailableReplicas != 1 ||
		f.condition(appsv1.DeploymentProgressing) != "True ReplicaSetUpdated" ||
		f.conditionMessage(appsv1.DeploymentProgressing) != `ReplicaSet "`+bad+`" is progressing.` ||
		f.condition(appsv1.DeploymentAvailable) != "True MinimumReplicasAvailable" {
		t.Errorf("bad: status %+v", st)
	}
	// No progress since the new pod was created: the controller asks to look again a second
	// after the 600 s deadline, and then says the rollout timed out.
	progress := getCondition(f.d.Status, appsv1.DeploymentProgressing).LastUpdateTime.Time
	if !progress.Equal(badAt) {
		t.Errorf("last progress at %v, want %v", progress.Sub(t0), badAt.Sub(t0))
	}
	after := f.settle(nil)
	if want := badAt.Add(601 * time.Second).Sub(f.now); after != want {
		t.Errorf("requeue after %v, want %v", after, want)
	}
	f.now = f.now.Add(after - time.Second)
	f.settle(nil)
	if f.condition(appsv1.DeploymentProgressing) != "True ReplicaSetUpdated" {
		t.Errorf("at the deadline: %s", f.condition(appsv1.DeploymentProgressing))
	}
	f.now = f.now.Add(time.Second)
	if after := f.settle(nil); after != 0 {
		t.Errorf("requeue after the timeout: %v", after)
	}
	if f.condition(appsv1.DeploymentProgressing) != "False ProgressDeadlineExceeded" ||
		f.conditionMessage(appsv1.DeploymentProgressing) != `ReplicaSet "`+bad+`" has timed out progressing.` {
		t.Errorf("deadline: %+v", f.d.Status.Conditions)
	}
	if f.d.Annotations[AnnotationRevision] != "3" {
		t.Errorf("bad: revision %s", f.d.Annotations[AnnotationRevision])
	}

	// Rollback through the deprecated rollbackTo annotation (what the controller handles):
	// back to revision 2's template, which becomes revision 4, and the bad pod goes.
	f.edit(func(d *appsv1.Deployment) { d.Annotations[appsv1.DeprecatedRollbackTo] = "0" })
	f.run(time.Minute, nil, f.rolledOut)
	if got, want := f.takeEvents(), lines(
		`Normal DeploymentRollback Rolled back deployment "nginx-deployment" to revision 2`,
		"Normal ScalingReplicaSet Scaled down replica set "+bad+" from 1 to 0",
	); got != want {
		t.Errorf("rollback: events\n%s\nwant\n%s", got, want)
	}
	if got, want := revisionsByImage(f), "nginx:1.14.2=1 nginx:1.16.1=4 (2) nginx:1.161=3"; got != want {
		t.Errorf("rollback: revisions %s", got)
	}
	if f.d.Annotations[AnnotationRevision] != "4" || f.d.Annotations[appsv1.DeprecatedRollbackTo] != "" ||
		f.condition(appsv1.DeploymentProgressing) != "True NewReplicaSetAvailable" {
		t.Errorf("rollback: annotations %v, progressing %s", f.d.Annotations, f.condition(appsv1.DeploymentProgressing))
	}

	// kubectl scale deployment/nginx-deployment --replicas=10: one active ReplicaSet takes all.
	f.edit(func(d *appsv1.Deployment) { d.Spec.Replicas = ptr.To[int32](10) })
	f.run(time.Minute, nil, f.rolledOut)
	if got, want := f.takeEvents(), "Normal ScalingReplicaSet Scaled up replica set "+v2+" from 3 to 10"; got != want {
		t.Errorf("scale: events\n%s", got)
	}
	if rs := f.rsByImage("nginx:1.16.1"); rs.Annotations[AnnotationDesiredReplicas] != "10" || rs.Annotations[AnnotationMaxReplicas] != "13" {
		t.Errorf("scale: annotations %v", rs.Annotations)
	}
}

// TestRollingUpdateBounds walks every instant of rollouts and checks the pods the strategy
// allows: for 4 replicas at 25%/25% never more than 5 pods nor fewer than 3 available.
func TestRollingUpdateBounds(t *testing.T) {
	for _, c := range []struct {
		replicas           int32
		surge, unavailable string
		readyAfter         time.Duration
	}{
		{4, "25%", "25%", 2 * time.Second},
		{4, "25%", "25%", 0},
		{3, "25%", "25%", 5 * time.Second},
		{10, "3", "2", 3 * time.Second},
		{10, "0", "30%", time.Second},
		{5, "100%", "0", time.Second},
		{1000, "25%", "25%", 4 * time.Second},
	} {
		t.Run(fmt.Sprintf("%d-%s-%s-%v", c.replicas, c.surge, c.unavailable, c.readyAfter), func(t *testing.T) {
			d := mustDeployment(t, nginxDeploymentYAML)
			d.Spec.Replicas = &c.replicas
			d.Spec.Strategy.RollingUpdate = rolling(0, c.surge, c.unavailable).Spec.Strategy.RollingUpdate
			f := newFakeCluster(t, d)
			f.readyAfter = c.readyAfter
			f.run(time.Minute, nil, f.rolledOut)
			f.takeEvents()
			surge, unavailable, _ := resolveFenceposts(d.Spec.Strategy.RollingUpdate.MaxSurge, d.Spec.Strategy.RollingUpdate.MaxUnavailable, c.replicas)
			maxPods, minAvailable := c.replicas+surge, c.replicas-unavailable
			var most, least int32 = 0, c.replicas
			f.edit(setImage("nginx:1.16.1"))
			f.run(10*time.Minute, func() {
				pods, avail := f.totalPods(), f.availablePods()
				most, least = max(most, pods), min(least, avail)
				if pods > maxPods || avail < minAvailable {
					t.Fatalf("at %v: %d pods (at most %d), %d available (at least %d)\n%s", f.now.Sub(t0), pods, maxPods, avail, minAvailable, f.rsTable())
				}
			}, f.rolledOut)
			if most != maxPods || least != minAvailable {
				t.Logf("bounds reached: %d pods of %d, %d available of %d", most, maxPods, least, minAvailable)
			}
			if rs := f.rsByImage("nginx:1.14.2"); *rs.Spec.Replicas != 0 || rs.Status.Replicas != 0 {
				t.Errorf("old ReplicaSet left with %d", *rs.Spec.Replicas)
			}
		})
	}
}

func TestRecreate(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	f := newFakeCluster(t, d)
	f.run(time.Minute, nil, f.rolledOut)
	f.takeEvents()
	f.edit(setImage("nginx:1.16.1"))
	sawNone := false
	f.run(time.Minute, func() {
		old, cur := f.rsByImage("nginx:1.14.2"), f.rsByImage("nginx:1.16.1")
		if cur != nil && f.pods[cur.Name] != nil && len(f.pods[old.Name]) > 0 {
			t.Fatalf("old and new pods together:\n%s", f.rsTable())
		}
		if f.totalPods() == 0 {
			sawNone = true
		}
	}, f.rolledOut)
	if !sawNone {
		t.Error("never went through zero pods")
	}
	if got, want := f.takeEvents(), lines(
		"Normal ScalingReplicaSet Scaled down replica set nginx-deployment-54fd4d6d4c from 3 to 0",
		"Normal ScalingReplicaSet Scaled up replica set nginx-deployment-76df5b8bb8 from 0 to 3",
	); got != want {
		t.Errorf("events\n%s\nwant\n%s", got, want)
	}
	if rs := f.rsByImage("nginx:1.16.1"); rs.Annotations[AnnotationMaxReplicas] != "3" {
		t.Errorf("recreate has no surge: %v", rs.Annotations)
	}
}

// TestProportionalScalingMidRollout is the docs' example: 10 replicas with maxSurge 3 and
// maxUnavailable 2 stuck on an image that does not pull, scaled to 15.
func TestProportionalScalingMidRollout(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.Spec.Replicas = ptr.To[int32](10)
	d.Spec.Strategy.RollingUpdate = rolling(0, "3", "2").Spec.Strategy.RollingUpdate
	f := newFakeCluster(t, d)
	f.broken["nginx:sometag"] = true
	f.run(time.Minute, nil, f.rolledOut)
	f.edit(setImage("nginx:sometag"))
	f.run(30*time.Second, nil, nil)
	old, stuck := f.rsByImage("nginx:1.14.2"), f.rsByImage("nginx:sometag")
	if *old.Spec.Replicas != 8 || *stuck.Spec.Replicas != 5 {
		t.Fatalf("stuck at\n%s", f.rsTable())
	}
	f.takeEvents()
	f.edit(func(d *appsv1.Deployment) { d.Spec.Replicas = ptr.To[int32](15) })
	f.run(5*time.Second, nil, nil)
	old, stuck = f.rsByImage("nginx:1.14.2"), f.rsByImage("nginx:sometag")
	if *old.Spec.Replicas != 11 || *stuck.Spec.Replicas != 7 {
		t.Errorf("after scaling to 15:\n%s", f.rsTable())
	}
	if got, want := f.takeEvents(), lines(
		"Normal ScalingReplicaSet Scaled up replica set "+old.Name+" from 8 to 11",
		"Normal ScalingReplicaSet Scaled up replica set "+stuck.Name+" from 5 to 7",
	); got != want {
		t.Errorf("events\n%s\nwant\n%s", got, want)
	}
	if st := f.d.Status; st.Replicas != 18 || st.UpdatedReplicas != 7 || st.AvailableReplicas != 11 {
		t.Errorf("status %+v", st)
	}
}

func TestPauseAndResume(t *testing.T) {
	f := newFakeCluster(t, mustDeployment(t, nginxDeploymentYAML))
	f.run(time.Minute, nil, f.rolledOut)
	f.takeEvents()
	f.edit(func(d *appsv1.Deployment) { d.Spec.Paused = true })
	f.run(5*time.Second, nil, nil)
	if f.condition(appsv1.DeploymentProgressing) != "Unknown DeploymentPaused" || f.conditionMessage(appsv1.DeploymentProgressing) != "Deployment is paused" {
		t.Errorf("paused: %+v", f.d.Status.Conditions)
	}
	// Several changes while paused: no new ReplicaSet, no revision.
	f.edit(setImage("nginx:1.16.1"))
	f.edit(func(d *appsv1.Deployment) {
		d.Spec.Template.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("200m")}
	})
	f.run(20*time.Minute, nil, nil) // longer than the deadline: paused time does not count
	if len(f.rss) != 1 || f.takeEvents() != "" || f.d.Annotations[AnnotationRevision] != "1" {
		t.Errorf("paused: %d ReplicaSets, revision %s", len(f.rss), f.d.Annotations[AnnotationRevision])
	}
	// Scaling while paused still scales.
	f.edit(func(d *appsv1.Deployment) { d.Spec.Replicas = ptr.To[int32](4) })
	f.run(5*time.Second, nil, nil)
	if got := f.takeEvents(); got != "Normal ScalingReplicaSet Scaled up replica set nginx-deployment-54fd4d6d4c from 3 to 4" {
		t.Errorf("scale while paused: %s", got)
	}
	f.edit(func(d *appsv1.Deployment) { d.Spec.Paused = false })
	f.settle(nil)
	if f.condition(appsv1.DeploymentProgressing) != "True NewReplicaSetCreated" && f.condition(appsv1.DeploymentProgressing) != "True ReplicaSetUpdated" {
		t.Errorf("resumed: %+v", f.d.Status.Conditions)
	}
	f.run(time.Minute, nil, f.rolledOut)
	if len(f.rss) != 2 || f.d.Annotations[AnnotationRevision] != "2" || f.condition(appsv1.DeploymentProgressing) != "True NewReplicaSetAvailable" {
		t.Errorf("resumed: %d ReplicaSets, revision %s\n%s", len(f.rss), f.d.Annotations[AnnotationRevision], f.rsTable())
	}
	for _, e := range strings.Split(f.takeEvents(), "\n")[:1] {
		if !strings.Contains(e, "Scaled up replica set nginx-deployment-") || !strings.HasSuffix(e, "from 0 to 1") {
			t.Errorf("first event after resume: %s", e)
		}
	}
}

func TestRevisionHistoryLimit(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.Spec.RevisionHistoryLimit = ptr.To[int32](2)
	f := newFakeCluster(t, d)
	for i := 0; i < 5; i++ {
		f.edit(setImage(fmt.Sprintf("nginx:1.%d", 20+i)))
		f.run(time.Minute, nil, f.rolledOut)
		f.settle(nil) // complete: the next sync cleans up
	}
	if got := revisionsByImage(f); got != "nginx:1.22=3 nginx:1.23=4 nginx:1.24=5" {
		t.Errorf("kept %s", got)
	}
	if got := f.rsByImage("nginx:1.22"); got == nil {
		t.Fatal("the oldest kept is gone")
	}
}

func TestAdoptAndRelease(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.Namespace, d.UID = "default", "d-uid"
	sel, _ := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	owned := func(name string, uid string, lbl string) *appsv1.ReplicaSet {
		rs := rsAt(name, 0, 1, 1, 1)
		rs.Labels = map[string]string{"app": lbl}
		if uid != "" {
			rs.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "x", UID: "x", Controller: ptr.To(uid == "d-uid")}}
			rs.OwnerReferences[0].UID = types.UID(uid)
		}
		return rs
	}
	deleting := owned("orphan-deleting", "", "nginx")
	deleting.DeletionTimestamp = ptr.To(metav1.NewTime(t0))
	otherNS := owned("other-ns", "", "nginx")
	otherNS.Namespace = "other"
	cases := []struct {
		rs   *appsv1.ReplicaSet
		want claim
	}{
		{owned("ours", "d-uid", "nginx"), claimKeep},
		{owned("ours-relabelled", "d-uid", "other"), claimRelease},
		{owned("orphan", "", "nginx"), claimAdopt},
		{owned("orphan-other", "", "other"), claimIgnore},
		{deleting, claimIgnore},
		{otherNS, claimIgnore},
	}
	for _, c := range cases {
		if got := claimFor(d, sel, c.rs); got != c.want {
			t.Errorf("%s: %v, want %v", c.rs.Name, got, c.want)
		}
	}
	// Another controller's ReplicaSet (a controller reference with another uid).
	theirs := owned("theirs", "d-uid", "nginx")
	theirs.OwnerReferences[0].UID = "someone-else"
	theirs.OwnerReferences[0].Controller = ptr.To(true)
	if got := claimFor(d, sel, theirs); got != claimIgnore {
		t.Errorf("theirs: %v", got)
	}
	// A Deployment being deleted keeps what it has and takes nothing.
	d.DeletionTimestamp = ptr.To(metav1.NewTime(t0))
	if claimFor(d, sel, owned("ours-relabelled", "d-uid", "other")) != claimIgnore || claimFor(d, sel, owned("orphan", "", "nginx")) != claimIgnore {
		t.Error("deleting Deployment")
	}
	if claimFor(d, labels.Everything(), owned("ours", "d-uid", "x")) != claimKeep {
		t.Error("ours while deleting")
	}

	// Adopting an orphan ReplicaSet of the same template: it becomes the new ReplicaSet,
	// no other is created (the docs: "remove existing Deployments and adopt all their
	// resources with new Deployments").
	f := newFakeCluster(t, mustDeployment(t, nginxDeploymentYAML))
	orphan := newReplicaSet(f.d, "1")
	orphan.OwnerReferences = nil
	*orphan.Spec.Replicas = 3
	if _, err := f.CreateReplicaSet(orphan); err != nil {
		t.Fatal(err)
	}
	f.run(time.Minute, nil, f.rolledOut)
	if len(f.rss) != 1 || f.takeEvents() != "" {
		t.Errorf("adoption:\n%s", f.rsTable())
	}
	if ref := metav1.GetControllerOf(f.rss[orphan.Name]); ref == nil || ref.UID != f.d.UID {
		t.Errorf("not adopted: %+v", f.rss[orphan.Name].OwnerReferences)
	}
}

func TestHashCollision(t *testing.T) {
	f := newFakeCluster(t, mustDeployment(t, nginxDeploymentYAML))
	// Someone else's ReplicaSet holds the name the template's hash gives.
	squatter := newReplicaSet(f.d, "1")
	squatter.OwnerReferences = nil
	squatter.Labels = map[string]string{"app": "squatter"}
	squatter.Spec.Template.Spec.Containers[0].Image = "busybox"
	if _, err := f.CreateReplicaSet(squatter); err != nil {
		t.Fatal(err)
	}
	d := f.d.DeepCopy()
	rss, _ := claimReplicaSets(f, d, f.replicaSets())
	if _, err := syncDeployment(f, d, rss, nil, f.now); err == nil {
		t.Fatal("the first try should fail with the name taken")
	}
	if f.d.Status.CollisionCount == nil || *f.d.Status.CollisionCount != 1 {
		t.Fatalf("collisionCount %v", f.d.Status.CollisionCount)
	}
	f.run(time.Minute, nil, f.rolledOut)
	if rs := f.rsByImage("nginx:1.14.2"); rs == nil || rs.Name != "nginx-deployment-77b67654cd" {
		t.Errorf("after the collision:\n%s", f.rsTable())
	}
	if *f.d.Status.CollisionCount != 1 {
		t.Errorf("collisionCount %d", *f.d.Status.CollisionCount)
	}
}

func TestCreateFailure(t *testing.T) {
	f := newFakeCluster(t, mustDeployment(t, nginxDeploymentYAML))
	f.failCreate = errors.New(`replicasets.apps "nginx-deployment-54fd4d6d4c" is forbidden: exceeded quota`)
	d := f.d.DeepCopy()
	if _, err := syncDeployment(f, d, nil, nil, f.now); err == nil {
		t.Fatal("no error")
	}
	msg := `Failed to create new replica set "nginx-deployment-54fd4d6d4c": replicasets.apps "nginx-deployment-54fd4d6d4c" is forbidden: exceeded quota`
	if f.condition(appsv1.DeploymentProgressing) != "False ReplicaSetCreateError" || f.conditionMessage(appsv1.DeploymentProgressing) != msg {
		t.Errorf("condition %+v", f.d.Status.Conditions)
	}
	if got := f.takeEvents(); got != "Warning ReplicaSetCreateError "+msg {
		t.Errorf("events %s", got)
	}
	f.failCreate = nil
	f.run(time.Minute, nil, f.rolledOut)
}

func TestSelectingAll(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.Spec.Selector = &metav1.LabelSelector{}
	d.Generation = 2
	f := newFakeCluster(t, d)
	f.d.Generation = 2
	f.settle(nil)
	if got := f.takeEvents(); !strings.HasPrefix(got, "Warning SelectingAll This deployment is selecting all pods. A non-empty selector is required.") {
		t.Errorf("events %s", got)
	}
	if f.d.Status.ObservedGeneration != 2 || len(f.rss) != 0 {
		t.Errorf("status %+v, %d ReplicaSets", f.d.Status, len(f.rss))
	}
}
