package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// terminalPage is the whole UI for now: a transcript and a prompt on the tab's cluster.
// Everything it shows is text; nothing from the user or the cluster becomes HTML.
type terminalPage struct {
	app.Compo

	output string
	prompt string
	input  string
	ready  bool
}

// theShell is the tab's one shell; browser_wasm.go starts it. It stays nil on the server,
// which only pre-renders the page.
var theShell *shell

func (p *terminalPage) OnMount(ctx app.Context) {
	p.prompt = "$ "
	sh := theShell
	if sh == nil {
		return
	}
	refresh := func() {
		out, prompt := sh.Transcript(), sh.Prompt()
		ctx.Dispatch(func(ctx app.Context) {
			p.output, p.prompt = out, prompt
			select {
			case <-sh.Ready():
				p.ready = true
			default:
			}
		})
	}
	sh.Subscribe(refresh)
	ctx.Async(func() {
		<-sh.Ready()
		refresh()
	})
}

func (p *terminalPage) Render() app.UI {
	status := "starting the cluster…"
	if p.ready {
		status = "cluster ready: try kubectl get nodes"
	}
	prompt := p.prompt
	if prompt == "" {
		prompt = "$ "
	}
	return app.Main().Class("kubetab").Body(
		app.Header().Body(
			app.H1().Text("kubetab"),
			app.P().Text("A Kubernetes cluster in this browser tab. Type kubectl commands; skip time with kubetab advance 5m."),
		),
		app.Div().Class("terminal").Body(
			app.Div().Class("scroll").Body(
				app.Pre().ID("terminal-output").Aria("live", "polite").Text(p.output),
			),
			app.Form().Class("prompt").OnSubmit(p.onSubmit).Body(
				app.Label().For("terminal-input").Text(prompt),
				app.Input().
					ID("terminal-input").
					Type("text").
					AutoComplete(false).
					Attr("spellcheck", "false").
					Attr("autocapitalize", "off").
					AutoFocus(true).
					Disabled(!p.ready).
					Value(p.input).
					OnInput(p.ValueTo(&p.input)),
			),
		),
		app.P().ID("terminal-status").Class("status").Text(status),
	)
}

func (p *terminalPage) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	line := p.input
	p.input = ""
	sh := theShell
	if sh == nil {
		return
	}
	// The engine may work for a while (a long advance): never on the UI goroutine.
	ctx.Async(func() { sh.Submit(line) })
}
