package persist

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/hack-pad/hackpadfs"
)

// File names inside a state directory.
const (
	FileName     = "cluster.json"
	tempFileName = FileName + ".tmp"
	prevFileName = FileName + ".prev"
)

// ErrNoState is returned by Load for a directory that holds no cluster yet.
var ErrNoState = errors.New("no saved cluster")

var errNewer = errors.New("written by a newer kubetab")

// ErrCorrupt is wrapped by Load's error when no stored version can be read.
var ErrCorrupt = errors.New("saved cluster is unreadable")

// Save stores st in the state directory fsys (a hackpadfs file system rooted at that
// directory). It replaces the previous state atomically: a crash at any point leaves either
// the old or the new state loadable. fsys must support OpenFile and Rename.
func Save(fsys hackpadfs.FS, st State) error {
	if st.Format == 0 {
		st.Format = FormatVersion
	}
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("saving cluster: %w", err)
	}
	if err := writeSynced(fsys, tempFileName, data); err != nil {
		return fmt.Errorf("saving cluster: %w", err)
	}
	// Keep the current version as .prev, so that a newest file damaged after the fact (a
	// file system that lost the last write) still leaves something to load.
	if _, err := hackpadfs.Stat(fsys, FileName); err == nil {
		if err := hackpadfs.Rename(fsys, FileName, prevFileName); err != nil {
			return fmt.Errorf("saving cluster: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("saving cluster: %w", err)
	}
	if err := hackpadfs.Rename(fsys, tempFileName, FileName); err != nil {
		return fmt.Errorf("saving cluster: %w", err)
	}
	syncDir(fsys)
	return nil
}

// writeSynced writes a whole file and flushes it to storage before returning.
func writeSynced(fsys hackpadfs.FS, name string, data []byte) error {
	f, err := hackpadfs.OpenFile(fsys, name, hackpadfs.FlagWriteOnly|hackpadfs.FlagCreate|hackpadfs.FlagTruncate, 0o644)
	if err != nil {
		return err
	}
	if _, err := hackpadfs.WriteFile(f, data); err != nil {
		f.Close()
		return err
	}
	// Key-value backends (memory, IndexedDB) have no Sync: each write is already stored.
	if err := hackpadfs.SyncFile(f); err != nil && !errors.Is(err, hackpadfs.ErrNotImplemented) {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes the renames durable where the backend can (a directory fsync on the OS).
// Failing here loses at most the newest save after a power cut, never consistency, so
// errors are ignored.
func syncDir(fsys hackpadfs.FS) {
	d, err := fsys.Open(".")
	if err != nil {
		return
	}
	_ = hackpadfs.SyncFile(d)
	_ = d.Close()
}

// Load returns the state saved in fsys: the newest readable version. It returns an error
// wrapping ErrNoState for a directory without a saved cluster, and one wrapping ErrCorrupt
// when versions exist but none can be read.
func Load(fsys hackpadfs.FS) (State, error) {
	var problems []error
	for _, name := range []string{FileName, prevFileName} {
		data, err := hackpadfs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", name, err))
			continue
		}
		st, err := decode(data)
		if errors.Is(err, errNewer) {
			// Falling back to an older version would silently drop what the newer build
			// saved.
			return State{}, fmt.Errorf("%s: %w", name, err)
		}
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", name, err))
			continue
		}
		return st, nil
	}
	if len(problems) == 0 {
		return State{}, ErrNoState
	}
	return State{}, fmt.Errorf("%w: %w", ErrCorrupt, errors.Join(problems...))
}

func decode(data []byte) (State, error) {
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, err
	}
	switch {
	case st.Format <= 0:
		return State{}, errors.New("not a kubetab cluster file (no format version)")
	case st.Format > FormatVersion:
		return State{}, fmt.Errorf("%w (format %d; this build reads up to %d)", errNewer, st.Format, FormatVersion)
	}
	return st, nil
}
