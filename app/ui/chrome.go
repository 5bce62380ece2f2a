package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The pages' chrome: skip links, the theme toggle, the section tabs of narrow screens and
// the in-page dialog that stands in for prompt() and confirm().

// skipLink is a link past the page's header to a control: the element to focus and the
// section that holds it on a narrow screen ("" for none).
type skipLink struct{ target, view, text string }

// skipLinks are the page's first focusable elements, shown when focused (p nil: a page
// without the playground's views).
func skipLinks(p *playground, links ...skipLink) app.UI {
	return app.Nav().Class("skip-links").Aria("label", "Skip links").Body(
		app.Range(links).Slice(func(i int) app.UI {
			l := links[i]
			return app.A().Class("skip-link").Href("#" + l.target).Text(l.text).OnClick(func(ctx app.Context, e app.Event) {
				e.PreventDefault()
				if p != nil && l.view != "" {
					p.setView(ctx, l.view)
				}
				ctx.Defer(func(app.Context) { focusByID(l.target) })
			})
		}),
	)
}

// themeToggle switches between the light and the dark theme; public/web/theme.js keeps
// the choice (the system's prefers-color-scheme until there is one).
func themeToggle() app.UI {
	return app.Button().ID("theme-toggle").Class("btn small").Title("Switch between the light and the dark theme").Text("◐ Theme").
		OnClick(func(ctx app.Context, e app.Event) {
			if f := app.Window().Get("kubetabToggleTheme"); f.Truthy() {
				f.Invoke()
			}
		})
}

// viewTab is one of the sections a narrow screen shows one at a time.
type viewTab struct{ id, label string }

// viewTabs are the tabs of the sections (hidden on wide screens, which show them all).
func (p *playground) viewTabs(tabs []viewTab) app.UI {
	return app.Nav().Class("view-tabs").Role("tablist").Aria("label", "Sections").Body(
		app.Range(tabs).Slice(func(i int) app.UI {
			t := tabs[i]
			return app.Button().Class("view-tab", classIf(p.view == t.id, "active")).
				ID("tab-"+t.id).
				Role("tab").
				Aria("selected", p.view == t.id).
				Aria("controls", "area-"+t.id).
				Text(t.label).
				OnClick(func(ctx app.Context, e app.Event) { p.setView(ctx, t.id) })
		}),
	)
}

// question is what the page's dialog asks: a title and a text, maybe a text field, and
// the button that goes ahead; then gets the field's value when it is pressed.
type question struct {
	Title, Text string
	Field       string // the text field's label; "" for no field
	Value       string
	OK          string
	then        func(ctx app.Context, value string)
}

// ask opens the page's dialog (UI goroutine); a question still open is dropped.
func (p *playground) ask(q question) {
	p.asking = &q
	p.ctx.Update()
}

// answer closes the dialog; ok: its button was pressed, with the field's value.
func (p *playground) answer(ctx app.Context, ok bool, value string) {
	q := p.asking
	p.asking = nil
	if ok && q != nil && q.then != nil {
		q.then(ctx, value)
	}
}

func (p *playground) dialogView() app.UI {
	if p.asking == nil {
		return nil
	}
	return &dialogView{Q: *p.asking, Page: p}
}

// dialogView is the page's modal dialog (#dialog): a <dialog> shown with showModal, so
// that the focus stays in it and Escape closes it; the focus goes back where it was.
type dialogView struct {
	app.Compo

	Q    question
	Page interface {
		answer(ctx app.Context, ok bool, value string)
	}

	back app.Value // the element that had the focus
}

func (d *dialogView) OnMount(ctx app.Context) {
	d.back = app.Window().Get("document").Get("activeElement")
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID("dialog"); el.Truthy() && !el.Get("open").Bool() {
			el.Call("showModal")
		}
		if d.Q.Field != "" {
			if el := app.Window().GetElementByID("dialog-input"); el.Truthy() {
				el.Call("select")
			}
		}
	})
}

func (d *dialogView) OnDismount() {
	if d.back != nil && d.back.Truthy() && d.back.Get("focus").Truthy() {
		d.back.Call("focus")
	}
}

func (d *dialogView) Render() app.UI {
	q := d.Q
	return app.Dialog().ID("dialog").Class("dialog").Aria("labelledby", "dialog-title").Aria("describedby", "dialog-text").
		On("cancel", d.onCancel).Body(
		app.Form().Class("dialog-form").OnSubmit(d.onSubmit).Body(
			app.H2().ID("dialog-title").Text(q.Title),
			app.P().ID("dialog-text").Text(q.Text),
			app.If(q.Field != "", func() app.UI {
				return app.Div().Class("dialog-field").Body(
					app.Label().For("dialog-input").Text(q.Field),
					app.Input().ID("dialog-input").Type("text").Value(q.Value).AutoComplete(false).Attr("spellcheck", "false").Attr("autocapitalize", "off"),
				)
			}),
			app.Div().Class("dialog-actions").Body(
				app.Button().ID("dialog-cancel").Type("button").Class("btn").Text("Cancel").OnClick(d.onCancel),
				app.Button().ID("dialog-ok").Type("submit").Class("btn primary").Text(q.OK),
			),
		),
	)
}

func (d *dialogView) onCancel(ctx app.Context, e app.Event) {
	e.PreventDefault()
	d.Page.answer(ctx, false, "")
}

func (d *dialogView) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	value := ""
	if el := app.Window().GetElementByID("dialog-input"); el.Truthy() {
		value = el.Get("value").String()
	}
	d.Page.answer(ctx, true, value)
}
