package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// seg is one step of a field path: a map key or a list index.
type seg struct {
	key   string
	index int
	isIdx bool
}

func pathString(p []seg) string {
	var b strings.Builder
	for _, s := range p {
		if s.isIdx {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

func appendSeg(p []seg, s seg) []seg {
	out := make([]seg, len(p), len(p)+1)
	copy(out, p)
	return append(out, s)
}

// fieldInfo is one JSON field of a struct type, inline structs flattened.
type fieldInfo struct {
	name      string
	index     []int
	typ       reflect.Type
	omitempty bool
	goStruct  string       // the Go struct that declares it, for type errors
	owner     reflect.Type // that struct, for its SwaggerDoc
}

var fieldCache sync.Map // reflect.Type → []fieldInfo

// jsonFields lists the JSON fields of a struct type, sorted by name.
func jsonFields(t reflect.Type) []fieldInfo {
	if v, ok := fieldCache.Load(t); ok {
		return v.([]fieldInfo)
	}
	var out []fieldInfo
	collectFields(t, nil, &out)
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	fieldCache.Store(t, out)
	return out
}

func collectFields(t reflect.Type, index []int, out *[]fieldInfo) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, idx, out)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		*out = append(*out, fieldInfo{name: name, index: idx, typ: f.Type, omitempty: strings.Contains(opts, "omitempty"), goStruct: t.Name(), owner: t})
	}
}

var unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

// isLeaf reports whether a type decodes itself (metav1.Time, resource.Quantity,
// intstr.IntOrString, runtime.RawExtension, metav1.Duration, ...).
func isLeaf(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)
}

// checkFields walks a decoded JSON value against the Go type of obj and returns the first
// unknown field or wrongly typed value, in sorted key order.
// Keys spelt in the wrong case are renamed in m, and a warning says so.
func checkFields(m map[string]interface{}, obj any, kind, apiVersion string, o DecodeOptions) (*FieldError, []seg, []string) {
	w := &fieldWalker{kind: kind, version: apiVersion, opts: o}
	w.walk(m, reflect.TypeOf(obj).Elem(), nil, "")
	if w.err == nil && len(w.unknown) > 0 {
		switch o.FieldValidation {
		case metav1.FieldValidationIgnore:
		case metav1.FieldValidationWarn:
			for _, u := range w.unknown {
				w.warnings = append(w.warnings, fmt.Sprintf("Warning: unknown field %q", u.Path))
			}
		default:
			w.err = &FieldError{Path: w.unknown[0].Path, Suggestion: w.unknown[0].Suggestion, Kind: kind, Version: apiVersion,
				Unknown: true, Unknowns: w.unknown}
			w.segs = w.unknownSegs
		}
	}
	return w.err, w.segs, w.warnings
}

type fieldWalker struct {
	kind, version string
	opts          DecodeOptions
	err           *FieldError
	segs          []seg
	warnings      []string
	// unknown are the unknown fields met so far, in the order the API server lists them
	// (keys sorted at each level); unknownSegs is the first one's path.
	unknown     []UnknownField
	unknownSegs []seg
}

func (w *fieldWalker) fail(path []seg, fe FieldError) {
	fe.Path = pathString(path)
	fe.Kind, fe.Version = w.kind, w.version
	w.err = &fe
	w.segs = path
}

func jsonTypeName(v interface{}) string {
	switch v := v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []interface{}:
		return "array"
	case map[string]interface{}:
		return "object"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func (w *fieldWalker) typeError(path []seg, v interface{}, t reflect.Type, goStruct string) {
	what := jsonTypeName(v)
	if n, ok := v.(json.Number); ok {
		what = "number " + n.String()
	}
	where := "Go value"
	if goStruct != "" {
		where = "Go struct field " + goStruct + "." + pathString(path)
	}
	w.fail(path, FieldError{Detail: fmt.Sprintf("json: cannot unmarshal %s into %s of type %s", what, where, t.String())})
}

func (w *fieldWalker) walk(v interface{}, t reflect.Type, path []seg, goStruct string) {
	if w.err != nil || v == nil {
		return
	}
	// Unwrap pointers first: *metav1.Time implements json.Unmarshaler through its pointer
	// receiver, but the value to decode into is a metav1.Time.
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isLeaf(t) {
		b, err := json.Marshal(v)
		if err != nil {
			w.fail(path, FieldError{Detail: err.Error()})
			return
		}
		u := reflect.New(t).Interface().(json.Unmarshaler)
		if err := u.UnmarshalJSON(b); err != nil {
			w.fail(path, FieldError{Detail: pathString(path) + ": " + err.Error()})
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		w.walk(v, t.Elem(), path, goStruct)
	case reflect.Interface:
	case reflect.Struct:
		m, ok := v.(map[string]interface{})
		if !ok {
			w.typeError(path, v, t, goStruct)
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			i := sort.Search(len(fields), func(i int) bool { return fields[i].name >= k })
			key := k
			if i == len(fields) || fields[i].name != k {
				names := make([]string, len(fields))
				for j, f := range fields {
					names[j] = f.name
				}
				sugg := nearestName(k, names)
				_, taken := m[sugg]
				if sugg == "" || !strings.EqualFold(sugg, k) || taken || w.opts.Strict {
					if w.opts.Strict {
						sugg = ""
					}
					p := appendSeg(path, seg{key: k})
					if len(w.unknown) == 0 {
						w.unknownSegs = p
					}
					w.unknown = append(w.unknown, UnknownField{Path: pathString(p), Suggestion: sugg})
					// Dropped, as the API server's decoder drops what it does not refuse
					// (and so that encoding/json, which ignores case, does not read it).
					delete(m, k)
					continue
				}
				// Kinder than the API server: a field spelt in another case (the early
				// docs' `gRPC:`) is read as the field it names, with a warning.
				w.warnings = append(w.warnings, fmt.Sprintf("Warning: unknown field %q (kubetab reads it as %q)", pathString(appendSeg(path, seg{key: k})), sugg))
				m[sugg] = m[k]
				delete(m, k)
				key = sugg
				i = sort.Search(len(fields), func(i int) bool { return fields[i].name >= key })
			}
			w.walk(m[key], fields[i].typ, appendSeg(path, seg{key: key}), fields[i].goStruct)
			if w.err != nil {
				return
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]interface{})
		if !ok {
			w.typeError(path, v, t, goStruct)
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			w.walk(m[k], t.Elem(), appendSeg(path, seg{key: k}), goStruct)
			if w.err != nil {
				return
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			s, ok := v.(string)
			if !ok {
				w.typeError(path, v, t, goStruct)
				return
			}
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				w.fail(path, FieldError{Detail: pathString(path) + ": " + err.Error()})
			}
			return
		}
		l, ok := v.([]interface{})
		if !ok {
			w.typeError(path, v, t, goStruct)
			return
		}
		for i, e := range l {
			w.walk(e, t.Elem(), appendSeg(path, seg{index: i, isIdx: true}), goStruct)
			if w.err != nil {
				return
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			w.typeError(path, v, t, goStruct)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			w.typeError(path, v, t, goStruct)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			w.typeError(path, v, t, goStruct)
			return
		}
		if _, err := strconv.ParseInt(n.String(), 10, t.Bits()); err != nil {
			w.typeError(path, v, t, goStruct)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if !ok {
			w.typeError(path, v, t, goStruct)
			return
		}
		if _, err := strconv.ParseUint(n.String(), 10, t.Bits()); err != nil {
			w.typeError(path, v, t, goStruct)
		}
	case reflect.Float32, reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			w.typeError(path, v, t, goStruct)
			return
		}
		if _, err := strconv.ParseFloat(n.String(), t.Bits()); err != nil {
			w.typeError(path, v, t, goStruct)
		}
	}
}

// nearestName suggests the known field closest to an unknown one: the same name in another
// case, a prefix either way, or within a small edit distance. "" when none is close.
func nearestName(unknown string, known []string) string {
	lower := strings.ToLower(unknown)
	for _, k := range known {
		if strings.ToLower(k) == lower {
			return k
		}
	}
	best, bestDist := "", 0
	limit := min(3, max(1, len(unknown)/3))
	for _, k := range known {
		d := levenshtein(lower, strings.ToLower(k))
		if d <= limit && (best == "" || d < bestDist) {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return best
	}
	if len(unknown) >= 4 {
		for _, k := range known {
			kl := strings.ToLower(k)
			if strings.HasPrefix(kl, lower) || strings.HasPrefix(lower, kl) && len(kl) >= 4 {
				return k
			}
		}
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// positions finds the line of a field in a document's source, reading its structure
// (position.go) only when a line is asked for.
type positions struct {
	src       []byte
	firstLine int
	parsed    bool
	root      *ynode
}

// line returns the stream line of the node at path (a map key's line for map entries), or 0.
func (p *positions) line(path []seg) int {
	if !p.parsed {
		p.parsed = true
		p.root = parsePositions(p.src)
	}
	line := p.root.lookup(path)
	if line == 0 {
		return 0
	}
	return line + p.firstLine - 1
}

// NearestName is the known name closest to an unknown one (nearestName), for the
// suggestions of a page: a kind misspelt in the editor.
func NearestName(unknown string, known []string) string { return nearestName(unknown, known) }
