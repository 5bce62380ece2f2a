// Package cli is the kubetab command line (Run): serve the web app and write it as a static
// website (through app/server), run the terminal language against a cluster kept
// in a --state directory (engine/terminal, with the OS's files and $EDITOR), and test
// lessons headless (`kubetab tutorial test`, engine/tutorial).
//
// Its files build natively only (`//go:build !wasm`). The caller registers the pages first
// (ui.Routes(nil)), as `static` pre-renders them; it must not import the UI or the session.
package cli
