package cluster

import (
	"reflect"
	"slices"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

// JSON keeps a metav1.Time to the second, but the engine's objects hold instants to the
// nanosecond (an image pull takes 1.37 s), and a restore that rounded them would change
// what kubectl prints (a Job's duration, an age) at every snapshot. So a snapshot keeps
// each object's sub-second parts beside its JSON: the nanoseconds of its metav1.Time
// values in the order walkTimes visits them, nil when all are whole seconds.

var (
	timeType = reflect.TypeFor[metav1.Time]()
	// timeTypes caches whether a type can hold a metav1.Time (holdsTime); shared by the
	// clusters of one program, which may run side by side (tests, a share link's replay).
	timeTypes sync.Map
)

// walkTimes calls fn for every metav1.Time in v (a pointer to an object), in a fixed order:
// struct fields in order, slice elements in order, map values in key order.
func walkTimes(v reflect.Value, write bool, fn func(t *metav1.Time)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTimes(v.Elem(), write, fn)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanAddr() {
				fn(v.Addr().Interface().(*metav1.Time))
			}
			return
		}
		if !holdsTime(v.Type()) {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkTimes(v.Field(i), write, fn)
			}
		}
	case reflect.Slice, reflect.Array:
		if !holdsTime(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			walkTimes(v.Index(i), write, fn)
		}
	case reflect.Map:
		if !holdsTime(v.Type().Elem()) {
			return
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			if a.String() < b.String() {
				return -1
			}
			if a.String() > b.String() {
				return 1
			}
			return 0
		})
		for _, k := range keys {
			// Map values are not addressable: a copy is walked (and stored back when
			// written: stored objects are shared and never written).
			c := reflect.New(v.Type().Elem()).Elem()
			c.Set(v.MapIndex(k))
			walkTimes(c, write, fn)
			if write {
				v.SetMapIndex(k, c)
			}
		}
	}
}

// holdsTime tells whether a value of type t can hold a metav1.Time.
func holdsTime(t reflect.Type) bool {
	if held, ok := timeTypes.Load(t); ok {
		return held.(bool)
	}
	held := holdsTimeVisiting(t, map[reflect.Type]bool{})
	timeTypes.Store(t, held)
	return held
}

func holdsTimeVisiting(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if visiting[t] {
		return false // a recursive type holds one only through another path
	}
	visiting[t] = true
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() && holdsTimeVisiting(t.Field(i).Type, visiting) {
				return true
			}
		}
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsTimeVisiting(t.Elem(), visiting)
	}
	return false
}

// subSeconds lists the nanoseconds of obj's times, nil when every one is a whole second.
func subSeconds(obj api.Object) []int32 {
	var ns []int32
	some := false
	walkTimes(reflect.ValueOf(obj), false, func(t *metav1.Time) {
		n := int32(t.Time.Nanosecond())
		ns = append(ns, n)
		some = some || n != 0
	})
	if !some {
		return nil
	}
	return ns
}

// setSubSeconds gives obj's times (read from JSON, whole seconds) back the nanoseconds
// subSeconds listed.
func setSubSeconds(obj api.Object, ns []int32) {
	if len(ns) == 0 {
		return
	}
	i := 0
	walkTimes(reflect.ValueOf(obj), true, func(t *metav1.Time) {
		if i < len(ns) && ns[i] != 0 && !t.Time.IsZero() {
			t.Time = t.Time.Add(time.Duration(ns[i]))
		}
		i++
	})
}
