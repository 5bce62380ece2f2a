package terminal

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// Limits that protect the tab from a pasted or fetched script that is far too big.
const (
	MaxScriptBytes = 1 << 20  // a whole script
	MaxLineBytes   = 64 << 10 // one physical line
)

// Command is one top-level command of a script: an and-or list, as `;`, `&` and newlines
// separate them.
type Command struct {
	// Line is the 1-based line of the script where the command starts.
	Line int
	// Text is the command as written: from its first word to its last, continuation lines
	// included as typed (backslash-newline and all), with the & that sends it to the
	// background but without a ; or a trailing comment; the bodies of its here-documents and their delimiter lines follow
	// after a "\n", exactly as written.
	Text string
}

// SyntaxError is the error of Parse and SplitWords.
type SyntaxError struct {
	// Line is the 1-based line the error is about; 0 when it is about the whole script.
	Line int
	// Msg is the shell's message (`syntax error: unexpected "fi"`).
	Msg string
	// Incomplete is set when the script stopped too early: more input (a closing quote, the
	// rest of a here-document or of an if/for/while, the command after `&&` or `|`) could
	// make it valid. A terminal can use it to ask for a continuation line.
	Incomplete bool
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Parse reads a script of the terminal language (see the package documentation) and
// returns its top-level commands, or the first syntax error.
func Parse(script string) ([]Command, error) {
	sc, err := parse(script)
	if err != nil {
		return nil, err
	}
	var cmds []Command
	for _, c := range sc.Commands() {
		cmds = append(cmds, Command{Line: c.Line, Text: c.Text})
	}
	return cmds, nil
}

// parse checks the limits and parses script for the shell.
func parse(script string) (*sh.Script, error) {
	if err := checkLimits(script); err != nil {
		return nil, err
	}
	sc, err := sh.Parse(script)
	var se *sh.SyntaxError
	if errors.As(err, &se) {
		return nil, &SyntaxError{Line: se.Line, Msg: se.Msg, Incomplete: se.Incomplete}
	}
	return sc, err
}

// SplitWords splits one simple command into its words after quote removal; a word with an
// expansion ($NAME, $(...)) is kept as written, unexpanded. An empty or comment-only line
// has no words; anything but one simple command (a pipeline, a list, a redirection, a
// here-document, a compound command) is an error.
func SplitWords(line string) ([]string, error) {
	sc, err := parse(line)
	if err != nil {
		return nil, err
	}
	cmds := sc.Commands()
	if len(cmds) == 0 {
		return nil, nil
	}
	words, ok := sc.Words()
	if !ok {
		return nil, &SyntaxError{Line: cmds[0].Line, Msg: "expected one command without pipes, lists or redirections"}
	}
	return words, nil
}

// Quote renders args as one line that the shell reads back as exactly those args. Words
// made only of characters no shell treats specially are written bare; all others are
// single-quoted, so the line also means the same thing to a real POSIX shell.
func Quote(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		// A first word must not read as an assignment or a reserved word.
		first := i == 0 && (strings.Contains(a, "=") || reserved[a])
		if a != "" && !first && strings.IndexFunc(a, func(r rune) bool { return !isBareRune(r) }) < 0 {
			b.WriteString(a)
			continue
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(a, "'", `'\''`))
		b.WriteByte('\'')
	}
	return b.String()
}

var reserved = map[string]bool{"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"case": true, "esac": true, "while": true, "until": true, "for": true, "in": true, "!": true, "{": true, "}": true}

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

// isBlank reports whether c separates words. A carriage return counts, so that scripts
// saved with CRLF line endings read like their LF twins.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// isOperator reports whether c ends a word because it starts a shell operator.
func isOperator(c byte) bool { return strings.IndexByte(";&|<>`", c) >= 0 }

// PlainCommand is a command of a script in the plain subset kubetab's terminal had before
// it was a shell: words (expansions kept as written), a here-document (unexpanded), &&.
type PlainCommand = sh.PlainCommand

// ParsePlain splits a script of the plain subset into its commands, for a harness that
// runs them itself, on kubetab and on a real cluster (realk8s); anything more (a pipe, a
// loop, ||, a redirection) is an error.
func ParsePlain(script string) ([]PlainCommand, error) {
	sc, err := parse(script)
	if err != nil {
		return nil, err
	}
	return sc.Plain()
}

// SimpleCommand is one simple command of a script, wherever it is (a pipeline, a loop, a
// command substitution): its line, its words as SplitWords gives them, and the files its
// output redirections name.
type SimpleCommand = sh.SimpleCommand

// SimpleCommands lists a script's simple commands in source order, for a reader that
// checks what a script would run.
func SimpleCommands(script string) ([]SimpleCommand, error) {
	sc, err := parse(script)
	if err != nil {
		return nil, err
	}
	return sc.SimpleCommands(), nil
}
