package tutorial

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
)

// Result is what running a lesson found.
type Result struct {
	Lesson *Lesson
	Blocks []BlockResult
	Checks []CheckResult
}

// BlockResult is how one runnable block went.
type BlockResult struct {
	Block  *Block
	OK     bool
	Exit   int    // as Block.Exit counts it
	Detail string // what went wrong, with the block's output
}

// CheckResult is how one check went.
type CheckResult struct {
	Check  *Check
	OK     bool
	Detail string        // what was wrong (empty when OK)
	Waited time.Duration // virtual time let pass under within:
}

// OK reports whether every block and every check passed.
func (r Result) OK() bool { return len(r.Failures()) == 0 }

// Failures names what failed, one `name:line label` (or `name:line block ID`) each.
func (r Result) Failures() []string {
	var f []string
	for _, b := range r.Blocks {
		if !b.OK {
			f = append(f, fmt.Sprintf("%s:%d block %s", r.Lesson.Name, b.Block.Line, b.Block.ID))
		}
	}
	for _, c := range r.Checks {
		if !c.OK {
			f = append(f, fmt.Sprintf("%s:%d %s", r.Lesson.Name, c.Check.Line, c.Check.Label))
		}
	}
	return f
}

// Runner runs lessons headless, in virtual time.
type Runner struct {
	// Report gets one line per check, `ok   name:line label` or `FAIL name:line label` with
	// the reason indented below, and a FAIL line for each block that went wrong.
	Report io.Writer
	// Transcript, when set, gets every command as `$ line` followed by its output.
	Transcript io.Writer
	// Strict runs every lesson in strict mode, as if its front matter said strict: true.
	Strict bool
}

// Run runs a lesson on a fresh cluster (its seed and start), reporting to out: every block in
// order, and each check after the blocks before it. See Runner.
func Run(l *Lesson, out io.Writer) (Result, error) {
	return Runner{Report: out}.Run(l)
}

// Run runs the lesson. A failed block or check does not stop the run: the result lists all.
// The error is for a lesson that could not run at all.
func (r Runner) Run(l *Lesson) (Result, error) {
	report, transcript := r.Report, r.Transcript
	if report == nil {
		report = io.Discard
	}
	if transcript == nil {
		transcript = io.Discard
	}
	var editor func(name, text string) (string, error)
	s, err := l.NewSession(terminal.Options{Strict: r.Strict, Edit: func(name, text string) (string, error) {
		if editor == nil {
			return "", errors.New("no editor is available here")
		}
		return editor(name, text)
	}})
	if err != nil {
		return Result{}, err
	}
	res := Result{Lesson: l}
	vars := Vars{}
	for _, st := range l.Steps() {
		if b := st.Block; b != nil {
			editor = b.Editor()
			var out bytes.Buffer
			exit, err := b.Run(s, vars, io.MultiWriter(&out, transcript))
			editor = nil
			br := BlockResult{Block: b, Exit: exit, OK: err == nil && exit == b.Exit}
			switch {
			case err != nil:
				br.Detail = err.Error()
			case !br.OK:
				br.Detail = fmt.Sprintf("the block ended with exit status %d, want %d%s", exit, b.Exit, shown(lastLines(out.String(), 12)))
			}
			if !br.OK {
				fmt.Fprintf(report, "FAIL %s:%d block %s\n%s", l.Name, b.Line, b.ID, indent(br.Detail))
			}
			res.Blocks = append(res.Blocks, br)
			continue
		}
		c := st.Check
		ok, detail, waited := c.Await(s, vars)
		if c.Within > 0 {
			fmt.Fprintf(transcript, "# check %q held: %v after %s\n", c.Label, ok, terminal.FormatDuration(waited))
		}
		res.Checks = append(res.Checks, CheckResult{Check: c, OK: ok, Detail: detail, Waited: waited})
		if ok {
			fmt.Fprintf(report, "ok   %s:%d %s\n", l.Name, c.Line, c.Label)
		} else {
			fmt.Fprintf(report, "FAIL %s:%d %s\n%s", l.Name, c.Line, c.Label, indent(detail))
		}
	}
	return res, nil
}

// Run runs the block's segments against s, writing a transcript to out (each command echoed
// as `$ line`), and returns the exit status: 0 when every command succeeded, else that of
// the last one that failed. Captures store their values in vars. kubectl edit uses the
// session's editor: give the session b.Editor() to run the block as the lesson wrote it.
// The error is for a capture or a variable that went wrong; the block stops there.
func (b *Block) Run(s *terminal.Session, vars Vars, out io.Writer) (int, error) {
	w := terminal.NewLineWriter(out)
	result := 0
	for _, seg := range b.Segments {
		if c := seg.Capture; c != nil {
			w.EndLine()
			fmt.Fprintf(w, "$ %s\n", c.Text)
			if _, err := c.Run(s, vars); err != nil {
				return result, fmt.Errorf("line %d: %w", c.Line, err)
			}
			continue
		}
		script, err := b.lesson.Expand(seg.Script, vars)
		if err != nil {
			return result, fmt.Errorf("line %d: %w", seg.Line, err)
		}
		cmds, err := terminal.Parse(script)
		if err != nil {
			return result, fmt.Errorf("line %d: %w", seg.Line, err)
		}
		last := 0
		for _, c := range cmds {
			if c.AndIf && last != 0 {
				continue
			}
			w.EndLine()
			fmt.Fprintf(w, "$ %s\n", c.Text)
			last = s.Exec(c, w, w)
			if last != 0 {
				result = last
			}
			w.EndLine()
		}
	}
	return result, nil
}

// Await evaluates the check, letting virtual time pass up to Within until it holds: after
// each instant at which something was scheduled to happen, it looks again. Time moves
// through `kubetab advance`, so the session's journal stays a faithful recipe. This is what
// `tutorial test` does; a page that wants a "skip ahead until this holds" button can use it.
func (c *Check) Await(s *terminal.Session, vars Vars) (ok bool, detail string, waited time.Duration) {
	cl := s.Cluster()
	start := cl.Now()
	deadline := start.Add(c.Within)
	for steps := 0; ; steps++ {
		ok, detail = c.Evaluate(s, vars)
		now := cl.Now()
		if ok || !now.Before(deadline) {
			if !ok && c.Within > 0 {
				detail = fmt.Sprintf("still not true after %s: %s", terminal.FormatDuration(c.Within), detail)
			}
			return ok, detail, now.Sub(start)
		}
		if steps >= maxAwaitSteps {
			return false, fmt.Sprintf("gave up after %d steps of virtual time: %s", steps, detail), now.Sub(start)
		}
		// Look again at the whole second after the next scheduled instant: learners move time
		// in whole seconds too, so what follows a check runs at the times it would for them.
		target := deadline
		if next, _, has := cl.NextTimer(); has {
			if up := next.Truncate(time.Second); up.Before(next) {
				next = up.Add(time.Second)
			}
			if next.Before(deadline) {
				target = next
			}
		}
		d := target.Sub(now)
		if d <= 0 {
			d = time.Millisecond
		}
		var errOut bytes.Buffer
		words := []string{"kubetab", "advance", terminal.FormatDuration(d)}
		if code := s.Exec(terminal.Command{Text: terminal.Quote(words), Args: words}, io.Discard, &errOut); code != 0 {
			return false, fmt.Sprintf("moving time: %s", strings.TrimSpace(errOut.String())), now.Sub(start)
		}
	}
}

// maxAwaitSteps bounds the instants one Await may visit: far more than any lesson's
// within: needs, and it keeps a runaway timer from hanging a test.
const maxAwaitSteps = 200_000

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "     " + strings.ReplaceAll(s, "\n", "\n     ") + "\n"
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
