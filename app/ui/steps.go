package ui

import (
	"strings"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/engine/tutorial"
)

// A lesson's steps as a page follows them: which checks are due, and which block a line
// typed at the prompt belongs to. Pure functions of the lesson and the progress, so that
// tests run natively.

// dueChecks are the checks to evaluate: not passed yet, with every block before them run.
func dueChecks(l *tutorial.Lesson, prog session.LessonProgress) []*tutorial.Check {
	var due []*tutorial.Check
	for _, st := range l.Steps() {
		if st.Block != nil {
			if _, ran := prog.Ran[st.ID]; !ran {
				break
			}
			continue
		}
		if !prog.Passed[st.ID] {
			due = append(due, st.Check)
		}
	}
	return due
}

// checksAfter are the checks between a block and the next one: those its Run button lets
// time pass for.
func checksAfter(l *tutorial.Lesson, id string) []*tutorial.Check {
	var out []*tutorial.Check
	after := false
	for _, st := range l.Steps() {
		switch {
		case st.ID == id:
			after = true
		case !after:
		case st.Block != nil:
			return out
		default:
			out = append(out, st.Check)
		}
	}
	return out
}

// blockLines are a block's top-level commands as a learner would type them.
func blockLines(b *tutorial.Block) []string {
	cmds, err := terminal.Parse(b.Script)
	if err != nil {
		return nil
	}
	lines := make([]string, len(cmds))
	for i, c := range cmds {
		lines[i] = sameLine(c.Text)
	}
	return lines
}

// sameLine is a command as compared with what was typed: blanks collapsed, the `k` alias
// spelled out.
func sameLine(s string) string {
	f := strings.Fields(s)
	if len(f) > 0 && f[0] == "k" {
		f[0] = "kubectl"
	}
	return strings.Join(f, " ")
}

// typedStep takes a command typed at the prompt (one of a typed line's) and moves on the
// first block not run yet when it is that block's next command, as written (the shell
// expands its variables either way): typed counts, per block, the commands typed so far.
// It returns the block when the command completes it.
func typedStep(l *tutorial.Lesson, prog session.LessonProgress, typed map[string]int, cmd string) *tutorial.Block {
	var b *tutorial.Block
	for _, st := range l.Steps() {
		if st.Block == nil {
			continue
		}
		if _, ran := prog.Ran[st.ID]; !ran {
			b = st.Block
			break
		}
	}
	if b == nil {
		return nil
	}
	lines := blockLines(b)
	n := typed[b.ID]
	if n >= len(lines) || lines[n] != sameLine(cmd) {
		return nil
	}
	typed[b.ID] = n + 1
	if n+1 == len(lines) {
		return b
	}
	return nil
}
