//go:build js && wasm

package browser

import (
	"errors"
	"net/http"
	"syscall/js"
)

// Fetch makes the request with the window's fetch. It blocks until the answer is read:
// call it from a goroutine, never from a JS callback.
func Fetch(req Request) (Response, error) {
	init := js.Global().Get("Object").New()
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	init.Set("method", method)
	if req.Body != nil {
		headers := js.Global().Get("Object").New()
		headers.Set("Content-Type", req.ContentType)
		init.Set("headers", headers)
		body := js.Global().Get("Uint8Array").New(len(req.Body))
		js.CopyBytesToJS(body, req.Body)
		init.Set("body", body)
	}
	if req.Timeout > 0 {
		if timeout := js.Global().Get("AbortSignal").Get("timeout"); timeout.Type() == js.TypeFunction {
			init.Set("signal", js.Global().Get("AbortSignal").Call("timeout", req.Timeout.Milliseconds()))
		}
	}
	res, err := await(js.Global().Call("fetch", req.URL, init))
	if err != nil {
		return Response{}, err
	}
	out := Response{StatusCode: res.Get("status").Int(), StatusText: res.Get("statusText").String()}
	buf, err := await(res.Call("arrayBuffer"))
	if err != nil {
		return Response{}, err
	}
	data := js.Global().Get("Uint8Array").New(buf)
	n := data.Length()
	if n > req.Limit {
		n = req.Limit
	}
	out.Body = make([]byte, n)
	js.CopyBytesToGo(out.Body, data.Call("subarray", 0, n))
	return out, nil
}

// await waits for a JS Promise: its value, or its rejection as an error.
func await(p js.Value) (js.Value, error) {
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
				msg = args[0].Call("toString").String()
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
