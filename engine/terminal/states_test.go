package terminal

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"github.com/kubetab/kubetab/engine/persist"
)

// stateFixtureReads are the commands each fixture's expected.txt answers, run one after the
// other on the loaded cluster, as separate CLI invocations recorded them.
var stateFixtureReads = [][]string{
	{"kubectl", "get", "pods,cj,jobs,deploy,nodes,cm"},
	{"kubectl", "logs", "tick-29454304-zk6wh"},
	{"kubectl", "get", "ns", "default", "--show-labels"},
}

// States written by earlier releases load and answer as that release answered
// (testdata/states/<format>-<commit>: cluster.json as the release saved it after
// script.sh, expected.txt what it printed for stateFixtureReads, each read a new process
// as the CLI runs it). v1-91bb1a3 is a journal alone (format 1); v2-snapshots a snapshot
// (format 2, written with KUBETAB_CHECKPOINT=always). Once EngineVersion changes, a
// snapshot fixture restores as an upgrade (a notice, its containers restarted), which is
// what is checked of it then; add a fixture written by the new engine beside it.
func TestStateFixturesLoad(t *testing.T) {
	dirs, err := filepath.Glob("testdata/states/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, persist.FileName))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, "expected.txt"))
			if err != nil {
				t.Fatal(err)
			}
			fsys, _ := mem.NewFS()
			if err := hackpadfs.WriteFullFile(fsys, persist.FileName, data, 0o644); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			for _, args := range stateFixtureReads {
				s, fresh, err := Load(fsys, Options{})
				if err != nil || fresh {
					t.Fatalf("load: fresh %v, %v", fresh, err)
				}
				d := s.Divergences()
				if snap := s.State().Snapshot; snap != nil && snap.Engine != EngineVersion {
					if len(d) == 0 || !strings.Contains(d[0], "upgraded") {
						t.Fatalf("a snapshot of engine %s restored without the upgrade notice: %q", snap.Engine, d)
					}
					return
				}
				if len(d) > 0 {
					t.Errorf("divergences: %q", d)
				}
				s.Exec(args, nil, &got, &got)
				if err := s.Save(fsys); err != nil {
					t.Fatal(err)
				}
			}
			if got.String() != string(want) {
				t.Errorf("got\n%s\nwant\n%s", got.String(), want)
			}
		})
	}
}
