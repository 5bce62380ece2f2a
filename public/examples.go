// Package public holds what the site serves as static files (web/, tutorials/, examples/, the
// embed files). Only examples/ is Go's business here: the native CLI and the tests embed the
// bundled example manifests (examples/README.md) so that they work without the site. The
// browser fetches them from /examples/ instead, so the wasm does not carry them: never import
// this package from code built for js/wasm.
package public

import (
	"embed"
	"errors"
	"io/fs"
)

//go:embed examples
var examplesFS embed.FS

// Examples reads a file of the bundle by its path below examples/ (engine/examples.Bundle).
func Examples(path string) ([]byte, error) {
	data, err := fs.ReadFile(examplesFS, "examples/"+path)
	if errors.Is(err, fs.ErrInvalid) {
		err = &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	return data, err
}

// ExampleFiles lists the bundle's files by their paths below examples/, in lexical order.
func ExampleFiles() []string {
	var out []string
	fs.WalkDir(examplesFS, "examples", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p[len("examples/"):])
		}
		return nil
	})
	return out
}
