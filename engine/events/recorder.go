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
	"github.com/kubetab/kubetab/engine/clock"
	"github.com/kubetab/kubetab/engine/store"
)

// TTL is how long an event lives after it was last seen.
const TTL = time.Hour

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
	// pruneAbove is the size past which the correlator's memory drops what no longer
	// matters (records too old to combine, full spam buckets: forgetting them changes
	// nothing, unlike upstream's LRU caches of 4,096, which evict live entries). Small, so
	// that the maps, looked up at every event, stay small too.
	pruneAbove = 256
)

var eventsResource = api.ResourceByName("events")

// Sink is shared by the recorders of one cluster: it aggregates repeats and expires old
// events.
type Sink struct {
	api   *apiserver.Client
	store *store.Store
	now   func() time.Time
	seq   uint64
	// byKey is the correlator's memory of each event it wrote, or would have written: the
	// Event to bump for a repeat, and the count so far.
	byKey map[aggregateKey]*observation
	// similar holds the messages seen per object, source, type and reason (aggregation).
	similar map[similarKey]*similarRecord
	// spam is the spam filter's bucket per object and source; spamPruned is its size after
	// the last prune.
	spam                      map[spamKey]*clock.TokenBucket
	spamPruned, similarPruned int
	// sources numbers the recorders' sources (component and host), so that the keys above
	// hash one number instead of two strings.
	sources map[source]int32
	// NoSpamFilter turns the spam filter off, for tests that count every sighting of a busy
	// object's events (a kubelet's back-off cadence) in the stored events.
	NoSpamFilter bool
	// expiry lists events in the order they were last touched; entries before head have
	// been handled, the one at head expires next.
	expiry []expiryEntry
	head   int
}

// source is an event's source: the component and, for a kubelet, its host.
type source struct{ component, host string }

// aggregateKey identifies one Event: every field of getEventKey (src standing for the
// component and host), or, for a combined event (combined set), those of its similarKey.
type aggregateKey struct {
	uid                        string
	eventType, reason, message string
	fieldPath                  string
	src                        int32
	combined                   bool
}

// similarKey is EventAggregatorByReasonFunc's key (the reporting controller and instance
// are the component and host here).
type similarKey struct {
	uid, eventType, reason string
	src                    int32
}

// similarRecord holds the different messages seen: most objects have one per reason,
// kept in one, without a map.
type similarRecord struct {
	one      string
	messages map[string]struct{} // once there are two
	last     time.Time
}

type spamKey struct {
	uid string
	src int32
}

type eventRef struct{ namespace, name string }

// observation is an Event as the correlator last saw it, written or not.
type observation struct {
	eventRef
	count       int32
	first, last time.Time
}

type expiryEntry struct {
	obs *observation
	key aggregateKey
	at  time.Time
}

// NewSink returns the event sink of one cluster, writing through client.
func NewSink(client *apiserver.Client, now func() time.Time) *Sink {
	return &Sink{api: client, store: client.Store(), now: now, byKey: map[aggregateKey]*observation{},
		similar: map[similarKey]*similarRecord{}, spam: map[spamKey]*clock.TokenBucket{}, sources: map[source]int32{}}
}

// Recorder emits events on behalf of one component ("kubelet" on a host, "replicaset-controller").
type Recorder struct {
	sink      *Sink
	component string
	host      string
	src       int32 // the Sink's number for component and host
}

// Recorder returns a recorder whose events show `From` = component (and the host, for kubelets).
func (s *Sink) Recorder(component, host string) *Recorder {
	src, ok := s.sources[source{component, host}]
	if !ok {
		src = int32(len(s.sources))
		s.sources[source{component, host}] = src
	}
	return &Recorder{sink: s, component: component, host: host, src: src}
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

// format is fmt.Sprintf, minus the formatting of the many fixed messages, and without fmt
// for the usual ones: plain %s, %v, %q verbs with string arguments and %d, %v with int ones.
func format(messageFmt string, args []any) string {
	if len(args) == 0 && !strings.Contains(messageFmt, "%") {
		return messageFmt
	}
	if s, ok := formatPlain(messageFmt, args); ok {
		return s
	}
	return fmt.Sprintf(messageFmt, args...)
}

// formatPlain formats as fmt.Sprintf does when every verb is a flagless %s, %v or %q of a
// string, or %d or %v of an int, and the arguments are exactly used; otherwise it reports
// false.
func formatPlain(messageFmt string, args []any) (string, bool) {
	// Built on the stack; the one allocation is the string itself, as with Sprintf.
	var stack [256]byte
	b := stack[:0]
	next := 0
	for i := 0; i < len(messageFmt); i++ {
		c := messageFmt[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i++; i == len(messageFmt) {
			return "", false
		}
		verb := messageFmt[i]
		if verb == '%' {
			b = append(b, '%')
			continue
		}
		if next == len(args) {
			return "", false
		}
		arg := args[next]
		next++
		var n int64
		switch v := arg.(type) {
		case string:
			switch verb {
			case 's', 'v':
				b = append(b, v...)
			case 'q':
				b = strconv.AppendQuote(b, v)
			default:
				return "", false
			}
			continue
		case int:
			n = int64(v)
		case int32:
			n = int64(v)
		case int64:
			n = v
		default:
			return "", false
		}
		if verb != 'd' && verb != 'v' {
			return "", false
		}
		b = strconv.AppendInt(b, n, 10)
	}
	if next != len(args) {
		return "", false
	}
	return string(b), true
}

func (r *Recorder) record(obj api.Object, fieldPath, eventType, reason, message string) {
	s := r.sink
	now := s.now()
	s.expire(now)
	uid := string(obj.GetUID())
	key := aggregateKey{uid, eventType, reason, message, fieldPath, r.src, false}
	if s.similarEvents(similarKey{uid, eventType, reason, r.src}, message, now) {
		message = combinedPrefix + message
		key = aggregateKey{uid: uid, eventType: eventType, reason: reason, src: r.src, combined: true}
	}
	o := s.byKey[key]
	if o == nil {
		ns := obj.GetNamespace()
		if ns == "" {
			ns = metav1.NamespaceDefault
		}
		s.seq++
		// The real recorder names events <object>.<unix nanos in hex>; a sequence number
		// keeps names unique when two events share an instant.
		o = &observation{eventRef: eventRef{ns, eventName(obj.GetName(), uint64(now.UnixNano())+s.seq)}, first: now}
		s.byKey[key] = o
	}
	o.count++
	o.last = now
	s.expiry = append(s.expiry, expiryEntry{o, key, now})
	if !s.NoSpamFilter && !s.spamBucket(spamKey{uid, r.src}).TryAccept(now) {
		return
	}
	if cur := s.store.Lookup(eventsResource, o.namespace, o.name); cur != nil {
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
	if kind == "" {
		if res := api.ResourceFor(obj); res != nil {
			gvk := res.GroupVersionKind()
			apiVersion, kind = gvk.GroupVersion().String(), gvk.Kind
		}
	}
	ev := &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Name: o.name, Namespace: o.namespace},
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
		FirstTimestamp: metav1.NewTime(o.first),
		LastTimestamp:  metav1.NewTime(now),
		Count:          o.count,
		Type:           eventType,
	}
	if !key.combined {
		// The aggregator's combined event names no reporter.
		ev.ReportingController, ev.ReportingInstance = r.component, r.reportingInstance()
	}
	// Losing an event is what a real cluster does under pressure too; never fail the
	// caller for it.
	_, _ = s.api.Create(ev, apiserver.CreateOptions{HandOver: true})
}

// similarEvents is the EventAggregator: it notes message among the similar events of k and
// reports whether the event is to be combined (maxSimilar different messages seen, each
// within similarInterval of the one before).
func (s *Sink) similarEvents(k similarKey, message string, now time.Time) bool {
	rec := s.similar[k]
	if rec == nil || now.Sub(rec.last) > similarInterval {
		if len(s.similar) > max(pruneAbove, 2*s.similarPruned) {
			s.pruneSimilar(now)
		}
		rec = &similarRecord{one: message}
		s.similar[k] = rec
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

// pruneSimilar forgets the records too old to combine anything.
func (s *Sink) pruneSimilar(now time.Time) {
	for k, rec := range s.similar {
		if now.Sub(rec.last) > similarInterval {
			delete(s.similar, k)
		}
	}
	s.similarPruned = len(s.similar)
}

// spamBucket returns the spam filter's bucket of k, forgetting full ones (as good as new)
// when there are many.
func (s *Sink) spamBucket(k spamKey) *clock.TokenBucket {
	if b := s.spam[k]; b != nil {
		return b
	}
	if len(s.spam) > max(pruneAbove, 2*s.spamPruned) {
		now := s.now()
		for k, b := range s.spam {
			if b.Full(now) {
				delete(s.spam, k)
			}
		}
		s.spamPruned = len(s.spam)
	}
	b := clock.NewTokenBucket(spamInterval, spamBurst)
	s.spam[k] = b
	return b
}

// eventName is "<object>.<n in hex>", built in one allocation.
func eventName(object string, n uint64) string {
	var hex [16]byte
	digits := strconv.AppendUint(hex[:0], n, 16)
	var b strings.Builder
	b.Grow(len(object) + 1 + len(digits))
	b.WriteString(object)
	b.WriteByte('.')
	b.Write(digits)
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
	cutoff := now.Add(-TTL)
	i := s.head
	for ; i < len(s.expiry); i++ {
		e := s.expiry[i]
		if e.at.After(cutoff) {
			break
		}
		o := e.obs
		if cur := s.store.Lookup(eventsResource, o.namespace, o.name); cur != nil && !cur.(*corev1.Event).LastTimestamp.Time.After(e.at) {
			s.api.Expire(eventsResource, o.namespace, o.name)
		}
		// The observation is forgotten through its newest entry, unless a new one took its
		// key meanwhile.
		if !o.last.After(e.at) && s.byKey[e.key] == o {
			delete(s.byKey, e.key)
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
