package session

import (
	"encoding/json"
	"strings"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/terminal"
)

// The learner's progress in a lesson is kept next to the cluster, in the same storage
// (IndexedDB in the browser), as one small file.
const (
	progressFileName   = "tutorial.json"
	progressFileFormat = 1
)

// LessonProgress is tutorial.json: the lesson whose cluster the tab holds and how far the
// learner got in it.
type LessonProgress struct {
	Format int             `json:"format"`
	Lesson string          `json:"lesson"`
	Ran    map[string]int  `json:"ran,omitempty"`    // block ID → how it ended (0 ok, else failed)
	Passed map[string]bool `json:"passed,omitempty"` // check IDs that held
}

// NewLessonProgress is the progress of a lesson just started.
func NewLessonProgress(lesson string) LessonProgress {
	return LessonProgress{Lesson: lesson, Ran: map[string]int{}, Passed: map[string]bool{}}
}

// Clone is a copy that shares no map with t.
func (t LessonProgress) Clone() LessonProgress {
	c := NewLessonProgress(t.Lesson)
	for k, v := range t.Ran {
		c.Ran[k] = v
	}
	for k, v := range t.Passed {
		c.Passed[k] = v
	}
	return c
}

// LoadProgress reads tutorial.json; a missing or unreadable file (or no storage) is a
// fresh start. It blocks on storage: call it off the UI goroutine.
func (sh *Shell) LoadProgress() LessonProgress {
	store := sh.storage()
	if store == nil {
		return LessonProgress{}
	}
	data, err := hackpadfs.ReadFile(store.fsys, progressFileName)
	if err != nil {
		return LessonProgress{}
	}
	var t LessonProgress
	if json.Unmarshal(data, &t) != nil || t.Format > progressFileFormat {
		return LessonProgress{}
	}
	c := t.Clone()
	c.Format = t.Format
	return c
}

// SaveProgress replaces tutorial.json atomically. It blocks on storage: call it off the UI
// goroutine.
func (sh *Shell) SaveProgress(t LessonProgress) error {
	store := sh.storage()
	if store == nil || store.readOnly {
		return nil
	}
	t.Format = progressFileFormat
	return store.writeJSON(progressFileName, t)
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
