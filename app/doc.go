// Command kubetab is both halves of kubetab, from one main package (the shape of go-app's
// own documentation site):
//
//   - built natively, it is the kubetab CLI: serve the web app, write it as a static
//     website, and run the terminal language against a cluster kept in a --state
//     directory (cli.go);
//   - built for js/wasm, it is the web app: a page with a terminal on a cluster that lives
//     in the tab, and the window.kubetab JS API (browser_wasm.go, jsapi_wasm.go).
//
// The page components (page.go, ui_*.go) and the shell compile for both, so the server can
// pre-render the page. The shell (shell.go) owns the tab's session on one goroutine: the
// workspace files (workspace.go), saving to storage and bundles (storage.go), with the
// browser's halves behind build tags: IndexedDB and the one-writer Web Lock
// (storage_wasm.go), the animation-frame clock (timeloop_wasm.go). The server side
// (handler.go) serves precompressed, versioned assets. app imports engine; engine never
// imports app.
package main
