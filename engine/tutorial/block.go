package tutorial

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/kubetab/kubetab/engine/terminal"
)

// Block is a runnable block: lines of the terminal language.
type Block struct {
	ID   string
	Line int    // of the opening fence
	Lang string // "kubetab" or "sh"
	// Script is the block's text as written: what the page shows and what runs, in the
	// session's shell, whose variables last from block to block.
	Script string
	// Exit is the status the block must end with (the fence's exit=N, default 0): 0 means
	// every command succeeded; otherwise the last command that failed exited with it.
	Exit int
	// Edits are the edit fixtures after the block: what the editor of each `kubectl edit`
	// returns, in the order the editor opens.
	Edits []*Edit

	edits  int // kubectl edit commands in Script
	files  []fileRef
	writes []string // files the block's redirections write
	lesson *Lesson
}

type fileRef struct {
	line int
	path string
}

func (p *lessonParser) parseBlock(open int, lang, body string) *Block {
	b := &Block{Lang: lang, Script: body, lesson: p.l}
	cmds, err := terminal.SimpleCommands(body)
	if err != nil {
		p.syntaxError(open, err)
		return b
	}
	if len(cmds) == 0 {
		p.errorf(open, "this runnable block has no commands")
		return b
	}
	for _, c := range cmds {
		p.checkCommand(b, open+c.Line, c)
	}
	return b
}

// checkCommand looks at one simple command of a block for what the runner must know:
// kubectl edit, the files it reads and writes.
func (p *lessonParser) checkCommand(b *Block, line int, c terminal.SimpleCommand) {
	b.writes = append(b.writes, c.Writes...)
	args := c.Words
	for len(args) > 0 && assignment.MatchString(args[0]) {
		args = args[1:]
	}
	if len(args) == 0 || args[0] != "kubectl" && args[0] != "k" {
		return
	}
	verb, _ := kubectlVerb(args[1:])
	if verb == "edit" {
		b.edits++
	}
	args = args[1:]
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

var assignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

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

func validateReadArgs(args []string) error {
	if len(args) == 0 {
		return errors.New("no command")
	}
	if assignment.MatchString(args[0]) {
		return errors.New("a check runs a command; set variables in a block before it")
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
