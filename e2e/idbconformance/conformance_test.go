//go:build js && wasm

package idbconformance

import (
	"context"
	"fmt"
	"path"
	"sync"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/indexeddb"

	"github.com/kubetab/kubetab/engine/persist/persisttest"
)

// The suite asks for a fresh directory per case, thousands of times: each is a directory
// of one database, which costs less than opening (and deleting) a database each time.
var (
	once   sync.Once
	db     *indexeddb.FS
	dbErr  error
	dirs   int
	dirsMu sync.Mutex
)

func TestConformanceIndexedDB(t *testing.T) {
	persisttest.Run(t, func(tb testing.TB) hackpadfs.FS {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			db, dbErr = indexeddb.NewFS(ctx, "kubetab-persisttest", indexeddb.Options{})
		})
		if dbErr != nil {
			tb.Fatal(dbErr)
		}
		dirsMu.Lock()
		dirs++
		dir := fmt.Sprintf("case-%d", dirs)
		dirsMu.Unlock()
		if err := db.Mkdir(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		return dirFS{db: db, dir: dir}
	})
}

// dirFS is a directory of the database as a file system of its own, with the operations
// persist uses (hackpadfs.Sub's generic wrapper has no Rename).
type dirFS struct {
	db  *indexeddb.FS
	dir string
}

func (d dirFS) Open(name string) (hackpadfs.File, error) {
	return d.db.Open(path.Join(d.dir, name))
}

func (d dirFS) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	return d.db.OpenFile(path.Join(d.dir, name), flag, perm)
}

func (d dirFS) Rename(oldname, newname string) error {
	return d.db.Rename(path.Join(d.dir, oldname), path.Join(d.dir, newname))
}

func (d dirFS) Stat(name string) (hackpadfs.FileInfo, error) {
	return d.db.Stat(path.Join(d.dir, name))
}

func (d dirFS) Remove(name string) error {
	return d.db.Remove(path.Join(d.dir, name))
}
