package deployment

import (
	"math"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func cond(t appsv1.DeploymentConditionType, status corev1.ConditionStatus, reason string, updated, transitioned time.Duration) appsv1.DeploymentCondition {
	return appsv1.DeploymentCondition{Type: t, Status: status, Reason: reason,
		LastUpdateTime: metav1.NewTime(t0.Add(updated)), LastTransitionTime: metav1.NewTime(t0.Add(transitioned))}
}

func TestSetCondition(t *testing.T) {
	st := appsv1.DeploymentStatus{Conditions: []appsv1.DeploymentCondition{
		cond(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetCreated, 0, 0),
		cond(appsv1.DeploymentAvailable, corev1.ConditionFalse, ReasonMinimumReplicasUnavailable, 0, 0),
	}}
	// Same status and reason: nothing changes, not even the message.
	c := newCondition(appsv1.DeploymentAvailable, corev1.ConditionFalse, ReasonMinimumReplicasUnavailable, "new text", t0.Add(time.Minute))
	setCondition(&st, c)
	if got := getCondition(st, appsv1.DeploymentAvailable); got.Message != "" || !got.LastUpdateTime.Equal(ptr.To(metav1.NewTime(t0))) {
		t.Errorf("same reason: %+v", got)
	}
	// Same status, new reason: the transition time stays, the condition goes last.
	setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated, "m", t0.Add(time.Minute)))
	if got := st.Conditions[1]; got.Reason != ReasonReplicaSetUpdated || !got.LastTransitionTime.Time.Equal(t0) || !got.LastUpdateTime.Time.Equal(t0.Add(time.Minute)) {
		t.Errorf("new reason: %+v", st.Conditions)
	}
	// New status: a new transition time.
	setCondition(&st, newCondition(appsv1.DeploymentAvailable, corev1.ConditionTrue, ReasonMinimumReplicasAvailable, "m", t0.Add(2*time.Minute)))
	if got := getCondition(st, appsv1.DeploymentAvailable); !got.LastTransitionTime.Time.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("new status: %+v", got)
	}
	removeCondition(&st, appsv1.DeploymentAvailable)
	removeCondition(&st, appsv1.DeploymentProgressing)
	if st.Conditions != nil {
		t.Errorf("removed: %+v", st.Conditions)
	}
}

func TestCalculateStatus(t *testing.T) {
	now := t0.Add(time.Hour)
	d := rolling(4, "25%", "25%")
	d.Generation = 3
	d.Status.CollisionCount = ptr.To[int32](2)
	newRS := rsAt("new", 10, 3, 2, 1)
	newRS.Status.ReadyReplicas = 2
	oldRS := rsAt("old", 0, 2, 3, 3)
	st := calculateStatus([]*appsv1.ReplicaSet{oldRS, newRS, nil}, newRS, d, now)
	want := appsv1.DeploymentStatus{ObservedGeneration: 3, Replicas: 5, UpdatedReplicas: 2, ReadyReplicas: 5, AvailableReplicas: 4,
		UnavailableReplicas: 1, CollisionCount: ptr.To[int32](2), TerminatingReplicas: ptr.To[int32](0)}
	if st.ObservedGeneration != want.ObservedGeneration || st.Replicas != want.Replicas || st.UpdatedReplicas != want.UpdatedReplicas ||
		st.ReadyReplicas != want.ReadyReplicas || st.AvailableReplicas != want.AvailableReplicas || st.UnavailableReplicas != want.UnavailableReplicas ||
		*st.CollisionCount != 2 || *st.TerminatingReplicas != 0 {
		t.Errorf("status %+v", st)
	}
	if st.CollisionCount == d.Status.CollisionCount {
		t.Error("collisionCount shared with the input")
	}
	if c := getCondition(st, appsv1.DeploymentAvailable); c == nil || c.Status != corev1.ConditionTrue || c.Reason != ReasonMinimumReplicasAvailable ||
		c.Message != "Deployment has minimum availability." || !c.LastUpdateTime.Time.Equal(now) {
		t.Errorf("available: %+v", c)
	}

	// More available than the specs want (a scale-down under way): unavailable is 0.
	st = calculateStatus([]*appsv1.ReplicaSet{rsAt("a", 0, 1, 3, 3)}, nil, d, now)
	if st.UnavailableReplicas != 0 || st.UpdatedReplicas != 0 {
		t.Errorf("scale-down: %+v", st)
	}
	// Below replicas - maxUnavailable (4 - 1): unavailable.
	st = calculateStatus([]*appsv1.ReplicaSet{rsAt("a", 0, 4, 4, 2)}, nil, d, now)
	if c := getCondition(st, appsv1.DeploymentAvailable); c.Status != corev1.ConditionFalse || c.Reason != ReasonMinimumReplicasUnavailable ||
		c.Message != "Deployment does not have minimum availability." {
		t.Errorf("unavailable: %+v", c)
	}

	// terminatingReplicas: summed when every synced ReplicaSet reports it, unknown otherwise;
	// a ReplicaSet never synced does not count.
	synced := func(n *int32) *appsv1.ReplicaSet {
		rs := rsAt("s", 0, 1, 1, 1)
		rs.Status.ObservedGeneration, rs.Status.TerminatingReplicas = 1, n
		return rs
	}
	if got := terminatingReplicas([]*appsv1.ReplicaSet{synced(ptr.To[int32](2)), synced(ptr.To[int32](1)), rsAt("fresh", 0, 1, 0, 0)}); got == nil || *got != 3 {
		t.Errorf("terminating %v", got)
	}
	if got := terminatingReplicas([]*appsv1.ReplicaSet{synced(ptr.To[int32](2)), synced(nil)}); got != nil {
		t.Errorf("terminating unknown: %d", *got)
	}
}

func TestRolloutStatus(t *testing.T) {
	now := t0.Add(10 * time.Minute)
	deadline := func(d *appsv1.Deployment, secs int32) *appsv1.Deployment {
		d.Name, d.Spec.ProgressDeadlineSeconds = "web", &secs
		return d
	}
	progressing := func(reason string, status corev1.ConditionStatus, updated time.Duration) []appsv1.DeploymentCondition {
		return []appsv1.DeploymentCondition{cond(appsv1.DeploymentProgressing, status, reason, updated, 0)}
	}
	cases := []struct {
		name        string
		d           *appsv1.Deployment
		prev        appsv1.DeploymentStatus
		newRS       *appsv1.ReplicaSet
		oldRS       *appsv1.ReplicaSet
		wantReason  string
		wantStatus  corev1.ConditionStatus
		wantMessage string
		wantUpdated time.Duration // of the Progressing condition, from t0
	}{
		{"complete", deadline(rolling(3, "25%", "25%"), 600), appsv1.DeploymentStatus{Conditions: progressing(ReasonReplicaSetUpdated, corev1.ConditionTrue, 0)},
			rsAt("web-1", 0, 3, 3, 3), nil, ReasonNewReplicaSetAvailable, corev1.ConditionTrue, `ReplicaSet "web-1" has successfully progressed.`, 10 * time.Minute},
		{"progress: update time renewed, transition kept", deadline(rolling(3, "25%", "25%"), 600),
			appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 0, Conditions: progressing(ReasonReplicaSetUpdated, corev1.ConditionTrue, time.Minute)},
			rsAt("web-1", 0, 1, 1, 0), rsAt("web-0", 0, 3, 3, 3), ReasonReplicaSetUpdated, corev1.ConditionTrue, `ReplicaSet "web-1" is progressing.`, 10 * time.Minute},
		{"no progress within the deadline", deadline(rolling(3, "25%", "25%"), 600),
			appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, ReadyReplicas: 3, AvailableReplicas: 3, Conditions: progressing(ReasonReplicaSetUpdated, corev1.ConditionTrue, 5*time.Minute)},
			rsAt("web-1", 0, 1, 1, 0), rsAt("web-0", 0, 3, 3, 3), ReasonReplicaSetUpdated, corev1.ConditionTrue, "", 5 * time.Minute},
		{"no progress past the deadline", deadline(rolling(3, "25%", "25%"), 300),
			appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, ReadyReplicas: 3, AvailableReplicas: 3, Conditions: progressing(ReasonReplicaSetUpdated, corev1.ConditionTrue, 4*time.Minute)},
			rsAt("web-1", 0, 1, 1, 0), rsAt("web-0", 0, 3, 3, 3), ReasonProgressDeadlineExceeded, corev1.ConditionFalse, `ReplicaSet "web-1" has timed out progressing.`, 10 * time.Minute},
		{"already complete: left alone", deadline(rolling(3, "25%", "25%"), 60),
			appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, Conditions: progressing(ReasonNewReplicaSetAvailable, corev1.ConditionTrue, 0)},
			rsAt("web-1", 0, 3, 3, 2), nil, ReasonNewReplicaSetAvailable, corev1.ConditionTrue, "", 0},
		{"no new ReplicaSet yet (Recreate)", deadline(recreate(3), 300),
			appsv1.DeploymentStatus{Conditions: progressing(ReasonReplicaSetUpdated, corev1.ConditionTrue, 0)},
			nil, rsAt("web-0", 0, 0, 0, 0), ReasonProgressDeadlineExceeded, corev1.ConditionFalse, `Deployment "web" has timed out progressing.`, 10 * time.Minute},
	}
	for _, c := range cases {
		c.d.Status = c.prev
		var all []*appsv1.ReplicaSet
		if c.oldRS != nil {
			all = append(all, c.oldRS)
		}
		all = append(all, c.newRS)
		st := rolloutStatus(all, c.newRS, c.d, now)
		got := getCondition(st, appsv1.DeploymentProgressing)
		if got == nil || got.Reason != c.wantReason || got.Status != c.wantStatus || got.Message != c.wantMessage || !got.LastUpdateTime.Time.Equal(t0.Add(c.wantUpdated)) {
			t.Errorf("%s: %+v", c.name, got)
		}
		if got != nil && got.Reason == ReasonReplicaSetUpdated && !got.LastTransitionTime.Time.Equal(t0) {
			t.Errorf("%s: transition time %v", c.name, got.LastTransitionTime)
		}
	}

	// Without a deadline there is no Progressing condition at all.
	d := rolling(3, "25%", "25%")
	d.Spec.ProgressDeadlineSeconds = ptr.To[int32](math.MaxInt32)
	d.Status.Conditions = progressing(ReasonReplicaSetUpdated, corev1.ConditionTrue, 0)
	if st := rolloutStatus([]*appsv1.ReplicaSet{rsAt("a", 0, 3, 3, 3)}, nil, d, now); getCondition(st, appsv1.DeploymentProgressing) != nil {
		t.Errorf("no deadline: %+v", st.Conditions)
	}

	// The ReplicaSets' ReplicaFailure: the new one's first, removed once gone.
	failing := func(name, msg string) *appsv1.ReplicaSet {
		rs := rsAt(name, 0, 1, 0, 0)
		rs.Status.Conditions = []appsv1.ReplicaSetCondition{{Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue,
			Reason: "FailedCreate", Message: msg, LastTransitionTime: metav1.NewTime(t0)}}
		return rs
	}
	d = deadline(rolling(3, "25%", "25%"), 600)
	newRS := failing("new", "new's")
	st := rolloutStatus([]*appsv1.ReplicaSet{failing("old", "old's"), newRS}, newRS, d, now)
	if c := getCondition(st, appsv1.DeploymentReplicaFailure); c == nil || c.Message != "new's" || c.Reason != "FailedCreate" || !c.LastUpdateTime.Time.Equal(t0) {
		t.Errorf("replica failure: %+v", c)
	}
	st = rolloutStatus([]*appsv1.ReplicaSet{failing("old", "old's"), rsAt("new", 0, 1, 0, 0)}, rsAt("new", 0, 1, 0, 0), d, now)
	if c := getCondition(st, appsv1.DeploymentReplicaFailure); c == nil || c.Message != "old's" {
		t.Errorf("old replica failure: %+v", c)
	}
	d.Status = st
	if st := rolloutStatus([]*appsv1.ReplicaSet{rsAt("new", 0, 1, 0, 0)}, nil, d, now); getCondition(st, appsv1.DeploymentReplicaFailure) != nil {
		t.Error("replica failure kept")
	}
}

func TestProgressCheckAfter(t *testing.T) {
	now := t0.Add(3 * time.Minute)
	withCond := func(reason string, updated time.Duration) *appsv1.Deployment {
		d := rolling(3, "25%", "25%")
		d.Spec.ProgressDeadlineSeconds = ptr.To[int32](600)
		d.Status.Conditions = []appsv1.DeploymentCondition{cond(appsv1.DeploymentProgressing, corev1.ConditionTrue, reason, updated, 0)}
		return d
	}
	incomplete := appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, AvailableReplicas: 3}
	cases := []struct {
		name   string
		d      *appsv1.Deployment
		status appsv1.DeploymentStatus
		want   time.Duration
		ok     bool
	}{
		// The docs' example: updated 3 minutes ago with a 10 minute deadline: 7 minutes, plus 1 s.
		{"stuck", withCond(ReasonReplicaSetUpdated, 0), incomplete, 7*time.Minute + time.Second, true},
		{"deadline within the second", withCond(ReasonReplicaSetUpdated, -7*time.Minute+500*time.Millisecond), incomplete, 1500 * time.Millisecond, true},
		{"deadline passed", withCond(ReasonNewReplicaSetCreated, -time.Hour), incomplete, time.Second, true},
		{"complete", withCond(ReasonReplicaSetUpdated, 0), appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, AvailableReplicas: 3, ObservedGeneration: 1}, 0, false},
		{"timed out", withCond(ReasonProgressDeadlineExceeded, 0), incomplete, 0, false},
		{"a completed rollout that lost a pod", withCond(ReasonNewReplicaSetAvailable, -time.Hour), incomplete, 0, false},
		{"no condition", rolling(3, "25%", "25%"), incomplete, 0, false},
	}
	for _, c := range cases {
		c.d.Generation = 1
		if got, ok := progressCheckAfter(c.d, c.status, now); got != c.want || ok != c.ok {
			t.Errorf("%s: %v %v", c.name, got, ok)
		}
	}
}

func TestPausedCondition(t *testing.T) {
	now := t0.Add(time.Minute)
	mk := func(paused bool, deadline bool, reason string) *appsv1.Deployment {
		d := rolling(3, "25%", "25%")
		d.Spec.Paused = paused
		if deadline {
			d.Spec.ProgressDeadlineSeconds = ptr.To[int32](600)
		}
		if reason != "" {
			d.Status.Conditions = []appsv1.DeploymentCondition{cond(appsv1.DeploymentProgressing, corev1.ConditionTrue, reason, 0, 0)}
		}
		return d
	}
	cases := []struct {
		name       string
		d          *appsv1.Deployment
		changed    bool
		wantReason string
		wantMsg    string
	}{
		{"pause", mk(true, true, ReasonNewReplicaSetAvailable), true, ReasonDeploymentPaused, "Deployment is paused"},
		{"pause without a condition", mk(true, true, ""), true, ReasonDeploymentPaused, "Deployment is paused"},
		{"still paused", mk(true, true, ReasonDeploymentPaused), false, "", ""},
		{"resume", mk(false, true, ReasonDeploymentPaused), true, ReasonDeploymentResumed, "Deployment is resumed"},
		{"running", mk(false, true, ReasonReplicaSetUpdated), false, "", ""},
		{"timed out stays", mk(true, true, ReasonProgressDeadlineExceeded), false, "", ""},
		{"no deadline", mk(true, false, ""), false, "", ""},
	}
	for _, c := range cases {
		st, changed := pausedCondition(c.d, now)
		if changed != c.changed {
			t.Errorf("%s: changed %v", c.name, changed)
			continue
		}
		if !changed {
			continue
		}
		got := getCondition(st, appsv1.DeploymentProgressing)
		if got.Reason != c.wantReason || got.Message != c.wantMsg || got.Status != corev1.ConditionUnknown || !got.LastUpdateTime.Time.Equal(now) {
			t.Errorf("%s: %+v", c.name, got)
		}
		if len(c.d.Status.Conditions) > 0 && c.d.Status.Conditions[0].Reason == got.Reason {
			t.Errorf("%s: the input changed", c.name)
		}
	}
}

func TestNewReplicaSetConditions(t *testing.T) {
	now := t0.Add(time.Minute)
	d := rolling(3, "25%", "25%")
	d.Spec.ProgressDeadlineSeconds = ptr.To[int32](600)
	rs := rsAt("web-1", 0, 3, 3, 3, AnnotationRevision, "4")
	if !foundNewReplicaSet(d, rs, now) || d.Annotations[AnnotationRevision] != "4" {
		t.Errorf("found: %v", d.Annotations)
	}
	if c := getCondition(d.Status, appsv1.DeploymentProgressing); c == nil || c.Reason != ReasonFoundNewReplicaSet || c.Message != `Found new replica set "web-1"` {
		t.Errorf("found: %+v", c)
	}
	if foundNewReplicaSet(d, rs, now) {
		t.Error("found again: nothing to write")
	}

	d = rolling(3, "25%", "25%")
	d.Spec.ProgressDeadlineSeconds = ptr.To[int32](600)
	if !createdNewReplicaSet(d, rs, "1", true, now) || d.Annotations[AnnotationRevision] != "1" {
		t.Errorf("created: %v", d.Annotations)
	}
	if c := getCondition(d.Status, appsv1.DeploymentProgressing); c == nil || c.Reason != ReasonNewReplicaSetCreated || c.Message != `Created new replica set "web-1"` || c.Status != corev1.ConditionTrue {
		t.Errorf("created: %+v", c)
	}
	// Found after AlreadyExists: only the revision.
	d = rolling(3, "25%", "25%")
	d.Spec.ProgressDeadlineSeconds = ptr.To[int32](600)
	if !createdNewReplicaSet(d, rs, "2", false, now) || getCondition(d.Status, appsv1.DeploymentProgressing) != nil {
		t.Errorf("stale create: %+v", d.Status.Conditions)
	}
}
