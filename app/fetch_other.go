//go:build !(js && wasm)

package main

import (
	"bytes"
	"io"
	"net/http"
)

// fetchURL is the native twin of the browser's fetch (fetch_wasm.go), with net/http.
func fetchURL(req fetchRequest) (fetchResponse, error) {
	method := req.method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	r, err := http.NewRequest(method, req.url, body)
	if err != nil {
		return fetchResponse{}, err
	}
	if req.body != nil {
		r.Header.Set("Content-Type", req.contentType)
	}
	res, err := (&http.Client{Timeout: req.timeout}).Do(r)
	if err != nil {
		return fetchResponse{}, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, int64(req.limit)))
	if err != nil {
		return fetchResponse{}, err
	}
	return fetchResponse{status: res.StatusCode, statusText: http.StatusText(res.StatusCode), body: data}, nil
}
