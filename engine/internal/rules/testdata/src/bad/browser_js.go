//go:build js && wasm

package bad

// A file built only for the browser is checked too.
import "syscall/js" // want "import syscall/js"

var _ = js.Global
