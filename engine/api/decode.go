package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// Document is one object of a manifest stream, decoded on its own so that a multi-document
// apply can report each one.
type Document struct {
	// Index counts the non-empty documents of the stream from 0 (items of a List each count).
	Index int
	// Line is the 1-based line of the stream where the document (or List item) starts.
	Line int
	// Object is the typed object, TypeMeta set to the served version; nil when Err is set
	// before the type was known.
	Object Object
	// Resource is the resource of the object's kind, when the kind is served.
	Resource *Resource
	// Warnings are one-line notices kubectl prints as `Warning: ...` (legacy apiVersions).
	Warnings []string
	Err      error
}

// SyntaxError is a YAML (or JSON) syntax error. Line is counted in the whole stream.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("error converting YAML to JSON: yaml: line %d: %s", e.Line, e.Msg)
	}
	return "error converting YAML to JSON: yaml: " + e.Msg
}

// MissingTypeError says that apiVersion and/or kind are not set, as kubectl's client-side
// validation reports it.
type MissingTypeError struct {
	APIVersion, Kind bool // true when missing
}

func (e *MissingTypeError) Error() string {
	var msgs []string
	if e.APIVersion {
		msgs = append(msgs, "apiVersion not set")
	}
	if e.Kind {
		msgs = append(msgs, "kind not set")
	}
	if len(msgs) == 1 {
		return "error validating data: " + msgs[0]
	}
	return "error validating data: [" + strings.Join(msgs, ", ") + "]"
}

// NoMatchError is a kind/version that the cluster does not serve. kubectl prefixes it with
// `resource mapping not found for name: ... from "file": ` and suffixes
// `\nensure CRDs are installed first`.
type NoMatchError struct {
	Kind, APIVersion string
}

func (e *NoMatchError) Error() string {
	return fmt.Sprintf("no matches for kind %q in version %q", e.Kind, e.APIVersion)
}

// FieldError is a field of the manifest that the Go type cannot take: an unknown field
// (strict decoding) or a value of the wrong type. The API server answers it with 400 Bad
// Request; apierrors.NewBadRequest(err.Error()) gives that.
type FieldError struct {
	// Path is the field path with list indexes ("spec.containers[0].imagee"); for unknown
	// fields, the first of Unknowns.
	Path string
	// Suggestion is the nearest known field name at that level, or "".
	Suggestion string
	// Unknowns are all the unknown fields, as the API server lists them.
	Unknowns []UnknownField
	// Kind and Version (the apiVersion as written) of the object.
	Kind, Version string
	// Line of the field in the stream, 0 when unknown.
	Line int
	// Unknown is true for an unknown field; otherwise Detail says what is wrong.
	Unknown bool
	Detail  string
}

func (e *FieldError) Error() string {
	prefix := fmt.Sprintf("%s in version %q cannot be handled as a %s: ", e.Kind, versionOf(e.Version), e.Kind)
	if e.Unknown {
		unknowns := e.Unknowns
		if len(unknowns) == 0 {
			unknowns = []UnknownField{{Path: e.Path, Suggestion: e.Suggestion}}
		}
		var b strings.Builder
		b.WriteString(prefix + "strict decoding error: ")
		for i, u := range unknowns {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "unknown field %q", u.Path)
			if u.Suggestion != "" {
				fmt.Fprintf(&b, " (did you mean %q?)", u.Suggestion)
			}
		}
		return b.String()
	}
	return prefix + e.Detail
}

// UnknownField is a field of a manifest that its kind does not have.
type UnknownField struct {
	Path string
	// Suggestion is the nearest known field name at that level (kubetab's kindness), or "".
	Suggestion string
}

// DecodeOptions say what Decode does with what a real API server refuses or drops.
type DecodeOptions struct {
	// FieldValidation is the API server's fieldValidation (kubectl --validate) for unknown
	// fields: metav1.FieldValidationStrict (or ""): the document fails with a FieldError
	// naming them all; Warn: they are dropped with a warning each; Ignore: dropped.
	FieldValidation string
	// Strict is kubetab's strict mode, what a real cluster does and no more: legacy
	// apiVersions are not served (NoMatchError), unknown fields get no suggestion, and a
	// field spelt in another case is unknown.
	Strict bool
}

// versionOf returns the version part of an apiVersion ("apps/v1" → "v1"), as upstream prints it.
func versionOf(apiVersion string) string {
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[i+1:]
	}
	return apiVersion
}

// legacyVersion is an apiVersion the book-era manifests use, accepted as its served version.
type legacyVersion struct {
	apiVersion string
	kinds      []string
	removedIn  string
}

var legacyVersions = []legacyVersion{
	{"extensions/v1beta1", []string{"DaemonSet", "Deployment", "ReplicaSet"}, "v1.16"},
	{"apps/v1beta1", []string{"DaemonSet", "Deployment", "ReplicaSet"}, "v1.16"},
	{"apps/v1beta2", []string{"DaemonSet", "Deployment", "ReplicaSet"}, "v1.16"},
	{"batch/v1beta1", []string{"CronJob"}, "v1.25"},
	{"batch/v2alpha1", []string{"CronJob"}, "v1.21"},
	// v2beta2 has v2's fields; v2beta1 (the book's) does not, and is not accepted.
	{"autoscaling/v2beta2", []string{"HorizontalPodAutoscaler"}, "v1.26"},
}

func lookupLegacy(apiVersion, kind string) *legacyVersion {
	for i := range legacyVersions {
		l := &legacyVersions[i]
		if l.apiVersion != apiVersion {
			continue
		}
		for _, k := range l.kinds {
			if k == kind {
				return l
			}
		}
	}
	return nil
}

// rawDoc is one document of the stream before decoding.
type rawDoc struct {
	data []byte
	line int // 1-based line of data's first line in the stream
}

// splitDocuments cuts a stream at `---` lines the way kubectl's YAML reader does: a line that
// starts with `---` followed by nothing but blanks or a comment.
func splitDocuments(data []byte) []rawDoc {
	var docs []rawDoc
	start, startLine, line := 0, 1, 1
	for pos := 0; pos <= len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data) + 1
		lineEnd := len(data)
		if end >= 0 {
			lineEnd = pos + end
			next = lineEnd + 1
		}
		l := data[pos:lineEnd]
		if bytes.HasPrefix(l, []byte("---")) {
			rest := strings.TrimSpace(string(l[3:]))
			if rest == "" || rest[0] == '#' {
				docs = append(docs, rawDoc{data: data[start:pos], line: startLine})
				start, startLine = min(next, len(data)), line+1
			}
		}
		pos = next
		line++
	}
	if start < len(data) {
		docs = append(docs, rawDoc{data: data[start:], line: startLine})
	}
	return docs
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// toJSON converts one YAML or JSON document to JSON. A syntax error gets its line counted in
// the whole stream.
func toJSON(doc rawDoc) ([]byte, error) {
	trimmed := bytes.TrimSpace(doc.data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed) {
		return trimmed, nil
	}
	j, err := yaml.YAMLToJSON(doc.data)
	if err == nil {
		return j, nil
	}
	msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return nil, &SyntaxError{Line: n + doc.line - 1, Msg: m[2]}
	}
	return nil, &SyntaxError{Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// Decode decodes a stream of YAML or JSON documents (block style or KYAML flow style,
// separated by `---`; `kind: List` expands to its items). Empty documents are skipped. Each
// document succeeds or fails on its own; Decode never panics.
func Decode(data []byte) (out []Document) { return DecodeWith(data, DecodeOptions{}) }

// DecodeWith is Decode with options.
func DecodeWith(data []byte, o DecodeOptions) (out []Document) {
	for _, raw := range splitDocuments(data) {
		out = append(out, decodeRaw(raw, len(out), o)...)
	}
	return out
}

func decodeRaw(raw rawDoc, index int, o DecodeOptions) []Document {
	firstLine := raw.line + leadingBlankLines(raw.data)
	j, err := toJSON(raw)
	if err != nil {
		return []Document{{Index: index, Line: firstLine, Err: err}}
	}
	var v interface{}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []Document{{Index: index, Line: firstLine, Err: &SyntaxError{Msg: err.Error()}}}
	}
	if v == nil {
		return nil // empty document
	}
	pos := &positions{src: raw.data, firstLine: raw.line}
	m, ok := v.(map[string]interface{})
	if !ok {
		return []Document{{Index: index, Line: firstLine, Err: fmt.Errorf("error decoding document: expected an object, got %s", jsonTypeName(v))}}
	}
	apiVersion, _ := m["apiVersion"].(string)
	kind, _ := m["kind"].(string)
	if kind == "List" && (apiVersion == "v1" || apiVersion == "") {
		items, _ := m["items"].([]interface{})
		var out []Document
		for i, item := range items {
			prefix := []seg{{key: "items"}, {index: i, isIdx: true}}
			line := pos.line(prefix)
			if line == 0 {
				line = firstLine
			}
			im, ok := item.(map[string]interface{})
			if !ok {
				out = append(out, Document{Index: index + len(out), Line: line, Err: fmt.Errorf("error decoding %s: expected an object, got %s", pathString(prefix), jsonTypeName(item))})
				continue
			}
			d := decodeObject(im, pos, prefix, o)
			d.Index, d.Line = index+len(out), line
			out = append(out, d)
		}
		return out
	}
	d := decodeObject(m, pos, nil, o)
	d.Index, d.Line = index, firstLine
	return []Document{d}
}

// leadingBlankLines counts the lines before the document's first content line (blank lines,
// comments), so that Document.Line points at the object itself.
func leadingBlankLines(data []byte) int {
	n := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		l := data
		if i >= 0 {
			l = data[:i]
		}
		t := strings.TrimSpace(string(l))
		if t != "" && t[0] != '#' {
			return n
		}
		if i < 0 {
			return n
		}
		data = data[i+1:]
		n++
	}
	return 0
}

func decodeObject(m map[string]interface{}, pos *positions, prefix []seg, o DecodeOptions) Document {
	var d Document
	apiVersion, avOK := m["apiVersion"].(string)
	kind, kindOK := m["kind"].(string)
	if !avOK || apiVersion == "" || !kindOK || kind == "" {
		d.Err = &MissingTypeError{APIVersion: !avOK || apiVersion == "", Kind: !kindOK || kind == ""}
		return d
	}
	r := ResourceForKind(kind)
	conv := otherServedVersion(apiVersion, kind)
	var legacy *legacyVersion
	if r != nil && r.APIVersion() != apiVersion && conv == nil {
		legacy = lookupLegacy(apiVersion, kind)
		if legacy == nil || o.Strict {
			r = nil
		}
	}
	if r == nil {
		d.Err = &NoMatchError{Kind: kind, APIVersion: apiVersion}
		return d
	}
	d.Resource = r
	if legacy != nil {
		d.Warnings = append(d.Warnings, fmt.Sprintf("Warning: %s %s is no longer served since Kubernetes %s (a real cluster refuses it); kubetab accepts it as %s",
			apiVersion, kind, legacy.removedIn, r.APIVersion()))
	}
	var into any = r.New()
	if conv != nil {
		into = conv.in()
	}
	fe, segs, warnings := checkFields(m, into, kind, apiVersion, o)
	d.Warnings = append(d.Warnings, warnings...)
	if fe != nil {
		fe.Line = pos.line(append(append([]seg(nil), prefix...), segs...))
		d.Err = fe
		return d
	}
	b, err := json.Marshal(m)
	if err == nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil {
		d.Err = &FieldError{Kind: kind, Version: apiVersion, Detail: err.Error()}
		return d
	}
	var obj Object
	if conv != nil {
		obj = conv.convert(into)
	} else {
		obj = into.(Object)
	}
	SetTypeMeta(obj)
	if legacy != nil {
		defaultLegacySelector(obj)
	}
	d.Object = obj
	return d
}

// defaultLegacySelector does what the pre-apps/v1 APIs did: an omitted selector is the
// template's labels. apps/v1 requires the selector, so only legacy input gets this.
func defaultLegacySelector(obj Object) {
	var sel **metav1.LabelSelector
	var labels map[string]string
	switch o := obj.(type) {
	case *appsv1.ReplicaSet:
		sel, labels = &o.Spec.Selector, o.Spec.Template.Labels
	case *appsv1.DaemonSet:
		sel, labels = &o.Spec.Selector, o.Spec.Template.Labels
	case *appsv1.Deployment:
		sel, labels = &o.Spec.Selector, o.Spec.Template.Labels
	case *batchv1.CronJob:
		return
	default:
		return
	}
	if *sel == nil && len(labels) > 0 {
		ml := make(map[string]string, len(labels))
		for k, v := range labels {
			ml[k] = v
		}
		*sel = &metav1.LabelSelector{MatchLabels: ml}
	}
}

// GroupKindOf returns the group and kind of a typed object, for API errors.
func GroupKindOf(obj Object) schema.GroupKind {
	if r := ResourceFor(obj); r != nil {
		return schema.GroupKind{Group: r.Group, Kind: r.Kind}
	}
	return obj.GetObjectKind().GroupVersionKind().GroupKind()
}

// EncodeJSON renders an object as `kubectl get -o json` does (indented, keys in struct order).
func EncodeJSON(obj Object) ([]byte, error) {
	b, err := json.MarshalIndent(obj, "", "    ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// EncodeYAML renders an object as `kubectl get -o yaml` does: kubectl marshals JSON and
// converts it to YAML, so keys come out in alphabetical order. ObjectMeta's
// creationTimestamp is `omitzero` in this apimachinery, so templates carry no
// `creationTimestamp: null` (as current kubectl shows).
func EncodeYAML(obj Object) ([]byte, error) {
	return yaml.Marshal(obj)
}
