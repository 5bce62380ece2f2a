package ui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/terminal"
)

// timeControls shows the virtual clock and drives it: play/pause, speed, steps, and a skip
// to the next scheduled event. Steps and skips run as `kubetab advance` lines, so they show
// in the terminal and the journal. It drives the session itself.
type timeControls struct {
	app.Compo

	Clock   session.ClockState
	Ready   bool
	Session *session.Shell // nil while pre-rendering on the server
}

var stepButtons = []struct {
	id    string
	d     time.Duration
	label string
}{
	{"step-10s", 10 * time.Second, "+10s"},
	{"step-1m", time.Minute, "+1m"},
	{"step-5m", 5 * time.Minute, "+5m"},
}

func (t *timeControls) Render() app.UI {
	c := t.Clock
	now := "--:--:--"
	full := ""
	if !c.Now.IsZero() {
		now = c.Now.UTC().Format("2006-01-02 15:04:05") + " UTC"
		full = c.Now.UTC().Format(time.RFC3339Nano)
	}
	playLabel, playText := "Pause virtual time", "❚❚ Pause"
	if !c.Playing {
		playLabel, playText = "Play virtual time", "▶ Play"
	}
	return app.Div().ID("time-controls").Class("time-controls").Role("group").Aria("label", "Virtual time").Body(
		app.Time().ID("time-now").Class("time-now").DateTime(full).Aria("label", "Virtual time "+now).Text(now),
		app.Button().ID("play-button").Class("btn small").
			Aria("label", playLabel).
			Aria("pressed", c.Playing).
			Disabled(!t.Ready).
			Text(playText).
			OnClick(t.onPlay),
		app.Label().For("speed-select").Class("sr-only").Text("Speed"),
		app.Select().ID("speed-select").Class("select small").
			Aria("label", "Speed of virtual time").
			Disabled(!t.Ready).
			OnChange(t.onSpeed).
			Body(
				app.Range(session.Speeds).Slice(func(i int) app.UI {
					s := session.Speeds[i]
					return app.Option().Value(speedValue(s)).Selected(s == c.Speed).Text(speedValue(s) + "×")
				}),
			),
		app.Range(stepButtons).Slice(func(i int) app.UI {
			b := stepButtons[i]
			return app.Button().ID(b.id).Class("btn small").
				Aria("label", "Advance virtual time by "+terminal.FormatDuration(b.d)).
				Disabled(!t.Ready).
				Text(b.label).
				OnClick(func(ctx app.Context, e app.Event) { t.step(ctx, b.d) })
		}),
		app.Button().ID("skip-next").Class("btn small skip").
			Aria("label", skipLabel(c)).
			Title(skipLabel(c)).
			Disabled(!t.Ready || c.NextAt.IsZero()).
			Text(skipText(c)).
			OnClick(t.onSkip),
	)
}

func speedValue(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) }

// skipText is the button's text: what comes next and in how long.
func skipText(c session.ClockState) string {
	if c.NextAt.IsZero() {
		return "Skip: nothing scheduled"
	}
	in := c.NextAt.Sub(c.Now)
	if in < 0 {
		in = 0
	}
	return "Skip " + terminal.FormatDuration(in.Round(time.Second)) + ": " + c.NextLabel
}

func skipLabel(c session.ClockState) string {
	if c.NextAt.IsZero() {
		return "Nothing is scheduled"
	}
	return "Skip to the next scheduled event: " + c.NextLabel + " at " + c.NextAt.UTC().Format(time.RFC3339)
}

func (t *timeControls) onPlay(ctx app.Context, e app.Event) {
	sh := t.Session
	if sh == nil {
		return
	}
	on := !t.Clock.Playing
	ctx.Async(func() { sh.SetPlaying(on) })
}

func (t *timeControls) onSpeed(ctx app.Context, e app.Event) {
	sh := t.Session
	if sh == nil {
		return
	}
	v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
	if err != nil {
		return
	}
	ctx.Async(func() { sh.SetSpeed(v) })
}

func (t *timeControls) step(ctx app.Context, d time.Duration) {
	if sh := t.Session; sh != nil {
		ctx.Async(func() { sh.Step(d) })
	}
}

func (t *timeControls) onSkip(ctx app.Context, e app.Event) {
	if sh := t.Session; sh != nil {
		ctx.Async(func() { sh.SkipToNext() })
	}
}
