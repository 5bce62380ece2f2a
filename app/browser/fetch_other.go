//go:build !(js && wasm)

package browser

import (
	"bytes"
	"io"
	"net/http"
)

// Fetch is the native twin of the browser's fetch (fetch_wasm.go), with net/http.
func Fetch(req Request) (Response, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	r, err := http.NewRequest(method, req.URL, body)
	if err != nil {
		return Response{}, err
	}
	if req.Body != nil {
		r.Header.Set("Content-Type", req.ContentType)
	}
	res, err := (&http.Client{Timeout: req.Timeout}).Do(r)
	if err != nil {
		return Response{}, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, int64(req.Limit)))
	if err != nil {
		return Response{}, err
	}
	return Response{StatusCode: res.StatusCode, StatusText: http.StatusText(res.StatusCode), Body: data}, nil
}
