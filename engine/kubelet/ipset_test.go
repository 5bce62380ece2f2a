package kubelet

import (
	"math/rand/v2"
	"testing"
)

// TestIPSetLowestFree checks the bit set against a map of the offsets in use, through
// allocations and releases drawn from a seeded stream.
func TestIPSetLowestFree(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var s ipSet
	used := map[uint32]bool{}
	naive := func() uint32 {
		off := uint32(2)
		for used[off] {
			off++
		}
		return off
	}
	for i := range 20_000 {
		if rnd.IntN(3) > 0 || len(used) == 0 {
			want := naive()
			got, ok := s.take(2, 65534)
			if !ok || got != want {
				t.Fatalf("step %d: took %d (%v), want %d", i, got, ok, want)
			}
			used[got] = true
			continue
		}
		off := uint32(2 + rnd.IntN(300))
		if used[off] != s.has(off) {
			t.Fatalf("step %d: has(%d) = %v, want %v", i, off, s.has(off), used[off])
		}
		delete(used, off)
		s.remove(off)
	}
}

// TestIPSetFull checks that nothing past the last offset is taken.
func TestIPSetFull(t *testing.T) {
	var s ipSet
	for want := uint32(2); want <= 130; want++ {
		if got, ok := s.take(2, 130); !ok || got != want {
			t.Fatalf("took %d (%v), want %d", got, ok, want)
		}
	}
	if got, ok := s.take(2, 130); ok {
		t.Fatalf("took %d from a full range", got)
	}
	s.remove(64)
	if got, ok := s.take(2, 130); !ok || got != 64 {
		t.Fatalf("took %d (%v), want 64", got, ok)
	}
}
