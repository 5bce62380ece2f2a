package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
)

// DatabaseName is the site's IndexedDB database in the browser (storage_wasm.go), which
// each page starts opening from its head (app/server's storagePrelude,
// public/web/storage-prelude.js).
const DatabaseName = "kubetab"

// Storage is where a tab keeps its clusters between visits: a hackpadfs directory (IndexedDB
// in the browser, memory in tests) holding, for each context (context.go), its files named
// with the context's prefix ("lessons.02-rc.tab.json"; none for the playground's, as before
// there were contexts):
//
//	cluster.json, cluster.json.prev   the cluster, through engine/persist as the CLI keeps it
//	cluster.log                       the journal's changes since cluster.json (journal.go)
//	tab.json                          the workspace files, the clock settings, the
//	                                  transcript's tail, the command history, the editor's draft
//
// and progress.json, every lesson's progress (lesson.go). A Storage value is one
// context's view of the site's storage (In makes another's). A read-only storage (another
// tab is the writer, or a context holds something this build must not overwrite) loads but
// never writes.
type Storage struct {
	root     *storageRoot
	fsys     hackpadfs.FS // the context's files
	readOnly bool

	// The journal's log (journal.go), guarded by Shell.saveMu: the last record's sequence
	// number, the session the log follows (another one is logged whole), and whether an
	// append or a removal failed (then nothing is appended until a compaction succeeds).
	logSeq     uint64
	logSession *terminal.Session
	logBroken  bool
}

// storageRoot is the site's storage, shared by every context's Storage.
type storageRoot struct {
	fsys     hackpadfs.FS
	readOnly bool // another tab is the writer
}

// newStorage is the storage of fsys, in the playground's context.
func newStorage(fsys hackpadfs.FS, readOnly bool) *Storage {
	return &Storage{root: &storageRoot{fsys: fsys, readOnly: readOnly}, fsys: fsys, readOnly: readOnly}
}

// In is the storage of a context (ContextDir names it).
func (s *Storage) In(ctx string) *Storage {
	if s == nil {
		return nil
	}
	fsys := s.root.fsys
	if dir := ContextDir(ctx); dir != "" {
		fsys = prefixFS{fsys, strings.ReplaceAll(dir, "/", ".") + "."}
	}
	return &Storage{root: s.root, fsys: fsys, readOnly: s.root.readOnly}
}

const (
	tabFileName   = "tab.json"
	tabFileFormat = 1
	// savedTranscript bounds the scroll-back kept across reloads.
	savedTranscript = 64 << 10
)

// tabState is tab.json.
type tabState struct {
	Format     int                     `json:"format"`
	Files      map[string]persist.Text `json:"files"`
	Playing    bool                    `json:"playing"`
	Speed      float64                 `json:"speed"`
	Transcript persist.Text            `json:"transcript,omitempty"`
	History    []string                `json:"history,omitempty"`
	Draft      *Draft                  `json:"draft,omitempty"`
	// Tabs are the terminal tabs after the first (tabs.go); older files have none.
	Tabs []savedTab `json:"tabs,omitempty"`
}

func (t tabState) files() map[string]string {
	out := make(map[string]string, len(t.Files))
	for k, v := range t.Files {
		out[k] = string(v)
	}
	return out
}

func (s *Storage) loadTab() (t tabState, found bool, err error) {
	data, err := hackpadfs.ReadFile(s.fsys, tabFileName)
	if errors.Is(err, fs.ErrNotExist) {
		return tabState{}, false, nil
	}
	if err != nil {
		return tabState{}, false, err
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return tabState{}, false, err
	}
	if t.Format > tabFileFormat {
		return tabState{}, false, fmt.Errorf("written by a newer kubetab (format %d)", t.Format)
	}
	return t, true, nil
}

// saveTab replaces tab.json atomically: a temporary file, then a rename over the old one.
func (s *Storage) saveTab(t tabState) error {
	t.Format = tabFileFormat
	return s.writeJSON(tabFileName, t)
}

// writeJSON replaces a file with v as JSON, atomically: a temporary file, then a rename over
// the old one.
func (s *Storage) writeJSON(name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := hackpadfs.WriteFullFile(s.fsys, tmp, data, 0o644); err != nil {
		return err
	}
	return hackpadfs.Rename(s.fsys, tmp, name)
}

// storage is the shell's storage once the cluster exists; nil when nothing is saved.
func (sh *Shell) storage() *Storage {
	<-sh.ready
	sh.mu.Lock()
	store := sh.store
	sh.mu.Unlock()
	return store
}

// requestSave asks the saver to write what changed; it never blocks.
func (sh *Shell) requestSave() {
	select {
	case sh.saves <- struct{}{}:
	default:
	}
}

// saver writes the tab's state after changes, one save at a time, off the session
// goroutine: storage calls wait for the browser.
func (sh *Shell) saver() {
	for range sh.saves {
		sh.saveNow()
	}
}

// Save writes what changed now and returns when storage has it: for a change a reload
// must find (a shared link's cluster, whose link is replaced by ?shared=<id> once it is
// opened). It waits for the cluster; call it off the UI goroutine.
func (sh *Shell) Save() {
	<-sh.ready
	sh.saveNow()
}

// saveNow writes the parts of the current context whose generation moved past the saved
// one. saveMu makes it one save at a time, whoever asks (the saver, a context switch), and
// keeps a switch from changing the context in the middle of a save.
func (sh *Shell) saveNow() {
	sh.saveMu.Lock()
	defer sh.saveMu.Unlock()
	sh.mu.Lock()
	store := sh.store
	if store == nil || store.readOnly || sh.session == nil {
		sh.mu.Unlock()
		return
	}
	clusterGen, tabGen := sh.clusterGen, sh.tabGen
	// A command whose changes are not logged yet is compacted after they are (its save
	// request follows the append).
	saveCluster, saveTab := clusterGen != sh.savedCluster && !sh.logPending, tabGen != sh.savedTab
	var st persist.State
	if saveCluster {
		st = sh.session.State()
		st.Log = store.logSeq
	}
	var tab tabState
	if saveTab {
		tab = sh.tabStateLocked()
	}
	sh.mu.Unlock()

	var errs []error
	if saveCluster {
		if err := persist.Save(store.fsys, st); err != nil {
			errs = append(errs, err)
		} else {
			sh.savedCluster = clusterGen
			// cluster.json includes every record: the log starts over.
			err := store.removeLog()
			store.logBroken = err != nil
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	if saveTab {
		if err := store.saveTab(tab); err != nil {
			errs = append(errs, err)
		} else {
			sh.savedTab = tabGen
		}
	}
	if err := errors.Join(errs...); err != nil {
		sh.SetNotice("save", "Saving failed ("+err.Error()+"): recent changes may be lost on reload.")
	} else {
		sh.SetNotice("save", "")
	}
}

// tabStateLocked is tab.json as it should be now (mu held).
func (sh *Shell) tabStateLocked() tabState {
	tab := tabState{Playing: sh.playing, Speed: sh.speed, Files: map[string]persist.Text{}, History: slices.Clone(sh.tabs[0].history), Draft: sh.draft}
	t := sh.tabs[0].shown()
	if len(t) > savedTranscript {
		t = t[len(t)-savedTranscript:]
	}
	tab.Transcript = persist.Text(t)
	tab.Tabs = sh.savedTabsLocked()
	for name, text := range sh.files.snapshot() {
		tab.Files[name] = persist.Text(text)
	}
	return tab
}

// bundle is what Export writes and Import reads: the workspace files, the cluster's
// recipe (seed, start, journal), the terminal's command history and the tail of its
// transcript, as JSON. The last two came later: a bundle without them imports as one
// whose terminal was empty.
type bundle struct {
	Kubetab    string                  `json:"kubetab"`
	Format     int                     `json:"format"`
	Files      map[string]persist.Text `json:"files"`
	Cluster    persist.State           `json:"cluster"`
	History    []string                `json:"history,omitempty"`
	Transcript persist.Text            `json:"transcript,omitempty"`
}

const (
	bundleKind   = "bundle"
	bundleFormat = 1
	maxBundle    = 64 << 20
)

func encodeBundle(tab tabState, st persist.State) ([]byte, error) {
	b := bundle{Kubetab: bundleKind, Format: bundleFormat, Files: tab.Files, Cluster: st, History: tab.History, Transcript: tab.Transcript}
	return json.MarshalIndent(b, "", "  ")
}

func decodeBundle(data []byte) (bundle, error) {
	var b bundle
	if len(data) > maxBundle {
		return b, fmt.Errorf("the bundle is too big: %d MB, at most %d MB", len(data)>>20, maxBundle>>20)
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return bundle{}, fmt.Errorf("not a kubetab bundle: %w", err)
	}
	switch {
	case b.Kubetab != bundleKind:
		return bundle{}, errors.New(`not a kubetab bundle (no "kubetab": "bundle")`)
	case b.Format > bundleFormat || b.Cluster.Format > persist.FormatVersion:
		return bundle{}, errors.New("the bundle was written by a newer kubetab")
	case b.Cluster.Format <= 0:
		return bundle{}, errors.New("the bundle holds no cluster")
	}
	for name, text := range b.Files {
		if err := CheckName(name); err != nil {
			return bundle{}, err
		}
		if len(text) > MaxFileBytes {
			return bundle{}, fmt.Errorf("%s is too big: %d bytes, at most %d", name, len(text), MaxFileBytes)
		}
	}
	if len(b.Files) > maxWorkspaceFiles {
		return bundle{}, fmt.Errorf("the bundle has %d files, at most %d", len(b.Files), maxWorkspaceFiles)
	}
	if len(b.History) > maxHistory {
		b.History = b.History[len(b.History)-maxHistory:]
	}
	if len(b.Transcript) > savedTranscript {
		b.Transcript = b.Transcript[len(b.Transcript)-savedTranscript:]
	}
	return b, nil
}

func (b bundle) files() map[string]string {
	out := make(map[string]string, len(b.Files))
	for k, v := range b.Files {
		out[k] = string(v)
	}
	return out
}

// Export returns a bundle of the context's workspace files, cluster, command history and
// transcript, which Import (here or in another browser) turns back into the same.
func (sh *Shell) Export() ([]byte, error) {
	<-sh.ready
	sh.mu.Lock()
	if sh.session == nil {
		sh.mu.Unlock()
		return nil, errors.New("the cluster failed to start")
	}
	tab, st := sh.tabStateLocked(), sh.session.State()
	sh.mu.Unlock()
	return encodeBundle(tab, st)
}

// Import replaces the context's workspace, cluster, command history and transcript with
// a bundle's. It waits for commands before it to finish: call it off the UI goroutine.
func (sh *Shell) Import(data []byte) error {
	b, err := decodeBundle(data)
	if err != nil {
		return err
	}
	sh.command(func() {
		var s *terminal.Session
		s, err = terminal.Restore(b.Cluster, sh.sessionOptions())
		if err != nil {
			err = fmt.Errorf("rebuilding the bundle's cluster: %w", err)
			return
		}
		sh.closeTabs()
		sh.session, sh.err, sh.fresh = s, nil, false
		sh.matchTabs(nil) // the bundle's terminals, empty
		sh.files.replaceQuietly(b.files())
		sh.history, sh.draft = b.History, nil
		sh.transcript.Reset()
		sh.midLine, sh.heldFrom = false, 0
		sh.write(endLine(string(b.Transcript)))
		msg := fmt.Sprintf("# imported a bundle: %d files, %d commands replayed, virtual time %s\n", len(b.Files), len(b.Cluster.Journal), s.Cluster().Now().UTC().Format(time.RFC3339))
		delete(sh.notices, "divergence")
		if d := s.Divergences(); len(d) > 0 {
			sh.notices["divergence"] = "The bundle's cluster replayed differently from the first run: " + strings.Join(d, "; ")
		}
		sh.append(msg)
	})
	return err
}
