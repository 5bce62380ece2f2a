package highlight

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubetab/kubetab/engine/api"
)

// lineKeys lists the mapping keys a highlighted line holds, with their byte columns and
// their text without quotes.
type lineKey struct {
	Column int
	Name   string
}

func keysOf(toks []Token) []lineKey {
	var keys []lineKey
	col := 0
	for _, t := range toks {
		if t.Kind == Key {
			name := strings.TrimSpace(t.Text)
			if len(name) >= 2 && (name[0] == '"' || name[0] == '\'') && name[len(name)-1] == name[0] {
				if uq, err := strconv.Unquote(`"` + name[1:len(name)-1] + `"`); err == nil {
					name = uq
				} else {
					name = name[1 : len(name)-1]
				}
			}
			keys = append(keys, lineKey{Column: col, Name: name})
		}
		col += len(t.Text)
	}
	return keys
}

// Problem is an error shown in the editor at a line (1-based; Column 0: the whole
// line).
type Problem struct {
	Line, Column int
	Msg          string
}

// Problems decodes the text as `kubectl apply -f -` would and validates each object
// as the API server would on create, and places every error on a line: the decoder's line
// and column for syntax errors, the field's line for field and validation errors (found by
// walking the field path through the keys), else the document's first line.
func Problems(text string) []Problem {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	lines := YAML(text)
	var out []Problem
	for _, d := range api.Decode([]byte(text)) {
		if d.Err != nil {
			out = append(out, placeDecodeError(d, lines))
			continue
		}
		if d.Object == nil {
			continue
		}
		for _, fe := range validateForEditor(d.Object) {
			line := fieldLine(lines, d.Line, fe.Field)
			out = append(out, Problem{Line: line, Msg: invalidMessage(d.Object, fe)})
		}
	}
	return out
}

func placeDecodeError(d api.Document, lines [][]Token) Problem {
	p := Problem{Line: d.Line, Msg: d.Err.Error()}
	var syn *api.SyntaxError
	var fe *api.FieldError
	var nm *api.NoMatchError
	switch {
	case errors.As(d.Err, &syn):
		if syn.Line > 0 {
			p.Line, p.Column = syn.Line, syn.Column
			// The YAML parser's own errors ("did not find expected key", where a line's
			// indentation fits no mapping) name the line before the one at fault, as the
			// library counts them; its scanner's errors name the right one. kubectl prints
			// the library's message as it is, and the editor marks the line at fault.
			if strings.HasPrefix(syn.Msg, "did not find expected") && syn.Line < len(lines) {
				p.Line, p.Column = syn.Line+1, 0
			}
		}
	case errors.As(d.Err, &nm):
		p.Line = fieldLine(lines, d.Line, "kind")
		var kinds []string
		for _, r := range api.Resources() {
			kinds = append(kinds, r.Kind)
		}
		if k := api.NearestName(nm.Kind, kinds); k != "" && k != nm.Kind {
			p.Msg += fmt.Sprintf(" (did you mean %q?)", k)
		}
	case errors.As(d.Err, &fe):
		if fe.Line > 0 {
			p.Line = fe.Line
		} else if l := fieldLine(lines, d.Line, fe.Path); l > 0 {
			p.Line = l
		}
	}
	if p.Line <= 0 {
		p.Line = 1
	}
	return p
}

// validateForEditor runs the API server's defaulting and create validation on a copy.
func validateForEditor(obj api.Object) field.ErrorList {
	o := obj.DeepCopyObject().(api.Object)
	if r := api.ResourceFor(o); r != nil && r.Namespaced && o.GetNamespace() == "" {
		o.SetNamespace("default")
	}
	api.SetTypeMeta(o)
	api.Default(o)
	return api.ValidateCreate(o)
}

// invalidMessage words one validation error as kubectl prints the API server's answer.
func invalidMessage(obj api.Object, fe *field.Error) string {
	kind := obj.GetObjectKind().GroupVersionKind().Kind
	if r := api.ResourceFor(obj); r != nil {
		kind = r.Kind
	}
	return fmt.Sprintf("The %s %q is invalid: %s", kind, obj.GetName(), fe.Error())
}

// fieldPathSegments splits "spec.template.spec.containers[0].image" into its keys; list
// indexes are dropped (the walk finds the first item's keys in order) and map keys in
// brackets ("metadata.labels[app]") become keys.
func fieldPathSegments(path string) []string {
	var segs []string
	for _, part := range strings.Split(path, ".") {
		for part != "" {
			open := strings.IndexByte(part, '[')
			if open < 0 {
				segs = append(segs, part)
				break
			}
			if open > 0 {
				segs = append(segs, part[:open])
			}
			end := strings.IndexByte(part[open:], ']')
			if end < 0 {
				break
			}
			inner := part[open+1 : open+end]
			if _, err := strconv.Atoi(inner); err != nil && inner != "" {
				segs = append(segs, inner)
			}
			part = part[open+end+1:]
		}
	}
	return segs
}

// fieldLine finds the line of a field path in the document starting at docLine: each key
// is looked for after the previous one, deeper than it, and before the scope of the
// previous key ends. It returns the deepest line found (docLine when nothing is).
func fieldLine(lines [][]Token, docLine int, path string) int {
	if docLine < 1 {
		docLine = 1
	}
	best := docLine
	cur := docLine - 1 // 0-based line to search from
	parentCol := -1
	for _, seg := range fieldPathSegments(path) {
		found := false
		for li := cur; li < len(lines); li++ {
			toks := lines[li]
			if li > docLine-1 && len(toks) > 0 && toks[0].Kind == Document {
				return best
			}
			keys := keysOf(toks)
			left := false
			for _, k := range keys {
				if k.Column <= parentCol && li > cur {
					left = true
					break
				}
				if k.Name == seg && k.Column > parentCol {
					best, cur, parentCol, found = li+1, li, k.Column, true
					break
				}
			}
			if found || left {
				break
			}
		}
		if !found {
			return best
		}
	}
	return best
}
