package highlight

import (
	"regexp"
	"strings"
)

// Kind says how a piece of a YAML line is coloured.
type Kind uint8

const (
	Plain    Kind = iota // blanks and anything unclassified
	Key                  // a mapping key
	String               // a quoted string or a block scalar's content
	Value                // an unquoted scalar value
	Number               // an integer or float
	Literal              // true, false, null, ~
	Comment              // # to the end of the line
	Punct                // : - { } [ ] , | >
	Document             // --- and ...
	Anchor               // &anchor, *alias, !tag
)

// Class is the CSS class of a kind (public/web/app.css colours them).
func (k Kind) Class() string {
	switch k {
	case Key:
		return "tok-key"
	case String:
		return "tok-string"
	case Value:
		return "tok-value"
	case Number:
		return "tok-number"
	case Literal:
		return "tok-literal"
	case Comment:
		return "tok-comment"
	case Punct:
		return "tok-punct"
	case Document:
		return "tok-doc"
	case Anchor:
		return "tok-anchor"
	}
	return "tok-plain"
}

// Token is a piece of one line; a line's tokens concatenate to the line exactly.
type Token struct {
	Kind Kind
	Text string
}

// highlighter carries what one line leaves open for the next: a quoted string (KYAML
// continues double-quoted strings over lines), a block scalar (| or >), flow nesting.
type highlighter struct {
	quote       byte // '"' or '\'' while a quoted string continues, else 0
	blockIndent int  // indentation of the line that opened a block scalar; -1: none
	flowDepth   int
}

var (
	numberRE = regexp.MustCompile(`^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.Inf|\.nan|\.NaN)$`)
	blockRE  = regexp.MustCompile(`^[|>][-+0-9]*$`)
)

// isLiteral tells whether a plain scalar is a boolean or null.
func isLiteral(s string) bool {
	switch s {
	case "true", "false", "True", "False", "TRUE", "FALSE", "null", "Null", "NULL", "~":
		return true
	}
	return false
}

// YAML splits text into lines of tokens (block style and KYAML flow style).
func YAML(text string) [][]Token {
	h := &highlighter{blockIndent: -1}
	lines := strings.Split(text, "\n")
	out := make([][]Token, len(lines))
	for i, l := range lines {
		out[i] = h.line(l)
	}
	return out
}

func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " \t"))
}

func (h *highlighter) line(line string) []Token {
	var toks []Token
	emit := func(k Kind, s string) {
		if s == "" {
			return
		}
		if n := len(toks); n > 0 && toks[n-1].Kind == k && k != Key {
			toks[n-1].Text += s
			return
		}
		toks = append(toks, Token{k, s})
	}
	// Inside a block scalar: blank lines and deeper lines are content.
	if h.blockIndent >= 0 {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || indentOf(line) > h.blockIndent {
			emit(String, line)
			return toks
		}
		h.blockIndent = -1
	}
	i := 0
	// A quoted string left open by the line before.
	if h.quote != 0 {
		end, closed := scanQuoted(line, 0, h.quote)
		emit(String, line[:end])
		i = end
		if !closed {
			return toks
		}
		h.quote = 0
	}
	ind := indentOf(line)
	if i == 0 {
		emit(Plain, line[:ind])
		i = ind
		rest := line[i:]
		if ind == 0 && (rest == "---" || rest == "..." || strings.HasPrefix(rest, "--- ") || strings.HasPrefix(rest, "... ")) {
			emit(Document, line[:3])
			i = 3
		}
	}
	atValue := false // after a key's colon: a | or > opens a block scalar
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			j := i
			for j < len(line) && (line[j] == ' ' || line[j] == '\t' || line[j] == '\r') {
				j++
			}
			emit(Plain, line[i:j])
			i = j
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			emit(Comment, line[i:])
			i = len(line)
		case c == '{' || c == '[':
			h.flowDepth++
			emit(Punct, line[i:i+1])
			i++
		case c == '}' || c == ']':
			if h.flowDepth > 0 {
				h.flowDepth--
			}
			emit(Punct, line[i:i+1])
			i++
		case c == ',' && (h.flowDepth > 0 || strings.HasSuffix(strings.TrimRight(line[:i], " "), "}") || strings.HasSuffix(strings.TrimRight(line[:i], " "), "]")):
			emit(Punct, ",")
			i++
		case c == '-' && h.flowDepth == 0 && (i+1 == len(line) || line[i+1] == ' ') && strings.Trim(line[:i], " -") == "":
			// A sequence entry indicator (possibly after others: "- - x").
			emit(Punct, "-")
			atValue = true
			i++
		case c == ':' && (i+1 == len(line) || line[i+1] == ' ' || (h.flowDepth > 0 && strings.IndexByte(",}]", line[i+1]) >= 0)):
			emit(Punct, ":")
			atValue = true
			i++
		case c == '"' || c == '\'':
			end, closed := scanQuoted(line, i+1, c)
			kind := String
			if closed && isKeyAt(line, end, h.flowDepth) {
				kind = Key
			}
			emit(kind, line[i:end])
			i = end
			if !closed {
				h.quote = c
			}
		case (c == '&' || c == '*' || c == '!') && (i == 0 || line[i-1] == ' ' || line[i-1] == '[' || line[i-1] == '{'):
			j := i + 1
			for j < len(line) && line[j] != ' ' && line[j] != ',' && line[j] != ']' && line[j] != '}' {
				j++
			}
			emit(Anchor, line[i:j])
			i = j
		default:
			j := plainEnd(line, i, h.flowDepth)
			word := line[i:j]
			trimmed := strings.TrimRight(word, " \t")
			switch {
			case isKeyAt(line, j, h.flowDepth):
				emit(Key, word)
			case atValue && h.flowDepth == 0 && blockRE.MatchString(trimmed) && endsValue(line[j:]):
				emit(Punct, word)
				h.blockIndent = ind
			case isLiteral(trimmed):
				emit(Literal, word)
			case numberRE.MatchString(trimmed):
				emit(Number, word)
			default:
				emit(Value, word)
			}
			if j == i { // never stall
				j++
				emit(Plain, line[i:j])
			}
			i = j
		}
	}
	return toks
}

// endsValue reports whether nothing but blanks and a comment follow.
func endsValue(rest string) bool {
	rest = strings.TrimSpace(rest)
	return rest == "" || strings.HasPrefix(rest, "#")
}

// scanQuoted returns the end of a quoted string starting after its opening quote at from
// (just past the closing quote), and whether it closed on this line.
func scanQuoted(line string, from int, q byte) (end int, closed bool) {
	for j := from; j < len(line); j++ {
		switch {
		case q == '"' && line[j] == '\\':
			j++
		case q == '\'' && line[j] == '\'' && j+1 < len(line) && line[j+1] == '\'':
			j++
		case line[j] == q:
			return j + 1, true
		}
	}
	return len(line), false
}

// plainEnd finds where an unquoted scalar starting at i ends: before ": ", " #", or a flow
// indicator inside flow collections. Trailing blanks stay with the scalar only when they
// end the line.
func plainEnd(line string, i, flowDepth int) int {
	j := i
	for j < len(line) {
		c := line[j]
		if c == ':' && (j+1 == len(line) || line[j+1] == ' ' || (flowDepth > 0 && strings.IndexByte(",}]", line[j+1]) >= 0)) {
			break
		}
		if c == '#' && j > i && (line[j-1] == ' ' || line[j-1] == '\t') {
			break
		}
		if flowDepth > 0 && strings.IndexByte(",{}[]", c) >= 0 {
			break
		}
		j++
	}
	// Leave blanks before a comment or a colon to the plain token that follows.
	for j > i && (line[j-1] == ' ' || line[j-1] == '\t') {
		j--
	}
	return j
}

// isKeyAt reports whether position j (just after a scalar) is followed by a key colon.
func isKeyAt(line string, j, flowDepth int) bool {
	for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
		j++
	}
	if j >= len(line) || line[j] != ':' {
		return false
	}
	return j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t' || (flowDepth > 0 && strings.IndexByte(",}]\"", line[j+1]) >= 0)
}
