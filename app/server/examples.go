//go:build !wasm

package server

import (
	"io/fs"
	"path/filepath"
	"strings"
)

// The bundled example manifests (public/examples, engine/examples) are served below
// /examples/, which the browser's session fetches when a command names a docs URL; the
// service worker caches them all so that the docs' `kubectl apply -f https://k8s.io/...`
// works offline.
const examplesPath = "/examples/"

func examplesDir() string { return filepath.Join(PublicDir, "examples") }

// exampleResources are the paths of the bundle's files, for the service worker.
func exampleResources(dir string) []string {
	var res []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasSuffix(p, ".go") {
			return nil
		}
		if rel, err := filepath.Rel(dir, p); err == nil {
			res = append(res, examplesPath+filepath.ToSlash(rel))
		}
		return nil
	})
	return res
}
