//go:build !wasm

package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// A faster first load (README, "Measured"). go-app's loader, app.js, is changed in two
// places, in the pages `kubetab serve` serves (withLoader) and in a static website alike
// (patchStaticLoader):
//
//   - it registered the service worker at once, and the worker's installation fetched and
//     cached the whole site, app.wasm included, while the page itself was fetching and
//     compiling the wasm: the app registers it once the cluster is ready
//     (browser.RegisterServiceWorker), when the wasm is in the HTTP cache;
//   - it read the wasm through a JavaScript stream, on the page's main thread, to show a
//     progress percentage that kubetab's loading label does not show: the response goes
//     to WebAssembly.instantiateStreaming as it is.
//
// And each page preloads the wasm (wasmPreload), so that its download starts with the page
// rather than once the deferred scripts run, and opens the site's database from its head
// (storagePrelude).
//
// Each change must apply exactly once: a go-app whose loader reads differently fails
// patchLoader (and its test) rather than load slowly unnoticed.
const (
	loaderRegisterWorker = "\ngoappInitServiceWorker();\n"
	loaderFetchWasm      = `fetchWithProgress("`
	loaderShowProgress   = `", showProgress)`
)

// patchLoader makes both changes to go-app's app.js.
func patchLoader(js []byte) ([]byte, error) {
	s := string(js)
	if strings.Count(s, loaderRegisterWorker) != 1 {
		return nil, errors.New("app.js: the service worker's registration is not where kubetab expects it")
	}
	s = strings.Replace(s, loaderRegisterWorker, "\n// kubetab registers the service worker once the app is ready.\n", 1)
	i := strings.Index(s, loaderFetchWasm)
	if i < 0 || strings.Count(s, loaderFetchWasm) != 1 {
		return nil, errors.New("app.js: the wasm's fetch is not where kubetab expects it")
	}
	j := strings.Index(s[i:], loaderShowProgress)
	if j < 0 || strings.ContainsAny(s[i+len(loaderFetchWasm):i+j], "\"\n") {
		return nil, errors.New("app.js: the wasm's fetch is not where kubetab expects it")
	}
	s = s[:i] + `fetch("` + s[i+len(loaderFetchWasm):i+j] + `")` + s[i+j+len(loaderShowProgress):]
	return []byte(s), nil
}

// wasmPreload is the <link> that starts the wasm's download with the page, before the
// deferred scripts run and ask for it; it matches their fetch (CORS mode, same-origin
// credentials), so the browser hands them the preloaded response.
func wasmPreload(res app.ResourceResolver) string {
	return `<link rel="preload" href="` + res.Resolve("/web/app.wasm") + `" as="fetch" crossorigin="anonymous">`
}

// storagePrelude is the <script> that opens the site's database from the page's head while
// the wasm downloads (public/web/storage-prelude.js says why and how). It is an async module
// script: the parser reaches it after the stylesheets' links, and a classic script would
// wait for them; and a file, not inline code, for the share worker's Content-Security-Policy.
func storagePrelude(res app.ResourceResolver) string {
	return `<script type="module" async src="` + res.Resolve("/web/storage-prelude.js") + `"></script>`
}

// pageScript is the <script> of public/web/page.js: the theme, skip links and dialogs. It
// runs before the page is first painted, so that a learner's chosen theme shows from the
// start; it comes after the wasm's preload, so that the wasm's download does not wait for it
// (a script that blocks the parser waits for the stylesheets before it).
func pageScript(res app.ResourceResolver) string {
	return `<script src="` + res.Resolve("/web/page.js") + `"></script>`
}

// patchStaticLoader applies patchLoader to the app.js of a static website in dir.
func patchStaticLoader(dir string) error {
	name := filepath.Join(dir, "app.js")
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if b, err = patchLoader(b); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

// withLoader serves pages, with go-app's app.js patched (patchLoader).
type withLoader struct {
	pages *app.Handler
	once  sync.Once
	js    []byte
	etag  string
	err   error
}

func (h *withLoader) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/app.js" && r.URL.Path != "/goapp.js" {
		h.pages.ServeHTTP(w, r)
		return
	}
	h.once.Do(func() {
		rec := httptest.NewRecorder()
		h.pages.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/app.js", nil))
		h.js, h.err = patchLoader(rec.Body.Bytes())
		sum := sha256.Sum256(h.js)
		h.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
	})
	if h.err != nil {
		http.Error(w, h.err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/javascript")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", h.etag)
	http.ServeContent(w, r, "app.js", time.Time{}, bytes.NewReader(h.js))
}
