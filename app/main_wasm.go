//go:build js && wasm

package main

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/browser"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/sharelink"
	"github.com/kubetab/kubetab/app/ui"
	"github.com/kubetab/kubetab/app/widget"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/terminal"
)

// mountWait bounds how long the page's mount waits for the cluster (main).
const mountWait = time.Second

func main() {
	browser.Mark("kubetab:main")
	sh := session.New()
	sh.InstallJSAPI()
	sh.StartFrameClock()
	// Storage and the journal's replay wait for the browser and take a while: off the UI
	// goroutine. Lines, the time controls and the JS API wait for the cluster.
	go func() {
		if widget.IsEmbedPage() {
			// The embed widget's cluster lives in memory (app/widget).
			page := app.Window().URL()
			sh.Start(nil, terminal.Options{Start: cluster.DefaultStart, Strict: widget.ParseConfig(page).Strict}, nil)
			widget.Start(sh, page)
			browser.RegisterServiceWorker()
			return
		}
		store, notices := session.OpenBrowserStorage()
		browser.Mark("kubetab:storage")
		sh.Start(store, terminal.Options{Start: cluster.DefaultStart}, notices)
		browser.RegisterServiceWorker()
		sharelink.Open(sh, app.Window().URL(), browser.ReplaceURL)
	}()
	ui.Routes(sh)
	// The cluster first, then the page. window.kubetab.ready needs only the cluster, but the
	// goroutine above runs only when this one waits, so the page's mount (0.1–0.2 s of the
	// main thread) came before even the storage's opening. The mount now waits for the
	// cluster and for ready's callbacks to run (the next task), at most mountWait, so that
	// slow storage or a long journal to replay never leaves the pre-rendered page inert
	// for long (README, "Measured").
	select {
	case <-sh.Ready():
		browser.NextTask()
	case <-time.After(mountWait):
	}
	app.RunWhenOnBrowser()
}
