package deployment

import (
	"fmt"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// rolling is a RollingUpdate Deployment with maxSurge and maxUnavailable written as in YAML
// (a number or a percentage).
func rolling(replicas int32, surge, unavailable string) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "web-uid", Generation: 1},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To(replicas), Strategy: appsv1.DeploymentStrategy{
			Type: appsv1.RollingUpdateDeploymentStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDeployment{
				MaxSurge: ptr.To(intstr.Parse(surge)), MaxUnavailable: ptr.To(intstr.Parse(unavailable))},
		}},
	}
}

func recreate(replicas int32) *appsv1.Deployment {
	d := rolling(replicas, "0", "0")
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	return d
}

func TestResolveFenceposts(t *testing.T) {
	cases := []struct {
		surge, unavailable string
		desired            int32
		wantSurge, wantU   int32
	}{
		{"25%", "25%", 3, 1, 0}, // the docs: at most 4 pods, at least 3 available
		{"25%", "25%", 4, 1, 1}, // between 3 and 5 pods
		{"25%", "25%", 10, 3, 2},
		{"25%", "25%", 1000, 250, 250},
		{"25%", "25%", 0, 0, 1},
		{"0", "0", 5, 0, 1}, // both zero: one may be unavailable
		{"0%", "1%", 2, 0, 1},
		{"1%", "25%", 2, 1, 0},
		{"1%", "0%", 1, 1, 0},
		{"1", "0", 3, 1, 0},
		{"30%", "30%", 10, 3, 3},
		{"33%", "33%", 10, 4, 3}, // surge rounds up, unavailable down
		{"3", "2", 10, 3, 2},
		{"100%", "100%", 7, 7, 7},
	}
	for _, c := range cases {
		s, u, err := resolveFenceposts(ptr.To(intstr.Parse(c.surge)), ptr.To(intstr.Parse(c.unavailable)), c.desired)
		if err != nil || s != c.wantSurge || u != c.wantU {
			t.Errorf("surge %s unavailable %s of %d: %d, %d, %v; want %d, %d", c.surge, c.unavailable, c.desired, s, u, err, c.wantSurge, c.wantU)
		}
	}
	if _, _, err := resolveFenceposts(ptr.To(intstr.FromString("abc")), nil, 3); err == nil {
		t.Error("a value that is neither a number nor a percentage")
	}
	if s, u, _ := resolveFenceposts(nil, nil, 3); s != 0 || u != 1 {
		t.Errorf("unset: %d %d", s, u)
	}

	if got := maxUnavailable(rolling(3, "0", "5")); got != 3 {
		t.Errorf("maxUnavailable beyond replicas: %d", got)
	}
	if got := maxUnavailable(rolling(0, "25%", "25%")); got != 0 {
		t.Errorf("maxUnavailable of no replicas: %d", got)
	}
	if s, u := maxSurge(recreate(3)), maxUnavailable(recreate(3)); s != 0 || u != 0 {
		t.Errorf("recreate: %d %d", s, u)
	}
}

func TestNewRSNewReplicas(t *testing.T) {
	cases := []struct {
		name        string
		d           *appsv1.Deployment
		newSize     int32
		oldSizes    []int32
		want        int32
		wantErrText string
	}{
		{"a new ReplicaSet of a new Deployment", rolling(3, "25%", "25%"), 0, nil, 3, ""},
		{"surge of one", rolling(3, "25%", "25%"), 0, []int32{3}, 1, ""},
		{"surge used up", rolling(3, "25%", "25%"), 1, []int32{3}, 1, ""},
		{"room after a scale-down", rolling(3, "25%", "25%"), 1, []int32{2}, 2, ""},
		{"never beyond replicas", rolling(3, "25%", "25%"), 2, []int32{0}, 3, ""},
		{"surge 3 of 10", rolling(10, "3", "2"), 0, []int32{10}, 3, ""},
		{"over the maximum already (scaled down)", rolling(10, "3", "2"), 5, []int32{10}, 5, ""},
		{"percent surge of 1000", rolling(1000, "25%", "25%"), 0, []int32{1000}, 250, ""},
		{"recreate", recreate(5), 0, []int32{5}, 5, ""},
	}
	for _, c := range cases {
		newRS := rsAt("new", 10, c.newSize, 0, 0)
		all := []*appsv1.ReplicaSet{newRS}
		for i, s := range c.oldSizes {
			all = append(all, rsAt(fmt.Sprintf("old%d", i), i, s, s, s))
		}
		got, err := newRSNewReplicas(c.d, all, newRS)
		if err != nil || got != c.want {
			t.Errorf("%s: %d, %v; want %d", c.name, got, err, c.want)
		}
	}
	bad := rolling(3, "25%", "25%")
	bad.Spec.Strategy.Type = "BlueGreen"
	if _, err := newRSNewReplicas(bad, nil, rsAt("n", 0, 0, 0, 0)); err == nil || err.Error() != "deployment type BlueGreen isn't supported" {
		t.Errorf("unknown strategy: %v", err)
	}
}

func TestScaledReplicaSet(t *testing.T) {
	d := rolling(4, "25%", "25%")
	current := rsAt("web-1", 0, 4, 4, 4, AnnotationDesiredReplicas, "4", AnnotationMaxReplicas, "5")
	stale := rsAt("web-1", 0, 4, 4, 4, AnnotationDesiredReplicas, "3", AnnotationMaxReplicas, "4")
	cases := []struct {
		name    string
		rs      *appsv1.ReplicaSet
		to      int32
		force   bool
		write   bool
		message string
	}{
		{"same size, lazy", stale, 4, false, false, ""},
		{"same size, forced, annotations current", current, 4, true, false, ""},
		{"same size, forced, annotations stale", stale, 4, true, true, ""},
		{"up", current, 6, false, true, "Scaled up replica set web-1 from 4 to 6"},
		{"down", current, 0, false, true, "Scaled down replica set web-1 from 4 to 0"},
		{"down, forced", stale, 1, true, true, "Scaled down replica set web-1 from 4 to 1"},
	}
	for _, c := range cases {
		got, msg := scaledReplicaSet(c.rs, c.to, d, c.force)
		if (got != nil) != c.write || msg != c.message {
			t.Errorf("%s: write %v, message %q", c.name, got != nil, msg)
			continue
		}
		if got == nil {
			continue
		}
		if *got.Spec.Replicas != c.to || got.Annotations[AnnotationDesiredReplicas] != "4" || got.Annotations[AnnotationMaxReplicas] != "5" {
			t.Errorf("%s: replicas %d, annotations %v", c.name, *got.Spec.Replicas, got.Annotations)
		}
		if *c.rs.Spec.Replicas != 4 {
			t.Errorf("%s: the input changed", c.name)
		}
	}
}

// sized is a ReplicaSet of a given size whose replicas annotations say it was last scaled
// for a Deployment of desired replicas (and maxReplicas with its surge).
func sized(name string, created int, size, desired, maxReplicas int32) *appsv1.ReplicaSet {
	return rsAt(name, created, size, size, size, AnnotationDesiredReplicas, fmt.Sprint(desired), AnnotationMaxReplicas, fmt.Sprint(maxReplicas))
}

// stepsText renders scale steps as "name=size" (with a * when forced).
func stepsText(steps []scaleStep) string {
	var out []string
	for _, s := range steps {
		f := ""
		if s.force {
			f = "*"
		}
		out = append(out, fmt.Sprintf("%s=%d%s", s.rs.Name, s.to, f))
	}
	return strings.Join(out, " ")
}

func TestScaleSteps(t *testing.T) {
	// The Deployment's old size, as the annotations of its ReplicaSets recorded it, is
	// `desired`; surge and unavailable 0 resolve to surge 0, as in upstream's tables.
	cases := []struct {
		name   string
		d      *appsv1.Deployment
		newRS  *appsv1.ReplicaSet
		oldRSs []*appsv1.ReplicaSet
		want   string
	}{
		{"one active: 10 -> 12", rolling(12, "0", "0"), sized("v1", 20, 10, 10, 10), nil, "v1=12"},
		{"one active: 10 -> 5", rolling(5, "0", "0"), sized("v1", 20, 10, 10, 10), nil, "v1=5"},
		{"one active and the right size", rolling(5, "0", "0"), sized("v1", 20, 5, 5, 5), nil, ""},
		{"proportional: 5 -> 10", rolling(10, "0", "0"), sized("v2", 20, 2, 5, 5), []*appsv1.ReplicaSet{sized("v1", 10, 3, 5, 5)}, "v1=6* v2=4*"},
		{"proportional: 5 -> 3", rolling(3, "0", "0"), sized("v2", 20, 2, 5, 5), []*appsv1.ReplicaSet{sized("v1", 10, 3, 5, 5)}, "v1=2* v2=1*"},
		{"proportional: 9 -> 4", rolling(4, "0", "0"), sized("v2", 20, 8, 9, 9), []*appsv1.ReplicaSet{sized("v1", 10, 1, 9, 9)}, "v2=4* v1=0*"},
		{"proportional: 7 -> 10", rolling(10, "0", "0"), sized("v3", 20, 2, 7, 7), []*appsv1.ReplicaSet{sized("v2", 10, 3, 7, 7), sized("v1", 0, 2, 7, 7)}, "v2=4* v3=3* v1=3*"},
		{"proportional: 13 -> 8", rolling(8, "0", "0"), sized("v3", 20, 2, 13, 13), []*appsv1.ReplicaSet{sized("v2", 10, 8, 13, 13), sized("v1", 0, 3, 13, 13)}, "v2=5* v1=2* v3=1*"},
		{"leftover to the newest of the biggest: 3 -> 4", rolling(4, "0", "0"), sized("v3", 20, 1, 3, 3), []*appsv1.ReplicaSet{sized("v2", 10, 1, 3, 3), sized("v1", 0, 1, 3, 3)}, "v3=2* v2=1* v1=1*"},
		{"leftover from the oldest of the biggest: 3 -> 2", rolling(2, "0", "0"), sized("v3", 20, 1, 3, 3), []*appsv1.ReplicaSet{sized("v2", 10, 1, 3, 3), sized("v1", 0, 1, 3, 3)}, "v1=0* v2=1* v3=1*"},
		{"no new ReplicaSet: 4 -> 5", rolling(5, "0", "0"), nil, []*appsv1.ReplicaSet{sized("v2", 10, 2, 4, 4), sized("v1", 0, 2, 4, 4)}, "v2=3* v1=2*"},
		{"to zero", rolling(0, "0", "0"), sized("v3", 20, 3, 6, 6), []*appsv1.ReplicaSet{sized("v2", 10, 2, 6, 6), sized("v1", 0, 1, 6, 6)}, "v3=0* v2=0* v1=0*"},
		{"from zero: the new one takes all", rolling(6, "0", "0"), sized("v3", 20, 0, 6, 6), []*appsv1.ReplicaSet{sized("v2", 10, 0, 6, 6), sized("v1", 0, 0, 6, 6)}, "v3=6"},
		{"with surge: 10 -> 20", rolling(20, "2", "0"), sized("v2", 20, 6, 10, 12), []*appsv1.ReplicaSet{sized("v1", 10, 6, 10, 12)}, "v2=11* v1=11*"},
		{"surge and size change: 10+3 -> 50+6", rolling(50, "6", "0"), sized("v2", 20, 5, 10, 13), []*appsv1.ReplicaSet{sized("v1", 10, 8, 10, 13)}, "v1=34* v2=22*"},
		// The docs' proportional scaling: 10 replicas, maxSurge 3, maxUnavailable 2, a
		// stuck rollout at 8 old and 5 new, scaled to 15: 3 more old, 2 more new.
		{"the docs: 10 -> 15 mid-rollout", rolling(15, "3", "2"), sized("new", 20, 5, 10, 13), []*appsv1.ReplicaSet{sized("old", 10, 8, 10, 13)}, "old=11* new=7*"},
		{"no annotation: the Deployment's status.replicas is the base", rolling(10, "0", "0"), rsAt("v2", 20, 2, 2, 2), []*appsv1.ReplicaSet{rsAt("v1", 10, 3, 3, 3)}, "v1=6* v2=4*"},
		{"recreate: nothing proportional", recreate(10), rsAt("v2", 20, 2, 2, 2), []*appsv1.ReplicaSet{rsAt("v1", 10, 3, 3, 3)}, ""},
	}
	for _, c := range cases {
		c.d.Status.Replicas = 5
		if got := stepsText(scaleSteps(c.d, c.newRS, c.oldRSs)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}

	// A saturated new ReplicaSet (its annotation agrees, all available) takes the old ones
	// to zero; one whose pods are not all available does not.
	d := rolling(2, "1", "1")
	saturated := sized("v2", 20, 2, 2, 3)
	if got := stepsText(scaleSteps(d, saturated, []*appsv1.ReplicaSet{sized("v1", 10, 1, 2, 3)})); got != "v1=0" {
		t.Errorf("saturated: %q", got)
	}
	broken := sized("v2", 20, 2, 2, 3)
	broken.Status.AvailableReplicas = 0
	// Nothing to add or remove: only the annotations are refreshed, old ones first.
	if got := stepsText(scaleSteps(d, broken, []*appsv1.ReplicaSet{sized("v1", 10, 1, 2, 3)})); got != "v1=1* v2=2*" {
		t.Errorf("saturated but broken: %q", got)
	}
}

func TestIsScalingEvent(t *testing.T) {
	d := rolling(5, "25%", "25%")
	if isScalingEvent(d, sized("v2", 1, 5, 5, 7), []*appsv1.ReplicaSet{sized("v1", 0, 0, 3, 4)}) {
		t.Error("an inactive old ReplicaSet's annotation does not count")
	}
	if !isScalingEvent(d, sized("v2", 1, 3, 3, 4), nil) {
		t.Error("the new ReplicaSet was scaled for 3")
	}
	if isScalingEvent(d, nil, []*appsv1.ReplicaSet{rsAt("v1", 0, 3, 3, 3)}) {
		t.Error("no annotation")
	}
	if !isScalingEvent(d, nil, []*appsv1.ReplicaSet{rsAt("v1", 0, 3, 3, 3, AnnotationDesiredReplicas, "3")}) {
		t.Error("an old one scaled for 3")
	}
}

func TestOldReplicaSetsScaleDown(t *testing.T) {
	cases := []struct {
		name       string
		d          *appsv1.Deployment
		newRS      *appsv1.ReplicaSet // spec, status replicas, available
		oldRSs     []*appsv1.ReplicaSet
		want       string
		wantScaled bool
	}{
		{"new pod available: one old goes", rolling(3, "1", "0"), rsAt("new", 20, 1, 1, 1), []*appsv1.ReplicaSet{rsAt("old", 0, 3, 3, 3)}, "old=2", true},
		{"new pod not available: none goes", rolling(3, "1", "0"), rsAt("new", 20, 1, 1, 0), []*appsv1.ReplicaSet{rsAt("old", 0, 3, 3, 3)}, "", false},
		{"10 replicas, 2 unavailable allowed", rolling(10, "3", "2"), rsAt("new", 20, 3, 3, 0), []*appsv1.ReplicaSet{rsAt("old", 0, 10, 10, 10)}, "old=8", true},
		{"unhealthy old replicas go first, oldest first", rolling(10, "3", "2"), rsAt("new", 20, 0, 0, 0),
			[]*appsv1.ReplicaSet{rsAt("old2", 10, 5, 5, 4), rsAt("old1", 0, 5, 5, 4)}, "old1=4 old2=4", true},
		{"unhealthy first, then available ones", rolling(10, "3", "2"), rsAt("new", 20, 3, 3, 3),
			[]*appsv1.ReplicaSet{rsAt("old2", 10, 4, 4, 4), rsAt("old1", 0, 6, 6, 5)}, "old1=5 old1=1", true},
		{"cleanup limited by the budget", rolling(10, "0", "2"), rsAt("new", 20, 0, 0, 0),
			[]*appsv1.ReplicaSet{rsAt("old1", 0, 10, 10, 7)}, "old1=8", true},
		{"a status ahead of its spec stops everything", rolling(10, "3", "2"), rsAt("new", 20, 3, 3, 0),
			[]*appsv1.ReplicaSet{rsAt("old2", 10, 5, 5, 2), rsAt("old1", 0, 5, 5, 6)}, "", false},
		{"steps found before the stop stand", rolling(10, "3", "2"), rsAt("new", 20, 3, 3, 0),
			[]*appsv1.ReplicaSet{rsAt("old2", 10, 5, 5, 6), rsAt("old1", 0, 5, 5, 4)}, "old1=4", false},
		{"no old replicas", rolling(3, "1", "0"), rsAt("new", 20, 3, 3, 3), []*appsv1.ReplicaSet{rsAt("old", 0, 0, 0, 0)}, "", false},
		// The docs' rollback: 3 new (good) pods, 1 bad old pod: the bad one goes.
		{"rollback: the bad pod goes", rolling(3, "25%", "25%"), rsAt("good", 0, 3, 3, 3), []*appsv1.ReplicaSet{rsAt("bad", 20, 1, 1, 0)}, "bad=0", true},
	}
	for _, c := range cases {
		all := append([]*appsv1.ReplicaSet{c.newRS}, c.oldRSs...)
		steps, scaled := oldReplicaSetsScaleDown(all, activeReplicaSets(c.oldRSs), c.newRS, c.d)
		if got := stepsText(steps); got != c.want || scaled != c.wantScaled {
			t.Errorf("%s: %q scaled %v, want %q %v", c.name, got, scaled, c.want, c.wantScaled)
		}
	}
}

func TestRecreateDecisions(t *testing.T) {
	olds := []*appsv1.ReplicaSet{rsAt("a", 0, 2, 2, 2), rsAt("b", 1, 0, 0, 0), rsAt("c", 2, 1, 1, 1)}
	if got := stepsText(recreateScaleDown(activeReplicaSets(olds))); got != "a=0 c=0" {
		t.Errorf("scale down: %q", got)
	}
	pod := func(phase corev1.PodPhase) *corev1.Pod { return &corev1.Pod{Status: corev1.PodStatus{Phase: phase}} }
	newRS := rsAt("new", 5, 0, 0, 0)
	cases := []struct {
		name   string
		oldRSs []*appsv1.ReplicaSet
		pods   map[types.UID][]*corev1.Pod
		want   bool
	}{
		{"an old ReplicaSet still reports pods", []*appsv1.ReplicaSet{rsAt("a", 0, 0, 1, 0)}, nil, true},
		{"an old pod still running", []*appsv1.ReplicaSet{rsAt("a", 0, 0, 0, 0)}, map[types.UID][]*corev1.Pod{"a-uid": {pod(corev1.PodRunning)}}, true},
		{"an old pod of unknown phase", nil, map[types.UID][]*corev1.Pod{"a-uid": {pod(corev1.PodUnknown)}}, true},
		{"an old pod pending", nil, map[types.UID][]*corev1.Pod{"a-uid": {pod(corev1.PodPending)}}, true},
		{"old pods all ended", nil, map[types.UID][]*corev1.Pod{"a-uid": {pod(corev1.PodSucceeded), pod(corev1.PodFailed)}}, false},
		{"only the new ReplicaSet's pods", nil, map[types.UID][]*corev1.Pod{"new-uid": {pod(corev1.PodRunning)}}, false},
		{"nothing", nil, nil, false},
	}
	for _, c := range cases {
		if got := oldPodsRunning(newRS, c.oldRSs, c.pods); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}

func TestReplicaSetsToCleanUp(t *testing.T) {
	rev := func(name string, created int, revision string, spec, status int32) *appsv1.ReplicaSet {
		rs := rsAt(name, created, spec, status, status, AnnotationRevision, revision)
		rs.Generation, rs.Status.ObservedGeneration = 1, 1
		return rs
	}
	lagging := rev("lagging", 2, "2", 0, 0)
	lagging.Generation = 2
	deleting := rev("deleting", 0, "0", 0, 0)
	deleting.DeletionTimestamp = ptr.To(metav1.NewTime(t0))
	olds := []*appsv1.ReplicaSet{
		rev("r5", 5, "5", 0, 0), rev("r1", 9, "1", 0, 0), lagging, rev("r3", 3, "3", 0, 1), rev("r4", 4, "4", 2, 2), deleting,
		rev("bad", 1, "x", 0, 0),
	}
	d := rolling(3, "25%", "25%")
	for _, c := range []struct {
		limit *int32
		want  string
	}{
		{ptr.To[int32](10), ""},
		{nil, ""},
		{ptr.To[int32](2147483647), ""},
		// 6 alive beyond 2: the 4 lowest revisions (an unreadable one by creation), but only
		// those with nothing left and a status that has caught up.
		{ptr.To[int32](2), "bad,r1"},
		{ptr.To[int32](0), "bad,r1,r5"},
	} {
		d.Spec.RevisionHistoryLimit = c.limit
		if got := names(replicaSetsToCleanUp(olds, d)); got != c.want {
			t.Errorf("limit %v: %q, want %q", c.limit, got, c.want)
		}
	}
}
