package tutorial

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/kubetab/kubetab/engine/terminal"
)

// Vars holds the values captured so far, by variable name. The page keeps one per lesson
// (and may persist it with the learner's progress); Reset starts it over.
type Vars map[string]string

type varRef struct {
	name       string
	start, end int // byte offsets of $NAME or ${NAME}
	line       int // 0-based line of text
}

// varRefs finds $NAME and ${NAME} in text.
func varRefs(text string) []varRef {
	var refs []varRef
	line := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			line++
			continue
		case '$':
		default:
			continue
		}
		j, braced := i+1, false
		if j < len(text) && text[j] == '{' {
			j, braced = j+1, true
		}
		k := j
		for k < len(text) && isNameByte(text[k], k == j) {
			k++
		}
		if k == j || braced && (k >= len(text) || text[k] != '}') {
			continue
		}
		end := k
		if braced {
			end++
		}
		refs = append(refs, varRef{name: text[j:k], start: i, end: end, line: line})
		i = end - 1
	}
	return refs
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || !first && '0' <= c && c <= '9'
}

// Expand replaces $NAME and ${NAME} in text with captured values, for every NAME the lesson
// captures somewhere; any other $ text stays as written. A variable the lesson captures but
// vars does not hold yet is an error that names the capture to run first.
func (l *Lesson) Expand(text string, vars Vars) (string, error) {
	refs := varRefs(text)
	if len(refs) == 0 {
		return text, nil
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		c := l.captures[r.name]
		if c == nil {
			continue
		}
		v, ok := vars[r.name]
		if !ok {
			return "", fmt.Errorf("$%s is not set yet: run the block with line %d (%s) first", r.name, c.Line, c.Text)
		}
		b.WriteString(text[last:r.start])
		b.WriteString(v)
		last = r.end
	}
	b.WriteString(text[last:])
	return b.String(), nil
}

// Run runs a capture's command against the session and stores its output as the
// variable's value. The output must be a single word (a name, a number): anything else is
// an error and leaves vars as it was, so that the lines using it never split or misparse.
func (c *Capture) Run(s *terminal.Session, vars Vars) (string, error) {
	line, err := c.lesson.Expand(c.Command, vars)
	if err != nil {
		return "", err
	}
	args, err := terminal.SplitWords(line)
	if err == nil {
		err = validateReadArgs(args)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", c.Name, err)
	}
	var out, errOut bytes.Buffer
	code := s.Exec(terminal.Command{Line: c.Line, Text: line, Args: args}, &out, &errOut)
	v := strings.TrimSpace(out.String())
	switch {
	case code != 0:
		return "", fmt.Errorf("%s: %s exited %d: %s", c.Name, line, code, strings.TrimSpace(errOut.String()))
	case v == "":
		return "", fmt.Errorf("%s: %s printed nothing", c.Name, line)
	case terminal.Quote([]string{v}) != v:
		return "", fmt.Errorf("%s: %s printed %q, not one word", c.Name, line, firstLines(v, 3))
	}
	vars[c.Name] = v
	return v, nil
}

// firstLines shortens a text for a message.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines[n] = "..."
	}
	return strings.Join(lines, "\n")
}
