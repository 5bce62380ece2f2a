package smp

import (
	"encoding/json"
	"reflect"
	"strings"
)

// StrategicMergePatch applies a strategic merge patch to a JSON object as the API server
// does: dataStruct (a struct or a pointer to one, e.g. &corev1.Pod{}) gives the patch
// strategy of each field through its struct tags.
func StrategicMergePatch(original, patch []byte, dataStruct any) ([]byte, error) {
	s, err := newSchema(dataStruct)
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(original)
	if err != nil {
		return nil, err
	}
	p, err := decodeObject(patch)
	if err != nil {
		return nil, err
	}
	merged, err := mergeMap(o, p, s, true)
	if err != nil {
		return nil, err
	}
	return json.Marshal(merged)
}

// mergeMap merges patch into original (both are changed; the result may be either).
//
// server is true when applying a patch to an object: parallel lists
// ($deleteFromPrimitiveList, $retainKeys) take effect and a null removes its key. It is
// false when kubectl combines its two partial patches into one, where directives and nulls
// are carried into the result.
func mergeMap(original, patch map[string]any, s schema, server bool) (map[string]any, error) {
	if d, ok := patch[directiveMarker]; ok {
		switch d {
		case replaceDirective:
			delete(patch, directiveMarker)
			return patch, nil
		case deleteDirective:
			return map[string]any{}, nil
		case mergeDirective:
			// kubetab accepts the default spelled out; upstream rejects it.
			delete(patch, directiveMarker)
		default:
			return nil, errorf("unknown patch type: %v in map: %v", d, patch)
		}
	}
	if original == nil {
		original = map[string]any{}
	}
	if err := mergeRetainKeys(original, patch, server); err != nil {
		return nil, err
	}
	if err := mergeElementOrder(original, patch, s, server); err != nil {
		return nil, err
	}
	for _, k := range sortedKeys(patch) {
		pv := patch[k]
		isDeleteList := false
		if strings.HasPrefix(k, deleteFromPrimitiveDir) {
			if !server {
				original[k] = pv
				continue
			}
			name, ok := parallelListName(k, deleteFromPrimitiveDir)
			if !ok {
				return nil, ErrBadPatchFormatForPrimitive
			}
			k, isDeleteList = name, true
		}
		if pv == nil {
			delete(original, k)
			if server {
				continue
			}
		}
		ov, found := original[k]
		if !found || kindOf(ov) != kindOf(pv) {
			if isDeleteList {
				continue
			}
			if v, keep := newValue(pv, server); keep {
				original[k] = v
			} else {
				delete(original, k)
			}
			continue
		}
		sub, meta := s.field(k)
		switch ov := ov.(type) {
		case map[string]any:
			if meta.strategy == replaceDirective {
				original[k] = pv
				continue
			}
			merged, err := mergeMap(ov, pv.(map[string]any), sub, server)
			if err != nil {
				return nil, err
			}
			original[k] = merged
		case []any:
			merged, err := mergeListField(ov, pv.([]any), sub, meta, isDeleteList, server)
			if err != nil {
				return nil, err
			}
			original[k] = merged
		default:
			original[k] = pv
		}
	}
	return original, nil
}

// newValue is a patch value for a field the object lacks: the value without directives
// (an object that is a `$patch: delete` directive is dropped) and, on the server, without
// nulls.
func newValue(v any, server bool) (any, bool) {
	switch v := v.(type) {
	case map[string]any:
		if d, ok := v[directiveMarker]; ok {
			// Upstream drops any object carrying a directive; the server here keeps the
			// object a `replace` or `merge` directive names.
			if !server || d == deleteDirective {
				return nil, false
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			if server && (e == nil || strings.HasPrefix(k, "$")) {
				continue
			}
			if e2, keep := newValue(e, server); keep {
				out[k] = e2
			}
		}
		return out, true
	case []any:
		out := make([]any, 0, len(v))
		for _, e := range v {
			if e2, keep := newValue(e, server); keep {
				out = append(out, e2)
			}
		}
		return out, true
	}
	return v, true
}

// mergeListField merges a patch list into the list of a field with the given metadata.
func mergeListField(original, patch []any, s schema, meta fieldMeta, isDeleteList, server bool) ([]any, error) {
	if meta.strategy != mergeDirective && !isDeleteList {
		return patch, nil
	}
	return mergeList(original, patch, s.elem(), meta.mergeKey, isDeleteList, server)
}

// mergeList merges a list with patch strategy "merge": scalars as a set (or, for a
// $deleteFromPrimitiveList, by removing the patch's values), objects by merge key.
func mergeList(original, patch []any, elem schema, mergeKey string, isDeleteList, server bool) ([]any, error) {
	if len(original) == 0 && len(patch) == 0 {
		return original, nil
	}
	kind, err := elementKind(original, patch)
	if err != nil {
		return nil, err
	}
	if kind != "map" {
		if server && isDeleteList {
			var out []any
			for _, v := range original {
				if position(patch, v, identity) < 0 {
					out = append(out, v)
				}
			}
			if out == nil {
				out = []any{}
			}
			return out, nil
		}
		merged := dedupe(append(append([]any(nil), original...), patch...))
		in, out, err := partition(merged, patch, "")
		if err != nil {
			return nil, err
		}
		return interleave(in, out, patch, original, "", false)
	}
	if mergeKey == "" {
		return nil, errorf("cannot merge lists without merge key for %s", elem.name())
	}
	// original is edited in place (deletions shift it, new elements are appended into its
	// spare capacity) as upstream does: a $setElementOrder directive then orders the result
	// against what the caller's list has become, not against the live list, and that
	// decides where a renamed container lands. kubetab reproduces the API server here.
	var plain []any
	replace := false
	for _, v := range patch {
		m := v.(map[string]any)
		d, ok := m[directiveMarker]
		if !ok {
			plain = append(plain, v)
			continue
		}
		switch d {
		case deleteDirective:
			kv, ok := m[mergeKey]
			if !ok {
				return nil, errNoMergeKey(m, mergeKey)
			}
			for {
				i, err := indexByMergeKey(original, mergeKey, kv)
				if err != nil {
					return nil, err
				}
				if i < 0 {
					break
				}
				original = append(original[:i], original[i+1:]...)
			}
		case replaceDirective:
			replace = true
		case mergeDirective:
			// kubetab accepts the default spelled out; upstream rejects it.
			if _, ok := m[mergeKey]; ok {
				c := make(map[string]any, len(m))
				for k, e := range m {
					if k != directiveMarker {
						c[k] = e
					}
				}
				plain = append(plain, c)
			}
		default:
			return nil, errorf("unknown patch type: %v in map: %v", d, m)
		}
	}
	if replace {
		original, plain = plain, nil
	}
	merged := original
	for _, v := range plain {
		m := v.(map[string]any)
		kv, ok := m[mergeKey]
		if !ok {
			return nil, errNoMergeKey(m, mergeKey)
		}
		i, err := indexByMergeKey(merged, mergeKey, kv)
		if err != nil {
			return nil, err
		}
		if i < 0 {
			merged = append(merged, v)
			continue
		}
		r, err := mergeMap(merged[i].(map[string]any), m, elem, server)
		if err != nil {
			return nil, err
		}
		merged[i] = r
	}
	in, out, err := partition(merged, plain, mergeKey)
	if err != nil {
		return nil, err
	}
	return interleave(in, out, plain, original, mergeKey, true)
}

// indexByMergeKey is the index of the first element of list whose merge key is kv, or -1.
func indexByMergeKey(list []any, mergeKey string, kv any) (int, error) {
	for i, o := range list {
		om, ok := o.(map[string]any)
		if !ok {
			return -1, errorf("value for key %v is not a map", i)
		}
		if ov, ok := om[mergeKey]; ok && same(ov, kv) {
			return i, nil
		}
	}
	return -1, nil
}

// mergeRetainKeys applies a $retainKeys directive: on the server, the object keeps only the
// keys it lists (and the patch may set no other key); when combining patches, it is carried.
func mergeRetainKeys(original, patch map[string]any, server bool) error {
	rk, ok := patch[retainKeysDirective]
	if !ok {
		return nil
	}
	delete(patch, retainKeysDirective)
	if !server {
		if have, ok := original[retainKeysDirective]; ok {
			if !reflect.DeepEqual(have, rk) {
				return errorf("%v and %v are not deep equal: this may happen when calculating the 3-way diff patch", have, rk)
			}
		} else {
			original[retainKeysDirective] = rk
		}
		return nil
	}
	list, ok := rk.([]any)
	if !ok {
		return ErrBadPatchFormatForRetainKey
	}
	keep := map[string]bool{}
	for _, v := range list {
		if s, ok := v.(string); ok {
			keep[s] = true
		}
	}
	for k, v := range patch {
		if v == nil || strings.HasPrefix(k, deleteFromPrimitiveDir) || strings.HasPrefix(k, setElementOrderDir) {
			continue
		}
		if !keep[k] {
			return ErrBadPatchFormatForRetainKey
		}
	}
	for k := range original {
		if !keep[k] {
			delete(original, k)
		}
	}
	return nil
}

// mergeElementOrder merges the lists that have a $setElementOrder directive and orders them
// by it; it removes the directives and those lists from patch.
func mergeElementOrder(original, patch map[string]any, s schema, server bool) error {
	for _, k := range sortedKeys(patch) {
		if !strings.HasPrefix(k, setElementOrderDir) {
			continue
		}
		pv := patch[k]
		if !server {
			if have, ok := original[k]; ok {
				if !reflect.DeepEqual(have, pv) {
					return ErrBadPatchFormatForSetOrder
				}
			} else {
				original[k] = pv
			}
		}
		delete(patch, k)
		order, ok := pv.([]any)
		if !ok {
			return errBadArgType("list", pv)
		}
		name, ok := parallelListName(k, setElementOrderDir)
		if !ok {
			return ErrBadPatchFormatForSetOrder
		}
		ov, inOriginal := original[name]
		origList, ok := ov.([]any)
		if inOriginal && !ok {
			return errBadArgType("list", ov)
		}
		pl, inPatch := patch[name]
		patchList, ok := pl.([]any)
		if inPatch && !ok {
			return errBadArgType("list", pl)
		}
		sub, meta := s.field(name)
		if err := checkElementOrder(patchList, order, meta.mergeKey); err != nil {
			return err
		}
		var merged []any
		switch {
		case inOriginal && !inPatch:
			merged = origList
		case !inOriginal && inPatch:
			v, _ := newValue(patchList, server)
			merged = v.([]any)
		case inOriginal && inPatch:
			var err error
			merged, err = mergeListField(origList, patchList, sub, meta, false, server)
			if err != nil {
				return err
			}
		default:
			continue
		}
		kind, err := elementKind(origList, patchList)
		if err != nil {
			return err
		}
		if kind == "" || len(merged) == 0 {
			original[name] = merged
			delete(patch, name)
			continue
		}
		isMap := kind == "map"
		mergeKey := meta.mergeKey
		if !isMap {
			mergeKey = ""
		}
		in, out, err := partition(merged, order, mergeKey)
		if err != nil {
			return err
		}
		ordered, err := interleave(in, out, order, origList, mergeKey, isMap)
		if err != nil {
			return err
		}
		original[name] = ordered
		delete(patch, name)
	}
	return nil
}

// checkElementOrder checks that the patch list names its elements in the order the
// $setElementOrder list does.
func checkElementOrder(patchList, order []any, mergeKey string) error {
	if len(order) == 0 || len(patchList) == 0 {
		return nil
	}
	var items []any
	for _, v := range patchList {
		if mergeKey != "" {
			m, ok := v.(map[string]any)
			if !ok {
				return errBadArgType("map", v)
			}
			if m[directiveMarker] == deleteDirective {
				continue
			}
		}
		items = append(items, v)
	}
	i, j := 0, 0
	for i < len(items) && j < len(order) {
		if m, ok := items[i].(map[string]any); ok {
			if _, ok := m[directiveMarker]; ok {
				i++
				continue
			}
		}
		if mergeKey == "" {
			if kindOf(items[i]) == "map" || kindOf(order[j]) == "map" {
				return errorf("cannot order a list of objects without a merge key")
			}
			if same(items[i], order[j]) {
				i++
			}
		} else {
			a, err := mergeKeyOf(items[i], mergeKey)
			if err != nil {
				return err
			}
			b, err := mergeKeyOf(order[j], mergeKey)
			if err != nil {
				return err
			}
			if same(a, b) {
				i++
			}
		}
		j++
	}
	if i < len(items) && j >= len(order) {
		return errorf("The order in patch list:\n%v\n doesn't match %s list:\n%v\n", patchList, setElementOrderDir, order)
	}
	return nil
}

// name is the kind of Go value the schema describes, for error messages.
func (s schema) name() string {
	if s.t == nil {
		return "interface"
	}
	return s.t.Kind().String()
}
