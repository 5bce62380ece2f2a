//go:build !wasm

package main

import (
	"net/http"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appVersion keys the service worker's cache: a browser keeps serving the cached app until
// it changes. `make build` sets it to the release plus a hash of app.wasm, so that every new
// wasm gets a new version and nothing else does.
var appVersion = "0.1.0-dev"

// publicDir holds the static files: web/app.wasm (built by make build), icons, styles.
var publicDir = "public"

// newHandler describes the web app. basePath is "" to serve at the root, or a sub-path
// like "/kubetab" for a static site hosted below one (the prefix is baked into the pages).
func newHandler(basePath string) *app.Handler {
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
		Styles:  []string{"/web/app.css"},
		Version: appVersion,
	}
	if basePath = strings.Trim(basePath, "/"); basePath != "" {
		h.Resources = app.PrefixedLocation("/" + basePath)
	} else {
		h.Resources = publicResources{Handler: http.FileServer(http.Dir(publicDir))}
	}
	return h
}

// publicResources serves /web/... from publicDir (go-app's LocalDir serves it from the
// working directory) and resolves paths exactly as LocalDir("") does.
type publicResources struct {
	http.Handler
}

func (publicResources) Resolve(location string) string {
	return app.LocalDir("").Resolve(location)
}
