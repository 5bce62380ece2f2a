package sitepolicy

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// rule is one block of a _headers file.
type rule struct {
	pattern string
	headers [][2]string
}

func parseHeadersFile(t *testing.T, text string) []rule {
	t.Helper()
	var rules []rule
	for _, line := range strings.Split(text, "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "  "):
			name, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
			if !ok || len(rules) == 0 {
				t.Fatalf("bad header line %q", line)
			}
			rules[len(rules)-1].headers = append(rules[len(rules)-1].headers, [2]string{name, value})
		case strings.HasPrefix(line, "/"):
			rules = append(rules, rule{pattern: line})
		default:
			t.Fatalf("bad line %q", line)
		}
	}
	return rules
}

// matches is the hosts' matching: exact, or a trailing splat for anything below.
func matches(pattern, p string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(p, prefix)
	}
	return pattern == p
}

// served is what a host serves at p: Cloudflare Pages joins the values of every matching
// rule, Netlify keeps the last matching rule's value of each header.
func served(rules []rule, p string, join bool) http.Header {
	h := http.Header{}
	for _, r := range rules {
		if !matches(r.pattern, p) {
			continue
		}
		for _, kv := range r.headers {
			if old := h.Get(kv[0]); old != "" && join {
				h.Set(kv[0], old+", "+kv[1])
			} else {
				h.Set(kv[0], kv[1])
			}
		}
	}
	return h
}

// framable is how a browser decides whether p may be framed by another site: every
// Content-Security-Policy (a header may hold several, comma-separated) with frame-ancestors
// must allow it; X-Frame-Options counts only when no policy has frame-ancestors.
func framable(h http.Header) bool {
	any := false
	for _, policy := range strings.Split(h.Get("Content-Security-Policy"), ",") {
		for _, d := range strings.Split(policy, ";") {
			if fa, ok := strings.CutPrefix(strings.TrimSpace(d), "frame-ancestors "); ok {
				any = true
				if fa != "*" {
					return false
				}
			}
		}
	}
	return any || h.Get("X-Frame-Options") == ""
}

// directives is every directive but framing of every policy in h, as a set.
func directives(h http.Header) []string {
	var out []string
	for _, policy := range strings.Split(h.Get("Content-Security-Policy"), ",") {
		for _, d := range strings.Split(policy, ";") {
			if d = strings.TrimSpace(d); d != "" && !strings.HasPrefix(d, "frame-ancestors") && !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	slices.Sort(out)
	return out
}

var paths = []string{"/", "/embed", "/embed.html", "/embed/x", "/embedded", "/s/AAAA", "/web/app.wasm", "/tutorial/"}

// Static hosts serve, from the _headers file, what the worker and `kubetab serve` send:
// the same policy, framing allowed for the widget alone.
func TestHeadersFileGivesEveryPathItsHeaders(t *testing.T) {
	for _, base := range []string{"", "/", "/docs/kubetab/", "docs/kubetab"} {
		rules := parseHeadersFile(t, HeadersFile(base))
		prefix := strings.TrimSuffix("/"+strings.Trim(base, "/"), "/")
		for _, join := range []bool{true, false} {
			targets := paths
			if prefix != "" {
				targets = append([]string{""}, paths...) // the base path itself
			}
			for _, p := range targets {
				got := served(rules, prefix+p, join)
				if p == "" {
					p = "/"
				}
				want := Headers(p)
				if framable(got) != Embeddable(p) || framable(want) != Embeddable(p) {
					t.Errorf("base %q, join %v, %s: framable %v, want %v\n%v", base, join, p, framable(got), Embeddable(p), got)
				}
				if !slices.Equal(directives(got), directives(want)) {
					t.Errorf("base %q, join %v, %s: policy %v, want %v", base, join, p, directives(got), directives(want))
				}
				for _, k := range []string{"X-Content-Type-Options", "Referrer-Policy"} {
					if got.Get(k) != want.Get(k) {
						t.Errorf("base %q, %s: %s %q, want %q", base, p, k, got.Get(k), want.Get(k))
					}
				}
			}
		}
	}
}

func TestHeadersFraming(t *testing.T) {
	for _, p := range paths {
		h := Headers(p)
		if framable(h) != Embeddable(p) {
			t.Errorf("%s: framable %v", p, framable(h))
		}
		if Embeddable(p) == (h.Get("X-Frame-Options") == "DENY") {
			t.Errorf("%s: X-Frame-Options %q", p, h.Get("X-Frame-Options"))
		}
	}
}

// Every header that Headers sets on some path is governed.
func TestGoverned(t *testing.T) {
	for _, p := range []string{"/", "/embed"} {
		for name := range Headers(p) {
			if !Governed(name) {
				t.Errorf("%s sets %s, which Governed does not list", p, name)
			}
		}
	}
	if !Governed("X-Frame-Options") || Governed("Content-Type") {
		t.Error("Governed is wrong about X-Frame-Options or Content-Type")
	}
}
