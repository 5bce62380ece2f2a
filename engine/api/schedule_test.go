package api

import (
	"testing"
	"time"
)

func TestParseCronSchedule(t *testing.T) {
	from := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		spec, next, err string
	}{
		// Without a zone, the controller manager's: UTC in kubetab, on every host.
		{spec: "0 9 * * *", next: "2026-01-01T09:00:00Z"},
		{spec: "@daily", next: "2026-01-02T00:00:00Z"},
		{spec: "@every 90m", next: "2026-01-01T01:30:00Z"},
		{spec: "TZ=Europe/Berlin 0 9 * * *", next: "2026-01-01T08:00:00Z"},
		{spec: "CRON_TZ=America/New_York 0 9 * * *", next: "2026-01-01T14:00:00Z"},
		{spec: "TZ=Asia/Kolkata @daily", next: "2026-01-01T18:30:00Z"},
		{spec: "TZ=UTC 0 9 * * *", next: "2026-01-01T09:00:00Z"},
		{spec: "TZ=Local 0 9 * * *", next: "2026-01-01T09:00:00Z"},
		{spec: "TZ=posix/Europe/Berlin 0 9 * * *", err: "provided bad location posix/Europe/Berlin: unknown time zone posix/Europe/Berlin"},
		{spec: "TZ=Mars/Olympus_Mons 0 9 * * *", err: "provided bad location Mars/Olympus_Mons: unknown time zone Mars/Olympus_Mons"},
		// robfig/cron v3.0.1 panics on a prefix with nothing after it.
		{spec: "TZ=Europe/Berlin", err: "expected exactly 5 fields, found 0: []"},
		{spec: "TZ=Europe/Berlin ", err: "expected exactly 5 fields, found 0: []"},
		{spec: "61 * * * *", err: "end of range (61) above maximum (59): 61"},
	} {
		sched, err := ParseCronSchedule(tc.spec)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %s", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if got := sched.Next(from).UTC().Format(time.RFC3339); got != tc.next {
			t.Errorf("%q: next %s, want %s", tc.spec, got, tc.next)
		}
	}
}
