package ui

import (
	"strconv"
	"strings"
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
	date, now := "", "--:--:--"
	full := ""
	if !c.Now.IsZero() {
		date, now = c.Now.UTC().Format("2006-01-02 "), c.Now.UTC().Format("15:04:05")+" UTC"
		full = c.Now.UTC().Format(time.RFC3339Nano)
	}
	playTitle, playText := "Pause virtual time", "❚❚ Pause"
	if !c.Playing {
		playTitle, playText = "Let virtual time run", "▶ Play"
	}
	return app.Div().ID("time-controls").Class("time-controls").Role("group").Aria("label", "Virtual time").Body(
		app.Time().ID("time-now").Class("time-now").DateTime(full).Body(app.Span().Class("time-date").Text(date), app.Text(now)),
		app.Button().ID("play-button").Class("btn small").
			Title(playTitle).
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
				Title("Advance virtual time by " + terminal.FormatDuration(b.d)).
				Disabled(!t.Ready).
				Text(b.label).
				OnClick(func(ctx app.Context, e app.Event) { t.step(ctx, b.d) })
		}),
		app.Button().ID("skip-next").Class("btn small skip").
			Title(skipLabel(c)).
			Disabled(!t.Ready || c.NextAt.IsZero()).
			Text(skipText(c)).
			OnClick(t.onSkip),
	)
}

func speedValue(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) }

// skipText is the button's text: what comes next, in a learner's words, and in how long.
func skipText(c session.ClockState) string {
	if c.NextAt.IsZero() {
		return "» nothing scheduled"
	}
	in := max(c.NextAt.Sub(c.Now), 0)
	return "» next: " + nextWords(c.NextLabel) + " in " + terminal.FormatDuration(in.Round(time.Second))
}

func skipLabel(c session.ClockState) string {
	if c.NextAt.IsZero() {
		return "Nothing is scheduled to happen"
	}
	return "Skip to the next scheduled event: " + nextWords(c.NextLabel) + " at " + c.NextAt.UTC().Format(time.RFC3339) + " (" + c.NextLabel + ")"
}

// nextWords says what a timer of the engine is for in a learner's words: "kubelet
// kubetab-worker probe default/kubia-x/kubia liveness" is "kubia-x liveness probe",
// "cronjob-controller default/hello" is "cronjob hello", "deployment-controller default/web"
// "web progress check". Objects in the default namespace
// go without it.
func nextWords(label string) string {
	f := strings.Fields(label)
	switch {
	case len(f) >= 4 && f[0] == "kubelet":
		parts := strings.Split(f[3], "/")
		pod, what := parts[min(1, len(parts)-1)], f[2]
		switch what {
		case "probe":
			if len(f) >= 5 {
				return pod + " " + f[4] + " probe"
			}
		case "sandbox":
			return pod + " starts"
		case "pull":
			what = "image pull"
		case "mount":
			what = "volume mount retry"
		case "sync":
			what = "volumes refresh"
		case "config":
			what = "config retry"
		case "container":
			what = "container wakes"
		case "restart":
			what = "restarts"
		case "kill":
			what = "stops"
		}
		return pod + " " + what
	case len(f) == 2 && f[0] == "deployment-controller":
		// Its only timer: the look at a rollout's progress deadline.
		return strings.TrimPrefix(f[1], "default/") + " progress check"
	case len(f) == 2:
		return strings.TrimSuffix(f[0], "-controller") + " " + strings.TrimPrefix(f[1], "default/")
	}
	return label
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
