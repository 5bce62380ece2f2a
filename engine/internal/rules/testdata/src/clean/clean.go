// Package clean does what the engine may do, often with the names of what it may not:
// nothing here is reported.
package clean

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/robfig/cron/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
)

// virtualClock has a Now, like the engine's clock.
type virtualClock struct{ now time.Time }

func (c *virtualClock) Now() time.Time                  { return c.now }
func (c *virtualClock) Sleep(d time.Duration)           { c.now = c.now.Add(d) }
func (c *virtualClock) After(d time.Duration) time.Time { return c.now.Add(d) }

// pick's parameter rand shadows the package: rand.IntN is a method of the seeded generator.
func pick(rand *rand.Rand) int { return rand.IntN(3) }

func uses(w io.Writer, c *virtualClock, zone *time.Location) {
	r := rand.New(rand.NewPCG(1, 2))
	_ = r.IntN(3)
	_ = pick(rand.New(rand.NewChaCha8([32]byte{})))
	var _ rand.Source = rand.NewPCG(1, 2)
	_ = c.Now()
	c.Sleep(time.Second)
	_ = c.After(time.Second)
	_ = time.Unix(0, 0).UTC()
	_ = time.UnixMilli(0).In(zone)
	_, _ = time.ParseInLocation(time.RFC3339, "2026-01-01T09:00:00+01:00", time.UTC)
	_ = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	_, _ = time.LoadLocationFromTZData("Europe/Berlin", nil)
	_ = metav1.NewTime(c.Now())
	_ = utilrand.SafeEncodeString("42")
	_ = cron.Every(time.Minute)
	fmt.Fprintln(w, "written where the caller says")
	{
		time := c.Now() // a variable named time: its Local is a method
		_ = time.Local()
	}
}
