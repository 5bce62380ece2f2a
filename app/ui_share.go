package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/internal/browser"
	"github.com/kubetab/kubetab/app/internal/session"
	"github.com/kubetab/kubetab/wasm/share"
)

// Share links. The Share button turns the workspace into a wasm/share bundle: the files,
// the cluster's seed and start time, and the journal as terminal lines. Where the site is
// hosted by the worker (POST /api/share answers 201) the link is short, /s/<id>; elsewhere
// the bundle travels in the link's fragment, #share=<encoded>. Opening either replays the
// bundle into a fresh cluster with the same seed and start, so it ends up the same.

// shareFragmentKey names the bundle in a link's fragment: /#share=<encoded>.
const shareFragmentKey = "share="

// shareFromFragment finds a bundle in a URL fragment (without the "#"): "" when the
// fragment carries none.
func shareFromFragment(fragment string) (encoded string, ok bool) {
	for _, part := range strings.Split(fragment, "&") {
		if v, found := strings.CutPrefix(part, shareFragmentKey); found {
			return v, true
		}
	}
	return "", false
}

// shareIDFromPath returns the id of a short link's path (/s/<id>, below any base path).
func shareIDFromPath(p string) (string, bool) {
	i := strings.LastIndex(p, "/s/")
	if i < 0 {
		return "", false
	}
	id := p[i+len("/s/"):]
	return id, share.ValidID(id)
}

// shareLinkBase is the URL of the app's root for a page URL: the links are made from it.
func shareLinkBase(page *url.URL) string {
	u := *page
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	p := u.Path
	if i := strings.LastIndex(p, "/s/"); i >= 0 {
		p = p[:i+1]
	}
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[:i+1]
	}
	if p == "" {
		p = "/"
	}
	u.Path, u.RawPath = p, ""
	return u.String()
}

// shareButton is the topbar's Share button and the link it made.
type shareButton struct {
	app.Compo

	IReady bool

	busy    bool
	link    string
	message string
}

func (s *shareButton) Render() app.UI {
	return app.Div().Class("share").Body(
		app.Button().ID("share-button").Class("btn small").
			Aria("label", "Share this workspace as a link").
			Disabled(!s.IReady || s.busy).
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
	sh := theShell
	if sh == nil {
		return
	}
	page := ctx.Page().URL()
	s.busy, s.link, s.message = true, "", "Making the link…"
	ctx.Async(func() {
		link, msg := makeShareLink(sh, page)
		ctx.Dispatch(func(ctx app.Context) {
			s.busy, s.link, s.message = false, link, msg
			if link != "" {
				copyToClipboard(link)
			}
		})
	})
}

// makeShareLink builds the link to the workspace, or says why there is none.
func makeShareLink(sh *session.Shell, page *url.URL) (link, msg string) {
	b, err := sh.ShareBundle()
	if err != nil {
		return "", "Cannot share: " + err.Error()
	}
	base := shareLinkBase(page)
	if id, ok := postShare(base, b); ok {
		return base + "s/" + id, "A short link to this workspace (copied when the browser allows it). Whoever opens it gets the same files, cluster and history."
	}
	frag, err := b.Fragment()
	if err != nil {
		return "", "Cannot share: " + err.Error() + "."
	}
	return base + "#" + shareFragmentKey + frag, "A link to this workspace (copied when the browser allows it). Whoever opens it gets the same files, cluster and history."
}

// shareTimeout bounds the share requests; a site without the worker answers at once.
const shareTimeout = 10 * time.Second

// postShare stores the bundle where the worker hosts the site (POST /api/share answers
// 201 with the id); anything else means there is no such service here.
func postShare(base string, b *share.Bundle) (string, bool) {
	j, err := b.JSON()
	if err != nil {
		return "", false
	}
	res, err := browser.Fetch(browser.Request{Method: http.MethodPost, URL: base + "api/share", ContentType: "application/json", Body: j, Limit: 4096, Timeout: shareTimeout})
	if err != nil || res.StatusCode != http.StatusCreated {
		return "", false
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(res.Body, &created); err != nil || !share.ValidID(created.ID) {
		return "", false
	}
	return created.ID, true
}

// fetchShare reads a stored bundle by id.
func fetchShare(base, id string) (*share.Bundle, error) {
	res, err := browser.Fetch(browser.Request{URL: base + "api/share/" + id, Limit: share.MaxJSONSize + 1, Timeout: shareTimeout})
	if err != nil {
		return nil, fmt.Errorf("the shared workspace could not be fetched: %w", err)
	}
	data := res.Body
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, errors.New("there is no shared workspace with this link (was it copied whole?)")
	case res.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("the shared workspace could not be fetched: the server answered %s", res.Status())
	}
	b, err := share.Parse(data)
	if err != nil {
		return nil, err
	}
	if j, err := b.JSON(); err != nil || share.IDOf(j) != id {
		return nil, errors.New("the shared workspace does not match its link: it was changed since it was shared")
	}
	return b, nil
}

// openShareLink replays the bundle a page URL names, if any: a #share= fragment or a
// /s/<id> path. The URL is then cleaned, so a reload keeps the user's later work instead
// of replaying again. A damaged link leaves the cluster alone and says so in the notice.
// It blocks: call it from a goroutine.
func openShareLink(sh *session.Shell, page *url.URL, clean func(to string)) {
	var b *share.Bundle
	var err error
	from := ""
	if enc, ok := shareFromFragment(page.Fragment); ok {
		from = "a shared link"
		b, err = share.ParseFragment(enc)
	} else if id, ok := shareIDFromPath(page.Path); ok {
		from = "shared link " + id
		b, err = fetchShare(shareLinkBase(page), id)
	} else if _, isShort := shareIDFromPath(page.Path); strings.Contains(page.Path, "/s/") && !isShort {
		err = errors.New("the shared link is damaged: its id is not one kubetab makes")
	} else {
		return
	}
	if err == nil {
		err = sh.ReplayShare(b, from)
	}
	if err != nil {
		sh.SetNotice("share", "This shared link cannot be opened: "+err.Error()+". The cluster below is the one this browser had.")
	} else {
		sh.SetNotice("share", "")
	}
	if clean != nil {
		clean(shareLinkBase(page))
	}
}

func copyToClipboard(text string) {
	defer func() { recover() }() // no clipboard, or not allowed: the link is shown anyway
	if cb := app.Window().Get("navigator").Get("clipboard"); cb.Truthy() {
		cb.Call("writeText", text)
	}
}
