package events

import (
	"testing"
	"time"

	"math/rand/v2"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/store"
)

func setup(t *testing.T) (*store.Store, *Sink, *time.Time, api.Object) {
	t.Helper()
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, w := store.New()
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
	r := sink.Recorder("replication-controller", "")
	// Many events, one per minute for three hours: only the last hour's remain, and the
	// expiry queue does not grow without bound.
	for i := 0; i < 180; i++ {
		r.Eventf(pod, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: kubia-%d", i)
		*now = now.Add(time.Minute)
	}
	sink.Expire()
	evs := events(t, s)
	// The event of minute 120 is exactly an hour old: gone, like the API server's TTL.
	if len(evs) != 59 {
		t.Fatalf("want the last 59 events, got %d", len(evs))
	}
	if live := len(sink.expiry) - sink.head; live != 59 {
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
