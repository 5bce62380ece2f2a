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
	// The cluster is built off the UI goroutine; lines and the JS API wait for it.
	go theShell.start(terminal.Options{Start: cluster.DefaultStart})
	routes()
	app.RunWhenOnBrowser()
}
