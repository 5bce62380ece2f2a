package session

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/engine/tutorial"
)

// The learner's progress in every lesson is kept at the root of the site's storage
// (IndexedDB in the browser), in one small file that the lesson index reads whole; each
// lesson's cluster is in its own context (context.go).
const (
	progressFileName   = "progress.json"
	progressFileFormat = 1
)

// progressFile is progress.json.
type progressFile struct {
	Format  int                       `json:"format"`
	Lessons map[string]LessonProgress `json:"lessons"`
}

// LessonProgress is how far the learner got in a lesson.
type LessonProgress struct {
	Lesson string          `json:"lesson"`
	Ran    map[string]int  `json:"ran,omitempty"`    // block ID → how it ended (0 ok, else failed)
	Passed map[string]bool `json:"passed,omitempty"` // check IDs that held
	// Due is when each check became due, in the lesson's virtual time (every block before
	// it had run): a check with within: that still fails that long after has failed.
	Due map[string]time.Time `json:"due,omitempty"`
	// Checks is how many checks the lesson has, for the index to tell a finished lesson.
	Checks int `json:"checks,omitempty"`
}

// NewLessonProgress is the progress of a lesson just started.
func NewLessonProgress(lesson string) LessonProgress {
	return LessonProgress{Lesson: lesson, Ran: map[string]int{}, Passed: map[string]bool{}, Due: map[string]time.Time{}}
}

// Clone is a copy that shares no map with t.
func (t LessonProgress) Clone() LessonProgress {
	c := NewLessonProgress(t.Lesson)
	maps.Copy(c.Ran, t.Ran)
	maps.Copy(c.Passed, t.Passed)
	maps.Copy(c.Due, t.Due)
	c.Checks = t.Checks
	return c
}

// Done reports whether every check of the lesson passed.
func (t LessonProgress) Done() bool { return t.Checks > 0 && len(t.Passed) >= t.Checks }

// Started reports whether the learner ran anything in the lesson.
func (t LessonProgress) Started() bool { return len(t.Ran) > 0 || len(t.Passed) > 0 }

// progressLocked reads progress.json the first time (progMu held); a missing or
// unreadable file (or no storage) is a fresh start.
func (sh *Shell) progressLocked() map[string]LessonProgress {
	if sh.progress != nil {
		return sh.progress
	}
	sh.progress = map[string]LessonProgress{}
	store := sh.storage()
	if store == nil {
		return sh.progress
	}
	data, err := hackpadfs.ReadFile(store.root.fsys, progressFileName)
	if err != nil {
		return sh.progress
	}
	var f progressFile
	if json.Unmarshal(data, &f) != nil || f.Format > progressFileFormat {
		return sh.progress
	}
	for name, p := range f.Lessons {
		p.Lesson = name
		sh.progress[name] = p.Clone()
	}
	return sh.progress
}

// LoadProgress is a lesson's progress: fresh when it has none. It blocks on storage the
// first time: call it off the UI goroutine.
func (sh *Shell) LoadProgress(lesson string) LessonProgress {
	sh.progMu.Lock()
	defer sh.progMu.Unlock()
	if p, ok := sh.progressLocked()[lesson]; ok {
		return p.Clone()
	}
	return NewLessonProgress(lesson)
}

// Progress is every lesson's progress, by lesson name (the lesson index).
func (sh *Shell) Progress() map[string]LessonProgress {
	sh.progMu.Lock()
	defer sh.progMu.Unlock()
	out := map[string]LessonProgress{}
	for k, v := range sh.progressLocked() {
		out[k] = v.Clone()
	}
	return out
}

// SaveProgress keeps a lesson's progress and writes progress.json atomically. It blocks
// on storage: call it off the UI goroutine.
func (sh *Shell) SaveProgress(t LessonProgress) error {
	sh.progMu.Lock()
	defer sh.progMu.Unlock()
	all := sh.progressLocked()
	all[t.Lesson] = t.Clone()
	store := sh.storage()
	if store == nil || store.root.readOnly {
		return nil
	}
	return (&Storage{fsys: store.root.fsys}).writeJSON(progressFileName, progressFile{Format: progressFileFormat, Lessons: all})
}

// Inspect calls fn with the session on the session goroutine, after the commands queued
// before it, with mu held. fn must not change the cluster; it reports whether it ran a
// command that the journal keeps (kubectl logs), which the next save must then write.
func (sh *Shell) Inspect(fn func(s *terminal.Session) (journaled bool)) {
	journaled := false
	sh.do(func() {
		if sh.session != nil {
			journaled = fn(sh.session)
		}
		if journaled {
			sh.clusterGen++
		}
	})
	if journaled {
		sh.requestSave()
	}
}

// Comment adds a `# ...` line to the transcript.
func (sh *Shell) Comment(text string) {
	sh.do(func() { sh.append("# " + strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n# ") + "\n") })
	sh.notify()
}

// AwaitCheck lets virtual time pass until a lesson's check holds, up to its within: (as
// `kubetab tutorial test` does), and says so in the terminal: what a lesson's Run button
// does for the checks after its block, so that running the blocks in order passes the
// checks whatever the clock's speed.
func (sh *Shell) AwaitCheck(c *tutorial.Check) (ok bool, detail string) {
	sh.command(func() {
		if sh.session == nil {
			detail = "the cluster failed to start"
			return
		}
		var waited time.Duration
		sh.sliced(func() int {
			ok, _, waited = c.Await(sh.session)
			if !ok {
				// What the check sees now, as the page's own evaluations word it.
				ok, detail = c.Evaluate(sh.session)
			}
			return 0
		})
		if waited > 0 {
			sh.append(fmt.Sprintf("# waited %s for: %s\ntime advanced %s to %s\n", terminal.FormatDuration(waited), c.Label,
				terminal.FormatDuration(waited), sh.session.Cluster().Now().UTC().Format(time.RFC3339)))
		}
	})
	return ok, detail
}
