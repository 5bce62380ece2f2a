package api

import (
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// UnknownResourceError is a resource name that the cluster does not serve.
type UnknownResourceError struct{ Name string }

func (e *UnknownResourceError) Error() string {
	return fmt.Sprintf("the server doesn't have a resource type %q", e.Name)
}

// UnknownFieldError is a field path that does not exist in the resource's schema.
type UnknownFieldError struct{ Field string }

func (e *UnknownFieldError) Error() string { return fmt.Sprintf("field %q does not exist", e.Field) }

// Explain documents a resource or one of its fields as `kubectl explain` does (the plaintext
// template of kubectl ≥ 1.27): path is a resource as LookupResource accepts it, optionally
// followed by `.field.field...` ("pod.spec.containers.livenessProbe"). Descriptions come from
// the types' SwaggerDoc, kept as data (docs.go). Errors (printed by kubectl as `error: <err>`) are
// *UnknownResourceError and *UnknownFieldError.
func Explain(path string) (string, error) {
	parts := strings.Split(strings.TrimSpace(path), ".")
	r := LookupResource(parts[0])
	rest := parts[1:]
	// A group-qualified resource ("replicasets.apps.spec") consumes the group segment.
	if r != nil && r.Group != "" && len(rest) > 0 && rest[0] == r.Group {
		rest = rest[1:]
	} else if len(parts) > 1 && r == nil {
		r = LookupResource(parts[0] + "." + parts[1])
		rest = parts[2:]
	}
	if r == nil {
		return "", &UnknownResourceError{Name: parts[0]}
	}
	t := reflect.TypeOf(r.New()).Elem()
	var b strings.Builder
	if r.Group != "" {
		fmt.Fprintf(&b, "GROUP:      %s\n", r.Group)
	}
	fmt.Fprintf(&b, "KIND:       %s\nVERSION:    %s\n\n", r.Kind, r.Version)
	desc := typeDoc(t)
	for _, name := range rest {
		if name == "" {
			continue
		}
		st := structOf(t)
		if st == nil {
			return "", &UnknownFieldError{Field: name}
		}
		var found *fieldInfo
		for _, f := range jsonFields(st) {
			if f.name == name {
				f := f
				found = &f
				break
			}
		}
		if found == nil {
			return "", &UnknownFieldError{Field: name}
		}
		t = found.typ
		desc = fieldDoc(*found)
		if td := typeDoc(t); td != "" && structOf(t) != nil {
			desc += "\n" + td
		}
	}
	if len(rest) > 0 {
		fmt.Fprintf(&b, "FIELD: %s <%s>\n\n", rest[len(rest)-1], typeName(t))
	}
	b.WriteString("DESCRIPTION:\n")
	b.WriteString(wrap(desc, 4))
	st := structOf(t)
	if st == nil || isLeaf(st) {
		return b.String(), nil
	}
	b.WriteString("    \nFIELDS:\n")
	for i, f := range jsonFields(st) {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "  %s\t<%s>", f.name, typeName(f.typ))
		if isRequired(f) {
			b.WriteString(" -required-")
		}
		b.WriteString("\n")
		b.WriteString(wrap(fieldDoc(f), 4))
	}
	b.WriteString("\n")
	return b.String(), nil
}

// structOf returns the struct a field type holds (through pointers, slices and maps), or nil.
func structOf(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			if isLeaf(t) {
				return nil
			}
			return t
		default:
			return nil
		}
	}
}

// isRequired follows the OpenAPI generator: a field without omitempty is required, except
// the type and object metadata every object has.
func isRequired(f fieldInfo) bool {
	if f.omitempty {
		return false
	}
	switch f.name {
	case "apiVersion", "kind", "metadata":
		return false
	}
	return true
}

var (
	timeType     = reflect.TypeOf(metav1.Time{})
	microTime    = reflect.TypeOf(metav1.MicroTime{})
	durationType = reflect.TypeOf(metav1.Duration{})
	quantityType = reflect.TypeOf(resource.Quantity{})
	intOrString  = reflect.TypeOf(intstr.IntOrString{})
	rawExtension = reflect.TypeOf(runtime.RawExtension{})
)

// typeName is the type as kubectl explain shows it: <string>, <integer>, <[]Container>,
// <map[string]string>, <ObjectMeta>.
func typeName(t reflect.Type) string {
	switch t {
	case timeType, microTime, durationType:
		return "string"
	case quantityType:
		return "Quantity"
	case intOrString:
		return "IntOrString"
	case rawExtension:
		return "Object"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string"
		}
		return "[]" + typeName(t.Elem())
	case reflect.Map:
		return "map[string]" + typeName(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Struct:
		return t.Name()
	case reflect.Interface:
		return "Object"
	}
	return t.String()
}

func typeDoc(t reflect.Type) string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return swaggerDoc(t)[""]
}

func fieldDoc(f fieldInfo) string {
	return swaggerDoc(f.owner)[f.name]
}

// wrap word-wraps text to 80 columns with an indent, keeping its line breaks.
func wrap(text string, indent int) string {
	const width = 80
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	for _, para := range strings.Split(text, "\n") {
		line := pad
		for _, w := range strings.Fields(para) {
			if len(line) > indent && len(line)+1+len(w) > width {
				b.WriteString(line + "\n")
				line = pad
			}
			if len(line) > indent {
				line += " "
			}
			line += w
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}
