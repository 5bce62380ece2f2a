// Package persisttest is the conformance suite for persist's storage backends: every
// hackpadfs file system that keeps a kubetab cluster (memory, the OS, IndexedDB) runs Run.
package persisttest

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
)

// NewFS returns an empty state directory for one test. Each call must return a new,
// independent directory; cleanup goes through tb.Cleanup.
type NewFS func(tb testing.TB) hackpadfs.FS

// Run runs the suite against the backend newFS makes.
func Run(t *testing.T, newFS NewFS) {
	t.Run("empty directory has no state", func(t *testing.T) {
		_, err := persist.Load(newFS(t))
		if !errors.Is(err, persist.ErrNoState) {
			t.Fatalf("Load on an empty directory = %v, want ErrNoState", err)
		}
	})
	t.Run("round trip", func(t *testing.T) {
		fsys := newFS(t)
		want := sample(3)
		mustSave(t, fsys, want)
		equal(t, mustLoad(t, fsys), want)
	})
	t.Run("newest save wins", func(t *testing.T) {
		fsys := newFS(t)
		for i := 1; i <= 3; i++ {
			mustSave(t, fsys, sample(i))
			equal(t, mustLoad(t, fsys), sample(i))
		}
	})
	t.Run("stray temporary file is harmless", func(t *testing.T) {
		fsys := newFS(t)
		mustSave(t, fsys, sample(1))
		writeRaw(t, fsys, "cluster.json.tmp", []byte(`{"format":1,"jour`))
		equal(t, mustLoad(t, fsys), sample(1))
		mustSave(t, fsys, sample(2))
		equal(t, mustLoad(t, fsys), sample(2))
	})
	t.Run("newer format is refused, not rolled back", func(t *testing.T) {
		fsys := newFS(t)
		mustSave(t, fsys, sample(1))
		mustSave(t, fsys, sample(2))
		writeRaw(t, fsys, "cluster.json", []byte(fmt.Sprintf(`{"format":%d,"journal":[]}`, persist.FormatVersion+1)))
		if _, err := persist.Load(fsys); err == nil {
			t.Fatal("Load accepted a newer format")
		}
	})
	t.Run("garbage everywhere is an error, not a panic", func(t *testing.T) {
		fsys := newFS(t)
		writeRaw(t, fsys, "cluster.json", []byte("not json"))
		writeRaw(t, fsys, "cluster.json.prev", nil)
		if _, err := persist.Load(fsys); !errors.Is(err, persist.ErrCorrupt) {
			t.Fatalf("Load = %v, want ErrCorrupt", err)
		}
	})
	t.Run("an unparsable cluster.json is an error, never the older .prev", func(t *testing.T) {
		for _, bad := range [][]byte{nil, []byte("{"), []byte(`{"journal":[]}`), []byte("null")} {
			fsys := newFS(t)
			mustSave(t, fsys, sample(1))
			mustSave(t, fsys, sample(2))
			writeRaw(t, fsys, "cluster.json", bad)
			_, err := persist.Load(fsys)
			var ue *persist.UnreadableError
			if !errors.As(err, &ue) || !errors.Is(err, persist.ErrCorrupt) || ue.File != "cluster.json" || !ue.Previous {
				t.Fatalf("Load with cluster.json %q = %v, want an UnreadableError about cluster.json with a loadable .prev", bad, err)
			}
			prev, err := persist.LoadPrevious(fsys)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, prev, sample(1))
			// Nothing that could not be read is overwritten.
			if err := persist.Save(fsys, sample(3)); !errors.Is(err, persist.ErrCorrupt) {
				t.Fatalf("Save over an unparsable cluster.json = %v, want ErrCorrupt", err)
			}
			if got := readRaw(t, fsys, "cluster.json"); string(got) != string(bad) {
				t.Fatalf("Save changed the unparsable cluster.json to %q", got)
			}
			equal(t, mustLoadPrevious(t, fsys), sample(1))
			// Unless the user asked for a new cluster: the unparsable file is kept as .prev.
			if err := persist.SaveWith(fsys, sample(3), persist.SaveOptions{Replace: true}); err != nil {
				t.Fatal(err)
			}
			equal(t, mustLoad(t, fsys), sample(3))
			if got := readRaw(t, fsys, "cluster.json.prev"); string(got) != string(bad) {
				t.Fatalf("Replace kept %q as .prev, want the unparsable file", got)
			}
		}
	})
	t.Run("a missing cluster.json next to .prev is an error", func(t *testing.T) {
		fsys := newFS(t)
		mustSave(t, fsys, sample(1))
		mustSave(t, fsys, sample(2))
		prev := readRaw(t, fsys, "cluster.json.prev")
		if err := hackpadfs.Remove(fsys, "cluster.json"); err != nil {
			t.Fatal(err)
		}
		var ue *persist.UnreadableError
		if _, err := persist.Load(fsys); !errors.As(err, &ue) || !ue.Previous {
			t.Fatalf("Load = %v, want an UnreadableError with a loadable .prev", err)
		}
		if err := persist.Save(fsys, sample(3)); !errors.Is(err, persist.ErrCorrupt) {
			t.Fatalf("Save = %v, want ErrCorrupt", err)
		}
		if got := readRaw(t, fsys, "cluster.json.prev"); string(got) != string(prev) {
			t.Fatal("a refused Save changed .prev")
		}
		if err := persist.SaveWith(fsys, sample(3), persist.SaveOptions{Replace: true}); err != nil {
			t.Fatal(err)
		}
		equal(t, mustLoad(t, fsys), sample(3))
	})
	t.Run("each save keeps the one before as .prev", func(t *testing.T) {
		fsys := newFS(t)
		mustSave(t, fsys, sample(1))
		if _, err := persist.LoadPrevious(fsys); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("LoadPrevious after one save = %v, want not exist", err)
		}
		for i := 2; i <= 3; i++ {
			mustSaveWith(t, fsys, sample(i), persist.SaveOptions{TempSuffix: fmt.Sprintf("-%d", i)})
			equal(t, mustLoad(t, fsys), sample(i))
			equal(t, mustLoadPrevious(t, fsys), sample(i-1))
		}
	})
	t.Run("crash at every step of a save", func(t *testing.T) {
		old, next := sample(1), sample(2)
		ref := newFS(t)
		mustSave(t, ref, old)
		oldFile := readRaw(t, ref, "cluster.json")
		for _, first := range []bool{true, false} {
			total := -1
			for budget := 0; total < 0 || budget <= total; budget++ {
				fsys := newFS(t)
				if !first {
					// What a clean Save(old) leaves, written without fsyncs to keep the
					// loop fast on disks.
					writeRaw(t, fsys, "cluster.json", oldFile)
				}
				crashing := &crashFS{FS: fsys, budget: budget}
				err := persist.Save(crashing, next)
				if err == nil {
					total = budget - crashing.budget
				} else if !errors.Is(err, errCrashed) {
					t.Fatalf("budget %d: Save failed without a crash: %v", budget, err)
				}
				got, lerr := persist.Load(fsys)
				switch {
				case errors.Is(lerr, persist.ErrNoState) && first && err != nil:
				case lerr != nil:
					t.Fatalf("first=%v budget %d: Load after a crash: %v", first, budget, lerr)
				case err == nil:
					equal(t, got, next)
				case reflect.DeepEqual(got, next), !first && reflect.DeepEqual(got, old):
				default:
					t.Fatalf("first=%v budget %d: Load after a crash = %+v, want the old or the new state", first, budget, got)
				}
				if budget > 1<<16 {
					t.Fatal("Save never completes")
				}
			}
			if total < 100 {
				t.Fatalf("a whole save cost only %d units of work: the crash points do not cover the write", total)
			}
		}
	})
	t.Run("any file cut at any byte", func(t *testing.T) {
		old, next := sample(1), sample(2)
		ref := newFS(t)
		mustSave(t, ref, old)
		mustSave(t, ref, next)
		files := map[string][]byte{}
		for _, name := range []string{"cluster.json", "cluster.json.prev"} {
			files[name] = readRaw(t, ref, name)
		}
		for _, name := range []string{"cluster.json", "cluster.json.prev"} {
			full := files[name]
			for cut := 0; cut < len(full); cut++ {
				fsys := newFS(t)
				for other, data := range files {
					if other != name {
						writeRaw(t, fsys, other, data)
					}
				}
				writeRaw(t, fsys, name, full[:cut])
				got, err := persist.Load(fsys)
				if name == "cluster.json.prev" {
					// Load never reads .prev.
					if err != nil {
						t.Fatalf("%s cut at %d of %d bytes: %v", name, cut, len(full), err)
					}
					equal(t, got, next)
					continue
				}
				var ue *persist.UnreadableError
				if !errors.As(err, &ue) || ue.File != "cluster.json" || !ue.Previous {
					t.Fatalf("%s cut at %d of %d bytes: Load = %v, want an UnreadableError with a loadable .prev", name, cut, len(full), err)
				}
			}
		}
	})
}

// sample returns a small state with n journal entries, using every field, including text
// that is not valid UTF-8.
func sample(n int) persist.State {
	st := persist.State{
		Format: 1,
		Engine: "test",
		Seed:   1<<63 + 5,
		Start:  time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC),
	}
	if n%2 == 0 {
		// Half the samples hold a snapshot, which makes them format 2.
		st.Format = 2
		st.Snapshot = &persist.Snapshot{Engine: "test", Streams: 2, Time: st.Start.Add(time.Hour),
			Journal: []persist.Entry{{Args: persist.Texts([]string{"kubetab", "advance", "1h"})}},
			Cluster: []byte(fmt.Sprintf(`{"version":1,"objects":%d,"bytes":"\xff"}`, n))}
	}
	for i := range n {
		e := persist.Entry{Args: persist.Texts([]string{"kubectl", "apply", "-f", fmt.Sprintf("f%d.yaml", i)})}
		switch i % 3 {
		case 0:
			e.Reads = []persist.Read{{Path: "f.yaml", Data: persist.NewText("kind: Pod\n")}, {Path: "gone", Err: "no such file"}}
		case 1:
			e.Stdin = persist.NewText("bad \xff utf-8\n")
			e.Lists = []persist.List{{Path: "dir", Names: persist.Texts([]string{"a.yaml"})}}
		case 2:
			e.Edits = []persist.Edit{{Name: "pod/x", Text: persist.NewText("")}, {Name: "pod/y", Err: "editor failed"}}
		}
		st.Journal = append(st.Journal, e)
	}
	return st
}

func mustSave(tb testing.TB, fsys hackpadfs.FS, st persist.State) {
	tb.Helper()
	if err := persist.Save(fsys, st); err != nil {
		tb.Fatal(err)
	}
}

func mustSaveWith(tb testing.TB, fsys hackpadfs.FS, st persist.State, opts persist.SaveOptions) {
	tb.Helper()
	if err := persist.SaveWith(fsys, st, opts); err != nil {
		tb.Fatal(err)
	}
}

func mustLoadPrevious(tb testing.TB, fsys hackpadfs.FS) persist.State {
	tb.Helper()
	st, err := persist.LoadPrevious(fsys)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func mustLoad(tb testing.TB, fsys hackpadfs.FS) persist.State {
	tb.Helper()
	st, err := persist.Load(fsys)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func equal(tb testing.TB, got, want persist.State) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Fatalf("loaded state differs:\n got %+v\nwant %+v", got, want)
	}
}

func readRaw(tb testing.TB, fsys hackpadfs.FS, name string) []byte {
	tb.Helper()
	data, err := hackpadfs.ReadFile(fsys, name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func writeRaw(tb testing.TB, fsys hackpadfs.FS, name string, data []byte) {
	tb.Helper()
	f, err := hackpadfs.OpenFile(fsys, name, hackpadfs.FlagWriteOnly|hackpadfs.FlagCreate|hackpadfs.FlagTruncate, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	if len(data) > 0 {
		if _, err := hackpadfs.WriteFile(f, data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

var errCrashed = errors.New("process killed (simulated)")

// crashFS stands for a process that dies after budget units of work: each byte written
// and each file-system operation costs one unit. Work past the budget never happens, and
// a write in progress stops after the bytes that fit.
type crashFS struct {
	hackpadfs.FS
	budget int
}

func (c *crashFS) spend(n int) (int, error) {
	if c.budget >= n {
		c.budget -= n
		return n, nil
	}
	n, c.budget = c.budget, 0
	return n, errCrashed
}

func (c *crashFS) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	if flag == hackpadfs.FlagReadOnly {
		return c.FS.Open(name)
	}
	if _, err := c.spend(1); err != nil {
		return nil, err
	}
	f, err := hackpadfs.OpenFile(c.FS, name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &crashFile{File: f, fs: c}, nil
}

func (c *crashFS) Rename(oldname, newname string) error {
	if _, err := c.spend(1); err != nil {
		return err
	}
	return hackpadfs.Rename(c.FS, oldname, newname)
}

func (c *crashFS) Stat(name string) (hackpadfs.FileInfo, error) {
	return hackpadfs.Stat(c.FS, name)
}

type crashFile struct {
	hackpadfs.File
	fs *crashFS
}

func (f *crashFile) Write(p []byte) (int, error) {
	n, err := f.fs.spend(len(p))
	if n > 0 {
		if m, werr := hackpadfs.WriteFile(f.File, p[:n]); werr != nil {
			return m, werr
		}
	}
	return n, err
}

func (f *crashFile) Sync() error {
	if _, err := f.fs.spend(1); err != nil {
		return err
	}
	if err := hackpadfs.SyncFile(f.File); err != nil && !errors.Is(err, hackpadfs.ErrNotImplemented) {
		return err
	}
	return nil
}

// Close always releases the file (a killed process's descriptors close too) but counts as
// work that may not have happened.
func (f *crashFile) Close() error {
	cerr := f.File.Close()
	if _, err := f.fs.spend(1); err != nil {
		return err
	}
	return cerr
}

var _ hackpadfs.OpenFileFS = (*crashFS)(nil)
var _ hackpadfs.RenameFS = (*crashFS)(nil)
var _ fs.StatFS = (*crashFS)(nil)
