//go:build !wasm

package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/app/lessons"
)

func TestServeTutorials(t *testing.T) {
	pub := publicDir(t, map[string]string{
		"web/app.wasm":          "\x00asm",
		"tutorials/01-first.md": "---\ntitle: The first\ntrack: Basics\n---\n\nHello.\n",
		"tutorials/Bad Name.md": "# no\n",
	})
	before := webVersion()

	srv := httptest.NewServer(New())
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/tutorials/index.json")
	var list []lessons.Info
	if code != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list) != 1 || list[0] != (lessons.Info{Name: "01-first", Title: "The first", Track: "Basics"}) {
		t.Fatalf("index: %d %s", code, body)
	}
	if code, body := get("/tutorials/01-first.md"); code != 200 || !strings.Contains(body, "Hello.") {
		t.Fatalf("lesson: %d %q", code, body)
	}
	for _, p := range []string{"/tutorials/../web/app.wasm", "/tutorials/Bad%20Name.md", "/tutorials/missing.md"} {
		if code, _ := get(p); code != 404 {
			t.Errorf("%s: %d", p, code)
		}
	}
	if code, body := get("/tutorial/01-first"); code != 200 || !strings.Contains(body, "kubetab") {
		t.Errorf("lesson page: %d", code)
	}
	// The service worker caches the tutorial's pages and lessons.
	_, worker := get("/app-worker.js")
	for _, p := range []string{`"/tutorial"`, `"/tutorial/01-first"`, `"/tutorials/01-first.md"`, `"/tutorials/index.json"`} {
		if !strings.Contains(worker, p) {
			t.Errorf("app-worker.js does not cache %s", p)
		}
	}
	// A changed lesson is a new version: the service worker's cache follows.
	os.WriteFile(filepath.Join(pub, "tutorials", "01-first.md"), []byte("# Changed\n"), 0o644)
	if webVersion() == before {
		t.Error("the version does not follow the lessons")
	}

	out := t.TempDir()
	if err := writeTutorials(tutorialsDir(), out); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tutorialPages(tutorialsDir()), " "); got != "/tutorial /tutorial/01-first" {
		t.Errorf("static pages: %s", got)
	}
	for _, f := range []string{"tutorials/01-first.md", "tutorials/index.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("static: missing %s", f)
		}
	}
}
