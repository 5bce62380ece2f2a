package sharelink

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kubetab/kubetab/app/browser"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/wasm/share"
)

// fragmentKey names the bundle in a link's fragment: /#share=<encoded>.
const fragmentKey = "share="

// fromFragment finds a bundle in a URL fragment (without the "#"): "" when the
// fragment carries none.
func fromFragment(fragment string) (encoded string, ok bool) {
	for _, part := range strings.Split(fragment, "&") {
		if v, found := strings.CutPrefix(part, fragmentKey); found {
			return v, true
		}
	}
	return "", false
}

// idFromPath returns the id of a short link's path (/s/<id>, below any base path).
func idFromPath(p string) (string, bool) {
	i := strings.LastIndex(p, "/s/")
	if i < 0 {
		return "", false
	}
	id := p[i+len("/s/"):]
	return id, share.ValidID(id)
}

// linkBase is the URL of the app's root for a page URL: the links are made from it.
func linkBase(page *url.URL) string {
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

// Make builds the link to the workspace of the page at page, or says why there is none:
// msg is what the page shows either way. It blocks on the share service: call it off the
// UI goroutine.
func Make(sh *session.Shell, page *url.URL) (link, msg string) {
	b, err := sh.ShareBundle()
	if err != nil {
		return "", "Cannot share: " + err.Error()
	}
	base := linkBase(page)
	if id, ok := post(base, b); ok {
		return base + "s/" + id, "A short link to this workspace (copied when the browser allows it). Whoever opens it gets the same files, cluster and history."
	}
	frag, err := b.Fragment()
	if err != nil {
		return "", "Cannot share: " + err.Error() + "."
	}
	return base + "#" + fragmentKey + frag, "A link to this workspace (copied when the browser allows it). Whoever opens it gets the same files, cluster and history."
}

// timeout bounds the share requests; a site without the worker answers at once.
const timeout = 10 * time.Second

// post stores the bundle where the worker hosts the site (POST /api/share answers
// 201 with the id); anything else means there is no such service here.
func post(base string, b *share.Bundle) (string, bool) {
	j, err := b.JSON()
	if err != nil {
		return "", false
	}
	res, err := browser.Fetch(browser.Request{Method: http.MethodPost, URL: base + "api/share", ContentType: "application/json", Body: j, Limit: 4096, Timeout: timeout})
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

// fetch reads a stored bundle by id.
func fetch(base, id string) (*share.Bundle, error) {
	res, err := browser.Fetch(browser.Request{URL: base + "api/share/" + id, Limit: share.MaxJSONSize + 1, Timeout: timeout})
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

// sharedQuery names a shared cluster in a page URL, ?shared=<id>: where a #share= link
// leads once it was opened, so that a reload finds the cluster again.
const sharedQuery = "shared"

// ContextID is the id of the shared cluster a page URL names, if any: /s/<id>,
// ?shared=<id>, or the id a #share= fragment's bundle has. Each gets a session context
// of its own (session.SharedContext), never the playground's.
func ContextID(page *url.URL) (string, bool) {
	if enc, ok := fromFragment(page.Fragment); ok {
		b, err := share.ParseFragment(enc)
		if err != nil {
			return "", false
		}
		j, err := b.JSON()
		if err != nil {
			return "", false
		}
		return share.IDOf(j), true
	}
	if id, ok := idFromPath(page.Path); ok {
		return id, true
	}
	id := page.Query().Get(sharedQuery)
	return id, share.ValidID(id)
}

// Open sets up the shared cluster a page URL names, if any: a #share= fragment or a
// /s/<id> path. The session is in the link's own context (ContextID; the page's start put
// it there), so the playground's cluster and files are never replaced. The first time,
// the bundle is replayed there; a link opened before finds its cluster as it was left.
// A #share= URL is then changed to ?shared=<id>, so that a reload comes back to it. A
// damaged link leaves the playground in place and says so in the notice. It blocks: call
// it from a goroutine.
func Open(sh *session.Shell, page *url.URL, clean func(to string)) {
	var b *share.Bundle
	var err error
	from := ""
	enc, inFragment := fromFragment(page.Fragment)
	id, ok := ContextID(page)
	switch {
	case inFragment && !ok:
		_, err = share.ParseFragment(enc)
		if err == nil {
			err = errors.New("the shared link is damaged")
		}
	case !ok && strings.Contains(page.Path, "/s/"):
		err = errors.New("the shared link is damaged: its id is not one kubetab makes")
	case !ok || page.Query().Get(sharedQuery) == id:
		return
	}
	if err == nil {
		if !sh.Open(session.SharedContext(id), terminal.Options{}) {
			sh.SetNotice("share", "You opened this shared link before: its cluster is as you left it.")
		} else {
			if inFragment {
				from = "a shared link"
				b, err = share.ParseFragment(enc)
			} else {
				from = "shared link " + id
				b, err = fetch(linkBase(page), id)
			}
			if err == nil {
				err = sh.ReplayShare(b, from)
			}
			if err == nil {
				sh.SetNotice("share", "")
				// Saved before the link becomes ?shared=<id>: a reload then finds the
				// cluster, where the bundle is no longer in the address to replay.
				sh.Save()
			}
		}
	}
	switch {
	case err != nil:
		// A replay that did not finish dropped the link's context already (ReplayShare).
		sh.Open(session.Playground, terminal.Options{})
		if errors.Is(err, session.ErrReplayCancelled) {
			sh.SetNotice("share", "You cancelled the shared link's replay. The cluster below is your playground, as you left it.")
		} else {
			sh.SetNotice("share", "This shared link cannot be opened: "+err.Error()+". The cluster below is your playground.")
		}
		if clean != nil {
			clean(linkBase(page))
		}
	case inFragment && clean != nil:
		clean(linkBase(page) + "?" + sharedQuery + "=" + id)
	}
}
