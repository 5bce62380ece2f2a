package sh

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
)

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func joinLines(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// ---- test / [ ----

func cmdTest(c *cmdCtx) int {
	args := c.args[1:]
	switch c.args[0] {
	case "[":
		if len(args) == 0 || args[len(args)-1] != "]" {
			c.errf("%s: missing ]", c.args[0])
			return 2
		}
		args = args[:len(args)-1]
	case "[[":
		if len(args) == 0 || args[len(args)-1] != "]]" {
			c.errf("%s: missing ]]", c.args[0])
			return 2
		}
		args = args[:len(args)-1]
	}
	t := &testEval{c: c, args: args}
	r := t.or()
	if t.err != "" {
		c.errf("sh: %s", t.err)
		return 2
	}
	if t.pos < len(args) {
		c.errf("sh: %s: unknown operand", args[t.pos])
		return 2
	}
	return int(b2i(!r))
}

type testEval struct {
	c     *cmdCtx
	args  []string
	pos   int
	err   string
	depth int
}

func (t *testEval) peek() string {
	if t.pos < len(t.args) {
		return t.args[t.pos]
	}
	return ""
}

func (t *testEval) or() bool {
	r := t.and()
	for t.peek() == "-o" || t.peek() == "||" {
		t.pos++
		r2 := t.and()
		r = r || r2
	}
	return r
}

func (t *testEval) and() bool {
	r := t.not()
	for t.peek() == "-a" || t.peek() == "&&" {
		t.pos++
		r2 := t.not()
		r = r && r2
	}
	return r
}

func (t *testEval) not() bool {
	t.depth++
	defer func() { t.depth-- }()
	if t.depth > maxNesting {
		t.err = "expression too deep"
		return false
	}
	n := len(t.args) - t.pos
	if t.peek() == "!" && n > 1 {
		t.pos++
		return !t.not()
	}
	if t.peek() == "(" && n > 2 {
		t.pos++
		r := t.or()
		if t.peek() != ")" {
			t.err = "missing )"
			return false
		}
		t.pos++
		return r
	}
	return t.primary()
}

func (t *testEval) primary() bool {
	n := len(t.args) - t.pos
	if n == 0 {
		return false
	}
	a := t.args[t.pos]
	if n >= 3 {
		op := t.args[t.pos+1]
		b := t.args[t.pos+2]
		switch op {
		case "=", "==", "!=", "<", ">":
			t.pos += 3
			switch op {
			case "=", "==":
				if t.c.args[0] == "[[" {
					return globMatch(b, a)
				}
				return a == b
			case "!=":
				return a != b
			case "<":
				return a < b
			}
			return a > b
		case "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
			t.pos += 3
			x, ok1 := t.num(a)
			y, ok2 := t.num(b)
			if !ok1 || !ok2 {
				return false
			}
			switch op {
			case "-eq":
				return x == y
			case "-ne":
				return x != y
			case "-lt":
				return x < y
			case "-le":
				return x <= y
			case "-gt":
				return x > y
			}
			return x >= y
		}
	}
	if n >= 2 && len(a) == 2 && a[0] == '-' {
		arg := t.args[t.pos+1]
		t.pos += 2
		switch a[1] {
		case 'z':
			return arg == ""
		case 'n':
			return arg != ""
		case 't':
			return false
		}
		st, err := t.c.v.fs.Stat(t.c.v.abs(arg))
		exists := err == nil && arg != ""
		switch a[1] {
		case 'e', 'r', 'w', 'x':
			return exists
		case 'f':
			return exists && !st.IsDir
		case 'd':
			return exists && st.IsDir
		case 's':
			return exists && st.Size > 0
		case 'L', 'h', 'p', 'S', 'b', 'c':
			return false
		}
		t.err = a + ": unknown operand"
		return false
	}
	t.pos++
	return a != ""
}

func (t *testEval) num(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		if t.err == "" {
			t.err = "invalid number '" + s + "'"
		}
		return 0, false
	}
	return n, true
}

// ---- head / tail ----

func cmdHead(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "nc")
	n := 10
	if v, ok := fl['n']; ok {
		var err error
		if n, err = strconv.Atoi(strings.TrimPrefix(v, "+")); err != nil {
			c.errf("head: invalid number '%s'", v)
			return 1
		}
	}
	datas, status := c.inputs(files)
	for i, d := range datas {
		if len(files) > 1 {
			if i > 0 {
				c.out("\n")
			}
			c.out("==> " + files[i] + " <==\n")
		}
		if v, ok := fl['c']; ok {
			k, _ := strconv.Atoi(v)
			c.out(d[:min(max(k, 0), len(d))])
			continue
		}
		ls := lines(d)
		if n < 0 {
			n = max(len(ls)+n, 0)
		}
		c.out(joinLines(ls[:min(n, len(ls))]))
	}
	return status
}

func cmdTail(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "nc")
	n, fromStart := 10, false
	if v, ok := fl['n']; ok {
		fromStart = strings.HasPrefix(v, "+")
		var err error
		if n, err = strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(v, "+"), "-")); err != nil {
			c.errf("tail: invalid number '%s'", v)
			return 1
		}
	}
	datas, status := c.inputs(files)
	for _, d := range datas {
		ls := lines(d)
		switch {
		case fromStart:
			c.out(joinLines(ls[min(max(n-1, 0), len(ls)):]))
		default:
			c.out(joinLines(ls[max(len(ls)-n, 0):]))
		}
	}
	if has(fl, 'f') || has(fl, 'F') {
		// tail -f follows forever: the idiom for "keep the container running".
		c.blocked, c.forever = true, true
	}
	return status
}

// ---- grep ----

func cmdGrep(c *cmdCtx) int {
	// -e may repeat: take every pattern out before reading the other flags. Options may
	// follow the pattern and files, as GNU grep takes them (`grep nodePort -C 5`, as the
	// docs write it): they move in front, up to a "--".
	var pats, opts, operands []string
	raw := c.args[1:]
	for i := 0; i < len(raw); i++ {
		a := raw[i]
		switch {
		case a == "-e" && i+1 < len(raw):
			pats = append(pats, raw[i+1])
			i++
		case a == "--":
			operands = append(operands, raw[i+1:]...)
			i = len(raw)
		case len(a) > 1 && a[0] == '-':
			opts = append(opts, a)
			if last := a[len(a)-1]; len(a) == 2 && strings.IndexByte("mABC", last) >= 0 && i+1 < len(raw) {
				opts = append(opts, raw[i+1])
				i++
			}
		default:
			operands = append(operands, a)
		}
	}
	rest := append(append(opts, "--"), operands...)
	fl, args := flags(rest, "mABC")
	if len(pats) == 0 {
		if len(args) == 0 {
			c.errf("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...")
			return 2
		}
		pats, args = append(pats, args[0]), args[1:]
	}
	if c.args[0] == "egrep" {
		fl['E'] = ""
	}
	expr := ""
	for i, p := range pats {
		if i > 0 {
			expr += "|"
		}
		switch {
		case has(fl, 'F'):
			expr += regexp.QuoteMeta(p)
		case has(fl, 'E'):
			expr += p
		default:
			expr += filters.BRE(p)
		}
	}
	if has(fl, 'w') {
		expr = `\b(?:` + expr + `)\b`
	}
	if has(fl, 'x') {
		expr = `^(?:` + expr + `)$`
	}
	if has(fl, 'i') {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		c.errf("grep: bad regex '%s': %s", pats[0], err)
		return 2
	}
	datas, status := c.inputs(args)
	if status != 0 {
		status = 2
	}
	after, before, maxCount := -1, -1, -1
	for _, f := range []struct {
		flag byte
		into []*int
	}{{'C', []*int{&after, &before}}, {'A', []*int{&after}}, {'B', []*int{&before}}, {'m', []*int{&maxCount}}} {
		v, ok := fl[f.flag]
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.errf("grep: invalid number '%s'", v)
			return 2
		}
		for _, p := range f.into {
			*p = n
		}
	}
	after, before = max(after, 0), max(before, 0)
	context := (after > 0 || before > 0) && !has(fl, 'o')
	total, printedAny := 0, false
	for i, d := range datas {
		count := 0
		ls := lines(d)
		// Context lines print with '-' where matches print ':', and a "--" line separates
		// groups that are not adjacent, as GNU and busybox grep do.
		last, trailing := -1, 0
		emit := func(ln int, sep string) bool {
			if context && printedAny && (last < 0 || ln > last+1) {
				c.out("--\n")
			}
			printedAny, last = true, ln
			prefix := ""
			if len(args) > 1 {
				prefix = args[i] + sep
			}
			if has(fl, 'n') {
				prefix += strconv.Itoa(ln+1) + sep
			}
			return c.out(prefix + ls[ln] + "\n")
		}
		for ln, l := range ls {
			if maxCount >= 0 && count >= maxCount {
				if trailing > 0 && !has(fl, 'q') && !has(fl, 'c') && !has(fl, 'l') {
					trailing--
					emit(ln, "-")
					continue
				}
				break
			}
			if re.MatchString(l) == has(fl, 'v') {
				if trailing > 0 {
					trailing--
					if !emit(ln, "-") {
						break
					}
				}
				continue
			}
			count++
			if has(fl, 'q') || has(fl, 'c') || has(fl, 'l') {
				continue
			}
			if has(fl, 'o') && !has(fl, 'v') {
				prefix := ""
				if len(args) > 1 {
					prefix = args[i] + ":"
				}
				if has(fl, 'n') {
					prefix += strconv.Itoa(ln+1) + ":"
				}
				for _, m := range re.FindAllString(l, -1) {
					c.out(prefix + m + "\n")
				}
				continue
			}
			for b := max(ln-before, last+1, 0); context && b < ln; b++ {
				emit(b, "-")
			}
			if !emit(ln, ":") {
				break
			}
			trailing = after
		}
		total += count
		if has(fl, 'c') {
			if len(args) > 1 {
				c.out(args[i] + ":")
			}
			c.out(strconv.Itoa(count) + "\n")
		}
		if has(fl, 'l') && count > 0 {
			c.out(args[i] + "\n")
		}
	}
	if has(fl, 'q') && total > 0 {
		return 0
	}
	if status != 0 && !has(fl, 's') {
		return status
	}
	if total == 0 {
		return 1
	}
	return 0
}

// ---- wc, sort, uniq, tr, cut, rev, seq ----

func cmdWc(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "")
	if !has(fl, 'l') && !has(fl, 'w') && !has(fl, 'c') && !has(fl, 'm') {
		fl = map[byte]string{'l': "", 'w': "", 'c': ""}
	}
	datas, status := c.inputs(files)
	for i, d := range datas {
		var cols []string
		if has(fl, 'l') {
			cols = append(cols, strconv.Itoa(strings.Count(d, "\n")))
		}
		if has(fl, 'w') {
			cols = append(cols, strconv.Itoa(len(strings.Fields(d))))
		}
		if has(fl, 'c') || has(fl, 'm') {
			cols = append(cols, strconv.Itoa(len(d)))
		}
		line := ""
		if len(cols) == 1 && len(files) == 0 {
			line = cols[0]
		} else {
			for j, col := range cols {
				if j > 0 {
					line += " "
				}
				line += fmt.Sprintf("%7s", col)
			}
		}
		if len(files) > 0 {
			line += " " + files[i]
		}
		c.out(line + "\n")
	}
	return status
}

func cmdSort(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "tk")
	datas, status := c.inputs(files)
	var ls []string
	for _, d := range datas {
		ls = append(ls, lines(d)...)
	}
	key := func(s string) string { return s }
	if k, ok := fl['k']; ok {
		field, _ := strconv.Atoi(strings.SplitN(k, ",", 2)[0])
		sep := fl['t']
		key = func(s string) string {
			var fs []string
			if sep != "" {
				fs = strings.Split(s, sep[:1])
			} else {
				fs = strings.Fields(s)
			}
			if field >= 1 && field <= len(fs) {
				return strings.Join(fs[field-1:], " ")
			}
			return ""
		}
	}
	less := func(a, b string) bool { return key(a) < key(b) }
	if has(fl, 'n') {
		num := func(s string) float64 {
			s = strings.TrimSpace(key(s))
			end := 0
			for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || end == 0 && s[end] == '-') {
				end++
			}
			f, _ := strconv.ParseFloat(s[:end], 64)
			return f
		}
		less = func(a, b string) bool { return num(a) < num(b) }
	}
	sort.SliceStable(ls, func(i, j int) bool {
		if has(fl, 'r') {
			return less(ls[j], ls[i])
		}
		return less(ls[i], ls[j])
	})
	if has(fl, 'u') {
		ls = uniqLines(ls)
	}
	c.out(joinLines(ls))
	return status
}

func uniqLines(ls []string) []string {
	var out []string
	for i, l := range ls {
		if i == 0 || l != ls[i-1] {
			out = append(out, l)
		}
	}
	return out
}

func cmdUniq(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "")
	datas, status := c.inputs(files[:min(len(files), 1)])
	ls := lines(datas[0])
	var out []string
	for i := 0; i < len(ls); {
		j := i
		for j < len(ls) && ls[j] == ls[i] {
			j++
		}
		switch {
		case has(fl, 'd') && j-i < 2, has(fl, 'u') && j-i > 1:
		case has(fl, 'c'):
			out = append(out, fmt.Sprintf("%7d %s", j-i, ls[i]))
		default:
			out = append(out, ls[i])
		}
		i = j
	}
	c.out(joinLines(out))
	return status
}

// trSet expands a tr set: ranges a-z, escapes, [:classes:].
func trSet(s string) []byte {
	classes := map[string]string{"[:lower:]": "a-z", "[:upper:]": "A-Z", "[:digit:]": "0-9", "[:alpha:]": "a-zA-Z", "[:alnum:]": "a-zA-Z0-9", "[:space:]": " \t\n\r\v\f"}
	for k, v := range classes {
		s = strings.ReplaceAll(s, k, v)
	}
	s, _ = filters.Unescape(s, false)
	var out []byte
	for i := 0; i < len(s); i++ {
		if i+2 < len(s) && s[i+1] == '-' && s[i] <= s[i+2] {
			for ch := int(s[i]); ch <= int(s[i+2]); ch++ {
				out = append(out, byte(ch))
			}
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func cmdTr(c *cmdCtx) int {
	fl, args := flags(c.args[1:], "")
	if len(args) == 0 || len(args) < 2 && !has(fl, 'd') && !has(fl, 's') {
		c.errf("tr: missing operand")
		return 1
	}
	from := trSet(args[0])
	if has(fl, 'c') || has(fl, 'C') {
		// -c: every byte not in the set, in order (`tr -cd '0-9'` keeps the digits).
		var in [256]bool
		for _, ch := range from {
			in[ch] = true
		}
		from = from[:0:0]
		for ch := range 256 {
			if !in[ch] {
				from = append(from, byte(ch))
			}
		}
	}
	var to []byte
	if len(args) > 1 {
		to = trSet(args[1])
	}
	in := c.stdin()
	var m [256]int
	for i := range m {
		m[i] = i
	}
	del := [256]bool{}
	for i, ch := range from {
		if has(fl, 'd') {
			del[ch] = true
		} else if len(to) > 0 {
			m[ch] = int(to[min(i, len(to)-1)])
		}
	}
	squeeze := [256]bool{}
	if has(fl, 's') {
		set := from
		if len(to) > 0 && !has(fl, 'd') {
			set = to
		}
		for _, ch := range set {
			squeeze[ch] = true
		}
	}
	var b strings.Builder
	last := -1
	for i := 0; i < len(in); i++ {
		ch := in[i]
		if del[ch] {
			continue
		}
		o := m[ch]
		if squeeze[o] && o == last {
			continue
		}
		b.WriteByte(byte(o))
		last = o
	}
	c.out(b.String())
	return 0
}

// fieldList parses cut's LIST: 1,3,5-7,-2,4-
func fieldList(s string) func(int) bool {
	type rng struct{ lo, hi int }
	var rs []rng
	for _, p := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(p, "-")
		a, _ := strconv.Atoi(lo)
		b := a
		if isRange {
			if lo == "" {
				a = 1
			}
			b, _ = strconv.Atoi(hi)
			if hi == "" {
				b = 1 << 30
			}
		}
		rs = append(rs, rng{a, b})
	}
	return func(i int) bool {
		for _, r := range rs {
			if i >= r.lo && i <= r.hi {
				return true
			}
		}
		return false
	}
}

func cmdCut(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "dfcb")
	datas, status := c.inputs(files)
	delim := "\t"
	if d, ok := fl['d']; ok && d != "" {
		delim = d[:1]
	}
	for _, d := range datas {
		for _, l := range lines(d) {
			switch {
			case has(fl, 'f'):
				in := fieldList(fl['f'])
				if !strings.Contains(l, delim) {
					if !has(fl, 's') {
						c.out(l + "\n")
					}
					continue
				}
				var out []string
				for i, f := range strings.Split(l, delim) {
					if in(i + 1) {
						out = append(out, f)
					}
				}
				c.out(strings.Join(out, delim) + "\n")
			case has(fl, 'c') || has(fl, 'b'):
				spec := fl['c'] + fl['b']
				in := fieldList(spec)
				var b strings.Builder
				for i := 0; i < len(l); i++ {
					if in(i + 1) {
						b.WriteByte(l[i])
					}
				}
				c.out(b.String() + "\n")
			default:
				c.errf("cut: expected a list of bytes, characters, or fields")
				return 1
			}
		}
	}
	return status
}

func cmdRev(c *cmdCtx) int {
	datas, status := c.inputs(c.args[1:])
	for _, d := range datas {
		for _, l := range lines(d) {
			r := []rune(l)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			c.out(string(r) + "\n")
		}
	}
	return status
}

func cmdSeq(c *cmdCtx) int {
	args := c.args[1:]
	sep, equalWidth := "\n", false
	for len(args) > 0 && (args[0] == "-s" || args[0] == "-w") {
		if args[0] == "-s" && len(args) > 1 {
			sep = args[1]
			args = args[1:]
		}
		equalWidth = equalWidth || args[0] == "-w"
		args = args[1:]
	}
	nums := make([]int64, len(args))
	for i, a := range args {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			c.errf("seq: invalid number '%s'", a)
			return 1
		}
		nums[i] = n
	}
	first, inc, last := int64(1), int64(1), int64(0)
	switch len(nums) {
	case 1:
		last = nums[0]
	case 2:
		first, last = nums[0], nums[1]
	case 3:
		first, inc, last = nums[0], nums[1], nums[2]
	default:
		c.errf("seq: missing operand")
		return 1
	}
	if inc == 0 {
		return 1
	}
	width := 0 // -w pads with zeros to the wider of the first and the last number
	if equalWidth {
		width = max(len(strconv.FormatInt(first, 10)), len(strconv.FormatInt(last, 10)))
	}
	var b strings.Builder
	for i, n := 0, first; (inc > 0 && n <= last || inc < 0 && n >= last) && b.Len() < MaxValueBytes; n += inc {
		if i > 0 {
			b.WriteString(sep)
		}
		num := strconv.FormatInt(n, 10)
		if pad := width - len(num); pad > 0 {
			sign := ""
			if n < 0 {
				sign, num = "-", num[1:]
			}
			num = sign + strings.Repeat("0", pad) + num
		}
		b.WriteString(num)
		i++
		if n > n+inc != (inc < 0) { // overflow
			break
		}
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	c.out(b.String())
	return 0
}

// ---- expr ----

func cmdExpr(c *cmdCtx) int {
	e := &exprEval{args: c.args[1:]}
	r := e.or()
	if e.err == "" && e.pos < len(e.args) {
		e.err = "syntax error"
	}
	if e.err != "" {
		c.errf("expr: %s", e.err)
		return 2
	}
	c.out(r + "\n")
	if r == "" || r == "0" {
		return 1
	}
	return 0
}

type exprEval struct {
	args  []string
	pos   int
	err   string
	depth int
}

func (e *exprEval) peek() string {
	if e.pos < len(e.args) {
		return e.args[e.pos]
	}
	return ""
}

func (e *exprEval) or() string {
	l := e.and()
	for e.peek() == "|" && e.err == "" {
		e.pos++
		r := e.and()
		if l == "" || l == "0" {
			l = r
		}
	}
	return l
}

func (e *exprEval) and() string {
	l := e.cmp()
	for e.peek() == "&" && e.err == "" {
		e.pos++
		r := e.cmp()
		if l == "" || l == "0" || r == "" || r == "0" {
			l = "0"
		}
	}
	return l
}

func (e *exprEval) cmp() string {
	l := e.add()
	for e.err == "" {
		op := e.peek()
		switch op {
		case "=", "!=", "<", "<=", ">", ">=":
		default:
			return l
		}
		e.pos++
		r := e.add()
		a, errA := strconv.ParseInt(l, 10, 64)
		b, errB := strconv.ParseInt(r, 10, 64)
		var res bool
		if errA == nil && errB == nil {
			res = map[string]bool{"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
		} else {
			res = map[string]bool{"=": l == r, "!=": l != r, "<": l < r, "<=": l <= r, ">": l > r, ">=": l >= r}[op]
		}
		l = strconv.FormatInt(b2i(res), 10)
	}
	return l
}

func (e *exprEval) add() string {
	l := e.mul()
	for (e.peek() == "+" || e.peek() == "-") && e.err == "" {
		op := e.args[e.pos]
		e.pos++
		r := e.mul()
		a, b, ok := e.nums(l, r)
		if !ok {
			return ""
		}
		if op == "+" {
			l = strconv.FormatInt(a+b, 10)
		} else {
			l = strconv.FormatInt(a-b, 10)
		}
	}
	return l
}

func (e *exprEval) mul() string {
	l := e.atom()
	for (e.peek() == "*" || e.peek() == "/" || e.peek() == "%") && e.err == "" {
		op := e.args[e.pos]
		e.pos++
		r := e.atom()
		a, b, ok := e.nums(l, r)
		if !ok {
			return ""
		}
		switch {
		case op == "*":
			l = strconv.FormatInt(a*b, 10)
		case b == 0:
			e.err = "division by zero"
			return ""
		case op == "/":
			l = strconv.FormatInt(a/b, 10)
		default:
			l = strconv.FormatInt(a%b, 10)
		}
	}
	return l
}

func (e *exprEval) nums(l, r string) (int64, int64, bool) {
	a, err1 := strconv.ParseInt(l, 10, 64)
	b, err2 := strconv.ParseInt(r, 10, 64)
	if err1 != nil || err2 != nil {
		e.err = "non-numeric argument"
		return 0, 0, false
	}
	return a, b, true
}

func (e *exprEval) atom() string {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxNesting {
		e.err = "syntax error"
		return ""
	}
	if e.pos >= len(e.args) {
		e.err = "syntax error"
		return ""
	}
	a := e.args[e.pos]
	e.pos++
	switch a {
	case "(":
		r := e.or()
		if e.peek() != ")" {
			e.err = "syntax error"
			return ""
		}
		e.pos++
		return r
	case "length":
		if e.pos < len(e.args) {
			e.pos++
			return strconv.Itoa(len(e.args[e.pos-1]))
		}
	}
	return a
}

// paste joins lines: of its files side by side (-s: each file's lines into one line),
// separated by the characters of -d in turn (a tab by default), as `paste -sd, -` joins a
// column into a list.
func cmdPaste(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "d")
	delims := []string{"\t"}
	if d, ok := fl['d']; ok {
		delims = nil
		for i := 0; i < len(d); i++ {
			if d[i] == '\\' && i+1 < len(d) {
				i++
				delims = append(delims, map[byte]string{'n': "\n", 't': "\t", '0': ""}[d[i]])
				continue
			}
			delims = append(delims, d[i:i+1])
		}
		if len(delims) == 0 {
			delims = []string{""}
		}
	}
	datas, status := c.inputs(files)
	join := func(parts []string) string {
		var b strings.Builder
		for i, p := range parts {
			if i > 0 {
				b.WriteString(delims[(i-1)%len(delims)])
			}
			b.WriteString(p)
		}
		return b.String() + "\n"
	}
	if has(fl, 's') {
		for _, d := range datas {
			c.out(join(lines(d)))
		}
		return status
	}
	cols := make([][]string, len(datas))
	rows := 0
	for i, d := range datas {
		cols[i] = lines(d)
		rows = max(rows, len(cols[i]))
	}
	for r := 0; r < rows; r++ {
		parts := make([]string, len(cols))
		for i, col := range cols {
			if r < len(col) {
				parts[i] = col[r]
			}
		}
		if !c.out(join(parts)) {
			break
		}
	}
	return status
}
