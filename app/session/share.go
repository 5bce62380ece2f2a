package session

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/wasm/share"
)

// Share bundles (wasm/share): the workspace files, the cluster's seed and start time, and
// the journal as terminal lines. Replaying one into a fresh cluster with the same seed and
// start ends up with the same cluster; app/sharelink makes and opens the links
// that carry them, and the embed widget takes one as its starting point.

// ShareBundle is the workspace and the cluster as a share bundle.
func (sh *Shell) ShareBundle() (*share.Bundle, error) {
	<-sh.ready
	files := sh.files.snapshot()
	sh.mu.Lock()
	if sh.session == nil {
		sh.mu.Unlock()
		return nil, errors.New("the cluster failed to start")
	}
	st := sh.session.State()
	sh.mu.Unlock()
	b := &share.Bundle{Version: share.Version, Seed: st.Seed, Start: st.Start, Files: files, History: journalLines(st.History())}
	if _, err := b.JSON(); err != nil {
		return nil, err
	}
	return b, nil
}

// journalLines writes the journal as lines of the terminal language that rebuild it: each
// command with its here-document. An edit (`kubectl edit`) becomes an apply of the edited
// text, as the editor's answer cannot travel in a line.
func journalLines(journal []persist.Entry) []string {
	var lines []string
	for _, e := range journal {
		args := persist.Strings(e.Args)
		if len(args) == 0 {
			continue
		}
		if len(e.Edits) > 0 {
			for _, ed := range e.Edits {
				if ed.Text != nil {
					lines = append(lines, ApplyLine(string(*ed.Text)))
				}
			}
			continue
		}
		if bg, ok := terminal.BackgroundLine(args); ok {
			if bg != "" {
				lines = append(lines, bg)
			}
			continue
		}
		line := terminal.Quote(args)
		if e.Stdin != nil {
			line = heredocLine(line, string(*e.Stdin))
		}
		lines = append(lines, line)
	}
	return lines
}

// heredocLine appends text to cmd as a quoted here-document with a delimiter the text
// does not hold as a line.
func heredocLine(cmd, text string) string {
	delim := "EOF"
	lines := strings.Split(text, "\n")
	for n := 1; containsLine(lines, delim); n++ {
		delim = "EOF" + strings.Repeat("_", n)
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return cmd + " <<'" + delim + "'\n" + text + delim
}

// Bounds of a shared bundle's replay. Whoever clicks a link replays it, so a careless or
// hostile one (a `*/1` CronJob and `kubetab advance 366d` three times fits in 400
// characters) must not keep the visitor's tab busy for minutes: a bundle that goes past
// either bound is refused, with a message naming it, and the visitor's own work is left
// as it was.
const (
	// MaxShareTime bounds how far a replay moves virtual time past the bundle's start: a
	// month, more than a lesson needs, and a month of a `*/1` CronJob replays in seconds.
	MaxShareTime = 31 * 24 * time.Hour
	// MaxShareSteps bounds the engine's steps in a replay (each instant's work, one sim
	// step at a time: sim.Cluster's Pause counts them), so that a bundle which creates
	// much and waits little is bounded too: about twice a month of a `*/1` CronJob's
	// (1.08 million), some seconds natively and under a minute in a browser.
	MaxShareSteps = 2_000_000
)

// shareSteps is MaxShareSteps but in tests.
var shareSteps = MaxShareSteps

// ErrReplayCancelled is the error of a replay the visitor cancelled.
var ErrReplayCancelled = errors.New("its replay was cancelled")

// ReplayBoundError is the error of a bundle whose replay went past a bound.
type ReplayBoundError struct {
	// Bound names it: "virtual time" (MaxShareTime) or "steps" (MaxShareSteps).
	Bound string
}

func (e *ReplayBoundError) Error() string {
	if e.Bound == "steps" {
		return fmt.Sprintf("its replay takes more than %s steps of cluster work, the bound of a shared link's replay", groupThousands(shareSteps))
	}
	return fmt.Sprintf("its replay moves virtual time more than %d days past its start, the bound of a shared link's replay", MaxShareTime/(24*time.Hour))
}

func groupThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// replayState is a replay's progress and budget (Shell.replay).
type replayState struct {
	from        string
	done, total int
	start       time.Time
	steps       int
	err         error // the bound reached, once it is
}

// ReplayProgress is what the page shows of a shared bundle's replay.
type ReplayProgress struct {
	From        string
	Done, Total int       // commands replayed, of all
	Start, Now  time.Time // the bundle's start, and the virtual time reached
}

// Replaying reports a shared bundle's replay while one runs.
func (sh *Shell) Replaying() (ReplayProgress, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	r := sh.replay
	if r == nil || sh.session == nil {
		return ReplayProgress{}, false
	}
	return ReplayProgress{From: r.from, Done: r.done, Total: r.total, Start: r.start, Now: sh.session.Cluster().Now()}, true
}

// CancelReplay stops the replay that runs, if one does: ReplayShare returns
// ErrReplayCancelled once the command or time slice under way ends. It returns at once.
func (sh *Shell) CancelReplay() { sh.cancelReplay.Store(true) }

// replayBounds says whether a replay may go on and move time by d more (mu held, session
// goroutine): not once cancelled or past a bound. Time is checked before it moves, so a
// bundle over the bound is refused without doing the work.
func (sh *Shell) replayBounds(d time.Duration) error {
	r := sh.replay
	switch {
	case r == nil:
		return nil
	case sh.cancelReplay.Load():
		return ErrReplayCancelled
	case r.err != nil:
	case sh.session.Cluster().Now().Add(d).Sub(r.start) > MaxShareTime:
		r.err = &ReplayBoundError{Bound: "virtual time"}
	case r.steps > shareSteps:
		r.err = &ReplayBoundError{Bound: "steps"}
	}
	return r.err
}

// ReplayShare replaces the workspace and the cluster with a bundle's: a fresh cluster with
// its seed and start, its files, then its lines run as if typed. The clock is left paused,
// so that the cluster is the one shared until the user lets time run. from says where the
// bundle came from, in the transcript's first line. It waits for the replay: call it off
// the UI goroutine. Meanwhile Replaying tells how far it got, and the page gets turns.
//
// A replay cancelled (CancelReplay) or past a bound (MaxShareTime, MaxShareSteps) stops
// with ErrReplayCancelled or a *ReplayBoundError; in a shared link's context (not the
// playground's: the embed widget's) the context is then dropped, and the tab is back in
// the playground, as it was.
func (sh *Shell) ReplayShare(b *share.Bundle, from string) error {
	<-sh.ready
	var err error
	done := make(chan struct{})
	sh.postCommand(func() { err = sh.replayShare(b, from) }, func() {
		if err != nil {
			sh.abandon(sh.Context())
		}
		close(done)
	})
	<-done
	return err
}

// replayShare is ReplayShare on the session goroutine, mu held.
func (sh *Shell) replayShare(b *share.Bundle, from string) error {
	opts := sh.sessionOptions()
	opts.Seed, opts.Start = b.Seed, b.Start
	s, err := terminal.New(opts)
	if err != nil {
		return fmt.Errorf("creating the shared cluster: %w", err)
	}
	sh.closeTabs()
	sh.session, sh.err = s, nil
	sh.files.replaceQuietly(b.Files)
	sh.playing = false
	sh.transcript.Reset()
	sh.append(fmt.Sprintf("# opened %s: %d files, seed %d, start %s; replaying %d commands\n",
		from, len(b.Files), b.Seed, b.Start.UTC().Format(time.RFC3339), len(b.History)))
	sh.cancelReplay.Store(false)
	sh.replay = &replayState{from: from, total: len(b.History), start: s.Cluster().Now()}
	defer func() { sh.replay = nil }()
	failed := 0
	for _, line := range b.History {
		if err := sh.replayBounds(0); err != nil {
			return err
		}
		if _, code := sh.execLocked(line); code != 0 {
			failed++
		}
		sh.replay.done++
		// Commands that each do little still add up: the page shows the progress and
		// may cancel.
		if time.Since(sh.sliceStart) >= sh.turnEvery {
			sh.giveTurn()
		}
	}
	if err := sh.replayBounds(0); err != nil {
		return err
	}
	msg := "# the shared cluster is ready; the clock is paused (press play to let time run)\n"
	if failed > 0 {
		msg = fmt.Sprintf("# the shared cluster is ready; %d of the replayed commands failed, as they may have the first time; the clock is paused\n", failed)
	}
	sh.append(msg)
	delete(sh.notices, "divergence")
	return nil
}

// ApplyLine is `kubectl apply -f - <<'EOF' ... EOF` with text as the here-document: what
// the editor's Apply button types, and what a share bundle makes of an edit.
func ApplyLine(text string) string {
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return heredocLine("kubectl apply -f -", text)
}

func containsLine(lines []string, s string) bool {
	for _, l := range lines {
		if strings.TrimSuffix(l, "\r") == s {
			return true
		}
	}
	return false
}

// abandon drops the context ctx after a replay that did not finish (session goroutine, no
// lock held): the tab goes back to the playground, as this tab or storage left it, and
// ctx's saved files are removed, so that its link opened again replays anew. The
// playground itself is never dropped.
func (sh *Shell) abandon(ctx string) {
	if ctx == Playground {
		return
	}
	sh.mu.Lock()
	cur, store := sh.ctx, sh.store
	sh.mu.Unlock()
	delete(sh.parked, ctx)
	if cur == ctx {
		next := sh.parked[Playground]
		delete(sh.parked, Playground)
		if next == nil {
			next = loadContext(store.In(Playground), sh.sessionOptions())
		}
		// saveMu: a save under way ends first, and none of ctx's comes after.
		sh.saveMu.Lock()
		sh.lockForWork()
		sh.closeTabs()
		sh.install(Playground, next)
		sh.unlockAfterWork()
		sh.saveMu.Unlock()
	}
	sh.saveMu.Lock()
	defer sh.saveMu.Unlock()
	if s := store.In(ctx); s != nil && !s.readOnly {
		for _, name := range []string{persist.FileName, persist.PrevFileName, logFileName, tabFileName, tabFileName + ".tmp"} {
			hackpadfs.Remove(s.fsys, name)
		}
	}
	sh.notify()
}
