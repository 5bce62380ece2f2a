package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// routes registers the pages; the browser and the server must agree on them.
func routes() {
	app.Route("/", func() app.Composer { return &playground{} })
	app.Route("/tutorial", func() app.Composer { return &tutorialIndex{} })
	app.RouteWithRegexp("^/tutorial/[a-z0-9][a-z0-9-]*$", func() app.Composer { return &tutorialPage{} })
	app.Route("/embed", func() app.Composer { return &embedPage{} })
	app.RouteWithRegexp("^/s/[A-Za-z0-9_-]+$", func() app.Composer { return &playground{} })
}
