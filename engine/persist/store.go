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
	PrevFileName = FileName + ".prev"
	// TempPrefix starts the name of every temporary file Save writes; a file so named is
	// never read, and one left by a killed writer is harmless.
	TempPrefix = FileName + ".tmp"
)

// ErrNoState is returned by Load for a directory that holds no cluster yet.
var ErrNoState = errors.New("no saved cluster")

var errNewer = errors.New("written by a newer kubetab")

// ErrCorrupt is wrapped by Load's error (an *UnreadableError) when the directory holds a
// cluster that cannot be read, and by Save's when it refuses to replace one.
var ErrCorrupt = errors.New("saved cluster is unreadable")

// UnreadableError says why a state directory's cluster cannot be loaded: cluster.json
// exists but cannot be read or parsed, or it is missing while cluster.json.prev exists.
// Load never falls back to cluster.json.prev by itself (that would silently bring back an
// older cluster, and the next save would replace the newer one for good); Previous tells
// the caller whether restoring it by hand would help.
type UnreadableError struct {
	// File is the file at fault, relative to the state directory (FileName).
	File string
	Err  error
	// Previous is set when cluster.json.prev holds a cluster that loads.
	Previous bool
}

func (e *UnreadableError) Error() string { return e.File + ": " + e.Err.Error() }

// Unwrap makes the error match ErrCorrupt and the cause.
func (e *UnreadableError) Unwrap() []error { return []error{ErrCorrupt, e.Err} }

// SaveOptions adjust Save.
type SaveOptions struct {
	// TempSuffix ends the names of the temporary files, so that writers in different
	// processes never write the same one (the CLI passes its process id).
	TempSuffix string
	// Replace lets Save replace a cluster.json that cannot be read: the user asked for a
	// new cluster (kubetab reset). The unreadable file is kept as cluster.json.prev.
	Replace bool
}

// Save stores st in the state directory fsys (a hackpadfs file system rooted at that
// directory), as SaveWith does with no options.
func Save(fsys hackpadfs.FS, st State) error { return SaveWith(fsys, st, SaveOptions{}) }

// SaveWith stores st in the state directory fsys. fsys must support OpenFile and Rename,
// and Rename must replace an existing file in one step (POSIX rename, hackpadfs's key-value
// stores). cluster.json is replaced only by a rename, so it is whole at every instant: a
// crash at any point leaves the old or the new state loadable.
//
// The current cluster.json is kept as cluster.json.prev (copied, so that there is never a
// moment without cluster.json). Save refuses, with an error wrapping ErrCorrupt, to
// replace a cluster.json it cannot read or parse, or to write one while only
// cluster.json.prev exists: what Load cannot read is never overwritten, unless
// opts.Replace says so.
func SaveWith(fsys hackpadfs.FS, st State, opts SaveOptions) error {
	st.Format = formatFor(st)
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("saving cluster: %w", err)
	}
	temp := TempPrefix + opts.TempSuffix
	cur, rerr := hackpadfs.ReadFile(fsys, FileName)
	if rerr == nil {
		rerr = checkFormat(cur)
	}
	switch {
	case errors.Is(rerr, fs.ErrNotExist):
		if !opts.Replace {
			if _, err := hackpadfs.Stat(fsys, PrevFileName); err == nil {
				return fmt.Errorf("saving cluster: %w", missingError(true))
			}
		}
	case rerr != nil && opts.Replace:
		// Kept aside whole, whatever it is, by a rename: it may not even be readable.
		if err := hackpadfs.Rename(fsys, FileName, PrevFileName); err != nil {
			return fmt.Errorf("saving cluster: cannot keep the unreadable %s as %s (%w): move it away by hand", FileName, PrevFileName, err)
		}
	case rerr != nil:
		return fmt.Errorf("saving cluster: refusing to replace it: %w", &UnreadableError{File: FileName, Err: rerr})
	default:
		// The current version is kept as .prev, so that a newest file damaged after the
		// fact (a file system that lost the last write) still leaves something to restore.
		if err := writeAtomic(fsys, PrevFileName, temp, cur); err != nil {
			return fmt.Errorf("saving cluster: %w", err)
		}
	}
	if err := writeAtomic(fsys, FileName, temp, data); err != nil {
		return fmt.Errorf("saving cluster: %w", err)
	}
	return nil
}

// writeAtomic replaces name with data: written to temp and flushed, renamed over name, then
// the directory flushed so that the rename itself is durable.
func writeAtomic(fsys hackpadfs.FS, name, temp string, data []byte) error {
	if err := writeSynced(fsys, temp, data); err != nil {
		return err
	}
	if err := hackpadfs.Rename(fsys, temp, name); err != nil {
		return err
	}
	syncDir(fsys)
	return nil
}

// writeSynced writes a whole file and flushes it to storage before returning.
func writeSynced(fsys hackpadfs.FS, name string, data []byte) error {
	return writeFlushed(fsys, name, data, hackpadfs.FlagTruncate)
}

// AppendSynced adds data to the end of a file (made when missing) and flushes it to
// storage before returning: an append-only log's record.
func AppendSynced(fsys hackpadfs.FS, name string, data []byte) error {
	return writeFlushed(fsys, name, data, hackpadfs.FlagAppend)
}

func writeFlushed(fsys hackpadfs.FS, name string, data []byte, mode int) error {
	f, err := hackpadfs.OpenFile(fsys, name, hackpadfs.FlagWriteOnly|hackpadfs.FlagCreate|mode, 0o644)
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

// syncDir makes renames durable where the backend can (a directory fsync on the OS).
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

// Load returns the state saved in fsys, from cluster.json alone. It returns ErrNoState for
// a directory without a saved cluster, an *UnreadableError (wrapping ErrCorrupt) when
// cluster.json cannot be read or parsed or only cluster.json.prev exists, and an error
// naming the file when it was written by a newer kubetab.
func Load(fsys hackpadfs.FS) (State, error) {
	data, err := hackpadfs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		if _, perr := hackpadfs.Stat(fsys, PrevFileName); perr == nil {
			return State{}, missingError(previousLoads(fsys))
		}
		return State{}, ErrNoState
	}
	if err == nil {
		var st State
		st, err = decode(data)
		if err == nil {
			return st, nil
		}
	}
	if errors.Is(err, errNewer) {
		return State{}, fmt.Errorf("%s: %w", FileName, err)
	}
	return State{}, &UnreadableError{File: FileName, Err: err, Previous: previousLoads(fsys)}
}

// LoadPrevious returns the state kept in cluster.json.prev, for a caller that restores it
// on the user's word.
func LoadPrevious(fsys hackpadfs.FS) (State, error) {
	data, err := hackpadfs.ReadFile(fsys, PrevFileName)
	if err != nil {
		return State{}, err
	}
	st, err := decode(data)
	if err != nil {
		return State{}, fmt.Errorf("%s: %w", PrevFileName, err)
	}
	return st, nil
}

func previousLoads(fsys hackpadfs.FS) bool {
	_, err := LoadPrevious(fsys)
	return err == nil
}

func missingError(previous bool) *UnreadableError {
	return &UnreadableError{File: FileName, Err: fmt.Errorf("missing, but %s exists", PrevFileName), Previous: previous}
}

func decode(data []byte) (State, error) {
	if err := checkFormat(data); err != nil {
		return State{}, err
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, err
	}
	return st, nil
}

// checkFormat checks that data is one JSON document of a format this build reads, without
// decoding the journal.
func checkFormat(data []byte) error {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		if len(data) == 0 {
			return errors.New("empty file")
		}
		return err
	}
	switch {
	case head.Format <= 0:
		return errors.New("not a kubetab cluster file (no format version)")
	case head.Format > FormatVersion:
		return fmt.Errorf("%w (format %d; this build reads up to %d)", errNewer, head.Format, FormatVersion)
	}
	return nil
}
