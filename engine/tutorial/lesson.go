package tutorial

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/terminal"
)

// Lesson is a parsed lesson. It is read-only after Parse: the page and the runner share it.
type Lesson struct {
	// Name is what the lesson was parsed as (usually its file name); messages say Name:line.
	Name string
	// Title comes from the front matter's title, else from the first `# ` heading.
	Title string
	// Track is the series the lesson belongs to (front matter track), for an index that
	// shows several; empty when it names none.
	Track string
	// Seed and Start shape the lesson's cluster (front matter seed and start; zero Start:
	// cluster.DefaultStart).
	Seed  uint64
	Start time.Time
	// Parts is the whole lesson in document order: prose (Markdown, the front matter left
	// out) and the special blocks, for a page to render.
	Parts []Part
	// Files are the files the lesson provides, written into the workspace when it loads.
	Files []*File

	steps []*Step
}

// Part is one piece of a lesson: exactly one of Prose, Step, File and Edit is set.
type Part struct {
	Line  int    // where the part starts
	Prose string // Markdown, ordinary code fences included
	Step  *Step
	File  *File
	Edit  *Edit
}

// Step is a runnable block or a check, in the order a learner meets them.
type Step struct {
	// ID is stable: the fence's id= attribute, else run-N for the N-th block and
	// check-<label as a slug> for a check (made unique with -2, -3, ...).
	ID    string
	Line  int // of the opening fence
	Block *Block
	Check *Check
}

// File is a file the lesson provides (a fence with file=NAME).
type File struct {
	Name    string // a clean relative path
	Line    int    // of the opening fence
	Lang    string // the fence's language, for highlighting
	Content string
}

// Steps returns the lesson's blocks and checks in document order.
func (l *Lesson) Steps() []*Step { return l.steps }

// Step returns the step with the given ID, or nil.
func (l *Lesson) Step(id string) *Step {
	for _, s := range l.steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Checks returns the lesson's checks in document order.
func (l *Lesson) Checks() []*Check {
	var cs []*Check
	for _, s := range l.steps {
		if s.Check != nil {
			cs = append(cs, s.Check)
		}
	}
	return cs
}

// Workspace returns the lesson's files by name, as the terminal reads them.
func (l *Lesson) Workspace() map[string]string {
	w := make(map[string]string, len(l.Files))
	for _, f := range l.Files {
		w[f.Name] = f.Content
	}
	return w
}

// ClusterStart is the virtual start time of the lesson's cluster.
func (l *Lesson) ClusterStart() time.Time {
	if l.Start.IsZero() {
		return cluster.DefaultStart
	}
	return l.Start.UTC()
}

// ResetLine is the terminal line that puts a cluster back where the lesson starts (together
// with writing Files into the workspace): a page's Reset button can type it.
func (l *Lesson) ResetLine() string {
	return terminal.Quote([]string{"kubetab", "reset", "--seed", fmt.Sprint(l.Seed), "--start", l.ClusterStart().Format(time.RFC3339)})
}

// NewSession returns a session on the lesson's starting cluster. When opts has no file
// reader, the session's workspace is the lesson's files (paths relative to the workspace,
// "./" and all), in memory: what the blocks write there stays for the blocks after them.
// Seed and Start in opts are ignored: the lesson's own apply.
func (l *Lesson) NewSession(opts terminal.Options) (*terminal.Session, error) {
	opts.Seed, opts.Start = l.Seed, l.ClusterStart()
	if opts.ReadFile == nil {
		w := memWorkspace(l.Workspace())
		opts.ReadFile, opts.ListDir, opts.WriteFile, opts.RemoveFile = w.readFile, w.listDir, w.writeFile, w.removeFile
	}
	return terminal.New(opts)
}

// memWorkspace is a workspace in memory: file names to contents.
type memWorkspace map[string]string

func (w memWorkspace) readFile(p string) ([]byte, error) {
	if data, ok := w[cleanPath(p)]; ok {
		return []byte(data), nil
	}
	return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
}

func (w memWorkspace) writeFile(p string, data []byte) error {
	w[cleanPath(p)] = string(data)
	return nil
}

func (w memWorkspace) removeFile(p string) error {
	if _, ok := w[cleanPath(p)]; !ok {
		return &fs.PathError{Op: "remove", Path: p, Err: fs.ErrNotExist}
	}
	delete(w, cleanPath(p))
	return nil
}

func (w memWorkspace) listDir(p string) ([]string, error) {
	dir := cleanPath(p)
	seen := map[string]bool{}
	var names []string
	for name := range w {
		rest := name
		if dir != "." {
			var ok bool
			if rest, ok = strings.CutPrefix(name, dir+"/"); !ok {
				continue
			}
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rest = rest[:i]
		}
		if !seen[rest] {
			seen[rest] = true
			names = append(names, rest)
		}
	}
	if names == nil && dir != "." {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	sort.Strings(names)
	return names, nil
}

// cleanPath reduces "./a//b/" to "a/b" (the lesson's files live in one flat workspace).
func cleanPath(p string) string {
	var parts []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}
