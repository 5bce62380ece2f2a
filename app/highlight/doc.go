// Package highlight holds the YAML editor's pure parts: a manifest's lines as coloured
// tokens (YAML: block style and KYAML's flow style, a line's tokens concatenating to the
// line exactly), and its decode and validation errors placed on those lines (Problems: the
// decoder's line and column, a field path walked through the keys, else the document's
// first line). They take text and return plain values, so tests run natively and the
// editor component only turns the values into elements.
//
// It reads manifests through engine/api (decoding, defaulting, validation) and must not
// import go-app, the session or anything else of app/.
package highlight
