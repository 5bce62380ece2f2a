package api

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kubetab/kubetab/engine/zoneinfo"
)

// ParseCronSchedule reads a CronJob schedule as the API server and the CronJob controller
// do, with robfig/cron's standard parser, but the same on every host: a TZ= or CRON_TZ=
// prefix names a zone of the embedded database (engine/zoneinfo), never the host's, and a
// schedule without one runs in UTC, the controller manager's zone in kubetab.
func ParseCronSchedule(spec string) (cron.Schedule, error) {
	loc := time.UTC
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		name, rest, _ := strings.Cut(spec[strings.Index(spec, "=")+1:], " ")
		var err error
		if loc, err = zoneinfo.LoadLocation(name); err != nil {
			return nil, fmt.Errorf("provided bad location %s: %v", name, err)
		}
		// robfig/cron reads TZ=UTC without any database; what follows the zone is then read
		// exactly as upstream reads it (and a prefix with nothing after it is an error, not
		// the panic robfig/cron v3.0.1 has for it).
		spec = "TZ=UTC " + rest
	}
	sched, err := cron.ParseStandard(spec)
	if s, ok := sched.(*cron.SpecSchedule); ok {
		s.Location = loc
	}
	return sched, err
}
