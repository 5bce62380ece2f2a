package events

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"math/rand/v2"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/store"
)

func setup(t *testing.T) (*store.Store, *Sink, *time.Time, api.Object) {
	t.Helper()
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, w := store.New()
	s.PackEventsFrom = 0 // every event packed, as in a big cluster
	srv := apiserver.New(s, w, clock, func(label string) *rand.Rand { return rand.New(rand.NewPCG(1, 1)) })
	client := srv.Client("test")
	if _, err := client.Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod, err := client.Create(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "kubia-liveness", Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}}}, apiserver.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s, NewSink(srv.Client("event-recorder"), clock), &now, pod
}

func events(t *testing.T, s *store.Store) []*corev1.Event {
	t.Helper()
	objs, err := s.List(eventsResource, "", store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*corev1.Event, len(objs))
	for i, o := range objs {
		out[i] = o.(*corev1.Event)
	}
	return out
}

func TestRepeatsAggregateIntoOneEvent(t *testing.T) {
	s, sink, now, pod := setup(t)
	kubelet := sink.Recorder("kubelet", "kubetab-worker")
	for i := 0; i < 3; i++ {
		kubelet.ContainerEventf(pod, "spec.containers{kubia}", corev1.EventTypeWarning, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: %d", 500)
		*now = now.Add(10 * time.Second)
	}
	kubelet.ContainerEventf(pod, "spec.containers{kubia}", corev1.EventTypeNormal, "Killing", "Container kubia failed liveness probe, will be restarted")
	evs := events(t, s)
	if len(evs) != 2 {
		t.Fatalf("want 2 events, got %d", len(evs))
	}
	var unhealthy *corev1.Event
	for _, e := range evs {
		if e.Reason == "Unhealthy" {
			unhealthy = e
		}
	}
	if unhealthy == nil || unhealthy.Count != 3 || unhealthy.LastTimestamp.Sub(unhealthy.FirstTimestamp.Time) != 20*time.Second {
		t.Fatalf("Unhealthy should count 3 over 20s: %+v", unhealthy)
	}
	if unhealthy.Source.Component != "kubelet" || unhealthy.Source.Host != "kubetab-worker" || unhealthy.InvolvedObject.FieldPath != "spec.containers{kubia}" || unhealthy.InvolvedObject.Kind != "Pod" {
		t.Fatalf("source or involved object wrong: %+v", unhealthy)
	}
}

func TestEventsExpireAfterTheTTL(t *testing.T) {
	s, sink, now, pod := setup(t)
	// Many events, one per minute for three hours, each from its own source (so that none
	// is combined or filtered): only the last hour's remain, and the expiry queue does not
	// grow without bound.
	var r *Recorder
	for i := 0; i < 180; i++ {
		r = sink.Recorder(fmt.Sprintf("controller-%d", i), "")
		r.Eventf(pod, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: kubia-%d", i)
		*now = now.Add(time.Minute)
	}
	sink.Expire()
	evs := events(t, s)
	// The event of minute 120 is exactly an hour old: gone, like the API server's TTL.
	if len(evs) != 59 {
		t.Fatalf("want the last 59 events, got %d", len(evs))
	}
	if live := sink.expiry.len(); live != 59 {
		t.Fatalf("expiry queue holds %d live entries", live)
	}
	// A repeat refreshes an event: it lives an hour from its last sighting.
	r.Eventf(pod, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: kubia-%d", 179)
	*now = now.Add(59 * time.Minute)
	sink.Expire()
	if evs := events(t, s); len(evs) != 1 || evs[0].Count != 2 {
		t.Fatalf("the refreshed event should remain alone, got %d", len(evs))
	}
}

// The EventCorrelator's aggregation: from the 10th event of one source, type and reason
// about an object with a message of its own (within 10 minutes of each other), the events
// are one combined event, as `describe rc` shows after a scale-up on a real cluster.
func TestSimilarEventsAreCombined(t *testing.T) {
	s, sink, now, pod := setup(t)
	r := sink.Recorder("replication-controller", "")
	for i := range 13 {
		r.Eventf(pod, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: kubia-%02d", i)
		*now = now.Add(time.Second)
	}
	r.Eventf(pod, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted pod: kubia-00")
	var plain, combined []*corev1.Event
	for _, e := range events(t, s) {
		if strings.HasPrefix(e.Message, combinedPrefix) {
			combined = append(combined, e)
		} else {
			plain = append(plain, e)
		}
	}
	if len(plain) != 10 || len(combined) != 1 {
		t.Fatalf("%d plain events (want 9 creates and a delete), %d combined", len(plain), len(combined))
	}
	c := combined[0]
	if c.Count != 4 || c.Message != combinedPrefix+"Created pod: kubia-12" || c.LastTimestamp.Sub(c.FirstTimestamp.Time) != 3*time.Second || c.ReportingController != "" {
		t.Errorf("combined event: count %d, %q, over %s, reporter %q", c.Count, c.Message, c.LastTimestamp.Sub(c.FirstTimestamp.Time), c.ReportingController)
	}

	// Ten minutes later the similar events start again.
	*now = now.Add(11 * time.Minute)
	r.Eventf(pod, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: kubia-13")
	if n := len(events(t, s)); n != 12 {
		t.Errorf("%d events after a quiet while, want 12", n)
	}
}

// The spam filter: a source writes 25 events about one object, then one every 5 minutes;
// the counts of those not written still show at the next write.
func TestSpamFilter(t *testing.T) {
	s, sink, now, pod := setup(t)
	kubelet := sink.Recorder("kubelet", "kubetab-worker")
	for i := range 30 {
		kubelet.Eventf(pod, corev1.EventTypeWarning, fmt.Sprintf("Reason%d", i%20), "Something")
	}
	written := func() (n int, count int32) {
		for _, e := range events(t, s) {
			n++
			count += e.Count
		}
		return n, count
	}
	if n, count := written(); n != 20 || count != 25 {
		t.Fatalf("%d events counting %d, want 20 counting 25", n, count)
	}
	*now = now.Add(5 * time.Minute)
	kubelet.Eventf(pod, corev1.EventTypeWarning, "Reason0", "Something")
	kubelet.Eventf(pod, corev1.EventTypeWarning, "Reason1", "Something")
	// One token in 5 minutes: Reason0's third sighting is written, Reason1's is not.
	if n, count := written(); n != 20 || count != 26 {
		t.Fatalf("after 5 minutes: %d events counting %d, want 20 counting 26", n, count)
	}
	// Another source is not held back.
	sink.Recorder("scheduler", "").Eventf(pod, corev1.EventTypeNormal, "Scheduled", "assigned")
	if n, _ := written(); n != 21 {
		t.Fatalf("another source's event: %d events", n)
	}
}

// Past the events' budget the event touched longest ago makes room, before its TTL.
func TestEventsBudgetExpiresTheOldest(t *testing.T) {
	s, sink, now, pod := setup(t)
	sink.MaxEvents = 3
	kubelet := sink.Recorder("kubelet", "kubetab-worker")
	record := func(i int) {
		kubelet.Eventf(pod, corev1.EventTypeNormal, fmt.Sprintf("Reason%d", i), "message %d", i)
		*now = now.Add(time.Second)
	}
	// Reason0, 1, 2 fill the budget; Reason0 touched again is the youngest; Reason3 takes
	// Reason1's room, Reason4 Reason2's.
	for _, i := range []int{0, 1, 2, 0, 3, 4} {
		record(i)
	}
	var got []string
	for _, e := range events(t, s) {
		got = append(got, fmt.Sprintf("%s×%d", e.Reason, e.Count))
	}
	slices.Sort(got)
	if want := []string{"Reason0×2", "Reason3×1", "Reason4×1"}; !slices.Equal(got, want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
}

// checkIdle checks the sink's count of objects remembered without an observation.
func checkIdle(t *testing.T, sink *Sink) {
	t.Helper()
	idle := 0
	for _, oe := range sink.objects {
		if len(oe.observations) == 0 {
			idle++
		}
	}
	if idle != sink.idle {
		t.Fatalf("%d objects without observations, the sink counts %d", idle, sink.idle)
	}
}

// The correlator forgets an object with its last event: at once when its records are old
// (an event expiring after the TTL), at the next prune when they were young (an event
// expired early for the budget; its source's spam bucket refills in five minutes).
func TestCorrelatorForgetsObjectsWithTheirEvents(t *testing.T) {
	_, sink, now, _ := setup(t)
	kubelet := sink.Recorder("kubelet", "kubetab-worker")
	pods := make([]*corev1.Pod, 20)
	for i := range pods {
		pods[i] = &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("kubia-%d", i), Namespace: "default",
			UID: types.UID(fmt.Sprintf("uid-%d", i))}}
	}
	for _, pod := range pods[:10] {
		kubelet.ContainerEventf(pod, "spec.containers{kubia}", corev1.EventTypeNormal, "Pulling", `Pulling image "luksa/kubia"`)
		kubelet.ContainerEventf(pod, "spec.containers{kubia}", corev1.EventTypeNormal, "Started", "Started container kubia")
		checkIdle(t, sink)
	}
	*now = now.Add(TTL)
	sink.Expire()
	checkIdle(t, sink)
	if len(sink.objects) != 0 {
		t.Fatalf("%d objects remembered after their events expired", len(sink.objects))
	}
	sink.MaxEvents = 2
	for _, pod := range pods[10:] {
		kubelet.Eventf(pod, corev1.EventTypeNormal, "Scheduled", "Successfully assigned default/%s", pod.Name)
		*now = now.Add(time.Second)
		checkIdle(t, sink)
	}
	if sink.idle != 8 || len(sink.objects) != 10 {
		t.Fatalf("%d objects, %d without observations: want 10 and 8", len(sink.objects), sink.idle)
	}
	*now = now.Add(similarInterval + time.Second)
	sink.prune(*now)
	checkIdle(t, sink)
	if sink.idle != 0 || len(sink.objects) != 2 {
		t.Fatalf("after the prune %d objects, %d without observations: want 2 and 0", len(sink.objects), sink.idle)
	}
}
