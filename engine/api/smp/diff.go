package smp

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// CreateThreeWayMergePatch computes the patch `kubectl apply` sends: original is the
// last-applied configuration (may be empty), modified the new manifest, current the live
// object, all JSON. The patch deletes what original has and modified does not (fields, and
// list elements by merge key), and sets what modified has and current lacks or has
// differently. With overwrite false, a patch that would change a field someone else
// changed since original (original → current) is a conflict error; kubectl apply passes true.
func CreateThreeWayMergePatch(original, modified, current []byte, dataStruct any, overwrite bool) ([]byte, error) {
	s, err := newSchema(dataStruct)
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(original)
	if err != nil {
		return nil, err
	}
	m, err := decodeObject(modified)
	if err != nil {
		return nil, err
	}
	c, err := decodeObject(current)
	if err != nil {
		return nil, err
	}
	delta, err := diffMaps(c, m, s, diffOptions{setElementOrder: true, ignoreDeletions: true})
	if err != nil {
		return nil, err
	}
	deletions, err := diffMaps(o, m, s, diffOptions{setElementOrder: true, ignoreChanges: true})
	if err != nil {
		return nil, err
	}
	patch, err := mergeMap(deletions, delta, s, false)
	if err != nil {
		return nil, err
	}
	if !overwrite {
		changed, err := diffMaps(o, c, s, diffOptions{})
		if err != nil {
			return nil, err
		}
		if conflict(patch, changed, s, fieldMeta{}) {
			p, _ := json.Marshal(patch)
			ch, _ := json.Marshal(changed)
			return nil, &ConflictError{Patch: string(p), Changed: string(ch)}
		}
	}
	return json.Marshal(patch)
}

// CreateTwoWayMergePatch computes a patch that turns original into modified.
func CreateTwoWayMergePatch(original, modified []byte, dataStruct any) ([]byte, error) {
	s, err := newSchema(dataStruct)
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(original)
	if err != nil {
		return nil, err
	}
	m, err := decodeObject(modified)
	if err != nil {
		return nil, err
	}
	patch, err := diffMaps(o, m, s, diffOptions{setElementOrder: true})
	if err != nil {
		return nil, err
	}
	return json.Marshal(patch)
}

// ConflictError is a three-way patch that would undo a change made to the live object.
type ConflictError struct {
	Patch, Changed string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("patch:\n%s\nconflicts with changes made from original to current:\n%s\n", e.Patch, e.Changed)
}

type diffOptions struct {
	// setElementOrder adds $setElementOrder directives for merged lists that change.
	setElementOrder bool
	// ignoreChanges leaves out additions and changes (the patch only deletes).
	ignoreChanges bool
	// ignoreDeletions leaves out deletions (the patch only adds and changes).
	ignoreDeletions bool
	// retainKeys adds a $retainKeys directive (the field's patch strategy says retainKeys).
	retainKeys bool
}

// diffMaps is the patch from original to modified.
func diffMaps(original, modified map[string]any, s schema, o diffOptions) (map[string]any, error) {
	patch := map[string]any{}
	var retain []string
	for _, k := range sortedKeys(modified) {
		mv := modified[k]
		if o.retainKeys && mv != nil {
			retain = append(retain, k)
		}
		ov, found := original[k]
		if !found {
			if !o.ignoreChanges {
				patch[k] = mv
			}
			continue
		}
		if k == directiveMarker {
			os, ok1 := ov.(string)
			ms, ok2 := mv.(string)
			if !ok1 || !ok2 {
				return nil, errorf("invalid value for special key: %s", directiveMarker)
			}
			if os != ms {
				patch[k] = mv
			}
			continue
		}
		if kindOf(ov) != kindOf(mv) {
			if !o.ignoreChanges {
				patch[k] = mv
			}
			continue
		}
		switch ov := ov.(type) {
		case map[string]any:
			sub, meta := s.field(k)
			if meta.strategy == replaceDirective {
				if !o.ignoreChanges {
					patch[k] = mv
				}
				continue
			}
			so := o
			so.retainKeys = meta.retainKeys
			p, err := diffMaps(ov, mv.(map[string]any), sub, so)
			if err != nil {
				return nil, err
			}
			if len(p) > 0 {
				patch[k] = p
			}
		case []any:
			sub, meta := s.field(k)
			if meta.strategy != mergeDirective {
				if !o.ignoreChanges && !reflect.DeepEqual(ov, mv) {
					patch[k] = mv
				}
				continue
			}
			so := o
			so.retainKeys = meta.retainKeys
			add, del, order, err := diffLists(ov, mv.([]any), sub.elem(), meta.mergeKey, so)
			if err != nil {
				return nil, err
			}
			if len(add) > 0 {
				patch[k] = add
			}
			if len(del) > 0 {
				patch[deleteFromPrimitiveDir+"/"+k] = del
			}
			if len(order) > 0 {
				patch[setElementOrderDir+"/"+k] = order
			}
		default:
			if !o.ignoreChanges && !reflect.DeepEqual(ov, mv) {
				patch[k] = mv
			}
		}
	}
	if !o.ignoreDeletions {
		for k := range original {
			if _, found := modified[k]; !found {
				patch[k] = nil
			}
		}
	}
	if len(retain) > 0 && (len(patch) > 0 || lostKey(original, modified)) {
		sort.Strings(retain)
		list := make([]any, len(retain))
		for i, k := range retain {
			list[i] = k
		}
		patch[retainKeysDirective] = list
	}
	return patch, nil
}

// lostKey reports whether original has a non-null field that modified lacks.
func lostKey(original, modified map[string]any) bool {
	for k, v := range original {
		if _, found := modified[k]; v != nil && !found {
			return true
		}
	}
	return false
}

// diffLists diffs a list with patch strategy merge. It returns the patch list (changed and
// added elements, then `$patch: delete` elements), the scalars to delete
// ($deleteFromPrimitiveList) and the $setElementOrder list.
func diffLists(original, modified []any, elem schema, mergeKey string, o diffOptions) (patch, deletions, order []any, err error) {
	if len(original) == 0 {
		if len(modified) == 0 || o.ignoreChanges {
			return nil, nil, nil, nil
		}
		return modified, nil, nil, nil
	}
	kind, err := elementKind(original, modified)
	if err != nil {
		return nil, nil, nil, err
	}
	if kind != "map" {
		add, del := diffScalars(original, modified, o)
		add, err = sortLike(add, modified, mergeKey, false)
		if err != nil {
			return nil, nil, nil, err
		}
		// Upstream compares the sorted original with the modified list, so a set that is
		// merely out of order still gets its order (and kubectl reports "configured").
		sortedOriginal := sortByText(original, identity)
		if o.setElementOrder && ((!o.ignoreDeletions && len(del) > 0) || (!o.ignoreChanges && !reflect.DeepEqual(sortedOriginal, modified))) {
			order = modified
		}
		return add, del, order, nil
	}
	patch, del, err := diffObjectLists(original, modified, elem, mergeKey, o)
	if err != nil {
		return nil, nil, nil, err
	}
	patch, err = sortLike(patch, modified, mergeKey, true)
	if err != nil {
		return nil, nil, nil, err
	}
	sameOrder := len(original) == len(modified)
	for i := 0; sameOrder && i < len(modified); i++ {
		a, err := mergeKeyOf(original[i], mergeKey)
		if err != nil {
			return nil, nil, nil, err
		}
		b, err := mergeKeyOf(modified[i], mergeKey)
		if err != nil {
			return nil, nil, nil, err
		}
		sameOrder = same(a, b)
	}
	patch = append(patch, del...)
	if o.setElementOrder && ((!o.ignoreChanges && (len(patch) > 0 || !sameOrder)) || (!o.ignoreDeletions && len(patch) > 0)) {
		order = make([]any, len(modified))
		for i, v := range modified {
			order[i] = map[string]any{mergeKey: v.(map[string]any)[mergeKey]}
		}
	}
	return patch, nil, order, nil
}

// diffScalars compares two lists of scalars as sets (by their text, as upstream does).
func diffScalars(original, modified []any, o diffOptions) (add, del []any) {
	os := sortByText(original, identity)
	ms := sortByText(modified, identity)
	i, j := 0, 0
	for i < len(os) || j < len(ms) {
		var ot, mt string
		if i < len(os) {
			ot = text(os[i])
		}
		if j < len(ms) {
			mt = text(ms[j])
		}
		switch {
		case i < len(os) && j < len(ms) && ot == mt:
			i++
			j++
		case i >= len(os) || (j < len(ms) && ot > mt):
			if !o.ignoreChanges {
				add = append(add, ms[j])
			}
			j++
		default:
			if !o.ignoreDeletions {
				del = append(del, os[i])
			}
			i++
		}
	}
	return add, dedupe(del)
}

// diffObjectLists pairs the elements of two lists of objects by merge key.
func diffObjectLists(original, modified []any, elem schema, mergeKey string, o diffOptions) (patch, del []any, err error) {
	key := keyFunc(mergeKey)
	os := sortByText(original, key)
	ms := sortByText(modified, key)
	patch = make([]any, 0, len(modified))
	i, j := 0, 0
	for i < len(os) || j < len(ms) {
		var oe, me map[string]any
		var ov, mk any
		if i < len(os) {
			if ov, err = mergeKeyOf(os[i], mergeKey); err != nil {
				return nil, nil, err
			}
			oe = os[i].(map[string]any)
		}
		if j < len(ms) {
			if mk, err = mergeKeyOf(ms[j], mergeKey); err != nil {
				return nil, nil, err
			}
			me = ms[j].(map[string]any)
		}
		switch {
		case oe != nil && me != nil && text(ov) == text(mk):
			p, err := diffMaps(oe, me, elem, o)
			if err != nil {
				return nil, nil, err
			}
			if len(p) > 0 {
				p[mergeKey] = mk
				patch = append(patch, p)
			}
			i++
			j++
		case oe == nil || (me != nil && text(ov) > text(mk)):
			if !o.ignoreChanges {
				patch = append(patch, me)
			}
			j++
		default:
			if !o.ignoreDeletions {
				del = append(del, map[string]any{mergeKey: ov, directiveMarker: deleteDirective})
			}
			i++
		}
	}
	return patch, del, nil
}

// conflict reports whether two patches set the same field differently.
func conflict(left, right any, s schema, meta fieldMeta) bool {
	switch l := left.(type) {
	case map[string]any:
		r, ok := right.(map[string]any)
		if !ok {
			return true
		}
		ld, lok := l[directiveMarker]
		rd, rok := r[directiveMarker]
		if (lok || rok) && (lok != rok || ld != rd) {
			return true
		}
		if meta.strategy == replaceDirective {
			return false
		}
		for _, k := range sortedKeys(l) {
			rv, ok := r[k]
			if !ok || k == directiveMarker || k == retainKeysDirective {
				continue
			}
			sub, m := s.field(k)
			if _, isList := l[k].([]any); isList {
				sub = sub.elem()
			}
			if conflict(l[k], rv, sub, m) {
				return true
			}
		}
		return false
	case []any:
		r, ok := right.([]any)
		if !ok {
			return true
		}
		kind, err := elementKind(l, r)
		if err != nil {
			return true
		}
		if meta.strategy == mergeDirective {
			if kind != "map" {
				return false
			}
			lm, rm := map[string]any{}, map[string]any{}
			for _, p := range []struct {
				list []any
				m    map[string]any
			}{{l, lm}, {r, rm}} {
				for _, v := range p.list {
					k, err := mergeKeyOf(v, meta.mergeKey)
					if err != nil {
						return true
					}
					p.m[fmt.Sprintf("%s", k)] = v
				}
			}
			for _, k := range sortedKeys(lm) {
				if rv, ok := rm[k]; ok && conflict(lm[k], rv, s, fieldMeta{}) {
					return true
				}
			}
			return false
		}
		if len(l) != len(r) {
			return true
		}
		if kind != "map" {
			l, r = sortByText(dedupe(l), identity), sortByText(dedupe(r), identity)
			if len(l) != len(r) {
				return true
			}
		}
		for i := range l {
			if conflict(l[i], r[i], s, fieldMeta{}) {
				return true
			}
		}
		return false
	}
	return !reflect.DeepEqual(left, right)
}
