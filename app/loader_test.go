//go:build !wasm

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
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
