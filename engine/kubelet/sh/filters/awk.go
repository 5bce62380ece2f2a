package filters

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A small awk: the one-liners docs and scripts pipe kubectl's tables into. Patterns
// (expressions, /regex/, BEGIN, END, ranges), actions with print (and > file), printf,
// assignments, if/else, while, for, for-in, next, exit, break, continue, delete; fields,
// NR, NF, FS, OFS, ORS, RSTART, RLENGTH; arrays; string, numeric and regex operators; and
// length, substr, index, split, sub, gsub, match, sprintf, tolower, toupper, int.

// awkValue is an awk cell: a number, a string, or a string from input that looks like a
// number (compared as one).
type awkValue struct {
	s      string
	n      float64
	isNum  bool // a number
	strnum bool // input that looks numeric
}

func awkNum(n float64) awkValue { return awkValue{n: n, isNum: true} }
func awkStr(s string) awkValue  { return awkValue{s: s} }

// awkInput is text from input: a strnum when it looks like a number.
func awkInput(s string) awkValue {
	v := awkValue{s: s}
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && strings.TrimSpace(s) != "" {
		v.n, v.strnum = f, true
	}
	return v
}

func (v awkValue) num() float64 {
	if v.isNum || v.strnum {
		return v.n
	}
	s := strings.TrimSpace(v.s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || end == 0 && (s[end] == '-' || s[end] == '+') || (s[end] == 'e' || s[end] == 'E') && end > 0) {
		end++
	}
	for end > 0 {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return f
		}
		end--
	}
	return 0
}

func awkFormatNum(n float64) string {
	if n == math.Trunc(n) && math.Abs(n) < 1e16 {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'g', 6, 64)
}

func (v awkValue) str() string {
	if v.isNum {
		return awkFormatNum(v.n)
	}
	return v.s
}

func (v awkValue) truth() bool {
	if v.isNum || v.strnum {
		return v.n != 0
	}
	return v.s != ""
}

// ---- syntax ----

type awkNode struct {
	op   string // node kind
	s    string
	n    float64
	re   *regexp.Regexp
	kids []*awkNode
}

type awkItem struct {
	kind     string // "BEGIN", "END", "main"
	pat, end *awkNode
	body     []*awkNode // nil: print $0
	inRange  bool
}

type awkTok struct {
	kind string // "num", "str", "re", "name", "func", "op", "nl", "eof"
	s    string
	n    float64
}

type awkParser struct {
	toks []awkTok
	pos  int
	err  string
}

func awkLex(src string) ([]awkTok, string) {
	var toks []awkTok
	operand := func() bool {
		if len(toks) == 0 {
			return false
		}
		t := toks[len(toks)-1]
		return t.kind == "num" || t.kind == "str" || t.kind == "name" || t.kind == "re" || t.kind == "op" && (t.s == ")" || t.s == "]" || t.s == "$" || t.s == "++" || t.s == "--")
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
		case c == '\n' || c == ';':
			toks = append(toks, awkTok{kind: "nl", s: string(c)})
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || (src[j] == 'e' || src[j] == 'E') && j+1 < len(src) && (src[j+1] >= '0' && src[j+1] <= '9' || src[j+1] == '-' || src[j+1] == '+') || (src[j] == '-' || src[j] == '+') && j > i && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			n, _ := strconv.ParseFloat(src[i:j], 64)
			toks = append(toks, awkTok{kind: "num", n: n})
			i = j
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
					switch src[j] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					case '\\', '"', '/':
						b.WriteByte(src[j])
					default:
						b.WriteByte('\\')
						b.WriteByte(src[j])
					}
					continue
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, "non-terminated string"
			}
			toks = append(toks, awkTok{kind: "str", s: b.String()})
			i = j + 1
		case c == '/' && !operand():
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != '/' && src[j] != '\n'; j++ {
				if src[j] == '\\' && j+1 < len(src) && src[j+1] == '/' {
					j++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) || src[j] != '/' {
				return nil, "non-terminated regular expression"
			}
			toks = append(toks, awkTok{kind: "re", s: b.String()})
			i = j + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			kind := "name"
			if j < len(src) && src[j] == '(' && awkFuncs[src[i:j]] {
				kind = "func"
			}
			toks = append(toks, awkTok{kind: kind, s: src[i:j]})
			i = j
		default:
			op := ""
			if i+1 < len(src) && strings.Contains(awkOps2, " "+src[i:i+2]+" ") {
				op = src[i : i+2]
			}
			if op == "" {
				if strings.IndexByte("{}()[],;<>+-*/%^!~?:=$", c) < 0 {
					return nil, "syntax error at source line 1: unexpected character '" + string(c) + "'"
				}
				op = string(c)
			}
			i += len(op)
			if op == "**" {
				op = "^"
			}
			toks = append(toks, awkTok{kind: "op", s: op})
		}
	}
	return append(toks, awkTok{kind: "eof"}), ""
}

// awkOps2 are the two-character operators, between blanks.
const awkOps2 = " && || == != <= >= !~ ++ -- += -= *= /= %= ^= >> ** "

var awkFuncs = map[string]bool{"length": true, "substr": true, "index": true, "split": true, "sub": true, "gsub": true,
	"match": true, "sprintf": true, "tolower": true, "toupper": true, "int": true, "sqrt": true}

func (p *awkParser) peek() awkTok { return p.toks[p.pos] }

func (p *awkParser) is(s string) bool {
	t := p.toks[p.pos]
	return (t.kind == "op" || t.kind == "name" || t.kind == "nl") && t.s == s
}

// newlines skips newlines only (not ;), where a ; means something (for's header).
func (p *awkParser) newlines() {
	for p.peek().kind == "nl" && p.peek().s == "\n" {
		p.pos++
	}
}

func (p *awkParser) fail(msg string) {
	if p.err == "" {
		t := p.peek()
		near := t.s
		if t.kind == "num" {
			near = awkFormatNum(t.n)
		}
		if t.kind == "eof" {
			near = "end of program"
		}
		p.err = "syntax error at source line 1 near " + near
		if msg != "" {
			p.err = msg
		}
	}
	panic(p)
}

func (p *awkParser) expect(s string) {
	if !p.is(s) {
		p.fail("")
	}
	p.pos++
}

func (p *awkParser) nls() {
	for p.peek().kind == "nl" {
		p.pos++
	}
}

func parseAwk(src string) (items []*awkItem, err string) {
	toks, lerr := awkLex(src)
	if lerr != "" {
		return nil, lerr
	}
	p := &awkParser{toks: toks}
	defer func() {
		if r := recover(); r != nil {
			if r != p {
				panic(r)
			}
			items, err = nil, p.err
		}
	}()
	for {
		p.nls()
		if p.peek().kind == "eof" {
			return items, ""
		}
		it := &awkItem{kind: "main"}
		switch {
		case p.is("BEGIN"), p.is("END"):
			it.kind = p.peek().s
			p.pos++
		case !p.is("{"):
			it.pat = p.expr(false)
			if p.is(",") {
				p.pos++
				p.nls()
				it.end = p.expr(false)
			}
		}
		if p.is("{") {
			it.body = p.block()
		} else if it.kind != "main" {
			p.fail("")
		}
		items = append(items, it)
	}
}

func (p *awkParser) block() []*awkNode {
	p.expect("{")
	var stmts []*awkNode
	for {
		p.nls()
		if p.is("}") {
			p.pos++
			if stmts == nil {
				stmts = []*awkNode{}
			}
			return stmts
		}
		stmts = append(stmts, p.stmt())
	}
}

// simple ends a simple statement: a newline, ;, or a } left for the block.
func (p *awkParser) endStmt() {
	switch {
	case p.peek().kind == "nl":
		p.pos++
	case p.is("}"), p.peek().kind == "eof":
	default:
		p.fail("")
	}
}

func (p *awkParser) body() *awkNode {
	p.nls()
	if p.is("{") {
		return &awkNode{op: "block", kids: p.block()}
	}
	return p.stmt()
}

// loopBody reads how a loop's body ended: break leaves the loop (the statement ends
// normally), next and exit leave it and go on outward; continue and a normal end go round.
func loopBody(c awkCtl) (awkCtl, bool) {
	switch c {
	case ctlBreak:
		return ctlNone, true
	case ctlNext, ctlExit:
		return c, true
	}
	return c, false
}

func (p *awkParser) stmt() *awkNode {
	t := p.peek()
	if t.kind == "op" && t.s == "{" {
		return &awkNode{op: "block", kids: p.block()}
	}
	if t.kind == "name" {
		switch t.s {
		case "print", "printf":
			p.pos++
			n := &awkNode{op: t.s}
			if !p.is(";") && !p.is("}") && p.peek().kind != "nl" && p.peek().kind != "eof" && !p.is(">") && !p.is(">>") {
				n.kids = p.exprList(true)
			}
			if p.is(">") || p.is(">>") {
				n.s = p.peek().s
				p.pos++
				n.kids = append([]*awkNode{p.concat(true)}, n.kids...)
			}
			p.endStmt()
			return n
		case "if":
			p.pos++
			p.expect("(")
			n := &awkNode{op: "if", kids: []*awkNode{p.expr(false)}}
			p.expect(")")
			n.kids = append(n.kids, p.body())
			save := p.pos
			p.nls()
			if p.is("else") {
				p.pos++
				n.kids = append(n.kids, p.body())
			} else {
				p.pos = save
			}
			return n
		case "while":
			p.pos++
			p.expect("(")
			cond := p.expr(false)
			p.expect(")")
			return &awkNode{op: "while", kids: []*awkNode{cond, p.body()}}
		case "for":
			p.pos++
			p.expect("(")
			if p.peek().kind == "name" && p.toks[p.pos+1].s == "in" && p.toks[p.pos+1].kind == "name" {
				v := p.peek().s
				p.pos += 2
				arr := p.peek().s
				p.pos++
				p.expect(")")
				return &awkNode{op: "forin", s: v, kids: []*awkNode{{op: "var", s: arr}, p.body()}}
			}
			var init, cond, step *awkNode
			if !p.is(";") {
				init = p.expr(false)
			}
			p.expect(";")
			p.newlines()
			if !p.is(";") {
				cond = p.expr(false)
			}
			p.expect(";")
			p.newlines()
			if !p.is(")") {
				step = p.expr(false)
			}
			p.expect(")")
			return &awkNode{op: "for", kids: []*awkNode{init, cond, step, p.body()}}
		case "next", "break", "continue":
			p.pos++
			p.endStmt()
			return &awkNode{op: t.s}
		case "exit":
			p.pos++
			n := &awkNode{op: "exit"}
			if !p.is("}") && p.peek().kind != "nl" && p.peek().kind != "eof" {
				n.kids = []*awkNode{p.expr(false)}
			}
			p.endStmt()
			return n
		case "delete":
			p.pos++
			n := &awkNode{op: "delete", s: p.peek().s}
			p.pos++
			if p.is("[") {
				p.pos++
				n.kids = p.exprList(false)
				p.expect("]")
			}
			p.endStmt()
			return n
		}
	}
	if t.kind == "nl" {
		p.pos++
		return &awkNode{op: "block"}
	}
	n := p.expr(false)
	p.endStmt()
	return n
}

func (p *awkParser) exprList(print bool) []*awkNode {
	if print && p.is("(") {
		// print (a, b) > f: a parenthesized list.
		save := p.pos
		p.pos++
		l := p.exprList(false)
		if p.is(")") {
			p.pos++
			if p.is(";") || p.is("}") || p.peek().kind == "nl" || p.peek().kind == "eof" || p.is(">") || p.is(">>") {
				return l
			}
		}
		p.pos = save
	}
	l := []*awkNode{p.expr(print)}
	for p.is(",") {
		p.pos++
		p.nls()
		l = append(l, p.expr(print))
	}
	return l
}

// expr parses an expression; noGT leaves > to print's redirection.
func (p *awkParser) expr(noGT bool) *awkNode {
	return p.ternary(noGT)
}

func (p *awkParser) ternary(noGT bool) *awkNode {
	c := p.or(noGT)
	if p.is("?") {
		p.pos++
		p.nls()
		a := p.ternary(noGT)
		p.nls()
		p.expect(":")
		p.nls()
		b := p.ternary(noGT)
		return &awkNode{op: "?:", kids: []*awkNode{c, a, b}}
	}
	if isLvalue(c) {
		for _, op := range []string{"=", "+=", "-=", "*=", "/=", "%=", "^="} {
			if p.is(op) {
				p.pos++
				p.nls()
				return &awkNode{op: "assign", s: op, kids: []*awkNode{c, p.ternary(noGT)}}
			}
		}
	}
	return c
}

func isLvalue(n *awkNode) bool { return n.op == "var" || n.op == "index" || n.op == "field" }

// leftAssoc parses operands joined by any of ops, grouped from the left; a newline may
// follow && and ||, as in awk's grammar.
func (p *awkParser) leftAssoc(operand func() *awkNode, ops ...string) *awkNode {
	l := operand()
	for slices.ContainsFunc(ops, p.is) {
		op := p.peek().s
		p.pos++
		if op == "&&" || op == "||" {
			p.nls()
		}
		l = &awkNode{op: op, kids: []*awkNode{l, operand()}}
	}
	return l
}

func (p *awkParser) or(noGT bool) *awkNode {
	return p.leftAssoc(func() *awkNode { return p.and(noGT) }, "||")
}

func (p *awkParser) and(noGT bool) *awkNode {
	return p.leftAssoc(func() *awkNode { return p.in(noGT) }, "&&")
}

func (p *awkParser) in(noGT bool) *awkNode {
	l := p.match(noGT)
	for p.is("in") {
		p.pos++
		l = &awkNode{op: "in", s: p.peek().s, kids: []*awkNode{l}}
		p.pos++
	}
	return l
}

func (p *awkParser) match(noGT bool) *awkNode {
	return p.leftAssoc(func() *awkNode { return p.compare(noGT) }, "~", "!~")
}

func (p *awkParser) compare(noGT bool) *awkNode {
	l := p.concat(noGT)
	for _, op := range []string{"<", "<=", "==", "!=", ">", ">="} {
		if p.is(op) && !(noGT && op == ">") {
			p.pos++
			return &awkNode{op: op, kids: []*awkNode{l, p.concat(noGT)}}
		}
	}
	return l
}

// startsOperand reports whether the next token can begin an operand (for concatenation).
func (p *awkParser) startsOperand() bool {
	t := p.peek()
	switch t.kind {
	case "num", "str", "re", "func":
		return true
	case "name":
		return t.s != "in" && t.s != "getline"
	case "op":
		return t.s == "$" || t.s == "(" || t.s == "!" || t.s == "-" || t.s == "+" || t.s == "++" || t.s == "--"
	}
	return false
}

func (p *awkParser) concat(noGT bool) *awkNode {
	l := p.additive()
	for p.startsOperand() && !p.is("-") && !p.is("+") {
		l = &awkNode{op: "concat", kids: []*awkNode{l, p.additive()}}
	}
	return l
}

func (p *awkParser) additive() *awkNode { return p.leftAssoc(p.multiplicative, "+", "-") }

func (p *awkParser) multiplicative() *awkNode { return p.leftAssoc(p.unary, "*", "/", "%") }

func (p *awkParser) unary() *awkNode {
	switch {
	case p.is("!"):
		p.pos++
		return &awkNode{op: "!", kids: []*awkNode{p.unary()}}
	case p.is("-"):
		p.pos++
		return &awkNode{op: "neg", kids: []*awkNode{p.unary()}}
	case p.is("+"):
		p.pos++
		return &awkNode{op: "pos", kids: []*awkNode{p.unary()}}
	}
	return p.power()
}

func (p *awkParser) power() *awkNode {
	b := p.postfix()
	if p.is("^") {
		p.pos++
		return &awkNode{op: "^", kids: []*awkNode{b, p.unary()}}
	}
	return b
}

func (p *awkParser) postfix() *awkNode {
	if p.is("++") || p.is("--") {
		op := p.peek().s
		p.pos++
		return &awkNode{op: "pre" + op, kids: []*awkNode{p.primary()}}
	}
	n := p.primary()
	if isLvalue(n) && (p.is("++") || p.is("--")) {
		op := p.peek().s
		p.pos++
		return &awkNode{op: "post" + op, kids: []*awkNode{n}}
	}
	return n
}

func (p *awkParser) primary() *awkNode {
	t := p.peek()
	p.pos++
	switch t.kind {
	case "num":
		return &awkNode{op: "num", n: t.n}
	case "str":
		return &awkNode{op: "str", s: t.s}
	case "re":
		re, err := regexp.Compile(t.s)
		if err != nil {
			p.pos--
			p.fail("syntax error in regular expression " + t.s)
		}
		return &awkNode{op: "re", re: re}
	case "func":
		p.expect("(")
		n := &awkNode{op: "call", s: t.s}
		if !p.is(")") {
			n.kids = p.exprList(false)
		}
		p.expect(")")
		return n
	case "name":
		if t.s == "length" { // length without parentheses
			return &awkNode{op: "call", s: "length"}
		}
		if p.is("[") {
			p.pos++
			n := &awkNode{op: "index", s: t.s, kids: p.exprList(false)}
			p.expect("]")
			return n
		}
		return &awkNode{op: "var", s: t.s}
	case "op":
		switch t.s {
		case "$":
			return &awkNode{op: "field", kids: []*awkNode{p.postfixNoIncr()}}
		case "(":
			e := p.expr(false)
			p.expect(")")
			return &awkNode{op: "group", kids: []*awkNode{e}}
		}
	}
	p.pos--
	p.fail("")
	return nil
}

// postfixNoIncr is the operand of $: $i++ increments the field, not i.
func (p *awkParser) postfixNoIncr() *awkNode {
	if p.is("-") {
		p.pos++
		return &awkNode{op: "neg", kids: []*awkNode{p.primary()}}
	}
	return p.primary()
}

// ---- evaluation ----

type awkState struct {
	c       *Call
	vars    map[string]awkValue
	arrays  map[string]map[string]awkValue
	fields  []string // $0 split; fields[0] is $0
	out     *strings.Builder
	exit    bool
	code    int
	failed  string
	reCache map[string]*regexp.Regexp
}

type awkCtl int

const (
	ctlNone awkCtl = iota
	ctlNext
	ctlBreak
	ctlContinue
	ctlExit
)

// Awk is a small awk (see the top of this file).
func Awk(c *Call) int {
	args := c.Args[1:]
	st := &awkState{c: c, vars: map[string]awkValue{"FS": awkStr(" "), "OFS": awkStr(" "), "ORS": awkStr("\n"), "SUBSEP": awkStr("\x1c")},
		arrays: map[string]map[string]awkValue{}, out: &strings.Builder{}, reCache: map[string]*regexp.Regexp{}}
	src := ""
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-F" && i+1 < len(args):
			i++
			st.vars["FS"] = awkStr(awkFS(args[i]))
		case strings.HasPrefix(a, "-F"):
			st.vars["FS"] = awkStr(awkFS(a[2:]))
		case a == "-v" && i+1 < len(args):
			i++
			k, v, _ := strings.Cut(args[i], "=")
			st.vars[k] = awkInput(v)
		case a == "--":
		case strings.HasPrefix(a, "-") && a != "-" && src == "":
			c.errf("awk: unknown option %s", a)
			return 2
		case src == "" && files == nil:
			src = a
			files = []string{}
		default:
			files = append(files, a)
		}
	}
	if files == nil {
		c.errf("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]")
		return 2
	}
	items, err := parseAwk(src)
	if err != "" {
		c.errf("awk: %s", err)
		return 2
	}
	defer func() {
		c.out(st.out.String())
	}()
	for _, it := range items {
		if it.kind == "BEGIN" && st.run(it.body) == ctlExit {
			break
		}
	}
	hasMain := false
	for _, it := range items {
		hasMain = hasMain || it.kind != "BEGIN"
	}
	if hasMain && !st.exit && st.failed == "" {
		datas, status := c.Inputs(files)
		if status != 0 && len(datas) == 0 {
			return 2
		}
		nr := 0
	input:
		for _, d := range datas {
			for _, line := range lines(d) {
				nr++
				st.vars["NR"], st.vars["FNR"] = awkNum(float64(nr)), awkNum(float64(nr))
				st.setRecord(line)
				for _, it := range items {
					if it.kind != "main" || !st.selects(it) {
						continue
					}
					ctl := ctlNone
					if it.body == nil {
						st.print(awkStr(st.fields[0]).str() + st.vars["ORS"].str())
					} else {
						ctl = st.run(it.body)
					}
					if ctl == ctlNext {
						break
					}
					if ctl == ctlExit || st.failed != "" {
						break input
					}
				}
				if st.failed != "" || st.exit {
					break input
				}
			}
		}
	}
	if st.failed == "" && hasMain {
		st.exit = false
		for _, it := range items {
			if it.kind == "END" && st.run(it.body) == ctlExit {
				break
			}
		}
	}
	if st.failed != "" {
		c.out(st.out.String())
		st.out.Reset()
		c.errf("awk: %s", st.failed)
		return 2
	}
	return st.code
}

// awkFS is -F's value: "t" means a tab, as POSIX says.
func awkFS(s string) string {
	if s == "t" {
		return "\t"
	}
	s, _ = Unescape(s, false)
	return s
}

func (st *awkState) print(s string) {
	if st.out.Len() > MaxValueBytes {
		st.failed = "output too large"
		return
	}
	st.out.WriteString(s)
}

func (st *awkState) selects(it *awkItem) bool {
	if it.pat == nil {
		return true
	}
	if it.end == nil {
		return st.cond(it.pat)
	}
	if it.inRange {
		if st.cond(it.end) {
			it.inRange = false
		}
		return true
	}
	if st.cond(it.pat) {
		it.inRange = !st.cond(it.end)
		return true
	}
	return false
}

// cond is a pattern's truth: a bare regex matches $0.
func (st *awkState) cond(n *awkNode) bool {
	if n.op == "re" {
		return n.re.MatchString(st.fields[0])
	}
	return st.eval(n).truth()
}

func (st *awkState) setRecord(line string) {
	st.fields = append(st.fields[:0], line)
	fs := st.vars["FS"].str()
	var fields []string
	switch {
	case fs == " ":
		fields = strings.Fields(line)
	case line == "":
	case len(fs) == 1 && fs != "\\":
		fields = strings.Split(line, fs)
	default:
		if re, err := st.regexp(fs); err == nil {
			fields = re.Split(line, -1)
		}
	}
	st.fields = append(st.fields, fields...)
	st.vars["NF"] = awkNum(float64(len(fields)))
}

func (st *awkState) regexp(src string) (*regexp.Regexp, error) {
	if re, ok := st.reCache[src]; ok {
		return re, nil
	}
	re, err := regexp.Compile(src)
	if err == nil {
		st.reCache[src] = re
	}
	return re, err
}

// rebuild makes $0 from the fields after one was assigned.
func (st *awkState) rebuild() {
	st.fields[0] = strings.Join(st.fields[1:], st.vars["OFS"].str())
	st.vars["NF"] = awkNum(float64(len(st.fields) - 1))
}

func (st *awkState) run(stmts []*awkNode) awkCtl {
	for _, s := range stmts {
		if ctl := st.exec(s); ctl != ctlNone || st.failed != "" {
			return ctl
		}
	}
	return ctlNone
}

func (st *awkState) tick() bool {
	if !st.c.Step() {
		st.failed = "stopped: too many steps"
		return false
	}
	return true
}

func (st *awkState) exec(n *awkNode) awkCtl {
	if !st.tick() {
		return ctlExit
	}
	switch n.op {
	case "block":
		return st.run(n.kids)
	case "print", "printf":
		args, target := n.kids, ""
		if n.s != "" {
			target, args = st.eval(n.kids[0]).str(), n.kids[1:]
		}
		var s string
		if n.op == "print" {
			if len(args) == 0 {
				s = st.fields[0]
			}
			for i, a := range args {
				if i > 0 {
					s += st.vars["OFS"].str()
				}
				s += st.outStr(st.eval(a))
			}
			s += st.vars["ORS"].str()
		} else {
			if len(args) == 0 {
				st.failed = "printf: no format"
				return ctlExit
			}
			s = st.sprintf(args)
		}
		if target == "" {
			st.print(s)
			return ctlNone
		}
		if target == "/dev/stderr" {
			st.c.errf("%s", strings.TrimSuffix(s, "\n"))
			return ctlNone
		}
		p := target
		var err error
		if n.s == ">" && !st.opened(p) {
			err = st.c.WriteFile(p, s, false)
		} else {
			err = st.c.WriteFile(p, s, true)
		}
		if err != nil {
			st.failed = "can't redirect to " + target
			return ctlExit
		}
	case "if":
		if st.eval(n.kids[0]).truth() {
			return st.exec(n.kids[1])
		} else if len(n.kids) > 2 {
			return st.exec(n.kids[2])
		}
	case "while":
		for st.eval(n.kids[0]).truth() && st.failed == "" {
			if c, out := loopBody(st.exec(n.kids[1])); out {
				return c
			}
		}
	case "for":
		if n.kids[0] != nil {
			st.eval(n.kids[0])
		}
		for (n.kids[1] == nil || st.eval(n.kids[1]).truth()) && st.failed == "" {
			if c, out := loopBody(st.exec(n.kids[3])); out {
				return c
			}
			if n.kids[2] != nil {
				st.eval(n.kids[2])
			}
		}
	case "forin":
		arr := st.arrays[n.kids[0].s]
		keys := make([]string, 0, len(arr))
		for k := range arr {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			st.vars[n.s] = awkInput(k)
			if c, out := loopBody(st.exec(n.kids[1])); out {
				return c
			}
		}
	case "next":
		return ctlNext
	case "break":
		return ctlBreak
	case "continue":
		return ctlContinue
	case "exit":
		if len(n.kids) > 0 {
			st.code = int(st.eval(n.kids[0]).num())
		}
		st.exit = true
		return ctlExit
	case "delete":
		if len(n.kids) == 0 {
			delete(st.arrays, n.s)
		} else if a := st.arrays[n.s]; a != nil {
			delete(a, st.key(n.kids))
		}
	default:
		st.eval(n)
	}
	return ctlNone
}

// opened tracks files print > has written in this run, which later prints append to.
func (st *awkState) opened(p string) bool {
	k := "\x00open:" + p
	if _, ok := st.arrays[k]; ok {
		return true
	}
	st.arrays[k] = map[string]awkValue{}
	return false
}

// outStr is how print shows a value: numbers as integers or with OFMT (%.6g).
func (st *awkState) outStr(v awkValue) string { return v.str() }

func (st *awkState) key(kids []*awkNode) string {
	parts := make([]string, len(kids))
	for i, k := range kids {
		parts[i] = st.eval(k).str()
	}
	return strings.Join(parts, st.vars["SUBSEP"].str())
}

func (st *awkState) array(name string) map[string]awkValue {
	a := st.arrays[name]
	if a == nil {
		a = map[string]awkValue{}
		st.arrays[name] = a
	}
	return a
}

func (st *awkState) field(i int) string {
	if i < 0 {
		st.failed = "trying to access out of range field " + strconv.Itoa(i)
		return ""
	}
	if i < len(st.fields) {
		return st.fields[i]
	}
	return ""
}

// unset is an uninitialized value: both "" and 0.
var unset = awkValue{strnum: true}

func (st *awkState) get(n *awkNode) awkValue {
	switch n.op {
	case "var":
		if v, ok := st.vars[n.s]; ok {
			return v
		}
		return unset
	case "index":
		a := st.array(n.s)
		k := st.key(n.kids)
		if v, ok := a[k]; ok {
			return v
		}
		a[k] = unset // referring to an element creates it, as in awk
		return unset
	case "field":
		i := int(st.eval(n.kids[0]).num())
		if i >= len(st.fields) {
			return unset
		}
		return awkInput(st.field(i))
	}
	return st.eval(n)
}

func (st *awkState) set(n *awkNode, v awkValue) {
	switch n.op {
	case "var":
		st.vars[n.s] = v
		if n.s == "NF" {
			nf := int(v.num())
			for len(st.fields)-1 < nf {
				st.fields = append(st.fields, "")
			}
			st.fields = st.fields[:nf+1]
			st.rebuild()
		}
	case "index":
		st.array(n.s)[st.key(n.kids)] = v
	case "field":
		i := int(st.eval(n.kids[0]).num())
		switch {
		case i == 0:
			st.setRecord(v.str())
		case i > 0 && i < 10000:
			for len(st.fields) <= i {
				st.fields = append(st.fields, "")
			}
			st.fields[i] = v.str()
			st.rebuild()
		}
	}
}

func awkCompare(a, b awkValue) int {
	if (a.isNum || a.strnum) && (b.isNum || b.strnum) {
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
		return 0
	}
	return strings.Compare(a.str(), b.str())
}

func (st *awkState) matchRe(n *awkNode) *regexp.Regexp {
	if n.op == "re" {
		return n.re
	}
	re, err := st.regexp(st.eval(n).str())
	if err != nil {
		st.failed = "bad regular expression"
		return regexp.MustCompile(`$^`)
	}
	return re
}

func (st *awkState) eval(n *awkNode) awkValue {
	if st.failed != "" || !st.tick() {
		return awkValue{}
	}
	k := n.kids
	switch n.op {
	case "num":
		return awkNum(n.n)
	case "str":
		return awkStr(n.s)
	case "re":
		if n.re.MatchString(st.fields[0]) {
			return awkNum(1)
		}
		return awkNum(0)
	case "var", "index", "field":
		return st.get(n)
	case "group":
		return st.eval(k[0])
	case "assign":
		v := st.eval(k[1])
		if n.s != "=" {
			v = awkArith(n.s[:1], st.get(k[0]).num(), v.num())
		}
		st.set(k[0], v)
		return v
	case "pre++", "pre--", "post++", "post--":
		old := st.get(k[0]).num()
		d := 1.0
		if strings.HasSuffix(n.op, "--") {
			d = -1
		}
		st.set(k[0], awkNum(old+d))
		if strings.HasPrefix(n.op, "pre") {
			return awkNum(old + d)
		}
		return awkNum(old)
	case "?:":
		if st.eval(k[0]).truth() {
			return st.eval(k[1])
		}
		return st.eval(k[2])
	case "||":
		return awkBool(st.cond(k[0]) || st.cond(k[1]))
	case "&&":
		return awkBool(st.cond(k[0]) && st.cond(k[1]))
	case "!":
		return awkBool(!st.cond(k[0]))
	case "in":
		_, ok := st.array(n.s)[st.key(k)]
		return awkBool(ok)
	case "~", "!~":
		m := st.matchRe(k[1]).MatchString(st.eval(k[0]).str())
		return awkBool(m == (n.op == "~"))
	case "<", "<=", "==", "!=", ">", ">=":
		c := awkCompare(st.eval(k[0]), st.eval(k[1]))
		switch n.op {
		case "<":
			return awkBool(c < 0)
		case "<=":
			return awkBool(c <= 0)
		case "==":
			return awkBool(c == 0)
		case "!=":
			return awkBool(c != 0)
		case ">":
			return awkBool(c > 0)
		}
		return awkBool(c >= 0)
	case "concat":
		s := st.eval(k[0]).str() + st.eval(k[1]).str()
		if len(s) > MaxValueBytes {
			st.failed = "string too long"
		}
		return awkStr(s)
	case "+", "-", "*", "/", "%", "^":
		return awkArith(n.op, st.eval(k[0]).num(), st.eval(k[1]).num())
	case "neg":
		return awkNum(-st.eval(k[0]).num())
	case "pos":
		return awkNum(st.eval(k[0]).num())
	case "call":
		return st.call(n)
	}
	return awkValue{}
}

func awkBool(b bool) awkValue {
	if b {
		return awkNum(1)
	}
	return awkNum(0)
}

func awkArith(op string, a, b float64) awkValue {
	switch op {
	case "+":
		return awkNum(a + b)
	case "-":
		return awkNum(a - b)
	case "*":
		return awkNum(a * b)
	case "/":
		if b == 0 {
			return awkNum(math.Inf(1))
		}
		return awkNum(a / b)
	case "%":
		if b == 0 {
			return awkNum(math.NaN())
		}
		return awkNum(math.Mod(a, b))
	}
	return awkNum(math.Pow(a, b))
}

func (st *awkState) call(n *awkNode) awkValue {
	k := n.kids
	arg := func(i int) awkValue {
		if i < len(k) {
			return st.eval(k[i])
		}
		return awkValue{}
	}
	switch n.s {
	case "length":
		if len(k) == 0 {
			return awkNum(float64(len([]rune(st.fields[0]))))
		}
		if k[0].op == "var" {
			if a, ok := st.arrays[k[0].s]; ok {
				return awkNum(float64(len(a)))
			}
		}
		return awkNum(float64(len([]rune(arg(0).str()))))
	case "substr":
		r := []rune(arg(0).str())
		m := math.Round(arg(1).num())
		end := float64(len(r)) + 1
		if len(k) > 2 {
			end = m + math.Round(arg(2).num())
		}
		lo, hi := int(math.Max(m, 1)), int(math.Min(end, float64(len(r))+1))
		if lo >= hi {
			return awkStr("")
		}
		return awkStr(string(r[lo-1 : hi-1]))
	case "index":
		return awkNum(float64(strings.Index(arg(0).str(), arg(1).str()) + 1))
	case "split":
		s := arg(0).str()
		fs := st.vars["FS"].str()
		if len(k) > 2 {
			fs = arg(2).str()
		}
		var parts []string
		switch {
		case s == "":
		case fs == " ":
			parts = strings.Fields(s)
		case len(fs) == 1:
			parts = strings.Split(s, fs)
		default:
			if re, err := st.regexp(fs); err == nil {
				parts = re.Split(s, -1)
			}
		}
		a := map[string]awkValue{}
		for i, p := range parts {
			a[strconv.Itoa(i+1)] = awkInput(p)
		}
		if len(k) > 1 {
			st.arrays[k[1].s] = a
		}
		return awkNum(float64(len(parts)))
	case "sub", "gsub":
		re := st.matchRe(k[0])
		repl := arg(1).str()
		target := &awkNode{op: "field", kids: []*awkNode{{op: "num"}}}
		if len(k) > 2 {
			target = k[2]
		}
		s := st.get(target).str()
		count := 0
		out := re.ReplaceAllStringFunc(s, func(m string) string {
			if n.s == "sub" && count > 0 {
				return m
			}
			count++
			var b strings.Builder
			for i := 0; i < len(repl); i++ {
				switch {
				case repl[i] == '\\' && i+1 < len(repl) && (repl[i+1] == '&' || repl[i+1] == '\\'):
					i++
					b.WriteByte(repl[i])
				case repl[i] == '&':
					b.WriteString(m)
				default:
					b.WriteByte(repl[i])
				}
			}
			return b.String()
		})
		if count > 0 {
			st.set(target, awkStr(out))
		}
		return awkNum(float64(count))
	case "match":
		loc := st.matchRe(k[1]).FindStringIndex(arg(0).str())
		if loc == nil {
			st.vars["RSTART"], st.vars["RLENGTH"] = awkNum(0), awkNum(-1)
			return awkNum(0)
		}
		st.vars["RSTART"], st.vars["RLENGTH"] = awkNum(float64(loc[0]+1)), awkNum(float64(loc[1]-loc[0]))
		return awkNum(float64(loc[0] + 1))
	case "sprintf":
		if len(k) == 0 {
			return awkStr("")
		}
		return awkStr(st.sprintf(k))
	case "tolower":
		return awkStr(strings.ToLower(arg(0).str()))
	case "toupper":
		return awkStr(strings.ToUpper(arg(0).str()))
	case "int":
		return awkNum(math.Trunc(arg(0).num()))
	case "sqrt":
		return awkNum(math.Sqrt(arg(0).num()))
	}
	return awkValue{}
}

// sprintf is awk's printf formatting: %d %i %o %x %X %u %c %s %e %f %g %%.
func (st *awkState) sprintf(k []*awkNode) string {
	format := st.eval(k[0]).str()
	args := k[1:]
	next := func() awkValue {
		if len(args) == 0 {
			return awkValue{}
		}
		v := st.eval(args[0])
		args = args[1:]
		return v
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ #0123456789.*", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		spec := format[i+1 : j]
		if star := strings.IndexByte(spec, '*'); star >= 0 {
			spec = spec[:star] + strconv.Itoa(int(next().num())) + spec[star+1:]
		}
		verb := format[j]
		i = j
		switch verb {
		case '%':
			b.WriteByte('%')
		case 'd', 'i', 'u':
			b.WriteString(fmt.Sprintf("%"+spec+"d", int64(next().num())))
		case 'o', 'x', 'X':
			b.WriteString(fmt.Sprintf("%"+spec+string(verb), int64(next().num())))
		case 'c':
			v := next()
			s := v.str()
			if v.isNum {
				s = string(rune(int(v.n)))
			} else if s != "" {
				s = string([]rune(s)[:1])
			}
			b.WriteString(fmt.Sprintf("%"+spec+"s", s))
		case 's':
			b.WriteString(fmt.Sprintf("%"+spec+"s", next().str()))
		case 'e', 'E', 'f', 'F', 'g', 'G':
			b.WriteString(fmt.Sprintf("%"+spec+string(verb), next().num()))
		default:
			b.WriteString(format[i-len(spec)-1 : i+1])
		}
	}
	return b.String()
}
