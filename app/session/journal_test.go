package session

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
)

// faultFS is a storage that refuses what fail says: a tab closed before the saver's
// compaction (cluster.json never written), or before it removed the log.
type faultFS struct {
	fsys hackpadfs.FS
	fail atomic.Pointer[func(op, name string) bool]
}

var errFault = errors.New("the tab closed")

func (f *faultFS) check(op, name string) error {
	if fn := f.fail.Load(); fn != nil && (*fn)(op, name) {
		return &hackpadfs.PathError{Op: op, Path: name, Err: errFault}
	}
	return nil
}

func (f *faultFS) Open(name string) (hackpadfs.File, error) { return f.fsys.Open(name) }

func (f *faultFS) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	if flag != hackpadfs.FlagReadOnly {
		if err := f.check("open", name); err != nil {
			return nil, err
		}
	}
	return hackpadfs.OpenFile(f.fsys, name, flag, perm)
}

func (f *faultFS) Rename(oldName, newName string) error {
	if err := f.check("rename", newName); err != nil {
		return err
	}
	return hackpadfs.Rename(f.fsys, oldName, newName)
}

func (f *faultFS) Remove(name string) error {
	if err := f.check("remove", name); err != nil {
		return err
	}
	return hackpadfs.Remove(f.fsys, name)
}

func (f *faultFS) Stat(name string) (hackpadfs.FileInfo, error) { return hackpadfs.Stat(f.fsys, name) }

func (f *faultFS) failing(fn func(op, name string) bool) { f.fail.Store(&fn) }

// noCompaction fails every write of cluster.json: the saver never compacts.
func noCompaction(op, name string) bool {
	return strings.HasPrefix(name, persist.FileName) && op != "remove"
}

func faultStorage(t *testing.T) (*faultFS, *Storage) {
	t.Helper()
	f := &faultFS{fsys: memStorage(t).fsys}
	return f, newStorage(f, false)
}

func mustExec(t *testing.T, sh *Shell, line string) string {
	t.Helper()
	out, code := sh.Exec(line)
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s", line, code, out)
	}
	return out
}

// reload starts a new shell on the same storage, as a new page does.
func reload(t *testing.T, fsys hackpadfs.FS) *Shell {
	t.Helper()
	sh := New()
	sh.Start(newStorage(fsys, false), terminal.Options{}, nil)
	<-sh.Ready()
	return sh
}

// closeTab makes sh write no more, as a tab closed: after a save under way.
func closeTab(sh *Shell) {
	sh.saveMu.Lock()
	sh.mu.Lock()
	sh.store.readOnly = true
	sh.mu.Unlock()
	sh.saveMu.Unlock()
}

func journalOf(sh *Shell) []persist.Entry {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.session.State().Journal
}

// A tab closed after a command returned but before the saver compacted still has the
// command on reload: from the log alone (no cluster.json yet), and from cluster.json plus
// the log (merged advances, a reset with a new seed).
func TestLoggedCommandsSurviveWithoutCompaction(t *testing.T) {
	for _, compacted := range []bool{false, true} {
		f, store := faultStorage(t)
		sh := New()
		if !compacted {
			f.failing(noCompaction)
		}
		sh.Start(store, terminal.Options{}, nil)
		mustExec(t, sh, "kubectl create namespace first")
		if compacted {
			saved(t, sh)
			f.failing(noCompaction)
		}
		mustExec(t, sh, "kubetab advance 30s")
		mustExec(t, sh, "kubetab advance 30s") // merged into the entry before
		mustExec(t, sh, "X=kept; kubectl create configmap c1 -n first")
		want := journalOf(sh)

		again := reload(t, f.fsys)
		closeTab(again)
		if got := journalOf(again); !entriesEqual(got, want) {
			t.Fatalf("compacted %v: journal after reload %v, want %v", compacted, got, want)
		}
		out := mustExec(t, again, "kubectl get cm c1 -n first -o name; echo $X")
		if out != "configmap/c1\nkept\n" || !again.Clock().Now.Equal(time.Date(2026, 1, 1, 9, 1, 0, 0, time.UTC)) {
			t.Fatalf("compacted %v: after reload %q at %s", compacted, out, again.Clock().Now)
		}
		if n := again.Notice(); n != "" {
			t.Fatalf("notice %q", n)
		}

		// A reset, then a reload: the new seed and the commands after it.
		mustExec(t, sh, "kubetab reset --seed 7")
		mustExec(t, sh, "kubectl create namespace second")
		closeTab(sh)
		again = reload(t, f.fsys)
		closeTab(again)
		again.mu.Lock()
		st := again.session.State()
		again.mu.Unlock()
		if st.Seed != 7 || len(st.Journal) != 1 {
			t.Fatalf("after a reset: seed %d, journal %v", st.Seed, st.Journal)
		}
	}
}

// A log whose last record was cut short loses that record alone, with a notice.
func TestTornLogTail(t *testing.T) {
	f, store := faultStorage(t)
	f.failing(noCompaction)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	mustExec(t, sh, "kubectl create namespace a")
	mustExec(t, sh, "kubectl create namespace b")
	want := journalOf(sh)
	data, err := hackpadfs.ReadFile(f.fsys, logFileName)
	if err != nil {
		t.Fatal(err)
	}
	// A third record, cut at every byte.
	mustExec(t, sh, "kubectl create namespace c")
	closeTab(sh)
	full, _ := hackpadfs.ReadFile(f.fsys, logFileName)
	third := full[len(data):]
	for cut := 1; cut < len(third); cut++ {
		if err := hackpadfs.WriteFullFile(f.fsys, logFileName, append(append([]byte{}, data...), third[:cut]...), 0o644); err != nil {
			t.Fatal(err)
		}
		again := reload(t, f)
		if got := journalOf(again); !entriesEqual(got, want) {
			t.Fatalf("cut at %d: journal %v, want %v", cut, got, want)
		}
		if !strings.Contains(again.Notice(), "cut short") {
			t.Fatalf("cut at %d: notice %q", cut, again.Notice())
		}
		closeTab(again)
	}
	// Once loaded, the next record follows the last whole one, and a compaction drops the
	// torn one.
	again := reload(t, f)
	f.failing(func(op, name string) bool { return false })
	mustExec(t, again, "kubectl create namespace d")
	for i := 0; ; i++ {
		again.requestSave()
		_, err := hackpadfs.Stat(f.fsys, logFileName)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if i == 15000 { // 30 s of polling: the compaction is the saver's, on its own goroutine
			data, _ := hackpadfs.ReadFile(f.fsys, logFileName)
			st, err := persist.Load(f.fsys)
			t.Fatalf("the log outlived a compaction: notice %q, log %q, state %v %v", again.Notice(), data, st.Log, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	closeTab(again)
	if got := journalOf(reload(t, f)); len(got) != 3 || string(got[2].Args[3]) != "d" {
		t.Fatalf("journal after the next command %v", got)
	}
}

// Records that cluster.json already includes (the log's removal after a compaction
// failed) are not applied twice.
func TestCompactedRecordsAreNotReplayed(t *testing.T) {
	f, store := faultStorage(t)
	f.failing(func(op, name string) bool { return op == "remove" && name == logFileName })
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	mustExec(t, sh, "kubectl create namespace once")
	mustExec(t, sh, "kubetab advance 1m")
	waitFor(t, func() bool {
		sh.requestSave()
		st, err := persist.Load(f.fsys)
		return err == nil && len(st.Journal) == 2
	})
	cur := sh.storage()
	waitFor(t, func() bool {
		sh.saveMu.Lock()
		defer sh.saveMu.Unlock()
		return cur.logBroken
	})
	// The log is broken until a compaction removes it: nothing is appended meanwhile, and
	// the tab closes before it compacts again.
	f.failing(func(op, name string) bool { return op == "remove" || noCompaction(op, name) })
	mustExec(t, sh, "kubectl create namespace later")
	closeTab(sh)
	again := reload(t, f.fsys)
	got := journalOf(again)
	if len(got) != 2 || again.Notice() != "" {
		t.Fatalf("journal %v (notice %q), want the two compacted entries once", got, again.Notice())
	}
}

// waitFor polls cond for up to 30 s (it holds as soon as another goroutine's work is done;
// the bound is only for a test that would otherwise hang).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 15000 {
		if cond() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("timed out")
}

// A cluster.json written before there was a log (kubetab 0.2.0's) loads as it was.
func TestStateBeforeTheLogLoads(t *testing.T) {
	data, err := os.ReadFile("testdata/cluster-before-log.json")
	if err != nil {
		t.Fatal(err)
	}
	store := memStorage(t)
	if err := hackpadfs.WriteFullFile(store.fsys, persist.FileName, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sh := reload(t, store.fsys)
	if out := mustExec(t, sh, "kubectl get cm c1 -n old -o name"); out != "configmap/c1\n" || sh.Notice() != "" {
		t.Fatalf("%q, notice %q", out, sh.Notice())
	}
	if now := sh.Clock().Now; !now.Equal(time.Date(2026, 1, 1, 9, 1, 30, 0, time.UTC)) {
		t.Fatalf("clock %s", now)
	}
	// Its next command goes to the log, and a compaction writes it in the same format.
	mustExec(t, sh, "kubectl create namespace new")
	saved(t, sh)
	if got := journalOf(reload(t, store.fsys)); len(got) != 4 {
		t.Fatalf("journal %v", got)
	}
}

func entriesEqual(a, b []persist.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if terminal.Quote(persist.Strings(a[i].Args)) != terminal.Quote(persist.Strings(b[i].Args)) || a[i].Exit != b[i].Exit {
			return false
		}
	}
	return true
}

// A command's output is not shown before its journal entry is logged: the page's turns in
// the middle of a long command see its line, not its result.
func TestOutputWaitsForTheLog(t *testing.T) {
	f, store := faultStorage(t)
	f.failing(noCompaction)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	sh.turnEvery = 0 // a turn every 16th pause, however fast the machine
	const line = "kubectl create deployment web --image=nginx --replicas=300"
	var seen []string
	sh.yield = func() {
		seen = append(seen, sh.Transcript())
	}
	sh.Submit(line)
	if len(seen) == 0 {
		t.Fatal("the command gave the page no turn")
	}
	for _, tr := range seen {
		if !strings.HasSuffix(tr, "$ "+line+"\n") {
			t.Fatalf("the page saw, during the command:\n%s", tr)
		}
	}
	if tr := sh.Transcript(); !strings.HasSuffix(tr, "deployment.apps/web created\n") {
		t.Fatalf("after it:\n%s", tr)
	}
	closeTab(sh)
	if out := mustExec(t, reload(t, f.fsys), "kubectl get deploy web -o name"); out != "deployment.apps/web\n" {
		t.Fatalf("after a reload: %q", out)
	}
}

// A snapshot taken after a command (200 journal entries since the last) reaches the log in
// that command's record, so a tab closed before any compaction reloads from the snapshot
// and the commands after it, replaying only those.
func TestLoggedSnapshotSurvivesWithoutCompaction(t *testing.T) {
	f, store := faultStorage(t)
	f.failing(noCompaction)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	mustExec(t, sh, "for i in $(seq 1 200); do kubectl create configmap c$i; done")
	mustExec(t, sh, "kubectl create namespace after")
	sh.mu.Lock()
	st := sh.session.State()
	sh.mu.Unlock()
	if st.Snapshot == nil || len(st.Journal) != 1 || len(st.History()) != 201 {
		t.Fatalf("snapshot %v, journal %d, history %d; want a snapshot, 1, 201", st.Snapshot != nil, len(st.Journal), len(st.History()))
	}
	closeTab(sh)

	again := reload(t, f.fsys)
	closeTab(again)
	again.mu.Lock()
	got := again.session.State()
	n, _ := again.session.Replayed()
	again.mu.Unlock()
	if got.Snapshot == nil || n != 1 || !entriesEqual(got.History(), st.History()) {
		t.Fatalf("after reload: snapshot %v, %d entries replayed, history %d", got.Snapshot != nil, n, len(got.History()))
	}
	if out := mustExec(t, again, "kubectl get cm c200 -o name; kubectl get ns after -o name"); out != "configmap/c200\nnamespace/after\n" {
		t.Fatalf("after reload: %q", out)
	}
}

// Before the snapshot of a large cluster, the page has a turn with a notice saying why the
// tab is about to be busy; the notice goes once the snapshot is taken.
func TestBigCheckpointNotice(t *testing.T) {
	defer func(n int) { bigCheckpoint = n }(bigCheckpoint)
	bigCheckpoint = 0
	sh := startedShell(t)
	var during []string
	sh.yield = func() { during = append(during, sh.Notice()) }
	for i := 0; i < terminal.CheckpointEntries; i++ {
		if out, code := sh.Exec(fmt.Sprintf("kubectl create namespace n%d", i)); code != 0 {
			t.Fatalf("%d: %s", i, out)
		}
	}
	if len(during) == 0 || !strings.Contains(during[len(during)-1], "Taking a snapshot") {
		t.Fatalf("the page's turns before the snapshot saw the notices %q", during)
	}
	if n := sh.Notice(); strings.Contains(n, "snapshot") {
		t.Fatalf("after the snapshot the notice is %q", n)
	}
}
