package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// routes registers the pages; the browser and the server must agree on them.
func routes() {
	app.Route("/", func() app.Composer { return &playground{} })
}
