//go:build !(js && wasm)

package main

// installJSAPI is the native twin of the browser's window.kubetab: outside a browser there
// is no page to install it on. It exists so that shared code and tests compile natively.
func installJSAPI(sh *shell) {}
