//go:build js && wasm

package browser

import (
	"net/http"
	"syscall/js"

	"github.com/kubetab/kubetab/wasm/jspromise"
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
	res, err := jspromise.Await(js.Global().Call("fetch", req.URL, init))
	if err != nil {
		return Response{}, err
	}
	out := Response{StatusCode: res.Get("status").Int(), StatusText: res.Get("statusText").String()}
	buf, err := jspromise.Await(res.Call("arrayBuffer"))
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
