package persist_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"
	osfs "github.com/hack-pad/hackpadfs/os"

	"github.com/kubetab/kubetab/engine/persist/persisttest"
)

func TestConformanceMem(t *testing.T) {
	persisttest.Run(t, func(tb testing.TB) hackpadfs.FS {
		fsys, err := mem.NewFS()
		if err != nil {
			tb.Fatal(err)
		}
		return fsys
	})
}

// skipOS is set where the OS backend is not one kubetab uses (js/wasm in Node).
var skipOS bool

func TestConformanceOS(t *testing.T) {
	if skipOS {
		t.Skip("the OS backend is not used under js/wasm")
	}
	persisttest.Run(t, func(tb testing.TB) hackpadfs.FS {
		dir, err := filepath.Abs(tb.TempDir())
		if err != nil {
			tb.Fatal(err)
		}
		sub, err := osfs.NewFS().Sub(strings.TrimPrefix(filepath.ToSlash(dir), "/"))
		if err != nil {
			tb.Fatal(err)
		}
		return sub
	})
}

// The OS backend must leave only the two versions behind after a clean save.
func TestOSLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	sub, err := osfs.NewFS().Sub(strings.TrimPrefix(filepath.ToSlash(dir), "/"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := persistSave(sub); err != nil {
			t.Fatal(err)
		}
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range names {
		got = append(got, n.Name())
	}
	if strings.Join(got, " ") != "cluster.json cluster.json.prev" {
		t.Fatalf("state directory holds %v", got)
	}
}
