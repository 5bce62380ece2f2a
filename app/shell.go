package main

import (
	"errors"
	"strings"
	"sync"

	"github.com/kubetab/kubetab/engine/terminal"
)

// maxTranscript bounds the terminal's scroll-back; older output is dropped from the top.
const maxTranscript = 1 << 20

// shell owns the tab's terminal session. Every caller (the terminal input, the JS API) runs
// lines through it, so they share one cluster and one transcript. It is safe for concurrent
// use; engine work happens on the caller's goroutine, never inside a JS callback.
type shell struct {
	mu         sync.Mutex
	session    *terminal.Session
	err        error
	transcript strings.Builder
	// pending holds typed lines that do not yet make a complete command (an open quote, a
	// here-document without its end).
	pending   string
	listeners []func()
	ready     chan struct{}
}

func newShell() *shell {
	return &shell{ready: make(chan struct{})}
}

// start creates the cluster; lines wait for it.
func (sh *shell) start(opts terminal.Options) {
	s, err := terminal.New(opts)
	sh.mu.Lock()
	sh.session, sh.err = s, err
	if err != nil {
		sh.transcript.WriteString("kubetab: " + err.Error() + "\n")
	}
	sh.mu.Unlock()
	close(sh.ready)
	sh.notify()
}

// Ready is closed once the cluster exists.
func (sh *shell) Ready() <-chan struct{} { return sh.ready }

// Exec runs a line (or several, or a here-document) as if typed into the terminal: the line
// and its output are added to the transcript. It returns the output and exit status.
func (sh *shell) Exec(line string) (string, int) {
	<-sh.ready
	sh.mu.Lock()
	out, code := sh.execLocked(line)
	sh.mu.Unlock()
	sh.notify()
	return out, code
}

func (sh *shell) execLocked(line string) (string, int) {
	sh.echo("$ ", line)
	return sh.runLocked(line)
}

// runLocked runs text whose lines are already echoed.
func (sh *shell) runLocked(text string) (string, int) {
	if sh.session == nil {
		msg := "kubetab: the cluster failed to start: " + sh.err.Error() + "\n"
		sh.append(msg)
		return msg, 1
	}
	var out strings.Builder
	code := sh.session.RunLine(text, &out)
	sh.append(out.String())
	return out.String(), code
}

// Submit takes one line typed at the prompt. A line that leaves the command incomplete is
// held, and the prompt becomes "> " until the command is complete.
func (sh *shell) Submit(line string) {
	<-sh.ready
	sh.mu.Lock()
	text := sh.pending + line
	if _, err := terminal.Parse(text); err != nil {
		var syn *terminal.SyntaxError
		if errors.As(err, &syn) && syn.Incomplete {
			if sh.pending == "" {
				sh.echo("$ ", line)
			} else {
				sh.echo("> ", line)
			}
			sh.pending = text + "\n"
			sh.mu.Unlock()
			sh.notify()
			return
		}
	}
	if sh.pending != "" {
		sh.echo("> ", line)
		sh.pending = ""
		sh.runLocked(text)
	} else {
		sh.execLocked(text)
	}
	sh.mu.Unlock()
	sh.notify()
}

// Prompt is what the input line shows: "$ ", or "> " while a command continues.
func (sh *shell) Prompt() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.pending != "" {
		return "> "
	}
	return "$ "
}

// Transcript is everything the terminal shows.
func (sh *shell) Transcript() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.transcript.String()
}

// Subscribe calls fn (on some goroutine) after every change of the transcript.
func (sh *shell) Subscribe(fn func()) {
	sh.mu.Lock()
	sh.listeners = append(sh.listeners, fn)
	sh.mu.Unlock()
}

func (sh *shell) notify() {
	sh.mu.Lock()
	ls := append([]func(){}, sh.listeners...)
	sh.mu.Unlock()
	for _, fn := range ls {
		fn()
	}
}

func (sh *shell) echo(prompt, line string) {
	sh.append(prompt + strings.ReplaceAll(line, "\n", "\n> ") + "\n")
}

func (sh *shell) append(s string) {
	if s == "" {
		return
	}
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	sh.transcript.WriteString(s)
	if sh.transcript.Len() > maxTranscript {
		t := sh.transcript.String()
		t = t[len(t)-maxTranscript/2:]
		if i := strings.IndexByte(t, '\n'); i >= 0 {
			t = t[i+1:]
		}
		sh.transcript.Reset()
		sh.transcript.WriteString(t)
	}
}
