package sh

import (
	"strconv"
	"strings"
)

// arith expands and evaluates $((expr)): integers, variables, + - * / % << >> & | ^,
// comparisons, && || ! ~, unary minus, parentheses, ?: and assignments (= += -= ...).
func (v *vm) arith(raw string) (int64, bool) {
	w, cached := v.acache[raw]
	var perr *syntaxError
	if !cached {
		w = &word{}
		q := &parser{src: raw}
		func() {
			defer func() {
				if r := recover(); r != nil {
					se, ok := r.(*syntaxError)
					if !ok {
						panic(r)
					}
					perr = se
				}
			}()
			q.dquote(w, 0)
		}()
		if perr == nil && len(v.acache) < 1000 {
			v.acache[raw] = w
		}
	}
	if perr != nil {
		v.expandFail(v.shell + ": arithmetic syntax error")
		return 0, false
	}
	s, ok := v.expandString(w)
	if !ok {
		return 0, false
	}
	return v.evalArith(s)
}

// evalArith evaluates an expanded arithmetic expression.
func (v *vm) evalArith(s string) (int64, bool) {
	a := &arithEval{v: v, src: s}
	n := a.ternary()
	a.skip()
	if a.err == "" && a.pos < len(a.src) {
		a.err = "arithmetic syntax error"
	}
	if a.err != "" {
		v.expandFail(v.shell + ": " + a.err)
		return 0, false
	}
	return n, true
}

type arithEval struct {
	v     *vm
	src   string
	pos   int
	err   string
	depth int
	noEff int // >0 while evaluating a branch whose side effects must not happen
}

func (a *arithEval) skip() {
	for a.pos < len(a.src) && strings.IndexByte(" \t\n\r", a.src[a.pos]) >= 0 {
		a.pos++
	}
}

func (a *arithEval) fail(msg string) int64 {
	if a.err == "" {
		a.err = msg
	}
	a.pos = len(a.src)
	return 0
}

// peekOp reports whether one of ops comes next, returning it.
func (a *arithEval) peekOp(ops ...string) string {
	a.skip()
	for _, op := range ops {
		if strings.HasPrefix(a.src[a.pos:], op) {
			// don't take "<" from "<<" or "<=" etc. unless asked; ops are listed longest first
			return op
		}
	}
	return ""
}

func (a *arithEval) ternary() int64 {
	a.depth++
	defer func() { a.depth-- }()
	if a.depth > maxNesting {
		return a.fail("arithmetic expression nested too deeply")
	}
	c := a.binary(0)
	if a.peekOp("?") == "?" {
		a.pos++
		if c == 0 {
			a.noEff++
		}
		x := a.ternary()
		if c == 0 {
			a.noEff--
		}
		if a.peekOp(":") != ":" {
			return a.fail("arithmetic syntax error")
		}
		a.pos++
		if c != 0 {
			a.noEff++
		}
		y := a.ternary()
		if c != 0 {
			a.noEff--
		}
		if c != 0 {
			return x
		}
		return y
	}
	return c
}

var arithLevels = [][]string{
	{"||"},
	{"&&"},
	{"|"},
	{"^"},
	{"&"},
	{"==", "!="},
	{"<=", ">=", "<", ">"},
	{"<<", ">>"},
	{"+", "-"},
	{"*", "/", "%"},
	{"**"}, // right to left: 2**3**2 is 2**9
}

func (a *arithEval) binary(level int) int64 {
	if level >= len(arithLevels) {
		return a.unary()
	}
	x := a.binary(level + 1)
	for a.err == "" {
		op := a.peekOp(arithLevels[level]...)
		if op == "" {
			return x
		}
		rest := a.src[a.pos+len(op):]
		// "|" is not "||", "&" is not "&&", "<" is not "<<", and x op= y is an assignment
		if (op == "|" || op == "&" || op == "*") && strings.HasPrefix(rest, op[:1]) || (op == "<" || op == ">") && strings.HasPrefix(rest, op) ||
			len(op) == 1 && strings.HasPrefix(rest, "=") && op != "<" && op != ">" {
			return x
		}
		a.pos += len(op)
		if op == "**" {
			y := a.binary(level)
			if y < 0 {
				return a.fail("exponent less than 0")
			}
			p := int64(1) // by squaring, wrapping as bash's does: 3**1000000000 is quick too
			for b := x; y > 0; y >>= 1 {
				if y&1 == 1 {
					p *= b
				}
				b *= b
			}
			x = p
			continue
		}
		if op == "&&" && x == 0 || op == "||" && x != 0 {
			a.noEff++
			a.binary(level + 1)
			a.noEff--
			x = b2i(op == "||")
			continue
		}
		y := a.binary(level + 1)
		switch op {
		case "||", "&&":
			x = b2i(y != 0)
		case "|":
			x |= y
		case "^":
			x ^= y
		case "&":
			x &= y
		case "==":
			x = b2i(x == y)
		case "!=":
			x = b2i(x != y)
		case "<=":
			x = b2i(x <= y)
		case ">=":
			x = b2i(x >= y)
		case "<":
			x = b2i(x < y)
		case ">":
			x = b2i(x > y)
		case "<<":
			x = x << (uint64(y) & 63)
		case ">>":
			x = x >> (uint64(y) & 63)
		case "+":
			x += y
		case "-":
			x -= y
		case "*":
			x *= y
		case "/", "%":
			if y == 0 {
				if a.noEff > 0 {
					x = 0
					continue
				}
				return a.fail("divide by zero")
			}
			if op == "/" {
				x /= y
			} else {
				x %= y
			}
		}
	}
	return x
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (a *arithEval) unary() int64 {
	a.depth++
	defer func() { a.depth-- }()
	if a.depth > maxNesting {
		return a.fail("arithmetic expression nested too deeply")
	}
	a.skip()
	if a.pos >= len(a.src) {
		return a.fail("arithmetic syntax error")
	}
	switch c := a.src[a.pos]; c {
	case '-', '+':
		if strings.HasPrefix(a.src[a.pos:], "--") || strings.HasPrefix(a.src[a.pos:], "++") {
			a.pos += 2
			a.skip()
			name := a.name()
			if name == "" {
				return a.fail("arithmetic syntax error")
			}
			n := a.get(name)
			if c == '-' {
				n--
			} else {
				n++
			}
			a.set(name, n)
			return n
		}
		a.pos++
		x := a.unary()
		if c == '-' {
			return -x
		}
		return x
	case '!':
		a.pos++
		return b2i(a.unary() == 0)
	case '~':
		a.pos++
		return ^a.unary()
	case '(':
		a.pos++
		x := a.ternary()
		if a.peekOp(")") != ")" {
			return a.fail("arithmetic syntax error")
		}
		a.pos++
		return x
	}
	if c := a.src[a.pos]; c >= '0' && c <= '9' {
		start := a.pos
		for a.pos < len(a.src) && isNameChar(a.src[a.pos]) {
			a.pos++
		}
		n, err := strconv.ParseInt(a.src[start:a.pos], 0, 64)
		if err != nil {
			return a.fail("arithmetic syntax error")
		}
		return n
	}
	name := a.name()
	if name == "" {
		return a.fail("arithmetic syntax error")
	}
	for _, op := range []string{"++", "--", "+=", "-=", "*=", "/=", "%=", "="} {
		if a.peekOp(op) != op || op == "=" && strings.HasPrefix(a.src[a.pos:], "==") {
			continue
		}
		a.pos += len(op)
		old := a.get(name)
		switch op {
		case "++":
			a.set(name, old+1)
			return old
		case "--":
			a.set(name, old-1)
			return old
		}
		y := a.ternary()
		n := y
		switch op {
		case "+=":
			n = old + y
		case "-=":
			n = old - y
		case "*=":
			n = old * y
		case "/=", "%=":
			if y == 0 {
				return a.fail("divide by zero")
			}
			if op == "/=" {
				n = old / y
			} else {
				n = old % y
			}
		}
		a.set(name, n)
		return n
	}
	return a.get(name)
}

func (a *arithEval) name() string {
	start := a.pos
	if a.pos < len(a.src) && isNameStart(a.src[a.pos]) {
		for a.pos < len(a.src) && isNameChar(a.src[a.pos]) {
			a.pos++
		}
	}
	return a.src[start:a.pos]
}

// get reads a variable as a number; its text may itself be an expression.
func (a *arithEval) get(name string) int64 {
	s := strings.TrimSpace(a.v.sc.vars[name])
	if s == "" {
		return 0
	}
	if n, err := strconv.ParseInt(s, 0, 64); err == nil {
		return n
	}
	if a.depth > 20 {
		return a.fail("arithmetic expression nested too deeply")
	}
	sub := &arithEval{v: a.v, src: s, depth: a.depth + 5, noEff: a.noEff}
	n := sub.ternary()
	sub.skip()
	if sub.err == "" && sub.pos < len(sub.src) {
		sub.err = "arithmetic syntax error"
	}
	if sub.err != "" {
		return a.fail(sub.err)
	}
	return n
}

func (a *arithEval) set(name string, n int64) {
	if a.noEff == 0 {
		a.v.setVar(name, strconv.FormatInt(n, 10))
	}
}
