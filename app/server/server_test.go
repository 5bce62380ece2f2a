//go:build !wasm

package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeHandler(t *testing.T) {
	pub := t.TempDir()
	os.MkdirAll(filepath.Join(pub, "web"), 0o755)
	os.WriteFile(filepath.Join(pub, "web", "app.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	os.WriteFile(filepath.Join(pub, "web", "app.wasm.br"), []byte("BROTLI"), 0o644)
	os.WriteFile(filepath.Join(pub, "web", "app.wasm.gz"), []byte("GZIP"), 0o644)
	os.WriteFile(filepath.Join(pub, "web", "app.css"), []byte("body{}"), 0o644)
	os.WriteFile(filepath.Join(pub, "web", "app.css.br"), []byte("STALE"), 0o644)
	// make build gives each variant its file's time; app.css.br is from another build.
	built := time.Now().Add(-time.Hour)
	for _, f := range []string{"app.wasm", "app.wasm.br", "app.wasm.gz"} {
		os.Chtimes(filepath.Join(pub, "web", f), built, built)
	}
	os.Chtimes(filepath.Join(pub, "web", "app.css.br"), built, built)
	defer func(old string) { PublicDir = old }(PublicDir)
	PublicDir = pub
	srv := httptest.NewServer(New())
	defer srv.Close()
	version := webVersion()
	get := func(path, accept string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", accept)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		return resp, b.String()
	}
	for path, want := range map[string]string{"/": "kubetab", "/web/app.wasm": "\x00asm", "/app.js": "", "/manifest.webmanifest": "kubetab"} {
		resp, body := get(path, "")
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d %.200q", path, resp.StatusCode, body)
		}
		if resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q", path, resp.Header.Get("Cache-Control"))
		}
	}
	// The page and app.js point at the versioned files; the page preloads the wasm, and
	// app.js is kubetab's loader (loader.go), revalidated by its ETag.
	resp, body := get("/app.js", "")
	if !strings.Contains(body, `fetch("/`+version+`/web/app.wasm")`) || strings.Contains(body, "\ngoappInitServiceWorker();") {
		t.Errorf("app.js does not fetch the versioned wasm (%s) with kubetab's loader", version)
	}
	if resp.Header.Get("Content-Type") != "application/javascript" || resp.Header.Get("ETag") == "" {
		t.Errorf("app.js: %v", resp.Header)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/app.js", nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if resp, err := http.DefaultTransport.RoundTrip(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("app.js revalidated: %v %v", resp, err)
	}
	if _, body := get("/", ""); !strings.Contains(body, `<link rel="preload" href="/`+version+`/web/app.wasm" as="fetch" crossorigin="anonymous">`) {
		t.Errorf("the page does not preload the versioned wasm:\n%.3000s", body)
	}
	for _, c := range []struct{ accept, encoding, body string }{
		{"gzip, deflate, br, zstd", "br", "BROTLI"},
		{"gzip", "gzip", "GZIP"},
		{"br;q=0, gzip", "gzip", "GZIP"},
		{"", "", "\x00asm\x01\x00\x00\x00"},
	} {
		resp, body := get("/"+version+"/web/app.wasm", c.accept)
		h := resp.Header
		if resp.StatusCode != 200 || body != c.body || h.Get("Content-Encoding") != c.encoding || h.Get("Content-Type") != "application/wasm" ||
			h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: %d %q %v", c.accept, resp.StatusCode, body, h)
		}
	}
	if resp, _ := get("/"+version+"/web/app.css", "br"); resp.Header.Get("Content-Type") != "text/css; charset=utf-8" || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("app.css: %v", resp.Header)
	}
	if resp, _ := get("/web/../../etc/passwd", ""); resp.StatusCode == 200 {
		t.Error("a path escaped public/web")
	}
	if resp, _ := get("/web/missing.js", ""); resp.StatusCode != 404 {
		t.Errorf("missing file: %d", resp.StatusCode)
	}
}
