package sitepolicy

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy allows what the go-app pages load and nothing else: scripts,
// styles, the wasm, the manifest and the service worker from the site itself. The pages
// have no inline script or style (go-app writes its loader as /app.js), so neither
// 'unsafe-inline' nor hashes are needed; 'wasm-unsafe-eval' lets WebAssembly.instantiate
// compile app.wasm without allowing JavaScript eval. Anything new the pages need is added
// here deliberately: the worker's browser test (wasm/worker/worker_test.go) fails on any
// violation. The last directive, framing, differs for the embed widget.
const contentSecurityPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
	"manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"

// Framing directives: the widget is made to sit in documentation on any site; nothing
// else may be framed.
const (
	frameAnyone = "frame-ancestors *"
	frameNobody = "frame-ancestors 'none'"
)

// Headers are the headers every response for path gets, whoever wrote the rest of it.
func Headers(path string) http.Header {
	h := http.Header{}
	h.Set("X-Content-Type-Options", "nosniff")
	// Share links carry their id in the path: do not hand it to other sites.
	h.Set("Referrer-Policy", "no-referrer")
	if Embeddable(path) {
		h.Set("Content-Security-Policy", contentSecurityPolicy+"; "+frameAnyone)
	} else {
		h.Set("Content-Security-Policy", contentSecurityPolicy+"; "+frameNobody)
		// For browsers that predate frame-ancestors.
		h.Set("X-Frame-Options", "DENY")
	}
	return h
}

// Governed reports whether the policy decides the header name (canonical form) for every
// path, whether Headers sets it there or leaves it out on purpose (X-Frame-Options on the
// widget): a server must not take such a header from elsewhere, such as an upstream
// response.
func Governed(name string) bool {
	switch name {
	case "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy":
		return true
	}
	return false
}

// Embeddable reports whether the page at path may be framed by any origin: the embed
// widget (/embed, its .html file, and anything below /embed/).
func Embeddable(path string) bool {
	return path == "/embed" || path == "/embed.html" || strings.HasPrefix(path, "/embed/")
}

// HeadersFile is a `_headers` file (the format of Netlify and Cloudflare Pages) that gives
// a static site below basePath ("" or "/": the root) the headers of Headers.
//
// The hosts differ where several rules match one path: Cloudflare Pages joins the values of
// a header, Netlify keeps the last rule's. So no header is set differently by two rules
// that can match together: every path gets the policy without framing and
// X-Frame-Options: DENY; the widget's paths get a second Content-Security-Policy, the
// policy again with frame-ancestors *. Joined (Cloudflare) that is two policies that both
// allow the widget to be framed; alone (Netlify) it is the same. Where a policy has
// frame-ancestors, browsers ignore X-Frame-Options, so the widget can be framed while
// every other page, which has none, cannot.
func HeadersFile(basePath string) string {
	base := strings.TrimSuffix("/"+strings.Trim(basePath, "/"), "/")
	var b strings.Builder
	b.WriteString("# The security headers of kubetab's site (written by `kubetab static`; see\n" +
		"# wasm/sitepolicy). Every page but the embed widget refuses to be framed.\n")
	everything := []string{base + "/*"}
	if base != "" {
		everything = append(everything, base) // the site's root without its slash
	}
	for _, p := range everything {
		b.WriteString(p + "\n")
		b.WriteString("  X-Content-Type-Options: nosniff\n")
		b.WriteString("  Referrer-Policy: no-referrer\n")
		b.WriteString("  Content-Security-Policy: " + contentSecurityPolicy + "\n")
		b.WriteString("  X-Frame-Options: DENY\n")
	}
	for _, p := range []string{"/embed", "/embed.html", "/embed/*"} {
		b.WriteString(base + p + "\n")
		b.WriteString("  Content-Security-Policy: " + contentSecurityPolicy + "; " + frameAnyone + "\n")
	}
	return b.String()
}
