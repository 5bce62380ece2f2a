package api

import (
	"bytes"
	"errors"
)

// The lines of fields in a YAML or JSON document, for error messages: an unknown field's
// line, the line of each item of a List. The document has already been read by the YAML
// decoder; this scanner only follows its structure (block and flow collections, KYAML,
// JSON) to the lines of mapping keys and sequence items. What it does not follow (complex
// keys, text that is not valid YAML) gives no line rather than a wrong one.
//
// It replaces a second YAML library (yaml.v3, for its node positions) that cost 56 KB of
// the brotli-compressed wasm; position_test.go checks it against yaml.v3.

// ynode is a node of the document's structure: a mapping (keys and their values), a
// sequence (items), a scalar, or an alias of an anchored node.
type ynode struct {
	kind     byte // 'm' mapping, 's' sequence, 'v' scalar, 'a' alias
	line     int  // 1-based line of the node's first character in the document
	keys     []string
	keyLines []int
	values   []*ynode // a mapping's values (parallel to keys) or a sequence's items
	alias    *ynode
}

var errNoPosition = errors.New("yaml position: unsupported document")

// maxPositionDepth bounds nesting, so that a hostile document cannot exhaust the stack.
const maxPositionDepth = 1000

// parsePositions reads the structure of one document; nil when it cannot.
func parsePositions(src []byte) (root *ynode) {
	defer func() {
		if r := recover(); r != nil {
			if r != errNoPosition {
				panic(r)
			}
			root = nil
		}
	}()
	p := &yscanner{src: src, line: 1, anchors: map[string]*ynode{}}
	if bytes.HasPrefix(src, []byte("\ufeff")) {
		p.i, p.lineStart = 3, 3
	}
	p.skipBlank()
	if p.peek() == '%' { // a directive (%YAML 1.2) before the document
		return nil
	}
	root = p.block(-1)
	return root
}

// yscanner walks the source, counting lines.
type yscanner struct {
	src       []byte
	i         int
	line      int
	lineStart int // index of the current line's first byte
	depth     int
	anchors   map[string]*ynode
}

func (p *yscanner) fail() { panic(errNoPosition) }

func (p *yscanner) peek() byte {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return 0
}

func (p *yscanner) peekAt(n int) byte {
	if p.i+n < len(p.src) {
		return p.src[p.i+n]
	}
	return 0
}

func (p *yscanner) eof() bool { return p.i >= len(p.src) }

func (p *yscanner) advance() {
	if p.i >= len(p.src) {
		return
	}
	if p.src[p.i] == '\n' {
		p.line++
		p.lineStart = p.i + 1
	}
	p.i++
}

func (p *yscanner) col() int { return p.i - p.lineStart }

// space reports whether c separates tokens (EOF counts).
func space(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 }

// skipLine skips spaces and a comment up to the end of the line (not past it).
func (p *yscanner) skipLine() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t' || p.peek() == '\r') {
		p.advance()
	}
	if p.peek() == '#' {
		for !p.eof() && p.peek() != '\n' {
			p.advance()
		}
	}
}

// skipBlank skips blanks, comments and line ends up to the next content.
func (p *yscanner) skipBlank() {
	for {
		p.skipLine()
		if p.peek() != '\n' {
			return
		}
		p.advance()
	}
}

// atEnd reports a document end marker (or the end of the source) at the position.
func (p *yscanner) atEnd() bool {
	if p.eof() {
		return true
	}
	if p.col() == 0 && p.i+3 <= len(p.src) {
		s := string(p.src[p.i : p.i+3])
		if (s == "..." || s == "---") && space(p.peekAt(3)) {
			return true
		}
	}
	return false
}

func (p *yscanner) enter() {
	p.depth++
	if p.depth > maxPositionDepth {
		p.fail()
	}
}

// seqMarker reports a block sequence entry ("- ") at the position.
func (p *yscanner) seqMarker() bool { return p.peek() == '-' && space(p.peekAt(1)) }

// block reads the node at the next content, in block context, inside a collection indented
// by parent (-1 at the top).
func (p *yscanner) block(parent int) *ynode {
	p.enter()
	defer func() { p.depth-- }()
	p.skipBlank()
	if p.atEnd() || p.col() <= parent {
		return nil
	}
	anchor, propLine := p.properties()
	if p.peek() == '\n' || p.peek() == 0 { // the node is on the next lines
		n := p.block(parent)
		p.anchor(anchor, propLine, n)
		return n
	}
	col, line := p.col(), p.line
	var n *ynode
	switch c := p.peek(); {
	case c == '*':
		n = p.alias()
		p.skipLine()
	case p.seqMarker():
		n = p.blockSequence(col)
	case c == '{' || c == '[':
		n = p.flow()
		p.skipLine()
	case c == '|' || c == '>':
		p.blockScalar(parent)
		n = &ynode{kind: 'v', line: line}
	case c == '?' && space(p.peekAt(1)):
		p.fail() // complex keys
	case p.keyAhead():
		n = p.blockMapping(col)
	default:
		p.scalar(parent)
		n = &ynode{kind: 'v', line: line}
	}
	p.anchor(anchor, propLine, n)
	return n
}

// properties skips an anchor (&a) and a tag (!t) before a node, returning the anchor and
// the line they start on (0: none). A node with properties starts there.
func (p *yscanner) properties() (anchor string, line int) {
	for c := p.peek(); c == '&' || c == '!'; c = p.peek() {
		if line == 0 {
			line = p.line
		}
		start := p.i
		for !space(p.peek()) {
			p.advance()
		}
		if c == '&' {
			anchor = string(p.src[start+1 : p.i])
		}
		p.skipLine()
	}
	return anchor, line
}

// anchor records the node's anchor and starts it at its properties' line.
func (p *yscanner) anchor(name string, line int, n *ynode) {
	if n == nil {
		return
	}
	if line != 0 {
		n.line = line
	}
	if name != "" {
		p.anchors[name] = n
	}
}

func (p *yscanner) alias() *ynode {
	start := p.i
	for !space(p.peek()) && p.peek() != ',' && p.peek() != ']' && p.peek() != '}' {
		p.advance()
	}
	return &ynode{kind: 'a', line: p.line, alias: p.anchors[string(p.src[start+1:p.i])]}
}

// keyAhead reports whether the line continues with a mapping key: a plain or quoted
// scalar followed by ": " (or ':' at the end of the line).
func (p *yscanner) keyAhead() bool {
	i := p.i
	if c := p.src[i]; c == '"' || c == '\'' {
		end, ok := quotedEnd(p.src, i)
		if !ok {
			return false
		}
		for end < len(p.src) && (p.src[end] == ' ' || p.src[end] == '\t') {
			end++
		}
		return end < len(p.src) && p.src[end] == ':' && (end+1 == len(p.src) || space(p.src[end+1]))
	}
	for ; i < len(p.src) && p.src[i] != '\n'; i++ {
		if p.src[i] == ':' && (i+1 == len(p.src) || space(p.src[i+1])) {
			return true
		}
		if p.src[i] == '#' && i > p.i && (p.src[i-1] == ' ' || p.src[i-1] == '\t') {
			return false
		}
	}
	return false
}

// quotedEnd returns the index after the quoted scalar that starts at i.
func quotedEnd(src []byte, i int) (int, bool) {
	q := src[i]
	for i++; i < len(src); i++ {
		switch {
		case q == '"' && src[i] == '\\':
			i++
		case src[i] == q && q == '\'' && i+1 < len(src) && src[i+1] == '\'':
			i++
		case src[i] == q:
			return i + 1, true
		}
	}
	return i, false
}

func (p *yscanner) quoted() {
	end, ok := quotedEnd(p.src, p.i)
	if !ok {
		p.fail()
	}
	for p.i < end {
		p.advance()
	}
}

// key reads a mapping key in block context, up to its colon.
func (p *yscanner) key() string {
	start := p.i
	if c := p.peek(); c == '"' || c == '\'' {
		p.quoted()
		k := unquote(p.src[start:p.i])
		p.skipLine()
		if p.peek() != ':' {
			p.fail()
		}
		p.advance()
		return k
	}
	for !(p.peek() == ':' && space(p.peekAt(1))) {
		if p.eof() || p.peek() == '\n' {
			p.fail()
		}
		p.advance()
	}
	k := trimSpaces(p.src[start:p.i])
	p.advance()
	return k
}

func trimSpaces(b []byte) string {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return string(b)
}

// unquote returns a quoted key's text: escapes are resolved for the common cases (keys with
// escapes are rare, and one that does not compare equal only loses its line).
func unquote(b []byte) string {
	q, s := b[0], b[1:len(b)-1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch {
		case q == '\'' && s[i] == '\'' && i+1 < len(s):
			out = append(out, '\'')
			i++
		case q == '"' && s[i] == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			default:
				out = append(out, s[i])
			}
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}

// blockMapping reads the keys at column indent and their values.
func (p *yscanner) blockMapping(indent int) *ynode {
	n := &ynode{kind: 'm', line: p.line}
	for {
		keyLine := p.line
		// A key's own properties (`! k: v`, `&a k: v`); the first key's were read with the
		// mapping's.
		p.properties()
		k := p.key()
		n.keys, n.keyLines = append(n.keys, k), append(n.keyLines, keyLine)
		n.values = append(n.values, p.value(indent))
		p.skipBlank()
		if p.atEnd() || p.col() < indent || p.seqMarker() {
			return n
		}
		if p.col() > indent {
			p.fail()
		}
	}
}

// value reads the value after a key's colon (of a mapping indented by indent).
func (p *yscanner) value(indent int) *ynode {
	p.skipLine()
	if p.peek() == '\n' || p.eof() {
		p.skipBlank()
		if p.atEnd() {
			return nil
		}
		if p.col() == indent && p.seqMarker() { // "key:\n- item": a sequence at the key's indent
			return p.blockSequence(indent)
		}
		return p.block(indent)
	}
	anchor, propLine := p.properties()
	if p.peek() == '\n' || p.eof() {
		n := p.value(indent)
		p.anchor(anchor, propLine, n)
		return n
	}
	line := p.line
	var n *ynode
	switch c := p.peek(); {
	case c == '*':
		n = p.alias()
		p.skipLine()
	case c == '{' || c == '[':
		n = p.flow()
		p.skipLine()
	case c == '|' || c == '>':
		p.blockScalar(indent)
		n = &ynode{kind: 'v', line: line}
	default:
		p.scalar(indent)
		n = &ynode{kind: 'v', line: line}
	}
	p.anchor(anchor, propLine, n)
	return n
}

// blockSequence reads the "- " entries at column indent.
func (p *yscanner) blockSequence(indent int) *ynode {
	n := &ynode{kind: 's', line: p.line}
	for {
		p.advance() // the '-'
		p.skipLine()
		var item *ynode
		if p.peek() == '\n' || p.eof() {
			item = p.block(indent)
		} else {
			item = p.block(p.col() - 1)
		}
		n.values = append(n.values, item)
		p.skipBlank()
		if p.atEnd() || p.col() != indent || !p.seqMarker() {
			if p.col() > indent && !p.atEnd() {
				p.fail()
			}
			return n
		}
	}
}

// scalar skips a plain or quoted scalar in block context, with the lines that continue it
// (indented more than parent).
func (p *yscanner) scalar(parent int) {
	if c := p.peek(); c == '"' || c == '\'' {
		p.quoted()
		p.skipLine()
		return
	}
	p.toLineEnd()
	for {
		save, saveLine, saveStart := p.i, p.line, p.lineStart
		p.skipBlank()
		if p.atEnd() || p.col() <= parent || p.peek() == '#' {
			p.i, p.line, p.lineStart = save, saveLine, saveStart
			return
		}
		p.toLineEnd()
	}
}

// toLineEnd skips the rest of a plain scalar's line, and its comment.
func (p *yscanner) toLineEnd() {
	for !p.eof() && p.peek() != '\n' {
		if p.peek() == '#' && p.i > p.lineStart && (p.src[p.i-1] == ' ' || p.src[p.i-1] == '\t') {
			p.skipLine()
			return
		}
		p.advance()
	}
}

// blockScalar skips a literal or folded scalar: its header line, then the lines that are
// blank or indented more than parent.
func (p *yscanner) blockScalar(parent int) {
	for !p.eof() && p.peek() != '\n' {
		p.advance()
	}
	for !p.eof() {
		save, saveLine, saveStart := p.i, p.line, p.lineStart
		p.advance() // the line end
		start := p.i
		for p.peek() == ' ' {
			p.advance()
		}
		blank := p.peek() == '\n' || p.peek() == '\r' || p.eof()
		if !blank && p.i-start <= parent {
			p.i, p.line, p.lineStart = save, saveLine, saveStart
			return
		}
		for !p.eof() && p.peek() != '\n' {
			p.advance()
		}
	}
}

// skipFlowBlank skips blanks, line ends and comments inside a flow collection.
func (p *yscanner) skipFlowBlank() {
	for {
		c := p.peek()
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			p.advance()
		case c == '#':
			for !p.eof() && p.peek() != '\n' {
				p.advance()
			}
		default:
			return
		}
	}
}

// flow reads a flow mapping or sequence ({...} or [...], over any number of lines).
func (p *yscanner) flow() *ynode {
	p.enter()
	defer func() { p.depth-- }()
	n := &ynode{kind: 'm', line: p.line}
	closing := byte('}')
	if p.peek() == '[' {
		n.kind, closing = 's', ']'
	}
	p.advance()
	for {
		p.skipFlowBlank()
		switch p.peek() {
		case 0:
			p.fail()
		case closing:
			p.advance()
			return n
		case ',':
			p.advance()
			continue
		}
		start := p.i
		if n.kind == 's' {
			n.values = append(n.values, p.flowValue())
			p.skipFlowBlank()
			if p.peek() == ':' { // a single-pair mapping in a sequence ([a: b])
				p.advance()
				p.flowValue()
			}
		} else {
			keyLine := p.line
			k := p.flowKey()
			n.keys, n.keyLines = append(n.keys, k), append(n.keyLines, keyLine)
			p.skipFlowBlank()
			var v *ynode
			if p.peek() == ':' {
				p.advance()
				v = p.flowValue()
			}
			n.values = append(n.values, v)
		}
		if p.i == start {
			p.fail()
		}
	}
}

func (p *yscanner) flowKey() string {
	p.flowProperties()
	start := p.i
	switch c := p.peek(); c {
	case '"', '\'':
		p.quoted()
		return unquote(p.src[start:p.i])
	case '{', '[':
		p.fail() // complex keys
	}
	for !p.eof() && !flowIndicator(p.peek()) && p.peek() != '\n' && !(p.peek() == ':' && (space(p.peekAt(1)) || flowIndicator(p.peekAt(1)) || p.peekAt(1) == '"')) {
		p.advance()
	}
	return trimSpaces(p.src[start:p.i])
}

func flowIndicator(c byte) bool { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}' }

// flowProperties is properties inside a flow collection, where line breaks may separate
// the properties from each other and from their node (`{!t\n key: v}`).
func (p *yscanner) flowProperties() (anchor string, line int) {
	for {
		p.skipFlowBlank()
		a, l := p.properties()
		if l == 0 {
			return anchor, line
		}
		if line == 0 {
			line = l
		}
		if a != "" {
			anchor = a
		}
	}
}

func (p *yscanner) flowValue() *ynode {
	anchor, propLine := p.flowProperties()
	line := p.line
	var n *ynode
	switch c := p.peek(); c {
	case '{', '[':
		n = p.flow()
	case '"', '\'':
		p.quoted()
		n = &ynode{kind: 'v', line: line}
	case '*':
		n = p.alias()
	default:
		for !p.eof() && !flowIndicator(p.peek()) && !(p.peek() == ':' && space(p.peekAt(1))) {
			if p.peek() == '#' && p.i > 0 && space(p.src[p.i-1]) {
				break
			}
			p.advance()
		}
		n = &ynode{kind: 'v', line: line}
	}
	p.anchor(anchor, propLine, n)
	return n
}

// lookup follows path from the node: the line of the last map key or list item on the way
// (or the node's own line for an empty path), 0 when the path leaves the document.
func (n *ynode) lookup(path []seg) int {
	if n == nil {
		return 0
	}
	line := n.line
	for _, s := range path {
		for hops := 0; n != nil && n.kind == 'a'; hops++ {
			if hops > maxPositionDepth {
				return 0
			}
			n = n.alias
		}
		if n == nil { // an empty value, or an alias of an unknown anchor, has no fields
			return 0
		}
		var next *ynode
		if s.isIdx {
			if n.kind != 's' || s.index >= len(n.values) || n.values[s.index] == nil {
				return 0
			}
			next = n.values[s.index]
			line = next.line
		} else {
			if n.kind != 'm' {
				return 0
			}
			found := false
			for i, k := range n.keys {
				if k == s.key {
					next, line, found = n.values[i], n.keyLines[i], true
				}
			}
			if !found {
				return 0
			}
		}
		n = next
	}
	return line
}
