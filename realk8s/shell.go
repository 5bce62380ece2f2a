package realk8s

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubetab/kubetab/engine/terminal"
)

// ShellMark is the first line of a shell script: its commands are the terminal language
// (engine/terminal), run in one shell as a whole rather than one command at a time.
const ShellMark = "# shell"

// IsShell tells whether a script is a shell script (its first line is ShellMark).
func IsShell(script string) bool {
	first, _, _ := strings.Cut(script, "\n")
	return strings.TrimSpace(first) == ShellMark
}

// shellCommands are a shell script's top-level commands, the steps of its transcript.
func shellCommands(script string) ([]terminal.Command, error) {
	return terminal.Parse(script)
}

// RunShell runs a shell script in a kubetab Session and returns a step per top-level command
// that ran: its output and the status of its last pipeline, as $? would be after it.
func RunShell(script string, s *terminal.Session) ([]Step, error) {
	cmds, err := shellCommands(script)
	if err != nil {
		return nil, err
	}
	var (
		steps []Step
		out   bytes.Buffer
		cur   = -1 // the command whose pipelines run
		at    int  // where in cur's text the last pipeline echoed was found
		ended bool // whether the last pipeline echoed ended (set -e and exit end the script in one)
	)
	flush := func() {
		if cur >= 0 && cur < len(cmds) && len(steps) > 0 {
			steps[len(steps)-1].Output += endLine(out.String())
		}
		out.Reset()
	}
	echo := func(text string) {
		ended = false
		// A pipeline belongs to the command whose text holds it after the last one echoed
		// (`a || b`), or to the next command that holds it.
		if cur >= 0 && cur < len(cmds) {
			if i := strings.Index(cmds[cur].Text[at:], text); i >= 0 {
				at += i + len(text)
				return
			}
		}
		flush()
		for cur++; cur < len(cmds); cur++ {
			if i := strings.Index(cmds[cur].Text, text); i >= 0 {
				at = i + len(text)
				steps = append(steps, Step{Line: cmds[cur].Line, Text: cmds[cur].Text})
				return
			}
		}
	}
	done := func(status int) {
		ended = true
		if len(steps) > 0 {
			steps[len(steps)-1].Exit = status
		}
	}
	code := s.RunHooked(script, &out, echo, done)
	if !ended && len(steps) > 0 {
		steps[len(steps)-1].Exit = code
	}
	flush()
	if cur >= len(cmds) {
		return nil, fmt.Errorf("the shell echoed a pipeline that no top-level command of the script holds")
	}
	return steps, nil
}

// The wrapped script's end-of-command mark: `\x1e` STATUS `\x1e`, written by bash after
// each top-level command (no newline: a command's output need not end in one).
var bashMarkRE = regexp.MustCompile("\x1e([0-9]+)\x1e")

// BashPrelude defines, in the bash that runs a shell script on the real side, what
// kubetab's terminal has besides real tools: `k` for kubectl and the `kubetab` harness
// commands (run by the program named in $REALK8S_HARNESS), and the marks WrapBash places.
const BashPrelude = `k() { kubectl "$@"; }
kubetab() { "$REALK8S_HARNESS" "$@"; }
__realk8s_end() { __realk8s_status=$?; printf '\036%d\036' "$__realk8s_status"; }
__realk8s_status() { return "$__realk8s_status"; }
`

// WrapBash returns a shell script as bash runs it on the real side: BashPrelude, then each
// top-level command followed by a mark with its status, after which $? is given back its
// value (`&& :` keeps set -e from taking the restored failure for a new one).
func WrapBash(script string) (string, error) {
	cmds, err := shellCommands(script)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(BashPrelude)
	for _, c := range cmds {
		fmt.Fprintf(&b, "%s\n__realk8s_end\n__realk8s_status && :\n", c.Text)
	}
	return b.String(), nil
}

// SplitBash splits what the bash running WrapBash(script) wrote into the script's steps.
// A command that ends bash (set -e, exit) has no mark: it takes the rest of the output
// and bash's exit status.
func SplitBash(script, output string, exit int) ([]Step, error) {
	cmds, err := shellCommands(script)
	if err != nil {
		return nil, err
	}
	var steps []Step
	pos := 0
	for _, m := range bashMarkRE.FindAllStringSubmatchIndex(output, -1) {
		if len(steps) == len(cmds) {
			return nil, fmt.Errorf("bash wrote more marks than the script has commands")
		}
		c := cmds[len(steps)]
		status, _ := strconv.Atoi(output[m[2]:m[3]])
		steps = append(steps, Step{Line: c.Line, Text: c.Text, Output: endLine(output[pos:m[0]]), Exit: status})
		pos = m[1]
	}
	rest := output[pos:]
	if len(steps) < len(cmds) {
		c := cmds[len(steps)]
		steps = append(steps, Step{Line: c.Line, Text: c.Text, Output: endLine(rest), Exit: exit})
	} else if rest != "" {
		return nil, fmt.Errorf("bash wrote after the script's last command: %.80q", rest)
	}
	return steps, nil
}

// parseShellTranscript splits a shell script's transcript into its steps: the script's
// top-level commands in order, up to the one that ended it.
func parseShellTranscript(script, transcript string) ([]Step, error) {
	cmds, err := shellCommands(script)
	if err != nil {
		return nil, err
	}
	var steps []Step
	pos := 0
	for i, c := range cmds {
		if pos == len(transcript) {
			break // the script ended here (set -e, exit)
		}
		head := "$ " + c.Text + "\n"
		if !strings.HasPrefix(transcript[pos:], head) {
			return nil, fmt.Errorf("line %d: the transcript does not go on with %q", c.Line, strings.TrimSpace(head))
		}
		pos += len(head)
		end := len(transcript)
		if i+1 < len(cmds) {
			if j := lineIndex(transcript[pos:], "$ "+cmds[i+1].Text+"\n"); j >= 0 {
				end = pos + j
			}
		}
		out, exit := splitExit(transcript[pos:end])
		pos = end
		steps = append(steps, Step{Line: c.Line, Text: c.Text, Output: out, Exit: exit})
	}
	if pos != len(transcript) {
		return nil, fmt.Errorf("the transcript goes on after the script's last command: %.80q", transcript[pos:])
	}
	return steps, nil
}

// splitExit takes a step's `(exit N)` line off its output.
func splitExit(out string) (string, int) {
	k := strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n") + 1
	if strings.HasPrefix(out[k:], "(exit ") {
		if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(out[k:], "(exit "), ")\n")); err == nil {
			return out[:k], n
		}
	}
	return out, 0
}
