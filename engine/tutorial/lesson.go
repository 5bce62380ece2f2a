package tutorial

import (
	"fmt"
	"io/fs"
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
	// Seed and Start shape the lesson's cluster (front matter seed and start; zero Start:
	// cluster.DefaultStart).
	Seed  uint64
	Start time.Time
	// Strict runs the lesson in strict mode (front matter strict: true): kubectl answers as
	// against a real cluster, without kubetab's kindness (terminal.Options.Strict).
	Strict bool
	// Parts is the whole lesson in document order: prose (Markdown, the front matter left
	// out) and the special blocks, for a page to render.
	Parts []Part
	// Files are the files the lesson provides, written into the workspace when it loads.
	Files []*File

	steps    []*Step
	captures map[string]*Capture // by variable name
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
// reader, the session reads the lesson's files (paths relative to the workspace, "./" and
// all). Seed and Start in opts are ignored: the lesson's own apply; so does a strict lesson's
// Strict (opts.Strict makes any lesson strict).
func (l *Lesson) NewSession(opts terminal.Options) (*terminal.Session, error) {
	opts.Seed, opts.Start = l.Seed, l.ClusterStart()
	opts.Strict = opts.Strict || l.Strict
	if opts.ReadFile == nil {
		opts.ReadFile = l.readFile
	}
	if opts.ListDir == nil {
		opts.ListDir = l.listDir
	}
	return terminal.New(opts)
}

func (l *Lesson) readFile(p string) ([]byte, error) {
	name := cleanPath(p)
	for _, f := range l.Files {
		if f.Name == name {
			return []byte(f.Content), nil
		}
	}
	return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
}

func (l *Lesson) listDir(p string) ([]string, error) {
	dir := cleanPath(p)
	var names []string
	for _, f := range l.Files {
		d, base := "", f.Name
		if i := strings.LastIndexByte(f.Name, '/'); i >= 0 {
			d, base = f.Name[:i], f.Name[i+1:]
		}
		if d == dir || dir == "." && d == "" {
			names = append(names, base)
		}
	}
	if names == nil {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
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
