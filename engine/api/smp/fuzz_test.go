package smp

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/strategicpatch"

	"github.com/kubetab/kubetab/engine/api"
)

// referenceDir holds the book's and the docs' manifests the fuzz test starts from.
const referenceDir = "/work/shared/reference"

// bases are the objects random mutations start from: the reference manifests when they are
// there, and always the pods of threeway_test.go.
func bases(tb testing.TB) []api.Object {
	tb.Helper()
	var objs []api.Object
	for _, doc := range []string{podV1, livePod} {
		for _, d := range api.Decode([]byte(doc)) {
			if d.Err != nil {
				tb.Fatal(d.Err)
			}
			objs = append(objs, d.Object)
		}
	}
	var files []string
	_ = filepath.WalkDir(referenceDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, d := range api.Decode(data) {
			if d.Err == nil && d.Object != nil {
				objs = append(objs, d.Object)
			}
		}
	}
	return objs
}

// mutator changes typed API objects at random, through reflection, so that every document
// it makes is one the Go type can hold. Strings come from a small pool so that merge keys
// collide, lists gain, lose and reorder elements, maps gain and lose keys.
type mutator struct {
	r *rand.Rand
}

var stringPool = []string{"a", "b", "c", "main", "sidecar", "x", "y", "TCP", "example.com/f", ""}

var (
	timeType     = reflect.TypeOf(metav1.Time{})
	quantityType = reflect.TypeOf(resource.Quantity{})
	intstrType   = reflect.TypeOf(intstr.IntOrString{})
	typeMetaType = reflect.TypeOf(metav1.TypeMeta{})
)

// mutate makes n random changes to obj.
func (m *mutator) mutate(obj api.Object, n int) {
	root := reflect.ValueOf(obj).Elem()
	for i := 0; i < n; i++ {
		m.change(root, 0)
	}
}

func (m *mutator) str() string { return stringPool[m.r.IntN(len(stringPool))] }

// change walks down from v to a random place and changes it.
func (m *mutator) change(v reflect.Value, depth int) {
	stop := depth > 12 || m.r.IntN(8) == 0
	switch v.Type() {
	case timeType:
		v.Set(reflect.ValueOf(metav1.NewTime(time.Date(2026, 1, 1, m.r.IntN(3), 0, 0, 0, time.UTC))))
		return
	case quantityType:
		v.Set(reflect.ValueOf(resource.MustParse([]string{"100m", "1", "64Mi", "2"}[m.r.IntN(4)])))
		return
	case intstrType:
		if m.r.IntN(2) == 0 {
			v.Set(reflect.ValueOf(intstr.FromInt32(int32(m.r.IntN(3)))))
		} else {
			v.Set(reflect.ValueOf(intstr.FromString(m.str())))
		}
		return
	}
	if hasCustomJSON(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		var fields []int
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.IsExported() && f.Tag.Get("json") != "-" && f.Type != typeMetaType {
				fields = append(fields, i)
			}
		}
		if len(fields) == 0 {
			return
		}
		if stop && depth > 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		// Prefer lists, maps and objects: that is where strategic merge differs from a
		// plain replace.
		var composite []int
		for _, i := range fields {
			switch t := v.Type().Field(i).Type; t.Kind() {
			case reflect.Slice, reflect.Map, reflect.Struct, reflect.Pointer:
				if !hasCustomJSON(t) {
					composite = append(composite, i)
				}
			}
		}
		if len(composite) > 0 && m.r.IntN(4) != 0 {
			fields = composite
		}
		m.change(v.Field(fields[m.r.IntN(len(fields))]), depth+1)
	case reflect.Pointer:
		switch {
		case v.IsNil():
			v.Set(reflect.New(v.Type().Elem()))
			m.change(v.Elem(), depth+1)
		case stop:
			v.Set(reflect.Zero(v.Type()))
		default:
			m.change(v.Elem(), depth+1)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		n := v.Len()
		switch op := m.r.IntN(7); {
		case n == 0 || op == 0: // grow
			e := reflect.New(v.Type().Elem()).Elem()
			if n > 0 && m.r.IntN(2) == 0 {
				e.Set(deepCopy(v.Index(m.r.IntN(n))))
			}
			m.change(e, depth+1)
			at := m.r.IntN(n + 1)
			s := reflect.MakeSlice(v.Type(), 0, n+1)
			s = reflect.AppendSlice(s, v.Slice(0, at))
			s = reflect.Append(s, e)
			s = reflect.AppendSlice(s, v.Slice(at, n))
			v.Set(s)
		case op == 1: // shrink
			at := m.r.IntN(n)
			s := reflect.MakeSlice(v.Type(), 0, n-1)
			s = reflect.AppendSlice(s, v.Slice(0, at))
			s = reflect.AppendSlice(s, v.Slice(at+1, n))
			v.Set(s)
		case op == 2: // swap
			i, j := m.r.IntN(n), m.r.IntN(n)
			a, b := deepCopy(v.Index(i)), deepCopy(v.Index(j))
			v.Index(i).Set(b)
			v.Index(j).Set(a)
		case op == 3 && stop:
			v.Set(reflect.Zero(v.Type()))
		default:
			m.change(v.Index(m.r.IntN(n)), depth+1)
		}
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		switch op := m.r.IntN(4); {
		case len(keys) > 0 && op == 0:
			v.SetMapIndex(keys[m.r.IntN(len(keys))], reflect.Value{})
		case stop && op == 1:
			v.Set(reflect.Zero(v.Type()))
		default:
			k := reflect.New(v.Type().Key()).Elem()
			if k.Kind() != reflect.String {
				return
			}
			k.SetString(m.str())
			e := reflect.New(v.Type().Elem()).Elem()
			if old := v.MapIndex(k); old.IsValid() {
				e.Set(deepCopy(old))
			}
			m.change(e, depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		v.SetString(m.str())
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(m.r.IntN(4) * 40))
	case reflect.Float64:
		v.SetFloat(float64(m.r.IntN(3)) / 2)
	}
}

// deepCopy copies a value through JSON-independent reflection (slices, maps and pointers
// are duplicated so that changing the copy leaves the original alone).
func deepCopy(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(deepCopy(v.Elem()))
			out.Set(p)
		}
	case reflect.Slice:
		if !v.IsNil() {
			s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			for i := 0; i < v.Len(); i++ {
				s.Index(i).Set(deepCopy(v.Index(i)))
			}
			out.Set(s)
		}
	case reflect.Map:
		if !v.IsNil() {
			mm := reflect.MakeMap(v.Type())
			for _, k := range v.MapKeys() {
				mm.SetMapIndex(k, deepCopy(v.MapIndex(k)))
			}
			out.Set(mm)
		}
	case reflect.Struct:
		if v.Type() == timeType || v.Type() == quantityType || v.Type() == intstrType {
			out.Set(v)
			break
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
	default:
		out.Set(v)
	}
	return out
}

func marshal(tb testing.TB, obj api.Object) []byte {
	tb.Helper()
	data, err := json.Marshal(obj)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// checkRandomApply builds last-applied, manifest and live versions of one base object by
// random mutation and compares both implementations on the apply, on a two-way patch from
// live to manifest, and on applying that patch.
func checkRandomApply(t *testing.T, objs []api.Object, seed uint64, which uint8) outcome {
	base := objs[int(which)%len(objs)]
	m := &mutator{r: rand.New(rand.NewPCG(seed, uint64(which)))}
	original := base.DeepCopyObject().(api.Object)
	m.mutate(original, m.r.IntN(4))
	modified := original.DeepCopyObject().(api.Object)
	m.mutate(modified, 1+m.r.IntN(8))
	current := original.DeepCopyObject().(api.Object)
	m.mutate(current, m.r.IntN(8))
	dataStruct := reflect.New(reflect.TypeOf(base).Elem()).Interface()
	var o []byte
	if m.r.IntN(10) != 0 {
		o = marshal(t, original)
	}
	mod, cur := marshal(t, modified), marshal(t, current)
	got := compareThreeWay(t, o, mod, cur, dataStruct)

	meta, _ := strategicpatch.NewPatchMetaFromStruct(dataStruct)
	upTwo, upErr := strategicpatch.CreateTwoWayMergePatchUsingLookupPatchMeta(cur, mod, meta)
	ourTwo, ourErr := CreateTwoWayMergePatch(cur, mod, dataStruct)
	if (upErr == nil) != (ourErr == nil) {
		t.Fatalf("two-way: upstream error %v, ours %v\ncurrent %s\nmodified %s", upErr, ourErr, cur, mod)
	}
	if upErr == nil {
		if !reflect.DeepEqual(generic(t, upTwo), generic(t, ourTwo)) {
			t.Errorf("two-way patches differ\ncurrent %s\nmodified %s\nupstream %s\nours %s", cur, mod, upTwo, ourTwo)
		}
		comparePatch(t, cur, upTwo, dataStruct)
	}
	return got
}

// TestRandomApply runs a fixed set of random cases (the fuzz corpus, so to speak) in every
// test run, native and wasm.
func TestRandomApply(t *testing.T) {
	objs := bases(t)
	n := 3000
	if testing.Short() {
		n = 300
	}
	kinds := map[string]int{}
	for i := 0; i < n; i++ {
		seed, which := uint64(i), uint8(i%251)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			got := checkRandomApply(t, objs, seed, which)
			switch {
			case got.err != nil:
				kinds["error"]++
			case string(got.patch) == "{}":
				kinds["unchanged"]++
			case strings.Contains(string(got.patch), "$"):
				kinds["with directives"]++
			default:
				kinds["plain"]++
			}
		})
		if t.Failed() {
			return
		}
	}
	// The mix shows the mutations reach the interesting paths.
	t.Logf("%d cases over %d base objects: %v", n, len(objs), kinds)
}

// FuzzApply: go test -run '^$' -fuzz FuzzApply -fuzztime 60s ./engine/api/smp
func FuzzApply(f *testing.F) {
	objs := bases(f)
	for i := 0; i < 8; i++ {
		f.Add(uint64(1000+i), uint8(i))
	}
	f.Fuzz(func(t *testing.T, seed uint64, which uint8) {
		_ = checkRandomApply(t, objs, seed, which)
	})
}
