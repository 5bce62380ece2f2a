package filters

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
)

// ---- base64 ----

// Base64 is coreutils' base64: encode (lines of 76 characters, -w N to change, -w 0
// for one line) or decode (-d, --decode; newlines ignored).
func Base64(c *Call) int {
	decode, wrap := false, 76
	var files []string
	args := c.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-d" || a == "--decode" || a == "-D":
			decode = true
		case a == "-w" && i+1 < len(args):
			i++
			a = "--wrap=" + args[i]
			fallthrough
		case strings.HasPrefix(a, "--wrap=") || strings.HasPrefix(a, "-w"):
			v := strings.TrimPrefix(strings.TrimPrefix(a, "--wrap="), "-w")
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				c.errf("base64: invalid wrap size: '%s'", v)
				return 1
			}
			wrap = n
		case a == "-i" || a == "--ignore-garbage":
		case strings.HasPrefix(a, "-") && a != "-":
			c.errf("base64: invalid option -- '%s'", strings.TrimLeft(a, "-"))
			return 1
		default:
			files = append(files, a)
		}
	}
	datas, status := c.Inputs(files)
	in := strings.Join(datas, "")
	if decode {
		clean := strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, in)
		out, err := base64.StdEncoding.DecodeString(clean)
		c.out(string(out))
		if err != nil {
			c.errf("base64: invalid input")
			return 1
		}
		return status
	}
	enc := base64.StdEncoding.EncodeToString([]byte(in))
	var b strings.Builder
	for wrap > 0 && len(enc) > wrap {
		b.WriteString(enc[:wrap] + "\n")
		enc = enc[wrap:]
	}
	switch {
	case wrap == 0:
		b.WriteString(enc) // -w 0 ends without a newline, as coreutils does
	case enc != "":
		b.WriteString(enc + "\n")
	}
	c.out(b.String())
	return status
}

// ---- sed ----

// sedCmd is one command of a sed script, with its address.
type sedCmd struct {
	a1, a2 *sedAddr
	neg    bool
	name   byte // s, d, p, q, =, y
	re     *regexp.Regexp
	repl   string
	global bool
	nth    int
	print  bool
	from   []rune
	to     []rune
	active bool // in its range
}

type sedAddr struct {
	line int // 0 for last ($) when last is set
	last bool
	re   *regexp.Regexp
}

// Sed is a sed for the one-liners docs use: s///[gpNI], d, p, q, =, y, with line,
// $ and /re/ addresses and ranges, `!`, -n, -e, -E/-r and -i.
func Sed(c *Call) int {
	var scripts, files []string
	quiet, ere, inPlace := false, false, false
	args := c.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-n" || a == "--quiet" || a == "--silent":
			quiet = true
		case a == "-E" || a == "-r" || a == "--regexp-extended":
			ere = true
		case a == "-i" || strings.HasPrefix(a, "--in-place"):
			inPlace = true
		case a == "-e" && i+1 < len(args):
			i++
			scripts = append(scripts, args[i])
		case strings.HasPrefix(a, "-") && len(a) > 1 && strings.Trim(a[1:], "nErie") == "":
			quiet = quiet || strings.Contains(a, "n")
			ere = ere || strings.ContainsAny(a, "Er")
			inPlace = inPlace || strings.Contains(a, "i")
			if strings.HasSuffix(a, "e") && i+1 < len(args) {
				i++
				scripts = append(scripts, args[i])
			}
		case strings.HasPrefix(a, "-") && a != "-":
			c.errf("sed: unknown option -- '%s'", strings.TrimLeft(a, "-"))
			return 1
		case len(scripts) == 0:
			scripts = append(scripts, a)
		default:
			files = append(files, a)
		}
	}
	if len(scripts) == 0 {
		c.errf("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...")
		return 1
	}
	prog, err := parseSed(strings.Join(scripts, "\n"), ere)
	if err != "" {
		c.errf("sed: -e expression #1, char 0: %s", err)
		return 1
	}
	if inPlace {
		if len(files) == 0 {
			c.errf("sed: no input files")
			return 1
		}
		status := 0
		for _, f := range files {
			data, rerr := c.ReadFile(f)
			if rerr != nil {
				c.errf("sed: can't read %s: %s", f, c.ErrText(rerr))
				status = 2
				continue
			}
			var b strings.Builder
			runSed(prog, data, quiet, &b, c)
			if werr := c.WriteFile(f, b.String(), false); werr != nil {
				c.errf("sed: couldn't open file %s: %s", f, c.ErrText(werr))
				status = 4
			}
		}
		return status
	}
	datas, status := c.Inputs(files)
	var b strings.Builder
	runSed(prog, strings.Join(datas, ""), quiet, &b, c)
	c.out(b.String())
	if status != 0 {
		return 2
	}
	return 0
}

func runSed(prog []*sedCmd, data string, quiet bool, b *strings.Builder, c *Call) {
	ls := lines(data)
	for _, cmd := range prog {
		cmd.active = false
	}
	for n, line := range ls {
		c.Step()
		last := n == len(ls)-1
		deleted, quit := false, false
		for _, cmd := range prog {
			if !cmd.matches(n+1, last, line) != cmd.neg {
				continue
			}
			switch cmd.name {
			case 'd':
				deleted = true
			case 'p':
				b.WriteString(line + "\n")
			case '=':
				b.WriteString(strconv.Itoa(n+1) + "\n")
			case 'q':
				quit = true
			case 'y':
				line = strings.Map(func(r rune) rune {
					for i, f := range cmd.from {
						if f == r {
							return cmd.to[i]
						}
					}
					return r
				}, line)
			case 's':
				var done bool
				line, done = cmd.substitute(line)
				if done && cmd.print {
					b.WriteString(line + "\n")
				}
			}
			if deleted || quit {
				break
			}
		}
		if !deleted && !quiet {
			b.WriteString(line + "\n")
		}
		if quit {
			return
		}
	}
}

func (a *sedAddr) match(n int, last bool, line string) bool {
	switch {
	case a.re != nil:
		return a.re.MatchString(line)
	case a.last:
		return last
	}
	return n == a.line
}

func (cmd *sedCmd) matches(n int, last bool, line string) bool {
	switch {
	case cmd.a1 == nil:
		return true
	case cmd.a2 == nil:
		return cmd.a1.match(n, last, line)
	case cmd.active:
		end := cmd.a2.match(n, last, line) || cmd.a2.re == nil && !cmd.a2.last && n >= cmd.a2.line
		cmd.active = !end
		return true
	case cmd.a1.match(n, last, line):
		cmd.active = !(cmd.a2.re == nil && !cmd.a2.last && n >= cmd.a2.line)
		return true
	}
	return false
}

// substitute applies s to line; done reports whether it replaced anything.
func (cmd *sedCmd) substitute(line string) (string, bool) {
	matches := cmd.re.FindAllStringSubmatchIndex(line, -1)
	if len(matches) == 0 {
		return line, false
	}
	var b strings.Builder
	prev, done := 0, false
	for i, m := range matches {
		if cmd.nth > 0 && i+1 < cmd.nth || done && !cmd.global {
			continue
		}
		b.WriteString(line[prev:m[0]])
		for j := 0; j < len(cmd.repl); j++ {
			ch := cmd.repl[j]
			switch {
			case ch == '&':
				b.WriteString(line[m[0]:m[1]])
			case ch == '\\' && j+1 < len(cmd.repl):
				j++
				d := cmd.repl[j]
				switch {
				case d >= '0' && d <= '9':
					if k := int(d - '0'); 2*k+1 < len(m) && m[2*k] >= 0 {
						b.WriteString(line[m[2*k]:m[2*k+1]])
					}
				case d == 'n':
					b.WriteByte('\n')
				case d == 't':
					b.WriteByte('\t')
				default:
					b.WriteByte(d)
				}
			default:
				b.WriteByte(ch)
			}
		}
		prev = m[1]
		done = true
	}
	b.WriteString(line[prev:])
	return b.String(), done
}

// parseSed reads a sed script; the error is sed's message.
func parseSed(src string, ere bool) ([]*sedCmd, string) {
	p := &sedParser{src: src, ere: ere}
	var prog []*sedCmd
	for {
		p.skip(" \t\n;")
		if p.pos >= len(p.src) {
			return prog, ""
		}
		cmd := &sedCmd{}
		var err string
		if cmd.a1, err = p.addr(); err != "" {
			return nil, err
		}
		if cmd.a1 != nil && p.peek() == ',' {
			p.pos++
			if cmd.a2, err = p.addr(); err != "" {
				return nil, err
			}
			if cmd.a2 == nil {
				return nil, "unexpected `,'"
			}
		}
		p.skip(" \t")
		if p.peek() == '!' {
			cmd.neg = true
			p.pos++
			p.skip(" \t")
		}
		if p.pos >= len(p.src) {
			return nil, "missing command"
		}
		cmd.name = p.src[p.pos]
		p.pos++
		switch cmd.name {
		case 'd', 'p', 'q', '=':
		case 's':
			if err = p.subst(cmd); err != "" {
				return nil, err
			}
		case 'y':
			delim := p.peek()
			p.pos++
			from, ok1 := p.until(delim)
			to, ok2 := p.until(delim)
			cmd.from, cmd.to = []rune(from), []rune(to)
			if !ok1 || !ok2 {
				return nil, "unterminated `y' command"
			}
			if len(cmd.from) != len(cmd.to) {
				return nil, "strings for `y' command are different lengths"
			}
		default:
			return nil, "unknown command: `" + string(cmd.name) + "'"
		}
		prog = append(prog, cmd)
		p.skip(" \t")
		if p.pos < len(p.src) && strings.IndexByte(";\n}", p.src[p.pos]) < 0 {
			return nil, "extra characters after command"
		}
	}
}

type sedParser struct {
	src string
	pos int
	ere bool
}

func (p *sedParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *sedParser) skip(set string) {
	for p.pos < len(p.src) && strings.IndexByte(set, p.src[p.pos]) >= 0 {
		p.pos++
	}
}

// until reads up to an unescaped delim and consumes it; a `\delim` becomes delim.
func (p *sedParser) until(delim byte) (string, bool) {
	var b strings.Builder
	for p.pos < len(p.src) {
		ch := p.src[p.pos]
		p.pos++
		if ch == '\\' && p.pos < len(p.src) {
			if p.src[p.pos] == delim {
				b.WriteByte(delim)
			} else {
				b.WriteByte('\\')
				b.WriteByte(p.src[p.pos])
			}
			p.pos++
			continue
		}
		if ch == delim {
			return b.String(), true
		}
		b.WriteByte(ch)
	}
	return b.String(), false
}

func (p *sedParser) regexp(src, flags string) (*regexp.Regexp, string) {
	expr := src
	if !p.ere {
		expr = BRE(src)
	}
	re, err := regexp.Compile(flags + expr)
	if err != nil {
		return nil, "invalid regular expression: " + src
	}
	return re, ""
}

func (p *sedParser) addr() (*sedAddr, string) {
	switch ch := p.peek(); {
	case ch == '$':
		p.pos++
		return &sedAddr{last: true}, ""
	case ch >= '0' && ch <= '9':
		start := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		n, _ := strconv.Atoi(p.src[start:p.pos])
		return &sedAddr{line: n}, ""
	case ch == '/' || ch == '\\':
		if ch == '\\' {
			p.pos++
		}
		delim := p.peek()
		p.pos++
		src, ok := p.until(delim)
		if !ok {
			return nil, "unterminated address regex"
		}
		re, err := p.regexp(src, "")
		return &sedAddr{re: re}, err
	}
	return nil, ""
}

func (p *sedParser) subst(cmd *sedCmd) string {
	delim := p.peek()
	if delim == 0 || delim == '\n' || delim == '\\' {
		return "unterminated `s' command"
	}
	p.pos++
	pat, ok1 := p.until(delim)
	repl, ok2 := p.until(delim)
	if !ok1 || !ok2 {
		return "unterminated `s' command"
	}
	cmd.repl = repl
	flags := ""
	for p.pos < len(p.src) && strings.IndexByte("gpiI0123456789", p.src[p.pos]) >= 0 {
		switch ch := p.src[p.pos]; {
		case ch == 'g':
			cmd.global = true
		case ch == 'p':
			cmd.print = true
		case ch == 'i' || ch == 'I':
			flags = "(?i)"
		default:
			cmd.nth = cmd.nth*10 + int(ch-'0')
		}
		p.pos++
	}
	var err string
	cmd.re, err = p.regexp(pat, flags)
	return err
}
