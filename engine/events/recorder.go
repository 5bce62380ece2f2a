package events

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/clock"
	"github.com/kubetab/kubetab/engine/store"
)

// TTL is how long an event lives after it was last seen.
const TTL = time.Hour

// DefaultMaxEvents is the events' budget: past it, the event touched longest ago expires
// early to make room (events do not count against the store's MaxObjects). 100,000 pods
// write half a million events within the TTL; at about 400 bytes stored and remembered,
// 300,000 take 120 MB.
const DefaultMaxEvents = 300_000

// client-go's EventCorrelator, with its defaults: once an object has had maxSimilar events
// of one source, type and reason with different messages within similarInterval of each
// other, the next ones are one "(combined from similar events)" event whose count grows;
// and a source may write spamBurst events about one object, then one every spamInterval
// (the EventSourceObjectSpamFilter: the counts still grow, and show at the next write).
const (
	maxSimilar      = 10
	similarInterval = 10 * time.Minute
	combinedPrefix  = "(combined from similar events): "
	spamBurst       = 25
	spamInterval    = 5 * time.Minute
	// pruneAbove is the number of objects remembered without an event (upstream's LRU
	// caches hold 4,096) past which the correlator's memory drops what no longer matters.
	pruneAbove = 4096
)

var eventsResource = api.ResourceByName("events")

// Sink is shared by the recorders of one cluster: it aggregates repeats and expires old
// events.
type Sink struct {
	api   *apiserver.Client
	store *store.Store
	now   func() time.Time
	seq   uint64
	// objects is the correlator's memory, per involved object (by uid): client-go's three
	// caches (the events it wrote or would have written, the similar messages, the spam
	// filter's buckets) kept together, since every lookup is about one object and an
	// object has a few of each. 100,000 pods made three maps of half a million big keys.
	objects map[string]*objectEvents
	// idle is the number of objects remembered without an observation, for their similar
	// records or spam buckets; idlePruned what was left after the last prune.
	idle, idlePruned int
	// MaxEvents is the events' budget (DefaultMaxEvents; 0 for none).
	MaxEvents int
	// NoSpamFilter turns the spam filter off, for tests that count every sighting of a busy
	// object's events (a kubelet's back-off cadence) in the stored events.
	NoSpamFilter bool
	// expiry lists events in the order they were last touched, the one at its head expires
	// next.
	expiry expiryQueue
	// sources are the recorders' (component, host) pairs, one of each: the correlator's
	// keys hold a pointer instead of two strings.
	sources map[source]*source
	// kinds are the keys in use, one of each (up to maxKinds): an observation holds a
	// pointer instead of five fields, and most are the same for thousands of objects.
	kinds map[eventKind]*eventKind
	// nameBuf is expire's scratch space for event names.
	nameBuf []byte
}

// eventsPerObject and sourcesPerObject are the room an object's lists start with, in the
// object itself: a pod's five events (Scheduled, Pulling, Pulled, Created, Started) and
// the spam buckets of its two sources (the scheduler and its kubelet) fit.
const (
	eventsPerObject  = 5
	sourcesPerObject = 2
)

// maxKinds bounds the shared keys; past it a key is made per observation (compared by value
// all the same).
const maxKinds = 1 << 16

// source is a component and its host, as an Event's source names them.
type source struct{ component, host string }

// objectEvents is what the correlator remembers of one involved object, each list in the
// order its entries were made: a hundred bytes per object and sixty per event, since a
// cluster of 100,000 pods remembers half a million events for an hour.
type objectEvents struct {
	uid string
	// namespace and name are its events': the object's namespace ("default" for a
	// cluster-scoped one) and name, which with a suffix names each of its events.
	namespace, name string
	// recovered: one event of a restarted control plane, named name (Recover).
	recovered    bool
	observations []*observation
	similar      []similarRecord
	spam         []spamRecord
}

// objectWithRoom is an object's memory made with its lists' first room: one allocation
// instead of four, and one place in memory, since every event reads the object and its
// three lists. (A recovered event's object has no lists: it is made without.)
type objectWithRoom struct {
	objectEvents
	observations [eventsPerObject]*observation
	similar      [eventsPerObject]similarRecord
	spam         [sourcesPerObject]spamRecord
}

func (oe *objectEvents) empty() bool {
	return len(oe.observations) == 0 && len(oe.similar) == 0 && len(oe.spam) == 0
}

// eventKind is an event's key within its object without its message: with the message,
// every other field of getEventKey, or, for a combined event (combined set), those of its
// similar key. The similar key, EventAggregatorByReasonFunc's within an object (the
// reporting controller and instance are the component and host here), is a kind without
// fieldPath.
type eventKind struct {
	eventType, reason string
	src               *source
	fieldPath         string
	combined          bool
}

// similarRecord holds the different messages seen: most objects have one per reason,
// kept in one, without a map.
type similarRecord struct {
	key      *eventKind
	one      string
	messages map[string]struct{} // once there are two
	last     int64               // unix nanos
}

// spamRecord is the spam filter's bucket of one source about the object.
type spamRecord struct {
	src    *source
	bucket clock.TokenBucket
}

// observation is an Event as the correlator last saw it, written or not, with its key (to
// forget it when it expires).
type observation struct {
	object  *objectEvents
	kind    *eventKind
	message string // the key's: empty for a combined event
	// suffix names the event: its object's name, a dot, the suffix in hex.
	suffix      uint64
	count       int32
	first, last int64 // unix nanos
}

// name is the event's name.
func (o *observation) name() string {
	if o.object.recovered {
		return o.object.name
	}
	return eventName(o.object.name, o.suffix)
}

// appendName appends the event's name to b.
func (o *observation) appendName(b []byte) []byte {
	b = append(b, o.object.name...)
	if o.object.recovered {
		return b
	}
	return strconv.AppendUint(append(b, '.'), o.suffix, 16)
}

// expiryEntry is one touch of an observation; the observation expires through its newest.
type expiryEntry struct {
	o  *observation
	at int64 // unix nanos
}

// expiryQueue is a FIFO of entries in fixed-size chunks: it grows without copying what it
// holds (a cluster of 100,000 pods touches half a million events within the hour) and
// gives back the chunks it has handled.
type expiryQueue struct {
	chunks [][]expiryEntry // the first from head on waits; the last has room
	head   int
}

const expiryChunk = 1024

func (q *expiryQueue) push(e expiryEntry) {
	if n := len(q.chunks); n == 0 || len(q.chunks[n-1]) == expiryChunk {
		q.chunks = append(q.chunks, make([]expiryEntry, 0, expiryChunk))
	}
	last := &q.chunks[len(q.chunks)-1]
	*last = append(*last, e)
}

// peek returns the oldest entry, if any.
func (q *expiryQueue) peek() (expiryEntry, bool) {
	if len(q.chunks) == 0 || q.head == len(q.chunks[0]) {
		return expiryEntry{}, false
	}
	return q.chunks[0][q.head], true
}

// len is the number of entries waiting.
func (q *expiryQueue) len() int {
	n := -q.head
	for _, c := range q.chunks {
		n += len(c)
	}
	return n
}

func (q *expiryQueue) pop() {
	q.chunks[0][q.head] = expiryEntry{}
	q.head++
	if q.head == expiryChunk {
		q.chunks[0] = nil
		q.chunks = q.chunks[1:]
		q.head = 0
	}
}

// NewSink returns the event sink of one cluster, writing through client.
func NewSink(client *apiserver.Client, now func() time.Time) *Sink {
	return &Sink{api: client, store: client.Store(), now: now, objects: map[string]*objectEvents{}, sources: map[source]*source{},
		kinds: map[eventKind]*eventKind{}, MaxEvents: DefaultMaxEvents}
}

// Recorder emits events on behalf of one component ("kubelet" on a host, "replicaset-controller").
type Recorder struct {
	sink *Sink
	*source
	// kinds are keys this recorder used, looked up before the sink's map: a component
	// writes a handful of kinds, and comparing them is cheaper than hashing. Each is held
	// with its shared copy, so that a lookup reads one array (a thousand kubelets' kinds
	// are not all in the cache).
	kinds []recorderKind
}

type recorderKind struct {
	key    eventKind
	shared *eventKind
}

// kind returns the shared copy of k.
func (r *Recorder) kind(k eventKind) *eventKind {
	for i := range r.kinds {
		if r.kinds[i].key == k {
			return r.kinds[i].shared
		}
	}
	p := r.sink.kind(k)
	if len(r.kinds) < 16 {
		r.kinds = append(r.kinds, recorderKind{k, p})
	}
	return p
}

// Recorder returns a recorder whose events show `From` = component (and the host, for kubelets).
func (s *Sink) Recorder(component, host string) *Recorder {
	src := s.sources[source{component, host}]
	if src == nil {
		src = &source{component, host}
		s.sources[*src] = src
	}
	return &Recorder{sink: s, source: src}
}

// Involved is what an event needs of the object it is about: any api.Object, or a
// component's own smaller view of one (a kubelet keeps the pod's identity as it admitted it,
// not the whole Pod).
type Involved interface {
	GetNamespace() string
	GetName() string
	GetUID() types.UID
	GetResourceVersion() string
	GetObjectKind() schema.ObjectKind
}

// Eventf records an event about obj.
func (r *Recorder) Eventf(obj Involved, eventType, reason, messageFmt string, args ...any) {
	r.record(obj, "", eventType, reason, format(messageFmt, args))
}

// ContainerEventf records an event about one container of a pod (the SUBOBJECT column,
// `spec.containers{kubia}`).
func (r *Recorder) ContainerEventf(pod Involved, fieldPath, eventType, reason, messageFmt string, args ...any) {
	r.record(pod, fieldPath, eventType, reason, format(messageFmt, args))
}

// ContainerEvent is ContainerEventf with a message taken as it is, not as a format: the
// string given is the one stored (a kubelet shares its fixed messages between pods).
func (r *Recorder) ContainerEvent(pod Involved, fieldPath, eventType, reason, message string) {
	r.record(pod, fieldPath, eventType, reason, message)
}

// format is fmt.Sprintf, minus the formatting of the many fixed messages.
func format(messageFmt string, args []any) string {
	if len(args) == 0 && !strings.Contains(messageFmt, "%") {
		return messageFmt
	}
	return fmt.Sprintf(messageFmt, args...)
}

func (r *Recorder) record(obj Involved, fieldPath, eventType, reason, message string) {
	s := r.sink
	now := s.now()
	nanos := now.UnixNano()
	s.expire(now)
	if s.idle > max(pruneAbove, 2*s.idlePruned) {
		s.prune(now)
	}
	oe := s.object(obj)
	similar := r.kind(eventKind{eventType: eventType, reason: reason, src: r.source})
	key, keyMessage := similar, message
	if s.similarEvents(oe, similar, message, nanos) {
		// A combined event's key is its similar key: any message counts.
		message, keyMessage = combinedPrefix+message, ""
		key = r.kind(eventKind{eventType: eventType, reason: reason, src: r.source, combined: true})
	} else if fieldPath != "" {
		key = r.kind(eventKind{eventType: eventType, reason: reason, src: r.source, fieldPath: fieldPath})
	}
	o := oe.observation(key, keyMessage)
	if o == nil {
		s.seq++
		// The real recorder names events <object>.<unix nanos in hex>; a sequence number
		// keeps names unique when two events share an instant.
		o = &observation{object: oe, kind: key, message: keyMessage, suffix: uint64(nanos) + s.seq, first: nanos}
		if len(oe.observations) == 0 {
			s.idle--
		}
		oe.observations = append(oe.observations, o)
	}
	o.count++
	o.last = nanos
	s.expiry.push(expiryEntry{o, nanos})
	if !s.NoSpamFilter && !s.spamBucket(oe, r.source).TryAccept(now) {
		return
	}
	// A new observation's name is new (the sequence number grows): nothing to look up.
	if cur := s.stored(o); cur != nil {
		// Only top-level fields change: a shallow copy is handed over, sharing the rest
		// with the stored event, which is never mutated.
		c := *cur.(*corev1.Event)
		ev := &c
		ev.Count = o.count
		ev.LastTimestamp = metav1.NewTime(now)
		ev.Message = message
		_, _ = s.api.Update(ev, apiserver.UpdateOptions{HandOver: true}) // lost, as below
		return
	}
	// Stored objects carry their TypeMeta; its strings are used as they are.
	var apiVersion, kind string
	if tm, ok := obj.GetObjectKind().(*metav1.TypeMeta); ok {
		apiVersion, kind = tm.APIVersion, tm.Kind
	}
	if o, ok := obj.(api.Object); ok && kind == "" {
		if res := api.ResourceFor(o); res != nil {
			gvk := res.GroupVersionKind()
			apiVersion, kind = gvk.GroupVersion().String(), gvk.Kind
		}
	}
	ev := &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Name: o.name(), Namespace: oe.namespace},
		InvolvedObject: corev1.ObjectReference{
			Kind:            kind,
			Namespace:       obj.GetNamespace(),
			Name:            obj.GetName(),
			UID:             obj.GetUID(),
			APIVersion:      apiVersion,
			ResourceVersion: obj.GetResourceVersion(),
			FieldPath:       fieldPath,
		},
		Reason:         reason,
		Message:        message,
		Source:         corev1.EventSource{Component: r.component, Host: r.host},
		FirstTimestamp: metav1.NewTime(time.Unix(0, o.first).UTC()),
		LastTimestamp:  metav1.NewTime(now),
		Count:          o.count,
		Type:           eventType,
	}
	if !key.combined {
		// The aggregator's combined event names no reporter.
		ev.ReportingController, ev.ReportingInstance = r.component, r.reportingInstance()
	}
	s.makeRoom(now)
	// Losing an event is what a real cluster does under pressure too; never fail the
	// caller for it.
	_, _ = s.api.Create(ev, apiserver.CreateOptions{HandOver: true})
}

// stored returns the stored Event of o, if it has one.
func (s *Sink) stored(o *observation) api.Object {
	if o.count == 1 {
		return nil
	}
	return s.store.Lookup(eventsResource, o.object.namespace, o.name())
}

// object returns the correlator's memory of obj, made if new.
func (s *Sink) object(obj Involved) *objectEvents {
	uid := string(obj.GetUID())
	oe := s.objects[uid]
	if oe == nil {
		ns := obj.GetNamespace()
		if ns == "" {
			ns = metav1.NamespaceDefault
		}
		r := &objectWithRoom{objectEvents: objectEvents{uid: uid, namespace: ns, name: obj.GetName()}}
		oe = &r.objectEvents
		oe.observations, oe.similar, oe.spam = r.observations[:0], r.similar[:0], r.spam[:0]
		s.objects[uid] = oe
		s.idle++ // until its first observation, made at once
	}
	return oe
}

// kind returns the shared copy of k.
func (s *Sink) kind(k eventKind) *eventKind {
	if p := s.kinds[k]; p != nil {
		return p
	}
	p := new(eventKind) // not &k: k would escape, made anew at every call
	*p = k
	if len(s.kinds) < maxKinds {
		s.kinds[k] = p
	}
	return p
}

// observation returns the object's observation of kind and message (empty for a combined
// event), or nil.
func (oe *objectEvents) observation(kind *eventKind, message string) *observation {
	for _, o := range oe.observations {
		if (o.kind == kind || *o.kind == *kind) && o.message == message {
			return o
		}
	}
	return nil
}

// forget drops o from the memory of its object. An object left without observations
// prunes its other records, and is forgotten when nothing is left: most are, an object's
// last event being an hour old or the oldest of the budget.
func (s *Sink) forget(o *observation, now time.Time) {
	oe := o.object
	if oe.recovered {
		return
	}
	n := len(oe.observations)
	oe.observations = slices.DeleteFunc(oe.observations, func(x *observation) bool { return x == o })
	if n > 0 && len(oe.observations) == 0 {
		s.idle++
		s.pruneObject(oe, now)
	}
}

// pruneObject forgets the object's similar records too old to combine anything and its
// spam buckets that are full (as good as new), and the object when nothing is left. Either
// is the same as absent, so when it happens changes nothing but the memory held.
func (s *Sink) pruneObject(oe *objectEvents, now time.Time) {
	oe.similar = slices.DeleteFunc(oe.similar, func(r similarRecord) bool { return time.Duration(now.UnixNano()-r.last) > similarInterval })
	oe.spam = slices.DeleteFunc(oe.spam, func(r spamRecord) bool { return r.bucket.Full(now) })
	if oe.empty() && s.objects[oe.uid] == oe {
		delete(s.objects, oe.uid)
		s.idle--
	}
}

// similarEvents is the EventAggregator: it notes message among the similar events of k and
// reports whether the event is to be combined (maxSimilar different messages seen, each
// within similarInterval of the one before).
func (s *Sink) similarEvents(oe *objectEvents, k *eventKind, message string, now int64) bool {
	var rec *similarRecord
	for i := range oe.similar {
		if r := &oe.similar[i]; r.key == k || *r.key == *k {
			rec = r
			break
		}
	}
	switch {
	case rec == nil:
		oe.similar = append(oe.similar, similarRecord{key: k, one: message})
		rec = &oe.similar[len(oe.similar)-1]
	case time.Duration(now-rec.last) > similarInterval:
		*rec = similarRecord{key: k, one: message}
	}
	rec.last = now
	if rec.messages == nil {
		if message == rec.one {
			return false
		}
		rec.messages = map[string]struct{}{rec.one: {}}
	}
	rec.messages[message] = struct{}{}
	if len(rec.messages) < maxSimilar {
		return false
	}
	// Upstream drops any one message (sets.String's PopAny); the least keeps runs alike.
	least := ""
	first := true
	for m := range rec.messages {
		if first || m < least {
			least, first = m, false
		}
	}
	delete(rec.messages, least)
	return true
}

// prune prunes every object (pruneObject): the objects left without observations while
// their records were young, once there are many.
func (s *Sink) prune(now time.Time) {
	for _, oe := range s.objects {
		s.pruneObject(oe, now)
	}
	s.idlePruned = s.idle
}

// spamBucket returns the spam filter's bucket of src about the object, to be used at once
// (it lives in the object's list, which the next bucket made may move).
func (s *Sink) spamBucket(oe *objectEvents, src *source) *clock.TokenBucket {
	for i := range oe.spam {
		if oe.spam[i].src == src {
			return &oe.spam[i].bucket
		}
	}
	oe.spam = append(oe.spam, spamRecord{src, *clock.NewTokenBucket(spamInterval, spamBurst)})
	return &oe.spam[len(oe.spam)-1].bucket
}

// eventName is "<object>.<n in hex>", built in one allocation.
func eventName(object string, n uint64) string {
	var b strings.Builder
	b.Grow(len(object) + 17)
	b.WriteString(object)
	b.WriteByte('.')
	var digits [16]byte
	b.Write(strconv.AppendUint(digits[:0], n, 16))
	return b.String()
}

func (r *Recorder) reportingInstance() string {
	if r.host != "" {
		return r.host
	}
	return ""
}

// expire deletes the events not written for TTL (the API server's --event-ttl) and forgets
// the observations not seen for TTL. Entries for events touched again later are stale and
// skipped; the event expires through its newest entry.
func (s *Sink) expire(now time.Time) {
	cutoff := now.Add(-TTL).UnixNano()
	for {
		e, ok := s.expiry.peek()
		if !ok || e.at > cutoff {
			break
		}
		s.expiry.pop()
		o := e.o
		// Most entries are stale or their event is gone already: the name is built in a
		// buffer, a string made only for the event that expires.
		ns := o.object.namespace
		s.nameBuf = o.appendName(s.nameBuf[:0])
		if last, ok := s.store.EventLastTimestamp(ns, s.nameBuf); ok && last.UnixNano() <= e.at {
			s.api.Expire(eventsResource, ns, string(s.nameBuf))
		}
		if o.last <= e.at {
			s.forget(o, now)
		}
	}
}

// makeRoom expires events early while the events' budget is full.
func (s *Sink) makeRoom(now time.Time) {
	for s.MaxEvents > 0 && s.store.EventCount() >= s.MaxEvents {
		if !s.expireOldest(now) {
			return
		}
	}
}

// expireOldest expires the event touched longest ago before its time and forgets it. It
// reports whether there was one.
func (s *Sink) expireOldest(now time.Time) bool {
	for {
		e, ok := s.expiry.peek()
		if !ok {
			return false
		}
		s.expiry.pop()
		o := e.o
		if o.last > e.at {
			continue // touched since: a later entry stands for it
		}
		ns := o.object.namespace
		s.nameBuf = o.appendName(s.nameBuf[:0])
		s.forget(o, now)
		// The name made on the stack: the store keeps none of it.
		if s.api.Expire(eventsResource, ns, string(s.nameBuf)) {
			return true
		}
	}
}

// Expire removes events older than the TTL; the sim calls it when time moves.
func (s *Sink) Expire() { s.expire(s.now()) }

// Seq is the sink's count of Events named so far, which Recover takes back: event names
// stay unique across a restart.
func (s *Sink) Seq() uint64 { return s.seq }

// Recover is the sink of a restarted control plane over a surviving store: it names events
// on from seq and expires the stored events by their last timestamp, as the API server's
// leases would. The correlator's memory is lost, as a restarted component's is: the next
// occurrence of an event is a new Event.
func (s *Sink) Recover(seq uint64) {
	s.seq = seq
	// Each stored event expires through an observation of its own, which no object's
	// memory holds (forget leaves such an observation alone).
	var entries []expiryEntry
	s.store.Each(eventsResource, "", func(o api.Object) bool {
		ev := o.(*corev1.Event)
		at := ev.LastTimestamp.UnixNano()
		oe := &objectEvents{namespace: ev.Namespace, name: ev.Name, recovered: true}
		entries = append(entries, expiryEntry{o: &observation{object: oe, first: at, last: at}, at: at})
		return true
	})
	// sort.SliceStable: the generic stable sort of this type would be 9 KB of wasm.
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].at < entries[j].at })
	s.expiry = expiryQueue{}
	for _, e := range entries {
		s.expiry.push(e)
	}
}
