package sim

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/clock"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/store"
)

// Handler receives a watch event; it should only look at the event and enqueue keys.
type Handler func(ev store.WatchEvent)

// SyncFunc reconciles one key. A positive requeueAfter asks to be synced again after that
// much virtual time; an error asks for a retry with back-off.
type SyncFunc func(key string) (requeueAfter time.Duration, err error)

// The settle budget: how many steps one Settle may take before the cluster says that a
// control loop is fighting itself instead of hanging the tab. It is proportional to the
// work: DefaultMaxSteps for any instant, plus DefaultStepsPerObject for every object the
// instant writes for the first time (created, or changed for the first time since the
// Settle began). Legitimate work writes ever new objects (100,000 pods and their events
// take a few steps each); a fight writes the same few objects over and over, so it runs
// out of budget after about DefaultMaxSteps steps whatever the size of the cluster.
const (
	DefaultMaxSteps       = 1_000_000
	DefaultStepsPerObject = 64
	// diagnosisSteps are the steps run past the budget (at most MaxSteps) to name the
	// fight: what was synced and written most meanwhile.
	diagnosisSteps = 10_000
)

// LatestTime is as far as virtual time goes: the last second whose RFC 3339 form has a
// four-digit year. Timestamps past it could not be written into objects, share links or
// saved states and read back.
var LatestTime = time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)

// CheckDeadline refuses a time past LatestTime, with the error RunUntil returns for it.
func CheckDeadline(t time.Time) error {
	if t.After(LatestTime) {
		return fmt.Errorf("virtual time cannot pass %s (it would reach %s)", LatestTime.Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	return nil
}

// Cluster is one simulated cluster.
type Cluster struct {
	Seed  uint64
	Start time.Time
	Clock *clock.Clock
	// Store is for reading; every write goes through API.
	Store  *store.Store
	API    *apiserver.Server
	Events *events.Sink

	// MaxSteps and StepsPerObject make the settle budget of one Settle: MaxSteps steps plus
	// StepsPerObject per object first written in it (DefaultMaxSteps, DefaultStepsPerObject).
	MaxSteps, StepsPerObject int

	// Pause, when set, is called between the steps of a Settle, and inside the steps that do
	// much (MayPause), where every write is whole: the program around the engine (the
	// browser's shell) lets the page paint there when an instant holds much work (scaling
	// to 1,000 pods), so that the instant is seen to unfold instead of freezing the page.
	// Pause must leave the cluster as it is; it may let readers look at it. The engine
	// itself never waits: Pause is how its host does.
	Pause func()
	// Steps counts the steps of every Settle since the cluster was made or restored: a
	// measure of the work its history took, which replaying that history takes again.
	Steps uint64

	// pausing is set while Pause runs. A Settle called then (kubectl's read-only commands
	// settle after themselves, and the page's panel runs them) returns at once: the
	// instant's remaining work belongs to the paused Settle, which goes on in the same order
	// as without pauses.
	pausing bool

	// streams are the random streams handed out so far, by label (Stream), with the
	// generator each draws from, whose state a checkpoint keeps (restore.go).
	streams map[string]*rand.Rand
	sources map[string]*rand.PCG

	handlers    map[string][]watcher
	lastWatcher uint64 // numbers the handlers WatchUntilCancelled registers
	controllers map[string]SyncFunc
	queue       []workItem // queue[head:] waits; the slice is reused once drained
	head        int
	queued      map[workItem]bool
	delayed     map[workItem]*clock.Timer
	failures    map[workItem]int
}

// watcher is a registered handler; id tells a WatchUntilCancelled one apart for its cancel
// (0: registered by Watch, for the cluster's lifetime).
type watcher struct {
	fn Handler
	id uint64
}

type workItem struct {
	controller, key string
}

// New returns an empty cluster (no namespaces, nodes or controllers: see engine/cluster for
// the default one).
func New(seed uint64, start time.Time) *Cluster {
	c := &Cluster{
		Seed:           seed,
		Start:          start,
		Clock:          clock.New(start),
		MaxSteps:       DefaultMaxSteps,
		StepsPerObject: DefaultStepsPerObject,
		streams:        map[string]*rand.Rand{},
		sources:        map[string]*rand.PCG{},
		handlers:       map[string][]watcher{},
		controllers:    map[string]SyncFunc{},
		queued:         map[workItem]bool{},
		delayed:        map[workItem]*clock.Timer{},
		failures:       map[workItem]int{},
	}
	s, w := store.New()
	c.Store = s
	c.API = apiserver.New(s, w, c.Clock.Now, c.Stream)
	c.Events = events.NewSink(c.API.Client(EventsClient), c.Clock.Now)
	return c
}

// EventsClient is the API client that writes every component's events.
const EventsClient = "event-recorder"

// StreamLayout numbers the way random streams are derived from the seed. A saved cluster
// records it: the same journal replayed under another layout makes other names.
//
//	1: one stream shared by every component (until December 2026)
//	2: one stream per purpose, Stream(label)
const StreamLayout = 2

// Stream returns the random stream for a purpose ("scheduler", "kubelet/worker-1",
// "names/replicaset-controller"): the same cluster seed and label always give the same
// sequence, and a draw from one stream changes no other, so that a component that draws
// more (or a new component) renames nothing elsewhere. The same label returns the same
// stream.
func (c *Cluster) Stream(label string) *rand.Rand {
	if r := c.streams[label]; r != nil {
		return r
	}
	h := fnv.New64a()
	h.Write([]byte(label))
	l := h.Sum64()
	src := rand.NewPCG(mix(c.Seed^l), mix(c.Seed+l+0x9e3779b97f4a7c15))
	r := rand.New(src)
	c.streams[label], c.sources[label] = r, src
	return r
}

// mix is splitmix64's finaliser: nearby seeds and labels give unrelated PCG states.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Now is the cluster's virtual time.
func (c *Cluster) Now() time.Time { return c.Clock.Now() }

// Recorder returns an event recorder for a component.
func (c *Cluster) Recorder(component, host string) *events.Recorder {
	return c.Events.Recorder(component, host)
}

// Watch registers a handler for changes to a resource (plural name, "pods") for the
// cluster's lifetime. Handlers run in registration order.
func (c *Cluster) Watch(resource string, h Handler) {
	c.handlers[resource] = append(c.handlers[resource], watcher{fn: h})
}

// WatchUntilCancelled is Watch for a watcher that goes away again (a kubectl watch):
// the handler runs in registration order among all the others until cancel, and once
// cancel has been called it never runs again, not even for the rest of the events being
// delivered when it was called (by a handler). Calling cancel again does nothing.
func (c *Cluster) WatchUntilCancelled(resource string, h Handler) (cancel func()) {
	c.lastWatcher++
	id := c.lastWatcher
	live := true
	c.handlers[resource] = append(c.handlers[resource], watcher{fn: func(ev store.WatchEvent) {
		if live {
			h(ev)
		}
	}, id: id})
	return func() {
		if !live {
			return
		}
		live = false
		// A new slice: Settle may be ranging over the old one, which must not shift under it.
		rest := slices.DeleteFunc(slices.Clone(c.handlers[resource]), func(w watcher) bool { return w.id == id })
		if len(rest) == 0 {
			delete(c.handlers, resource)
			return
		}
		c.handlers[resource] = rest
	}
}

// Watchers is the number of handlers registered for a resource: a cancelled one no longer
// counts.
func (c *Cluster) Watchers(resource string) int { return len(c.handlers[resource]) }

// AddController registers a named sync function.
func (c *Cluster) AddController(name string, sync SyncFunc) {
	if _, dup := c.controllers[name]; dup {
		panic("sim: controller registered twice: " + name)
	}
	c.controllers[name] = sync
}

// Enqueue asks controller to sync key at the current instant; a key already waiting is not
// queued twice.
func (c *Cluster) Enqueue(controller, key string) {
	it := workItem{controller, key}
	if c.queued[it] {
		return
	}
	c.queued[it] = true
	c.queue = append(c.queue, it)
}

// EnqueueAfter asks for a sync after d. Like upstream's delaying queue, only the earliest
// requested time is kept.
func (c *Cluster) EnqueueAfter(controller, key string, d time.Duration) {
	if d <= 0 {
		c.Enqueue(controller, key)
		return
	}
	it := workItem{controller, key}
	at := c.Now().Add(d)
	if t := c.delayed[it]; t.Pending() {
		if !at.Before(t.At) {
			return
		}
		c.Clock.Stop(t)
	}
	c.delayed[it] = c.Clock.At(at, controller+" "+key, func() {
		delete(c.delayed, it)
		c.Enqueue(controller, key)
	})
}

// Settle runs everything due at the current instant: timers, then watch events, then syncs,
// always returning to timers and events after each step, until nothing is left. It stops
// with an error that names the controller and the object when the steps outrun the settle
// budget (DefaultMaxSteps).
func (c *Cluster) Settle() error {
	if c.pausing {
		return nil
	}
	// rv is the store's resourceVersion when the Settle began: an event whose previous
	// version is not newer is the first write of its object in this Settle.
	rv := c.Store.ResourceVersion()
	var written int
	var diag *diagnosis
	for steps := 0; ; steps++ {
		if steps > 0 {
			c.Steps++
			c.MayPause()
		}
		if diag == nil && steps >= c.MaxSteps+c.StepsPerObject*written {
			diag = &diagnosis{from: steps, syncs: map[string]int{}, timers: map[string]int{}, writes: map[string]int{}}
		}
		if diag != nil && steps >= diag.from+min(diagnosisSteps, c.MaxSteps) {
			return diag.error(c.Now(), steps)
		}
		if label, ok := c.Clock.FireDueLabel(); ok {
			if diag != nil {
				diag.timers[label]++
			}
			continue
		}
		if c.Store.HasPending() {
			for _, ev := range c.Store.Drain() {
				if ev.Type == store.Added || firstWrite(ev.Old, rv) {
					written++
				}
				if diag != nil {
					diag.writes[objectName(ev.Resource.Name, ev.Object.GetNamespace(), ev.Object.GetName())]++
				}
				for _, w := range c.handlers[ev.Resource.Name] {
					w.fn(ev)
				}
			}
			continue
		}
		if c.head < len(c.queue) {
			it := c.queue[c.head]
			c.queue[c.head] = workItem{}
			c.head++
			if c.head == len(c.queue) {
				c.queue, c.head = c.queue[:0], 0
			}
			delete(c.queued, it)
			if diag != nil {
				diag.syncs[it.controller+" synced "+it.key]++
			}
			c.sync(it)
			continue
		}
		return nil
	}
}

// firstWrite tells whether old, the version a write replaced, was stored before the Settle
// began (at resourceVersion rv).
func firstWrite(old api.Object, rv uint64) bool {
	if old == nil {
		return true
	}
	n, err := strconv.ParseUint(old.GetResourceVersion(), 10, 64)
	return err != nil || n <= rv
}

// objectName is how the diagnosis names an object: its resource and namespace/name.
func objectName(resource, namespace, name string) string {
	if namespace != "" {
		name = namespace + "/" + name
	}
	return resource + " " + name
}

// diagnosis counts what happens in the steps past the settle budget, to name the fight:
// syncs by "<controller> synced <key>", timers by label, writes by objectName.
type diagnosis struct {
	from   int
	syncs  map[string]int
	timers map[string]int
	writes map[string]int
}

func (d *diagnosis) error(now time.Time, steps int) error {
	var what []string
	for _, sync := range most(d.syncs) {
		what = append(what, fmt.Sprintf("%s %d times", sync, d.syncs[sync]))
	}
	for _, label := range most(d.timers) {
		what = append(what, fmt.Sprintf("the timer %q fired %d times", label, d.timers[label]))
	}
	for _, o := range most(d.writes) {
		what = append(what, fmt.Sprintf("%s was written %d times", o, d.writes[o]))
	}
	if len(what) == 0 {
		what = append(what, "nothing was synced or written")
	}
	return fmt.Errorf("the simulation did not settle at %s after %d steps: in the last %d, %s (a control loop keeps changing objects)",
		now.UTC().Format(time.RFC3339), steps, steps-d.from, strings.Join(what, ", "))
}

// most returns the keys counted most: up to three, each counted at least half as often as
// the first, most first and then in key order (map order must not show). Strings, not a
// generic key: each instance of a generic one was 3 KB of the browser's wasm.
func most(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return cmp.Or(cmp.Compare(m[keys[j]], m[keys[i]]), strings.Compare(keys[i], keys[j])) < 0
	})
	n := 0
	for n < min(len(keys), 3) && 2*m[keys[n]] >= m[keys[0]] {
		n++
	}
	return keys[:n]
}

// MayPause calls Pause, if set: a controller calls it in the middle of a sync that does
// much (a burst of 500 pod creations), after a whole write.
func (c *Cluster) MayPause() {
	if c.Pause != nil && !c.pausing {
		c.pausing = true
		c.Pause()
		c.pausing = false
	}
}

func (c *Cluster) sync(it workItem) {
	fn := c.controllers[it.controller]
	if fn == nil {
		panic("sim: no controller named " + it.controller)
	}
	after, err := fn(it.key)
	if err != nil {
		// Retry with back-off, 1 s doubling to a minute: the shape of upstream's per-item
		// rate limiter, in whole seconds so that runs stay easy to read.
		n := c.failures[it]
		c.failures[it] = n + 1
		delay := time.Second << min(n, 6)
		c.EnqueueAfter(it.controller, it.key, delay)
		return
	}
	delete(c.failures, it)
	if after > 0 {
		c.EnqueueAfter(it.controller, it.key, after)
	}
}

// Advance moves virtual time forward by d, running everything that falls due on the way.
func (c *Cluster) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("cannot move time backwards (%s)", d)
	}
	_, err := c.RunUntil(c.Now().Add(d), nil)
	return err
}

// RunUntil moves time towards deadline, one due instant at a time, and stops early as soon as
// done reports true after an instant has settled. It reports whether done became true (always
// false for a nil done). Time ends at the instant done became true, or at deadline.
//
// Time never passes LatestTime: a deadline past it is an error once time reaches it
// without done becoming true.
func (c *Cluster) RunUntil(deadline time.Time, done func() bool) (bool, error) {
	tooFar := CheckDeadline(deadline)
	if tooFar != nil {
		deadline = LatestTime
	}
	for {
		if err := c.Settle(); err != nil {
			return false, err
		}
		if done != nil && done() {
			return true, nil
		}
		next := c.Clock.Next()
		if next == nil || next.At.After(deadline) {
			break
		}
		c.Clock.MoveTo(next.At)
	}
	c.Clock.MoveTo(deadline)
	c.Events.Expire()
	if err := c.Settle(); err != nil {
		return false, err
	}
	if done != nil && done() {
		return true, nil
	}
	return false, tooFar
}

// NextTimer tells when the next thing is scheduled to happen and what it is.
func (c *Cluster) NextTimer() (at time.Time, label string, ok bool) {
	t := c.Clock.Next()
	if t == nil {
		return time.Time{}, "", false
	}
	return t.At, t.Label, true
}
