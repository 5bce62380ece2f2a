//go:build js && wasm

package main

import (
	"syscall/js"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/terminal"
)

// mountWait bounds how long the page's mount waits for the cluster (main).
const mountWait = time.Second

func main() {
	mark("kubetab:main")
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
		mark("kubetab:storage")
		theShell.start(store, terminal.Options{Start: cluster.DefaultStart}, notices)
		registerServiceWorker()
		openShareLink(theShell, app.Window().URL(), cleanShareURL)
	}()
	routes()
	// The cluster first, then the page. window.kubetab.ready needs only the cluster, but the
	// goroutine above runs only when this one waits, so the page's mount (0.1–0.2 s of the
	// main thread) came before even the storage's opening. The mount now waits for the
	// cluster and for ready's callbacks to run (the next task), at most mountWait, so that
	// slow storage or a long journal to replay never leaves the pre-rendered page inert
	// for long (README, "Measured").
	select {
	case <-theShell.Ready():
		nextTask()
	case <-time.After(mountWait):
	}
	app.RunWhenOnBrowser()
}

// registerServiceWorker registers go-app's service worker, the site's offline copy, once the
// cluster is ready and the browser is next idle (after the page's mount): go-app's loader
// registered it at once, and its installation, which downloads the whole site (app.wasm
// included), slowed the first load by 0.4–1.0 s (patchLoader in loader.go removes that
// call; README, "Measured"). By now the wasm is in the HTTP cache.
func registerServiceWorker() {
	f := js.Global().Get("goappInitServiceWorker")
	if f.Type() != js.TypeFunction {
		return
	}
	if idle := js.Global().Get("requestIdleCallback"); idle.Type() == js.TypeFunction {
		opts := js.Global().Get("Object").New()
		opts.Set("timeout", 3000)
		idle.Invoke(f, opts)
		return
	}
	js.Global().Call("setTimeout", f, 500)
}
