//go:build js && wasm

package session

import (
	"syscall/js"
	"time"

	"github.com/kubetab/kubetab/app/browser"
)

// StartFrameClock drives the shell from the page: every animation frame hands the session
// goroutine a tick and delivers pending change notifications (so listeners run at most
// once per frame); visibilitychange pauses the clock while the tab is hidden, and saves;
// pagehide saves. None of the callbacks blocks: they only signal goroutines.
func (sh *Shell) StartFrameClock() {
	sh.changes.coalesce = true
	flushes := make(chan struct{}, 1)
	go func() {
		for range flushes {
			sh.changes.flush()
		}
	}()
	var onFrame js.Func
	onFrame = js.FuncOf(func(this js.Value, args []js.Value) any {
		js.Global().Call("requestAnimationFrame", onFrame)
		sh.frame(time.Now())
		select {
		case flushes <- struct{}{}:
		default:
		}
		select {
		case frameSignal <- struct{}{}:
		default:
		}
		return nil
	})
	js.Global().Call("requestAnimationFrame", onFrame)

	doc := js.Global().Get("document")
	hidden := func() bool { return doc.Get("visibilityState").String() == "hidden" }
	sh.setHidden(hidden())
	doc.Call("addEventListener", "visibilitychange", js.FuncOf(func(this js.Value, args []js.Value) any {
		sh.setHidden(hidden())
		return nil
	}))
	js.Global().Call("addEventListener", "pagehide", js.FuncOf(func(this js.Value, args []js.Value) any {
		sh.requestSave()
		return nil
	}))
}

// frameSignal is raised by every animation frame; yieldToBrowser waits for it.
var frameSignal = make(chan struct{}, 1)

// yieldToBrowser returns after the browser has had a turn: in a visible tab, the next
// animation frame (so each slice of work is followed by a paint and pending input); in a
// hidden one, the next task.
func yieldToBrowser() {
	if js.Global().Get("document").Get("visibilityState").String() != "hidden" {
		select {
		case <-frameSignal:
		default:
		}
		select {
		case <-frameSignal:
			return
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
	browser.NextTask()
}
