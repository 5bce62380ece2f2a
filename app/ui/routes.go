package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/session"
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
