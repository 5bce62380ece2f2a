package main

import (
	"embed"
	"io/fs"
	"path"
	"sort"
)

// sampleFS holds the manifests the editor's samples menu offers, built into the binary so the
// menu works offline and in the static site without a fetch:
//
//	samples/book/  Kubernetes in Action, chapter 4, byte for byte
//	               (shared/reference/kubernetes-in-action/Chapter04)
//	samples/docs/  the kubernetes.io examples the docs' controller and probe pages use
//	               (shared/reference/k8s-docs-examples, main files, not the _variants)
//
// They live under app/ rather than public/ because go:embed cannot reach outside the
// package directory; public/ only holds what the browser fetches by URL.
//
//go:embed samples/book/*.yaml samples/docs/*.yaml
var sampleFS embed.FS

// sample is one entry of the samples menu.
type sample struct {
	Group string // "Kubernetes in Action, ch. 4" or "Kubernetes docs"
	Name  string // the file name, used as the workspace file name when loaded
	Path  string // the path inside sampleFS
}

var sampleGroups = []struct{ dir, title string }{
	{"samples/book", "Kubernetes in Action, ch. 4"},
	{"samples/docs", "Kubernetes docs"},
}

// samples lists the menu in a stable order: the book first, then the docs, by file name.
func samples() []sample {
	var out []sample
	for _, g := range sampleGroups {
		entries, err := fs.ReadDir(sampleFS, g.dir)
		if err != nil {
			continue
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, sample{Group: g.title, Name: n, Path: path.Join(g.dir, n)})
		}
	}
	return out
}

// readSample returns a sample's text; an unknown path gives "".
func readSample(p string) string {
	b, err := sampleFS.ReadFile(p)
	if err != nil {
		return ""
	}
	return string(b)
}
