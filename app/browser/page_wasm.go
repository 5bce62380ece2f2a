//go:build js && wasm

package browser

import (
	"sync"
	"syscall/js"
)

// Mark adds a performance mark, for the phases of a load (e2e/measure_test.go): the patched
// loader marks kubetab:wasm when the wasm is instantiated, and the app kubetab:main,
// kubetab:storage (storage opened), kubetab:ready and kubetab:shown.
func Mark(name string) {
	if p := js.Global().Get("performance"); p.Truthy() && p.Get("mark").Truthy() {
		p.Call("mark", name)
	}
}

// Promise returns a JS Promise whose executor is fn; fn must not block.
func Promise(fn func(resolve, reject js.Value)) js.Value {
	executor := js.FuncOf(func(this js.Value, args []js.Value) any {
		fn(args[0], args[1])
		return nil
	})
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}

// messages wakes NextTask: a message on a MessageChannel is a task of its own, neither
// delayed like a timer nor throttled in a hidden tab. Each call waits for its own message
// (the session's time loop and the embed widget both call it): the port delivers them in
// the order they were posted, and waiting lists the callers in that order.
var messages struct {
	port    js.Value
	mu      sync.Mutex
	waiting []chan struct{}
}

func init() {
	mc := js.Global().Get("MessageChannel").New()
	mc.Get("port1").Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		messages.mu.Lock()
		defer messages.mu.Unlock()
		if len(messages.waiting) > 0 {
			close(messages.waiting[0])
			messages.waiting = messages.waiting[1:]
		}
		return nil
	}))
	messages.port = mc.Get("port2")
}

// NextTask returns once the browser has run the tasks queued before it (and the microtasks
// they queued), without a timer's delay or throttling.
func NextTask() {
	ran := make(chan struct{})
	messages.mu.Lock()
	messages.waiting = append(messages.waiting, ran)
	messages.port.Call("postMessage", nil)
	messages.mu.Unlock()
	<-ran
}

// RegisterServiceWorker registers go-app's service worker, the site's offline copy, once
// the browser is next idle: the app calls it once the cluster is ready (after the page's
// mount). go-app's loader registered it at once, and its installation, which downloads the
// whole site (app.wasm included), slowed the first load by 0.4–1.0 s (the server's loader
// patch removes that call; README, "Measured"). By now the wasm is in the HTTP cache.
func RegisterServiceWorker() {
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

// ReplaceURL puts to in the address bar without a navigation (a share link becomes the
// app's root, so that a reload keeps the user's later work).
func ReplaceURL(to string) {
	js.Global().Get("history").Call("replaceState", nil, "", to)
}
