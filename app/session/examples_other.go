//go:build !(js && wasm)

package session

import "github.com/kubetab/kubetab/public"

// bundledExamples reads the example bundle embedded in the native binary (the browser
// fetches it from the site instead: examples_wasm.go).
var bundledExamples = public.Examples
