package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/widget"
)

// embedPage is the /embed route. It reuses the playground's views through a playground
// value it drives itself, laid out compactly.
type embedPage struct {
	app.Compo

	sh  *session.Shell // nil while pre-rendering on the server
	cfg widget.Config
	p   *playground
}

func (e *embedPage) OnInit() {
	e.p = &playground{sh: e.sh}
	e.p.OnInit()
	e.p.view = viewTerminal
}

func (e *embedPage) OnNav(ctx app.Context) {
	e.cfg = widget.ParseConfig(ctx.Page().URL())
}

func (e *embedPage) OnMount(ctx app.Context) {
	e.p.OnMount(ctx)
}

func (e *embedPage) Render() app.UI {
	p := e.p
	var terminal app.UI
	if e.cfg.ReadOnly {
		terminal = app.Section().ID("terminal").Class("terminal").Aria("label", "Terminal").Body(
			app.Div().ID("terminal-scroll").Class("scroll").TabIndex(0).Role("region").Aria("label", "Terminal output").Body(
				app.Pre().ID("terminal-output").Aria("live", "polite").Text(p.transcript),
			),
		)
	} else {
		tv := p.terminalView()
		tv.Tabs = session.TabsState{} // an embed is one terminal: no tab bar
		terminal = tv
	}
	// The theme is the URL's theme= or the system's (public/web/theme.js sets it).
	return app.Main().ID("embed").Class("kubetab-embed", classIf(e.cfg.ReadOnly, "readonly"), classIf(e.cfg.Editor, "with-editor"), classIf(!p.selected.Empty(), "panel-open")).
		Aria("label", "kubetab: a Kubernetes cluster").OnKeyDown(p.onKeyDown).Body(
		app.Div().Class("embed-bar").Body(
			app.H1().Class("embed-brand").Text("kubetab"),
			app.Span().ID("embed-clock").Class("embed-clock").Text(embedClock(p.clock)),
			app.If(!e.cfg.ReadOnly, func() app.UI {
				return app.Button().ID("embed-advance").Class("btn tiny").Title("Advance virtual time by 30 seconds").Text("+30s").
					OnClick(func(ctx app.Context, ev app.Event) { p.exec(ctx, "kubetab advance 30s") })
			}),
		),
		p.noticeView(),
		app.Div().Class("embed-grid").Body(
			app.If(e.cfg.Editor, func() app.UI {
				return app.Div().ID("area-editor").Class("embed-area embed-editor").Body(
					p.workspaceView(),
					p.editorView(),
				)
			}),
			app.Div().ID("area-terminal").Class("embed-area embed-terminal").Body(terminal),
			app.Div().ID("area-cluster").Class("embed-area embed-cluster").Body(
				p.clusterView(),
			),
		),
		p.panelView(),
	)
}

func embedClock(c session.ClockState) string {
	if c.Now.IsZero() {
		return "starting…"
	}
	return c.Now.UTC().Format("2006-01-02 15:04:05")
}
