//go:build !(js && wasm)

package browser

// Mark is the native twin of the browser's performance mark: there is no load to measure.
func Mark(name string) {}
