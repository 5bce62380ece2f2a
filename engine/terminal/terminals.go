package terminal

import (
	"fmt"
	"io"
	"strconv"

	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/persist"
)

// Terminals of one session: the docs' "in a second terminal, run kubectl proxy". Each
// terminal has its own shell (variables, functions, working directory, $?), the container
// shell it entered, the stream its typed line follows and the job it runs in the
// foreground; the cluster, the workspace, the journal and the jobs are the session's, so a
// proxy in one terminal answers curl in another. The journal keeps what every terminal
// did to the cluster in the order it happened; the first terminal is the one it replays
// in and whose shell is saved. Each journal entry says which terminal ran it
// (persist.Entry.Term) and the state keeps every terminal's shell (persist.State's Shell
// and Terminals), so a restore brings back every terminal: a container shell entered in
// the second is entered there again. A job that ran in the foreground of a terminal comes
// back as a background job (`jobs` lists it, `kill %N` ends it). Closing a terminal is
// journaled, so that the numbers of the terminals after it shift in a replay as they did.

// MaxTerminals bounds the terminals of a session.
const MaxTerminals = 4

// tty is one terminal.
type tty struct {
	shell *sh.Interactive
	// inside is the container shell `kubectl exec -ti` entered (container.go); nil on the
	// node.
	inside *containerShell
	// stream is the command Start left running (a `kubectl get -w` or `kubectl logs -f`);
	// nil when none. It is polled after every command and at every instant an advance
	// passes through, so it shows each state the cluster goes through. Its line waits in
	// the shell (waiting) until the stream ends, or StopStream drops it.
	stream  *kubectl.Stream
	waiting *lineResult
	// fg is the job the typed line runs in the foreground (`kubectl proxy` without &): the
	// line waits until Ctrl-C (StopStream) ends the job.
	fg *job
	// out is the output of the line running here, where background jobs print meanwhile;
	// pending is what they printed while none ran (bgstreams.go).
	out     io.Writer
	pending []byte
	// starting is set while a background stream starts here: what it prints then waits
	// in pending, as a job's output never comes under its own `cmd &`.
	starting bool
}

func (s *Session) openFirstTerminal() {
	s.tty = &tty{shell: s.newShell()}
	s.ttys = []*tty{s.tty}
}

// Terminals is how many terminals the session has.
func (s *Session) Terminals() int { return len(s.ttys) }

// Terminal is the number of the terminal lines run in (0: the first).
func (s *Session) Terminal() int {
	for i, t := range s.ttys {
		if t == s.tty {
			return i
		}
	}
	return 0
}

// Busy tells whether something runs in the foreground of terminal n (a stream, a job).
func (s *Session) Busy(n int) bool {
	return n >= 0 && n < len(s.ttys) && (s.ttys[n].stream != nil || s.ttys[n].fg != nil)
}

// OpenTerminal opens another terminal, with a fresh shell on the control-plane node, and
// returns its number; lines keep running in the current one until UseTerminal.
func (s *Session) OpenTerminal() (int, error) {
	if len(s.ttys) >= MaxTerminals {
		return 0, fmt.Errorf("at most %d terminals", MaxTerminals)
	}
	s.ttys = append(s.ttys, &tty{shell: s.newShell()})
	return len(s.ttys) - 1, nil
}

// UseTerminal makes lines run in terminal n from now on. A line waiting in the terminal
// left (a stream, a foreground job) keeps waiting there.
func (s *Session) UseTerminal(n int) error {
	if n < 0 || n >= len(s.ttys) {
		return fmt.Errorf("no terminal %d", n+1)
	}
	s.tty = s.ttys[n]
	return nil
}

// CloseTerminal closes terminal n (not the first): its stream stops and its foreground
// job ends, as closing a terminal window ends what runs in it. When it was the current
// terminal, the first one becomes current.
func (s *Session) CloseTerminal(n int) error {
	if n <= 0 || n >= len(s.ttys) {
		return fmt.Errorf("terminal %d cannot be closed", n+1)
	}
	t := s.ttys[n]
	s.stopLine(t)
	s.endJobsOf(t)
	if t.inside != nil {
		// Its container shell ends as at `exit` (journaled so, and a --rm pod goes): a
		// replay must not leave the first terminal inside it.
		cur := s.tty
		s.tty = t
		s.containerLine("exit", io.Discard, io.Discard)
		s.tty = cur
	}
	s.ttys = append(s.ttys[:n:n], s.ttys[n+1:]...)
	if s.tty == t {
		s.tty = s.ttys[0]
	}
	s.record(persist.Entry{Args: persist.Texts([]string{bgWord, closeTerminalWord, strconv.Itoa(n)})})
	return nil
}

// closeTerminalWord follows bgWord in the journal entry of a terminal closed.
const closeTerminalWord = "close-terminal"

// record appends an entry to the journal, as run in the current terminal.
func (s *Session) record(e persist.Entry) {
	e.Term = s.Terminal()
	s.journal = append(s.journal, e)
}

// replayIn makes terminal n current for a journal entry's replay, opening terminals up to
// it as the first run had opened them.
func (s *Session) replayIn(n int) {
	for len(s.ttys) <= n && len(s.ttys) < MaxTerminals {
		s.ttys = append(s.ttys, &tty{shell: s.newShell()})
	}
	s.UseTerminal(min(n, len(s.ttys)-1))
}

// restoreShells gives each terminal its saved shell, opening the terminals the state has,
// and makes the first current.
func (s *Session) restoreShells(st persist.State) {
	if st.Shell != nil {
		s.ttys[0].shell.SetState(shellState(st.Shell))
	}
	for i, saved := range st.Terminals {
		s.replayIn(i + 1)
		if saved != nil && i+1 < len(s.ttys) {
			s.ttys[i+1].shell.SetState(shellState(saved))
		}
	}
	s.UseTerminal(0)
}

// savedShells are the shells of the terminals after the first, as State keeps them.
func (s *Session) savedShells() []*persist.Shell {
	var out []*persist.Shell
	for _, t := range s.ttys[1:] {
		out = append(out, savedShell(t.shell.State()))
	}
	return out
}

// foreground makes the job a typed line just started run in the foreground of its
// terminal: the line waits until Ctrl-C ends the job. A line that cannot wait (a script,
// a pipeline, `cmd &`) leaves it in the background.
func (s *Session) foreground(c *sh.Call) bool {
	if !c.CanWait() || len(s.jobs.list) == 0 {
		return false
	}
	s.fg = s.jobs.list[len(s.jobs.list)-1]
	c.Wait()
	return true
}

// stopForeground ends t's foreground job (Ctrl-C), journaled as the kill it amounts to.
func (s *Session) stopForeground(t *tty) {
	j := t.fg
	if j == nil {
		return
	}
	t.fg = nil
	if s.jobs.find(fmt.Sprintf("%%%d", j.id)) != j {
		return // already ended by `kill %N`
	}
	s.jobs.remove(j)
	s.mergeAdvance = false
	s.record(persist.Entry{Args: persist.Texts([]string{"kill", fmt.Sprintf("%%%d", j.id)})})
}
