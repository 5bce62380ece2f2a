package sh

import (
	"fmt"
	"strings"
)

// ---- syntax tree ----

// part is one piece of a word: literal text or an expansion.
type part struct {
	kind   partKind
	text   string // literal text, parameter name, or raw arithmetic expression
	quoted bool   // inside quotes: no field splitting, no globbing
	op     string // parameter operator: ":-", "-", ":=", "=", ":+", "+", ":?", "?", "#", "##", "%", "%%", "len",
	// "/", "//", "/#", "/%" (${name/pattern/replacement}), ":" (${name:offset:length})
	index *word // ${name[index]}
	arg   *word // the word after a parameter operator
	rep   *word // the replacement of ${name/pattern/replacement}, the length of ${name:offset:length}
	sub   *list // command substitution
}

type partKind int

const (
	pLit partKind = iota
	pParam
	pSubst
	pArith
)

type word struct{ parts []part }

// lit is the word's text when it is one unquoted literal (keywords, assignments).
func (w *word) lit() (string, bool) {
	if w == nil || len(w.parts) != 1 || w.parts[0].kind != pLit || w.parts[0].quoted {
		return "", false
	}
	return w.parts[0].text, true
}

type redir struct {
	fd     int    // 0, 1, 2 (others are accepted and ignored)
	op     string // ">", ">>", "<", ">&", "<&", "&>", "&>>", "<<"
	target *word
	doc    *word    // here-document body
	span   *heredoc // where the here-document is in the source
}

// heredoc is where a here-document sits in the source: the operator, and its body from
// the line after the command to the end of the delimiter line (without its newline).
type heredoc struct {
	at, bodyStart, bodyEnd int
	body                   string // as written (tabs stripped for <<-), unexpanded
}

type assign struct {
	name  string
	value *word
	array []*word // bash name=(a b c)
	isArr bool
}

type list struct{ items []*andOr }

type andOr struct {
	pipes []*pipeline
	ops   []string // "&&" or "||" between pipes
	bg    bool
	// bgEnd is where the & of a background list ends in the source: its text as written
	// (the echo, a pasted command) keeps the &.
	bgEnd int
}

// end is where the list ends in the source, with its & when it has one.
func (ao *andOr) end() int {
	if ao.bg {
		return ao.bgEnd
	}
	return ao.pipes[len(ao.pipes)-1].end
}

type pipeline struct {
	neg  bool
	cmds []command
	// start and end are the pipeline's place in the source, from its first word to its
	// last, for the terminal's echo of what runs.
	start, end int
}

type command interface{ redirs() []redir }

type simpleCmd struct {
	assigns []assign
	words   []*word
	rd      []redir
	pos     int // where it starts in the source
}

type groupCmd struct {
	body     *list
	subshell bool
	rd       []redir
}

type ifCmd struct {
	conds, bodies []*list
	els           *list
	rd            []redir
}

type loopCmd struct {
	until      bool
	cond, body *list
	rd         []redir
}

type forCmd struct {
	name  string
	items []*word // nil: "$@"
	body  *list
	rd    []redir
}

type caseItem struct {
	pats []*word
	body *list
}

type caseCmd struct {
	subject *word
	items   []caseItem
	rd      []redir
}

type funcDef struct {
	name string
	body command
	src  string // the definition as written, so that an interactive shell can keep it
}

func (c *simpleCmd) redirs() []redir { return c.rd }
func (c *groupCmd) redirs() []redir  { return c.rd }
func (c *ifCmd) redirs() []redir     { return c.rd }
func (c *loopCmd) redirs() []redir   { return c.rd }
func (c *forCmd) redirs() []redir    { return c.rd }
func (c *caseCmd) redirs() []redir   { return c.rd }
func (c *funcDef) redirs() []redir   { return nil }

// ---- errors ----

// syntaxError is a parse failure; its text depends on the shell that reports it.
type syntaxError struct {
	unexpected string // the token, or "" for end of file
	expecting  string
	msg        string // a whole message instead (unterminated quote, too deep)
	line       int    // 1-based line of the source where the parser stopped
	incomplete bool   // the source ended too early: more of it could make it valid
}

func (e *syntaxError) Error() string { return e.text("sh") }

func (e *syntaxError) text(shell string) string {
	if shell == "bash" {
		switch {
		case e.msg != "":
			return "bash: -c: line 1: " + e.msg
		case e.unexpected == "":
			return "bash: -c: line 1: syntax error: unexpected end of file"
		}
		return "bash: -c: line 1: syntax error near unexpected token `" + e.unexpected + "'"
	}
	switch {
	case e.msg != "":
		return "sh: syntax error: " + e.msg
	case e.unexpected == "" && e.expecting != "":
		return fmt.Sprintf("sh: syntax error: unexpected end of file (expecting %q)", e.expecting)
	case e.unexpected == "":
		return "sh: syntax error: unexpected end of file"
	case e.unexpected == "\n":
		return "sh: syntax error: unexpected newline"
	}
	return fmt.Sprintf("sh: syntax error: unexpected %q", e.unexpected)
}

// what is the message without the shell's name, as the terminal prints it after the line.
func (e *syntaxError) what() string {
	return strings.TrimPrefix(e.text("sh"), "sh: ")
}

// ---- parser ----

// maxNesting bounds how deep constructs nest, so hostile input cannot exhaust the stack.
const maxNesting = 200

type parser struct {
	src      string
	pos      int
	depth    int
	tok      token
	peeked   bool
	heredocs []*redir // here-documents whose bodies start after the next newline
	// lastEnd is where the last token consumed (not a newline) ends: a pipeline's end.
	lastEnd int
	// docs lists every here-document in source order, with where it sits (strict: the
	// terminal's parse, where a here-document without its delimiter line is incomplete).
	docs    []*heredoc
	pending []*heredoc
	strict  bool
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tOp
	tNewline
)

type token struct {
	kind  tokKind
	op    string
	w     *word
	fd    int // io number before a redirection operator, -1 if none
	start int
	end   int
}

func parseScript(src string) (l *list, err error) {
	l, _, err = parse(src, false)
	return l, err
}

// parse parses src; strict is the terminal's reading, where a here-document without its
// delimiter line or a backslash ending the source is incomplete rather than accepted.
func parse(src string, strict bool) (l *list, p *parser, err error) {
	p = &parser{src: src, strict: strict}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			l, err = nil, se
		}
	}()
	l = p.list(true)
	if t := p.peek(); t.kind != tEOF {
		p.fail(t, "")
	}
	return l, p, nil
}

// lineAt is the 1-based line of offset i.
func (p *parser) lineAt(i int) int { return 1 + strings.Count(p.src[:min(i, len(p.src))], "\n") }

func (p *parser) fail(t token, expecting string) {
	e := &syntaxError{expecting: expecting, line: p.lineAt(t.start)}
	switch t.kind {
	case tEOF:
		e.incomplete = true
	case tNewline:
		e.unexpected = "\n"
	case tOp:
		e.unexpected = t.op
	default:
		s, ok := t.w.lit()
		if !ok {
			s = "word"
		}
		e.unexpected = s
	}
	panic(e)
}

// failOpen stops at the end of the source for what opened at start (a quote) and was
// never closed: the error names the line where it opened.
func (p *parser) failOpen(start int, msg string) {
	panic(&syntaxError{msg: msg, line: p.lineAt(start), incomplete: true})
}

// failMsg stops at p.pos with a whole message; at the end of the source more input could
// complete it.
func (p *parser) failMsg(msg string) {
	panic(&syntaxError{msg: msg, line: p.lineAt(p.pos), incomplete: p.pos >= len(p.src)})
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxNesting {
		p.failMsg("nesting too deep")
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) peek() token {
	if !p.peeked {
		p.tok = p.lex()
		p.peeked = true
	}
	return p.tok
}

func (p *parser) next() token {
	t := p.peek()
	p.peeked = false
	p.pos = t.end
	if t.kind != tNewline && t.kind != tEOF {
		p.lastEnd = t.end
	}
	if t.kind == tNewline && len(p.heredocs) > 0 {
		p.readHeredocs()
	}
	return t
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

func isMeta(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>'
}

// lex reads the token at p.pos without consuming it (p.pos is moved by next).
func (p *parser) lex() token {
	i := p.pos
	for i < len(p.src) {
		c := p.src[i]
		if isBlank(c) {
			i++
		} else if c == '\\' && i+1 < len(p.src) && p.src[i+1] == '\n' {
			i += 2
		} else if c == '#' {
			for i < len(p.src) && p.src[i] != '\n' {
				i++
			}
		} else {
			break
		}
	}
	if i >= len(p.src) {
		if p.strict && len(p.heredocs) > 0 {
			// The here-document's body never came: the terminal waits for it.
			p.pos = i
			p.failMsg(fmt.Sprintf("here-document without its end: the line %q", heredocDelim(p.heredocs[0])))
		}
		return token{kind: tEOF, start: i, end: i, fd: -1}
	}
	c := p.src[i]
	if c == '\n' {
		return token{kind: tNewline, start: i, end: i + 1, fd: -1}
	}
	start := i
	// io number: digits directly followed by < or >
	j := i
	for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
		j++
	}
	fd := -1
	if j > i && j < len(p.src) && (p.src[j] == '<' || p.src[j] == '>') && j-i <= 2 {
		fmt.Sscan(p.src[i:j], &fd)
		i = j
	}
	for _, op := range []string{"&>>", "&&", "||", ";;", ">>", ">&", "<&", ">|", "<<-", "<<", "&>", ";", "&", "|", "(", ")", "<", ">"} {
		if strings.HasPrefix(p.src[i:], op) {
			if fd >= 0 && op[0] != '<' && op[0] != '>' {
				break
			}
			return token{kind: tOp, op: op, start: start, end: i + len(op), fd: fd}
		}
	}
	save := p.pos
	p.pos = i
	w := p.word()
	end := p.pos
	p.pos = save
	return token{kind: tWord, w: w, start: start, end: end, fd: -1}
}

// word reads an unquoted-context word at p.pos.
func (p *parser) word() *word {
	w := &word{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w.parts = append(w.parts, part{kind: pLit, text: lit.String()})
			lit.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if isMeta(c) {
			break
		}
		switch c {
		case '\\':
			p.pos++
			if p.pos < len(p.src) {
				if p.src[p.pos] != '\n' {
					flush()
					w.parts = append(w.parts, part{kind: pLit, text: p.src[p.pos : p.pos+1], quoted: true})
				}
				p.pos++
			} else if p.strict {
				p.failMsg("a backslash ends the text: the command goes on on the next line")
			}
		case '\'':
			flush()
			end := strings.IndexByte(p.src[p.pos+1:], '\'')
			if end < 0 {
				p.failOpen(p.pos, "unterminated quoted string")
			}
			w.parts = append(w.parts, part{kind: pLit, text: p.src[p.pos+1 : p.pos+1+end], quoted: true})
			p.pos += end + 2
		case '"':
			flush()
			p.pos++
			n := len(w.parts)
			p.dquote(w, '"')
			if len(w.parts) == n {
				w.parts = append(w.parts, part{kind: pLit, quoted: true})
			}
		case '$', '`':
			flush()
			p.dollar(w, false)
		case '~':
			if lit.Len() == 0 && len(w.parts) == 0 {
				p.pos++
				if p.pos >= len(p.src) || p.src[p.pos] == '/' || isMeta(p.src[p.pos]) {
					w.parts = append(w.parts, part{kind: pParam, text: "HOME", quoted: true})
				} else {
					lit.WriteByte('~')
				}
				continue
			}
			lit.WriteByte(c)
			p.pos++
		default:
			lit.WriteByte(c)
			p.pos++
		}
	}
	flush()
	return w
}

// dquote reads double-quoted text up to the closing quote (or '}' ending a ${...} operand
// inside quotes when term is '}').
func (p *parser) dquote(w *word, term byte) {
	open := p.pos - 1
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w.parts = append(w.parts, part{kind: pLit, text: lit.String(), quoted: true})
			lit.Reset()
		}
	}
	for {
		if p.pos >= len(p.src) {
			if term == 0 {
				flush()
				return
			}
			p.failOpen(open, "unterminated quoted string")
		}
		c := p.src[p.pos]
		if c == term {
			p.pos++
			flush()
			return
		}
		switch c {
		case '\\':
			if p.pos+1 < len(p.src) && strings.IndexByte("$`\"\\\n", p.src[p.pos+1]) >= 0 {
				if p.src[p.pos+1] != '\n' {
					lit.WriteByte(p.src[p.pos+1])
				}
				p.pos += 2
				continue
			}
			lit.WriteByte(c)
			p.pos++
		case '$', '`':
			flush()
			p.dollar(w, true)
		default:
			lit.WriteByte(c)
			p.pos++
		}
	}
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNameChar(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }

// dollar reads an expansion starting at p.pos ('$' or '`').
func (p *parser) dollar(w *word, quoted bool) {
	p.enter()
	defer p.leave()
	s := p.src
	start := p.pos
	if s[p.pos] == '`' {
		var b strings.Builder
		i := p.pos + 1
		for ; i < len(s) && s[i] != '`'; i++ {
			if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\\", s[i+1]) >= 0 {
				i++
			}
			b.WriteByte(s[i])
		}
		if i >= len(s) {
			p.failOpen(p.pos, "unterminated quoted string")
		}
		p.pos = i + 1
		w.parts = append(w.parts, part{kind: pSubst, sub: p.subParse(b.String()), quoted: quoted, text: s[start:p.pos]})
		return
	}
	i := p.pos + 1
	if i >= len(s) {
		w.parts = append(w.parts, part{kind: pLit, text: "$", quoted: quoted})
		p.pos = i
		return
	}
	switch c := s[i]; {
	case strings.HasPrefix(s[i:], "(("):
		depth, j := 0, i+2
		for ; j < len(s); j++ {
			if s[j] == '(' {
				depth++
			} else if s[j] == ')' {
				if depth == 0 {
					break
				}
				depth--
			}
		}
		if j+1 >= len(s) || s[j+1] != ')' {
			p.pos = j
			p.failMsg("unterminated arithmetic expression")
		}
		w.parts = append(w.parts, part{kind: pArith, text: s[i+2 : j], quoted: quoted})
		p.pos = j + 2
	case c == '(':
		p.pos = i + 1
		sub := p.list(false)
		if t := p.peek(); t.kind != tOp || t.op != ")" {
			p.fail(t, ")")
		}
		p.next()
		w.parts = append(w.parts, part{kind: pSubst, sub: sub, quoted: quoted, text: s[start:p.pos]})
	case c == '{':
		p.pos = i + 1
		w.parts = append(w.parts, p.braceParam(quoted))
	case isNameStart(c):
		j := i
		for j < len(s) && isNameChar(s[j]) {
			j++
		}
		w.parts = append(w.parts, part{kind: pParam, text: s[i:j], quoted: quoted})
		p.pos = j
	case c >= '0' && c <= '9' || strings.IndexByte("?$#@*!-", c) >= 0:
		w.parts = append(w.parts, part{kind: pParam, text: s[i : i+1], quoted: quoted})
		p.pos = i + 1
	default:
		w.parts = append(w.parts, part{kind: pLit, text: "$", quoted: quoted})
		p.pos = i
	}
}

// subParse parses the text of a backquoted command substitution.
func (p *parser) subParse(src string) *list {
	q := &parser{src: src, depth: p.depth}
	l := q.list(true)
	if t := q.peek(); t.kind != tEOF {
		q.fail(t, "")
	}
	return l
}

func (p *parser) braceParam(quoted bool) part {
	s := p.src
	pt := part{kind: pParam, quoted: quoted}
	if p.pos < len(s) && s[p.pos] == '#' && p.pos+1 < len(s) && s[p.pos+1] != '}' {
		pt.op = "len"
		p.pos++
	}
	i := p.pos
	if i < len(s) && isNameStart(s[i]) {
		for i < len(s) && isNameChar(s[i]) {
			i++
		}
	} else if i < len(s) && (s[i] >= '0' && s[i] <= '9') {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else if i < len(s) && strings.IndexByte("?$#@*!-", s[i]) >= 0 {
		i++
	}
	if i == p.pos {
		p.failMsg("bad substitution")
	}
	pt.text = s[p.pos:i]
	p.pos = i
	if p.pos < len(s) && s[p.pos] == '[' {
		p.pos++
		idx := &word{}
		p.paramWord(idx, "]")
		pt.index = idx
	}
	if p.pos >= len(s) {
		p.failMsg("bad substitution")
	}
	if s[p.pos] == '}' {
		p.pos++
		return pt
	}
	if pt.op == "len" {
		p.failMsg("bad substitution")
	}
	// ash's and bash's ${name/pattern/replacement} and ${name:offset:length}.
	if s[p.pos] == '/' {
		pt.op = "/"
		if p.pos+1 < len(s) && strings.IndexByte("/#%", s[p.pos+1]) >= 0 {
			pt.op += s[p.pos+1 : p.pos+2]
		}
		p.pos += len(pt.op)
		pt.arg = &word{}
		if p.paramWord(pt.arg, "/}") == '/' {
			pt.rep = &word{}
			p.paramWord(pt.rep, "}")
		}
		return pt
	}
	if s[p.pos] == ':' && (p.pos+1 >= len(s) || strings.IndexByte("-=+?", s[p.pos+1]) < 0) {
		pt.op = ":"
		p.pos++
		pt.arg = &word{}
		if p.paramWord(pt.arg, ":}") == ':' {
			pt.rep = &word{}
			p.paramWord(pt.rep, "}")
		}
		return pt
	}
	for _, op := range []string{":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%"} {
		if strings.HasPrefix(s[p.pos:], op) {
			pt.op = op
			p.pos += len(op)
			pt.arg = &word{}
			p.paramWord(pt.arg, "}")
			return pt
		}
	}
	p.failMsg("bad substitution")
	return pt
}

// paramWord reads the operand of ${name op word} up to one of the terminators, and
// returns the one it met.
func (p *parser) paramWord(w *word, terms string) byte {
	p.enter()
	defer p.leave()
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w.parts = append(w.parts, part{kind: pLit, text: lit.String()})
			lit.Reset()
		}
	}
	for {
		if p.pos >= len(p.src) {
			p.failMsg("bad substitution")
		}
		c := p.src[p.pos]
		switch {
		case strings.IndexByte(terms, c) >= 0:
			p.pos++
			flush()
			return c
		case c == '\\' && p.pos+1 < len(p.src):
			flush()
			w.parts = append(w.parts, part{kind: pLit, text: p.src[p.pos+1 : p.pos+2], quoted: true})
			p.pos += 2
		case c == '\'':
			flush()
			end := strings.IndexByte(p.src[p.pos+1:], '\'')
			if end < 0 {
				p.failOpen(p.pos, "unterminated quoted string")
			}
			w.parts = append(w.parts, part{kind: pLit, text: p.src[p.pos+1 : p.pos+1+end], quoted: true})
			p.pos += end + 2
		case c == '"':
			flush()
			p.pos++
			p.dquote(w, '"')
		case c == '$' || c == '`':
			flush()
			p.dollar(w, false)
		default:
			lit.WriteByte(c)
			p.pos++
		}
	}
}

// ---- grammar ----

var terminators = map[string]bool{"then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true, "}": true, "esac": true}

func (p *parser) skipNewlines() {
	for p.peek().kind == tNewline {
		p.next()
	}
}

func (p *parser) atTerminator() bool {
	t := p.peek()
	switch t.kind {
	case tEOF:
		return true
	case tOp:
		return t.op == ")" || t.op == ";;"
	case tWord:
		s, ok := t.w.lit()
		return ok && terminators[s]
	}
	return false
}

// list parses and-or lists separated by ; & or newlines. top allows an empty list.
func (p *parser) list(top bool) *list {
	p.enter()
	defer p.leave()
	l := &list{}
	p.skipNewlines()
	for !p.atTerminator() {
		ao := p.andOr()
		l.items = append(l.items, ao)
		t := p.peek()
		if t.kind == tOp && (t.op == ";" || t.op == "&") {
			p.next()
			ao.bg, ao.bgEnd = t.op == "&", t.end
		} else if t.kind == tNewline {
			p.next()
		} else {
			break
		}
		p.skipNewlines()
	}
	if len(l.items) == 0 && !top {
		p.fail(p.peek(), "")
	}
	return l
}

func (p *parser) andOr() *andOr {
	ao := &andOr{pipes: []*pipeline{p.pipeline()}}
	for {
		t := p.peek()
		if t.kind != tOp || (t.op != "&&" && t.op != "||") {
			return ao
		}
		p.next()
		p.skipNewlines()
		ao.ops = append(ao.ops, t.op)
		ao.pipes = append(ao.pipes, p.pipeline())
	}
}

func (p *parser) pipeline() *pipeline {
	pl := &pipeline{start: p.peek().start}
	defer func() { pl.end = p.lastEnd }()
	if t := p.peek(); t.kind == tWord {
		if s, ok := t.w.lit(); ok && s == "!" {
			p.next()
			pl.neg = true
		}
	}
	pl.cmds = append(pl.cmds, p.command())
	for {
		t := p.peek()
		if t.kind != tOp || t.op != "|" {
			return pl
		}
		p.next()
		p.skipNewlines()
		pl.cmds = append(pl.cmds, p.command())
	}
}

func (p *parser) expectWord(kw string) {
	t := p.peek()
	if s, ok := t.w.lit(); t.kind == tWord && ok && s == kw {
		p.next()
		return
	}
	p.fail(t, kw)
}

func (p *parser) command() command {
	p.enter()
	defer p.leave()
	t := p.peek()
	if t.kind == tOp && t.op == "(" {
		p.next()
		body := p.list(false)
		if t := p.peek(); t.kind != tOp || t.op != ")" {
			p.fail(t, ")")
		}
		p.next()
		return &groupCmd{body: body, subshell: true, rd: p.redirList()}
	}
	if t.kind != tWord {
		p.fail(t, "")
	}
	kw, _ := t.w.lit()
	switch kw {
	case "{":
		p.next()
		body := p.list(false)
		p.expectWord("}")
		return &groupCmd{body: body, rd: p.redirList()}
	case "if":
		p.next()
		c := &ifCmd{}
		for {
			c.conds = append(c.conds, p.list(false))
			p.expectWord("then")
			c.bodies = append(c.bodies, p.list(false))
			t := p.peek()
			s, _ := t.w.lit()
			if t.kind == tWord && s == "elif" {
				p.next()
				continue
			}
			if t.kind == tWord && s == "else" {
				p.next()
				c.els = p.list(false)
			}
			p.expectWord("fi")
			c.rd = p.redirList()
			return c
		}
	case "while", "until":
		p.next()
		c := &loopCmd{until: kw == "until", cond: p.list(false)}
		p.expectWord("do")
		c.body = p.list(false)
		p.expectWord("done")
		c.rd = p.redirList()
		return c
	case "for":
		p.next()
		t := p.next()
		name, ok := t.w.lit()
		if t.kind != tWord || !ok || !validName(name) {
			p.fail(t, "")
		}
		c := &forCmd{name: name}
		for p.peek().kind == tNewline {
			p.next()
		}
		if t := p.peek(); t.kind == tWord {
			if s, _ := t.w.lit(); s == "in" {
				p.next()
				c.items = []*word{}
				for p.peek().kind == tWord {
					c.items = append(c.items, p.next().w)
				}
			}
		}
		if t := p.peek(); t.kind == tOp && t.op == ";" || t.kind == tNewline {
			p.next()
		}
		p.skipNewlines()
		p.expectWord("do")
		c.body = p.list(false)
		p.expectWord("done")
		c.rd = p.redirList()
		return c
	case "case":
		p.next()
		t := p.next()
		if t.kind != tWord {
			p.fail(t, "")
		}
		c := &caseCmd{subject: t.w}
		p.skipNewlines()
		p.expectWord("in")
		p.skipNewlines()
		for {
			t := p.peek()
			if s, _ := t.w.lit(); t.kind == tWord && s == "esac" {
				p.next()
				break
			}
			if t.kind == tOp && t.op == "(" {
				p.next()
			}
			var it caseItem
			for {
				t := p.next()
				if t.kind != tWord {
					p.fail(t, "")
				}
				it.pats = append(it.pats, t.w)
				if t := p.peek(); t.kind == tOp && t.op == "|" {
					p.next()
					continue
				}
				break
			}
			if t := p.next(); t.kind != tOp || t.op != ")" {
				p.fail(t, ")")
			}
			it.body = p.list(true)
			c.items = append(c.items, it)
			if t := p.peek(); t.kind == tOp && t.op == ";;" {
				p.next()
				p.skipNewlines()
				continue
			}
			p.expectWord("esac")
			break
		}
		c.rd = p.redirList()
		return c
	}
	if terminators[kw] {
		p.fail(t, "")
	}
	return p.simple()
}

func validName(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameChar(s[i]) {
			return false
		}
	}
	return true
}

func (p *parser) redirList() []redir {
	var rs []redir
	for {
		t := p.peek()
		if t.kind != tOp || !isRedirOp(t.op) {
			return rs
		}
		rs = append(rs, p.redirect())
	}
}

func isRedirOp(op string) bool {
	switch op {
	case ">", ">>", "<", ">&", "<&", "&>", "&>>", ">|", "<<", "<<-":
		return true
	}
	return false
}

func (p *parser) redirect() redir {
	t := p.next()
	r := redir{fd: t.fd, op: t.op}
	if r.op == ">|" {
		r.op = ">"
	}
	if r.fd < 0 {
		r.fd = 1
		if r.op[0] == '<' {
			r.fd = 0
		}
	}
	tw := p.next()
	if tw.kind != tWord {
		p.fail(tw, "")
	}
	r.target = tw.w
	if r.op == "<<" || r.op == "<<-" {
		// The body is read after the next newline; the returned copy shares r.doc.
		r.doc = &word{}
		p.heredocs = append(p.heredocs, &r)
		d := &heredoc{at: t.start}
		r.span = d
		p.docs = append(p.docs, d)
		p.pending = append(p.pending, d)
	}
	return r
}

// heredocDelim is the delimiter line a here-document ends with.
func heredocDelim(r *redir) string {
	delim := ""
	for _, pt := range r.target.parts {
		delim += pt.text
	}
	return delim
}

// readHeredocs reads the bodies of pending here-documents, which start at p.pos.
func (p *parser) readHeredocs() {
	docs, spans := p.heredocs, p.pending
	p.heredocs, p.pending = nil, nil
	for i, r := range docs {
		delim := heredocDelim(r)
		quotedDelim := false
		for _, pt := range r.target.parts {
			quotedDelim = quotedDelim || pt.quoted
		}
		var body strings.Builder
		span := spans[i]
		span.bodyStart = p.pos
		found := false
		for p.pos < len(p.src) {
			end := strings.IndexByte(p.src[p.pos:], '\n')
			line := ""
			lineEnd := 0
			if end < 0 {
				line, p.pos = p.src[p.pos:], len(p.src)
				lineEnd = p.pos
			} else {
				line, p.pos = p.src[p.pos:p.pos+end], p.pos+end+1
				lineEnd = p.pos - 1
			}
			span.bodyEnd = lineEnd
			if r.op == "<<-" {
				line = strings.TrimLeft(line, "\t")
			}
			if line == delim {
				found = true
				break
			}
			body.WriteString(line + "\n")
		}
		if !found && p.strict {
			p.failMsg(fmt.Sprintf("here-document without its end: the line %q", delim))
		}
		span.body = body.String()
		if quotedDelim {
			r.doc.parts = append(r.doc.parts, part{kind: pLit, text: body.String(), quoted: true})
		} else {
			q := &parser{src: body.String(), depth: p.depth}
			q.dquote(r.doc, 0)
		}
	}
}

func (p *parser) simple() command {
	c := &simpleCmd{pos: p.peek().start}
	for {
		t := p.peek()
		if t.kind == tOp && isRedirOp(t.op) {
			c.rd = append(c.rd, p.redirect())
			continue
		}
		if t.kind != tWord {
			break
		}
		if len(c.words) == 0 {
			if a, ok := p.assignment(t); ok {
				c.assigns = append(c.assigns, a)
				continue
			}
		}
		p.next()
		c.words = append(c.words, t.w)
		// name() { ... } defines a function
		if len(c.words) == 1 && len(c.assigns) == 0 && len(c.rd) == 0 {
			if nt := p.peek(); nt.kind == tOp && nt.op == "(" && p.pos < len(p.src) {
				name, ok := t.w.lit()
				save := p.pos
				p.next()
				if ct := p.peek(); ok && ct.kind == tOp && ct.op == ")" {
					p.next()
					p.skipNewlines()
					body := p.command()
					return &funcDef{name: name, body: body, src: p.src[t.start:p.lastEnd]}
				}
				p.pos, p.peeked = save, false
				p.fail(nt, "")
			}
		}
	}
	if len(c.words) == 0 && len(c.assigns) == 0 && len(c.rd) == 0 {
		p.fail(p.peek(), "")
	}
	return c
}

// assignment recognises NAME=value (and bash's NAME=(a b c)) at t.
func (p *parser) assignment(t token) (assign, bool) {
	if len(t.w.parts) == 0 || t.w.parts[0].kind != pLit || t.w.parts[0].quoted {
		return assign{}, false
	}
	first := t.w.parts[0].text
	eq := strings.IndexByte(first, '=')
	if eq <= 0 || !validName(first[:eq]) {
		return assign{}, false
	}
	p.next()
	a := assign{name: first[:eq]}
	rest := &word{}
	if eq+1 < len(first) {
		rest.parts = append(rest.parts, part{kind: pLit, text: first[eq+1:]})
	}
	rest.parts = append(rest.parts, t.w.parts[1:]...)
	a.value = rest
	if len(rest.parts) == 0 && p.pos < len(p.src) && p.src[p.pos] == '(' {
		p.next() // "("
		a.isArr = true
		for {
			for p.peek().kind == tNewline {
				p.next()
			}
			t := p.next()
			if t.kind == tOp && t.op == ")" {
				break
			}
			if t.kind != tWord {
				p.fail(t, ")")
			}
			a.array = append(a.array, t.w)
		}
	}
	return a, true
}
