package main

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	const src = "a\nb\nc\nd\ne\n"
	tests := []struct {
		name, patch, src, want, err string
	}{{
		name:  "change and context",
		patch: "why\n\n--- a/f.go\n+++ b/f.go\n@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n",
		src:   src, want: "a\nb\nC\nd\ne\n",
	}, {
		name:  "two hunks, one-line lengths left out",
		patch: "--- a/f.go\t2024-01-01\n+++ b/f.go\t2024-01-01\n@@ -1 +1,2 @@\n a\n+a2\n@@ -5 +6 @@\n-e\n+E\n",
		src:   src, want: "a\na2\nb\nc\nd\nE\n",
	}, {
		name:  "an empty context line without its space",
		patch: "--- a/f.go\n+++ b/f.go\n@@ -1,3 +1,2 @@\n x\n\n-y\n",
		src:   "x\n\ny\n", want: "x\n\n",
	}, {
		name:  "new file",
		patch: "--- /dev/null\n+++ b/g.go\n@@ -0,0 +1,2 @@\n+package g\n+\n",
		want:  "package g\n\n",
	}, {
		name:  "upstream changed",
		patch: "--- a/f.go\n+++ b/f.go\n@@ -2,2 +2,2 @@\n b\n-x\n+X\n",
		src:   src, err: `f.go: hunk 1 does not apply: line 3 is not "x"`,
	}, {
		name:  "hunk at the wrong line",
		patch: "--- a/f.go\n+++ b/f.go\n@@ -1,1 +1,1 @@\n-b\n+B\n",
		src:   src, err: `f.go: hunk 1 does not apply: line 1 is not "b"`,
	}, {
		name:  "new file that exists",
		patch: "--- /dev/null\n+++ b/f.go\n@@ -0,0 +1 @@\n+x\n",
		src:   src, err: "f.go: the patch creates it, but it exists",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := parsePatch(tt.patch)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 1 {
				t.Fatalf("%d files, want 1", len(files))
			}
			got, err := files[0].apply(tt.src)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParsePatchErrors(t *testing.T) {
	for _, patch := range []string{
		"",
		"only a description\n",
		"--- a/f.go\n+++ b/f.go\n", // no hunks
		"--- a/f.go\n+++ f.go\n@@ -1 +1 @@\n-a\n+b\n",       // no b/
		"--- a/f.go\n+++ b/f.go\n@@ -1,2 +1,2 @@\n-a\n+b\n", // ends inside the hunk
		"--- a/f.go\n+++ b/f.go\n@@ -1 +1 @@\n-a\n+b\n+c\n", // longer than its header
		"--- a/f.go\n+++ b/f.go\n@@ -1 +1 @@\n-a\n+b\ngarbage\n",
		"--- a/f.go\n+++ b/f.go\n@@ -1 +1 @@\n-a\n+b", // no final newline
	} {
		if _, err := parsePatch(patch); err == nil {
			t.Errorf("parsePatch(%q) = nil error", patch)
		}
	}
}

// TestPatchesApply applies every patch to its module at go.mod's version, and checks that
// each patch file is listed and each listed one exists.
func TestPatchesApply(t *testing.T) {
	var listed []string
	for _, m := range modules {
		dir, version, err := moduleDir(m.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range m.patches {
			listed = append(listed, name)
			text, err := patchFiles.ReadFile(path.Join("patches", name))
			if err != nil {
				t.Fatal(err)
			}
			if description, _, _ := strings.Cut(string(text), "\n--- "); !strings.Contains(description, m.path) {
				t.Errorf("%s: its description does not name %s", name, m.path)
			}
			files, err := parsePatch(string(text))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, f := range files {
				var src []byte
				if !f.isNew {
					if src, err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.path))); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
				}
				if _, err := f.apply(string(src)); err != nil {
					t.Errorf("%s@%s: %s: %v", m.path, version, name, err)
				}
			}
		}
	}
	entries, err := patchFiles.ReadDir("patches")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	slices.Sort(listed)
	if !slices.Equal(files, listed) {
		t.Errorf("patches/ holds %v, modules lists %v", files, listed)
	}
}

// TestDropsMatch checks that each file pattern a module drops matches files of the module at
// go.mod's version (a pattern that matches none stops modpatch), and that dropFiles removes
// them and nothing else.
func TestDropsMatch(t *testing.T) {
	for _, m := range modules {
		if len(m.drop) == 0 {
			continue
		}
		dir, _, err := moduleDir(m.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, pattern := range m.drop {
			matches, err := matchFiles(dir, pattern)
			if err != nil {
				t.Fatal(err)
			}
			if len(matches) == 0 {
				t.Errorf("%s: drop %s matches no file", m.path, pattern)
			}
		}
	}
	dir := t.TempDir()
	for _, f := range []string{"a/v1/generated.pb.go", "a/v1/types.go", "b/generated.pb.go"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := dropFiles(dir, []string{"*/*/generated.pb.go"}); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{"a/v1/generated.pb.go": false, "a/v1/types.go": true, "b/generated.pb.go": true} {
		if _, err := os.Stat(filepath.Join(dir, f)); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", f, err == nil, want)
		}
	}
	if err := dropFiles(dir, []string{"*/*/generated.pb.go"}); err == nil {
		t.Error("a pattern matching nothing: no error")
	}
}

// TestAPIGroupsPatched checks that every k8s.io/api package the browser's app links has its
// scheme registration patched (api-add-to-scheme.patch): an unpatched group keeps all its
// types in the wasm.
func TestAPIGroupsPatched(t *testing.T) {
	text, err := patchFiles.ReadFile("patches/api-add-to-scheme.patch")
	if err != nil {
		t.Fatal(err)
	}
	files, err := parsePatch(string(text))
	if err != nil {
		t.Fatal(err)
	}
	patched := map[string]bool{}
	for _, f := range files {
		patched["k8s.io/api/"+path.Dir(f.path)] = true
	}
	cmd := exec.Command("go", "list", "-deps", "../../app")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "k8s.io/api/") && !patched[p] {
			t.Errorf("the app links %s: add its register.go to patches/api-add-to-scheme.patch", p)
		}
	}
}

// TestPatchedBuild makes the patched module set and compiles the browser's app and
// everything it imports with it (go list -export compiles without linking).
func TestPatchedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the app for js/wasm")
	}
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-modfile="+filepath.Join(dir, "go.mod"), "-trimpath", "-export", "-deps", "-f", "{{.ImportPath}}{{with .Error}} {{.}}{{end}}", "../../app")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// What the patches leave out of the import graph, not only the link.
	for _, p := range strings.Fields(string(out)) {
		if p == "github.com/json-iterator/go" || p == "github.com/modern-go/reflect2" {
			t.Errorf("the patched app still imports %s", p)
		}
	}
	// A second run replaces the directory it made.
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
}
