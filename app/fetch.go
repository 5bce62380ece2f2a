package main

import (
	"fmt"
	"strings"
	"time"
)

// fetchRequest is one HTTP request of the page to its own site: the lessons and the share
// service. In the browser it goes through the window's fetch (fetch_wasm.go), not through
// net/http's client: that client alone is a third of a megabyte of the brotli-compressed
// wasm (its TLS, HTTP/2 and certificate code). Natively (fetch_other.go) it is net/http.
type fetchRequest struct {
	method      string // GET when empty
	url         string
	contentType string // with body
	body        []byte
	limit       int           // at most this many bytes of the answer are read
	timeout     time.Duration // 0: none
}

// fetchResponse is the answer: its status and the first limit bytes of its body.
type fetchResponse struct {
	status     int
	statusText string
	body       []byte
}

// Status is the status line's code and text, as net/http's Response.Status ("404 Not Found").
func (r fetchResponse) Status() string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", r.status, r.statusText))
}
