package sim

import (
	"fmt"
	"slices"
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
