package gotemplate

import (
	"encoding/base64"
	"fmt"
	"io"
	"sort"
	"strings"
)

// missing is what a field or map key that is not there evaluates to (text/template's
// invalid reflect.Value): printed as "<no value>", false, and nil as an argument.
type missing struct{}

// Options tune Execute.
type Options struct {
	// MissingKeyError makes a missing map key an error (kubectl's
	// --allow-missing-template-keys=false); otherwise it is "<no value>".
	MissingKeyError bool
}

type state struct {
	t    *Template
	w    io.Writer
	opts Options
	vars []variable
	at   int // the node being executed, for errors
	text string
}

type variable struct {
	name  string
	value any
}

type execFail struct{ err *Error }

type loopSignal struct{ stop bool }

// Execute runs the template on data, writing to w as it goes (what was written before an
// error stays written, as with text/template).
func (t *Template) Execute(w io.Writer, data any, opts Options) (err error) {
	s := &state{t: t, w: w, opts: opts, vars: []variable{{"$", data}}}
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(execFail)
			if !ok {
				panic(r)
			}
			err = f.err
		}
	}()
	s.walk(data, t.root)
	return nil
}

func (s *state) errorf(format string, a ...any) {
	line, col := 1+strings.Count(s.t.src[:s.at], "\n"), s.at
	if i := strings.LastIndexByte(s.t.src[:s.at], '\n'); i >= 0 {
		col = s.at - i - 1
	}
	panic(execFail{&Error{fmt.Sprintf("template: %s:%d:%d: executing %q at <%s>: %s", s.t.name, line, col, s.t.name, s.text, fmt.Sprintf(format, a...))}})
}

func (s *state) mark(pos int, text string) { s.at, s.text = pos, text }

// walk executes nodes with dot; a break or continue inside a range comes back as a
// loopSignal.
func (s *state) walk(dot any, nodes []node) *loopSignal {
	for _, n := range nodes {
		switch n := n.(type) {
		case *textNode:
			io.WriteString(s.w, n.text)
		case *actionNode:
			v := s.pipeline(dot, n.pipe)
			if len(n.pipe.decl) == 0 {
				s.print(v)
			}
		case *controlNode:
			if sig := s.control(dot, n); sig != nil {
				return sig
			}
		case *loopCtl:
			return &loopSignal{stop: n.stop}
		}
	}
	return nil
}

func (s *state) print(v any) {
	switch v := v.(type) {
	case missing, nil:
		io.WriteString(s.w, "<no value>")
	case string:
		io.WriteString(s.w, v)
	default:
		fmt.Fprint(s.w, v)
	}
}

func (s *state) control(dot any, c *controlNode) *loopSignal {
	mark := len(s.vars)
	defer func() { s.vars = s.vars[:mark] }()
	if c.kind == "range" {
		return s.walkRange(dot, c)
	}
	v := s.pipeline(dot, c.pipe)
	if truth(v) {
		if c.kind == "with" {
			dot = v
		}
		return s.walk(dot, c.list)
	}
	if c.elseIsSet {
		return s.walk(dot, c.elseList)
	}
	return nil
}

func (s *state) walkRange(dot any, c *controlNode) *loopSignal {
	s.mark(c.pos, "range")
	pipe := *c.pipe
	pipe.decl = nil
	v := s.pipeline(dot, &pipe)
	mark := len(s.vars)
	one := func(key, elem any) bool {
		s.vars = s.vars[:mark]
		switch len(c.pipe.decl) {
		case 1:
			s.vars = append(s.vars, variable{c.pipe.decl[0], elem})
		case 2:
			s.vars = append(s.vars, variable{c.pipe.decl[0], key}, variable{c.pipe.decl[1], elem})
		}
		sig := s.walk(elem, c.list)
		return sig != nil && sig.stop
	}
	n := 0
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			n++
			if one(i, e) {
				break
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n++
			if one(k, v[k]) {
				break
			}
		}
	case int:
		for i := 0; i < v; i++ {
			n++
			if one(i, i) {
				break
			}
		}
	case missing, nil:
	default:
		s.mark(c.pos, "range")
		s.errorf("range can't iterate over %v", v)
	}
	s.vars = s.vars[:mark]
	if n == 0 && c.elseIsSet {
		return s.walk(dot, c.elseList)
	}
	return nil
}

func (s *state) lookupVar(name string) any {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value
		}
	}
	s.errorf("undefined variable: %s", name)
	return nil
}

func (s *state) setVar(name string, v any) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = v
			return
		}
	}
}

func (s *state) pipeline(dot any, p *pipeNode) any {
	var v any = missing{}
	for i, c := range p.cmds {
		var final any = noFinal{}
		if i > 0 {
			final = v
		}
		v = s.command(dot, c, final)
	}
	if len(p.decl) > 0 {
		if p.assign {
			s.setVar(p.decl[0], v)
		} else {
			for _, name := range p.decl {
				s.vars = append(s.vars, variable{name, v})
			}
		}
	}
	return v
}

// noFinal marks a command that gets no value from a pipe.
type noFinal struct{}

func (s *state) command(dot any, c *cmdNode, final any) any {
	first := c.args[0]
	_, hasFinal := final.(noFinal)
	hasFinal = !hasFinal
	if first.kind == opIdent {
		return s.call(dot, first, c.text, c.args[1:], final, hasFinal)
	}
	if len(c.args) > 1 || hasFinal {
		if (first.kind == opField || first.kind == opVar) && len(first.fields) > 0 {
			// A field given arguments: nothing to complain about on a missing receiver.
			recv := first
			recv.fields = recv.fields[:len(recv.fields)-1]
			if _, gone := s.operand(dot, recv).(missing); gone {
				return missing{}
			}
			s.mark(first.pos, first.text)
			s.errorf("%s is not a method but has arguments", first.fields[len(first.fields)-1])
		}
		s.mark(first.pos, first.text)
		s.errorf("can't give argument to non-function %s", first.text)
	}
	return s.operand(dot, first)
}

func (s *state) operand(dot any, o operand) any {
	s.mark(o.pos, o.text)
	var v any
	switch o.kind {
	case opDot:
		return dot
	case opField:
		v = dot
	case opVar:
		v = s.lookupVar(o.name)
	case opConst:
		return o.value
	case opNil:
		s.errorf("nil is not a command")
	case opPipe:
		v = s.pipeline(dot, o.pipe)
	case opIdent:
		return s.call(dot, o, o.text, nil, noFinal{}, false)
	}
	for _, f := range o.fields {
		v = s.field(v, f)
	}
	return v
}

func (s *state) field(v any, name string) any {
	switch x := v.(type) {
	case missing:
		if s.opts.MissingKeyError {
			s.errorf("nil data; no entry for key %q", name)
		}
		return missing{}
	case nil:
		s.errorf("nil pointer evaluating interface {}.%s", name)
	case map[string]any:
		if e, ok := x[name]; ok {
			return e
		}
		if s.opts.MissingKeyError {
			s.errorf("map has no entry for key %q", name)
		}
		return missing{}
	}
	s.errorf("can't evaluate field %s in type %s", name, typeName(v))
	return nil
}

// typeName is the Go type text/template names in its messages.
func typeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "map[string]interface {}"
	case []any:
		return "[]interface {}"
	case missing, nil:
		return "interface {}"
	}
	return fmt.Sprintf("%T", v)
}

// arg evaluates an argument to a function: a missing value is passed as nil.
func (s *state) arg(dot any, o operand) any {
	v := s.operand(dot, o)
	if _, ok := v.(missing); ok {
		return nil
	}
	return v
}

func (s *state) call(dot any, fn operand, text string, args []operand, final any, hasFinal bool) any {
	name := fn.name
	s.mark(fn.pos, text)
	// and and or evaluate only as far as they need.
	if name == "and" || name == "or" {
		n := len(args)
		if hasFinal {
			n++
		}
		if n == 0 {
			s.errorf("wrong number of args for %s: want at least 1 got 0", name)
		}
		var v any
		for i := 0; i < n; i++ {
			if i < len(args) {
				v = s.operand(dot, args[i])
			} else {
				v = final
			}
			if truth(v) == (name == "or") {
				return v
			}
		}
		return v
	}
	vals := make([]any, 0, len(args)+1)
	for _, a := range args {
		vals = append(vals, s.arg(dot, a))
	}
	if hasFinal {
		if _, ok := final.(missing); ok {
			final = nil
		}
		vals = append(vals, final)
	}
	s.mark(fn.pos, text)
	v, err := funcs[name](vals)
	if err != nil {
		s.errorf("error calling %s: %v", name, err)
	}
	return v
}

// truth is text/template's notion of true: not the zero value, not empty.
func truth(v any) bool {
	switch x := v.(type) {
	case missing, nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0
	case int:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

type function func(args []any) (any, error)

var funcs map[string]function

func init() {
	funcs = map[string]function{
		"and": nil, "or": nil, // evaluated by call itself
		"not":          fixed(1, func(a []any) (any, error) { return !truth(a[0]), nil }),
		"len":          fixed(1, length),
		"index":        index,
		"printf":       printf,
		"print":        func(a []any) (any, error) { return fmt.Sprint(a...), nil },
		"println":      func(a []any) (any, error) { return fmt.Sprintln(a...), nil },
		"eq":           eq,
		"ne":           fixed(2, func(a []any) (any, error) { t, err := eq(a); return !t.(bool), err }),
		"lt":           fixed(2, lessThan),
		"le":           fixed(2, func(a []any) (any, error) { return lessOrEqual(a, false) }),
		"gt":           fixed(2, func(a []any) (any, error) { return lessOrEqual(a, true) }),
		"ge":           fixed(2, func(a []any) (any, error) { t, err := lessThan(a); return !t.(bool), err }),
		"base64decode": fixed(1, base64decode),
		"exists":       exists,
	}
}

func fixed(n int, f function) function {
	return func(a []any) (any, error) {
		if len(a) != n {
			return nil, fmt.Errorf("wrong number of args: want %d got %d", n, len(a))
		}
		return f(a)
	}
}

func length(a []any) (any, error) {
	switch x := a[0].(type) {
	case string:
		return len(x), nil
	case []any:
		return len(x), nil
	case map[string]any:
		return len(x), nil
	case nil:
		return nil, fmt.Errorf("len of nil pointer")
	}
	return nil, fmt.Errorf("len of type %T", a[0])
}

func index(a []any) (any, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("wrong number of args: want at least 1 got 0")
	}
	item := a[0]
	if item == nil {
		return nil, fmt.Errorf("index of untyped nil")
	}
	for _, i := range a[1:] {
		switch x := item.(type) {
		case nil:
			return nil, fmt.Errorf("index of nil pointer")
		case map[string]any:
			k, ok := i.(string)
			if !ok {
				return nil, fmt.Errorf("value has type %s; should be string", typeName(i))
			}
			item = x[k]
		case []any:
			n, ok := i.(int)
			if !ok {
				return nil, fmt.Errorf("cannot index slice/array with type %s", typeName(i))
			}
			if n < 0 || n >= len(x) {
				return nil, fmt.Errorf("index out of range: %d", n)
			}
			item = x[n]
		case string:
			n, ok := i.(int)
			if !ok {
				return nil, fmt.Errorf("cannot index slice/array with type %s", typeName(i))
			}
			if n < 0 || n >= len(x) {
				return nil, fmt.Errorf("index out of range: %d", n)
			}
			item = x[n]
		default:
			return nil, fmt.Errorf("can't index item of type %T", item)
		}
	}
	return item, nil
}

func printf(a []any) (any, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("wrong number of args: want at least 1 got 0")
	}
	format, ok := a[0].(string)
	if !ok {
		return nil, fmt.Errorf("wrong type for value; expected string; got %s", typeName(a[0]))
	}
	return fmt.Sprintf(format, a[1:]...), nil
}

// kind is text/template's basic kind of a value, for comparisons.
type kind int

const (
	badKind kind = iota
	boolKind
	intKind
	floatKind
	stringKind
)

func kindOf(v any) kind {
	switch v.(type) {
	case bool:
		return boolKind
	case int:
		return intKind
	case float64:
		return floatKind
	case string:
		return stringKind
	}
	return badKind
}

var (
	errBadComparison     = fmt.Errorf("incompatible types for comparison")
	errBadComparisonType = fmt.Errorf("invalid type for comparison")
)

func eq(a []any) (any, error) {
	if len(a) < 2 {
		return nil, fmt.Errorf("missing argument for comparison")
	}
	x := a[0]
	kx := kindOf(x)
	for _, y := range a[1:] {
		ky := kindOf(y)
		if kx != ky {
			if x != nil && y != nil {
				return false, errBadComparison
			}
			continue
		}
		if kx == badKind {
			if x == nil || y == nil {
				if x == nil && y == nil {
					return true, nil
				}
				continue
			}
			return nil, fmt.Errorf("non-comparable types %s, %s", typeName(x), typeName(y))
		}
		if x == y {
			return true, nil
		}
	}
	return false, nil
}

func lessThan(a []any) (any, error) {
	x, y := a[0], a[1]
	kx, ky := kindOf(x), kindOf(y)
	switch {
	case kx == badKind || kx == boolKind:
		return nil, errBadComparisonType
	case kx != ky:
		return nil, errBadComparison
	}
	switch kx {
	case intKind:
		return x.(int) < y.(int), nil
	case floatKind:
		return x.(float64) < y.(float64), nil
	}
	return x.(string) < y.(string), nil
}

// lessOrEqual is le; with greater, gt (not le).
func lessOrEqual(a []any, greater bool) (any, error) {
	lt, err := lessThan(a)
	if err != nil {
		return nil, err
	}
	if lt.(bool) {
		return !greater, nil
	}
	e, err := eq(a)
	if err != nil {
		return nil, err
	}
	return e.(bool) != greater, nil
}

func base64decode(a []any) (any, error) {
	v, ok := a[0].(string)
	if !ok {
		return nil, fmt.Errorf("wrong type for value; expected string; got %s", typeName(a[0]))
	}
	data, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("base64 decode failed: %v", err)
	}
	return string(data), nil
}

// exists is kubectl's: whether index would find something at these indices.
func exists(a []any) (any, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("wrong number of args: want at least 1 got 0")
	}
	v := a[0]
	for _, i := range a[1:] {
		switch x := v.(type) {
		case map[string]any:
			k, ok := i.(string)
			if !ok {
				return false, nil
			}
			e, found := x[k]
			if !found {
				return false, nil
			}
			v = e
		case []any:
			n, ok := i.(int)
			if !ok || n < 0 || n >= len(x) {
				return false, nil
			}
			v = x[n]
		default:
			return false, nil
		}
	}
	return true, nil
}
