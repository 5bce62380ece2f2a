package sh

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// expandError is an expansion that stops the shell (unset variable with -u, ${x?},
// bad arithmetic): like a non-interactive shell, the script exits with status 2.
func (v *vm) expandFail(msg string) {
	v.errln(msg)
	v.exit(2)
}

// fieldBuilder implements field splitting and tracks glob patterns.
type fieldBuilder struct {
	fields  []string
	pats    []string
	globs   []bool
	cur     strings.Builder
	pat     strings.Builder
	glob    bool
	started bool
	ifs     string
	size    int
}

func (b *fieldBuilder) add(s string, quoted bool) {
	b.size += len(s)
	b.cur.WriteString(s)
	if quoted {
		for i := 0; i < len(s); i++ {
			if strings.IndexByte("*?[]\\", s[i]) >= 0 {
				b.pat.WriteByte('\\')
			}
			b.pat.WriteByte(s[i])
		}
		b.started = true
		return
	}
	b.pat.WriteString(s)
	if strings.ContainsAny(s, "*?[") {
		b.glob = true
	}
	if s != "" {
		b.started = true
	}
}

// split adds unquoted expansion text: IFS characters separate fields.
func (b *fieldBuilder) split(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(b.ifs, s[i]) >= 0 {
			b.add(s[start:i], false)
			b.end()
			start = i + 1
		}
	}
	b.add(s[start:], false)
}

func (b *fieldBuilder) end() {
	if b.started {
		b.fields = append(b.fields, b.cur.String())
		b.pats = append(b.pats, b.pat.String())
		b.globs = append(b.globs, b.glob)
	}
	b.cur.Reset()
	b.pat.Reset()
	b.glob, b.started = false, false
}

// expandWords expands words into fields: parameter and command substitution, arithmetic,
// field splitting of unquoted results, pathname expansion. ok is false when the shell
// stopped on an expansion error.
func (v *vm) expandWords(ws []*word) ([]string, bool) {
	b := &fieldBuilder{ifs: v.ifs(), fields: make([]string, 0, len(ws)), pats: make([]string, 0, len(ws)), globs: make([]bool, 0, len(ws))}
	for _, w := range ws {
		if text, ok := plainWord(w); ok {
			// Most words are plain text: the word is its field, with nothing to expand,
			// split or match, and no builder to copy it through.
			b.fields = append(b.fields, text)
			b.pats = append(b.pats, "")
			b.globs = append(b.globs, false)
			b.size += len(text)
			v.budget.used += len(text) / 128
			continue
		}
		if !v.expandInto(b, w, true) {
			return nil, false
		}
		b.end()
		if b.size > MaxValueBytes {
			v.expandFail(v.shell + ": out of memory (words longer than " + itoa(MaxValueBytes) + " bytes)")
			return nil, false
		}
	}
	out := make([]string, 0, len(b.fields))
	for i, f := range b.fields {
		if b.globs[i] {
			if m := v.glob(b.pats[i]); len(m) > 0 {
				out = append(out, m...)
				continue
			}
		}
		out = append(out, f)
	}
	return out, true
}

// plainWord returns the text of a word that is a single literal: quoted, or unquoted,
// non-empty and without pattern characters.
func plainWord(w *word) (string, bool) {
	if len(w.parts) != 1 || w.parts[0].kind != pLit {
		return "", false
	}
	pt := &w.parts[0]
	if pt.quoted || (pt.text != "" && !strings.ContainsAny(pt.text, "*?[")) {
		return pt.text, true
	}
	return "", false
}

func (v *vm) ifs() string {
	if s, ok := v.sc.vars["IFS"]; ok {
		return s
	}
	return " \t\n"
}

// expandString expands a word to one string, without splitting or globbing.
func (v *vm) expandString(w *word) (string, bool) {
	if w == nil {
		return "", true
	}
	b := &fieldBuilder{}
	if !v.expandInto(b, w, false) {
		return "", false
	}
	if b.cur.Len() > MaxValueBytes {
		v.expandFail(v.shell + ": out of memory (value longer than " + itoa(MaxValueBytes) + " bytes)")
		return "", false
	}
	return b.cur.String(), true
}

// expandPattern expands a word to a glob pattern: quoted characters match themselves.
func (v *vm) expandPattern(w *word) (string, bool) {
	b := &fieldBuilder{}
	if !v.expandInto(b, w, false) {
		return "", false
	}
	return b.pat.String(), true
}

func (v *vm) expandInto(b *fieldBuilder, w *word, split bool) bool {
	for i := range w.parts {
		pt := &w.parts[i]
		switch pt.kind {
		case pLit:
			b.add(pt.text, pt.quoted)
		case pParam:
			if (pt.text == "@" || pt.text == "*") && pt.op == "" && pt.index == nil {
				v.expandAt(b, v.sc.positional, pt, split)
				continue
			}
			if pt.index != nil && pt.op == "" {
				if idx, ok := pt.index.lit(); ok && (idx == "@" || idx == "*") {
					v.expandAt(b, v.sc.arrays[pt.text], pt, split)
					continue
				}
			}
			s, ok := v.param(pt)
			if !ok {
				return false
			}
			v.addExpansion(b, s, pt.quoted, split)
		case pSubst:
			s := v.substitute(pt.sub)
			v.addExpansion(b, s, pt.quoted, split)
		case pArith:
			n, ok := v.arith(pt.text)
			if !ok {
				return false
			}
			v.addExpansion(b, strconv.FormatInt(n, 10), pt.quoted, split)
		}
		// Copying text costs steps too, so a loop shuffling big strings yields as often as
		// one doing many small things.
		v.budget.used += len(pt.text)/256 + b.cur.Len()/256
		if b.size > MaxValueBytes || b.cur.Len() > MaxValueBytes {
			v.expandFail(v.shell + ": out of memory (value longer than " + itoa(MaxValueBytes) + " bytes)")
			return false
		}
	}
	return true
}

func (v *vm) addExpansion(b *fieldBuilder, s string, quoted, split bool) {
	if quoted || !split {
		b.add(s, quoted)
		if !quoted && s == "" {
			return
		}
		return
	}
	b.split(s)
}

// expandAt expands $@ / $* / ${a[@]}: quoted $@ gives one field per element.
func (v *vm) expandAt(b *fieldBuilder, elems []string, pt *part, split bool) {
	if pt.quoted && pt.text != "*" && split {
		for i, e := range elems {
			if i > 0 {
				b.end()
			}
			b.add(e, true)
		}
		return
	}
	if pt.quoted || !split {
		b.add(strings.Join(elems, " "), pt.quoted)
		return
	}
	for i, e := range elems {
		if i > 0 {
			b.end()
		}
		b.split(e)
	}
}

// substitute runs a command substitution and returns its output without trailing newlines.
func (v *vm) substitute(l *list) string {
	if v.depth > maxNesting/4 {
		v.errln(v.shell + ": command substitutions nested too deeply")
		v.substStatus = 2
		return ""
	}
	c := v.child(false)
	buf := &bufSink{max: MaxValueBytes}
	c.io = []ioFrame{{out: buf, err: v.cur().err, in: v.cur().in}}
	prog, ok := v.lcache[l]
	if !ok {
		prog = compileList(l)
		v.lcache[l] = prog
	}
	c.pushFrame(&frame{kind: fMain, prog: prog})
	c.run()
	v.substStatus = c.exitCode
	v.status = c.exitCode
	return strings.TrimRight(buf.b.String(), "\n")
}

// param looks up and applies a parameter expansion.
func (v *vm) param(pt *part) (string, bool) {
	val, set := v.lookup(pt)
	switch pt.op {
	case "":
		if !set && v.opts.nounset && pt.text != "@" && pt.text != "*" {
			v.expandFail(v.shell + ": " + pt.text + ": parameter not set")
			return "", false
		}
		return val, true
	case "len":
		return strconv.Itoa(utf8.RuneCountInString(val)), true
	case "/", "//", "/#", "/%":
		pat, ok := v.expandPattern(pt.arg)
		if !ok {
			return "", false
		}
		rep := ""
		if pt.rep != nil {
			if rep, ok = v.expandString(pt.rep); !ok {
				return "", false
			}
		}
		return replacePattern(val, pat, rep, pt.op), true
	case ":":
		return v.substring(val, pt)
	}
	useArg := false
	colon := strings.HasPrefix(pt.op, ":")
	empty := !set || (colon && val == "")
	switch strings.TrimPrefix(pt.op, ":") {
	case "-":
		useArg = empty
	case "=":
		if empty {
			arg, ok := v.expandString(pt.arg)
			if !ok {
				return "", false
			}
			if !validName(pt.text) {
				v.expandFail(v.shell + ": " + pt.text + ": bad variable name")
				return "", false
			}
			v.setVar(pt.text, arg)
			return arg, true
		}
	case "+":
		if empty {
			return "", true
		}
		useArg = true
	case "?":
		if empty {
			msg, ok := v.expandString(pt.arg)
			if !ok {
				return "", false
			}
			if msg == "" {
				msg = "parameter not set"
				if set {
					msg = "parameter null or not set"
				}
			}
			v.expandFail(v.shell + ": " + pt.text + ": " + msg)
			return "", false
		}
	case "#", "##", "%", "%%":
		pat, ok := v.expandPattern(pt.arg)
		if !ok {
			return "", false
		}
		return trimPattern(val, pat, pt.op), true
	}
	if useArg {
		return v.expandString(pt.arg)
	}
	return val, true
}

// replacePattern is ${name/pattern/replacement}: the longest match of the shell pattern
// leftmost in val replaced ("//": every match; "/#": a match at the start; "/%": at the
// end). The pattern becomes a regular expression with leftmost-longest matching, so
// that big values take linear time.
func replacePattern(val, pat, rep, op string) string {
	if pat == "" {
		return val
	}
	expr := globRegexp(pat)
	switch op {
	case "/#":
		expr = "^(?:" + expr + ")"
	case "/%":
		expr = "(?:" + expr + ")$"
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return val
	}
	re.Longest()
	if op == "//" {
		return re.ReplaceAllLiteralString(val, rep)
	}
	loc := re.FindStringIndex(val)
	if loc == nil {
		return val
	}
	return val[:loc[0]] + rep + val[loc[1]:]
}

// globRegexp is a shell pattern (* ? [...] and \ escapes) as a regular expression.
func globRegexp(pat string) string {
	var b strings.Builder
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; c {
		case '*':
			b.WriteString("(?s:.*)")
		case '?':
			b.WriteString("(?s:.)")
		case '\\':
			if i+1 < len(pat) {
				i++
			}
			b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
		case '[':
			end := classEnd(pat, i)
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			body := pat[i+1 : end]
			b.WriteByte('[')
			if strings.HasPrefix(body, "!") || strings.HasPrefix(body, "^") {
				b.WriteByte('^')
				body = body[1:]
			}
			b.WriteString(strings.ReplaceAll(body, `\`, `\\`))
			b.WriteByte(']')
			i = end
		default:
			b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
		}
	}
	return b.String()
}

// classEnd is the index of the ] that closes the bracket expression opening at pat[i],
// or -1: a ] first (after ! or ^) is a member, [:name:] is a class.
func classEnd(pat string, i int) int {
	j := i + 1
	if j < len(pat) && (pat[j] == '!' || pat[j] == '^') {
		j++
	}
	if j < len(pat) && pat[j] == ']' {
		j++
	}
	for ; j < len(pat); j++ {
		if pat[j] == '[' && j+1 < len(pat) && pat[j+1] == ':' {
			if k := strings.Index(pat[j+2:], ":]"); k >= 0 {
				j += k + 3
				continue
			}
		}
		if pat[j] == ']' {
			return j
		}
	}
	return -1
}

// substring is ${name:offset[:length]}: arithmetic offset and length in characters, a
// negative offset counting from the end, a negative length leaving that many out at the
// end.
func (v *vm) substring(val string, pt *part) (string, bool) {
	r := []rune(val)
	eval := func(w *word) (int64, bool) {
		s, ok := v.expandString(w)
		if !ok {
			return 0, false
		}
		if strings.TrimSpace(s) == "" {
			return 0, true
		}
		return v.evalArith(s)
	}
	off, ok := eval(pt.arg)
	if !ok {
		return "", false
	}
	n := int64(len(r))
	if off < 0 {
		off = max(n+off, 0)
	}
	off = min(off, n)
	end := n
	if pt.rep != nil {
		l, ok := eval(pt.rep)
		if !ok {
			return "", false
		}
		if l < 0 {
			end = n + l
			if end < off {
				v.expandFail(v.shell + ": " + strconv.FormatInt(l, 10) + ": substring expression < 0")
				return "", false
			}
		} else {
			end = min(off+l, n)
		}
	}
	return string(r[off:end]), true
}

func trimPattern(val, pat, op string) string {
	n := len(val)
	switch op {
	case "#":
		for i := 0; i <= n; i++ {
			if globMatch(pat, val[:i]) {
				return val[i:]
			}
		}
	case "##":
		for i := n; i >= 0; i-- {
			if globMatch(pat, val[:i]) {
				return val[i:]
			}
		}
	case "%":
		for i := n; i >= 0; i-- {
			if globMatch(pat, val[i:]) {
				return val[:i]
			}
		}
	case "%%":
		for i := 0; i <= n; i++ {
			if globMatch(pat, val[i:]) {
				return val[:i]
			}
		}
	}
	return val
}

func (v *vm) lookup(pt *part) (string, bool) {
	name := pt.text
	switch name {
	case "?":
		return strconv.Itoa(v.status), true
	case "$":
		return strconv.Itoa(v.pid), true
	case "#":
		return strconv.Itoa(len(v.sc.positional)), true
	case "@", "*":
		return strings.Join(v.sc.positional, " "), len(v.sc.positional) > 0
	case "!":
		if v.lastBg == 0 {
			return "", false
		}
		return strconv.Itoa(v.lastBg), true
	case "-":
		f := ""
		if v.opts.errexit {
			f += "e"
		}
		if v.opts.nounset {
			f += "u"
		}
		if v.opts.xtrace {
			f += "x"
		}
		return f, true
	case "0":
		return v.sc.arg0, true
	case "RANDOM":
		// Deterministic: a function of the virtual time and the steps taken.
		return strconv.Itoa(int((v.env.Now().UnixNano()/1e6 + int64(v.budget.used)*7919) % 32768)), true
	case "SECONDS":
		return "0", true
	case "LINENO":
		return "1", true
	}
	if name[0] >= '0' && name[0] <= '9' {
		n, err := strconv.Atoi(name)
		if err != nil || n < 1 || n > len(v.sc.positional) {
			return "", false
		}
		return v.sc.positional[n-1], true
	}
	if arr, ok := v.sc.arrays[name]; ok {
		idx := int64(0)
		if pt.index != nil {
			s, ok := v.expandString(pt.index)
			if !ok {
				return "", false
			}
			if idx, ok = v.arith(s); !ok {
				return "", false
			}
		}
		if pt.op == "len" && pt.index == nil {
			return arr[0], len(arr) > 0
		}
		if idx < 0 || idx >= int64(len(arr)) {
			return "", false
		}
		return arr[idx], true
	}
	if pt.index != nil {
		// a scalar is an array of one element
		s, _ := v.expandString(pt.index)
		if n, ok := v.arith(s); !ok || n != 0 {
			return "", false
		}
	}
	val, ok := v.sc.vars[name]
	return val, ok
}

// glob expands a pattern against the filesystem; nil when nothing matches.
func (v *vm) glob(pat string) []string {
	abs := strings.HasPrefix(pat, "/")
	segs := strings.Split(strings.Trim(pat, "/"), "/")
	type cand struct{ shown, real string }
	cands := []cand{{"", "/"}}
	if !abs {
		cands = []cand{{"", v.cwd}}
	}
	for i, seg := range segs {
		if seg == "" {
			continue
		}
		var next []cand
		hasMeta := globHasMeta(seg)
		for _, c := range cands {
			join := func(name string) cand {
				shown := name
				if c.shown != "" || abs {
					shown = strings.TrimSuffix(c.shown, "/") + "/" + name
				}
				return cand{shown, path.Join(c.real, name)}
			}
			if !hasMeta {
				lit := globUnescape(seg)
				if _, err := v.fs.Stat(path.Join(c.real, lit)); err == nil || i < len(segs)-1 {
					next = append(next, join(lit))
				}
				continue
			}
			ents, err := v.fs.ReadDir(c.real)
			if err != nil {
				continue
			}
			for _, e := range ents {
				if strings.HasPrefix(e.Name, ".") && !strings.HasPrefix(seg, ".") {
					continue
				}
				if globMatch(seg, e.Name) {
					next = append(next, join(e.Name))
				}
			}
		}
		cands = next
		if len(cands) > 10000 {
			cands = cands[:10000]
		}
	}
	var out []string
	for _, c := range cands {
		if _, err := v.fs.Stat(c.real); err == nil && c.shown != "" {
			out = append(out, c.shown)
		}
	}
	sort.Strings(out)
	return out
}

func globHasMeta(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '*', '?', '[':
			return true
		}
	}
	return false
}

func globUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// globMatch matches a shell pattern (* ? [...] and \ escapes) against all of s. It
// backtracks only to the last star, so it runs in O(len(pat)*len(s)).
func globMatch(pat, s string) bool {
	px, sx := 0, 0
	starP, starS := -1, -1
	for sx < len(s) || px < len(pat) {
		if px < len(pat) {
			switch c := pat[px]; c {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				if sx < len(s) {
					px++
					sx++
					continue
				}
			case '[':
				if sx < len(s) {
					if ok, n, valid := matchClass(pat[px:], s[sx]); valid {
						if ok {
							px += n
							sx++
							continue
						}
					} else if s[sx] == '[' {
						px++
						sx++
						continue
					}
				}
			case '\\':
				if px+1 < len(pat) {
					if sx < len(s) && s[sx] == pat[px+1] {
						px += 2
						sx++
						continue
					}
				} else if sx < len(s) && s[sx] == '\\' {
					px++
					sx++
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if starP >= 0 && starS < len(s) {
			starS++
			px, sx = starP+1, starS
			continue
		}
		return false
	}
	return true
}

// matchClass matches c against the bracket expression at the start of pat. It returns
// whether it matched, the expression's length, and whether it is a valid expression.
func matchClass(pat string, c byte) (bool, int, bool) {
	i := 1
	neg := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		neg = true
		i++
	}
	matched := false
	first := true
	for i < len(pat) && (pat[i] != ']' || first) {
		first = false
		lo := pat[i]
		if lo == '\\' && i+1 < len(pat) {
			i++
			lo = pat[i]
		}
		hi := lo
		if i+2 < len(pat) && pat[i+1] == '-' && pat[i+2] != ']' {
			hi = pat[i+2]
			i += 2
		}
		if lo <= c && c <= hi {
			matched = true
		}
		i++
	}
	if i >= len(pat) {
		return false, 0, false
	}
	return matched != neg, i + 1, true
}
