package api

import (
	_ "embed"
	"encoding/json"
	"reflect"
	"sync"
)

// docs.json holds the descriptions `kubectl explain` prints: the generated SwaggerDoc maps of
// every struct type the served resources reach, by "import/path.Name". They are kept as data
// and read at the first explain. Called through the SwaggerDoc methods, they cost the wasm
// 0.85 MB of code (83 KB brotli) and its start every map of every k8s.io/api package it links,
// filled at init. TestDocs checks the file against the methods; `go test ./engine/api -run
// TestDocs -update` rewrites it (after a k8s.io/api upgrade).
//
//go:embed docs.json
var docsJSON []byte

var docs = sync.OnceValue(func() map[string]map[string]string {
	var m map[string]map[string]string
	if err := json.Unmarshal(docsJSON, &m); err != nil {
		panic("engine/api: docs.json: " + err.Error())
	}
	return m
})

func docKey(t reflect.Type) string { return t.PkgPath() + "." + t.Name() }

// swaggerDoc returns a struct type's descriptions: "" for the type, a field's JSON name for
// the field.
func swaggerDoc(t reflect.Type) map[string]string {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return docs()[docKey(t)]
}
