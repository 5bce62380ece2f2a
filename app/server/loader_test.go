//go:build !wasm

package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"golang.org/x/net/html"

	"github.com/kubetab/kubetab/app/session"
)

// go-app's own app.js, patched: the wasm goes to instantiateStreaming as fetched, and the
// service worker waits for the app (browser_wasm.go registers it).
func TestPatchLoader(t *testing.T) {
	h := newHandler("v", app.LocalDir(""))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/app.js", nil))
	orig := rec.Body.Bytes()
	got, err := patchLoader(orig)
	if err != nil {
		t.Fatal(err)
	}
	js := string(got)
	for _, want := range []string{
		`instantiateStreaming(` + "\n" + `      fetch("/web/app.wasm"),`,
		"async function goappInitServiceWorker()",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("patched app.js lacks %q", want)
		}
	}
	if strings.Contains(js, "\ngoappInitServiceWorker();") || strings.Contains(js, `fetchWithProgress("`) {
		t.Error("patched app.js still registers the worker at once or streams the wasm through JavaScript")
	}
	if len(js) < len(orig)-200 {
		t.Errorf("patched app.js lost %d bytes", len(orig)-len(js))
	}
	// Another loader is refused, not half patched.
	if _, err := patchLoader(got); err == nil {
		t.Error("patching twice succeeded")
	}
	if _, err := patchLoader([]byte("goappInitServiceWorker();")); err == nil {
		t.Error("a foreign app.js was patched")
	}
}

// Each page's head preloads the wasm, opens the database and loads the pod chips' script
// and the page's own (theme, skip links, dialogs).
func TestPageHead(t *testing.T) {
	h := newHandler("v", versionedResources{version: "v"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	tags := headTags(t, rec.Body.String())
	for _, want := range []string{
		`link as="fetch" crossorigin="anonymous" href="/v/web/app.wasm" rel="preload"`,
		`script async="" src="/v/web/storage-prelude.js" type="module"`,
		`script defer="" src="/v/web/chips.js"`,
		`script src="/v/web/page.js"`,
	} {
		if !slices.Contains(tags, want) {
			t.Errorf("the page's head lacks <%s>; it has:\n%s", want, strings.Join(tags, "\n"))
		}
	}
	// The service worker keeps both scripts for offline visits.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/app-worker.js", nil))
	for _, want := range []string{`"/v/web/storage-prelude.js"`, `"/v/web/chips.js"`, `"/v/web/page.js"`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("the service worker does not cache %s", want)
		}
	}
}

// The head's database (public/web/storage-prelude.js) is the one hackpadfs/indexeddb makes,
// in the version go.mod names: the same name, version number, object stores and index.
func TestStoragePreludeMatchesHackpadfs(t *testing.T) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/hack-pad/hackpadfs").Output()
	if err != nil {
		t.Fatalf("finding hackpadfs: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "indexeddb", "fs.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{
		`fsVersion\s*=\s*1\b`,
		`contentsStore\s*=\s*"contents"`,
		`infoStore\s*=\s*"info"`,
		`parentKey\s*=\s*"Parent"`,
		`CreateObjectStore\(contentsStore, idb\.ObjectStoreOptions\{\}\)`,
		`CreateObjectStore\(infoStore, idb\.ObjectStoreOptions\{\}\)`,
		`CreateIndex\(parentKey, safejs\.Unsafe\(jsParentKey\), idb\.IndexOptions\{\}\)`,
	} {
		if !regexp.MustCompile(re).Match(src) {
			t.Errorf("hackpadfs's indexeddb/fs.go no longer matches %s: check public/web/storage-prelude.js against it", re)
		}
	}
	prelude, err := os.ReadFile(filepath.Join("..", "..", "public", "web", "storage-prelude.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`indexedDB.open("` + session.DatabaseName + `", 1)`, `createObjectStore("contents")`, `createObjectStore("info").createIndex("Parent", "Parent")`} {
		if !strings.Contains(string(prelude), want) {
			t.Errorf("storage-prelude.js lacks %q", want)
		}
	}
}

// headTags lists the page's link and script tags, each as its name and its attributes in
// name order: go-app writes attributes in map order, so the page's text cannot be matched.
func headTags(t *testing.T, page string) []string {
	t.Helper()
	var tags []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatal(z.Err())
			}
			return tags
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data != "link" && tok.Data != "script" {
				continue
			}
			attrs := make([]string, 0, len(tok.Attr))
			for _, a := range tok.Attr {
				attrs = append(attrs, fmt.Sprintf("%s=%q", a.Key, a.Val))
			}
			slices.Sort(attrs)
			tags = append(tags, strings.Join(append([]string{tok.Data}, attrs...), " "))
		}
	}
}
