// Package gotemplate evaluates the part of Go's text/template language that kubectl's
// `-o go-template` and `--template` are used with, over decoded JSON (map[string]any,
// []any, float64, string, bool, nil), as kubectl hands it to text/template:
//
//   - text and actions, `{{- ` and ` -}}` trimming, comments;
//   - pipelines: `.`, field chains (`.metadata.name`, `$x.spec`, `(index .items 0).kind`),
//     variables (`$`, `$x := ...`, `$x = ...`, `range $i, $e := ...`), string, raw string,
//     character, number, bool and nil constants, `|` passing the value on as the last
//     argument, parentheses;
//   - if / else if / else, range (slices, maps in key order, integers) with else, break and
//     continue, with / else, end;
//   - the functions and, or, not, len, index, printf, print, println, eq, ne, lt, le, gt,
//     ge, and kubectl's base64decode and exists.
//
// It does what text/template does with such data, down to "<no value>" for a missing key,
// "incompatible types for comparison" between a JSON number and an integer constant, and
// fmt's formatting of what an action prints; a differential test holds it to
// text/template. kubetab does not use text/template itself: linking it makes the Go linker
// keep every exported method of every type reachable through interfaces (templates can
// call methods by name), which with k8s.io/api costs more of the wasm budget than this
// package (docs/decisions.md).
//
// The package imports only the standard library.
package gotemplate
