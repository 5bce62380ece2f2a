//go:build !wasm

package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/lessons"
	"github.com/kubetab/kubetab/wasm/sitepolicy"
)

// appVersion is the release; the service worker's cache key adds a hash of the files of
// public/web (webVersion), so that every new build is a new version and nothing else is.
var appVersion = "0.1.0"

// PublicDir holds the static files: web/app.wasm (built by make build), icons, styles, and
// their precompressed .br and .gz variants.
var PublicDir = "public"

// newHandler describes the web app. version keys the service worker's cache; res says
// where the pages find the files of /web/ (a base path of a static site is baked in there).
func newHandler(version string, res app.ResourceResolver) *app.Handler {
	h := &app.Handler{
		Name:            "kubetab",
		ShortName:       "kubetab",
		Title:           "kubetab: a Kubernetes cluster in a browser tab",
		Description:     "A simulated Kubernetes cluster that runs in your browser: apply YAML, type kubectl, skip time. Offline, deterministic, no account.",
		Author:          "the kubetab authors",
		Keywords:        []string{"kubernetes", "kubectl", "simulator", "tutorial", "webassembly"},
		Lang:            "en",
		LoadingLabel:    "Starting kubetab…",
		BackgroundColor: "#111827",
		ThemeColor:      "#1f2937",
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			SVG:     "/web/icon.svg",
		},
		Styles: []string{"/web/app.css", "/web/tutorial.css", "/web/embed.css"},
		// The cluster view's pod chips (app/podchips), run before the app (deferred, as app.js is).
		Scripts:   []string{"/web/chips.js defer"},
		Version:   version,
		Resources: res,
		// The tutorial's pages and lessons, so that it works offline after a first visit, and
		// the head's storage prelude (go-app caches only the scripts it loads itself).
		CacheableResources: append(tutorialResources(tutorialsDir()), "/web/storage-prelude.js"),
		RawHeaders:         []string{wasmPreload(res), storagePrelude(res)},
	}
	return h
}

// webVersion is appVersion plus a hash of the files of public/web (not their compressed
// variants, which follow from them) and of the lessons, which the service worker caches too.
func webVersion() string {
	var names []string
	for _, dir := range []string{filepath.Join(PublicDir, "web"), tutorialsDir()} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && !precompressed(p) {
				names = append(names, p)
			}
			return nil
		})
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		io.WriteString(h, filepath.ToSlash(n)+"\x00")
		io.Copy(h, f)
		f.Close()
	}
	return appVersion + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

func precompressed(name string) bool {
	return strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz")
}

// newServer is what `kubetab serve` serves: go-app's pages, app.js and service worker
// (always revalidated), and the files of public/web under a versioned path
// /VERSION/web/..., cached for a year as immutable, in their precompressed variant when
// the browser takes it. Unversioned /web/... paths still work, revalidated.
func New() http.Handler {
	version := webVersion()
	pages := &withLoader{pages: newHandler(version, versionedResources{version: version})}
	web := filepath.Join(PublicDir, "web")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		// The worker's security headers (wasm/sitepolicy), so that the playground served
		// here cannot be framed by any site either, and a policy violation shows up in
		// development, not only once deployed.
		for k, v := range sitepolicy.Headers(p) {
			w.Header()[k] = v
		}
		switch {
		case strings.HasPrefix(p, "/"+version+"/web/"):
			serveAsset(w, r, web, strings.TrimPrefix(p, "/"+version+"/web/"), true)
		case strings.HasPrefix(p, "/web/"):
			serveAsset(w, r, web, strings.TrimPrefix(p, "/web/"), false)
		case strings.HasPrefix(p, lessons.Path):
			serveTutorials(w, r, tutorialsDir())
		case embedFiles[p]:
			serveAsset(w, r, PublicDir, p, false)
		default:
			pages.ServeHTTP(w, r)
		}
	})
}

// embedFiles are the files of public/ served at the site's root for embedding: the
// script that host pages load and an example page (docs/embed.md).
var embedFiles = map[string]bool{"/embed.js": true, "/embed-example.html": true}

// versionedResources resolves /web/x to /VERSION/web/x.
type versionedResources struct{ version string }

func (v versionedResources) Resolve(location string) string {
	location = app.LocalDir("").Resolve(location)
	if strings.HasPrefix(location, "/web/") {
		return "/" + v.version + location
	}
	return location
}

// serveAsset serves dir/name, or its .br or .gz variant when the request accepts that
// encoding and the variant was made from this version of the file: make build gives a
// variant its file's modification time, so one left from another build is never served.
func serveAsset(w http.ResponseWriter, r *http.Request, dir, name string, immutable bool) {
	name = path.Clean("/" + name)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	file := filepath.Join(dir, filepath.FromSlash(name))
	fi, err := os.Stat(file)
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	serve := file
	if !precompressed(name) {
		h.Add("Vary", "Accept-Encoding")
		for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !acceptsEncoding(r.Header.Get("Accept-Encoding"), enc.name) {
				continue
			}
			if vi, err := os.Stat(file + enc.ext); err == nil && vi.ModTime().Equal(fi.ModTime()) {
				serve = file + enc.ext
				h.Set("Content-Encoding", enc.name)
				break
			}
		}
	}
	f, err := os.Open(serve)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if enc := h.Get("Content-Encoding"); enc != "" {
		// A validator per representation: caches must not mix the encodings.
		h.Set("ETag", strconv.Quote(strconv.FormatInt(fi.ModTime().UnixNano(), 36)+"-"+strconv.FormatInt(fi.Size(), 36)+"-"+enc))
	}
	http.ServeContent(w, r, name, fi.ModTime(), f)
}

// acceptsEncoding reports whether an Accept-Encoding header accepts enc (a q=0 refuses it).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		token, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(token), enc) && strings.TrimSpace(token) != "*" {
			continue
		}
		q := strings.TrimSpace(params)
		if v, ok := strings.CutPrefix(q, "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// staticResources are the resources of a static site: /web/... at the root, or below the
// base path.
func staticResources(basePath string) app.ResourceResolver {
	if basePath = strings.Trim(basePath, "/"); basePath != "" {
		return app.PrefixedLocation("/" + basePath)
	}
	return app.LocalDir("")
}
