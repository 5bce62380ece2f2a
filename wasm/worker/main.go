//go:build js && wasm

// Command worker is the kubetab Cloudflare worker: the static site, share links and
// security headers (see package edge). It is built with GOOS=js GOARCH=wasm after
// workers-assets-gen has written its JavaScript shim; `make worker` does both.
package main

import (
	"errors"
	"net/http"
	"syscall/js"
	"time"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/fetch"

	"github.com/kubetab/kubetab/wasm/jspromise"
	"github.com/kubetab/kubetab/wasm/worker/edge"
)

// The binding names wrangler.jsonc declares.
const (
	kvBinding     = "SHARES"
	assetsBinding = "ASSETS"
	limitBinding  = "SHARE_LIMIT"
)

func main() {
	workers.Serve(edge.New(edge.Config{
		KV:      workersKV{},
		Assets:  assetsFetcher{},
		Limiter: rateLimiter{},
		Getenv:  cloudflare.Getenv,
	}))
}

// binding is a binding of the request's runtime context (bindings belong to it, not to
// the instance).
func binding(name string) (js.Value, error) {
	b := cloudflare.GetBinding(name)
	if b.IsUndefined() {
		return b, errors.New("the " + name + " binding is missing: see wrangler.jsonc")
	}
	return b, nil
}

// workersKV is Workers KV. A share's expiry is stored twice: as KV's expiration, which
// drops it, and in its metadata, which Get reads back (KV's get does not return the
// expiration).
type workersKV struct{}

var _ edge.KV = workersKV{}

func (workersKV) Get(key string) (string, time.Time, bool, error) {
	ns, err := binding(kvBinding)
	if err != nil {
		return "", time.Time{}, false, err
	}
	r, err := jspromise.Await(ns.Call("getWithMetadata", key, map[string]any{"type": "text"}))
	if err != nil {
		return "", time.Time{}, false, err
	}
	v := r.Get("value")
	if v.Type() != js.TypeString {
		return "", time.Time{}, false, nil // null: no such key
	}
	var expires time.Time
	if m := r.Get("metadata"); m.Type() == js.TypeObject && m.Get("expires").Type() == js.TypeNumber {
		expires = time.Unix(int64(m.Get("expires").Float()), 0)
	}
	return v.String(), expires, true, nil
}

func (workersKV) Put(key, value string, expires time.Time) error {
	ns, err := binding(kvBinding)
	if err != nil {
		return err
	}
	at := expires.Unix()
	_, err = jspromise.Await(ns.Call("put", key, value, map[string]any{"expiration": at, "metadata": map[string]any{"expires": at}}))
	return err
}

// rateLimiter is Workers' rate-limiting binding.
type rateLimiter struct{}

var _ edge.Limiter = rateLimiter{}

func (rateLimiter) Allow(client string) (bool, error) {
	b, err := binding(limitBinding)
	if err != nil {
		return false, err
	}
	r, err := jspromise.Await(b.Call("limit", map[string]any{"key": client}))
	if err != nil {
		return false, err
	}
	return r.Get("success").Bool(), nil
}

// assetsFetcher is the ASSETS binding: the static site wrangler uploads with the worker.
type assetsFetcher struct{}

var _ edge.Assets = assetsFetcher{}

func (assetsFetcher) Fetch(r *http.Request) (*http.Response, error) {
	b, err := binding(assetsBinding)
	if err != nil {
		return nil, err
	}
	// Redirects (like /index.html to /) go back to the browser as they are.
	c := fetch.NewClient(fetch.WithBinding(b))
	return c.Do(&fetch.Request{Request: r}, &fetch.RequestInit{Redirect: fetch.RedirectModeManual})
}
