package smp

import "sort"

// Ordering a merged list. The elements the patch names keep the patch's order; the
// elements only the live object has keep theirs; the two runs are interleaved so that an
// element the live object already had stays behind the live elements that preceded it, and
// an element new to the list comes as early as the patch's order allows. kubectl relies on
// this to make `apply` reproduce the manifest's order (through $setElementOrder) without
// shuffling fields others added.

// keyFunc returns what identifies a list element: its merge key value, or the element
// itself in a list of scalars.
func keyFunc(mergeKey string) func(any) any {
	if mergeKey == "" {
		return identity
	}
	return func(v any) any {
		if m, ok := v.(map[string]any); ok {
			return m[mergeKey]
		}
		return nil
	}
}

// position is the index of the first element of list with the same identity as v, or -1.
func position(list []any, v any, key func(any) any) int {
	kv := key(v)
	for i, w := range list {
		if same(kv, key(w)) {
			return i
		}
	}
	return -1
}

// partition splits list into the elements whose identity is in by and the others.
func partition(list, by []any, mergeKey string) (in, out []any, err error) {
	key := keyFunc(mergeKey)
	for _, v := range list {
		if mergeKey != "" {
			if _, err := mergeKeyOf(v, mergeKey); err != nil {
				return nil, nil, err
			}
		} else if kindOf(v) == "map" || kindOf(v) == "list" {
			return nil, nil, errorf("cannot order a list of objects without a merge key")
		}
		if position(by, v, key) >= 0 {
			in = append(in, v)
		} else {
			out = append(out, v)
		}
	}
	return in, out, nil
}

// sortLike orders items by their position in order (a stable sort; items order does not
// name keep their place relative to the sort's comparisons, as upstream's does). Elements
// that are `$patch: delete` directives go last.
func sortLike(items, order []any, mergeKey string, isMap bool) ([]any, error) {
	items = append([]any(nil), items...)
	var deletes []any
	if isMap {
		for _, l := range [][]any{items, order} {
			for _, v := range l {
				if _, err := mergeKeyOf(v, mergeKey); err != nil {
					return nil, err
				}
			}
		}
		kept := items[:0]
		for _, v := range items {
			if v.(map[string]any)[directiveMarker] == deleteDirective {
				deletes = append(deletes, v)
			} else {
				kept = append(kept, v)
			}
		}
		items = kept
	}
	key := keyFunc(mergeKey)
	if !isMap {
		key = identity
	}
	pos := make([]int, len(items))
	for i, v := range items {
		pos[i] = position(order, v, key)
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		pi, pj := pos[idx[i]], pos[idx[j]]
		if pi >= 0 && pj >= 0 {
			return pi < pj
		}
		return true
	})
	out := make([]any, 0, len(items)+len(deletes))
	for _, i := range idx {
		out = append(out, items[i])
	}
	return append(out, deletes...), nil
}

// interleave orders the patch's elements (in patch order) with the live-only elements (in
// live order), as described at the top of this file.
func interleave(patchItems, liveOnly, patchOrder, liveOrder []any, mergeKey string, isMap bool) ([]any, error) {
	patchItems, err := sortLike(patchItems, patchOrder, mergeKey, isMap)
	if err != nil {
		return nil, err
	}
	liveOnly, err = sortLike(liveOnly, liveOrder, mergeKey, isMap)
	if err != nil {
		return nil, err
	}
	key := keyFunc(mergeKey)
	if !isMap {
		key = identity
	}
	out := make([]any, 0, len(patchItems)+len(liveOnly))
	i, j := 0, 0
	for i < len(liveOnly) || j < len(patchItems) {
		switch {
		case j >= len(patchItems):
			out = append(out, liveOnly[i])
			i++
		case i >= len(liveOnly):
			out = append(out, patchItems[j])
			j++
		default:
			li, pj := position(liveOrder, liveOnly[i], key), position(liveOrder, patchItems[j], key)
			if li >= 0 && pj >= 0 && li < pj {
				out = append(out, liveOnly[i])
				i++
			} else {
				out = append(out, patchItems[j])
				j++
			}
		}
	}
	return out, nil
}
