package gcbudget

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Native is the budget of kubetab on a computer: kwok's headline, 100,000 pods on 1,000
// nodes, runs within it.
const Native = 950 << 20

// sentinel is garbage as soon as it is made: its finalizer runs after the next collection.
type sentinel struct{ _ *int }

// GCPercent is the collector's GOGC under the budget: the heap may grow to four times what
// is live, not twice, until it nears the budget. A small cluster's few MiB live made the
// collector run every few MiB allocated, a quarter of the CPU of a month of a CronJob; the
// budget bounds the memory this costs (docs/decisions.md, "A memory budget").
const GCPercent = 300

// Keep sets the limit from budget and GOGC to GCPercent, and follows the live heap after
// every collection until stop is called, which puts both back. With GOMEMLIMIT set it does
// nothing: the user's limit stands; with GOGC set it leaves GOGC alone.
func Keep(budget int64) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	setPercent := os.Getenv("GOGC") == ""
	var prevPercent int
	if setPercent {
		prevPercent = debug.SetGCPercent(GCPercent)
	}
	var stopped atomic.Bool
	prev := debug.SetMemoryLimit(budget)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
			if stopped.Load() {
				return
			}
			metrics.Read(live)
			if live[0].Value.Kind() == metrics.KindUint64 {
				n := int64(live[0].Value.Uint64())
				debug.SetMemoryLimit(max(budget, n+n/2))
			}
			arm()
		})
	}
	arm()
	return func() {
		if !stopped.Swap(true) {
			debug.SetMemoryLimit(prev)
			if setPercent {
				debug.SetGCPercent(prevPercent)
			}
		}
	}
}
