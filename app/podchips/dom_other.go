//go:build !(js && wasm)

package podchips

// newChipDOM is nil outside a browser: there is no document to draw pod chips in.
func newChipDOM() chipDOM { return nil }
