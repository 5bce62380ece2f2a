package tutorial

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/terminal"
)

// Check is a command plus what its result must be.
type Check struct {
	ID    string
	Line  int // of the opening fence
	Label string
	// Command is what the check runs, as written (it may use captured variables). For the
	// event: shorthand it is the `kubectl get events` command the shorthand stands for.
	Command string
	// Expect lists the expectations; all must hold.
	Expect []Expectation
	// Within is how much virtual time `tutorial test` may let pass until the check holds
	// (0: it must hold right after the blocks before it). A page evaluating checks live
	// ignores it: there the learner moves time.
	Within time.Duration
	// Hint is what to try when the check does not hold (the hint: key; may be empty).
	Hint string

	lesson  *Lesson
	cmdLine int // where Command is written
}

// Expectation is one key: value line of a check.
type Expectation struct {
	Kind  string // count, equals, contains, matches, exit or event
	Value string // as written, after unquoting
	Line  int

	n  int
	re *regexp.Regexp
}

var checkKey = regexp.MustCompile(`^([a-z]+):(?:[ \t]+(.*))?$`)

func (p *lessonParser) parseCheck(open int, body string) *Check {
	c := &Check{lesson: p.l}
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	var cmd []string
	cmdLine := 0
	inKeys := false
	seen := map[string]int{}
	var event string
	eventLine := 0
	for i, raw := range lines {
		line := open + 1 + i
		t := strings.TrimSpace(raw)
		m := checkKey.FindStringSubmatch(t)
		if !inKeys && m == nil {
			if t != "" && !strings.HasPrefix(t, "#") || len(cmd) > 0 {
				if cmdLine == 0 {
					cmdLine = line
				}
				cmd = append(cmd, raw)
			}
			continue
		}
		inKeys = true
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if m == nil {
			p.errorf(line, "expected `key: value` (label, hint, count, equals, contains, matches, exit, event, within), found %q", t)
			continue
		}
		key, val := m[1], unquote(strings.TrimSpace(m[2]))
		if prev, ok := seen[key]; ok {
			p.errorf(line, "%s: is given twice in this check (first at line %d)", key, prev)
			continue
		}
		seen[key] = line
		e := Expectation{Kind: key, Value: val, Line: line}
		switch key {
		case "label":
			c.Label = val
			continue
		case "hint":
			c.Hint = val
			continue
		case "within":
			d, err := parseDuration(val)
			if err != nil {
				p.errorf(line, "within: %s", err)
			}
			c.Within = d
			continue
		case "count", "exit":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				p.errorf(line, "%s: want a whole number, not %q", key, val)
			}
			e.n = n
		case "equals", "contains":
			if key == "contains" && val == "" {
				p.errorf(line, "contains: needs a text")
			}
		case "matches":
			re, err := regexp.Compile("(?m)" + val)
			if err != nil {
				p.errorf(line, "matches: %s", err)
			}
			e.re = re
		case "event":
			event, eventLine = val, line
		default:
			p.errorf(line, "unknown check key %q (label, hint, count, equals, contains, matches, exit, event, within)", key)
			continue
		}
		c.Expect = append(c.Expect, e)
	}
	if c.Label == "" {
		p.errorf(open, "a check needs a label: what the learner should see (label: three kubia pods are Running)")
	}
	if event != "" {
		if len(cmd) > 0 || len(c.Expect) > 1 {
			p.errorf(eventLine, "event: stands for its own command; give it no command and no other expectations")
		}
		c.Command = p.eventCommand(eventLine, event)
		c.cmdLine = eventLine
		return c
	}
	if len(cmd) == 0 {
		p.errorf(open, "a check needs a command (kubectl get ...) on its first line, or an event: REASON")
		return c
	}
	if len(c.Expect) == 0 {
		p.errorf(open, "a check needs at least one expectation: count, equals, contains, matches, exit or event")
	}
	c.Command = strings.TrimSpace(strings.Join(cmd, "\n"))
	c.cmdLine = cmdLine
	args, err := terminal.SplitWords(c.Command)
	var se *terminal.SyntaxError
	switch {
	case errors.As(err, &se) && strings.HasPrefix(se.Msg, "expected one command"):
		p.errorf(cmdLine, "a check runs exactly one command, without pipes, redirections or a here-document")
	case err != nil:
		p.syntaxError(cmdLine-1, err)
	default:
		if err := validateReadArgs(args); err != nil {
			p.errorf(cmdLine, "%s", err)
		}
	}
	return c
}

// eventCommand turns `event: REASON [KIND/NAME]` into the kubectl command it stands for.
func (p *lessonParser) eventCommand(line int, v string) string {
	f := strings.Fields(v)
	if len(f) == 0 || len(f) > 2 {
		p.errorf(line, "event: wants a reason and optionally an object, like `event: Killing pod/kubia-liveness`")
		return ""
	}
	sel := "reason=" + f[0]
	if len(f) == 2 {
		kind, name, ok := strings.Cut(f[1], "/")
		r := api.LookupResource(kind)
		if !ok || name == "" || r == nil {
			p.errorf(line, "event: the object is KIND/NAME, like pod/kubia-liveness, not %q", f[1])
			return ""
		}
		sel += ",involvedObject.kind=" + r.Kind + ",involvedObject.name=" + name
	}
	return "kubectl get events -A --field-selector " + sel + " -o name"
}

// Evaluate runs the check's command once in s's shell (so it sees the variables the
// blocks set) and judges the result. It only reads: the command is kubectl get, describe
// or logs, and virtual time does not move. detail says what was wrong (empty when ok).
func (c *Check) Evaluate(s *terminal.Session) (ok bool, detail string) {
	var out, errOut bytes.Buffer
	code := s.Eval(c.Command, &out, &errOut)
	return c.judge(code, out.String(), errOut.String())
}

// judge applies the expectations to a command's exit status and output. The text they
// look at is standard output, followed by standard error when the command failed. detail
// says what was expected and what was seen, as a learner reads it: `expected 3 lines, saw
// 2: pod/kubia-x, pod/kubia-y`.
func (c *Check) judge(code int, stdout, stderr string) (bool, string) {
	text := stdout
	if code != 0 {
		text += stderr
	}
	wantExit := 0
	for _, e := range c.Expect {
		if e.Kind == "exit" {
			wantExit = e.n
		}
	}
	if code != wantExit {
		return false, fmt.Sprintf("expected exit status %d, saw %d%s", wantExit, code, saw(text))
	}
	for _, e := range c.Expect {
		switch e.Kind {
		case "count":
			if n := countLines(text); n != e.n {
				return false, fmt.Sprintf("expected %d %s, saw %d%s", e.n, plural(e.n, "line"), n, saw(text))
			}
		case "equals":
			if got := strings.TrimRight(text, " \t\n"); got != e.Value {
				return false, fmt.Sprintf("expected %q, saw%s", e.Value, saw(text))
			}
		case "contains":
			if !strings.Contains(text, e.Value) {
				return false, fmt.Sprintf("expected output containing %q, saw%s", e.Value, saw(text))
			}
		case "matches":
			if !e.re.MatchString(text) {
				return false, fmt.Sprintf("expected output matching %q, saw%s", e.Value, saw(text))
			}
		case "event":
			if countLines(text) == 0 {
				return false, fmt.Sprintf("expected a %s event, saw none", e.Value)
			}
		}
	}
	return true, ""
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func countLines(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// saw renders what a check's command printed after a message: a few short lines inline
// (`: a, b`), more below it (shown).
func saw(text string) string {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return " nothing"
	}
	if lines := strings.Split(text, "\n"); len(lines) <= 4 && len(text) <= 120 {
		return ": " + strings.Join(lines, ", ")
	}
	return shown(text)
}

// shown renders a command's output under a message, shortened.
func shown(text string) string {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return " (no output)"
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if len(l) > 160 {
			lines[i] = l[:160] + "..."
		}
	}
	if len(lines) > 12 {
		lines = append(lines[:12], fmt.Sprintf("... (%d more lines)", len(lines)-12))
	}
	return ":\n" + strings.Join(lines, "\n")
}
