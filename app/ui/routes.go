package ui

import (
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/lessons"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/sharelink"
)

// Routes registers the pages; the browser and the server must agree on them. sh is the
// tab's one session, which every page drives; the server, which only pre-renders the pages,
// passes nil (the pages then render their empty state).
func Routes(sh *session.Shell) {
	app.Route("/", func() app.Composer { return &playground{sh: sh} })
	app.Route("/tutorial", func() app.Composer { return &tutorialIndex{sh: sh} })
	app.RouteWithRegexp("^/tutorial/[a-z0-9][a-z0-9-]*$", func() app.Composer { return &tutorialPage{pg: playground{sh: sh}} })
	app.Route("/embed", func() app.Composer { return &embedPage{sh: sh} })
	app.RouteWithRegexp("^/s/[A-Za-z0-9_-]+$", func() app.Composer { return &playground{sh: sh} })
}

// ContextOf is the session context a page URL works in (session.Open): a lesson's for
// /tutorial/NAME, a shared link's for /s/ID, ?shared=ID and #share=..., else the
// playground's. The lesson index shows no cluster, and keeps the playground's.
func ContextOf(u *url.URL) string {
	if i := strings.LastIndex(u.Path, "/tutorial/"); i >= 0 {
		if name := u.Path[i+len("/tutorial/"):]; lessons.ValidName(name) {
			return session.LessonContext(name)
		}
	}
	if id, ok := sharelink.ContextID(u); ok {
		return session.SharedContext(id)
	}
	return session.Playground
}
