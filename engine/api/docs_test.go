package api

import (
	"encoding/json"
	"flag"
	"maps"
	"os"
	"reflect"
	"testing"
)

var updateDocs = flag.Bool("update", false, "rewrite docs.json from the types' SwaggerDoc methods")

// methodDoc calls the generated SwaggerDoc method of a struct type, if it has one: where
// docs.json comes from.
func methodDoc(t reflect.Type) map[string]string {
	m := reflect.New(t).Elem().MethodByName("SwaggerDoc")
	if !m.IsValid() {
		m = reflect.New(t).MethodByName("SwaggerDoc")
	}
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil
	}
	doc, _ := m.Call(nil)[0].Interface().(map[string]string)
	return doc
}

// reachableDocs is what docs.json must hold: the SwaggerDoc of every struct type Explain can
// reach from the served resources, through fields (and the structs that declare them when
// inlined) and the elements of pointers, slices, arrays and maps.
func reachableDocs() map[string]map[string]string {
	out := map[string]map[string]string{}
	seen := map[reflect.Type]bool{}
	record := func(t reflect.Type) {
		if doc := methodDoc(t); doc != nil {
			out[docKey(t)] = doc
		}
	}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		record(t)
		if isLeaf(t) {
			return
		}
		for _, f := range jsonFields(t) {
			record(f.owner)
			visit(f.typ)
		}
	}
	for _, r := range Resources() {
		visit(reflect.TypeOf(r.New()))
	}
	return out
}

func TestDocs(t *testing.T) {
	want := reachableDocs()
	if *updateDocs {
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("docs.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got := docs()
	if !maps.EqualFunc(got, want, maps.Equal) {
		for k := range want {
			if !maps.Equal(got[k], want[k]) {
				t.Errorf("docs.json differs from %s's SwaggerDoc", k)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("docs.json holds %s, which no served resource reaches", k)
			}
		}
		t.Fatal("docs.json is out of date: go test ./engine/api -run TestDocs -update")
	}
}
