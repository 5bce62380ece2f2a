package clock

import (
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)

func TestTimersFireInTimeThenInsertionOrder(t *testing.T) {
	c := New(t0)
	var got []string
	rec := func(s string) func() { return func() { got = append(got, s) } }
	c.After(2*time.Second, "b", rec("b"))
	c.After(time.Second, "a1", rec("a1"))
	c.After(time.Second, "a2", rec("a2"))
	stopped := c.After(time.Second, "x", rec("x"))
	c.After(-time.Minute, "past", rec("past"))
	if !c.Stop(stopped) || c.Stop(stopped) {
		t.Fatal("Stop should succeed once")
	}
	for c.Len() > 0 {
		c.MoveTo(c.Next().At)
		for c.FireDue() {
		}
	}
	want := []string{"past", "a1", "a2", "b"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if !c.Now().Equal(t0.Add(2 * time.Second)) {
		t.Fatalf("now = %v", c.Now())
	}
}

func TestFireDueWaitsForTime(t *testing.T) {
	c := New(t0)
	fired := false
	tm := c.After(time.Minute, "later", func() { fired = true })
	if c.FireDue() || fired {
		t.Fatal("fired early")
	}
	c.MoveTo(t0.Add(-time.Hour)) // backwards is ignored
	if !c.Now().Equal(t0) {
		t.Fatal("clock went backwards")
	}
	c.MoveTo(t0.Add(time.Minute))
	if !c.FireDue() || !fired || tm.Pending() {
		t.Fatal("did not fire when due")
	}
}
