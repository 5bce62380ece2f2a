package session

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
)

// Contexts. The tab holds one cluster at a time, but a learner works in several places:
// the playground, each lesson, each shared link opened. Each is a context with a cluster,
// a workspace, a transcript, a command history and an editor draft of its own, saved in a
// place of its own (Storage.In) and, once visited, parked whole in memory, so that
// returning to it is instant and nothing one does touches another.
//
// A context's name says where its files are in the site's storage (ContextDir): "" for
// the playground (the root, where the one cluster lived before there were contexts),
// "lessons/NAME" and "shared/ID".
const Playground = ""

// LessonContext is the context of the lesson NAME.
func LessonContext(name string) string { return "lessons/" + name }

// SharedContext is the context of the shared link ID.
func SharedContext(id string) string { return "shared/" + id }

// ContextDir is a context's place in the site's storage, or "" for the playground's
// (the root) and for a name that is not a context's.
func ContextDir(ctx string) string {
	kind, name, ok := strings.Cut(ctx, "/")
	if !ok || (kind != "lessons" && kind != "shared") || name == "" || len(name) > 100 {
		return ""
	}
	for _, r := range name {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return ""
		}
	}
	return ctx
}

// Draft is the editor's buffer while it holds text not saved to a file: kept with the
// context, so that a reload does not lose it.
type Draft struct {
	File string `json:"file,omitempty"` // the workspace file it was opened from; "" for none
	Text string `json:"text"`
}

// maxHistory bounds the terminal's command history.
const maxHistory = 500

// contextState is a context's part of the shell: what moves out and in when the tab
// changes context.
type contextState struct {
	session    *terminal.Session
	err        error
	store      *Storage
	files      map[string]string
	transcript string
	playing    bool
	speed      float64
	history    []string
	draft      *Draft
	tabs       []savedTab // the terminal tabs after the first, as tab.json kept them
	fresh      bool
	notices    map[string]string // of the kinds in contextNotices
	// dirtyCluster and dirtyTab are set on a parked context with changes not saved yet.
	dirtyCluster, dirtyTab bool
}

// contextNotices are the notices about a context rather than the tab: they go and come
// with it.
var contextNotices = []string{"load", "log", "divergence", "workspace", "share"}

// loadContext restores a context from store, or makes it fresh with opts (nil store:
// memory only). It blocks on storage: never with a lock held.
func loadContext(store *Storage, opts terminal.Options) *contextState {
	cs := &contextState{store: store, playing: true, speed: 1, notices: map[string]string{}}
	if store == nil {
		cs.session, cs.err = terminal.New(opts)
		cs.fresh = true
		return cs
	}
	tab, found, err := store.loadTab()
	if err != nil {
		cs.notices["workspace"] = "The saved workspace could not be read (" + err.Error() + "): it starts empty."
	} else if found {
		cs.files = tab.files()
		if tab.Speed > 0 {
			cs.playing, cs.speed = tab.Playing, tab.Speed
		}
		cs.transcript, cs.history, cs.draft, cs.tabs = string(tab.Transcript), tab.History, tab.Draft, tab.Tabs
	}
	s, fresh, logNotice, err := loadLogged(store, opts)
	if logNotice != "" {
		cs.notices["log"] = logNotice
		cs.dirtyCluster = true // compacted soon: the log cannot take more records
	}
	switch {
	case errors.Is(err, persist.ErrCorrupt):
		cs.notices["load"] = "The saved cluster is damaged (" + err.Error() + "): this is a fresh one."
		s, err = terminal.New(opts)
	case err != nil:
		// A newer kubetab's save, or storage that fails to read: keep it untouched.
		cs.notices["load"] = "The saved cluster could not be loaded (" + err.Error() + "): this is a fresh one, and nothing is saved so the stored one stays intact."
		store.readOnly = true
		s, err = terminal.New(opts)
	case fresh:
		cs.fresh, cs.dirtyCluster = true, true
	default:
		st := s.State()
		cs.transcript = endLine(cs.transcript) + fmt.Sprintf("# restored the cluster saved in this browser: %d commands replayed, virtual time %s\n", len(st.Journal), s.Cluster().Now().UTC().Format(time.RFC3339))
		if d := s.Divergences(); len(d) > 0 {
			cs.notices["divergence"] = "The saved cluster replayed differently from the first run: " + strings.Join(d, "; ")
		}
	}
	cs.session, cs.err = s, err
	return cs
}

func endLine(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

// install makes cs the shell's current context (mu held, and saveMu: the saved
// generations change).
func (sh *Shell) install(ctx string, cs *contextState) {
	sh.ctx, sh.session, sh.err, sh.store = ctx, cs.session, cs.err, cs.store
	sh.files.replaceQuietly(cs.files)
	sh.transcript.Reset()
	sh.transcript.WriteString(cs.transcript)
	sh.midLine = !strings.HasSuffix(cs.transcript, "\n") && cs.transcript != ""
	sh.pending = ""
	sh.playing, sh.speed = cs.playing, cs.speed
	sh.history, sh.draft, sh.fresh = cs.history, cs.draft, cs.fresh
	sh.matchTabs(cs.tabs) // tabs.go
	for _, k := range contextNotices {
		delete(sh.notices, k)
	}
	for k, v := range cs.notices {
		sh.notices[k] = v
	}
	sh.clusterGen++
	sh.tabGen++
	sh.savedCluster, sh.savedTab = sh.clusterGen, sh.tabGen
	if cs.dirtyCluster {
		sh.savedCluster--
	}
	if cs.dirtyTab {
		sh.savedTab--
	}
	// The wall time the switch took is not virtual time that passed.
	sh.lastFrame, sh.owed = time.Time{}, 0
}

// park takes the current context out of the shell (mu and saveMu held). A command
// streaming in the terminal stops, as it would when its terminal closes.
func (sh *Shell) park() *contextState {
	sh.closeTabs()
	cs := &contextState{
		session: sh.session, err: sh.err, store: sh.store, files: sh.files.snapshot(),
		transcript: sh.transcript.String(), playing: sh.playing, speed: sh.speed,
		history: sh.history, draft: sh.draft, notices: map[string]string{},
		dirtyCluster: sh.clusterGen != sh.savedCluster, dirtyTab: sh.tabGen != sh.savedTab,
	}
	for _, k := range contextNotices {
		if v, ok := sh.notices[k]; ok {
			cs.notices[k] = v
		}
	}
	return cs
}

// Context is the context the tab is in.
func (sh *Shell) Context() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.ctx
}

// Open moves the tab to the context ctx: the current one is saved and parked, and ctx's
// comes back as it was left in this tab, else as storage kept it, else as a fresh cluster
// made with opts' seed and start, with an empty workspace. It reports whether ctx's cluster
// is fresh, for the caller to set up (a lesson writes its files). Opening the context the
// tab is in changes nothing, unless no page has opened it since Start made it fresh: then
// it is made anew with opts. It waits for the commands before it and for storage: call it
// off the UI goroutine.
func (sh *Shell) Open(ctx string, opts terminal.Options) (fresh bool) {
	<-sh.ready
	done := make(chan bool, 1)
	sh.jobs.post(func() { done <- sh.open(ctx, opts) })
	fresh = <-done
	sh.notify()
	sh.requestSave()
	return fresh
}

// open is Open on the session goroutine, which holds no lock here: it takes them as
// saveNow and install need them, and never holds one while storage works.
func (sh *Shell) open(ctx string, opts terminal.Options) bool {
	o := sh.sessionOptions()
	o.Seed, o.Start = opts.Seed, opts.Start
	sh.mu.Lock()
	cur, fresh, store := sh.ctx, sh.fresh, sh.store
	sh.fresh = false
	sh.mu.Unlock()
	if ctx == cur {
		if !fresh {
			return false
		}
		s, err := terminal.New(o)
		sh.lockForWork()
		sh.closeTabs()
		sh.session, sh.err = s, err
		sh.clusterGen++
		sh.unlockAfterWork()
		return true
	}
	sh.saveNow()
	next := sh.parked[ctx]
	delete(sh.parked, ctx)
	if next == nil {
		next = loadContext(store.In(ctx), o)
	}
	sh.saveMu.Lock()
	sh.lockForWork()
	if sh.parked == nil {
		sh.parked = map[string]*contextState{}
	}
	sh.parked[cur] = sh.park()
	sh.install(ctx, next)
	sh.unlockAfterWork()
	sh.saveMu.Unlock()
	return next.fresh
}

// History is the terminal's command history in this context, oldest first.
func (sh *Shell) History() []string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return slices.Clone(sh.history)
}

// AddHistory records a line typed at the prompt, unless it repeats the last one.
func (sh *Shell) AddHistory(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	sh.mu.Lock()
	if n := len(sh.history); n > 0 && sh.history[n-1] == line {
		sh.mu.Unlock()
		return
	}
	// A new slice each time: saves hold the old one without a lock.
	h := append(slices.Clip(sh.history), line)
	if len(h) > maxHistory {
		h = h[len(h)-maxHistory:]
	}
	sh.history = h
	sh.tabGen++
	sh.mu.Unlock()
	sh.requestSave()
}

// Draft is the editor's unsaved text in this context, or nil.
func (sh *Shell) Draft() *Draft {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.draft
}

// SetDraft keeps the editor's unsaved text (nil: there is none) with the context.
func (sh *Shell) SetDraft(d *Draft) {
	sh.mu.Lock()
	if d == sh.draft || d != nil && sh.draft != nil && *d == *sh.draft {
		sh.mu.Unlock()
		return
	}
	sh.draft = d
	sh.tabGen++
	sh.mu.Unlock()
	sh.requestSave()
}

// changeTab runs fn, a change to what tab.json keeps, with mu held, then tells the
// listeners and the saver.
func (sh *Shell) changeTab(fn func()) {
	sh.mu.Lock()
	fn()
	sh.tabGen++
	sh.mu.Unlock()
	sh.notify()
	sh.requestSave()
}

// Clear empties the terminal's transcript (`clear`, Ctrl-L).
func (sh *Shell) Clear() {
	sh.changeTab(func() {
		sh.transcript.Reset()
		sh.midLine, sh.heldFrom = false, 0
	})
}

// Print adds text to the transcript on lines of its own, as the terminal shows things
// that are not a command's output (completion's candidates).
func (sh *Shell) Print(text string) { sh.changeTab(func() { sh.append(text) }) }

// prefixFS is a context's part of the site's storage: the root's files whose names start
// with the context's prefix, with what engine/persist and tab.json need. Flat names need no
// directories made, and hackpadfs.Sub's file system cannot rename.
type prefixFS struct {
	fsys   hackpadfs.FS
	prefix string
}

func (d prefixFS) path(name string) string {
	if name == "." {
		return name
	}
	return d.prefix + name
}

func (d prefixFS) Open(name string) (hackpadfs.File, error) { return d.fsys.Open(d.path(name)) }

func (d prefixFS) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	return hackpadfs.OpenFile(d.fsys, d.path(name), flag, perm)
}

func (d prefixFS) Rename(oldName, newName string) error {
	return hackpadfs.Rename(d.fsys, d.path(oldName), d.path(newName))
}

func (d prefixFS) Remove(name string) error { return hackpadfs.Remove(d.fsys, d.path(name)) }

func (d prefixFS) Stat(name string) (hackpadfs.FileInfo, error) {
	return hackpadfs.Stat(d.fsys, d.path(name))
}
