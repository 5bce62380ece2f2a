package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// internalValue makes a field error print a value as the API server prints its internal
// type for it (`spec.template: Invalid value: {"labels":{...},"Spec":{"Volumes":null,...}}`):
// field.Error marshals the bad value to JSON, and the internal types (k8s.io/kubernetes's
// pkg/apis/core, batch, ...) carry no json tags, so their fields come out under their Go
// names, every one of them, nil as null. The v1 types kubetab holds have the same fields in
// the same order; the apimachinery types inside them (ObjectMeta, Time, Quantity,
// IntOrString) are shared with the internal ones and keep their own JSON.
type internalValue struct{ v any }

func (i internalValue) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := writeInternalJSON(&b, reflect.ValueOf(i.v)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeInternalJSON writes v as encoding/json would write the internal type that v's
// k8s.io/api type mirrors.
func writeInternalJSON(b *bytes.Buffer, v reflect.Value) error {
	if !v.IsValid() {
		b.WriteString("null")
		return nil
	}
	t := v.Type()
	if !strings.HasPrefix(t.PkgPath(), "k8s.io/api/") || t.Kind() != reflect.Struct {
		switch t.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				b.WriteString("null")
				return nil
			}
			if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && strings.HasPrefix(t.Elem().PkgPath(), "k8s.io/api/") {
				return writeInternalJSON(b, v.Elem())
			}
		case reflect.Slice:
			if v.IsNil() {
				b.WriteString("null")
				return nil
			}
			if t.Elem().Kind() == reflect.Struct && strings.HasPrefix(t.Elem().PkgPath(), "k8s.io/api/") {
				b.WriteByte('[')
				for i := 0; i < v.Len(); i++ {
					if i > 0 {
						b.WriteByte(',')
					}
					if err := writeInternalJSON(b, v.Index(i)); err != nil {
						return err
					}
				}
				b.WriteByte(']')
				return nil
			}
		}
		j, err := json.Marshal(v.Interface())
		if err != nil {
			return err
		}
		b.Write(j)
		return nil
	}
	b.WriteByte('{')
	first := true
	var fields func(v reflect.Value) error
	fields = func(v reflect.Value) error {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				if strings.HasPrefix(f.Type.PkgPath(), "k8s.io/api/") {
					// An embedded internal type (Probe's ProbeHandler): its fields inline.
					if err := fields(fv); err != nil {
						return err
					}
					continue
				}
				// Embedded ObjectMeta and TypeMeta keep their tags: their fields inline.
				j, err := json.Marshal(fv.Interface())
				if err != nil {
					return err
				}
				if inner := bytes.TrimSuffix(bytes.TrimPrefix(j, []byte("{")), []byte("}")); len(inner) > 0 {
					if !first {
						b.WriteByte(',')
					}
					b.Write(inner)
					first = false
				}
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			name, _ := json.Marshal(f.Name)
			b.Write(name)
			b.WriteByte(':')
			if err := writeInternalJSON(b, fv); err != nil {
				return err
			}
		}
		return nil
	}
	if err := fields(v); err != nil {
		return err
	}
	b.WriteByte('}')
	return nil
}
