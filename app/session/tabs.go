package session

import (
	"slices"
	"strings"

	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
)

// Terminal tabs: "in a second terminal, run kubectl proxy". Each tab is a terminal of the
// session's (engine/terminal's terminals.go: its own shell, variables, prompt and
// container shell) with a transcript, a typed line's state and a command history of its
// own; the cluster, workspace, journal and jobs are shared, so a `kubectl proxy` running
// in the foreground of one tab answers curl in another. Every tab is saved: its shell with
// the session's state, its transcript's tail and history in tab.json (Tabs), and the
// journal says which tab ran each line, so a reload brings them all back (a container
// shell in the second tab, there); a job a tab ran in the foreground comes back as a
// background job. A context switch or an import leaves the first tab only, as closing
// the other terminal windows would.

// termTab is one terminal tab's part of the shell.
type termTab struct {
	transcript strings.Builder
	// pending holds typed lines that do not yet make a complete command (an open quote, a
	// here-document without its end).
	pending string
	// midLine is set when the transcript does not end with a newline (a stream's output
	// may stop mid-line), so that the next message starts on a line of its own.
	midLine bool
	// streaming is set while a command typed into the terminal keeps running (`kubectl get
	// -w`, `kubectl logs -f`: the session's stream; `kubectl proxy` in the foreground) on
	// streamCluster, until it ends by itself or Ctrl-C (Interrupt). Meanwhile there is no
	// prompt, and lines typed go to typeahead, to run after it; the rest of the typed line
	// waits in the session (Ctrl-C drops it, as a shell abandons the line).
	streaming     bool
	streamCluster *Cluster
	typeahead     []string
	history       []string
	// holding is set while a command runs here whose journal entry is not logged yet
	// (postCommand): the transcript from heldFrom on (its output) is not shown, so that
	// nothing shows a result a tab closed now would lose.
	holding  bool
	heldFrom int
}

// TabsState is what the tab bar shows.
type TabsState struct {
	Count, Current int
	// Running is, per tab, whether a command runs in its foreground (no prompt).
	Running []bool
}

// Tabs is the terminal tabs and the one shown.
func (sh *Shell) Tabs() TabsState {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	ts := TabsState{Count: len(sh.tabs)}
	for i, t := range sh.tabs {
		if t == sh.termTab {
			ts.Current = i
		}
		// What another tab ran may have ended meanwhile (`kill %1` here): the engine knows.
		ts.Running = append(ts.Running, t.streaming && sh.session != nil && sh.session.Busy(i))
	}
	return ts
}

// NewTab opens another terminal tab, on the control-plane node, and shows it (at most
// terminal.MaxTerminals). It returns at once.
func (sh *Shell) NewTab() {
	sh.postTabChange(func() {
		if sh.session == nil || len(sh.tabs) >= terminal.MaxTerminals {
			return
		}
		n, err := sh.session.OpenTerminal()
		if err != nil {
			return
		}
		sh.tabs = append(sh.tabs, &termTab{})
		sh.selectTab(n)
	})
}

// SelectTab shows terminal tab n (from 0); lines typed run there. It returns at once.
func (sh *Shell) SelectTab(n int) {
	sh.postTabChange(func() { sh.selectTab(n) })
}

// CloseTab closes terminal tab n (not the first): what runs in its foreground ends, as
// when a terminal window closes. It returns at once.
func (sh *Shell) CloseTab(n int) {
	sh.postTabChange(func() {
		if n <= 0 || n >= len(sh.tabs) || sh.session == nil {
			return
		}
		closed, cur := sh.tabs[n], sh.termTab
		if sh.session.CloseTerminal(n) != nil {
			return
		}
		sh.tabs = slices.Delete(sh.tabs, n, n+1)
		if cur == closed {
			cur = sh.tabs[n-1]
		}
		sh.selectTab(slices.Index(sh.tabs, cur))
	})
}

// postTabChange runs a change of tabs on the session goroutine, as a command (the journal
// may change: a closed tab's job ends).
func (sh *Shell) postTabChange(job func()) {
	<-sh.ready
	sh.postCommand(job)
}

// selectTab makes tab n current (mu held, session goroutine). A line that waited there
// for a stream or a foreground job that ended meanwhile goes on now.
func (sh *Shell) selectTab(n int) {
	if n < 0 || n >= len(sh.tabs) || sh.session == nil || sh.session.UseTerminal(n) != nil {
		return
	}
	sh.termTab = sh.tabs[n]
	sh.tabGen++
	sh.checkStream()
}

// closeTabs leaves the first tab only, with nothing running in it (mu held): before the
// session changes (a context switch, an import, a shared link), as closing the terminal
// windows would.
func (sh *Shell) closeTabs() {
	if sh.session != nil {
		for n := len(sh.tabs) - 1; n > 0; n-- {
			sh.session.CloseTerminal(n)
		}
		sh.session.UseTerminal(0)
		if sh.tabs[0].streaming {
			sh.session.StopStream()
		}
	}
	first := sh.tabs[0]
	first.streaming, first.streamCluster, first.pending, first.typeahead = false, nil, "", nil
	sh.tabs = []*termTab{first}
	sh.termTab = first
}

// showBackground adds to each tab's transcript what its background jobs (`kubectl get -w
// &`) printed while no line ran there (mu held, session goroutine): as the clock moves, or
// in a tab other than the one a command ran in.
func (sh *Shell) showBackground() {
	if sh.session == nil {
		return
	}
	for i, t := range sh.tabs {
		if out := sh.session.TakeBackground(i); out != "" {
			if t.midLine && !t.streaming {
				out = "\n" + out
			}
			sh.writeIn(t, out)
		}
	}
}

// savedTab is a terminal tab after the first in tab.json.
type savedTab struct {
	Transcript persist.Text `json:"transcript,omitempty"`
	History    []string     `json:"history,omitempty"`
}

// savedTabsLocked are the tabs after the first as tab.json keeps them (mu held): each
// transcript's tail bound as the first's.
func (sh *Shell) savedTabsLocked() []savedTab {
	var out []savedTab
	for _, t := range sh.tabs[1:] {
		text := t.shown()
		if len(text) > savedTranscript {
			text = text[len(text)-savedTranscript:]
		}
		out = append(out, savedTab{Transcript: persist.Text(text), History: slices.Clone(t.history)})
	}
	return out
}

// matchTabs gives the shell a tab for each of the session's terminals (mu held), the first
// tab kept and shown: those after it get the saved transcripts and histories, in order,
// where there are some.
func (sh *Shell) matchTabs(saved []savedTab) {
	first := sh.tabs[0]
	sh.tabs = []*termTab{first}
	sh.termTab = first
	if sh.session == nil {
		return
	}
	for i := 1; i < sh.session.Terminals(); i++ {
		t := &termTab{}
		if i-1 < len(saved) {
			text := string(saved[i-1].Transcript)
			t.transcript.WriteString(text)
			t.midLine = text != "" && !strings.HasSuffix(text, "\n")
			t.history = saved[i-1].History
		}
		sh.tabs = append(sh.tabs, t)
	}
	sh.session.UseTerminal(0)
}
