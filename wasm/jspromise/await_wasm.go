//go:build js && wasm

package jspromise

import (
	"errors"
	"syscall/js"
)

// Await waits for a promise: its value, or its rejection as an error (the rejection's
// message when it has one). It blocks: call it from a goroutine, never from a JS callback,
// which would wait for an event that cannot come while it runs.
func Await(p js.Value) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	done := make(chan settled, 1)
	then := js.FuncOf(func(this js.Value, args []js.Value) any {
		done <- settled{v: args[0]}
		return nil
	})
	catch := js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "failed"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Type() == js.TypeString {
				msg = m.String()
			} else {
				msg = js.Global().Get("String").Invoke(args[0]).String()
			}
		}
		done <- settled{err: errors.New(msg)}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	s := <-done
	return s.v, s.err
}
