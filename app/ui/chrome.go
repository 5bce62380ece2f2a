package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The pages' chrome: skip links, the theme toggle, the section tabs of narrow screens and
// the in-page dialog that stands in for prompt() and confirm(). What needs no state of the
// app's is done by public/web/page.js, outside the wasm: the links' and the toggle's clicks,
// the theme itself, and the dialog.

// Skip links are the page's first focusable elements, shown when focused; each leads to a
// control (its href) and, on a narrow screen, first shows the section that holds it (its
// data-view tab). They are the same on every render: markup of the code's, never data's.
const (
	skipToTerminal = `<a class="skip-link" href="#terminal-input" data-view="terminal">Skip to the terminal</a>`
	skipToEditor   = `<a class="skip-link" href="#editor-input" data-view="editor">Skip to the editor</a>`
	skipToLesson   = `<a class="skip-link" href="#lesson">Skip to the lesson</a>`
	skipToLessons  = `<a class="skip-link" href="#main">Skip to the lessons</a>`
)

func skipLinks(links string) app.UI {
	return app.Raw(`<nav class="skip-links" aria-label="Skip links">` + links + `</nav>`)
}

// themeToggle switches between the light and the dark theme (page.js keeps the choice;
// the system's prefers-color-scheme until there is one).
func themeToggle() app.UI {
	return app.Raw(`<button id="theme-toggle" class="btn small" type="button" aria-label="Theme: light or dark" title="Switch between the light and the dark theme">◐</button>`)
}

// viewTab is one of the sections a narrow screen shows one at a time.
type viewTab struct{ id, label string }

// viewTabs are the tabs of the sections (hidden on wide screens, which show them all).
func (p *playground) viewTabs(tabs ...viewTab) app.UI {
	items := make([]app.UI, len(tabs))
	for i, t := range tabs {
		items[i] = app.Button().Class("view-tab", classIf(p.view == t.id, "active")).ID("tab-"+t.id).Role("tab").
			Aria("selected", p.view == t.id).Aria("controls", "area-"+t.id).DataSet("view", t.id).Text(t.label).OnClick(p.onTab)
	}
	return app.Nav().Class("view-tabs").Role("tablist").Aria("label", "Sections").Body(items...)
}

func (p *playground) onTab(ctx app.Context, e app.Event) {
	p.setView(ctx, ctx.JSSrc().Get("dataset").Get("view").String())
}

// question is what the page's dialog asks: a title and a text, maybe a text field (its
// label, and its first value), and the button that goes ahead; then gets the field's value
// when it is pressed.
type question struct {
	Title, Text string
	Field       string
	Value       string
	OK          string
	then        func(ctx app.Context, value string)
}

// ask shows the question in page.js's modal dialog (UI goroutine); then runs on the UI
// goroutine if the learner goes ahead.
func (p *playground) ask(q question) {
	f := app.Window().Get("kubetabAsk")
	if !f.Truthy() {
		return
	}
	var answered app.Func
	answered = app.FuncOf(func(this app.Value, args []app.Value) any {
		answered.Release()
		if len(args) > 0 && args[0].Type() == app.TypeString {
			v := args[0].String()
			p.ctx.Dispatch(func(ctx app.Context) { q.then(ctx, v) })
		}
		return nil
	})
	f.Invoke(q.Title, q.Text, q.Field, q.Value, q.OK).Call("then", answered)
}
