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

// blockLine is one thing a block has the terminal do: a command as written after the
// values captured so far are filled in, or a capture.
type blockLine struct {
	text    string
	capture *tutorial.Capture
}

// blockLines are a block's commands as a learner would type them; ok is false while a
// value they use is not captured yet.
func blockLines(l *tutorial.Lesson, b *tutorial.Block, vars tutorial.Vars) (lines []blockLine, ok bool) {
	for _, seg := range b.Segments {
		if seg.Capture != nil {
			lines = append(lines, blockLine{text: sameLine(seg.Capture.Text), capture: seg.Capture})
			continue
		}
		script, err := l.Expand(seg.Script, vars)
		if err != nil {
			return lines, false
		}
		cmds, err := terminal.Parse(script)
		if err != nil {
			return lines, false
		}
		for _, c := range cmds {
			lines = append(lines, blockLine{text: sameLine(c.Text)})
		}
	}
	return lines, true
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
// first block not run yet when it is that block's next command: typed counts, per block,
// the commands typed so far. It returns the block when the command completes it, and the
// capture when the command is one (its value is then the page's to read).
func typedStep(l *tutorial.Lesson, prog session.LessonProgress, typed map[string]int, cmd string) (done *tutorial.Block, capture *tutorial.Capture) {
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
		return nil, nil
	}
	lines, ok := blockLines(l, b, prog.Vars)
	n := typed[b.ID]
	if n >= len(lines) || lines[n].text != sameLine(cmd) {
		// A capture's line names its variable ($POD): typed with the value filled in, it
		// matches too.
		if !ok || n >= len(lines) {
			return nil, nil
		}
		if expanded, err := l.Expand(cmd, prog.Vars); err != nil || lines[n].text != sameLine(expanded) {
			return nil, nil
		}
	}
	typed[b.ID] = n + 1
	if n+1 == len(lines) && ok {
		done = b
	}
	return done, lines[n].capture
}
