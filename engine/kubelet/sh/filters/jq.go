package filters

import (
	"encoding/base64"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A jq for what docs pipe kubectl's JSON into: paths (.a.b, ."k", .[n], .[], .[a:b], ?),
// pipes, commas, //, and/or/not, comparisons, arithmetic, array and object construction,
// string interpolation, if/then/elif/else/end, $variables from --arg, and the builtins
// listed in jqBuiltins. Objects keep their keys in input order, as jq prints them.

// jqObject is a JSON object with its keys in order.
type jqObject struct {
	keys []string
	m    map[string]any
}

func (o *jqObject) set(k string, v any) {
	if _, ok := o.m[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.m[k] = v
}

func newObject() *jqObject { return &jqObject{m: map[string]any{}} }

// ---- JSON in ----

type jsonReader struct {
	s   string
	pos int
}

func (r *jsonReader) space() {
	for r.pos < len(r.s) && strings.IndexByte(" \t\r\n", r.s[r.pos]) >= 0 {
		r.pos++
	}
}

type jqError struct{ msg string }

func (r *jsonReader) fail() {
	line := 1 + strings.Count(r.s[:r.pos], "\n")
	panic(&jqError{"Unfinished JSON term at EOF at line " + strconv.Itoa(line) + ", column " + strconv.Itoa(r.pos-strings.LastIndexByte(r.s[:r.pos], '\n')-1)})
}

func (r *jsonReader) value() any {
	r.space()
	if r.pos >= len(r.s) {
		r.fail()
	}
	switch c := r.s[r.pos]; {
	case c == '{':
		r.pos++
		o := newObject()
		r.space()
		if r.pos < len(r.s) && r.s[r.pos] == '}' {
			r.pos++
			return o
		}
		for {
			r.space()
			k, ok := r.value().(string)
			r.space()
			if !ok || r.pos >= len(r.s) || r.s[r.pos] != ':' {
				r.fail()
			}
			r.pos++
			o.set(k, r.value())
			r.space()
			if r.pos < len(r.s) && r.s[r.pos] == ',' {
				r.pos++
				continue
			}
			if r.pos < len(r.s) && r.s[r.pos] == '}' {
				r.pos++
				return o
			}
			r.fail()
		}
	case c == '[':
		r.pos++
		a := []any{}
		r.space()
		if r.pos < len(r.s) && r.s[r.pos] == ']' {
			r.pos++
			return a
		}
		for {
			a = append(a, r.value())
			r.space()
			if r.pos < len(r.s) && r.s[r.pos] == ',' {
				r.pos++
				continue
			}
			if r.pos < len(r.s) && r.s[r.pos] == ']' {
				r.pos++
				return a
			}
			r.fail()
		}
	case c == '"':
		i := r.pos + 1
		for ; i < len(r.s) && r.s[i] != '"'; i++ {
			if r.s[i] == '\\' {
				i++
			}
		}
		if i >= len(r.s) {
			r.fail()
		}
		s, err := strconv.Unquote(strings.ReplaceAll(r.s[r.pos:i+1], `\/`, `/`))
		if err != nil {
			r.fail()
		}
		r.pos = i + 1
		return s
	default:
		for _, lit := range []struct {
			s string
			v any
		}{{"true", true}, {"false", false}, {"null", nil}} {
			if strings.HasPrefix(r.s[r.pos:], lit.s) {
				r.pos += len(lit.s)
				return lit.v
			}
		}
		i := r.pos
		for i < len(r.s) && strings.IndexByte("+-.eE0123456789", r.s[i]) >= 0 {
			i++
		}
		f, err := strconv.ParseFloat(r.s[r.pos:i], 64)
		if err != nil {
			r.fail()
		}
		r.pos = i
		return f
	}
}

// ---- JSON out ----

func jqNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e17 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}

func jqQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u00` + strconv.FormatInt(int64(r)>>4, 16) + strconv.FormatInt(int64(r)&15, 16))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// jqWrite writes v as JSON; indent "" is jq -c.
func jqWrite(b *strings.Builder, v any, indent, at string) {
	nl := func(depth string) {
		if indent != "" {
			b.WriteString("\n" + depth)
		}
	}
	sep := ":"
	if indent != "" {
		sep = ": "
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		b.WriteString(jqNumber(x))
	case string:
		b.WriteString(jqQuote(x))
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(at + indent)
			jqWrite(b, e, indent, at+indent)
		}
		nl(at)
		b.WriteByte(']')
	case *jqObject:
		if len(x.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(at + indent)
			b.WriteString(jqQuote(k) + sep)
			jqWrite(b, x.m[k], indent, at+indent)
		}
		nl(at)
		b.WriteByte('}')
	}
}

func jqText(v any) string {
	var b strings.Builder
	jqWrite(&b, v, "", "")
	return b.String()
}

func jqType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

// ---- filters ----

// jqNode is a parsed filter.
type jqNode struct {
	op   string
	fn   int // a builtin's index in jqNames
	s    string
	v    any
	kids []*jqNode
}

type jqParser struct {
	src string
	pos int
}

func (p *jqParser) fail(msg string) {
	panic(&jqError{"syntax error, " + msg + " at <top-level>, line 1:\n" + p.src})
}

func (p *jqParser) space() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *jqParser) eat(s string) bool {
	p.space()
	if !strings.HasPrefix(p.src[p.pos:], s) || s == "/" && strings.HasPrefix(p.src[p.pos:], "//") {
		return false
	}
	if isJqIdent(s[len(s)-1]) && p.pos+len(s) < len(p.src) && isJqIdent(p.src[p.pos+len(s)]) {
		return false
	}
	p.pos += len(s)
	return true
}

func (p *jqParser) want(s string) {
	if !p.eat(s) {
		p.unexpected()
	}
}

func (p *jqParser) unexpected() {
	p.space()
	if p.pos >= len(p.src) {
		p.fail("unexpected end of file (Unix shell quoting issues?)")
	}
	p.fail("unexpected " + strconv.Quote(p.src[p.pos:p.pos+1]) + " (Unix shell quoting issues?)")
}

func isJqIdent(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func (p *jqParser) ident() string {
	p.space()
	i := p.pos
	for i < len(p.src) && (isJqIdent(p.src[i]) || p.src[i] == '$' && i == p.pos || p.src[i] == '@' && i == p.pos) {
		i++
	}
	id := p.src[p.pos:i]
	p.pos = i
	return id
}

// Precedence, lowest first: | , // or and comparisons +- */% postfix.
var jqLevels = [][]string{{"|"}, {","}, {"//"}, {"or"}, {"and"}, {"==", "!=", "<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}}

func (p *jqParser) expr(level int) *jqNode {
	if level == len(jqLevels) {
		return p.postfix(p.primary())
	}
	l := p.expr(level + 1)
	for {
		op := ""
		for _, o := range jqLevels[level] {
			if p.eat(o) {
				op = o
				break
			}
		}
		if op == "" {
			return l
		}
		next := level + 1
		if op == "|" || op == "//" {
			next = level // right associative
		}
		l = &jqNode{op: op, kids: []*jqNode{l, p.expr(next)}}
	}
}

func (p *jqParser) postfix(n *jqNode) *jqNode {
	for {
		p.space()
		switch {
		case p.pos+1 < len(p.src) && p.src[p.pos] == '.' && (isJqIdent(p.src[p.pos+1]) || p.src[p.pos+1] == '"'):
			p.pos++
			n = &jqNode{op: "index", kids: []*jqNode{n, {op: "lit", v: p.key()}}}
		case p.pos+1 < len(p.src) && p.src[p.pos] == '.' && p.src[p.pos+1] == '[':
			p.pos++
		case p.eat("["):
			n = p.bracket(n)
		case p.eat("?"):
			n = &jqNode{op: "try", kids: []*jqNode{n}}
		default:
			return n
		}
	}
}

// key reads a field name after a dot: a name or a string.
func (p *jqParser) key() string {
	if p.src[p.pos] == '"' {
		s := p.primary()
		if s.op != "lit" {
			p.fail("unexpected interpolation in a key")
		}
		return s.v.(string)
	}
	return p.ident()
}

// bracket reads what follows [ after n: ], an index, or a slice.
func (p *jqParser) bracket(n *jqNode) *jqNode {
	if p.eat("]") {
		return &jqNode{op: "each", kids: []*jqNode{n}}
	}
	var from, to *jqNode
	if !p.eat(":") {
		from = p.expr(0)
		if !p.eat(":") {
			p.want("]")
			return &jqNode{op: "index", kids: []*jqNode{n, from}}
		}
	}
	if !p.eat("]") {
		to = p.expr(0)
		p.want("]")
	}
	return &jqNode{op: "slice", kids: []*jqNode{n, from, to}}
}

func (p *jqParser) primary() *jqNode {
	p.space()
	if p.pos >= len(p.src) {
		p.fail("unexpected end of file")
	}
	dot := &jqNode{op: "."}
	switch c := p.src[p.pos]; {
	case c == '.':
		p.pos++
		if p.pos < len(p.src) && (isJqIdent(p.src[p.pos]) || p.src[p.pos] == '"') {
			return &jqNode{op: "index", kids: []*jqNode{dot, {op: "lit", v: p.key()}}}
		}
		if p.eat("[") {
			return p.bracket(dot)
		}
		return dot
	case c == '"':
		return p.str()
	case c >= '0' && c <= '9':
		i := p.pos
		for i < len(p.src) && strings.IndexByte("0123456789.eE", p.src[i]) >= 0 {
			i++
		}
		f, err := strconv.ParseFloat(p.src[p.pos:i], 64)
		if err != nil {
			p.fail("bad number")
		}
		p.pos = i
		return &jqNode{op: "lit", v: f}
	case c == '(':
		p.pos++
		n := p.expr(0)
		p.want(")")
		return n
	case c == '[':
		p.pos++
		if p.eat("]") {
			return &jqNode{op: "array"}
		}
		n := &jqNode{op: "array", kids: []*jqNode{p.expr(0)}}
		p.want("]")
		return n
	case c == '{':
		p.pos++
		return p.object()
	case c == '-':
		p.pos++
		return &jqNode{op: "-", kids: []*jqNode{{op: "lit", v: 0.0}, p.postfix(p.primary())}}
	}
	name := p.ident()
	switch name {
	case "":
		p.unexpected()
	case "true", "false":
		return &jqNode{op: "lit", v: name == "true"}
	case "null":
		return &jqNode{op: "lit"}
	case "if":
		n := &jqNode{op: "if", kids: []*jqNode{p.expr(0)}}
		p.want("then")
		n.kids = append(n.kids, p.expr(0))
		switch {
		case p.eat("elif"):
			p.pos -= 2 // "elif" reads as "if" after an "el"
			n.kids = append(n.kids, p.primary())
			return n
		case p.eat("else"):
			n.kids = append(n.kids, p.expr(0))
		}
		p.want("end")
		return n
	}
	if name[0] == '$' {
		return &jqNode{op: "var", s: name}
	}
	n := &jqNode{op: "call", s: name, fn: -1}
	for i, b := range jqNames {
		if b == name {
			n.fn = i
		}
	}
	if p.eat("(") {
		for {
			n.kids = append(n.kids, p.expr(0))
			if !p.eat(";") {
				break
			}
		}
		p.want(")")
	}
	if want, ok := jqArity[name]; !ok || want != len(n.kids) {
		panic(&jqError{name + "/" + strconv.Itoa(len(n.kids)) + " is not defined at <top-level>, line 1:\n" + p.src})
	}
	return n
}

// str reads a string literal, with \(...) interpolations.
func (p *jqParser) str() *jqNode {
	p.pos++
	var parts []*jqNode
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			p.fail("unterminated string")
		}
		c := p.src[p.pos]
		p.pos++
		switch {
		case c == '"':
			if len(parts) == 0 {
				return &jqNode{op: "lit", v: b.String()}
			}
			parts = append(parts, &jqNode{op: "lit", v: b.String()})
			return &jqNode{op: "interp", kids: parts}
		case c == '\\' && p.pos < len(p.src) && p.src[p.pos] == '(':
			p.pos++
			parts = append(parts, &jqNode{op: "lit", v: b.String()}, p.expr(0))
			b.Reset()
			p.want(")")
		case c == '\\' && p.pos < len(p.src):
			e := p.src[p.pos]
			p.pos++
			if r, ok := map[byte]string{'n': "\n", 't': "\t", 'r': "\r", '"': "\"", '\\': "\\", '/': "/", 'b': "\b", 'f': "\f"}[e]; ok {
				b.WriteString(r)
			} else {
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
}

// object reads {k: v, "k": v, (f): v, k, $v} after its {.
func (p *jqParser) object() *jqNode {
	n := &jqNode{op: "object"}
	if p.eat("}") {
		return n
	}
	for {
		p.space()
		var k, v *jqNode
		switch {
		case p.pos < len(p.src) && p.src[p.pos] == '"':
			k = p.str()
		case p.eat("("):
			k = p.expr(0)
			p.want(")")
		default:
			name := p.ident()
			if name == "" {
				p.unexpected()
			}
			if name[0] == '$' {
				k, v = &jqNode{op: "lit", v: name[1:]}, &jqNode{op: "var", s: name}
			} else {
				k = &jqNode{op: "lit", v: name}
			}
		}
		if p.eat(":") {
			v = p.expr(2) // a value stops at , and }
		} else if v == nil {
			v = &jqNode{op: "index", kids: []*jqNode{{op: "."}, k}}
		}
		n.kids = append(n.kids, k, v)
		if p.eat("}") {
			return n
		}
		p.want(",")
	}
}

// The builtins, by index into jqNames (jqNode.fn).
const (
	fnEmpty = iota
	fnNot
	fnLength
	fnKeys
	fnKeysUnsorted
	fnValues
	fnHas
	fnSelect
	fnMap
	fnMapValues
	fnWithEntries
	fnToEntries
	fnFromEntries
	fnAdd
	fnFirst
	fnLast
	fnSort
	fnSortBy
	fnUnique
	fnUniqueBy
	fnGroupBy
	fnReverse
	fnMin
	fnMax
	fnMinBy
	fnMaxBy
	fnAny
	fnAll
	fnJoin
	fnTostring
	fnAtText
	fnTojson
	fnAtJson
	fnFromjson
	fnTonumber
	fnFloor
	fnType
	fnAsciiDowncase
	fnAsciiUpcase
	fnTest
	fnStartswith
	fnEndswith
	fnLtrimstr
	fnRtrimstr
	fnSplit
	fnIndex
	fnContains
	fnRange
	fnAtBase64
	fnAtBase64d
	fnAtCsv
	fnAtTsv
	fnPaths
	fnLeafPaths
	fnGetpath
)

// jqNames are the builtins' names, by their index.
var jqNames = [...]string{"empty", "not", "length", "keys", "keys_unsorted", "values", "has", "select", "map", "map_values", "with_entries", "to_entries", "from_entries", "add", "first", "last", "sort", "sort_by", "unique", "unique_by", "group_by", "reverse", "min", "max", "min_by", "max_by", "any", "all", "join", "tostring", "@text", "tojson", "@json", "fromjson", "tonumber", "floor", "type", "ascii_downcase", "ascii_upcase", "test", "startswith", "endswith", "ltrimstr", "rtrimstr", "split", "index", "contains", "range", "@base64", "@base64d", "@csv", "@tsv", "paths", "leaf_paths", "getpath"}

// jqArity lists the builtins and how many arguments each takes.
var jqArity = map[string]int{
	"empty": 0, "not": 0, "length": 0, "keys": 0, "keys_unsorted": 0, "values": 0, "to_entries": 0,
	"from_entries": 0, "add": 0, "first": 0, "last": 0, "sort": 0, "unique": 0, "reverse": 0, "min": 0,
	"max": 0, "tostring": 0, "tonumber": 0, "type": 0, "ascii_downcase": 0, "ascii_upcase": 0, "any": 0,
	"all": 0, "@base64": 0, "@base64d": 0, "@text": 0, "@json": 0, "@csv": 0, "@tsv": 0, "tojson": 0,
	"fromjson": 0, "floor": 0, "has": 1, "select": 1, "map": 1, "map_values": 1, "with_entries": 1,
	"sort_by": 1, "group_by": 1, "unique_by": 1, "join": 1, "test": 1, "startswith": 1, "endswith": 1,
	"contains": 1, "split": 1, "ltrimstr": 1, "rtrimstr": 1, "min_by": 1, "max_by": 1, "range": 1,
	"index": 1, "paths": 0, "leaf_paths": 0, "getpath": 1,
}

type jqRun struct {
	vars map[string]any
	c    *Call
}

func (r *jqRun) fail(format string, a ...string) {
	for _, s := range a {
		format = strings.Replace(format, "%s", s, 1)
	}
	panic(&jqError{format})
}

// stream runs n on input and hands each output to emit as soon as it is known, through
// pipes and commas, so that what came before an error is printed, as jq does.
func (r *jqRun) stream(n *jqNode, in any, emit func(any) bool) bool {
	switch n.op {
	case ",":
		return r.stream(n.kids[0], in, emit) && r.stream(n.kids[1], in, emit)
	case "|":
		return r.stream(n.kids[0], in, func(v any) bool { return r.stream(n.kids[1], v, emit) })
	case "each":
		if n.kids[0].op == "." {
			for _, v := range r.eval(n, in) {
				if !emit(v) {
					return false
				}
			}
			return true
		}
		return r.stream(n.kids[0], in, func(v any) bool {
			return r.stream(&jqNode{op: "each", kids: []*jqNode{{op: "."}}}, v, emit)
		})
	}
	for _, v := range r.eval(n, in) {
		if !emit(v) {
			return false
		}
	}
	return true
}

// eval runs n on input and returns its outputs.
func (r *jqRun) eval(n *jqNode, in any) []any {
	if !r.c.Step() {
		r.fail("stopped: too many steps")
	}
	k := n.kids
	switch n.op {
	case ".":
		return []any{in}
	case "lit":
		return []any{n.v}
	case "var":
		v, ok := r.vars[n.s]
		if !ok {
			r.fail("%s is not defined", n.s)
		}
		return []any{v}
	case "|":
		var out []any
		for _, v := range r.eval(k[0], in) {
			out = append(out, r.eval(k[1], v)...)
		}
		return out
	case ",":
		return append(r.eval(k[0], in), r.eval(k[1], in)...)
	case "//":
		var out []any
		for _, v := range r.try(k[0], in) {
			if v != nil && v != false {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return r.eval(k[1], in)
		}
		return out
	case "try":
		return r.try(k[0], in)
	case "index":
		var out []any
		for _, t := range r.eval(k[0], in) {
			for _, i := range r.eval(k[1], in) {
				out = append(out, r.index(t, i))
			}
		}
		return out
	case "slice":
		var out []any
		for _, t := range r.eval(k[0], in) {
			out = append(out, r.slice(t, r.bound(k[1], in), r.bound(k[2], in)))
		}
		return out
	case "each":
		var out []any
		for _, t := range r.eval(k[0], in) {
			switch x := t.(type) {
			case []any:
				out = append(out, x...)
			case *jqObject:
				for _, key := range x.keys {
					out = append(out, x.m[key])
				}
			default:
				r.fail("Cannot iterate over %s", jqDescribe(t))
			}
		}
		return out
	case "array":
		out := []any{}
		if len(k) > 0 {
			out = append(out, r.eval(k[0], in)...)
		}
		return []any{out}
	case "object":
		objs := []*jqObject{newObject()}
		for i := 0; i < len(k); i += 2 {
			var next []*jqObject
			for _, key := range r.eval(k[i], in) {
				ks, ok := key.(string)
				if !ok {
					r.fail("Object keys must be strings")
				}
				for _, v := range r.eval(k[i+1], in) {
					for _, o := range objs {
						c := newObject()
						for _, ok := range o.keys {
							c.set(ok, o.m[ok])
						}
						c.set(ks, v)
						next = append(next, c)
					}
				}
			}
			objs = next
		}
		out := make([]any, len(objs))
		for i, o := range objs {
			out[i] = o
		}
		return out
	case "interp":
		outs := []any{""}
		for _, part := range k {
			var next []any
			for _, v := range r.eval(part, in) {
				s, ok := v.(string)
				if !ok || part.op != "lit" {
					s = jqString(v)
				}
				for _, o := range outs {
					next = append(next, o.(string)+s)
				}
			}
			outs = next
		}
		return outs
	case "if":
		var out []any
		for _, c := range r.eval(k[0], in) {
			switch {
			case c != nil && c != false:
				out = append(out, r.eval(k[1], in)...)
			case len(k) > 2:
				out = append(out, r.eval(k[2], in)...)
			default:
				out = append(out, in)
			}
		}
		return out
	case "or", "and":
		var out []any
		for _, a := range r.eval(k[0], in) {
			ta := a != nil && a != false
			if n.op == "or" && ta || n.op == "and" && !ta {
				out = append(out, ta)
				continue
			}
			for _, b := range r.eval(k[1], in) {
				out = append(out, b != nil && b != false)
			}
		}
		return out
	case "call":
		return r.call(n, in)
	}
	// Binary operators: every pair of outputs, the right side's first.
	var out []any
	for _, b := range r.eval(k[1], in) {
		for _, a := range r.eval(k[0], in) {
			out = append(out, r.binary(n.op, a, b))
		}
	}
	return out
}

func (r *jqRun) try(n *jqNode, in any) (out []any) {
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(*jqError); !ok {
				panic(e)
			}
		}
	}()
	return r.eval(n, in)
}

func (r *jqRun) bound(n *jqNode, in any) any {
	if n == nil {
		return nil
	}
	vs := r.eval(n, in)
	if len(vs) == 0 {
		return nil
	}
	return vs[0]
}

// jqDescribe names a value as jq's errors do: its type and, shortened, its text.
func jqDescribe(v any) string {
	t := jqText(v)
	if len(t) > 11 {
		t = t[:10] + "..."
	}
	return jqType(v) + " (" + t + ")"
}

func (r *jqRun) index(t, i any) any {
	switch x := t.(type) {
	case nil:
		return nil
	case *jqObject:
		if s, ok := i.(string); ok {
			return x.m[s]
		}
	case []any:
		if f, ok := i.(float64); ok {
			n := int(math.Floor(f))
			if n < 0 {
				n += len(x)
			}
			if n < 0 || n >= len(x) {
				return nil
			}
			return x[n]
		}
	}
	if s, ok := i.(string); ok {
		r.fail("Cannot index %s with \"%s\"", jqType(t), s)
	}
	r.fail("Cannot index %s with %s", jqType(t), jqType(i))
	return nil
}

func (r *jqRun) slice(t, from, to any) any {
	n := 0
	switch x := t.(type) {
	case nil:
		return nil
	case []any:
		n = len(x)
	case string:
		n = len(x)
	default:
		r.fail("Cannot index %s with object", jqType(t))
	}
	at := func(v any, def int) int {
		f, ok := v.(float64)
		if !ok {
			return def
		}
		i := int(f)
		if i < 0 {
			i += n
		}
		return max(0, min(i, n))
	}
	lo, hi := at(from, 0), at(to, n)
	if hi < lo {
		hi = lo
	}
	if s, ok := t.(string); ok {
		return s[lo:hi]
	}
	return append([]any{}, t.([]any)[lo:hi]...)
}

// jqCompare orders values as jq does: null < false < true < numbers < strings < arrays <
// objects.
func jqCompare(a, b any) int {
	rank := map[string]int{"null": 0, "boolean": 1, "number": 2, "string": 3, "array": 4, "object": 5}
	ta, tb := jqType(a), jqType(b)
	if ta != tb {
		return rank[ta] - rank[tb]
	}
	switch x := a.(type) {
	case bool:
		if x == b.(bool) {
			return 0
		}
		if x {
			return 1
		}
		return -1
	case float64:
		switch y := b.(float64); {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case string:
		return strings.Compare(x, b.(string))
	case []any:
		y := b.([]any)
		for i := 0; i < len(x) && i < len(y); i++ {
			if c := jqCompare(x[i], y[i]); c != 0 {
				return c
			}
		}
		return len(x) - len(y)
	case *jqObject:
		y := b.(*jqObject)
		ka, kb := sortedKeys(x), sortedKeys(y)
		if c := jqCompare(stringsAny(ka), stringsAny(kb)); c != 0 {
			return c
		}
		for _, key := range ka {
			if c := jqCompare(x.m[key], y.m[key]); c != 0 {
				return c
			}
		}
	}
	return 0
}

func sortedKeys(o *jqObject) []string {
	ks := append([]string(nil), o.keys...)
	sort.Strings(ks)
	return ks
}

func stringsAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (r *jqRun) binary(op string, a, b any) any {
	switch op {
	case "==":
		return jqCompare(a, b) == 0
	case "!=":
		return jqCompare(a, b) != 0
	case "<":
		return jqCompare(a, b) < 0
	case "<=":
		return jqCompare(a, b) <= 0
	case ">":
		return jqCompare(a, b) > 0
	case ">=":
		return jqCompare(a, b) >= 0
	}
	fa, na := a.(float64)
	fb, nb := b.(float64)
	switch {
	case na && nb:
		switch op {
		case "+":
			return fa + fb
		case "-":
			return fa - fb
		case "*":
			return fa * fb
		case "/":
			if fb == 0 {
				r.fail("%s and %s cannot be divided because the divisor is zero", jqDescribe(a), jqDescribe(b))
			}
			return fa / fb
		case "%":
			if int(fb) == 0 {
				r.fail("%s and %s cannot be divided because the divisor is zero", jqDescribe(a), jqDescribe(b))
			}
			return float64(int(fa) % int(fb))
		}
	case op == "+" && a == nil:
		return b
	case op == "+" && b == nil:
		return a
	}
	if op == "+" {
		switch x := a.(type) {
		case string:
			if y, ok := b.(string); ok {
				return x + y
			}
		case []any:
			if y, ok := b.([]any); ok {
				return append(append([]any{}, x...), y...)
			}
		case *jqObject:
			if y, ok := b.(*jqObject); ok {
				o := newObject()
				for _, k := range x.keys {
					o.set(k, x.m[k])
				}
				for _, k := range y.keys {
					o.set(k, y.m[k])
				}
				return o
			}
		}
	}
	if op == "/" {
		if x, ok := a.(string); ok {
			if y, ok := b.(string); ok {
				return stringsAny(strings.Split(x, y))
			}
		}
	}
	verb := map[string]string{"+": "added", "-": "subtracted", "*": "multiplied", "/": "divided", "%": "divided"}[op]
	r.fail("%s and %s cannot be "+verb, jqDescribe(a), jqDescribe(b))
	return nil
}

// jqString is tostring: a string as it is, anything else as JSON.
func jqString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jqText(v)
}

// elems are the elements of an array or the values of an object.
func (r *jqRun) elems(in any, name string) []any {
	switch x := in.(type) {
	case []any:
		return x
	case *jqObject:
		out := make([]any, len(x.keys))
		for i, k := range x.keys {
			out[i] = x.m[k]
		}
		return out
	}
	r.fail("Cannot iterate over %s", jqDescribe(in))
	return nil
}

// first is the first output of f, or null.
func (r *jqRun) first(f *jqNode, in any) any {
	vs := r.eval(f, in)
	if len(vs) == 0 {
		return nil
	}
	return vs[0]
}

func (r *jqRun) sortBy(in any, f *jqNode) []any {
	xs := append([]any{}, r.elems(in, "sort")...)
	keys := make([]any, len(xs))
	for i, x := range xs {
		if f != nil {
			keys[i] = []any(r.eval(f, x))
		} else {
			keys[i] = x
		}
	}
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return jqCompare(keys[idx[a]], keys[idx[b]]) < 0 })
	out := make([]any, len(xs))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func (r *jqRun) str(v any, name string) string {
	s, ok := v.(string)
	if !ok {
		r.fail("%s cannot be %s", jqDescribe(v), name)
	}
	return s
}

func (r *jqRun) call(n *jqNode, in any) []any {
	arg := func(i int) any { return r.first(n.kids[i], in) }
	one := func(v any) []any { return []any{v} }
	switch n.fn {
	case fnEmpty:
		return nil
	case fnNot:
		return one(in == nil || in == false)
	case fnLength:
		switch x := in.(type) {
		case nil:
			return one(0.0)
		case bool:
			r.fail("boolean (%s) has no length", jqText(x))
		case float64:
			return one(math.Abs(x))
		case string:
			return one(float64(len([]rune(x))))
		case []any:
			return one(float64(len(x)))
		case *jqObject:
			return one(float64(len(x.keys)))
		}
	case fnKeys, fnKeysUnsorted:
		switch x := in.(type) {
		case *jqObject:
			ks := x.keys
			if n.s == "keys" {
				ks = sortedKeys(x)
			}
			return one(stringsAny(ks))
		case []any:
			out := make([]any, len(x))
			for i := range x {
				out[i] = float64(i)
			}
			return one(out)
		}
		r.fail("%s has no keys", jqDescribe(in))
	case fnValues:
		if in == nil {
			return nil
		}
		return one(in)
	case fnHas:
		switch x := in.(type) {
		case *jqObject:
			_, ok := x.m[r.str(arg(0), "checked")]
			return one(ok)
		case []any:
			f, _ := arg(0).(float64)
			return one(f >= 0 && int(f) < len(x))
		}
		r.fail("Cannot check whether %s has a key", jqType(in))
	case fnSelect:
		var out []any
		for _, c := range r.eval(n.kids[0], in) {
			if c != nil && c != false {
				out = append(out, in)
			}
		}
		return out
	case fnMap:
		out := []any{}
		for _, e := range r.elems(in, "map") {
			out = append(out, r.eval(n.kids[0], e)...)
		}
		return one(out)
	case fnMapValues, fnWithEntries:
		if n.s == "with_entries" {
			entries := r.call(&jqNode{op: "call", s: "to_entries", fn: fnToEntries}, in)[0]
			mapped := r.call(&jqNode{op: "call", s: "map", fn: fnMap, kids: n.kids}, entries)[0]
			return r.call(&jqNode{op: "call", s: "from_entries", fn: fnFromEntries}, mapped)
		}
		o := newObject()
		x, ok := in.(*jqObject)
		if !ok {
			return one(r.call(&jqNode{op: "call", s: "map", fn: fnMap, kids: n.kids}, in)[0])
		}
		for _, k := range x.keys {
			if v := r.eval(n.kids[0], x.m[k]); len(v) > 0 {
				o.set(k, v[0])
			}
		}
		return one(o)
	case fnToEntries:
		x, ok := in.(*jqObject)
		if !ok {
			r.fail("%s has no keys", jqDescribe(in))
		}
		out := []any{}
		for _, k := range x.keys {
			e := newObject()
			e.set("key", k)
			e.set("value", x.m[k])
			out = append(out, e)
		}
		return one(out)
	case fnFromEntries:
		o := newObject()
		for _, e := range r.elems(in, "from_entries") {
			eo, ok := e.(*jqObject)
			if !ok {
				r.fail("Cannot index %s with \"key\"", jqType(e))
			}
			k := eo.m["key"]
			for _, alt := range []string{"k", "name", "Name", "Key"} {
				if k == nil {
					k = eo.m[alt]
				}
			}
			v, has := eo.m["value"]
			if !has {
				v = eo.m["v"]
			}
			o.set(jqString(k), v)
		}
		return one(o)
	case fnAdd:
		var acc any
		for _, e := range r.elems(in, "add") {
			acc = r.binary("+", acc, e)
		}
		return one(acc)
	case fnFirst, fnLast:
		xs, ok := in.([]any)
		if !ok {
			r.fail("Cannot index %s with number", jqType(in))
		}
		if len(xs) == 0 {
			return one(nil)
		}
		if n.s == "first" {
			return one(xs[0])
		}
		return one(xs[len(xs)-1])
	case fnSort, fnSortBy:
		var f *jqNode
		if len(n.kids) > 0 {
			f = n.kids[0]
		}
		return one(r.sortBy(in, f))
	case fnUnique, fnUniqueBy, fnGroupBy:
		var f *jqNode
		if len(n.kids) > 0 {
			f = n.kids[0]
		}
		sorted := r.sortBy(in, f)
		key := func(x any) any {
			if f == nil {
				return x
			}
			return []any(r.eval(f, x))
		}
		out := []any{}
		for i, x := range sorted {
			switch {
			case i > 0 && jqCompare(key(sorted[i-1]), key(x)) == 0 && n.s == "group_by":
				g := out[len(out)-1].([]any)
				out[len(out)-1] = append(g, x)
			case i > 0 && jqCompare(key(sorted[i-1]), key(x)) == 0:
			case n.s == "group_by":
				out = append(out, []any{x})
			default:
				out = append(out, x)
			}
		}
		return one(out)
	case fnReverse:
		xs := r.elems(in, "reverse")
		out := make([]any, len(xs))
		for i, x := range xs {
			out[len(xs)-1-i] = x
		}
		return one(out)
	case fnMin, fnMax, fnMinBy, fnMaxBy:
		var f *jqNode
		if len(n.kids) > 0 {
			f = n.kids[0]
		}
		xs := r.sortBy(in, f)
		if len(xs) == 0 {
			return one(nil)
		}
		if strings.HasPrefix(n.s, "min") {
			return one(xs[0])
		}
		return one(xs[len(xs)-1])
	case fnAny, fnAll:
		want := n.s == "any"
		for _, x := range r.elems(in, n.s) {
			if (x != nil && x != false) == want {
				return one(want)
			}
		}
		return one(!want)
	case fnPaths, fnLeafPaths:
		// Every path below the input, parents before children, as path(..) finds them;
		// leaf_paths keeps those to scalars, and as paths(scalars) it drops null and false
		// (select keeps what scalars returns truthy).
		var out []any
		var walk func(prefix []any, v any)
		walk = func(prefix []any, v any) {
			if len(prefix) > 0 {
				_, object := v.(*jqObject)
				_, array := v.([]any)
				leaf := !object && !array && v != nil && v != false
				if n.fn == fnPaths || leaf {
					out = append(out, append([]any(nil), prefix...))
				}
			}
			switch x := v.(type) {
			case *jqObject:
				for _, k := range x.keys {
					walk(append(prefix, k), x.m[k])
				}
			case []any:
				for i, e := range x {
					walk(append(prefix, float64(i)), e)
				}
			}
		}
		walk(nil, in)
		return out
	case fnGetpath:
		v := in
		for _, step := range r.elems(arg(0), "getpath") {
			switch x := v.(type) {
			case nil:
				return one(nil)
			case *jqObject:
				k, ok := step.(string)
				if !ok {
					r.fail("Cannot index object with %s", jqType(step))
				}
				v = x.m[k]
			case []any:
				i, ok := step.(float64)
				if !ok {
					r.fail("Cannot index array with %s", jqType(step))
				}
				if i < 0 {
					i += float64(len(x))
				}
				if i < 0 || int(i) >= len(x) {
					v = nil
				} else {
					v = x[int(i)]
				}
			default:
				r.fail("Cannot index %s with %s", jqType(v), jqType(step))
			}
		}
		return one(v)
	case fnJoin:
		sep := r.str(arg(0), "joined")
		var parts []string
		for _, x := range r.elems(in, "join") {
			switch x.(type) {
			case nil:
				parts = append(parts, "")
			case *jqObject, []any:
				r.fail("Cannot join with %s", jqType(x))
			default:
				parts = append(parts, jqString(x))
			}
		}
		return one(strings.Join(parts, sep))
	case fnTostring, fnAtText:
		return one(jqString(in))
	case fnTojson, fnAtJson:
		return one(jqText(in))
	case fnFromjson:
		return one((&jsonReader{s: r.str(in, "parsed")}).value())
	case fnTonumber:
		if f, ok := in.(float64); ok {
			return one(f)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(r.str(in, "parsed as a number")), 64)
		if err != nil {
			r.fail("Cannot parse '%s' as JSON", in.(string))
		}
		return one(f)
	case fnFloor:
		f, ok := in.(float64)
		if !ok {
			r.fail("%s number required", jqDescribe(in))
		}
		return one(math.Floor(f))
	case fnType:
		return one(jqType(in))
	case fnAsciiDowncase:
		return one(strings.ToLower(r.str(in, "lowercased")))
	case fnAsciiUpcase:
		return one(strings.ToUpper(r.str(in, "uppercased")))
	case fnTest:
		re, err := regexp.Compile(r.str(arg(0), "matched"))
		if err != nil {
			r.fail("%s cannot be matched, as it is not a valid regex", arg(0).(string))
		}
		return one(re.MatchString(r.str(in, "matched, as it is not a string")))
	case fnStartswith:
		return one(strings.HasPrefix(r.str(in, "checked"), r.str(arg(0), "checked")))
	case fnEndswith:
		return one(strings.HasSuffix(r.str(in, "checked"), r.str(arg(0), "checked")))
	case fnLtrimstr:
		if s, ok := in.(string); ok {
			if p, ok := arg(0).(string); ok {
				return one(strings.TrimPrefix(s, p))
			}
		}
		return one(in)
	case fnRtrimstr:
		if s, ok := in.(string); ok {
			if p, ok := arg(0).(string); ok {
				return one(strings.TrimSuffix(s, p))
			}
		}
		return one(in)
	case fnSplit:
		return one(stringsAny(strings.Split(r.str(in, "split"), r.str(arg(0), "split"))))
	case fnIndex:
		i := strings.Index(r.str(in, "searched"), r.str(arg(0), "searched"))
		if i < 0 {
			return one(nil)
		}
		return one(float64(i))
	case fnContains:
		return one(jqContains(in, arg(0)))
	case fnRange:
		f, _ := arg(0).(float64)
		var out []any
		for i := 0.0; i < f && len(out) < MaxValueBytes/16; i++ {
			out = append(out, i)
		}
		return out
	case fnAtBase64:
		return one(base64.StdEncoding.EncodeToString([]byte(jqString(in))))
	case fnAtBase64d:
		data, err := base64.StdEncoding.DecodeString(r.str(in, "decoded"))
		if err != nil {
			data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(in.(string), "="))
			if err != nil {
				r.fail("%s is not valid base64 data", jqDescribe(in))
			}
		}
		return one(string(data))
	case fnAtCsv, fnAtTsv:
		var parts []string
		for _, x := range r.elems(in, n.s) {
			s := jqString(x)
			if _, isStr := x.(string); isStr && n.s == "@csv" {
				s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			} else if n.s == "@tsv" {
				s = strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n", "\r", "\\r").Replace(s)
			}
			parts = append(parts, s)
		}
		sep := ","
		if n.s == "@tsv" {
			sep = "\t"
		}
		return one(strings.Join(parts, sep))
	}
	return nil
}

func jqContains(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && strings.Contains(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok {
			return false
		}
		for _, e := range y {
			found := false
			for _, f := range x {
				if jqContains(f, e) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	case *jqObject:
		y, ok := b.(*jqObject)
		if !ok {
			return false
		}
		for _, k := range y.keys {
			v, has := x.m[k]
			if !has || !jqContains(v, y.m[k]) {
				return false
			}
		}
		return true
	}
	return jqCompare(a, b) == 0
}

// Jq is a small jq (see the top of this file): -r, -j, -c, -n, -s, -e, --arg, --argjson
// and --tab; exit 5 for a runtime error, 3 for a filter that does not compile, 2 for a
// usage error.
func Jq(c *Call) (status int) {
	raw, join, compact, null, slurp, exitStatus, tab := false, false, false, false, false, false, false
	vars := map[string]any{}
	filter := ""
	var files []string
	haveFilter := false
	args := c.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "--arg" || a == "--argjson") && i+2 < len(args):
			var v any = args[i+2]
			if a == "--argjson" {
				func() {
					defer func() {
						if recover() != nil {
							v = nil
						}
					}()
					v = (&jsonReader{s: args[i+2]}).value()
				}()
			}
			vars["$"+args[i+1]] = v
			i += 2
		case a == "--tab":
			tab = true
		case strings.HasPrefix(a, "--"):
			switch a {
			case "--raw-output":
				raw = true
			case "--join-output":
				raw, join = true, true
			case "--compact-output":
				compact = true
			case "--null-input":
				null = true
			case "--slurp":
				slurp = true
			case "--exit-status":
				exitStatus = true
			default:
				c.errf("jq: Unknown option: %s", a)
				return 2
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, f := range a[1:] {
				switch f {
				case 'r':
					raw = true
				case 'j':
					raw, join = true, true
				case 'c':
					compact = true
				case 'n':
					null = true
				case 's':
					slurp = true
				case 'e':
					exitStatus = true
				case 'M', 'C', 'S':
				default:
					c.errf("jq: Unknown option: %s", a)
					return 2
				}
			}
		case !haveFilter:
			filter, haveFilter = a, true
		default:
			files = append(files, a)
		}
	}
	if !haveFilter {
		c.errf("Usage:\tjq [OPTIONS] FILTER [FILES...]")
		return 2
	}
	// where is the input as jq's runtime errors name it: the source and the line read.
	where := func() string { return "<stdin>:0" }
	defer func() {
		if e := recover(); e != nil {
			je, ok := e.(*jqError)
			if !ok {
				panic(e)
			}
			if strings.HasPrefix(je.msg, "syntax error") || strings.Contains(je.msg, "is not defined at") {
				c.errf("jq: error: %s\njq: 1 compile error", je.msg)
				status = 3
				return
			}
			c.errf("jq: error (at %s): %s", where(), je.msg)
			status = 5
		}
	}()
	p := &jqParser{src: filter}
	prog := p.expr(0)
	if p.space(); p.pos < len(p.src) {
		p.unexpected()
	}
	datas, readStatus := c.Inputs(files)
	if readStatus != 0 {
		return 2
	}
	var inputs []any
	var lineAfter []int
	source := "<stdin>"
	if len(files) > 0 {
		source = files[len(files)-1]
	}
	at := 0
	where = func() string {
		n := 0
		if at < len(lineAfter) {
			n = lineAfter[at]
		}
		return source + ":" + strconv.Itoa(n)
	}
	if !null {
		rd := &jsonReader{s: strings.Join(datas, "\n")}
		bad := func() (msg string) {
			defer func() {
				if e := recover(); e != nil {
					je, ok := e.(*jqError)
					if !ok {
						panic(e)
					}
					msg = je.msg
				}
			}()
			for {
				rd.space()
				if rd.pos >= len(rd.s) {
					return ""
				}
				inputs = append(inputs, rd.value())
				rd.space()
				lineAfter = append(lineAfter, strings.Count(rd.s[:rd.pos], "\n"))
			}
		}()
		if bad != "" {
			// jq prints what came before the bad input, then fails with status 2.
			lineAfter = append(lineAfter, strings.Count(rd.s, "\n"))
			defer func() {
				if status == 0 {
					c.errf("jq: error (at %s:%d): %s", source, lineAfter[len(lineAfter)-1], bad)
					status = 2
				}
			}()
		}
		if slurp {
			inputs = []any{inputs}
			if inputs[0] == nil {
				inputs[0] = []any{}
			}
		}
	} else {
		inputs = []any{nil}
	}
	indent := "  "
	switch {
	case compact:
		indent = ""
	case tab:
		indent = "\t"
	}
	run := &jqRun{vars: vars, c: c}
	var last any = false
	produced := false
	for i, in := range inputs {
		at = i
		ok := run.stream(prog, in, func(v any) bool {
			produced = true
			last = v
			var b strings.Builder
			if s, ok := v.(string); ok && raw {
				b.WriteString(s)
			} else {
				jqWrite(&b, v, indent, "")
			}
			if !join {
				b.WriteByte('\n')
			}
			return c.out(b.String())
		})
		if !ok {
			return 0
		}
	}
	if exitStatus && (!produced || last == nil || last == false) {
		if !produced {
			return 4
		}
		return 1
	}
	return 0
}
