package ui

import (
	"fmt"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/session"
)

// The replay of a shared link, while it runs: how far it got (commands done of all, the
// virtual time reached) and a Cancel button, which leaves the visitor's playground as it
// was (session.Shell.CancelReplay). The status line is a live region that speaks at each
// tenth of the commands, not at every command, so that a screen reader is not flooded;
// the button takes the focus when the replay starts, and Escape cancels too.

// replayView is the replay's bar (#share-replay); empty while none runs.
func (p *playground) replayView() app.UI {
	r := p.replay
	status := ""
	if p.replaying {
		status = fmt.Sprintf("Replaying %s: %d%% of its commands.", r.From, tenths(r.Done, r.Total)*10)
	}
	var body []app.UI
	body = append(body, app.P().ID("share-replay-status").Class("sr-only").Role("status").Aria("live", "polite").Text(status))
	if p.replaying {
		body = append(body,
			app.Span().ID("share-replay-progress").Aria("hidden", true).Text(fmt.Sprintf("Replaying %s: %d of %d commands, virtual time %s (+%s)",
				r.From, r.Done, r.Total, r.Now.UTC().Format(time.RFC3339), shortDuration(r.Now.Sub(r.Start)))),
			app.Progress().ID("share-replay-bar").Max(max(r.Total, 1)).Value(r.Done).Aria("label", "Commands replayed"),
			app.Button().ID("share-cancel").Class("btn small").Text("Cancel").Title("Stop the replay and go back to your playground, as you left it").OnClick(p.onCancelReplay),
		)
	}
	return app.Div().ID("share-replay").Class("notice", "share-replay", classIf(!p.replaying, "idle")).Body(body...)
}

// tenths is done of total in tenths, rounded down.
func tenths(done, total int) int {
	if total <= 0 {
		return 10
	}
	return done * 10 / total
}

// shortDuration is d as a number of days, hours or minutes, as `kubetab advance` takes it.
func shortDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%dh", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh%dm", d/time.Hour, d%time.Hour/time.Minute)
	}
	return fmt.Sprintf("%dm%ds", d/time.Minute, d%time.Minute/time.Second)
}

func (p *playground) onCancelReplay(ctx app.Context, e app.Event) {
	if p.sh != nil {
		p.sh.CancelReplay()
	}
}

// setReplay takes the replay's progress from the refresher (UI goroutine); the Cancel
// button takes the focus when a replay starts.
func (p *playground) setReplay(ctx app.Context, r session.ReplayProgress, replaying bool) {
	started := replaying && !p.replaying
	p.replay, p.replaying = r, replaying
	if started {
		ctx.Defer(func(app.Context) { focusByID("share-cancel") })
	}
}
