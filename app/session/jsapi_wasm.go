//go:build js && wasm

package session

import (
	"syscall/js"

	"github.com/kubetab/kubetab/app/browser"
)

// InstallJSAPI defines window.kubetab:
//
//	window.kubetab.ready        a Promise, resolved when the cluster is restored and interactive
//	window.kubetab.exec(line)   a Promise of {output, exitCode}; the line and its output
//	                            also appear in the terminal
//	window.kubetab.export()     a Promise of the bundle (JSON text) of the page's cluster,
//	                            files, command history and transcript
//	window.kubetab.import(json) a Promise, resolved once the bundle replaced them (rejected
//	                            with an Error that says why it could not)
//	window.kubetab.saved()      a Promise, resolved once storage has every change made
//	                            before the call (Shell.Saved)
//
// No callback blocks: exec starts a goroutine and returns at once, as a js.FuncOf callback
// that waited for the engine would freeze the tab.
func (sh *Shell) InstallJSAPI() {
	api := js.Global().Get("Object").New()
	api.Set("ready", browser.Promise(func(resolve, reject js.Value) {
		go func() {
			<-sh.Ready()
			browser.Mark("kubetab:ready")
			resolve.Invoke()
		}()
	}))
	api.Set("exec", js.FuncOf(func(this js.Value, args []js.Value) any {
		return browser.Promise(func(resolve, reject js.Value) {
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
	api.Set("export", js.FuncOf(func(this js.Value, args []js.Value) any {
		return browser.Promise(func(resolve, reject js.Value) {
			go func() {
				data, err := sh.Export()
				if err != nil {
					reject.Invoke(js.Global().Get("Error").New(err.Error()))
					return
				}
				resolve.Invoke(string(data))
			}()
		})
	}))
	api.Set("import", js.FuncOf(func(this js.Value, args []js.Value) any {
		return browser.Promise(func(resolve, reject js.Value) {
			if len(args) != 1 || args[0].Type() != js.TypeString {
				reject.Invoke(js.Global().Get("TypeError").New("kubetab.import(json) takes one string"))
				return
			}
			data := []byte(args[0].String())
			go func() {
				if err := sh.Import(data); err != nil {
					reject.Invoke(js.Global().Get("Error").New(err.Error()))
					return
				}
				resolve.Invoke()
			}()
		})
	}))
	api.Set("saved", js.FuncOf(func(this js.Value, args []js.Value) any {
		return browser.Promise(func(resolve, reject js.Value) {
			go func() {
				sh.Saved()
				resolve.Invoke()
			}()
		})
	}))
	js.Global().Set("kubetab", api)
}
