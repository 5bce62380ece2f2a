package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
)

// The journal's log. Writing cluster.json whole takes long once the journal is long, and a
// tab closed meanwhile (or before the debounced save) lost the commands since the last
// save. So what each command changed in the journal is first appended to the context's
// cluster.log, one line of JSON (a logRecord), before the command's result is given back
// (Exec returns, the page hears of it); the saver then compacts at its own pace: it writes
// cluster.json with the sequence number of the last record it includes (persist.State's
// Log) and removes the log. A load reads cluster.json, then applies the log's records
// past that number in order; a record cut short (the tab closed in the middle of an
// append) ends the log, with a notice, and the records before it still count.
//
// Appends and compactions hold Shell.saveMu, so a compaction never sees half a record's
// bookkeeping, and the log after a compaction only holds records it did not include.

// logFileName is the log beside cluster.json (with the context's prefix).
const logFileName = "cluster.log"

// logRecord is one line of cluster.log: the journal becomes its first Kept entries
// followed by Added, and the rest of the state (seed, start, shell...) becomes the
// record's. A record with Kept 0 holds the whole journal (a reset, an import, a snapshot)
// and the snapshot it follows, if any.
type logRecord struct {
	Seq      uint64            `json:"seq"`
	Kept     int               `json:"kept"`
	Added    []persist.Entry   `json:"added,omitempty"`
	Snapshot *persist.Snapshot `json:"snapshot,omitempty"`
	Engine   string            `json:"engine"`
	Streams  int               `json:"streams,omitempty"`
	Seed     uint64            `json:"seed"`
	Start    time.Time         `json:"start"`
	Shell    *persist.Shell    `json:"shell,omitempty"`
	// Terminals are the shells of the terminal tabs after the first (persist.State's).
	Terminals []*persist.Shell `json:"terminals,omitempty"`
}

// apply makes st the state after the record (its journal is not shared with st's).
func (r logRecord) apply(st *persist.State) error {
	if r.Kept > len(st.Journal) {
		return fmt.Errorf("record %d keeps %d journal entries of %d", r.Seq, r.Kept, len(st.Journal))
	}
	st.Journal = append(st.Journal[:r.Kept:r.Kept], r.Added...)
	if r.Kept == 0 {
		st.Snapshot = r.Snapshot
	}
	st.Engine, st.Streams, st.Seed, st.Start, st.Shell = r.Engine, r.Streams, r.Seed, r.Start, r.Shell
	st.Terminals = r.Terminals
	st.Log = r.Seq
	if st.Format == 0 {
		st.Format = persist.FormatVersion
	}
	return nil
}

// appendLog adds a record to the end of the log and flushes it.
func (s *Storage) appendLog(r logRecord) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return persist.AppendSynced(s.fsys, logFileName, append(data, '\n'))
}

// removeLog removes the log once cluster.json includes all of it.
func (s *Storage) removeLog() error {
	err := hackpadfs.Remove(s.fsys, logFileName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// readLog returns the log's whole records; torn says the last line was cut short or
// unreadable (what follows a bad line is not read: records only make sense in order).
func (s *Storage) readLog() (recs []logRecord, torn bool, err error) {
	data, err := hackpadfs.ReadFile(s.fsys, logFileName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return recs, true, nil
		}
		var r logRecord
		if err := json.Unmarshal(data[:i], &r); err != nil {
			return recs, true, nil
		}
		recs = append(recs, r)
		data = data[i+1:]
	}
	return recs, false, nil
}

// loadLogged loads a context's session: cluster.json, then the log's records it does not
// include. fresh says there was neither; notice says what of the log could not be used.
func loadLogged(store *Storage, opts terminal.Options) (s *terminal.Session, fresh bool, notice string, err error) {
	st, err := persist.Load(store.fsys)
	none := errors.Is(err, persist.ErrNoState)
	if err != nil && !none {
		// The log is left alone, and nothing is appended to it: it follows a cluster.json
		// that cannot be read.
		store.logBroken = true
		return nil, false, "", err
	}
	recs, torn, err := store.readLog()
	if err != nil {
		return nil, false, "", fmt.Errorf("%s: %w", logFileName, err)
	}
	if torn {
		notice = "The last change saved in this browser was cut short (the tab closed while saving it): the cluster is restored without it."
	}
	applied, stopped := false, false
	for _, r := range recs {
		store.logSeq = max(store.logSeq, r.Seq)
		if r.Seq <= st.Log || stopped {
			continue
		}
		err := fmt.Errorf("change %d follows change %d", r.Seq, st.Log)
		if r.Seq == st.Log+1 {
			err = r.apply(&st)
		}
		if err != nil {
			notice = "The saved cluster's log does not fit it (" + err.Error() + "): the cluster is restored without the changes from there on."
			stopped = true
			continue
		}
		applied = true
	}
	store.logSeq = max(store.logSeq, st.Log)
	// What follows the bad record would be lost with it at the next load: nothing is
	// appended until a compaction (which the caller asks for) has replaced the log.
	store.logBroken = notice != ""
	if none && !applied {
		s, err = terminal.New(opts)
		store.logSession = s
		return s, true, notice, err
	}
	s, err = terminal.Restore(st, opts)
	store.logSession = s
	return s, false, notice, err
}

// logCommand appends what the last command changed in the journal to the context's log,
// before its result is given back or shown. It runs on the session goroutine with no lock
// held, and takes saveMu then mu as saveNow does.
func (sh *Shell) logCommand() {
	sh.saveMu.Lock()
	defer sh.saveMu.Unlock()
	sh.mu.Lock()
	sh.logPending = false
	store, s := sh.store, sh.session
	if store == nil || store.readOnly || store.logBroken || s == nil {
		sh.mu.Unlock()
		return
	}
	kept, added, changed := s.JournalChanges()
	st := s.State()
	if store.logSession != s {
		// Another session (an import, a fresh cluster): the log records it whole.
		store.logSession = s
		kept, added, changed = 0, st.Journal, true
	}
	sh.mu.Unlock()
	if !changed {
		return
	}
	r := logRecord{Seq: store.logSeq + 1, Kept: kept, Added: added, Engine: st.Engine, Streams: st.Streams, Seed: st.Seed, Start: st.Start, Shell: st.Shell, Terminals: st.Terminals}
	if kept == 0 {
		r.Snapshot = st.Snapshot
	}
	if err := store.appendLog(r); err != nil {
		// A record lost makes the next ones meaningless: none until a compaction.
		store.logBroken = true
		sh.SetNotice("save", "Saving failed ("+err.Error()+"): recent changes may be lost on reload.")
		return
	}
	store.logSeq = r.Seq
}

// checkpointIfDue takes a snapshot of the cluster when the journal since the last one has
// grown enough (terminal.Session.CheckpointDue), so that a reload replays little; the
// session goes on from the snapshot restored, as a reload will (mu held, session
// goroutine: after a command, before its changes are logged; after a tick of the clock,
// whose caller then saves at once, as no log record holds the snapshot until the next
// command). It reports whether it took one; one that fails leaves the session as it was.
func (sh *Shell) checkpointIfDue() bool {
	s := sh.session
	if s == nil || !s.CheckpointDue() {
		return false
	}
	if s.Cluster().Store.Len() >= bigCheckpoint {
		// The snapshot holds the page for seconds: first the page shows the cluster as the
		// command left it, and why it waits (two frames: one may be drawn before the page
		// hears of the change).
		sh.notices["checkpoint"] = "Taking a snapshot of this large cluster, so that a reload is quick: the tab is busy for a while."
		sh.giveTurn()
		sh.giveTurn()
		defer delete(sh.notices, "checkpoint")
	}
	return s.Checkpoint() == nil
}

// bigCheckpoint is the number of objects from which a snapshot holds a tab for seconds
// (~20 s at 10,000 pods, 60,000 objects; a variable for tests).
var bigCheckpoint = 10_000
