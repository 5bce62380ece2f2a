package tutorial

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/kubetab/kubetab/engine/terminal"
)

// Block is a runnable block: lines of the terminal language, with captures among them.
type Block struct {
	ID   string
	Line int    // of the opening fence
	Lang string // "kubetab" or "sh"
	// Script is the block's text as written, for the page to show.
	Script string
	// Exit is the status the block must end with (the fence's exit=N, default 0): 0 means
	// every command succeeded; otherwise the last command that failed exited with it.
	Exit int
	// Segments split Script at its captures, in order. Running a block is running its
	// segments one after the other.
	Segments []Segment
	// Edits are the edit fixtures after the block: what the editor of each `kubectl edit`
	// returns, in the order the editor opens.
	Edits []*Edit

	edits  int // kubectl edit commands in Script
	files  []fileRef
	lesson *Lesson
}

// Segment is a run of terminal-language lines, or one capture.
type Segment struct {
	Line int // lesson line where it starts
	// Script holds lines of the terminal language as written, which may use captured
	// variables: Lesson.Expand them before running. Empty for a capture.
	Script  string
	Capture *Capture
}

// Capture is a line NAME=$(COMMAND): it runs COMMAND, a read-only kubectl command, and keeps
// its output (one word) as $NAME for the lines and checks after it.
type Capture struct {
	Line    int
	Name    string
	Command string // inside $( ), as written
	Text    string // the whole line as written

	lesson *Lesson
}

type fileRef struct {
	line int
	path string
}

var (
	captureLine = regexp.MustCompile(`(?s)^([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)$`)
	assignment  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
)

func (p *lessonParser) parseBlock(open int, lang, body string) *Block {
	b := &Block{Lang: lang, Script: body, lesson: p.l}
	cmds, err := terminal.Parse(body)
	if err != nil {
		p.syntaxError(open, err)
		return b
	}
	if len(cmds) == 0 {
		p.errorf(open, "this runnable block has no commands")
		return b
	}
	bodyLines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	isCapture := make([]bool, len(bodyLines)+2) // by body line, 1-based
	type span struct{ first, last int }
	spans := make([]span, len(cmds))
	for i, c := range cmds {
		spans[i] = span{c.Line, c.Line + strings.Count(c.Text, "\n")}
	}
	var captures []*Capture
	for i, c := range cmds {
		line := open + c.Line
		m := captureLine.FindStringSubmatch(c.Args[0])
		if len(c.Args) != 1 || c.Stdin != nil || m == nil {
			p.checkCommand(b, line, c)
			continue
		}
		shared := c.AndIf
		for j := range cmds {
			if j != i && spans[j].first <= spans[i].last && spans[i].first <= spans[j].last {
				shared = true
			}
		}
		if shared {
			p.errorf(line, "a capture (%s=$(...)) must be alone on its line", m[1])
			continue
		}
		capt := &Capture{Line: line, Name: m[1], Command: m[2], Text: c.Text, lesson: p.l}
		if err := validateRead(m[2]); err != nil {
			p.errorf(line, "capture %s: %s", m[1], err)
		}
		if _, ok := p.l.captures[capt.Name]; !ok {
			p.l.captures[capt.Name] = capt
		}
		for l := spans[i].first; l <= spans[i].last; l++ {
			isCapture[l] = true
		}
		captures = append(captures, capt)
	}
	// Cut the block at its captures; runs of other lines with a command in them are scripts.
	starts := map[int]bool{}
	for _, c := range cmds {
		starts[c.Line] = true
	}
	var cur strings.Builder
	curLine, hasCmd := 0, false
	flush := func() {
		if hasCmd {
			b.Segments = append(b.Segments, Segment{Line: open + curLine, Script: cur.String()})
		}
		cur.Reset()
		curLine, hasCmd = 0, false
	}
	next := 0
	for l := 1; l <= len(bodyLines); l++ {
		if isCapture[l] {
			flush()
			if next < len(captures) && captures[next].Line == open+l {
				b.Segments = append(b.Segments, Segment{Line: open + l, Capture: captures[next]})
				next++
			}
			continue
		}
		if curLine == 0 {
			curLine = l
		}
		cur.WriteString(bodyLines[l-1])
		cur.WriteByte('\n')
		hasCmd = hasCmd || starts[l]
	}
	flush()
	return b
}

// checkCommand looks at one ordinary command of a block for what the runner must know
// (kubectl edit, files) and for shell features that would silently do nothing.
func (p *lessonParser) checkCommand(b *Block, line int, c terminal.Command) {
	if assignment.MatchString(c.Args[0]) {
		p.errorf(line, "variables are set only by a capture line: NAME=$(kubectl get ...)")
		return
	}
	for _, a := range c.Args {
		if strings.Contains(a, "$(") {
			p.errorf(line, "command substitution works only in a capture line of its own: NAME=$(kubectl get ...), then $NAME")
			return
		}
	}
	if c.Args[0] != "kubectl" && c.Args[0] != "k" {
		return
	}
	verb, _ := kubectlVerb(c.Args[1:])
	if verb == "edit" {
		b.edits++
	}
	args := c.Args[1:]
	for i := 0; i < len(args); i++ {
		a, path := args[i], ""
		switch {
		case (a == "-f" || a == "--filename") && i+1 < len(args):
			path = args[i+1]
			i++
		case strings.HasPrefix(a, "--filename="):
			path = strings.TrimPrefix(a, "--filename=")
		case strings.HasPrefix(a, "-f="):
			path = strings.TrimPrefix(a, "-f=")
		}
		if path == "" || path == "-" || strings.Contains(path, "$") || strings.Contains(path, "://") {
			continue
		}
		b.files = append(b.files, fileRef{line, path})
	}
}

func (p *lessonParser) syntaxError(open int, err error) {
	var se *terminal.SyntaxError
	if errors.As(err, &se) {
		p.errorf(open+max(se.Line, 0), "%s", se.Msg)
		return
	}
	p.errorf(open, "%s", err)
}

// kubectlVerb returns the first word of a kubectl command line that is not a global flag
// (or its value), and its index.
func kubectlVerb(args []string) (string, int) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			return a, i
		}
		switch a {
		case "-n", "--namespace", "--context", "--kubeconfig", "--request-timeout", "--cluster", "--user", "-s", "--server":
			i++
		}
	}
	return "", -1
}

// readVerbs are the kubectl commands a check or a capture may run: they only read.
var readVerbs = []string{"get", "describe", "logs"}

// validateRead checks that a command line (as written) is one kubectl command that only
// reads the cluster and does not move virtual time.
func validateRead(line string) error {
	args, err := terminal.SplitWords(line)
	if err != nil {
		var se *terminal.SyntaxError
		if errors.As(err, &se) {
			return errors.New(se.Msg)
		}
		return err
	}
	return validateReadArgs(args)
}

func validateReadArgs(args []string) error {
	if len(args) == 0 {
		return errors.New("no command")
	}
	if args[0] != "kubectl" && args[0] != "k" {
		return fmt.Errorf("only kubectl get, describe or logs can be checked, not %s", args[0])
	}
	verb, at := kubectlVerb(args[1:])
	switch {
	case verb == "wait":
		return errors.New("kubectl wait moves virtual time: give the check a `within: DURATION` instead")
	case !contains(readVerbs, verb):
		return fmt.Errorf("this must only read the cluster: use kubectl get, describe or logs, not kubectl %s", verb)
	}
	for _, a := range args[at+2:] {
		name, _, _ := strings.Cut(a, "=")
		switch {
		case name == "-w" || name == "--watch" || name == "--watch-only":
			return fmt.Errorf("%s waits for changes; a check looks once (give it `within:` to let time pass)", name)
		case verb == "logs" && (name == "-f" || name == "--follow"):
			return fmt.Errorf("%s waits for more output; a check looks once", name)
		case strings.Contains(a, "$(") || strings.Contains(a, "`"):
			return errors.New("command substitution is not available here")
		}
	}
	return nil
}
