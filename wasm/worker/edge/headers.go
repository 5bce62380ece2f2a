package edge

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy allows what the go-app pages load and nothing else: scripts,
// styles, the wasm, the manifest and the service worker from the site itself. The pages
// have no inline script or style (go-app writes its loader as /app.js), so neither
// 'unsafe-inline' nor hashes are needed; 'wasm-unsafe-eval' lets WebAssembly.instantiate
// compile app.wasm without allowing JavaScript eval. Anything new the pages need is added
// here deliberately: the worker's browser test (../worker_test.go) fails on any violation.
// The last directive, framing, differs for the embed widget.
const contentSecurityPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
	"manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"

// securityHeaders are the headers every response gets, whoever wrote the rest of it.
func securityHeaders(path string) http.Header {
	h := http.Header{}
	h.Set("X-Content-Type-Options", "nosniff")
	// Share links carry their id in the path: do not hand it to other sites.
	h.Set("Referrer-Policy", "no-referrer")
	if embeddable(path) {
		// The widget is made to sit in documentation on any site.
		h.Set("Content-Security-Policy", contentSecurityPolicy+"; frame-ancestors *")
	} else {
		h.Set("Content-Security-Policy", contentSecurityPolicy+"; frame-ancestors 'none'")
		// For browsers that predate frame-ancestors.
		h.Set("X-Frame-Options", "DENY")
	}
	return h
}

// embeddable reports whether the page at path may be framed by any origin: the embed
// widget (/embed, its .html file, and anything below /embed/).
func embeddable(path string) bool {
	return path == "/embed" || path == "/embed.html" || strings.HasPrefix(path, "/embed/")
}
