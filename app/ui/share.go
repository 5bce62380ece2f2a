package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/sharelink"
)

// shareButton is the topbar's Share button and the link it made.
type shareButton struct {
	app.Compo

	Ready   bool
	Session *session.Shell // nil while pre-rendering on the server

	busy    bool
	link    string
	message string
}

func (s *shareButton) Render() app.UI {
	return app.Div().Class("share").Body(
		app.Button().ID("share-button").Class("btn small").
			Aria("label", "Share this workspace as a link").
			Disabled(!s.Ready || s.busy).
			Text("Share").
			OnClick(s.onShare),
		app.If(s.link != "" || s.message != "", func() app.UI {
			return app.Div().ID("share-box").Class("share-box").Role("dialog").Aria("label", "Share link").Body(
				app.If(s.link != "", func() app.UI {
					return app.Input().ID("share-link").Class("share-link").Type("text").ReadOnly(true).
						Aria("label", "Link to this workspace").Value(s.link).OnFocus(selectAll)
				}),
				app.P().ID("share-status").Class("share-status").Role("status").Text(s.message),
				app.Button().ID("share-close").Class("btn tiny").Text("Close").OnClick(s.onClose),
			)
		}),
	)
}

func selectAll(ctx app.Context, e app.Event) { ctx.JSSrc().Call("select") }

func (s *shareButton) onClose(ctx app.Context, e app.Event) {
	s.link, s.message = "", ""
}

func (s *shareButton) onShare(ctx app.Context, e app.Event) {
	sh := s.Session
	if sh == nil {
		return
	}
	page := ctx.Page().URL()
	s.busy, s.link, s.message = true, "", "Making the link…"
	ctx.Async(func() {
		link, msg := sharelink.Make(sh, page)
		ctx.Dispatch(func(ctx app.Context) {
			s.busy, s.link, s.message = false, link, msg
			if link != "" {
				copyToClipboard(link)
			}
		})
	})
}

func copyToClipboard(text string) {
	defer func() { recover() }() // no clipboard, or not allowed: the link is shown anyway
	if cb := app.Window().Get("navigator").Get("clipboard"); cb.Truthy() {
		cb.Call("writeText", text)
	}
}
