package store

import (
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

// Events are most of a busy cluster's objects (a pod is written about five times: Scheduled,
// Pulling, Pulled, Created, Started) and a corev1.Event is 700 bytes before its strings,
// most of them the same for every event of a component. The events table keeps each event
// packed: what differs per event inline, in numbers where the API's strings are canonical
// numbers (resourceVersions, uid, timestamps), and the rest in a shared eventShape; its name
// is the table's key. Reads unpack a new Event equal to the one stored; an event that does
// not pack exactly (labels, a series, times of its own...) is kept as it came.

// packedEvent is an Event as the store keeps it (96 bytes). Its count is 1: the recorder
// writes an event when it first sees it, and events seen again are not packed (packObject).
type packedEvent struct {
	shape *eventShape
	// The involved object's name and uid, shared with the object's own strings, and its
	// resourceVersion.
	involvedName, involvedUID string
	involvedRV                uint64
	message                   string
	uid                       [16]byte
	rv                        uint64
	// last is the unix nanos of lastTimestamp, which is firstTimestamp too, and which
	// truncated to the second is creationTimestamp: the recorder writes an event when it
	// first sees it, and the API server's creationTimestamp has seconds only.
	last int64
}

// eventShape is what many events have alike: everything but the involved object, the
// message, the identity, the times and the count.
type eventShape struct {
	typeMeta                           metav1.TypeMeta
	namespace, involvedNamespace       string
	kind, apiVersion, fieldPath        string
	reason, eventType                  string
	source                             corev1.EventSource
	reportingController, reportingInst string
}

// shapeEntry is an interned shape with the message its last event had: the events of one
// shape mostly say the same ("Pulling image \"luksa/kubia\""), and share that string.
type shapeEntry struct {
	eventShape
	message string
}

// maxShapes bounds the interned shapes (a cluster of 1,000 nodes has a few thousand); past
// it new shapes' events are kept unpacked.
const maxShapes = 1 << 16

// eventPacker packs and unpacks the events of one store.
type eventPacker struct {
	shapes map[eventShape]*shapeEntry
	// recent caches shapes in pairs of slots found by a few of their strings (shapeSet):
	// hashing all thirteen strings of a shape for the map costs more than comparing them
	// with those of the one found here, most of them the same strings. Made at the first
	// event packed (128 KB).
	recent []*shapeEntry
}

// recentShapes is the size of the packer's cache: a cluster of 1,000 nodes writes about
// 4,000 shapes (four kubelet reasons per node), which at this size find their slot 94 % of
// the time (half as many slots, or one slot per hash instead of two: 75 %).
const recentShapes = 1 << 14

// shapeSet is the pair of slots of sh in the cache: its host, reason, field path and
// namespace mixed by their lengths and last bytes, which tell most shapes apart, in a few
// instructions.
func shapeSet(sh *eventShape) int {
	h := tail(sh.source.Host) ^ tail(sh.reason)*0x9e3779b1 ^ tail(sh.fieldPath)*0x85ebca6b ^ tail(sh.namespace)*0xc2b2ae35 ^
		uint32(len(sh.reason)<<24^len(sh.source.Component)<<16^len(sh.reportingInst)<<8^len(sh.fieldPath))
	h ^= h >> 15
	h *= 0x2c1b3c6d
	h ^= h >> 12
	return 2 * int(h%(recentShapes/2))
}

// tail is the last four bytes of s (fewer for a shorter s).
func tail(s string) uint32 {
	var h uint32
	for i := max(0, len(s)-4); i < len(s); i++ {
		h = h<<8 | uint32(s[i])
	}
	return h
}

// intern returns the shared entry of shape, made if new, or nil when maxShapes are held.
func (p *eventPacker) intern(shape *eventShape) *shapeEntry {
	if p.recent == nil {
		p.recent = make([]*shapeEntry, recentShapes)
	}
	// A pair of slots, the one used last first.
	pair := (*[2]*shapeEntry)(p.recent[shapeSet(shape):])
	if e := pair[0]; e != nil && e.eventShape == *shape {
		return e
	}
	if e := pair[1]; e != nil && e.eventShape == *shape {
		pair[0], pair[1] = e, pair[0]
		return e
	}
	e := p.shapes[*shape]
	if e == nil {
		if len(p.shapes) >= maxShapes {
			return nil
		}
		if p.shapes == nil {
			p.shapes = map[eventShape]*shapeEntry{}
		}
		e = &shapeEntry{eventShape: *shape}
		p.shapes[*shape] = e
	}
	pair[0], pair[1] = e, pair[0]
	return e
}

// zeroTime stands for the zero time among unix nanos, which cannot hold it.
const zeroTime = -1 << 63

// packTime returns t as unix nanos if that gives back exactly t (in UTC, without a monotonic
// reading, within 1678–2262).
func packTime(t metav1.Time) (int64, bool) {
	if t.Time == (time.Time{}) {
		return zeroTime, true
	}
	n := t.UnixNano()
	return n, n != zeroTime && time.Unix(0, n).UTC() == t.Time
}

// toSecond is the unix nanos n truncated to the second (as time.Time.Truncate does).
func toSecond(n int64) int64 {
	if n == zeroTime {
		return n
	}
	return n - (n%1e9+1e9)%1e9
}

func unpackTime(n int64) metav1.Time {
	if n == zeroTime {
		return metav1.Time{}
	}
	return metav1.Time{Time: time.Unix(0, n).UTC()}
}

// packUint returns s as a number if it is one in canonical form (base 10 or 16, lower
// case, no leading zero): what strconv.FormatUint gives back, checked without making it.
func packUint(s string, base int) (uint64, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || base == 16 && 'a' <= c && c <= 'f') {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, base, 64)
	return n, err == nil
}

// pack returns the packed form of ev, or nil when it does not pack exactly.
func (p *eventPacker) pack(ev *corev1.Event) *packedEvent {
	m := &ev.ObjectMeta
	//lint:ignore SA1019 an event that has one keeps it: the packed form has no room for it
	selfLink := m.SelfLink
	if m.GenerateName != "" || selfLink != "" || m.Generation != 0 || m.DeletionTimestamp != nil ||
		m.DeletionGracePeriodSeconds != nil || m.Labels != nil || m.Annotations != nil ||
		m.OwnerReferences != nil || m.Finalizers != nil || m.ManagedFields != nil ||
		ev.EventTime.Time != (time.Time{}) || ev.Series != nil || ev.Action != "" || ev.Related != nil {
		return nil
	}
	io := &ev.InvolvedObject
	if ev.Count != 1 {
		return nil
	}
	pe := &packedEvent{involvedName: io.Name, involvedUID: string(io.UID)}
	var ok bool
	if pe.involvedRV, ok = packUint(io.ResourceVersion, 10); !ok {
		return nil
	}
	if pe.uid, ok = api.ParseUID(m.UID); !ok {
		return nil
	}
	if pe.rv, ok = packUint(m.ResourceVersion, 10); !ok {
		return nil
	}
	if pe.last, ok = packTime(ev.LastTimestamp); !ok {
		return nil
	}
	if first, ok := packTime(ev.FirstTimestamp); !ok || first != pe.last {
		return nil
	}
	if created, ok := packTime(m.CreationTimestamp); !ok || created != toSecond(pe.last) {
		return nil
	}
	// Only now the shape: an event that does not pack interns none.
	shape := eventShape{typeMeta: ev.TypeMeta, namespace: m.Namespace, involvedNamespace: io.Namespace, kind: io.Kind, apiVersion: io.APIVersion,
		fieldPath: io.FieldPath, reason: ev.Reason, eventType: ev.Type, source: ev.Source,
		reportingController: ev.ReportingController, reportingInst: ev.ReportingInstance}
	e := p.intern(&shape)
	if e == nil {
		return nil
	}
	pe.shape = &e.eventShape
	if ev.Message != e.message {
		e.message = ev.Message
	}
	pe.message = e.message
	return pe
}

// packObject returns what the table keeps of obj. An event seen more than once (pack takes
// a count of 1 only) is kept as it is: the recorder writes it again (each write would
// unpack it, twice, to compare and to update) and such events are few, one per object and
// reason.
func (p *eventPacker) packObject(obj api.Object) any {
	if p != nil {
		if ev, ok := obj.(*corev1.Event); ok {
			if pe := p.pack(ev); pe != nil {
				return pe
			}
		}
	}
	return obj
}

// EventCount is the number of stored events.
func (s *Store) EventCount() int { return s.events }

// EventLastTimestamp is the lastTimestamp of a stored event, read without unpacking it or
// making a string of its name (the event recorder's expiry asks about every event).
func (s *Store) EventLastTimestamp(namespace string, name []byte) (t time.Time, ok bool) {
	n := s.table(eventsResource).namespaces[namespace]
	if n == nil {
		return t, false
	}
	switch v := n.objs[string(name)].(type) {
	case *packedEvent:
		return unpackTime(v.last).Time, true
	case *corev1.Event:
		return v.LastTimestamp.Time, true
	}
	return t, false
}

// unpack returns a new Event equal to the one pe was packed from, stored under name. Its
// name, uid and resourceVersion are made as one string (one allocation instead of three:
// an expiry and each event of a listing unpack one).
func (pe *packedEvent) unpack(name string) *corev1.Event {
	sh := pe.shape
	last := unpackTime(pe.last)
	var b [128]byte
	buf := api.AppendUID(append(b[:0], name...), pe.uid)
	buf = strconv.AppendUint(buf, pe.rv, 10)
	r := len(buf)
	ids := string(strconv.AppendUint(buf, pe.involvedRV, 10))
	n, u := len(name), len(name)+36
	return &corev1.Event{
		TypeMeta: sh.typeMeta,
		ObjectMeta: metav1.ObjectMeta{
			Name:              ids[:n],
			Namespace:         sh.namespace,
			UID:               types.UID(ids[n:u]),
			ResourceVersion:   ids[u:r],
			CreationTimestamp: unpackTime(toSecond(pe.last)),
		},
		InvolvedObject: corev1.ObjectReference{Kind: sh.kind, Namespace: sh.involvedNamespace, Name: pe.involvedName,
			UID: types.UID(pe.involvedUID), APIVersion: sh.apiVersion, ResourceVersion: ids[r:], FieldPath: sh.fieldPath},
		Reason:              sh.reason,
		Message:             pe.message,
		Source:              sh.source,
		FirstTimestamp:      last,
		LastTimestamp:       last,
		Count:               1,
		Type:                sh.eventType,
		ReportingController: sh.reportingController,
		ReportingInstance:   sh.reportingInst,
	}
}

var eventsResource = api.ResourceByName("events")

// newPacker returns the packer of a resource whose objects the store keeps packed, or nil.
func newPacker(r *api.Resource) *eventPacker {
	if isEvents(r) {
		return &eventPacker{}
	}
	return nil
}
