package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
)

// DatabaseName is the site's IndexedDB database in the browser (storage_wasm.go), which
// each page starts opening from its head (app/server's storagePrelude,
// public/web/storage-prelude.js).
const DatabaseName = "kubetab"

// Storage is where a tab keeps its cluster between visits: a hackpadfs directory (IndexedDB
// in the browser, memory in tests) holding
//
//	cluster.json, cluster.json.prev   the cluster, through engine/persist as the CLI keeps it
//	tab.json                          the workspace files, the clock settings, the transcript's tail
//
// A read-only storage (another tab is the writer, or it holds something this build must
// not overwrite) loads but never writes.
type Storage struct {
	fsys     hackpadfs.FS
	readOnly bool
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
	var savedCluster, savedTab uint64
	for range sh.saves {
		savedCluster, savedTab = sh.saveChanges(savedCluster, savedTab)
	}
}

// saveChanges writes the parts whose generation moved past the saved one and returns the
// generations now saved.
func (sh *Shell) saveChanges(savedCluster, savedTab uint64) (uint64, uint64) {
	sh.mu.Lock()
	store := sh.store
	if store == nil || store.readOnly || sh.session == nil {
		sh.mu.Unlock()
		return savedCluster, savedTab
	}
	clusterGen, tabGen := sh.clusterGen, sh.tabGen
	var st persist.State
	if clusterGen != savedCluster {
		st = sh.session.State()
	}
	var tab tabState
	if tabGen != savedTab {
		tab = tabState{Playing: sh.playing, Speed: sh.speed, Files: map[string]persist.Text{}}
		t := sh.transcript.String()
		if len(t) > savedTranscript {
			t = t[len(t)-savedTranscript:]
		}
		tab.Transcript = persist.Text(t)
	}
	sh.mu.Unlock()

	var errs []error
	if clusterGen != savedCluster {
		if err := persist.Save(store.fsys, st); err != nil {
			errs = append(errs, err)
		} else {
			savedCluster = clusterGen
		}
	}
	if tabGen != savedTab {
		for name, text := range sh.files.snapshot() {
			tab.Files[name] = persist.Text(text)
		}
		if err := store.saveTab(tab); err != nil {
			errs = append(errs, err)
		} else {
			savedTab = tabGen
		}
	}
	if err := errors.Join(errs...); err != nil {
		sh.SetNotice("save", "Saving failed ("+err.Error()+"): recent changes may be lost on reload.")
	} else {
		sh.SetNotice("save", "")
	}
	return savedCluster, savedTab
}

// bundle is what Export writes and Import reads: the workspace files and the cluster's
// recipe (seed, start, journal), as JSON.
type bundle struct {
	Kubetab string                  `json:"kubetab"`
	Format  int                     `json:"format"`
	Files   map[string]persist.Text `json:"files"`
	Cluster persist.State           `json:"cluster"`
}

const (
	bundleKind   = "bundle"
	bundleFormat = 1
	maxBundle    = 64 << 20
)

func encodeBundle(files map[string]string, st persist.State) ([]byte, error) {
	b := bundle{Kubetab: bundleKind, Format: bundleFormat, Files: map[string]persist.Text{}, Cluster: st}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.Files[n] = persist.Text(files[n])
	}
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
	return b, nil
}

func (b bundle) files() map[string]string {
	out := make(map[string]string, len(b.Files))
	for k, v := range b.Files {
		out[k] = string(v)
	}
	return out
}
