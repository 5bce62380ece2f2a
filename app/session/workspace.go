package session

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Workspace limits: they keep the tab (and its storage quota) safe from a runaway upload.
const (
	maxWorkspaceFiles = 500
	MaxFileBytes      = 2 << 20
	maxWorkspaceBytes = 16 << 20
	maxFileName       = 200
)

// Workspace is the tab's files: what the editor edits and `kubectl apply -f NAME` reads.
// Names are slash-separated relative paths ("kubia-rc.yaml", "ch04/kubia-rc.yaml"). It is
// safe for concurrent use; changed runs after every change, outside the lock.
type Workspace struct {
	mu      sync.Mutex
	files   map[string]string
	changed func()
}

func newWorkspace(changed func()) *Workspace {
	return &Workspace{files: map[string]string{}, changed: changed}
}

// List returns the file names, sorted.
func (w *Workspace) List() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	names := make([]string, 0, len(w.files))
	for n := range w.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Read returns a file's text; the error wraps fs.ErrNotExist for a missing file.
func (w *Workspace) Read(name string) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	text, ok := w.files[cleanName(name)]
	if !ok {
		return "", &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return text, nil
}

// Write creates or replaces a file.
func (w *Workspace) Write(name, text string) error {
	changed, err := w.write(name, text)
	if changed {
		w.changed()
	}
	return err
}

// write is Write without telling of the change (changed reports one).
func (w *Workspace) write(name, text string) (changed bool, err error) {
	if err := CheckName(name); err != nil {
		return false, err
	}
	if len(text) > MaxFileBytes {
		return false, fmt.Errorf("%s is too big: %d bytes, at most %d", name, len(text), MaxFileBytes)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	old, exists := w.files[name]
	if !exists && len(w.files) >= maxWorkspaceFiles {
		return false, fmt.Errorf("the workspace is full: at most %d files", maxWorkspaceFiles)
	}
	if w.size()-len(old)+len(text) > maxWorkspaceBytes {
		return false, fmt.Errorf("the workspace is full: at most %d MB in all", maxWorkspaceBytes>>20)
	}
	w.files[name] = text
	return !exists || old != text, nil
}

// Rename gives a file a new name; a file already called newName is an error.
func (w *Workspace) Rename(oldName, newName string) error {
	if err := CheckName(newName); err != nil {
		return err
	}
	w.mu.Lock()
	text, ok := w.files[oldName]
	switch {
	case !ok:
		w.mu.Unlock()
		return &fs.PathError{Op: "rename", Path: oldName, Err: fs.ErrNotExist}
	case oldName == newName:
		w.mu.Unlock()
		return nil
	}
	if _, taken := w.files[newName]; taken {
		w.mu.Unlock()
		return &fs.PathError{Op: "rename", Path: newName, Err: fs.ErrExist}
	}
	delete(w.files, oldName)
	w.files[newName] = text
	w.mu.Unlock()
	w.changed()
	return nil
}

// Delete removes a file.
func (w *Workspace) Delete(name string) error {
	err := w.remove(name)
	if err == nil {
		w.changed()
	}
	return err
}

// remove is Delete without telling of the change.
func (w *Workspace) remove(name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.files[name]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(w.files, name)
	return nil
}

func (w *Workspace) size() int {
	n := 0
	for _, t := range w.files {
		n += len(t)
	}
	return n
}

func (w *Workspace) snapshot() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]string, len(w.files))
	for k, v := range w.files {
		out[k] = v
	}
	return out
}

// replaceQuietly swaps in saved or imported files, without a change notification (the
// caller accounts for the change); names that would not be accepted now are dropped.
func (w *Workspace) replaceQuietly(files map[string]string) {
	clean := make(map[string]string, len(files))
	for k, v := range files {
		if CheckName(k) == nil {
			clean[k] = v
		}
	}
	w.mu.Lock()
	w.files = clean
	w.mu.Unlock()
}

// readFile is the session's file reader: `kubectl apply -f NAME` and `-f ./NAME`.
func (w *Workspace) readFile(p string) ([]byte, error) {
	text, err := w.Read(p)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return []byte(text), nil
}

// writeFile and removeFile are the session's file writer and remover (`> web.yaml`, `rm`).
// They run in a command, which holds the shell's lock and tells of its changes when it
// ends, so they do not tell of theirs.
func (w *Workspace) writeFile(p string, data []byte) error {
	_, err := w.write(cleanName(p), string(data))
	return err
}

func (w *Workspace) removeFile(p string) error { return w.remove(cleanName(p)) }

// listDir is the session's directory lister: `kubectl apply -f .` or `-f ch04/` lists the
// files directly in that directory.
func (w *Workspace) listDir(p string) ([]string, error) {
	dir := cleanName(p)
	prefix := dir + "/"
	if dir == "." {
		prefix = ""
	}
	seen := map[string]bool{}
	var names []string
	found := dir == "."
	for _, n := range w.List() {
		if !strings.HasPrefix(n, prefix) {
			continue
		}
		found = true
		rest := strings.TrimPrefix(n, prefix)
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rest = rest[:i] // a subdirectory: kubectl lists it, and skips it without -R
		}
		if !seen[rest] {
			seen[rest] = true
			names = append(names, rest)
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: p, Err: fs.ErrNotExist}
	}
	return names, nil
}

func cleanName(p string) string {
	return path.Clean(strings.TrimPrefix(p, "./"))
}

// CheckName says why name cannot be a workspace file's, or nil when it can.
func CheckName(name string) error {
	bad := func(why string) error { return fmt.Errorf("invalid file name %q: %s", name, why) }
	switch {
	case name == "":
		return errors.New("a file needs a name")
	case len(name) > maxFileName:
		return bad(fmt.Sprintf("at most %d characters", maxFileName))
	case !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\\\n\r\t"):
		return bad("it holds characters a file name cannot have")
	case strings.HasPrefix(name, "/"):
		return bad("use a relative name")
	case path.Clean(name) != name || name == "." || name == ".." || strings.HasPrefix(name, "../"):
		return bad("use a plain relative path, like ch04/kubia-rc.yaml")
	}
	return nil
}
