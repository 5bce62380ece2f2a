// Command kubetab is both halves of kubetab, from one main package (the shape of go-app's
// own documentation site):
//
//   - built natively, it is the kubetab CLI: serve the web app, write it as a static
//     website, and run the terminal language against a cluster kept in a --state
//     directory (cli.go);
//   - built for js/wasm, it is the web app: a page with a terminal on a cluster that lives
//     in the tab, and the window.kubetab JS API (browser_wasm.go, jsapi_wasm.go).
//
// The page component (page.go) and the shell that owns the session (shell.go) compile for
// both, so the server can pre-render the page. app imports engine; engine never imports app.
package main
