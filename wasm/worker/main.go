//go:build js && wasm

// Command worker is the kubetab Cloudflare worker: the static site, share links and
// security headers (see package edge). It is built with GOOS=js GOARCH=wasm after
// workers-assets-gen has written its JavaScript shim; `make worker` does both.
package main

import (
	"errors"
	"net/http"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/fetch"
	"github.com/syumai/workers/cloudflare/kv"

	"github.com/kubetab/kubetab/wasm/worker/edge"
)

// The binding names wrangler.jsonc declares.
const (
	kvBinding     = "SHARES"
	assetsBinding = "ASSETS"
)

func main() {
	workers.Serve(edge.New(edge.Config{KV: workersKV{}, Assets: assetsFetcher{}}))
}

// workersKV is Workers KV. The namespace is looked up per call: bindings belong to the
// request's runtime context, not to the instance.
type workersKV struct{}

var _ edge.KV = workersKV{}

func (workersKV) namespace() (*kv.Namespace, error) {
	return kv.NewNamespace(kvBinding)
}

func (k workersKV) Get(key string) (string, bool, error) {
	ns, err := k.namespace()
	if err != nil {
		return "", false, err
	}
	v, err := ns.GetString(key, nil)
	if err != nil {
		return "", false, err
	}
	// syumai/workers turns the null of a missing key into this string. No stored value
	// can be it: values are JSON objects.
	if v == "<null>" {
		return "", false, nil
	}
	return v, true, nil
}

func (k workersKV) Put(key, value string) error {
	ns, err := k.namespace()
	if err != nil {
		return err
	}
	return ns.PutString(key, value, nil)
}

// assetsFetcher is the ASSETS binding: the static site wrangler uploads with the worker.
type assetsFetcher struct{}

var _ edge.Assets = assetsFetcher{}

func (assetsFetcher) Fetch(r *http.Request) (*http.Response, error) {
	b := cloudflare.GetBinding(assetsBinding)
	if b.IsUndefined() {
		return nil, errors.New("the " + assetsBinding + " binding is missing: see wrangler.jsonc")
	}
	// Redirects (like /index.html to /) go back to the browser as they are.
	c := fetch.NewClient(fetch.WithBinding(b))
	return c.Do(&fetch.Request{Request: r}, &fetch.RequestInit{Redirect: fetch.RedirectModeManual})
}
