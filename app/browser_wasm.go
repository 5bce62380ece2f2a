//go:build js && wasm

package main

import (
	"syscall/js"

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
			registerServiceWorker()
			return
		}
		store, notices := openBrowserStorage()
		theShell.start(store, terminal.Options{Start: cluster.DefaultStart}, notices)
		registerServiceWorker()
		openShareLink(theShell, app.Window().URL(), cleanShareURL)
	}()
	routes()
	app.RunWhenOnBrowser()
}

// registerServiceWorker registers go-app's service worker, the site's offline copy, once the
// cluster is ready: go-app's loader registered it at once, and its installation, which
// downloads the whole site (app.wasm included), slowed the first load by 0.4–1.0 s
// (patchLoader in loader.go removes that call; README, "Measured"). By now the wasm is in
// the HTTP cache.
func registerServiceWorker() {
	if f := js.Global().Get("goappInitServiceWorker"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
}
