package events

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/store"
)

// TTL is how long an event lives after it was last seen.
const TTL = time.Hour

var eventsResource = api.ResourceByName("events")

// Sink is shared by the recorders of one cluster: it aggregates repeats and expires old
// events.
type Sink struct {
	api   *apiserver.Client
	store *store.Store
	now   func() time.Time
	seq   uint64
	// byKey finds the Event to bump for a repeat.
	byKey map[aggregateKey]eventRef
	// expiry lists events in the order they were last touched; entries before head have
	// been handled, the one at head expires next.
	expiry []expiryEntry
	head   int
}

type aggregateKey struct {
	uid                        string
	eventType, reason, message string
	component, host, fieldPath string
}

type eventRef struct{ namespace, name string }

type expiryEntry struct {
	eventRef
	key aggregateKey
	at  time.Time
}

// NewSink returns the event sink of one cluster, writing through client.
func NewSink(client *apiserver.Client, now func() time.Time) *Sink {
	return &Sink{api: client, store: client.Store(), now: now, byKey: map[aggregateKey]eventRef{}}
}

// Recorder emits events on behalf of one component ("kubelet" on a host, "replicaset-controller").
type Recorder struct {
	sink      *Sink
	component string
	host      string
}

// Recorder returns a recorder whose events show `From` = component (and the host, for kubelets).
func (s *Sink) Recorder(component, host string) *Recorder {
	return &Recorder{sink: s, component: component, host: host}
}

// Eventf records an event about obj.
func (r *Recorder) Eventf(obj api.Object, eventType, reason, messageFmt string, args ...any) {
	r.record(obj, "", eventType, reason, format(messageFmt, args))
}

// ContainerEventf records an event about one container of a pod (the SUBOBJECT column,
// `spec.containers{kubia}`).
func (r *Recorder) ContainerEventf(pod api.Object, fieldPath, eventType, reason, messageFmt string, args ...any) {
	r.record(pod, fieldPath, eventType, reason, format(messageFmt, args))
}

// format is fmt.Sprintf, minus the formatting of the many fixed messages.
func format(messageFmt string, args []any) string {
	if len(args) == 0 && !strings.Contains(messageFmt, "%") {
		return messageFmt
	}
	return fmt.Sprintf(messageFmt, args...)
}

func (r *Recorder) record(obj api.Object, fieldPath, eventType, reason, message string) {
	s := r.sink
	now := s.now()
	s.expire(now)
	key := aggregateKey{string(obj.GetUID()), eventType, reason, message, r.component, r.host, fieldPath}
	if ref, ok := s.byKey[key]; ok {
		if cur := s.store.Lookup(eventsResource, ref.namespace, ref.name); cur != nil {
			// Only top-level fields change: a shallow copy is handed over, sharing the rest
			// with the stored event, which is never mutated.
			c := *cur.(*corev1.Event)
			ev := &c
			ev.Count++
			ev.LastTimestamp = metav1.NewTime(now)
			if _, err := s.api.Update(ev, apiserver.UpdateOptions{HandOver: true}); err == nil {
				s.expiry = append(s.expiry, expiryEntry{ref, key, now})
				return
			}
		}
		delete(s.byKey, key)
	}
	s.seq++
	// Stored objects carry their TypeMeta; its strings are used as they are.
	var apiVersion, kind string
	if tm, ok := obj.GetObjectKind().(*metav1.TypeMeta); ok {
		apiVersion, kind = tm.APIVersion, tm.Kind
	}
	if kind == "" {
		if res := api.ResourceFor(obj); res != nil {
			gvk := res.GroupVersionKind()
			apiVersion, kind = gvk.GroupVersion().String(), gvk.Kind
		}
	}
	ns := obj.GetNamespace()
	if ns == "" {
		ns = metav1.NamespaceDefault
	}
	ev := &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{
			// The real recorder names events <object>.<unix nanos in hex>; a sequence number
			// keeps names unique when two events share an instant.
			Name:      eventName(obj.GetName(), uint64(now.UnixNano())+s.seq),
			Namespace: ns,
		},
		InvolvedObject: corev1.ObjectReference{
			Kind:            kind,
			Namespace:       obj.GetNamespace(),
			Name:            obj.GetName(),
			UID:             obj.GetUID(),
			APIVersion:      apiVersion,
			ResourceVersion: obj.GetResourceVersion(),
			FieldPath:       fieldPath,
		},
		Reason:              reason,
		Message:             message,
		Source:              corev1.EventSource{Component: r.component, Host: r.host},
		FirstTimestamp:      metav1.NewTime(now),
		LastTimestamp:       metav1.NewTime(now),
		Count:               1,
		Type:                eventType,
		ReportingController: r.component,
		ReportingInstance:   r.reportingInstance(),
	}
	created, err := s.api.Create(ev, apiserver.CreateOptions{HandOver: true})
	if err != nil {
		// Losing an event is what a real cluster does under pressure too; never fail the
		// caller for it.
		return
	}
	ref := eventRef{created.GetNamespace(), created.GetName()}
	s.byKey[key] = ref
	s.expiry = append(s.expiry, expiryEntry{ref, key, now})
}

// eventName is "<object>.<n in hex>", built in one allocation.
func eventName(object string, n uint64) string {
	b := make([]byte, 0, len(object)+17)
	b = append(b, object...)
	b = append(b, '.')
	return string(strconv.AppendUint(b, n, 16))
}

func (r *Recorder) reportingInstance() string {
	if r.host != "" {
		return r.host
	}
	return ""
}

// expire deletes events not seen for TTL. Entries for events touched again later are stale
// and skipped; the event itself expires through its newest entry.
func (s *Sink) expire(now time.Time) {
	cutoff := now.Add(-TTL)
	i := s.head
	for ; i < len(s.expiry); i++ {
		e := s.expiry[i]
		if e.at.After(cutoff) {
			break
		}
		cur := s.store.Lookup(eventsResource, e.namespace, e.name)
		if cur == nil {
			continue
		}
		if cur.(*corev1.Event).LastTimestamp.Time.After(e.at) {
			continue
		}
		if s.api.Expire(eventsResource, e.namespace, e.name) {
			if s.byKey[e.key] == e.eventRef {
				delete(s.byKey, e.key)
			}
		}
	}
	s.head = i
	// Compact only when the expired prefix dominates, so each entry moves O(1) times.
	if s.head > 1024 && s.head*2 > len(s.expiry) {
		n := copy(s.expiry, s.expiry[s.head:])
		clear(s.expiry[n:])
		s.expiry = s.expiry[:n]
		s.head = 0
	}
}

// Expire removes events older than the TTL; the sim calls it when time moves.
func (s *Sink) Expire() { s.expire(s.now()) }
