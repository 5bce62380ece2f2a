package printers

import (
	"fmt"
	"reflect"
	"sort"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/client-go/util/jsonpath"

	"github.com/kubetab/kubetab/engine/api"
)

// SortObjects orders objs as `kubectl get --sort-by=FIELD` does. FIELD is a relaxed JSONPath
// (`.status.startTime`, `{.metadata.name}`) looked up in each object as JSON, the way kubectl
// sees what the server sends: numbers compare as numbers; strings as resource quantities when
// both are ("100Mi" < "1Gi"), otherwise in natural order (digits by value, so timestamps and
// "pod-9" < "pod-10" read right); an object without the field comes first. A field that no
// object has is kubectl's error, and so is a value that cannot be ordered (a map, a bool).
// Objects that compare equal keep their order.
func SortObjects(objs []api.Object, field string) error {
	expr, err := relaxedJSONPath(field)
	if err != nil {
		expr = field
	}
	parser := jsonpath.New("sorting").AllowMissingKeys(true)
	if err := parser.Parse(expr); err != nil {
		return err
	}
	keys := make([]sortValue, len(objs))
	found := false
	for i, obj := range objs {
		data, err := toUnstructured(obj)
		if err != nil {
			return err
		}
		results, err := parser.FindResults(data)
		if err != nil {
			return err
		}
		if len(results) == 0 || len(results[0]) == 0 {
			continue
		}
		found = true
		if keys[i], err = newSortValue(results[0][0]); err != nil {
			//lint:ignore ST1005 kubectl's own message, as it prints it
			return fmt.Errorf("Field %s in %T is an unsortable type: %s, err: %w", expr, obj, underlying(results[0][0]).Kind(), err)
		}
	}
	if len(objs) > 0 && !found {
		return fmt.Errorf("couldn't find any field with path %q in the list of objects", expr)
	}
	order := make([]int, len(objs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]].less(keys[order[b]]) })
	sorted := make([]api.Object, len(objs))
	for i, o := range order {
		sorted[i] = objs[o]
	}
	copy(objs, sorted)
	return nil
}

// underlying is the value an interface or pointer holds (itself when nil).
func underlying(v reflect.Value) reflect.Value {
	for (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && !v.IsNil() {
		v = v.Elem()
	}
	return v
}

// sortValue is a looked-up value, made comparable once: a number, or a string and, when it
// reads as one, the quantity it is. The zero sortValue is a missing one (or JSON's null).
type sortValue struct {
	present, isNum bool
	num            float64
	str            string
	qty            *resource.Quantity
}

func newSortValue(v reflect.Value) (sortValue, error) {
	v = underlying(v)
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		return sortValue{}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return sortValue{present: true, isNum: true, num: float64(v.Int())}, nil
	case reflect.Float32, reflect.Float64:
		return sortValue{present: true, isNum: true, num: v.Float()}, nil
	case reflect.String:
		s := sortValue{present: true, str: v.String()}
		if q, err := resource.ParseQuantity(s.str); err == nil {
			s.qty = &q
		}
		return s, nil
	}
	return sortValue{}, fmt.Errorf("unsortable type: %s", v.Type())
}

// less orders two values: a missing one first; numbers by value; strings as quantities when
// both are, otherwise in natural order. A number and a string, which kubectl cannot order
// either, keep their order.
func (a sortValue) less(b sortValue) bool {
	switch {
	case !a.present || !b.present:
		return !a.present && b.present
	case a.isNum && b.isNum:
		return a.num < b.num
	case a.isNum || b.isNum:
		return false
	case a.qty != nil && b.qty != nil:
		return a.qty.Cmp(*b.qty) < 0
	}
	return naturalLess(a.str, b.str)
}

// naturalLess compares strings with runs of digits compared by their value: "pod-9" before
// "pod-10". Equal values with more leading zeros come later, then the strings as bytes.
func naturalLess(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na, nb := trimZeros(a[si:i]), trimZeros(b[sj:j])
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			if i-si != j-sj {
				return i-si < j-sj
			}
			continue
		}
		if ca != cb {
			return ca < cb
		}
		i++
		j++
	}
	if len(a)-i != len(b)-j {
		return len(a)-i < len(b)-j
	}
	return a < b
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
