package smp

import (
	"encoding/json"
	"reflect"
	"strings"
)

// schema describes the Go type behind one JSON value. A nil t means "no schema": a map,
// interface or custom-JSON type (metav1.Time, resource.Quantity, intstr.IntOrString,
// runtime.RawExtension) below which objects merge as plain JSON and lists are replaced.
type schema struct {
	t     reflect.Type
	cache *fieldCache
}

// fieldCache holds the JSON field tables of the struct types one call has met.
type fieldCache map[reflect.Type]map[string]structField

// structField is what strategic merge needs of one JSON field of a struct.
type structField struct {
	name string
	typ  reflect.Type
	// strategy is "merge", "replace" or "" (the field's patchStrategy without retainKeys).
	strategy   string
	retainKeys bool
	mergeKey   string
	depth      int
	tagged     bool
}

// fieldMeta is the patch metadata of the field a key names.
type fieldMeta struct {
	strategy   string
	retainKeys bool
	mergeKey   string
}

var (
	jsonMarshaler   = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
)

func newSchema(dataStruct any) (schema, error) {
	if dataStruct == nil {
		return schema{}, errorf("dataStruct must be a struct or a pointer to one, got nil")
	}
	t := reflect.TypeOf(dataStruct)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return schema{}, errorf("dataStruct must be a struct or a pointer to one, got %s", t)
	}
	c := fieldCache{}
	return schema{t: t, cache: &c}, nil
}

// structType is the struct type whose fields name this value's keys, or nil.
func (s schema) structType() reflect.Type {
	t := s.t
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || hasCustomJSON(t) {
		return nil
	}
	return t
}

// hasCustomJSON reports whether t encodes itself (its JSON shape is not its fields).
func hasCustomJSON(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonMarshaler) || p.Implements(jsonMarshaler) || p.Implements(jsonUnmarshaler)
}

// field looks up the value under key: its schema and the field's patch metadata.
func (s schema) field(key string) (schema, fieldMeta) {
	if st := s.structType(); st != nil {
		f, ok := s.fields(st)[key]
		if !ok {
			// encoding/json matches names case-insensitively when nothing matches exactly.
			for name, g := range s.fields(st) {
				if strings.EqualFold(name, key) && (!ok || name < f.name) {
					f, ok = g, true
				}
			}
		}
		if !ok {
			return schema{cache: s.cache}, fieldMeta{}
		}
		return schema{t: f.typ, cache: s.cache}, fieldMeta{strategy: f.strategy, retainKeys: f.retainKeys, mergeKey: f.mergeKey}
	}
	t := s.t
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && t.Kind() == reflect.Map && !hasCustomJSON(t) {
		return schema{t: t.Elem(), cache: s.cache}, fieldMeta{}
	}
	return schema{cache: s.cache}, fieldMeta{}
}

// elem is the schema of a list's elements, given the schema of the list.
func (s schema) elem() schema {
	t := s.t
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || hasCustomJSON(t) || (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) {
		return schema{cache: s.cache}
	}
	return schema{t: t.Elem(), cache: s.cache}
}

// fields is the JSON field table of struct type t, with encoding/json's rules for embedded
// structs: a shallower field hides a deeper one of the same name, and at equal depth a
// tagged field wins over an untagged one (two of a kind hide each other).
func (s schema) fields(t reflect.Type) map[string]structField {
	if m, ok := (*s.cache)[t]; ok {
		return m
	}
	all := map[string][]structField{}
	collectFields(t, 0, map[reflect.Type]bool{}, all)
	m := make(map[string]structField, len(all))
	for name, fs := range all {
		best, n := fs[0], 0
		for _, f := range fs {
			switch {
			case f.depth < best.depth || (f.depth == best.depth && f.tagged && !best.tagged):
				best, n = f, 1
			case f.depth == best.depth && f.tagged == best.tagged:
				n++
			}
		}
		if n <= 1 {
			m[name] = best
		}
	}
	(*s.cache)[t] = m
	return m
}

func collectFields(t reflect.Type, depth int, seen map[reflect.Type]bool, out map[string][]structField) {
	if seen[t] {
		return
	}
	seen[t] = true
	defer delete(seen, t)
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				collectFields(et, depth+1, seen, out)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		f := structField{typ: ft, depth: depth, tagged: name != "", mergeKey: sf.Tag.Get("patchMergeKey")}
		if name == "" {
			name = sf.Name
		}
		f.name = name
		for _, st := range strings.Split(sf.Tag.Get("patchStrategy"), ",") {
			switch st {
			case "retainKeys":
				f.retainKeys = true
			case "":
			default:
				f.strategy = st
			}
		}
		out[name] = append(out[name], f)
	}
}
