package session

import (
	"errors"
	"fmt"
	"strings"
	"time"

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

// ReplayShare replaces the workspace and the cluster with a bundle's: a fresh cluster with
// its seed and start, its files, then its lines run as if typed. The clock is left paused,
// so that the cluster is the one shared until the user lets time run. from says where the
// bundle came from, in the transcript's first line. It waits for the replay: call it off
// the UI goroutine.
func (sh *Shell) ReplayShare(b *share.Bundle, from string) error {
	var err error
	sh.command(func() {
		opts := sh.sessionOptions()
		opts.Seed, opts.Start = b.Seed, b.Start
		var s *terminal.Session
		s, err = terminal.New(opts)
		if err != nil {
			err = fmt.Errorf("creating the shared cluster: %w", err)
			return
		}
		sh.closeTabs()
		sh.session, sh.err = s, nil
		sh.files.replaceQuietly(b.Files)
		sh.playing = false
		sh.transcript.Reset()
		sh.append(fmt.Sprintf("# opened %s: %d files, seed %d, start %s; replaying %d commands\n",
			from, len(b.Files), b.Seed, b.Start.UTC().Format(time.RFC3339), len(b.History)))
		failed := 0
		for _, line := range b.History {
			if _, code := sh.execLocked(line); code != 0 {
				failed++
			}
		}
		msg := "# the shared cluster is ready; the clock is paused (press play to let time run)\n"
		if failed > 0 {
			msg = fmt.Sprintf("# the shared cluster is ready; %d of the replayed commands failed, as they may have the first time; the clock is paused\n", failed)
		}
		sh.append(msg)
		delete(sh.notices, "divergence")
	})
	return err
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
