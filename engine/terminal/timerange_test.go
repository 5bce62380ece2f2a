package terminal

import (
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/sim"
)

func TestParseStartRange(t *testing.T) {
	for _, ok := range []string{"1970-01-01T00:00:00Z", "2026-01-01T09:00:00Z", "9000-12-31T23:59:59Z", "1970-01-01T01:00:00+01:00"} {
		if _, err := ParseStart(ok); err != nil {
			t.Errorf("ParseStart(%s) = %v", ok, err)
		}
	}
	// 0001-01-01T00:00:00Z is the zero time, which once meant the default start.
	for _, bad := range []string{"0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9001-01-01T00:00:00Z", "9999-12-31T00:00:00Z"} {
		if _, err := ParseStart(bad); err == nil || !strings.Contains(err.Error(), "outside the years 1970 to 9000") {
			t.Errorf("ParseStart(%s) = %v", bad, err)
		}
	}
	if _, err := New(Options{Start: time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Error("New accepted a start in year 1")
	}
}

// Virtual time never passes sim.LatestTime: an advance that would is refused before time
// moves, and nothing is journaled for it.
func TestAdvanceStopsAtTheLatestTime(t *testing.T) {
	start := time.Date(9000, 12, 31, 0, 0, 0, 0, time.UTC)
	defer func(old time.Time) { sim.LatestTime = old }(sim.LatestTime)
	sim.LatestTime = start.Add(90 * time.Minute)
	s := MustSession(t, Options{Start: start})
	if out, code := run(t, s, "kubetab advance 1h\n"); code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	out, code := run(t, s, "kubetab advance 1h\n")
	if code != 1 || !strings.Contains(out, "error: virtual time cannot pass 9000-12-31T01:30:00Z (it would reach 9000-12-31T02:00:00Z)") {
		t.Fatalf("exit %d: %s", code, out)
	}
	if !s.Cluster().Now().Equal(start.Add(time.Hour)) || len(s.State().Journal) != 1 {
		t.Fatalf("a refused advance moved time to %s or was journaled: %+v", s.Cluster().Now(), s.State().Journal)
	}
	// A wait whose condition holds never needs the time it may not have.
	if out, code := run(t, s, "kubectl wait --for=condition=Ready node --all --timeout=1h\n"); code != 0 {
		t.Fatalf("kubectl wait for a condition that holds: %s", out)
	}
	out, code = run(t, s, "kubectl wait --for=delete node/kubetab-worker --timeout=1h\n")
	if code != 1 || !strings.Contains(out, "virtual time cannot pass") || !s.Cluster().Now().Equal(sim.LatestTime) {
		t.Fatalf("kubectl wait past the latest time: exit %d, now %s\n%s", code, s.Cluster().Now(), out)
	}
}
