package terminal

import (
	"path"
	"sort"
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/persist"
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

// readScratch reads a file kubectl names (-f, --key, --from-file) when the scratch
// filesystem holds it; ok is false for any other path.
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
	if err != nil {
		// Not a scratch file: the host's reader answers, as before the scratch existed (the
		// CLI reads the OS's files, scripts' ../manifests/...).
		return nil, false, nil
	}
	return []byte(s), true, nil
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

// saveScratch adds the scratch filesystem's files and openssl's count to the saved shell
// state (made when there is none and they are not empty).
func (s *Session) saveScratch(p *persist.Shell) *persist.Shell {
	files := map[string]persist.Text{}
	if s.scratch != nil {
		var walk func(dir string)
		walk = func(dir string) {
			ents, _ := s.scratch.ReadDir(dir)
			for _, e := range ents {
				full := path.Join(dir, e.Name)
				if e.IsDir {
					files[full+"/"] = ""
					walk(full)
				} else if data, err := s.scratch.ReadFile(full); err == nil {
					files[full] = persist.Text(data)
				}
			}
		}
		walk("/")
		if _, tmp := files["/tmp/"]; tmp && len(files) == 1 {
			files = nil // as it starts
		}
	}
	if len(files) == 0 && s.draws == 0 {
		return p
	}
	if p == nil {
		p = &persist.Shell{}
	}
	if len(files) > 0 {
		p.Scratch = files
	}
	p.Draws = s.draws
	return p
}

// restoreScratch puts saved scratch files and openssl's count back.
func (s *Session) restoreScratch(p *persist.Shell) {
	s.draws = p.Draws
	if len(p.Scratch) == 0 {
		return
	}
	f := s.scratchFS()
	names := make([]string, 0, len(p.Scratch))
	for n := range p.Scratch {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if dir, ok := strings.CutSuffix(n, "/"); ok {
			_ = f.MkdirAll(dir)
			continue
		}
		_ = f.MkdirAll(path.Dir(n))
		_ = f.WriteFile(n, string(p.Scratch[n]))
	}
}
