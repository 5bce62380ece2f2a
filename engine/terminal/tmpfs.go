package terminal

import (
	"path"
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// The node's own directories outside the workspace (/tmp, and what mkdir makes there, such
// as the /d/tmp a docs page writes its keys to) are a scratch filesystem in memory, shared
// by the session's terminals: `openssl req ... -keyout /tmp/nginx.key` writes there, and
// `kubectl create secret tls --key /tmp/nginx.key` reads it back. Like a tmpfs it is gone
// when the tab reloads (what kubectl read from it is in the journal, so a replay needs
// none of it). /etc and /dev stay the workspace's: only /etc/hosts and /dev/null.

// newScratch is the scratch filesystem a session starts with: an empty /tmp.
func newScratch() *sh.FS {
	f := sh.NewFS()
	_ = f.MkdirAll("/tmp")
	_ = f.Chmod("/tmp", 0o1777)
	return f
}

// scratchPath tells whether the clean absolute path p belongs to the scratch filesystem.
func (w workspace) scratchPath(p string) bool {
	if w.scratch == nil || p == hostsFile || p == devNull || above(p) {
		return false
	}
	if _, ok := rel(p); ok {
		return false
	}
	return !strings.HasPrefix(p, "/etc/") && !strings.HasPrefix(p, "/dev/")
}

// scratchRoot lists the scratch filesystem's top-level entries, for `ls /`.
func (w workspace) scratchRoot() []sh.FileInfo {
	if w.scratch == nil {
		return nil
	}
	ents, _ := w.scratch.ReadDir("/")
	return ents
}

// readScratch reads a file kubectl names (-f, --key, --from-file) when it is in the
// scratch filesystem; ok is false for a workspace path.
func readScratch(scratch *sh.FS, dir, p string) (data []byte, ok bool, err error) {
	if scratch == nil {
		return nil, false, nil
	}
	if !strings.HasPrefix(p, "/") {
		p = path.Join(dir, p)
	}
	p = path.Clean(p)
	if !(workspace{scratch: scratch}).scratchPath(p) {
		return nil, false, nil
	}
	s, err := scratch.ReadFile(p)
	return []byte(s), true, err
}

// inScratch reads p into data and err when it is a scratch file, for a switch case.
func inScratch(scratch *sh.FS, dir, p string, data *[]byte, err *error) bool {
	d, ok, e := readScratch(scratch, dir, p)
	if ok {
		*data, *err = d, e
	}
	return ok
}

// scratchFS is the session's scratch filesystem, made on first use.
func (s *Session) scratchFS() *sh.FS {
	if s.scratch == nil {
		s.scratch = newScratch()
	}
	return s.scratch
}
