package clock

import (
	"container/heap"
	"time"
)

// Clock holds virtual time and the timers waiting on it.
type Clock struct {
	now   time.Time
	seq   uint64
	queue timerHeap
}

// Timer is one pending callback. Label says what it is for, so that a UI can show "next:
// kubelet probe kubia-liveness" and tests can tell timers apart.
type Timer struct {
	At    time.Time
	Label string
	fn    func()
	seq   uint64
	index int // position in the heap; -1 once fired or stopped
}

// New returns a clock standing at start.
func New(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now is the current virtual instant.
func (c *Clock) Now() time.Time { return c.now }

// At schedules fn for instant t; a t in the past fires at the current instant.
func (c *Clock) At(t time.Time, label string, fn func()) *Timer {
	if t.Before(c.now) {
		t = c.now
	}
	c.seq++
	tm := &Timer{At: t, Label: label, fn: fn, seq: c.seq}
	heap.Push(&c.queue, tm)
	return tm
}

// After schedules fn d after now.
func (c *Clock) After(d time.Duration, label string, fn func()) *Timer {
	return c.At(c.now.Add(d), label, fn)
}

// Stop cancels the timer; it reports whether the timer was still pending.
func (c *Clock) Stop(t *Timer) bool {
	if t == nil || t.index < 0 {
		return false
	}
	heap.Remove(&c.queue, t.index)
	return true
}

// Pending reports whether the timer has neither fired nor been stopped.
func (t *Timer) Pending() bool { return t != nil && t.index >= 0 }

// Next returns the earliest pending timer, or nil.
func (c *Clock) Next() *Timer {
	if len(c.queue) == 0 {
		return nil
	}
	return c.queue[0]
}

// Len is the number of pending timers.
func (c *Clock) Len() int { return len(c.queue) }

// FireDue runs the earliest timer if it is due at the current instant and reports whether
// one ran. The sim loop calls it one timer at a time so that the watch events a timer causes
// are handled before the next timer fires.
func (c *Clock) FireDue() bool {
	_, fired := c.FireDueLabel()
	return fired
}

// FireDueLabel is FireDue that also tells the label of the timer that ran.
func (c *Clock) FireDueLabel() (string, bool) {
	if len(c.queue) == 0 || c.queue[0].At.After(c.now) {
		return "", false
	}
	t := heap.Pop(&c.queue).(*Timer)
	t.fn()
	return t.Label, true
}

// MoveTo sets the current instant to t; time never goes backwards, so an earlier t is
// ignored. Timers are not fired here: the caller fires them with FireDue.
func (c *Clock) MoveTo(t time.Time) {
	if t.After(c.now) {
		c.now = t
	}
}

type timerHeap []*Timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].At.Equal(h[j].At) {
		return h[i].At.Before(h[j].At)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}
