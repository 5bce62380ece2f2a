//go:build js && wasm

package main

import (
	"syscall/js"
)

// installJSAPI defines window.kubetab:
//
//	window.kubetab.ready        a Promise, resolved when the cluster is restored and interactive
//	window.kubetab.exec(line)   a Promise of {output, exitCode}; the line and its output
//	                            also appear in the terminal
//
// No callback blocks: exec starts a goroutine and returns at once, as a js.FuncOf callback
// that waited for the engine would freeze the tab.
func installJSAPI(sh *shell) {
	api := js.Global().Get("Object").New()
	api.Set("ready", newPromise(func(resolve, reject js.Value) {
		go func() {
			<-sh.Ready()
			mark("kubetab:ready")
			resolve.Invoke()
		}()
	}))
	api.Set("exec", js.FuncOf(func(this js.Value, args []js.Value) any {
		return newPromise(func(resolve, reject js.Value) {
			if len(args) != 1 || args[0].Type() != js.TypeString {
				reject.Invoke(js.Global().Get("TypeError").New("kubetab.exec(line) takes one string"))
				return
			}
			line := args[0].String()
			go func() {
				out, code := sh.Exec(line)
				res := js.Global().Get("Object").New()
				res.Set("output", out)
				res.Set("exitCode", code)
				resolve.Invoke(res)
			}()
		})
	}))
	js.Global().Set("kubetab", api)
}

// mark adds a performance mark, for the phases of a load (e2e/measure_test.go): the patched
// loader marks kubetab:wasm when the wasm is instantiated, and the app kubetab:main,
// kubetab:storage (storage opened) and kubetab:ready.
func mark(name string) {
	if p := js.Global().Get("performance"); p.Truthy() && p.Get("mark").Truthy() {
		p.Call("mark", name)
	}
}

// newPromise returns a JS Promise whose executor is fn; fn must not block.
func newPromise(fn func(resolve, reject js.Value)) js.Value {
	executor := js.FuncOf(func(this js.Value, args []js.Value) any {
		fn(args[0], args[1])
		return nil
	})
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}
