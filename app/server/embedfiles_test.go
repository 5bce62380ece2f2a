//go:build !wasm

package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The embed script and both example pages are served at the site's root, and written by
// `kubetab static`.
func TestEmbedFilesServedAndWritten(t *testing.T) {
	files := map[string]string{"web/app.wasm": "\x00asm", "tutorials/.keep": ""}
	for _, name := range []string{"embed.js", "embed-example.html", "docs-example.html"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "public", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	publicDir(t, files)

	srv := httptest.NewServer(New())
	defer srv.Close()
	for _, name := range []string{"embed.js", "embed-example.html", "docs-example.html"} {
		resp, err := http.Get(srv.URL + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "kubetab") {
			t.Errorf("/%s: %d", name, resp.StatusCode)
		}
	}
	out := t.TempDir()
	if err := WriteStatic(out, ""); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "docs-example.html")); err != nil || !strings.Contains(string(b), "data-kubetab-run") {
		t.Errorf("the static site's docs-example.html: %v", err)
	}
}

// publicDir makes a public/ directory with files (slash-separated path → text) for one
// test, and points PublicDir at it until the test ends.
func publicDir(t *testing.T, files map[string]string) string {
	t.Helper()
	pub := t.TempDir()
	for name, text := range files {
		path := filepath.Join(pub, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := PublicDir
	PublicDir = pub
	t.Cleanup(func() { PublicDir = old })
	return pub
}
