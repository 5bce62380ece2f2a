package kubelet

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
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

// TestPodByIP finds pods by address: those with an address from their node's pod CIDR
// through the node, hostNetwork pods by the node's address, nothing for other forms.
func TestPodByIP(t *testing.T) {
	m := &Manager{byCIDR: map[netip.Prefix]*Kubelet{}, hostNetwork: map[string]*podRuntime{}, cidrBits: []int{20, 24}}
	k := &Kubelet{m: m, cidr: netip.MustParsePrefix("10.244.16.0/20")}
	m.byCIDR[k.cidr] = k
	r := &podRuntime{k: k, ipOffset: 300, ip: addrAt(k.cidr, 300)}
	host := &podRuntime{k: k, ip: "172.18.0.2"}
	k.setPodAt(r)
	k.setPodAt(host)
	if r.ip != "10.244.17.44" {
		t.Fatalf("offset 300 is %s", r.ip)
	}
	for ip, want := range map[string]*podRuntime{"10.244.17.44": r, "172.18.0.2": host, "10.244.17.45": nil, "10.244.32.1": nil,
		"::ffff:10.244.17.44": nil, "10.244.017.44": nil, "": nil} {
		if got := m.podByIP(ip); got != want {
			t.Errorf("podByIP(%q) = %p, want %p", ip, got, want)
		}
	}
	k.clearPodAt(r)
	k.clearPodAt(host)
	if m.podByIP("10.244.17.44") != nil || m.podByIP("172.18.0.2") != nil {
		t.Error("pods still found after their addresses were cleared")
	}
}

// TestLogLinesKeepTheirInstants: a log as kept gives back the lines it was given, to the
// nanosecond, in any year virtual time reaches (and the zero time).
func TestLogLinesKeepTheirInstants(t *testing.T) {
	lines := []LogLine{
		{Time: time.Date(2026, 1, 1, 9, 0, 0, 123456789, time.UTC), Text: "a"},
		{Time: time.Unix(0, 0).UTC(), Text: "epoch"},
		{Time: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), Text: "late"},
		{Text: "zero"},
	}
	got := logLines(keptLines(lines))
	if len(got) != len(lines) {
		t.Fatalf("%d lines back, want %d", len(got), len(lines))
	}
	for i := range lines {
		if got[i] != lines[i] {
			t.Errorf("line %d: %+v, want %+v", i, got[i], lines[i])
		}
	}
	if logLines(nil) != nil || keptLines(nil) != nil {
		t.Error("an empty log is not nil")
	}
}

// A volume's payload directory is named after when it was written, however long after
// the pod's start: an offset from the start held 292 years only.
func TestVolumeWrittenCenturiesLater(t *testing.T) {
	v := &podVolume{}
	at := time.Date(2400, time.March, 1, 12, 30, 45, 123456789, time.UTC)
	v.write(map[string]volumeFile{"color": {data: "blue", mode: 0o644}}, at, func() uint32 { return 7 }, nil)
	if got, want := v.dataDir(), "..2400_03_01_12_30_45.7"; got != want {
		t.Errorf("data directory %q, want %q", got, want)
	}
	if got := v.writtenAt(); !got.Equal(at) {
		t.Errorf("written at %s, want %s", got, at)
	}
}
