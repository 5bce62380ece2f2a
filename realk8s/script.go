package realk8s

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/kubetab/kubetab/engine/terminal"
)

// Executor runs one command of a script on one cluster: args after substitution, stdin the
// here-document (nil without one). Output and errors go to out in the order they are
// written, as in a terminal; the result is the exit status.
type Executor interface {
	Exec(args []string, stdin *string, out io.Writer) int
}

// Step is one command of a transcript and what it printed.
type Step struct {
	Line   int    // the script line the command starts on
	Text   string // the command as written (terminal.PlainCommand.Text)
	Output string // stdout and stderr as written, each line ending in "\n"
	Exit   int
}

// Harness tells a `kubetab` command (virtual time, node operations): its output is the
// harness's own on the real side, so it is never compared.
func (s Step) Harness() bool {
	return s.Text == "kubetab" || strings.HasPrefix(s.Text, "kubetab ")
}

// Run runs a script through x, as Session.RunScript does (a command after `&&` is skipped
// when the one before failed), and returns its steps. A script that does not parse runs
// nothing.
func Run(script string, x Executor) ([]Step, error) {
	cmds, err := terminal.ParsePlain(script)
	if err != nil {
		return nil, err
	}
	var steps []Step
	last := 0
	for _, c := range cmds {
		if c.AndIf && last != 0 {
			continue
		}
		var out bytes.Buffer
		args, failed := substitute(c.Args, x, &out)
		last = failed
		if failed == 0 {
			last = x.Exec(args, c.Stdin, &out)
		}
		steps = append(steps, Step{Line: c.Line, Text: c.Text, Output: endLine(out.String()), Exit: last})
	}
	return steps, nil
}

// substitute replaces each `$(COMMAND)` in the words with COMMAND's output, trailing
// newlines trimmed and not split into words. A COMMAND that fails (or does not parse as one
// command) stops the step: what it printed goes to out and its status is returned.
func substitute(args []string, x Executor, out io.Writer) ([]string, int) {
	res := make([]string, len(args))
	for i, a := range args {
		var b strings.Builder
		for {
			start := strings.Index(a, "$(")
			if start < 0 {
				break
			}
			end := closingParen(a, start+1)
			if end < 0 {
				break // the parser would have refused it; keep the rest literal
			}
			inner := a[start+2 : end]
			cmds, err := terminal.ParsePlain(inner)
			if err != nil || len(cmds) != 1 || cmds[0].Stdin != nil {
				fmt.Fprintf(out, "realk8s: $(%s) is not one command\n", inner)
				return nil, 1
			}
			var got bytes.Buffer
			sub, code := substitute(cmds[0].Args, x, &got)
			if code == 0 {
				code = x.Exec(sub, nil, &got)
			}
			if code != 0 {
				fmt.Fprintf(out, "realk8s: $(%s) failed:\n%s", inner, endLine(got.String()))
				return nil, code
			}
			b.WriteString(a[:start])
			b.WriteString(strings.TrimRight(got.String(), "\n"))
			a = a[end+1:]
		}
		b.WriteString(a)
		res[i] = b.String()
	}
	return res, 0
}

// closingParen returns the index of the `)` that closes the `(` at open, skipping quoted
// text as engine/terminal's parser does when it keeps a `$(...)` whole; -1 if none.
func closingParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		case '\\':
			i++
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return -1
			}
			i += j + 1
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		}
	}
	return -1
}

func endLine(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

// Format writes steps as a transcript: `$ COMMAND`, the output, and `(exit N)` after a
// command that failed.
func Format(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString("$ " + s.Text + "\n" + s.Output)
		if s.Exit != 0 {
			fmt.Fprintf(&b, "(exit %d)\n", s.Exit)
		}
	}
	return b.String()
}

// ParseTranscript splits a transcript Format wrote for script back into its steps. A
// step's output ends where the echo of a command that can come next begins.
func ParseTranscript(script, transcript string) ([]Step, error) {
	if IsShell(script) {
		return parseShellTranscript(script, transcript)
	}
	cmds, err := terminal.ParsePlain(script)
	if err != nil {
		return nil, err
	}
	var steps []Step
	pos, last := 0, 0
	for i, c := range cmds {
		if c.AndIf && last != 0 {
			continue
		}
		head := "$ " + c.Text + "\n"
		if !strings.HasPrefix(transcript[pos:], head) {
			return nil, fmt.Errorf("line %d: the transcript does not go on with %q", c.Line, strings.TrimSpace(head))
		}
		pos += len(head)
		end := len(transcript)
		for _, n := range nextCommands(cmds, i) {
			if j := lineIndex(transcript[pos:], "$ "+n.Text+"\n"); j >= 0 && pos+j < end {
				end = pos + j
			}
		}
		var out string
		out, last = splitExit(transcript[pos:end])
		pos = end
		steps = append(steps, Step{Line: c.Line, Text: c.Text, Output: out, Exit: last})
	}
	if pos != len(transcript) {
		return nil, fmt.Errorf("the transcript goes on after the script's last command: %.80q", transcript[pos:])
	}
	return steps, nil
}

// nextCommands are the commands whose echo may follow command i: the next one and, when
// it runs only after success, every one a failure could skip to.
func nextCommands(cmds []terminal.PlainCommand, i int) []terminal.PlainCommand {
	var next []terminal.PlainCommand
	for j := i + 1; j < len(cmds); j++ {
		next = append(next, cmds[j])
		if !cmds[j].AndIf {
			break
		}
	}
	return next
}

// lineIndex is the index of the first line of s that starts with prefix, or -1.
func lineIndex(s, prefix string) int {
	for off := 0; off <= len(s); {
		if strings.HasPrefix(s[off:], prefix) {
			return off
		}
		nl := strings.IndexByte(s[off:], '\n')
		if nl < 0 {
			return -1
		}
		off += nl + 1
	}
	return -1
}
