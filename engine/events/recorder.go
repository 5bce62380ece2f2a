package events

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// TTL is how long an event lives after it was last seen.
const TTL = time.Hour

var eventsResource = api.ResourceByName("events")

// Sink is shared by the recorders of one cluster: it aggregates repeats and expires old
// events.
type Sink struct {
	store *store.Store
	now   func() time.Time
	seq   uint64
	// byKey finds the Event to bump for a repeat; values are "namespace/name".
	byKey map[aggregateKey]string
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

type expiryEntry struct {
	namespace, name string
	key             aggregateKey
	at              time.Time
}

// NewSink returns the event sink of one cluster.
func NewSink(s *store.Store, now func() time.Time) *Sink {
	return &Sink{store: s, now: now, byKey: map[aggregateKey]string{}}
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
	r.record(obj, "", eventType, reason, fmt.Sprintf(messageFmt, args...))
}

// ContainerEventf records an event about one container of a pod (the SUBOBJECT column,
// `spec.containers{kubia}`).
func (r *Recorder) ContainerEventf(pod api.Object, fieldPath, eventType, reason, messageFmt string, args ...any) {
	r.record(pod, fieldPath, eventType, reason, fmt.Sprintf(messageFmt, args...))
}

func (r *Recorder) record(obj api.Object, fieldPath, eventType, reason, message string) {
	s := r.sink
	now := s.now()
	s.expire(now)
	key := aggregateKey{string(obj.GetUID()), eventType, reason, message, r.component, r.host, fieldPath}
	if ref, ok := s.byKey[key]; ok {
		ns, name := splitRef(ref)
		if cur, err := s.store.Get(eventsResource, ns, name); err == nil {
			// Update stores a deep copy; only top-level fields change here.
			c := *cur.(*corev1.Event)
			ev := &c
			ev.Count++
			ev.LastTimestamp = metav1.NewTime(now)
			if _, err := s.store.Update(ev); err == nil {
				s.expiry = append(s.expiry, expiryEntry{ns, name, key, now})
				return
			}
		}
		delete(s.byKey, key)
	}
	s.seq++
	gvk := obj.GetObjectKind().GroupVersionKind()
	if gvk.Kind == "" {
		if res := api.ResourceFor(obj); res != nil {
			gvk = res.GroupVersionKind()
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
			Name:      fmt.Sprintf("%s.%x", obj.GetName(), uint64(now.UnixNano())+s.seq),
			Namespace: ns,
		},
		InvolvedObject: corev1.ObjectReference{
			Kind:            gvk.Kind,
			Namespace:       obj.GetNamespace(),
			Name:            obj.GetName(),
			UID:             obj.GetUID(),
			APIVersion:      gvk.GroupVersion().String(),
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
	created, err := s.store.Adopt(ev)
	if err != nil {
		// Losing an event is what a real cluster does under pressure too; never fail the
		// caller for it.
		return
	}
	ref := created.GetNamespace() + "/" + created.GetName()
	s.byKey[key] = ref
	s.expiry = append(s.expiry, expiryEntry{created.GetNamespace(), created.GetName(), key, now})
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
		cur, err := s.store.Get(eventsResource, e.namespace, e.name)
		if err != nil {
			continue
		}
		if cur.(*corev1.Event).LastTimestamp.Time.After(e.at) {
			continue
		}
		if _, err := s.store.Delete(eventsResource, e.namespace, e.name, store.DeleteOptions{}); err == nil {
			if s.byKey[e.key] == e.namespace+"/"+e.name {
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

func splitRef(ref string) (string, string) {
	for i := 0; i < len(ref); i++ {
		if ref[i] == '/' {
			return ref[:i], ref[i+1:]
		}
	}
	return "", ref
}
