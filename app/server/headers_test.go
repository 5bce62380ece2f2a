//go:build !wasm

package server

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/wasm/sitepolicy"
)

// withPublic points PublicDir at a public/ with a wasm only, for the test's duration.
func withPublic(t *testing.T) {
	pub := t.TempDir()
	os.MkdirAll(filepath.Join(pub, "web"), 0o755)
	os.WriteFile(filepath.Join(pub, "web", "app.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	old := PublicDir
	PublicDir = pub
	t.Cleanup(func() { PublicDir = old })
}

// kubetab serve sends the worker's security headers on every response; the widget alone may
// be framed.
func TestServeSendsTheSitePolicy(t *testing.T) {
	withPublic(t)
	srv := httptest.NewServer(New())
	defer srv.Close()
	for _, path := range []string{"/", "/embed", "/web/app.wasm", "/web/missing.css", "/app.js", "/s/AAAA", "/embed.js"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		want := sitepolicy.Headers(path)
		for k := range want {
			if got := res.Header.Values(k); strings.Join(got, "|") != want.Get(k) {
				t.Errorf("GET %s: %s %q, want %q", path, k, got, want.Get(k))
			}
		}
		if framed := res.Header.Get("X-Frame-Options") == ""; framed != (path == "/embed") {
			t.Errorf("GET %s: X-Frame-Options %q", path, res.Header.Get("X-Frame-Options"))
		}
	}
}

func TestStaticWritesTheHeadersFile(t *testing.T) {
	withPublic(t)
	out := t.TempDir()
	if err := WriteStatic(out, "/docs/kubetab/"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "_headers"))
	if err != nil || string(b) != sitepolicy.HeadersFile("/docs/kubetab/") {
		t.Fatalf("_headers: %v\n%s", err, b)
	}
}
