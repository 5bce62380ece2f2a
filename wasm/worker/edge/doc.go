// Package edge is the HTTP handler of the kubetab Cloudflare worker: the share-link API
// (POST /api/share, GET /api/share/<id>), /healthz, the static site from the assets
// binding, and the security headers on every response.
//
// It reaches the platform only through two small interfaces, KV and Assets, so that it
// builds and tests natively with fakes; the worker's main package (../main.go, js/wasm
// only) plugs in Workers KV and the ASSETS binding. It must not import syscall/js or
// github.com/syumai/workers.
package edge
