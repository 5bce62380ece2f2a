package gcbudget

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// The limit is the budget while little is live, follows a live heap bigger than the
// budget, and is put back by stop.
func TestKeepFollowsTheLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	before := debug.SetMemoryLimit(-1)
	beforePercent := debug.SetGCPercent(100)
	defer debug.SetGCPercent(beforePercent)
	stop := Keep(1 << 20)
	if got := debug.SetMemoryLimit(-1); got != 1<<20 {
		t.Fatalf("limit %d, want the budget", got)
	}
	if got := debug.SetGCPercent(GCPercent); got != GCPercent {
		t.Errorf("GOGC %d, want %d", got, GCPercent)
	}
	keep := make([][]byte, 64)
	for i := range keep {
		keep[i] = make([]byte, 1<<20) // 64 MiB live, beyond the budget
	}
	// The finalizer runs after a collection, on its own goroutine: collect until it has.
	for range 1000 {
		runtime.GC()
		if debug.SetMemoryLimit(-1) >= 64<<20 {
			break
		}
		runtime.Gosched()
	}
	if got := debug.SetMemoryLimit(-1); got < 64<<20 {
		t.Errorf("limit %d with 64 MiB live", got)
	}
	runtime.KeepAlive(keep)
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after stop, want %d", got, before)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC %d after stop, want 100 back", got)
	}
}

func TestKeepLeavesGOGC(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "50")
	before := debug.SetGCPercent(50)
	defer debug.SetGCPercent(before)
	stop := Keep(1 << 20)
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("GOGC %d, want the user's 50", got)
	}
	stop()
}

func TestKeepLeavesGOMEMLIMIT(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "2GiB")
	before := debug.SetMemoryLimit(-1)
	Keep(1 << 20)()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d, want %d untouched", got, before)
	}
}
