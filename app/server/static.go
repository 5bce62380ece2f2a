//go:build !wasm

package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/wasm/sitepolicy"
)

// WriteStatic writes the static website to out: go-app's pages (the playground, the
// tutorial and each lesson, pre-rendered) with kubetab's loader, the files of public/web
// (app.wasm and the precompressed variants included: hosts that serve precompressed files
// use them), the lessons and their index, the embed files, and a _headers file with the
// site's security headers (wasm/sitepolicy) for the static hosts that read one. basePath is the path the
// site is served below ("" or "/": the root); it is baked into the pages. The error reads
// as the CLI prints it after "kubetab: ".
func WriteStatic(out, basePath string) error {
	web := filepath.Join(PublicDir, "web")
	if _, err := os.Stat(WasmFile()); err != nil {
		return fmt.Errorf("%s is missing: run `make build` first", WasmFile())
	}
	if err := app.GenerateStaticWebsite(out, newHandler(webVersion(), staticResources(basePath)), tutorialPages(tutorialsDir())...); err != nil {
		return fmt.Errorf("writing the static website: %w", err)
	}
	if err := patchStaticLoader(out); err != nil {
		return fmt.Errorf("writing the static website: %w", err)
	}
	// go-app writes the pages but not the files of web/: copy them.
	if err := copyDir(web, filepath.Join(out, "web")); err != nil {
		return err
	}
	if err := writeTutorials(tutorialsDir(), out); err != nil {
		return fmt.Errorf("copying the lessons: %w", err)
	}
	// The headers the worker and `kubetab serve` send, for hosts that read a _headers file.
	if err := os.WriteFile(filepath.Join(out, "_headers"), []byte(sitepolicy.HeadersFile(basePath)), 0o644); err != nil {
		return fmt.Errorf("writing the static website: %w", err)
	}
	for name := range embedFiles {
		b, err := os.ReadFile(filepath.Join(PublicDir, filepath.FromSlash(name)))
		if os.IsNotExist(err) {
			continue // a public/ without the embed files: the site has no widget script
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(out, filepath.FromSlash(name)), b, 0o644)
		}
		if err != nil {
			return fmt.Errorf("copying the embed files: %w", err)
		}
	}
	return nil
}

// WasmFile is the app's wasm, which `make build` writes.
func WasmFile() string { return filepath.Join(PublicDir, "web", "app.wasm") }

func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return errors.New("not a regular file: " + p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}
