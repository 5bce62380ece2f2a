package cronjob

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
)

// TestTimeZoneIsTheSameOnEveryHost runs a CronJob in a time zone, and one without, and
// validates zones, first here and then again in a process whose host zone settings are odd:
// $ZONEINFO names an empty directory and $TZ a zone 12:45 ahead of UTC. The answers are the
// embedded database's everywhere, as in a browser tab: names that only some hosts'
// /usr/share/zoneinfo has (posix/..., right/..., localtime) are unknown on every host.
func TestTimeZoneIsTheSameOnEveryHost(t *testing.T) {
	const child = "KUBETAB_ODD_HOST_ZONE"
	if os.Getenv(child) == "" && runtime.GOOS != "js" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTimeZoneIsTheSameOnEveryHost$", "-test.count=1")
		cmd.Env = append(os.Environ(), child+"=1", "ZONEINFO="+t.TempDir(), "TZ=Pacific/Chatham")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("with ZONEINFO empty and TZ=Pacific/Chatham: %v\n%s", err, out)
		}
	}

	c := newSim(t, nine)
	ny := newCronJob("new-york", "0 9 * * *")
	ny.Spec.TimeZone = ptr.To("America/New_York")
	mustCreate(t, c, ny)
	mustCreate(t, c, newCronJob("utc", "0 9 * * *"))
	mustAdvance(t, c, 24*time.Hour+time.Second)
	// 09:00 in New York is 14:00 UTC in January; without a zone, 09:00 is UTC's.
	var got []string
	for _, n := range jobNames(c) {
		obj, _ := c.Store.Get(jobsResource, "default", n)
		got = append(got, n+" "+obj.GetAnnotations()["batch.kubernetes.io/cronjob-scheduled-timestamp"])
	}
	wantLines(t, "jobs", got, []string{
		minute("new-york", "14:00") + " 2026-01-01T09:00:00-05:00",
		"utc-29455740 2026-01-02T09:00:00Z",
	})

	for zone, want := range map[string]string{
		"Europe/Berlin":       "",
		"Pacific/Chatham":     "",
		"posix/Europe/Berlin": "unknown time zone posix/Europe/Berlin",
		"right/UTC":           "unknown time zone right/UTC",
		"localtime":           "unknown time zone localtime",
	} {
		cj := newCronJob("zoned", "0 9 * * *")
		cj.Spec.TimeZone = ptr.To(zone)
		var got []string
		for _, e := range api.ValidateCreate(cj) {
			if e.Field == "spec.timeZone" {
				got = append(got, e.Detail)
			}
		}
		if strings.Join(got, "; ") != want {
			t.Errorf("timeZone %s: %q, want %q", zone, got, want)
		}
	}
}
