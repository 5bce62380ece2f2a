// Package sitepolicy is the security policy of kubetab's site, one for every server of it:
// the headers each response gets (a Content-Security-Policy that allows only what the
// pages load, framing refused except for the embed widget, nosniff, no referrer). The
// Cloudflare worker (wasm/worker/edge) and `kubetab serve` (app/server) send Headers;
// `kubetab static` writes HeadersFile as `_headers` for static hosts (Netlify, Cloudflare
// Pages).
//
// It is pure Go (net/http's Header type only): it must not import syscall/js, the worker's
// platform or the engine.
package sitepolicy
