// Package jspromise waits for JavaScript promises from Go (Await), for the browser's side
// of the app (app/browser) and the Cloudflare worker (wasm/worker) alike.
//
// It is js/wasm only and imports nothing but syscall/js and the standard library.
package jspromise
