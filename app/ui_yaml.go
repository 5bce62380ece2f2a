package main

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubetab/kubetab/engine/api"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// This file holds the editor's pure parts: the YAML highlighter and the placement of decode
// and validation errors on lines. They take text and return plain values, so tests run
// natively and the editor component only turns the values into elements.

// tokenKind says how a piece of a YAML line is coloured.
type tokenKind uint8

const (
	tokPlain    tokenKind = iota // blanks and anything unclassified
	tokKey                       // a mapping key
	tokString                    // a quoted string or a block scalar's content
	tokValue                     // an unquoted scalar value
	tokNumber                    // an integer or float
	tokLiteral                   // true, false, null, ~
	tokComment                   // # to the end of the line
	tokPunct                     // : - { } [ ] , | >
	tokDocument                  // --- and ...
	tokAnchor                    // &anchor, *alias, !tag
)

// tokenClass is the CSS class of a kind (public/web/app.css colours them).
func (k tokenKind) class() string {
	switch k {
	case tokKey:
		return "tok-key"
	case tokString:
		return "tok-string"
	case tokValue:
		return "tok-value"
	case tokNumber:
		return "tok-number"
	case tokLiteral:
		return "tok-literal"
	case tokComment:
		return "tok-comment"
	case tokPunct:
		return "tok-punct"
	case tokDocument:
		return "tok-doc"
	case tokAnchor:
		return "tok-anchor"
	}
	return "tok-plain"
}

// yamlToken is a piece of one line; a line's tokens concatenate to the line exactly.
type yamlToken struct {
	Kind tokenKind
	Text string
}

// highlighter carries what one line leaves open for the next: a quoted string (KYAML
// continues double-quoted strings over lines), a block scalar (| or >), flow nesting.
type highlighter struct {
	quote       byte // '"' or '\'' while a quoted string continues, else 0
	blockIndent int  // indentation of the line that opened a block scalar; -1: none
	flowDepth   int
}

var (
	numberRE  = regexp.MustCompile(`^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.Inf|\.nan|\.NaN)$`)
	blockRE   = regexp.MustCompile(`^[|>][-+0-9]*$`)
	literalOf = map[string]bool{"true": true, "false": true, "True": true, "False": true, "TRUE": true, "FALSE": true, "null": true, "Null": true, "NULL": true, "~": true}
)

// highlightYAML splits text into lines of tokens (block style and KYAML flow style).
func highlightYAML(text string) [][]yamlToken {
	h := &highlighter{blockIndent: -1}
	lines := strings.Split(text, "\n")
	out := make([][]yamlToken, len(lines))
	for i, l := range lines {
		out[i] = h.line(l)
	}
	return out
}

func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " \t"))
}

func (h *highlighter) line(line string) []yamlToken {
	var toks []yamlToken
	emit := func(k tokenKind, s string) {
		if s == "" {
			return
		}
		if n := len(toks); n > 0 && toks[n-1].Kind == k && k != tokKey {
			toks[n-1].Text += s
			return
		}
		toks = append(toks, yamlToken{k, s})
	}
	// Inside a block scalar: blank lines and deeper lines are content.
	if h.blockIndent >= 0 {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || indentOf(line) > h.blockIndent {
			emit(tokString, line)
			return toks
		}
		h.blockIndent = -1
	}
	i := 0
	// A quoted string left open by the line before.
	if h.quote != 0 {
		end, closed := scanQuoted(line, 0, h.quote)
		emit(tokString, line[:end])
		i = end
		if !closed {
			return toks
		}
		h.quote = 0
	}
	ind := indentOf(line)
	if i == 0 {
		emit(tokPlain, line[:ind])
		i = ind
		rest := line[i:]
		if ind == 0 && (rest == "---" || rest == "..." || strings.HasPrefix(rest, "--- ") || strings.HasPrefix(rest, "... ")) {
			emit(tokDocument, line[:3])
			i = 3
		}
	}
	atValue := false // after a key's colon: a | or > opens a block scalar
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			j := i
			for j < len(line) && (line[j] == ' ' || line[j] == '\t' || line[j] == '\r') {
				j++
			}
			emit(tokPlain, line[i:j])
			i = j
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			emit(tokComment, line[i:])
			i = len(line)
		case c == '{' || c == '[':
			h.flowDepth++
			emit(tokPunct, line[i:i+1])
			i++
		case c == '}' || c == ']':
			if h.flowDepth > 0 {
				h.flowDepth--
			}
			emit(tokPunct, line[i:i+1])
			i++
		case c == ',' && (h.flowDepth > 0 || strings.HasSuffix(strings.TrimRight(line[:i], " "), "}") || strings.HasSuffix(strings.TrimRight(line[:i], " "), "]")):
			emit(tokPunct, ",")
			i++
		case c == '-' && h.flowDepth == 0 && (i+1 == len(line) || line[i+1] == ' ') && strings.Trim(line[:i], " -") == "":
			// A sequence entry indicator (possibly after others: "- - x").
			emit(tokPunct, "-")
			atValue = true
			i++
		case c == ':' && (i+1 == len(line) || line[i+1] == ' ' || (h.flowDepth > 0 && strings.IndexByte(",}]", line[i+1]) >= 0)):
			emit(tokPunct, ":")
			atValue = true
			i++
		case c == '"' || c == '\'':
			end, closed := scanQuoted(line, i+1, c)
			kind := tokString
			if closed && isKeyAt(line, end, h.flowDepth) {
				kind = tokKey
			}
			emit(kind, line[i:end])
			i = end
			if !closed {
				h.quote = c
			}
		case (c == '&' || c == '*' || c == '!') && (i == 0 || line[i-1] == ' ' || line[i-1] == '[' || line[i-1] == '{'):
			j := i + 1
			for j < len(line) && line[j] != ' ' && line[j] != ',' && line[j] != ']' && line[j] != '}' {
				j++
			}
			emit(tokAnchor, line[i:j])
			i = j
		default:
			j := plainEnd(line, i, h.flowDepth)
			word := line[i:j]
			trimmed := strings.TrimRight(word, " \t")
			switch {
			case isKeyAt(line, j, h.flowDepth):
				emit(tokKey, word)
			case atValue && h.flowDepth == 0 && blockRE.MatchString(trimmed) && endsValue(line[j:]):
				emit(tokPunct, word)
				h.blockIndent = ind
			case literalOf[trimmed]:
				emit(tokLiteral, word)
			case numberRE.MatchString(trimmed):
				emit(tokNumber, word)
			default:
				emit(tokValue, word)
			}
			if j == i { // never stall
				j++
				emit(tokPlain, line[i:j])
			}
			i = j
		}
	}
	return toks
}

// endsValue reports whether nothing but blanks and a comment follow.
func endsValue(rest string) bool {
	rest = strings.TrimSpace(rest)
	return rest == "" || strings.HasPrefix(rest, "#")
}

// scanQuoted returns the end of a quoted string starting after its opening quote at from
// (just past the closing quote), and whether it closed on this line.
func scanQuoted(line string, from int, q byte) (end int, closed bool) {
	for j := from; j < len(line); j++ {
		switch {
		case q == '"' && line[j] == '\\':
			j++
		case q == '\'' && line[j] == '\'' && j+1 < len(line) && line[j+1] == '\'':
			j++
		case line[j] == q:
			return j + 1, true
		}
	}
	return len(line), false
}

// plainEnd finds where an unquoted scalar starting at i ends: before ": ", " #", or a flow
// indicator inside flow collections. Trailing blanks stay with the scalar only when they
// end the line.
func plainEnd(line string, i, flowDepth int) int {
	j := i
	for j < len(line) {
		c := line[j]
		if c == ':' && (j+1 == len(line) || line[j+1] == ' ' || (flowDepth > 0 && strings.IndexByte(",}]", line[j+1]) >= 0)) {
			break
		}
		if c == '#' && j > i && (line[j-1] == ' ' || line[j-1] == '\t') {
			break
		}
		if flowDepth > 0 && strings.IndexByte(",{}[]", c) >= 0 {
			break
		}
		j++
	}
	// Leave blanks before a comment or a colon to the plain token that follows.
	for j > i && (line[j-1] == ' ' || line[j-1] == '\t') {
		j--
	}
	return j
}

// isKeyAt reports whether position j (just after a scalar) is followed by a key colon.
func isKeyAt(line string, j, flowDepth int) bool {
	for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
		j++
	}
	if j >= len(line) || line[j] != ':' {
		return false
	}
	return j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t' || (flowDepth > 0 && strings.IndexByte(",}]\"", line[j+1]) >= 0)
}

// lineKeys lists the mapping keys a highlighted line holds, with their byte columns and
// their text without quotes.
type lineKey struct {
	Column int
	Name   string
}

func keysOf(toks []yamlToken) []lineKey {
	var keys []lineKey
	col := 0
	for _, t := range toks {
		if t.Kind == tokKey {
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

// editorProblem is an error shown in the editor at a line (1-based; Column 0: the whole
// line).
type editorProblem struct {
	Line, Column int
	Msg          string
}

// manifestProblems decodes the text as `kubectl apply -f -` would and validates each object
// as the API server would on create, and places every error on a line: the decoder's line
// and column for syntax errors, the field's line for field and validation errors (found by
// walking the field path through the keys), else the document's first line.
func manifestProblems(text string) []editorProblem {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	lines := highlightYAML(text)
	var out []editorProblem
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
			out = append(out, editorProblem{Line: line, Msg: invalidMessage(d.Object, fe)})
		}
	}
	return out
}

func placeDecodeError(d api.Document, lines [][]yamlToken) editorProblem {
	p := editorProblem{Line: d.Line, Msg: d.Err.Error()}
	var syn *api.SyntaxError
	var fe *api.FieldError
	switch {
	case errors.As(d.Err, &syn):
		if syn.Line > 0 {
			p.Line, p.Column = syn.Line, syn.Column
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
func fieldLine(lines [][]yamlToken, docLine int, path string) int {
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
			if li > docLine-1 && len(toks) > 0 && toks[0].Kind == tokDocument {
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
