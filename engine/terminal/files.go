package terminal

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// Home is where the workspace appears in the terminal's shell: its working directory and
// $HOME, as root's home on a kind node. `cat web.yaml`, `cat ~/web.yaml` and
// `cat /root/web.yaml` read the same workspace file.
const Home = "/root"

// errOutside refuses a write the workspace cannot hold.
var errOutside = errors.New("outside the workspace (" + Home + ")")

// workspace is the shell's view of the session's files (Options.ReadFile, ListDir,
// WriteFile, RemoveFile): the directory Home and what is below it, the node's /etc/hosts
// (hosts) for the names the node resolves, and /dev/null (empty, and what is written to it
// is gone). Nothing else exists but the directories on the way to them, and nothing else
// can be written.
type workspace struct {
	opts  *Options
	hosts func() string
	// made are the directories mkdir made that hold no file yet (workspace paths): they
	// exist for this session, so that `mkdir app && cd app` works; a file written in one
	// makes it part of the workspace for good.
	made map[string]bool
	// scratch holds the node's directories outside the workspace (tmpfs.go); nil: none.
	scratch *sh.FS
}

var _ sh.Files = workspace{}

// workspace is the session's workspace, with the directories mkdir made in it.
func (s *Session) workspace() workspace {
	if s.madeDirs == nil {
		s.madeDirs = map[string]bool{}
	}
	return workspace{opts: &s.opts, hosts: s.hostsFile, made: s.madeDirs, scratch: s.scratchFS()}
}

// rel turns a clean absolute shell path into a workspace path ("." for Home); ok is false
// outside the workspace.
func rel(p string) (string, bool) {
	switch {
	case p == Home:
		return ".", true
	case strings.HasPrefix(p, Home+"/"):
		return p[len(Home)+1:], true
	}
	return "", false
}

// above reports whether p is a directory on the way to Home, /etc/hosts or /dev/null.
func above(p string) bool {
	return p == "/" || p == "/etc" || p == "/dev" || strings.HasPrefix(Home, p+"/")
}

const (
	hostsFile = "/etc/hosts"
	devNull   = "/dev/null"
)

func notExist(op, p string) error { return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist} }

func (w workspace) Stat(p string) (sh.FileInfo, error) {
	if w.scratchPath(p) {
		return w.scratch.Stat(p)
	}
	r, ok := rel(p)
	switch {
	case above(p) || r == ".":
		return sh.FileInfo{Name: path.Base(p), IsDir: true, Mode: 0o755}, nil
	case p == hostsFile:
		return sh.FileInfo{Name: "hosts", Size: len(w.hosts()), Mode: 0o644}, nil
	case p == devNull:
		return sh.FileInfo{Name: "null", Mode: 0o666}, nil
	case !ok:
		return sh.FileInfo{}, notExist("stat", p)
	}
	data, err := w.read(r)
	if err == nil {
		return sh.FileInfo{Name: path.Base(p), Size: len(data), Mode: 0o644}, nil
	}
	// A directory: one that lists (reading it failed, with "is a directory" on an OS's
	// file system), or one mkdir made.
	if w.opts.ListDir != nil {
		if _, lerr := w.opts.ListDir(r); lerr == nil {
			return sh.FileInfo{Name: path.Base(p), IsDir: true, Mode: 0o755}, nil
		}
	}
	if w.made[r] {
		return sh.FileInfo{Name: path.Base(p), IsDir: true, Mode: 0o755}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return sh.FileInfo{}, err
	}
	return sh.FileInfo{}, notExist("stat", p)
}

// Lstat is Stat: the workspace has no symbolic links.
func (w workspace) Lstat(p string) (sh.FileInfo, error) { return w.Stat(p) }

func (w workspace) read(r string) (string, error) {
	if w.opts.ReadFile == nil {
		return "", notExist("open", r)
	}
	data, err := w.opts.ReadFile(r)
	return string(data), err
}

func (w workspace) ReadFile(p string) (string, error) {
	if w.scratchPath(p) {
		return w.scratch.ReadFile(p)
	}
	switch p {
	case hostsFile:
		return w.hosts(), nil
	case devNull:
		return "", nil
	}
	r, ok := rel(p)
	if !ok || r == "." {
		if above(p) || r == "." {
			return "", &fs.PathError{Op: "read", Path: p, Err: sh.ErrIsDir}
		}
		return "", notExist("open", p)
	}
	data, err := w.read(r)
	if err != nil {
		if st, serr := w.Stat(p); serr == nil && st.IsDir {
			return "", &fs.PathError{Op: "read", Path: p, Err: sh.ErrIsDir}
		}
		if errors.Is(err, fs.ErrNotExist) {
			return "", notExist("open", p)
		}
	}
	return data, err
}

// writable is the workspace path of p, or why p cannot be written.
func (w workspace) writable(p string) (string, error) {
	r, ok := rel(p)
	switch {
	case !ok:
		return "", errOutside
	case r == ".":
		return "", &fs.PathError{Op: "open", Path: p, Err: sh.ErrIsDir}
	case w.opts.WriteFile == nil:
		return "", errors.New("writing files is not available here")
	}
	return r, nil
}

func (w workspace) WriteFile(p, data string) error {
	if w.scratchPath(p) {
		return w.scratch.WriteFile(p, data)
	}
	if p == devNull {
		return nil
	}
	r, err := w.writable(p)
	if err != nil {
		return err
	}
	return w.opts.WriteFile(r, []byte(data))
}

func (w workspace) AppendFile(p, data string) error {
	if w.scratchPath(p) {
		return w.scratch.AppendFile(p, data)
	}
	if p == devNull {
		return nil
	}
	r, err := w.writable(p)
	if err != nil {
		return err
	}
	old, err := w.read(r)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return w.opts.WriteFile(r, []byte(old+data))
}

func (w workspace) ReadDir(p string) ([]sh.FileInfo, error) {
	if w.scratchPath(p) {
		return w.scratch.ReadDir(p)
	}
	r, ok := rel(p)
	if !ok {
		switch p {
		case "/":
			ents := append([]sh.FileInfo{{Name: "dev", IsDir: true, Mode: 0o755}, {Name: "etc", IsDir: true, Mode: 0o755}, {Name: path.Base(Home), IsDir: true, Mode: 0o755}}, w.scratchRoot()...)
			sort.Slice(ents, func(i, j int) bool { return ents[i].Name < ents[j].Name })
			return ents, nil
		case "/etc":
			return []sh.FileInfo{{Name: "hosts", Size: len(w.hosts()), Mode: 0o644}}, nil
		case "/dev":
			return []sh.FileInfo{{Name: "null", Mode: 0o666}}, nil
		}
		if above(p) {
			return []sh.FileInfo{{Name: path.Base(Home), IsDir: true, Mode: 0o755}}, nil
		}
		return nil, notExist("open", p)
	}
	var names []string
	var err error
	if w.opts.ListDir != nil {
		names, err = w.opts.ListDir(r)
	} else {
		err = notExist("open", p)
	}
	// The directories mkdir made here are entries too.
	for d := range w.made {
		if path.Dir(d) == r && !slices.Contains(names, path.Base(d)) {
			names, err = append(names, path.Base(d)), nil
		}
	}
	if err != nil {
		if r == "." && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	sort.Strings(names)
	out := make([]sh.FileInfo, 0, len(names))
	for _, n := range names {
		if st, err := w.Stat(path.Join(p, n)); err == nil {
			out = append(out, st)
		}
	}
	return out, nil
}

// Directories exist in the workspace as the paths of its files; one that mkdir makes
// exists for the session (made) until a file is written in it.
func (w workspace) Mkdir(p string) error {
	if w.scratchPath(p) {
		return w.scratch.Mkdir(p)
	}
	r, ok := rel(p)
	if !ok {
		return errOutside
	}
	if _, err := w.Stat(p); err == nil {
		return &fs.PathError{Op: "mkdir", Path: p, Err: fs.ErrExist}
	}
	if st, err := w.Stat(path.Dir(p)); err != nil || !st.IsDir {
		return &fs.PathError{Op: "mkdir", Path: p, Err: fs.ErrNotExist}
	}
	w.made[r] = true
	return nil
}

func (w workspace) MkdirAll(p string) error {
	if w.scratchPath(p) {
		return w.scratch.MkdirAll(p)
	}
	r, ok := rel(p)
	if !ok {
		if above(p) {
			return nil
		}
		return errOutside
	}
	for ; r != "."; r = path.Dir(r) {
		if st, err := w.Stat(path.Join(Home, r)); err == nil {
			if !st.IsDir {
				return &fs.PathError{Op: "mkdir", Path: p, Err: sh.ErrNotDir}
			}
			continue
		}
		w.made[r] = true
	}
	return nil
}

func (w workspace) Remove(p string) error {
	if w.scratchPath(p) {
		return w.scratch.Remove(p)
	}
	r, ok := rel(p)
	switch {
	case !ok || r == ".":
		return errOutside
	case w.made[r]:
		delete(w.made, r) // rmdir of a directory mkdir made
		return nil
	case w.opts.RemoveFile == nil:
		return errors.New("removing files is not available here")
	}
	return w.opts.RemoveFile(r)
}

func (w workspace) RemoveAll(p string) error {
	if w.scratchPath(p) {
		return w.scratch.RemoveAll(p)
	}
	r, ok := rel(p)
	if !ok || r == "." {
		return errOutside
	}
	st, err := w.Stat(p)
	if err != nil {
		return nil
	}
	if !st.IsDir {
		return w.Remove(p)
	}
	ents, err := w.ReadDir(p)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := w.RemoveAll(path.Join(p, e.Name)); err != nil {
			return err
		}
	}
	delete(w.made, r)
	return nil
}

// The workspace keeps no modification times (the scratch filesystem does).
func (w workspace) SetModTime(p string, t time.Time) error {
	if w.scratchPath(p) {
		return w.scratch.SetModTime(p, t)
	}
	return nil
}

// resolve turns a path a command names (kubectl apply -f x.yaml) into the path the
// session's file reader takes: relative to the workspace, from the shell's working
// directory; an absolute path outside the workspace is passed on as it is (the CLI reads
// the OS's files).
func resolve(dir, p string) string {
	if strings.HasPrefix(p, "/") {
		if r, ok := rel(path.Clean(p)); ok {
			return r
		}
		return p
	}
	if r, ok := rel(dir); ok && r != "." {
		trail := ""
		if strings.HasSuffix(p, "/") {
			trail = "/"
		}
		return path.Join(r, p) + trail
	}
	return p
}
