//go:build !(js && wasm)

package session

import "runtime"

// yieldToBrowser is the native twin of the browser's: there is no page to repaint, so a
// long fast-forward only lets other goroutines run.
func yieldToBrowser() { runtime.Gosched() }
