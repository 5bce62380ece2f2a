// Package edge is the HTTP handler of the kubetab Cloudflare worker: the share-link API
// (POST /api/share, GET /api/share/<id>), /healthz, the static site from the assets
// binding, and the security headers on every response.
//
// Shares are rate-limited per client address and expire unless read (the quota is in the
// README's "Deploying" section).
//
// It reaches the platform only through small interfaces, KV, Assets and Limiter, and a
// Getenv for the worker's variables, so that it builds and tests natively with fakes; the
// worker's main package (../main.go, js/wasm only) plugs in Workers KV, the ASSETS binding
// and the SHARE_LIMIT rate-limiting binding. It must not import syscall/js or
// github.com/syumai/workers.
package edge
