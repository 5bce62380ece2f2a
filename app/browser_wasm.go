//go:build js && wasm

package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/terminal"
)

func main() {
	theShell = newShell()
	installJSAPI(theShell)
	startFrameClock(theShell)
	// Storage and the journal's replay wait for the browser and take a while: off the UI
	// goroutine. Lines, the time controls and the JS API wait for the cluster.
	go func() {
		if isEmbedPage() {
			// The embed widget's cluster lives in memory (ui_embed.go).
			theShell.start(nil, terminal.Options{Start: cluster.DefaultStart}, nil)
			startEmbed(theShell)
			return
		}
		store, notices := openBrowserStorage()
		theShell.start(store, terminal.Options{Start: cluster.DefaultStart}, notices)
		openShareLink(theShell, app.Window().URL(), cleanShareURL)
	}()
	routes()
	app.RunWhenOnBrowser()
}
