package gotemplate

import (
	"fmt"
	"strconv"
	"strings"
)

// Template is a parsed template.
type Template struct {
	name string
	src  string
	root []node
}

// node is a piece of a template: text, an action printing a pipeline, or a control
// structure.
type node interface{}

type textNode struct{ text string }

type actionNode struct {
	pos  int
	pipe *pipeNode
}

// controlNode is if, range or with.
type controlNode struct {
	kind      string // "if", "range", "with"
	pos       int
	pipe      *pipeNode
	list      []node
	elseList  []node
	elseIsSet bool
}

type loopCtl struct {
	pos  int
	stop bool // break; else continue
}

type pipeNode struct {
	pos    int
	decl   []string // variables declared or assigned
	assign bool     // = rather than :=
	cmds   []*cmdNode
}

type cmdNode struct {
	pos  int
	text string
	args []operand
}

// operand is a term followed by field names.
type operand struct {
	pos    int
	text   string // as written, for error messages
	kind   opKind
	name   string    // function name, variable name
	fields []string  // .a.b after the term (the whole chain for a field on dot)
	value  any       // constant
	pipe   *pipeNode // parenthesized
}

type opKind int

const (
	opDot opKind = iota
	opField
	opVar
	opConst
	opIdent
	opPipe
	opNil
)

// Error is a template that does not parse or does not execute, worded as text/template
// words it.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

type parser struct {
	t     *Template
	src   string
	pos   int
	vars  [][]string // variables in scope, per nested list
	loops int
	// lastTrim is whether the action closed last ended with " -}}".
	lastTrim bool
}

type parseFail struct{ err *Error }

func (p *parser) fail(pos int, format string, a ...any) {
	line := 1 + strings.Count(p.src[:min(pos, len(p.src))], "\n")
	panic(parseFail{&Error{fmt.Sprintf("template: %s:%d: %s", p.t.name, line, fmt.Sprintf(format, a...))}})
}

// Parse parses text as the template named name.
func Parse(name, text string) (t *Template, err error) {
	t = &Template{name: name, src: text}
	p := &parser{t: t, src: text, vars: [][]string{{"$"}}}
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(parseFail)
			if !ok {
				panic(r)
			}
			t, err = nil, f.err
		}
	}()
	list, end := p.list()
	if end != "" {
		p.fail(p.pos, "unexpected {{%s}}", end)
	}
	t.root = list
	return t, nil
}

// list parses nodes up to the end of the text or an {{end}} / {{else ...}}, which it
// returns ("end", "else", "else if", "else with"); for "else if" the parser stands after
// the `if`.
func (p *parser) list() (nodes []node, end string) {
	trimNext := false
	for p.pos < len(p.src) {
		i := strings.Index(p.src[p.pos:], "{{")
		text := p.src[p.pos:]
		if i >= 0 {
			text = text[:i]
		}
		trimBefore := i >= 0 && strings.HasPrefix(p.src[p.pos+i:], "{{- ") || i >= 0 && strings.HasPrefix(p.src[p.pos+i:], "{{-\t") || i >= 0 && strings.HasPrefix(p.src[p.pos+i:], "{{-\n") || i >= 0 && strings.HasPrefix(p.src[p.pos+i:], "{{-\r")
		if trimNext {
			text = strings.TrimLeft(text, " \t\r\n")
		}
		if trimBefore {
			text = strings.TrimRight(text, " \t\r\n")
		}
		if text != "" {
			nodes = append(nodes, &textNode{text})
		}
		if i < 0 {
			p.pos = len(p.src)
			break
		}
		start := p.pos + i
		p.pos = start + 2
		if trimBefore {
			p.pos++
		}
		n, kw, trimAfter := p.action(start)
		trimNext = trimAfter
		switch kw {
		case "end", "else", "else if", "else with":
			return nodes, kw
		}
		if n != nil {
			nodes = append(nodes, n)
		}
	}
	return nodes, ""
}

// action parses one action after its {{; it returns the node, or the keyword that ends a
// list, and whether the action trims the text after it.
func (p *parser) action(start int) (n node, kw string, trimAfter bool) {
	p.space()
	if strings.HasPrefix(p.src[p.pos:], "/*") {
		end := strings.Index(p.src[p.pos:], "*/")
		if end < 0 {
			p.fail(start, "unclosed comment")
		}
		p.pos += end + 2
		return nil, "", p.close(start)
	}
	if p.pos >= len(p.src) {
		p.fail(start, "unclosed action")
	}
	word := p.peekWord()
	if word != "" && !isDigit(word[0]) {
		p.wordEnds(p.pos + len(word))
	}
	switch word {
	case "if", "range", "with":
		p.pos += len(word)
		return p.control(word, start), "", p.trimOf(start)
	case "end":
		p.pos += 3
		return nil, "end", p.close(start)
	case "else":
		p.pos += 4
		p.space()
		if w := p.peekWord(); w == "if" || w == "with" {
			p.pos += len(w)
			return nil, "else " + w, false
		}
		return nil, "else", p.close(start)
	case "break", "continue":
		if p.loops == 0 {
			p.fail(start, "{{%s}} outside {{range}}", word)
		}
		p.pos += len(word)
		return &loopCtl{pos: start, stop: word == "break"}, "", p.close(start)
	case "define", "template", "block":
		p.fail(start, "{{%s}} is not supported by kubetab's templates", word)
	}
	pipe := p.pipeline(false)
	if len(pipe.cmds) == 0 {
		p.fail(start, "missing value for command")
	}
	return &actionNode{pos: start, pipe: pipe}, "", p.close(start)
}

// trimOf closes a control action's own {{...}}: control parses its pipeline and closes it
// itself, so the trim marker was noted there.
func (p *parser) trimOf(int) bool { return p.lastTrim }

// close reads the end of an action: optional " -" then "}}".
func (p *parser) close(start int) bool {
	spaced := p.pos > 0 && strings.IndexByte(" \t\r\n", p.src[p.pos-1]) >= 0
	p.space()
	spaced = spaced || p.pos > 0 && strings.IndexByte(" \t\r\n", p.src[p.pos-1]) >= 0
	trim := false
	if strings.HasPrefix(p.src[p.pos:], "-}}") {
		if !spaced {
			p.fail(p.pos, "unexpected \"-\" in command")
		}
		trim = true
		p.pos++
	}
	if !strings.HasPrefix(p.src[p.pos:], "}}") {
		if p.pos >= len(p.src) {
			p.fail(start, "unclosed action")
		}
		p.fail(p.pos, "unexpected %s in command", p.tokenText())
	}
	p.pos += 2
	p.lastTrim = trim
	return trim
}

// control parses if/range/with after its keyword, up to its {{end}}.
func (p *parser) control(kind string, start int) node {
	p.vars = append(p.vars, nil)
	defer func() { p.vars = p.vars[:len(p.vars)-1] }()
	c := &controlNode{kind: kind, pos: start}
	c.pipe = p.pipeline(kind == "range")
	if len(c.pipe.cmds) == 0 {
		p.fail(start, "missing value for %s", kind)
	}
	p.close(start)
	trimAfterHead := p.lastTrim
	if kind == "range" {
		p.loops++
	}
	list, end := p.listAfter(trimAfterHead)
	if kind == "range" {
		p.loops--
	}
	c.list = list
	switch end {
	case "":
		p.fail(len(p.src), "unexpected EOF")
	case "else":
		c.elseIsSet = true
		c.elseList, end = p.listAfter(p.lastTrim)
		if end != "end" {
			p.fail(p.pos, "expected end; found %s", endText(end))
		}
	case "else if", "else with":
		if strings.TrimPrefix(end, "else ") != kind {
			p.fail(p.pos, "unexpected {{%s}}", end)
		}
		c.elseIsSet = true
		// {{else if x}} is {{else}}{{if x}}...{{end}}, sharing the one {{end}}.
		c.elseList = []node{p.control(kind, p.pos)}
		return c
	}
	return c
}

func endText(end string) string {
	if end == "" {
		return "EOF"
	}
	return "{{" + end + "}}"
}

// listAfter is list, trimming the text at its start when the action before asked.
func (p *parser) listAfter(trim bool) ([]node, string) {
	nodes, end := p.list()
	if trim && len(nodes) > 0 {
		if t, ok := nodes[0].(*textNode); ok {
			t.text = strings.TrimLeft(t.text, " \t\r\n")
			if t.text == "" {
				nodes = nodes[1:]
			}
		}
	}
	return nodes, end
}

func (p *parser) space() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

// isAlnum is a byte of a name; any non-ASCII byte counts, as letters beyond ASCII do in Go.
func isAlnum(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
}

func (p *parser) peekWord() string {
	i := p.pos
	for i < len(p.src) && isAlnum(p.src[i]) {
		i++
	}
	return p.src[p.pos:i]
}

// wordEnds checks that a keyword or name ending at i is followed by what may follow one,
// as text/template's lexer does.
func (p *parser) wordEnds(i int) {
	if i >= len(p.src) || strings.IndexByte(" \t\r\n.,|:()}-", p.src[i]) >= 0 {
		return
	}
	r := []rune(p.src[i:min(i+4, len(p.src))])[0]
	p.fail(i, "bad character %#U", r)
}

func (p *parser) tokenText() string {
	if p.pos >= len(p.src) {
		return "EOF"
	}
	return strconv.Quote(p.src[p.pos : p.pos+1])
}

// atEnd reports whether the action or a parenthesis ends at p.pos.
func (p *parser) atEnd() bool {
	s := p.src[p.pos:]
	return s == "" || strings.HasPrefix(s, "}}") || strings.HasPrefix(s, "-}}") || s[0] == ')' || s[0] == '|'
}

func (p *parser) declared(name string) bool {
	for i := len(p.vars) - 1; i >= 0; i-- {
		for _, v := range p.vars[i] {
			if v == name {
				return true
			}
		}
	}
	return false
}

// pipeline parses [decl] command { | command }; rangeDecl allows two variables.
func (p *parser) pipeline(rangeDecl bool) *pipeNode {
	p.space()
	pipe := &pipeNode{pos: p.pos}
	// A declaration: $x := or $x = or (range) $i, $e :=
	save := p.pos
	var names []string
	for {
		if p.pos >= len(p.src) || p.src[p.pos] != '$' {
			break
		}
		name := p.varName()
		p.space()
		names = append(names, name)
		if rangeDecl && len(names) == 1 && p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			p.space()
			continue
		}
		break
	}
	switch {
	case len(names) > 0 && strings.HasPrefix(p.src[p.pos:], ":="):
		p.pos += 2
		pipe.decl = names
		p.vars[len(p.vars)-1] = append(p.vars[len(p.vars)-1], names...)
	case len(names) == 1 && strings.HasPrefix(p.src[p.pos:], "=") && !strings.HasPrefix(p.src[p.pos:], "=="):
		p.pos++
		if !p.declared(names[0]) {
			p.fail(save, "undefined variable %q", names[0])
		}
		pipe.decl, pipe.assign = names, true
	default:
		p.pos = save
	}
	for {
		p.space()
		if p.atEnd() {
			if len(pipe.cmds) == 0 && len(pipe.decl) > 0 || p.pos < len(p.src) && p.src[p.pos] == '|' {
				p.fail(p.pos, "missing value for command")
			}
			return pipe
		}
		c := p.command()
		if len(pipe.cmds) > 0 {
			switch c.args[0].kind {
			case opConst, opDot, opNil:
				p.fail(c.pos, "non executable command in pipeline stage %d", len(pipe.cmds)+1)
			}
		}
		pipe.cmds = append(pipe.cmds, c)
		p.space()
		if p.pos < len(p.src) && p.src[p.pos] == '|' {
			// A | with nothing after it before the end passes, as with text/template.
			p.pos++
			p.space()
		}
	}
}

func (p *parser) varName() string {
	i := p.pos + 1
	for i < len(p.src) && isAlnum(p.src[i]) {
		i++
	}
	name := p.src[p.pos:i]
	p.pos = i
	return name
}

func (p *parser) command() *cmdNode {
	c := &cmdNode{pos: p.pos}
	for {
		p.space()
		if p.atEnd() {
			break
		}
		c.args = append(c.args, p.operand())
		if p.pos < len(p.src) && !p.atEnd() && strings.IndexByte(" \t\r\n", p.src[p.pos]) < 0 {
			p.fail(p.pos, "unexpected %s in operand", p.tokenText())
		}
	}
	if len(c.args) == 0 {
		p.fail(p.pos, "empty command")
	}
	c.text = strings.TrimSpace(p.src[c.pos:p.pos])
	return c
}

// operand parses a term and the field names after it.
func (p *parser) operand() operand {
	start := p.pos
	o := operand{pos: start}
	c := p.src[p.pos]
	switch {
	case c == '.':
		if p.pos+1 < len(p.src) && isAlnum(p.src[p.pos+1]) && !isDigit(p.src[p.pos+1]) {
			o.kind = opField
			o.fields = p.fieldChain()
		} else if p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1]) {
			o.kind, o.value = opConst, p.number()
		} else {
			o.kind = opDot
			p.pos++
		}
	case c == '$':
		o.kind = opVar
		o.name = p.varName()
		if !p.declared(o.name) {
			p.fail(start, "undefined variable %q", o.name)
		}
		o.fields = p.fieldChain()
	case c == '"' || c == '`' || c == '\'':
		o.kind, o.value = opConst, p.quoted()
	case isDigit(c) || (c == '-' || c == '+') && p.pos+1 < len(p.src) && (isDigit(p.src[p.pos+1]) || p.src[p.pos+1] == '.'):
		o.kind, o.value = opConst, p.number()
	case c == '(':
		p.pos++
		o.kind = opPipe
		o.pipe = p.pipeline(false)
		if len(o.pipe.cmds) == 0 {
			p.fail(p.pos, "missing value for parenthesized pipeline")
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			if p.pos >= len(p.src) {
				p.fail(p.pos, "unclosed left paren")
			}
			p.fail(p.pos, "unexpected %s in operand", p.tokenText())
		}
		p.pos++
		o.fields = p.fieldChain()
	case isAlnum(c):
		word := p.peekWord()
		p.wordEnds(p.pos + len(word))
		p.pos += len(word)
		switch word {
		case "true", "false":
			o.kind, o.value = opConst, word == "true"
		case "nil":
			o.kind = opNil
		default:
			if _, ok := funcs[word]; !ok {
				p.fail(start, "function %q not defined", word)
			}
			o.kind, o.name = opIdent, word
		}
	default:
		p.fail(p.pos, "unexpected %s in operand", p.tokenText())
	}
	o.text = p.src[start:p.pos]
	return o
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// fieldChain reads .a.b.c at p.pos.
func (p *parser) fieldChain() []string {
	var fields []string
	for p.pos < len(p.src) && p.src[p.pos] == '.' && p.pos+1 < len(p.src) && isAlnum(p.src[p.pos+1]) && !isDigit(p.src[p.pos+1]) {
		i := p.pos + 1
		for i < len(p.src) && isAlnum(p.src[i]) {
			i++
		}
		fields = append(fields, p.src[p.pos+1:i])
		p.pos = i
	}
	return fields
}

func (p *parser) quoted() any {
	q := p.src[p.pos]
	i := p.pos + 1
	for i < len(p.src) && p.src[i] != q {
		if p.src[i] == '\\' && q != '`' {
			i++
		}
		if p.src[i] == '\n' && q != '`' {
			break
		}
		i++
	}
	if i >= len(p.src) || p.src[i] != q {
		if q == '\'' {
			p.fail(p.pos, "unterminated character constant")
		}
		p.fail(p.pos, "unterminated quoted string")
	}
	lit := p.src[p.pos : i+1]
	p.pos = i + 1
	if q == '\'' {
		r, _, tail, err := strconv.UnquoteChar(lit[1:len(lit)-1], '\'')
		if err != nil || tail != "" {
			p.fail(p.pos, "malformed character constant: %s", lit)
		}
		return int(r)
	}
	s, err := strconv.Unquote(lit)
	if err != nil {
		p.fail(p.pos, "%s", err)
	}
	return s
}

func (p *parser) number() any {
	i := p.pos
	for i < len(p.src) && (isAlnum(p.src[i]) || strings.IndexByte(".+-", p.src[i]) >= 0 && (i == p.pos || strings.IndexByte("eEpP", p.src[i-1]) >= 0 || p.src[i] == '.')) {
		i++
	}
	lit := p.src[p.pos:i]
	p.pos = i
	if !strings.ContainsAny(lit, ".eEpP") || strings.HasPrefix(strings.TrimLeft(lit, "+-"), "0x") {
		n, err := strconv.ParseInt(lit, 0, 64)
		if err != nil {
			p.fail(p.pos, "bad number syntax: %q", lit)
		}
		return int(n)
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		p.fail(p.pos, "bad number syntax: %q", lit)
	}
	if f == float64(int64(f)) && !strings.ContainsAny(lit, ".eEpP") {
		return int(f)
	}
	return f
}
