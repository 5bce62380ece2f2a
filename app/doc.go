// Command kubetab is both halves of kubetab, from one main package (the shape of go-app's
// own documentation site), and only wires them:
//
//   - built natively (main_native.go), it is the kubetab CLI (app/cli): serve the
//     web app and write it as a static website (app/server), and run the terminal
//     language against a cluster kept in a --state directory;
//   - built for js/wasm (main_wasm.go), it is the web app: one session
//     (app/session) restored from the browser's storage, or the embed widget's
//     (app/widget), the window.kubetab JS API, a share link opened
//     (app/sharelink), and go-app's pages (app/ui) on it.
//
// Both register the same pages (ui.Routes), so that the server pre-renders what the
// browser mounts. The packages below app each say in their doc.go what they own and must
// not import:
//
//	cli        the command line                       server     HTTP server, loader, static site
//	ui         go-app components and pages            session    the tab's session (no go-app)
//	snapshot   what the page reads of the cluster     podchips   the cluster view's pod chips
//	highlight  the YAML editor's highlighting         complete   Tab completion
//	sharelink  share links                            widget     the embed widget's protocol
//	lessons    the lessons the site serves            browser    browser APIs with native twins
//
// and app/samples holds the samples menu's manifests. app imports engine; engine never
// imports app.
package main
