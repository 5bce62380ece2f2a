package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// modules lists the patched modules and, for each, its patches in the order they apply.
// Each patch file starts with why it exists.
var modules = []struct {
	path    string
	patches []string
}{
	{"k8s.io/apimachinery", []string{
		"apimachinery-util-net.patch",
		"apimachinery-cbor-modes.patch",
		"apimachinery-meta-v1-scheme.patch",
		"apimachinery-raw-extension.patch",
	}},
	{"k8s.io/api", []string{
		"api-add-to-scheme.patch",
	}},
	{"sigs.k8s.io/structured-merge-diff/v6", []string{
		"structured-merge-diff-value-json.patch",
	}},
}

//go:embed patches/*.patch
var patchFiles embed.FS

// marker is written into the output directory, so that a later run knows the directory is
// modpatch's own to replace.
const marker = "MADE-BY-MODPATCH"

func main() {
	out := flag.String("out", "build/wasmmod", "`directory` to write go.mod, go.sum and the patched modules into (replaced)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "modpatch:", err)
		os.Exit(1)
	}
}

// run writes dir/go.mod, dir/go.sum and one patched copy of each module under dir.
func run(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	goMod, err := goEnv("GOMOD")
	if err != nil {
		return err
	}
	if goMod == "" || goMod == os.DevNull {
		return errors.New("not inside a module: run modpatch from kubetab's checkout")
	}
	if err := clean(dir); err != nil {
		return err
	}
	mod, err := os.ReadFile(goMod)
	if err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(filepath.Dir(goMod), "go.sum"))
	if err != nil {
		return err
	}
	var replaces strings.Builder
	replaces.WriteString("\n// Added by wasm/modpatch: the browser's wasm is built with these patched copies.\n")
	for _, m := range modules {
		if bytes.Contains(mod, []byte("replace "+m.path+" ")) || bytes.Contains(mod, []byte("\t"+m.path+" =>")) {
			return fmt.Errorf("go.mod already replaces %s", m.path)
		}
		src, version, err := moduleDir(m.path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(m.path)+"@"+version)
		if err := copyModule(src, dst); err != nil {
			return err
		}
		for _, name := range m.patches {
			if err := applyPatchFile(dst, name); err != nil {
				return fmt.Errorf("%s@%s: %s: %w", m.path, version, name, err)
			}
		}
		fmt.Fprintf(&replaces, "replace %s %s => %s\n", m.path, version, replacement(filepath.Dir(goMod), dst))
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return err
	}
	// go.mod last: the Makefile remakes the directory while go.mod is missing.
	return os.WriteFile(filepath.Join(dir, "go.mod"), append(mod, replaces.String()...), 0o644)
}

// replacement is the path of a replace directive to dir: relative to the module's root
// (where the go command resolves it, whichever directory the -modfile is in) when dir is
// inside it, so that moving the checkout does not break the made go.mod.
func replacement(moduleRoot, dir string) string {
	rel, err := filepath.Rel(moduleRoot, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dir
	}
	return "./" + filepath.ToSlash(rel)
}

// clean empties dir, which must be missing, empty or modpatch's own.
func clean(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
			return fmt.Errorf("%s is not empty and was not made by modpatch: not replacing it", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, marker), []byte("go run ./wasm/modpatch wrote this directory and replaces it whole.\n"), 0o644)
}

// moduleDir downloads the module at go.mod's version if needed and returns its directory in
// the module cache.
func moduleDir(modulePath string) (dir, version string, err error) {
	cmd := exec.Command("go", "mod", "download", "-json", modulePath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("go mod download %s: %v\n%s", modulePath, err, stderr.Bytes())
	}
	var m struct{ Version, Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", "", fmt.Errorf("go mod download %s: %v", modulePath, err)
	}
	if m.Error != "" || m.Dir == "" {
		return "", "", fmt.Errorf("go mod download %s: %s", modulePath, m.Error)
	}
	return m.Dir, m.Version, nil
}

func goEnv(name string) (string, error) {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// copyModule copies the module's files but its tests and testdata (they are not built, and
// upstream's tests may use what a patch changed).
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == "testdata" || (d.Name() != "." && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(d.Name(), "_test.go") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// applyPatchFile applies the named patch of patches/ to the module copied into dir.
func applyPatchFile(dir, name string) error {
	text, err := patchFiles.ReadFile(path.Join("patches", name))
	if err != nil {
		return err
	}
	files, err := parsePatch(string(text))
	if err != nil {
		return err
	}
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.path))
		var src []byte
		if !f.isNew {
			if src, err = os.ReadFile(target); err != nil {
				return err
			}
		}
		patched, err := f.apply(string(src))
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, []byte(patched), 0o644); err != nil {
			return err
		}
	}
	return nil
}
