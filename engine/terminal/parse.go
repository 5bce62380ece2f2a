package terminal

import (
	"fmt"
	"strings"
)

// Limits that protect the tab from a pasted or fetched script that is far too big.
const (
	MaxScriptBytes = 1 << 20  // a whole script
	MaxLineBytes   = 64 << 10 // one physical line
)

// Command is one command of a script, ready to run.
type Command struct {
	// Line is the 1-based line of the script where the command starts.
	Line int
	// Text is the command as written, for the transcript's `$ <Text>` echo: from its first
	// word to its last, continuation lines included as typed (backslash-newline and all),
	// without separators (`;`, `&&`) or a trailing comment; a here-document's body and
	// delimiter line follow after a "\n", exactly as written.
	Text string
	// Args are the words after quote removal.
	Args []string
	// Stdin is the here-document body, each line ending in "\n"; nil without one.
	Stdin *string
	// AndIf is set when the command followed `&&`: it runs only if the previous succeeded.
	AndIf bool
}

// SyntaxError is the error of Parse and SplitWords.
type SyntaxError struct {
	// Line is the 1-based line the error is about; 0 when it is about the whole script.
	Line int
	Msg  string
	// Incomplete is set when the script stopped too early: more input (a closing quote, the
	// rest of a here-document, the command after `&&`) could make it valid. A terminal can
	// use it to ask for a continuation line.
	Incomplete bool
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Parse splits a script into commands. See the package documentation for the language.
func Parse(script string) ([]Command, error) {
	if err := checkLimits(script); err != nil {
		return nil, err
	}
	p := &parser{src: script, line: 1}
	if err := p.parse(); err != nil {
		return nil, err
	}
	var cmds []Command
	for _, b := range p.cmds {
		c := Command{Line: b.line, Text: script[b.start:b.end], Args: b.args, AndIf: b.andIf}
		if b.heredoc != nil {
			c.Text += "\n" + script[b.bodyStart:b.bodyEnd]
			c.Stdin = b.stdin
		}
		cmds = append(cmds, c)
	}
	return cmds, nil
}

// SplitWords splits one command line into its words. An empty or comment-only line has no
// words; more than one command, or a here-document, is an error.
func SplitWords(line string) ([]string, error) {
	cmds, err := Parse(line)
	if err != nil {
		return nil, err
	}
	switch {
	case len(cmds) == 0:
		return nil, nil
	case len(cmds) > 1:
		return nil, &SyntaxError{Line: cmds[1].Line, Msg: fmt.Sprintf("expected one command, found %d", len(cmds))}
	case cmds[0].Stdin != nil:
		return nil, &SyntaxError{Line: cmds[0].Line, Msg: "a here-document is not allowed here"}
	}
	return cmds[0].Args, nil
}

// Quote renders args as one line that Parse reads back as exactly those args. Words made
// only of characters no shell treats specially are written bare; all others are single-quoted,
// so the line also means the same thing to a real POSIX shell.
func Quote(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if a != "" && strings.IndexFunc(a, func(r rune) bool { return !isBareRune(r) }) < 0 {
			b.WriteString(a)
			continue
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(a, "'", `'\''`))
		b.WriteByte('\'')
	}
	return b.String()
}

func isBareRune(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("_-./:=,+@%", r)
}

// Complete returns the word being typed at cursor (a byte offset into line), for Tab
// completion: prefix is that word's text up to the cursor after quote removal, and
// wordStart the byte offset where the word begins in line (at its opening quote, if any), so
// a completion replaces line[wordStart:cursor]. Between words, or inside a comment, prefix
// is "" and wordStart is cursor. An open quote is fine: `kubectl get 'po` completes "po".
func Complete(line string, cursor int) (prefix string, wordStart int) {
	cursor = max(0, min(cursor, len(line)))
	s := line[:cursor]
	const (
		between = iota
		inWord
		inSingle
		inDouble
		inComment
	)
	state := between
	var word []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch state {
		case inComment:
			if c == '\n' {
				state = between
			}
		case inSingle:
			if c == '\'' {
				state = inWord
			} else {
				word = append(word, c)
			}
		case inDouble:
			switch {
			case c == '"':
				state = inWord
			case c == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0:
				word = append(word, s[i+1])
				i++
			case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
				i++
			default:
				word = append(word, c)
			}
		default:
			if c == '\\' && i+1 < len(s) && s[i+1] == '\n' {
				i++ // a continuation neither ends nor starts a word
				continue
			}
			if isBlank(c) || c == '\n' || isOperator(c) {
				state, word = between, word[:0]
				continue
			}
			if state == between {
				if c == '#' {
					state = inComment
					continue
				}
				state, wordStart, word = inWord, i, word[:0]
			}
			switch c {
			case '\\':
				if i+1 < len(s) {
					word = append(word, s[i+1])
					i++
				}
			case '\'':
				state = inSingle
			case '"':
				state = inDouble
			default:
				word = append(word, c)
			}
		}
	}
	if state == between || state == inComment {
		return "", cursor
	}
	return string(word), wordStart
}

func checkLimits(script string) error {
	if len(script) > MaxScriptBytes {
		return &SyntaxError{Msg: fmt.Sprintf("script too large: %d bytes (limit %d)", len(script), MaxScriptBytes)}
	}
	for n, rest := 1, script; rest != ""; n++ {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		if i > MaxLineBytes {
			return &SyntaxError{Line: n, Msg: fmt.Sprintf("line too long: %d bytes (limit %d)", i, MaxLineBytes)}
		}
		rest = rest[min(i+1, len(rest)):]
	}
	return nil
}

// command is a Command while it is being read, with the offsets that make up its Text.
type command struct {
	line, start, end int
	args             []string
	andIf            bool
	heredoc          *heredoc
	bodyStart        int
	bodyEnd          int
	stdin            *string
}

type heredoc struct {
	line      int // of the << operator
	delim     string
	stripTabs bool
}

type parser struct {
	src  string
	pos  int
	line int // of src[pos]

	cmds []*command
	cur  *command // the command being read; nil between commands
	// pending are the commands whose here-document bodies start after the next newline.
	pending []*command
	// andIfLine is the line of a `&&` whose right-hand command has not started yet (0: none).
	andIfLine int
}

func (p *parser) parse() error {
	for {
		p.skipBlanks()
		if p.pos >= len(p.src) {
			return p.finish()
		}
		switch c := p.src[p.pos]; c {
		case '\n':
			if err := p.endCommand(); err != nil {
				return err
			}
			p.pos++
			p.line++
			if err := p.readBodies(); err != nil {
				return err
			}
		case '#':
			if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
				p.pos += i
			} else {
				p.pos = len(p.src)
			}
		case ';':
			if p.cur == nil {
				return p.errorf("syntax error near unexpected token `;'")
			}
			if err := p.endCommand(); err != nil {
				return err
			}
			p.pos++
		case '&':
			switch {
			case p.at("&&"):
				if p.cur == nil {
					return p.errorf("syntax error near unexpected token `&&'")
				}
				if err := p.endCommand(); err != nil {
					return err
				}
				p.andIfLine = p.line
				p.pos += 2
			case p.at("&>"):
				return p.unsupported("redirections are", "&>")
			default:
				return p.unsupported("background jobs are", "&")
			}
		case '|':
			if p.at("||") {
				return p.unsupported("or-lists are", "||")
			}
			return p.unsupported("pipes are", "|")
		case '>':
			for _, op := range []string{">>", ">&", ">|", ">"} {
				if p.at(op) {
					return p.unsupported("redirections are", op)
				}
			}
		case '<':
			if p.at("<<") && !p.at("<<<") {
				if err := p.readHeredocOperator(); err != nil {
					return err
				}
				continue
			}
			for _, op := range []string{"<<<", "<&", "<>", "<"} {
				if p.at(op) {
					return p.unsupported("redirections are", op)
				}
			}
		case '`':
			return p.unsupported("command substitution is", "`")
		default:
			p.startCommand()
			w, err := p.readWord()
			if err != nil {
				return err
			}
			p.cur.args = append(p.cur.args, w)
			p.cur.end = p.pos
		}
	}
}

func (p *parser) finish() error {
	if err := p.endCommand(); err != nil {
		return err
	}
	if len(p.pending) > 0 {
		return p.missingDelimiter(p.pending[0].heredoc)
	}
	if p.andIfLine != 0 {
		return &SyntaxError{Line: p.andIfLine, Msg: "syntax error: unexpected end of file after `&&'", Incomplete: true}
	}
	return nil
}

func (p *parser) startCommand() {
	if p.cur != nil {
		return
	}
	p.cur = &command{line: p.line, start: p.pos, andIf: p.andIfLine != 0}
	p.andIfLine = 0
}

func (p *parser) endCommand() error {
	c := p.cur
	if c == nil {
		return nil
	}
	p.cur = nil
	if len(c.args) == 0 {
		return &SyntaxError{Line: c.line, Msg: "a here-document needs a command (kubectl apply -f - <<EOF)"}
	}
	p.cmds = append(p.cmds, c)
	return nil
}

// readHeredocOperator reads `<<` or `<<-` and the delimiter word after it.
func (p *parser) readHeredocOperator() error {
	p.startCommand()
	if p.cur.heredoc != nil {
		return p.errorf("a command can have only one here-document")
	}
	h := &heredoc{line: p.line}
	p.pos += len("<<")
	if p.at("-") {
		h.stripTabs = true
		p.pos++
	}
	p.skipBlanks()
	if p.pos >= len(p.src) || p.src[p.pos] == '\n' || p.src[p.pos] == '#' || isOperator(p.src[p.pos]) {
		return p.errorf("a here-document needs a delimiter word after << (<<EOF)")
	}
	delim, err := p.readWord()
	if err != nil {
		return err
	}
	if delim == "" {
		// bash accepts an empty line as the end of a body, but no example does, and the
		// missing word is far likelier a mistake.
		return p.errorf("a here-document delimiter must not be empty")
	}
	h.delim = delim
	p.cur.heredoc = h
	p.cur.end = p.pos
	p.pending = append(p.pending, p.cur)
	return nil
}

// readBodies reads the bodies of the pending here-documents, in order, from the start of
// the line after the one that introduced them.
func (p *parser) readBodies() error {
	for _, c := range p.pending {
		h := c.heredoc
		c.bodyStart = p.pos
		var body strings.Builder
		for {
			if p.pos >= len(p.src) {
				return p.missingDelimiter(h)
			}
			text, next := p.src[p.pos:], len(p.src)
			if i := strings.IndexByte(text, '\n'); i >= 0 {
				text, next = text[:i], p.pos+i+1
			}
			line := text
			if h.stripTabs {
				line = strings.TrimLeft(line, "\t")
			}
			// A delimiter line from a CRLF file still ends the body.
			if strings.TrimSuffix(line, "\r") == h.delim {
				c.bodyEnd = p.pos + len(text)
				if next > p.pos+len(text) {
					p.line++
				}
				p.pos = next
				break
			}
			body.WriteString(line)
			body.WriteByte('\n')
			if next > p.pos+len(text) {
				p.line++
			}
			p.pos = next
		}
		s := body.String()
		c.stdin = &s
	}
	p.pending = p.pending[:0]
	return nil
}

func (p *parser) missingDelimiter(h *heredoc) error {
	return &SyntaxError{Line: h.line, Msg: fmt.Sprintf("here-document delimited by end-of-file (wanted %q)", h.delim), Incomplete: true}
}

// readWord reads one word at p.pos and returns it after quote removal.
func (p *parser) readWord() (string, error) {
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if isBlank(c) || c == '\n' || isOperator(c) {
			break
		}
		switch {
		case c == '\\':
			if n := p.continuation(); n > 0 {
				p.pos += n
				p.line++
				continue
			}
			if p.pos+1 >= len(p.src) {
				return "", &SyntaxError{Line: p.line, Msg: "unexpected end of file after \\", Incomplete: true}
			}
			b.WriteByte(p.src[p.pos+1])
			p.pos += 2
		case c == '\'':
			i := strings.IndexByte(p.src[p.pos+1:], '\'')
			if i < 0 {
				return "", p.unterminated(p.line)
			}
			s := p.src[p.pos+1 : p.pos+1+i]
			b.WriteString(s)
			p.line += strings.Count(s, "\n")
			p.pos += i + 2
		case c == '"':
			if err := p.readDoubleQuoted(&b); err != nil {
				return "", err
			}
		case c == '$' && p.at("$("):
			if err := p.readCommandSubstitution(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return b.String(), nil
}

func (p *parser) readDoubleQuoted(b *strings.Builder) error {
	start := p.line
	p.pos++
	for {
		if p.pos >= len(p.src) {
			return p.unterminated(start)
		}
		c := p.src[p.pos]
		if c == '"' {
			p.pos++
			return nil
		}
		if c == '\\' && p.pos+1 < len(p.src) {
			if n := p.continuation(); n > 0 {
				p.pos += n
				p.line++
				continue
			}
			if next := p.src[p.pos+1]; strings.IndexByte("\"\\$`", next) >= 0 {
				b.WriteByte(next)
				p.pos += 2
				continue
			}
		}
		if c == '\n' {
			p.line++
		}
		b.WriteByte(c)
		p.pos++
	}
}

// readCommandSubstitution keeps a `$(...)` literal, as written, in the word: it is not
// run, but splitting it at its blanks would only make it more confusing.
func (p *parser) readCommandSubstitution(b *strings.Builder) error {
	start, depth := p.pos, 0
	for i := p.pos + 1; i < len(p.src); i++ {
		switch p.src[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				s := p.src[start : i+1]
				b.WriteString(s)
				p.line += strings.Count(s, "\n")
				p.pos = i + 1
				return nil
			}
		case '\\':
			i++
		case '\'':
			j := strings.IndexByte(p.src[i+1:], '\'')
			if j < 0 {
				i = len(p.src)
			} else {
				i += j + 1
			}
		case '"':
			for i++; i < len(p.src) && p.src[i] != '"'; i++ {
				if p.src[i] == '\\' {
					i++
				}
			}
		}
	}
	return &SyntaxError{Line: p.line, Msg: "unexpected end of file while looking for matching `)'", Incomplete: true}
}

// continuation returns the length of a backslash-newline (or backslash-CRLF) at p.pos, or 0.
func (p *parser) continuation() int {
	switch {
	case p.at("\\\n"):
		return 2
	case p.at("\\\r\n"):
		return 3
	}
	return 0
}

// skipBlanks skips blanks and line continuations between words.
func (p *parser) skipBlanks() {
	for p.pos < len(p.src) {
		if isBlank(p.src[p.pos]) {
			p.pos++
		} else if n := p.continuation(); n > 0 {
			p.pos += n
			p.line++
		} else {
			return
		}
	}
}

func (p *parser) at(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) unsupported(what, op string) error {
	return p.errorf("%s not supported in kubetab's terminal (%s)", what, op)
}

func (p *parser) unterminated(line int) error {
	return &SyntaxError{Line: line, Msg: "unterminated quoted string", Incomplete: true}
}

// isBlank reports whether c separates words. A carriage return counts, so that scripts
// saved with CRLF line endings read like their LF twins.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// isOperator reports whether c ends a word because it starts a shell operator.
func isOperator(c byte) bool { return strings.IndexByte(";&|<>`", c) >= 0 }
