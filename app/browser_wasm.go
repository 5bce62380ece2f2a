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
		store, notices := openBrowserStorage()
		theShell.start(store, terminal.Options{Start: cluster.DefaultStart}, notices)
	}()
	routes()
	app.RunWhenOnBrowser()
}
