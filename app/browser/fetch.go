package browser

import (
	"fmt"
	"strings"
	"time"
)

// Request is one HTTP request of the page to its own site: the lessons and the share
// service. In the browser it goes through the window's fetch (fetch_wasm.go), not through
// net/http's client: that client alone is a third of a megabyte of the brotli-compressed
// wasm (its TLS, HTTP/2 and certificate code). Natively (fetch_other.go) it is net/http.
type Request struct {
	Method      string // GET when empty
	URL         string
	ContentType string // with Body
	Body        []byte
	Limit       int           // at most this many bytes of the answer are read
	Timeout     time.Duration // 0: none
}

// Response is the answer: its status and the first Limit bytes of its body.
type Response struct {
	StatusCode int
	StatusText string
	Body       []byte
}

// Status is the status line's code and text, as net/http's Response.Status ("404 Not Found").
func (r Response) Status() string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", r.StatusCode, r.StatusText))
}
