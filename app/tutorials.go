package main

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/engine/tutorial"
)

// Lessons are the Markdown files of public/tutorials. The server serves them as
// /tutorials/NAME.md with an index, /tutorials/index.json (tutorials_server.go); `kubetab
// static` copies both; the page fetches them (the service worker keeps them for offline use)
// and renders /tutorial and /tutorial/NAME (ui_tutorial.go).

const (
	tutorialsPath = "/tutorials/"
	lessonIndex   = "index.json"
)

// lessonName is what a lesson file may be called (without .md) to be served: it becomes
// a path segment and a file name.
var lessonName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,80}$`)

// lessonInfo is an entry of index.json.
type lessonInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// The learner's progress in a lesson is kept next to the cluster, in the same storage
// (IndexedDB in the browser), as one small file.
const (
	progressFileName   = "tutorial.json"
	progressFileFormat = 1
)

// tutorialState is tutorial.json: the lesson whose cluster the tab holds and how far the
// learner got in it.
type tutorialState struct {
	Format int             `json:"format"`
	Lesson string          `json:"lesson"`
	Ran    map[string]int  `json:"ran,omitempty"`    // block ID → how it ended (0 ok, else failed)
	Passed map[string]bool `json:"passed,omitempty"` // check IDs that held
	Vars   tutorial.Vars   `json:"vars,omitempty"`
}

func newTutorialState(lesson string) tutorialState {
	return tutorialState{Lesson: lesson, Ran: map[string]int{}, Passed: map[string]bool{}, Vars: tutorial.Vars{}}
}

func (t tutorialState) clone() tutorialState {
	c := newTutorialState(t.Lesson)
	for k, v := range t.Ran {
		c.Ran[k] = v
	}
	for k, v := range t.Passed {
		c.Passed[k] = v
	}
	for k, v := range t.Vars {
		c.Vars[k] = v
	}
	return c
}

// loadTutorialState reads tutorial.json; a missing or unreadable file is a fresh start.
func (sh *shell) loadTutorialState() tutorialState {
	<-sh.ready
	sh.mu.Lock()
	store := sh.store
	sh.mu.Unlock()
	if store == nil {
		return tutorialState{}
	}
	data, err := hackpadfs.ReadFile(store.fsys, progressFileName)
	if err != nil {
		return tutorialState{}
	}
	var t tutorialState
	if json.Unmarshal(data, &t) != nil || t.Format > progressFileFormat {
		return tutorialState{}
	}
	c := t.clone()
	c.Format = t.Format
	return c
}

// saveTutorialState replaces tutorial.json atomically. It blocks on storage: call it off
// the UI goroutine.
func (sh *shell) saveTutorialState(t tutorialState) error {
	<-sh.ready
	sh.mu.Lock()
	store := sh.store
	sh.mu.Unlock()
	if store == nil || store.readOnly {
		return nil
	}
	t.Format = progressFileFormat
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	tmp := progressFileName + ".tmp"
	if err := hackpadfs.WriteFullFile(store.fsys, tmp, data, 0o644); err != nil {
		return err
	}
	return hackpadfs.Rename(store.fsys, tmp, progressFileName)
}

// inspect calls fn with the session on the session goroutine, after the commands queued
// before it, with mu held. fn must not change the cluster; it reports whether it ran a
// command that the journal keeps (kubectl logs), which the next save must then write.
func (sh *shell) inspect(fn func(s *terminal.Session) (journaled bool)) {
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

// runCapture runs a lesson's capture line (NAME=$(kubectl get ...)) as a command of the
// terminal: the line is echoed with the value it captured, or the error. vars gets the value.
func (sh *shell) runCapture(c *tutorial.Capture, vars tutorial.Vars) error {
	var err error
	sh.command(func() {
		sh.echo("$ ", c.Text)
		if sh.session == nil {
			err = errors.New("the cluster failed to start")
		} else {
			var v string
			v, err = c.Run(sh.session, vars)
			if err == nil {
				sh.append("# " + c.Name + "=" + v + "\n")
			}
		}
		if err != nil {
			sh.append("kubetab: " + err.Error() + "\n")
		}
	})
	return err
}

// comment adds a `# ...` line to the transcript.
func (sh *shell) comment(text string) {
	sh.do(func() { sh.append("# " + strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n# ") + "\n") })
	sh.notify()
}

// readsLogs reports whether a check's command is kubectl logs: running it may make a
// container produce output, so the journal keeps it and a page runs it only when the
// cluster changed.
func readsLogs(command string) bool {
	args, err := terminal.SplitWords(command)
	if err != nil {
		return false
	}
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-n" || a == "--namespace":
			i++
		case !strings.HasPrefix(a, "-"):
			return a == "logs"
		}
	}
	return false
}
