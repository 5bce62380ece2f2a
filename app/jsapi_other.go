//go:build !(js && wasm)

package main

// mark is the native twin of the browser's performance mark: nothing to mark.
func mark(name string) {}
