package smp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// The directive keys of a strategic merge patch.
const (
	directiveMarker        = "$patch"
	retainKeysDirective    = "$retainKeys"
	deleteFromPrimitiveDir = "$deleteFromPrimitiveList"
	setElementOrderDir     = "$setElementOrder"

	deleteDirective  = "delete"
	replaceDirective = "replace"
	mergeDirective   = "merge"
)

// The errors a patch can fail with, in apimachinery's words (kubectl prints them as is).
var (
	ErrBadJSONDoc                 = errors.New("invalid JSON document")
	ErrNoListOfLists              = errors.New("lists of lists are not supported")
	ErrBadPatchFormatForPrimitive = errors.New("invalid patch format of primitive list")
	ErrBadPatchFormatForRetainKey = errors.New("invalid patch format of retainKeys")
	ErrBadPatchFormatForSetOrder  = errors.New("invalid patch format of setElementOrder list")
)

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func errNoMergeKey(m map[string]any, key string) error {
	return fmt.Errorf("map: %v does not contain declared merge key: %s", m, key)
}

func errBadArgType(want string, got any) error {
	return fmt.Errorf("expected a %s, but received a %s", want, kindOf(got))
}

// decodeObject parses a JSON object, numbers kept as written. Empty input is an empty object.
func decodeObject(data []byte) (map[string]any, error) {
	m := map[string]any{}
	if len(data) == 0 {
		return m, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, ErrBadJSONDoc
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, ErrBadJSONDoc
	}
	switch v := v.(type) {
	case map[string]any:
		return v, nil
	case nil:
		return m, nil
	}
	return nil, ErrBadJSONDoc
}

// kindOf names the JSON kind of a decoded value; values of different kinds never merge.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "map"
	case []any:
		return "list"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	case float64:
		return "number"
	}
	return reflect.TypeOf(v).String()
}

// elementKind is the kind shared by the elements of the lists: "map" or a scalar kind. Mixed
// kinds and lists of lists are errors; "" means the lists are empty.
func elementKind(lists ...[]any) (string, error) {
	kind := ""
	for _, l := range lists {
		for _, v := range l {
			k := kindOf(v)
			if k == "list" {
				return "", ErrNoListOfLists
			}
			if kind == "" {
				kind = k
			} else if kind != k {
				return "", errorf("list element types are not identical: %v", lists)
			}
		}
	}
	return kind, nil
}

// same reports whether two decoded values are equal (merge key values, set members).
func same(a, b any) bool {
	switch a.(type) {
	case map[string]any, []any:
		return reflect.DeepEqual(a, b)
	}
	switch b.(type) {
	case map[string]any, []any:
		return false
	}
	return a == b
}

// text is a value as upstream orders scalars and merge keys: by its fmt %v text.
func text(v any) string { return fmt.Sprintf("%v", v) }

// mergeKeyOf is the value of an element's merge key.
func mergeKeyOf(v any, mergeKey string) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errBadArgType("map", v)
	}
	k, ok := m[mergeKey]
	if !ok {
		return nil, errNoMergeKey(m, mergeKey)
	}
	return k, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parallelListName is the list a `$setElementOrder/<name>` or `$deleteFromPrimitiveList/<name>`
// key refers to.
func parallelListName(key, prefix string) (string, bool) {
	p, name, ok := strings.Cut(key, "/")
	return name, ok && p == prefix
}

// byText sorts values by their %v text the way upstream's sort.Sort does, with a "less or
// equal" comparison: equal texts may swap, and matching that keeps duplicate merge keys
// paired as kubectl pairs them.
type byText struct {
	v    []any
	text []string
}

func (s byText) Len() int           { return len(s.v) }
func (s byText) Less(i, j int) bool { return s.text[i] <= s.text[j] }
func (s byText) Swap(i, j int) {
	s.v[i], s.v[j] = s.v[j], s.v[i]
	s.text[i], s.text[j] = s.text[j], s.text[i]
}

// sortByText returns a copy of list sorted by the text of key(element).
func sortByText(list []any, key func(any) any) []any {
	s := byText{v: append([]any(nil), list...), text: make([]string, len(list))}
	for i, v := range s.v {
		s.text[i] = text(key(v))
	}
	sort.Sort(s)
	return s.v
}

func identity(v any) any { return v }

// dedupe drops repeated scalars, keeping the first of each.
func dedupe(list []any) []any {
	out := make([]any, 0, len(list))
	for _, v := range list {
		dup := false
		for _, w := range out {
			if same(v, w) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}
