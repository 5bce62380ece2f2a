package sim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/store"
)

// createNamespaces writes one namespace per name without settling: their events are then
// delivered together, in one drain.
func createNamespaces(t *testing.T, c *Cluster, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := c.API.Client("test").Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n}}, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// Handlers that can be cancelled run in registration order among the others; cancelled,
// they are gone at once, even for the rest of the events of the drain that is delivering.
func TestWatchUntilCancelled(t *testing.T) {
	c := New(1, time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC))
	var calls []string
	record := func(who string) Handler {
		return func(ev store.WatchEvent) { calls = append(calls, fmt.Sprintf("%s:%s", who, ev.Object.GetName())) }
	}
	c.Watch("namespaces", record("a"))
	var cancelB, cancelC func()
	cancelB = c.WatchUntilCancelled("namespaces", func(ev store.WatchEvent) {
		record("b")(ev)
		if ev.Object.GetName() == "two" {
			cancelC() // c comes after b: it must not see "two"
			cancelB()
		}
	})
	cancelC = c.WatchUntilCancelled("namespaces", record("c"))
	c.Watch("namespaces", record("d"))
	createNamespaces(t, c, "one", "two", "three")
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	want := []string{"a:one", "b:one", "c:one", "d:one", "a:two", "b:two", "d:two", "a:three", "d:three"}
	if !slices.Equal(calls, want) {
		t.Fatalf("calls %v, want %v", calls, want)
	}
	if n := c.Watchers("namespaces"); n != 2 {
		t.Fatalf("%d handlers registered after cancelling two of four", n)
	}

	// A cancel called again does nothing; the last one gone leaves nothing behind.
	calls = nil
	cancelB()
	cancel := c.WatchUntilCancelled("nodes", record("e"))
	cancel()
	cancel()
	if _, ok := c.handlers["nodes"]; ok || c.Watchers("nodes") != 0 {
		t.Fatal("a cancelled handler is still registered")
	}
	createNamespaces(t, c, "four")
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a:four", "d:four"}; !slices.Equal(calls, want) {
		t.Fatalf("calls %v, want %v", calls, want)
	}
}

// A Settle with Pause does the same work in the same order as one without; Pause runs
// between steps, and a Settle called from it (a reader's) does nothing.
func TestSettlePause(t *testing.T) {
	run := func(pause bool) (log []string, pauses int, seen []int) {
		c := New(1, time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC))
		c.Watch("namespaces", func(ev store.WatchEvent) {
			log = append(log, "event "+ev.Object.GetName())
			c.Enqueue("chain", ev.Object.GetName())
		})
		c.AddController("chain", func(key string) (time.Duration, error) {
			log = append(log, "sync "+key)
			if len(key) < 4 {
				createNamespaces(t, c, key+"a", key+"b")
			}
			return 0, nil
		})
		if pause {
			c.Pause = func() {
				pauses++
				if err := c.Settle(); err != nil {
					t.Fatal(err)
				}
				objs, err := c.Store.List(api.LookupResource("namespaces"), "", store.ListOptions{})
				if err != nil {
					t.Fatal(err)
				}
				seen = append(seen, len(objs))
			}
		}
		createNamespaces(t, c, "n")
		if err := c.Settle(); err != nil {
			t.Fatal(err)
		}
		return log, pauses, seen
	}
	want, _, _ := run(false)
	got, pauses, seen := run(true)
	if !slices.Equal(got, want) {
		t.Fatalf("with pauses:\n%v\nwithout:\n%v", got, want)
	}
	if pauses == 0 || !slices.IsSorted(seen) || seen[0] == seen[len(seen)-1] {
		t.Fatalf("%d pauses saw %v namespaces: the instant should be seen to unfold", pauses, seen)
	}
}

// fight wires two controllers that keep relabelling one namespace, each undoing the other,
// and returns how many steps the cluster took before it gave up.
func fight(t *testing.T, c *Cluster) (steps int, err error) {
	t.Helper()
	cl := c.API.Client("test")
	for _, who := range []string{"blue", "green"} {
		c.AddController(who, func(key string) (time.Duration, error) {
			steps++
			obj, err := c.Store.Get(api.ResourceByName("namespaces"), "", key)
			if err != nil {
				return 0, err
			}
			ns := obj.DeepCopyObject().(*corev1.Namespace)
			ns.Labels = map[string]string{"colour": who}
			_, err = cl.Update(ns, apiserver.UpdateOptions{})
			return 0, err
		})
	}
	c.Watch("namespaces", func(ev store.WatchEvent) {
		if ev.Object.GetName() != "arena" {
			return
		}
		who := "blue"
		if ev.Object.GetLabels()["colour"] == "blue" {
			who = "green"
		}
		c.Enqueue(who, "arena")
	})
	createNamespaces(t, c, "arena")
	return steps, c.Settle()
}

// A control loop that fights itself is caught after about MaxSteps steps, however much the
// cluster holds, and the error names the controllers and the object.
func TestSettleCatchesAFight(t *testing.T) {
	for _, size := range []int{0, 2000} {
		c := New(1, time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC))
		c.MaxSteps = 10_000
		var names []string
		for i := range size {
			names = append(names, fmt.Sprintf("ns-%d", i))
		}
		createNamespaces(t, c, names...)
		if err := c.Settle(); err != nil {
			t.Fatal(err)
		}
		syncs, err := fight(t, c)
		if err == nil {
			t.Fatalf("size %d: the fight settled", size)
		}
		want := "the simulation did not settle at 2026-01-01T09:00:00Z after "
		for _, part := range []string{want, "blue synced arena ", "green synced arena ", "namespaces arena was written ", "(a control loop keeps changing objects)"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("size %d: %q does not say %q", size, err, part)
			}
		}
		// Each round is a sync and a drain: two steps.
		if limit := (c.MaxSteps + 2*c.StepsPerObject + diagnosisSteps) / 2; syncs > limit {
			t.Errorf("size %d: %d syncs before the fight was caught, want at most %d", size, syncs, limit)
		}
	}
}

// An instant that writes many objects settles however many steps it takes, as long as the
// steps stay in proportion to the objects.
func TestSettleBudgetGrowsWithTheWork(t *testing.T) {
	c := New(1, time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC))
	c.MaxSteps = 100
	const n = 5000
	var names []string
	for i := range n {
		names = append(names, fmt.Sprintf("ns-%d", i))
	}
	// Each namespace gets a label from a controller: a drain and a sync per object.
	cl := c.API.Client("test")
	c.AddController("labeller", func(key string) (time.Duration, error) {
		obj, err := c.Store.Get(api.ResourceByName("namespaces"), "", key)
		if err != nil {
			return 0, err
		}
		ns := obj.DeepCopyObject().(*corev1.Namespace)
		ns.Labels = map[string]string{"seen": "yes"}
		_, err = cl.Update(ns, apiserver.UpdateOptions{})
		return 0, err
	})
	c.Watch("namespaces", func(ev store.WatchEvent) {
		if ev.Type == store.Added {
			c.Enqueue("labeller", ev.Object.GetName())
		}
	})
	createNamespaces(t, c, names...)
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if got := c.Store.Count(api.ResourceByName("namespaces"), ""); got != n {
		t.Fatalf("%d namespaces, want %d", got, n)
	}
}
