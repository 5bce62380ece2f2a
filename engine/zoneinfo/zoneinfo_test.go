package zoneinfo

import (
	"archive/zip"
	"strings"
	"testing"
	"time"
)

// TestLoadLocationReadsEveryZone reads every zone of the embedded database and checks it
// against archive/zip's reading of the same file.
func TestLoadLocationReadsEveryZone(t *testing.T) {
	r, err := zip.NewReader(strings.NewReader(zoneinfoZip), int64(len(zoneinfoZip)))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.File) < 500 {
		t.Fatalf("only %d zones", len(r.File))
	}
	for _, f := range r.File {
		loc, err := LoadLocation(f.Name)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		if loc.String() != f.Name && f.Name != "UTC" {
			t.Errorf("%s: loaded as %s", f.Name, loc)
		}
		data, _ := zoneData(f.Name)
		if uint64(len(data)) != f.UncompressedSize64 {
			t.Errorf("%s: %d bytes, the zip says %d", f.Name, len(data), f.UncompressedSize64)
		}
	}
}

func TestLoadLocation(t *testing.T) {
	at := time.Date(2026, time.July, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, want, err string
	}{
		{name: "Europe/Berlin", want: "2026-07-01 14:00:00 +0200 CEST"},
		{name: "America/New_York", want: "2026-07-01 08:00:00 -0400 EDT"},
		{name: "Asia/Kolkata", want: "2026-07-01 17:30:00 +0530 IST"},
		{name: "Pacific/Chatham", want: "2026-07-02 00:45:00 +1245 +1245"},
		{name: "Etc/GMT+5", want: "2026-07-01 07:00:00 -0500 -05"},
		{name: "UTC", want: "2026-07-01 12:00:00 +0000 UTC"},
		{name: "", want: "2026-07-01 12:00:00 +0000 UTC"},
		// The engine's local zone is UTC on every host.
		{name: "Local", want: "2026-07-01 12:00:00 +0000 UTC"},
		{name: "Mars/Olympus_Mons", err: "unknown time zone Mars/Olympus_Mons"},
		{name: "europe/berlin", err: "unknown time zone europe/berlin"},
		// Names some hosts' /usr/share/zoneinfo has, which the database does not.
		{name: "posix/Europe/Berlin", err: "unknown time zone posix/Europe/Berlin"},
		{name: "right/UTC", err: "unknown time zone right/UTC"},
		{name: "localtime", err: "unknown time zone localtime"},
		{name: "Europe", err: "unknown time zone Europe"},
		{name: "../Europe/Berlin", err: "time: invalid location name"},
		{name: "/etc/localtime", err: "time: invalid location name"},
	} {
		loc, err := LoadLocation(tc.name)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("LoadLocation(%q): error %v, want %s", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("LoadLocation(%q): %v", tc.name, err)
			continue
		}
		if got := at.In(loc).String(); got != tc.want {
			t.Errorf("LoadLocation(%q): %s, want %s", tc.name, got, tc.want)
		}
	}
}
