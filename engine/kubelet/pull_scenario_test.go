package kubelet_test

import (
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

const (
	missingImage = "non-existing-repo/non-existing-image:example"
	missingErr   = `failed to pull and unpack image "docker.io/non-existing-repo/non-existing-image:example": ` +
		`failed to resolve reference "docker.io/non-existing-repo/non-existing-image:example": ` +
		`pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
)

// eventStat is the aggregate of the events about a pod with this reason whose message starts
// with prefix: how many times it happened, and when last.
func eventStat(c *cluster.Cluster, pod, reason, prefix string) (int32, time.Time) {
	objs, _ := c.Store.List(eventsRes, "", store.ListOptions{})
	var n int32
	var last time.Time
	for _, o := range objs {
		e := o.(*corev1.Event)
		if e.InvolvedObject.Name == pod && e.Reason == reason && strings.HasPrefix(e.Message, prefix) {
			n += e.Count
			if e.LastTimestamp.Time.After(last) {
				last = e.LastTimestamp.Time
			}
		}
	}
	return n, last
}

// runUntil moves virtual time to at, or until done holds.
func runUntil(tb testing.TB, c *cluster.Cluster, at time.Time, done func() bool) {
	tb.Helper()
	if _, err := c.RunUntil(at, done); err != nil {
		tb.Fatal(err)
	}
}

// waiting is the waiting state of a pod's container i (init containers first), or nil.
func waiting(c *cluster.Cluster, pod string, init bool, i int) *corev1.ContainerStateWaiting {
	p := getPod(c, pod)
	if p == nil {
		return nil
	}
	list := p.Status.ContainerStatuses
	if init {
		list = p.Status.InitContainerStatuses
	}
	if i >= len(list) {
		return nil
	}
	return list[i].State.Waiting
}

func wantWaiting(t *testing.T, c *cluster.Cluster, pod string, reason, message string) {
	t.Helper()
	w := waiting(c, pod, false, 0)
	if w == nil || w.Reason != reason || w.Message != message {
		t.Fatalf("at %v: waiting %+v, want %s: %s", c.Now().Sub(c.Start), w, reason, message)
	}
	if p := getPod(c, pod); p.Status.Phase != corev1.PodPending {
		t.Fatalf("phase %s, want Pending", p.Status.Phase)
	}
}

// TestImagePullFailureBackOff follows a pod whose image does not exist: Pulling, the failure
// (ErrImagePull), a sync a second later that finds the back-off (ImagePullBackOff), syncs
// every 10 s while it lasts, and pulls again when it ends, 10 s after the failure, then 20,
// 40, 80, 160 and at most 300 s.
func TestImagePullFailureBackOff(t *testing.T) {
	c := mustCluster(t, 3)
	c.Events.NoSpamFilter = true // the test counts every BackOff sighting
	mustCreate(t, c, newPod("missing", missingImage))
	const pod = "missing"
	pulls := func() int32 { n, _ := eventStat(c, pod, "Pulling", `Pulling image "`+missingImage+`"`); return n }
	failures := func() (int32, time.Time) {
		return eventStat(c, pod, "Failed", `Failed to pull image "`+missingImage+`": `)
	}
	count := func(reason, msg string) int32 { n, _ := eventStat(c, pod, reason, msg); return n }

	runUntil(t, c, c.Now().Add(time.Minute), func() bool { n, _ := failures(); return n == 1 })
	n, failedAt := failures()
	if n != 1 || failedAt.Sub(c.Start) > 3*time.Second {
		t.Fatalf("first failure: %d at %v", n, failedAt.Sub(c.Start))
	}
	if got := count("Failed", `Failed to pull image "`+missingImage+`": `+missingErr); got != 1 {
		t.Errorf("Failed event with the registry's error: %d\n%s", got, strings.Join(podEvents(c, pod), "\n"))
	}
	if pulls() != 1 || count("Failed", "Error: ErrImagePull") != 1 {
		t.Errorf("events at the failure:\n%s", strings.Join(podEvents(c, pod), "\n"))
	}
	wantWaiting(t, c, pod, "ErrImagePull", missingErr)

	backOffMsg := `Back-off pulling image "` + missingImage + `": ErrImagePull: ` + missingErr
	backOffs := count("BackOff", "Back-off pulling image") // as the back-off starts
	runUntil(t, c, failedAt.Add(time.Second), nil)
	wantWaiting(t, c, pod, "ImagePullBackOff", backOffMsg)
	if count("BackOff", `Back-off pulling image "`+missingImage+`"`) != 1 || count("Failed", "Error: ImagePullBackOff") != 1 {
		t.Errorf("events a second after the failure:\n%s", strings.Join(podEvents(c, pod), "\n"))
	}

	// Each back-off runs from the failure that started it; the pull comes when it ends.
	for i, backOff := range []time.Duration{10, 20, 40, 80, 160, 300, 300} {
		backOff *= time.Second
		runUntil(t, c, failedAt.Add(backOff-time.Millisecond), nil)
		if got := pulls(); got != int32(i+1) {
			t.Fatalf("back-off %d (%v): %d pulls before it ended", i, backOff, got)
		}
		// Syncs every 10 s while it lasts, from a second after the failure.
		if got, want := count("BackOff", "Back-off pulling image")-backOffs, int32((backOff-time.Second-time.Millisecond)/(10*time.Second))+1; got != want {
			t.Errorf("back-off %d (%v): %d more BackOff events, want %d", i, backOff, got, want)
		}
		wantWaiting(t, c, pod, "ImagePullBackOff", backOffMsg)
		runUntil(t, c, failedAt.Add(backOff), nil)
		if got := pulls(); got != int32(i+2) {
			t.Fatalf("back-off %d (%v): %d pulls when it ended", i, backOff, got)
		}
		runUntil(t, c, c.Now().Add(time.Minute), func() bool { n, _ := failures(); return n == int32(i+2) })
		_, failedAt = failures()
		backOffs = count("BackOff", "Back-off pulling image")
	}
	if p := getPod(c, pod); p.Status.ContainerStatuses[0].RestartCount != 0 || p.Status.ContainerStatuses[0].Started == nil || *p.Status.ContainerStatuses[0].Started {
		t.Errorf("container status: %+v", p.Status.ContainerStatuses[0])
	}
}

// TestImagePullFailureDeletion: a pod deleted in back-off goes at once; one held by a
// finalizer (as the Job controller's tracking finalizer holds its pods) is reported Failed
// first, with the conditions others added to its status.
func TestImagePullFailureDeletion(t *testing.T) {
	c := mustCluster(t, 4)
	mustCreate(t, c, newPod("gone", missingImage))
	mustCreate(t, c, newPod("held", missingImage, func(p *corev1.Pod) { p.Finalizers = []string{"example.com/hold"} }))
	advance(t, c, 30*time.Second)

	p := getPod(c, "held").DeepCopy()
	p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{
		Type: "ConfigIssue", Status: corev1.ConditionTrue, Reason: "NonExistingImage", LastTransitionTime: metav1.NewTime(c.Now()),
	})
	if _, err := c.API.Client("test").UpdateStatus(p, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	advance(t, c, 10*time.Second)
	if cond := api.PodCondition(getPod(c, "held"), "ConfigIssue"); cond == nil {
		t.Fatal("the kubelet's status write dropped the ConfigIssue condition")
	}

	for _, name := range []string{"gone", "held"} {
		if _, err := c.API.Client("test").Delete(podsRes, "default", name, apiserver.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if getPod(c, "gone") != nil {
		t.Errorf("pod in back-off not removed at once: %+v", getPod(c, "gone").Status)
	}
	held := getPod(c, "held")
	if held == nil || held.Status.Phase != corev1.PodFailed || api.PodCondition(held, "ConfigIssue") == nil {
		t.Fatalf("held pod after deletion: %+v", held)
	}
	pullsBefore, _ := eventStat(c, "held", "Pulling", "")
	backOffsBefore, _ := eventStat(c, "held", "BackOff", "")
	advance(t, c, 10*time.Minute)
	if n, _ := eventStat(c, "held", "Pulling", ""); n != pullsBefore {
		t.Errorf("pulls went on after the deletion: %d → %d", pullsBefore, n)
	}
	if n, _ := eventStat(c, "held", "BackOff", ""); n != backOffsBefore {
		t.Errorf("back-off syncs went on after the deletion: %d → %d", backOffsBefore, n)
	}
}

// TestImagePullFailureInitContainer: STATUS Init:ErrImagePull, then Init:ImagePullBackOff;
// the app container waits in PodInitializing; logs say why there are none.
func TestImagePullFailureInitContainer(t *testing.T) {
	s := newScenario(t, 5)
	s.kubectl("apply -f -", `apiVersion: v1
kind: Pod
metadata:
  name: init-missing
spec:
  initContainers:
  - name: fetch
    image: registry.example.com/team/does-not-exist:1.0
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
`)
	failures := func() int32 { n, _ := eventStat(s.c, "init-missing", "Failed", "Failed to pull image "); return n }
	runUntil(t, s.c, s.c.Now().Add(time.Minute), func() bool { return failures() == 1 })
	if got := s.podLine("init-missing"); got != "init-missing 0/1 Init:ErrImagePull 0" {
		t.Errorf("at the failure: %q", got)
	}
	_, err := s.c.Kubelets.ContainerLogs("default", "init-missing", "fetch", false)
	if err == nil || err.Error() != `container "fetch" in pod "init-missing" is waiting to start: image can't be pulled` {
		t.Errorf("logs at the failure: %v", err)
	}
	s.at(s.elapsed() + 2*time.Second)
	if got := s.podLine("init-missing"); got != "init-missing 0/1 Init:ImagePullBackOff 0" {
		t.Errorf("in back-off: %q", got)
	}
	w := waiting(s.c, "init-missing", true, 0)
	wantMsg := `Back-off pulling image "registry.example.com/team/does-not-exist:1.0": ErrImagePull: failed to pull and unpack image "registry.example.com/team/does-not-exist:1.0": ` +
		`failed to resolve reference "registry.example.com/team/does-not-exist:1.0": registry.example.com/team/does-not-exist:1.0: not found`
	if w == nil || w.Reason != "ImagePullBackOff" || w.Message != wantMsg {
		t.Errorf("init container waiting: %+v", w)
	}
	if w := waiting(s.c, "init-missing", false, 0); w == nil || w.Reason != "PodInitializing" {
		t.Errorf("app container waiting: %+v", w)
	}
	_, err = s.c.Kubelets.ContainerLogs("default", "init-missing", "fetch", false)
	if err == nil || err.Error() != `container "fetch" in pod "init-missing" is waiting to start: trying and failing to pull image` {
		t.Errorf("logs in back-off: %v", err)
	}
	ev := s.kubectl("describe pod init-missing")
	wantLines(t, "describe", ev,
		`^  Normal   Pulling .* kubelet +spec.initContainers\{fetch\}: Pulling image "registry.example.com/team/does-not-exist:1.0"$`,
		`^  Warning  Failed .* kubelet +spec.initContainers\{fetch\}: Error: ErrImagePull$`,
		`^  Normal   BackOff .* kubelet +spec.initContainers\{fetch\}: Back-off pulling image "registry.example.com/team/does-not-exist:1.0"$`,
		`^  Warning  Failed .* kubelet +spec.initContainers\{fetch\}: Error: ImagePullBackOff$`,
		`^    State:          Waiting$`, `^      Reason:       ImagePullBackOff$`)
}

// TestImageErrorsBeforePull: a reference the kubelet cannot parse and an image missing
// under pullPolicy Never fail before any pull, are retried every 10 s with their events
// again, and do not keep the pod's other containers from starting.
func TestImageErrorsBeforePull(t *testing.T) {
	c := mustCluster(t, 6)
	mustCreate(t, c, newPod("errs", "Nginx:1.27", func(p *corev1.Pod) {
		p.Spec.Containers[0].Name = "upper"
		p.Spec.Containers = append(p.Spec.Containers,
			corev1.Container{Name: "never", Image: "busybox:1.36", ImagePullPolicy: corev1.PullNever},
			corev1.Container{Name: "kubia", Image: "luksa/kubia"})
	}))
	// The sandbox takes up to 1.2 s, then four attempts 10 s apart.
	advance(t, c, 32*time.Second)
	p := getPod(c, "errs")
	inspect := `Failed to apply default image tag "Nginx:1.27": couldn't parse image reference "Nginx:1.27": invalid reference format: repository name (library/Nginx) must be lowercase`
	never := `Container image "busybox:1.36" is not present with pull policy of Never`
	for i, want := range []corev1.ContainerStateWaiting{{Reason: "InvalidImageName", Message: inspect}, {Reason: "ErrImageNeverPull", Message: never}} {
		if w := p.Status.ContainerStatuses[i].State.Waiting; w == nil || *w != want {
			t.Errorf("container %d waiting %+v, want %+v", i, w, want)
		}
	}
	if p.Status.ContainerStatuses[2].State.Running == nil || p.Status.Phase != corev1.PodPending {
		t.Errorf("kubia %+v, phase %s", p.Status.ContainerStatuses[2].State, p.Status.Phase)
	}
	for _, ev := range []struct{ reason, msg string }{
		{"InspectFailed", inspect}, {"Failed", "Error: InvalidImageName"},
		{"ErrImageNeverPull", never}, {"Failed", "Error: ErrImageNeverPull"},
	} {
		// At admission plus a second or so, then every 10 s: four times in 32 s.
		if n, _ := eventStat(c, "errs", ev.reason, ev.msg); n != 4 {
			t.Errorf("%s %q: %d times, want 4\n%s", ev.reason, ev.msg, n, strings.Join(podEvents(c, "errs"), "\n"))
		}
	}
	if n, _ := eventStat(c, "errs", "Pulling", `Pulling image "Nginx`); n != 0 {
		t.Errorf("an unparsable image was pulled")
	}
}
