//go:build !wasm

package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"
	osfs "github.com/hack-pad/hackpadfs/os"

	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
)

// lockFileName is the file of a state directory whose OS lock one kubetab holds while it
// loads, runs and saves. It is never removed: removing a lock file lets a waiting process
// lock the removed file while a newcomer locks a new one.
const lockFileName = "cluster.lock"

// lockWait is how long an invocation waits for another to finish with the directory.
var lockWait = 5 * time.Second

// stateDir is a --state directory, locked by this process.
type stateDir struct {
	name   string // as the user wrote it, for messages
	dir    string // absolute
	fsys   hackpadfs.FS
	unlock func()
	// replace lets the save replace a cluster.json that could not be read (reset).
	replace bool
}

// openStateDir creates the directory if needed and takes its lock, waiting up to lockWait
// for another kubetab to finish with it.
func openStateDir(name string) (*stateDir, error) {
	dir, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockDir(filepath.Join(dir, lockFileName), lockWait)
	if err != nil {
		return nil, err
	}
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(filepath.ToSlash(dir), "/"))
	if err != nil {
		unlock()
		return nil, err
	}
	d := &stateDir{name: name, dir: dir, fsys: fsys, unlock: unlock}
	d.removeStaleTemporaryFiles()
	return d, nil
}

func (d *stateDir) close() { d.unlock() }

// removeStaleTemporaryFiles removes what killed writers left: with the lock held, no
// temporary file is being written.
func (d *stateDir) removeStaleTemporaryFiles() {
	entries, _ := os.ReadDir(d.dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), persist.TempPrefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(d.dir, e.Name()))
		}
	}
}

// load opens the saved session, or a new one from opts when the directory holds none
// (fresh). A saved cluster that cannot be read is an error that names the file and says
// what to do, and nothing is written afterwards, unless reset asks for a new cluster:
// then the unreadable file is kept as cluster.json.prev.
func (d *stateDir) load(opts terminal.Options, reset bool, stderr io.Writer) (s *terminal.Session, fresh bool, err error) {
	s, fresh, err = terminal.Load(d.fsys, opts)
	var ue *persist.UnreadableError
	if errors.As(err, &ue) && reset {
		d.replace = true
		fmt.Fprintf(stderr, "kubetab: warning: the saved cluster could not be loaded (%s); reset replaces it, and the unreadable %s is kept as %s\n",
			ue, d.path(ue.File), d.path(persist.PrevFileName))
		s, err = terminal.New(opts)
		return s, true, err
	}
	if ue != nil {
		msg := fmt.Sprintf("cannot load the cluster saved in %s: %s.\nNothing was changed. To start over with a new cluster: kubetab --state %s reset",
			d.path(ue.File), ue.Err, quoteArg(d.name))
		if ue.Previous {
			msg += fmt.Sprintf("\nTo go back to the previous save instead: mv %s %s",
				quoteArg(filepath.Join(d.name, persist.PrevFileName)), quoteArg(filepath.Join(d.name, persist.FileName)))
		}
		return nil, false, errors.New(msg)
	}
	if err != nil {
		return nil, false, fmt.Errorf("loading the cluster in %s: %w", d.name, err)
	}
	return s, fresh, nil
}

// save stores the session when it differs from before (its state's JSON when loaded), or
// always with force.
func (d *stateDir) save(s *terminal.Session, before []byte, force bool) error {
	st := s.State()
	if !force && !d.replace {
		if after := stateKey(st); after != nil && bytes.Equal(before, after) {
			return nil
		}
	}
	opts := persist.SaveOptions{TempSuffix: "-" + strconv.Itoa(os.Getpid()), Replace: d.replace}
	if err := persist.SaveWith(d.fsys, st, opts); err != nil {
		return fmt.Errorf("saving the cluster in %s: %w", d.name, err)
	}
	return nil
}

// stateKey tells states apart for save: their JSON, with a snapshot (megabytes to
// compress) stood for by its virtual time and journal, which only a new snapshot changes.
// nil when the state cannot be encoded.
func stateKey(st persist.State) []byte {
	if snap := st.Snapshot; snap != nil {
		st.Snapshot = &persist.Snapshot{Engine: snap.Engine, Streams: snap.Streams, Time: snap.Time, Journal: snap.Journal}
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil
	}
	return b
}

// path is a file of the directory as the user would write it.
func (d *stateDir) path(file string) string { return filepath.Join(d.name, file) }

// quoteArg quotes a path for a shell command the user may copy.
func quoteArg(s string) string { return terminal.Quote([]string{s}) }

// readAtMost reads r to its end, or up to limit bytes: within is false when r holds more,
// and then reading stopped one byte past the limit.
func readAtMost(r io.Reader, limit int) (data []byte, within bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if len(data) > limit {
		return nil, false, err
	}
	return data, true, err
}

// readFileAtMost is readAtMost on a file; a regular file over the limit is refused before
// any of it is read.
func readFileAtMost(name string, limit int) (data []byte, within bool, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > int64(limit) {
		return nil, false, nil
	}
	return readAtMost(f, limit)
}

// busyError is the error of a lock that another kubetab held for longer than wait.
func busyError(lockFile string, wait time.Duration) error {
	return fmt.Errorf("another kubetab is using the cluster in %s (waited %s for %s); try again when it has finished", filepath.Dir(lockFile), wait, filepath.Base(lockFile))
}
