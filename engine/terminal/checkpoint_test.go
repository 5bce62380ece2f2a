package terminal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
)

// scenarioLines splits a scenario into the lines a user would type (the commands that
// start on one line run together).
func scenarioLines(t *testing.T, script string) []string {
	t.Helper()
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := Parse(string(src))
	if err != nil {
		t.Fatal(err)
	}
	var lines []Command
	for _, c := range cmds {
		if n := len(lines); n > 0 && lines[n-1].Line == c.Line {
			lines[n-1].Text += "\n" + c.Text
			continue
		}
		lines = append(lines, c)
	}
	texts := make([]string, len(lines))
	for i, c := range lines {
		texts[i] = c.Text
	}
	return texts
}

// TestScenarioCheckpoints runs each scenario with a snapshot forced after every line that
// leaves nothing running (CanCheckpoint), in one session that goes on from each restored
// snapshot, as a tab does; and again line by line, each line loading the saved state into
// a new Session (a CLI process, a reload), restoring the snapshot. Both print the same
// transcript and end with the same cluster: what the tab that took a snapshot shows is
// what every later load shows.
func TestScenarioCheckpoints(t *testing.T) {
	if testing.Short() {
		t.Skip("slow under js/wasm; the native run (without -short) covers it")
	}
	for _, script := range scenarios(t) {
		t.Run(strings.TrimSuffix(filepath.Base(script), ".sh"), func(t *testing.T) {
			lines := scenarioLines(t, script)
			checkpoint := func(s *Session) {
				if s.CanCheckpoint() {
					if err := s.Checkpoint(); err != nil {
						t.Fatal(err)
					}
				}
			}
			live := MustSession(t, scenarioOpts(script))
			var want bytes.Buffer
			for _, line := range lines {
				live.RunScript(line, &want)
				checkpoint(live)
			}

			fsys := osStateDir(t)
			opts := scenarioOpts(script)
			var got bytes.Buffer
			var s *Session
			var err error
			for i, line := range lines {
				s, _, err = Load(fsys, opts)
				if err != nil {
					t.Fatal(err)
				}
				if d := s.Divergences(); len(d) > 0 {
					t.Fatalf("before line %d: %v", i+1, d)
				}
				if n, _ := s.Replayed(); s.State().Snapshot != nil && n > 0 && i > 0 {
					// Only lines that left something running stay in the journal.
					if s.CanCheckpoint() {
						t.Errorf("before line %d: %d journal entries replayed after the snapshot", i+1, n)
					}
				}
				s.RunScript(line, &got)
				checkpoint(s)
				if err := s.Save(fsys); err != nil {
					t.Fatal(err)
				}
			}
			if got.String() != want.String() {
				t.Errorf("transcript restored at each line differs from the live one:\n%s", firstDiff(got.String(), want.String()))
			}
			s, _, err = Load(fsys, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := clusterDump(s.Cluster()), clusterDump(live.Cluster()); got != want {
				t.Errorf("stored objects differ:\n%s", firstDiff(got, want))
			}
		})
	}
}

// A snapshot is a pure function of the cluster, and a restore of the snapshot: the same
// bytes restore into clusters whose snapshots are the same bytes again.
func TestSnapshotRestoreIsDeterministic(t *testing.T) {
	s := MustSession(t, scenarioOpts(filepath.Join(scenarioDir, "x.sh")))
	var out bytes.Buffer
	s.RunScript("kubectl create deployment web --image=nginx --replicas=3\nkubectl create job pi --image=perl -- perl -e 'print 1'\nkubetab advance 2m\nkubectl scale deployment web --replicas=5\n", &out)
	a, err := cluster.Snapshot(s.Cluster())
	if err != nil {
		t.Fatal(err)
	}
	c1, err := cluster.Restore(a, cluster.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := cluster.Restore(a, cluster.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := cluster.Snapshot(c1)
	b2, _ := cluster.Snapshot(c2)
	if !bytes.Equal(b1, b2) {
		t.Fatalf("two restores of one snapshot differ:\n%s", firstDiff(string(b1), string(b2)))
	}
	if got, want := clusterDump(c1), clusterDump(s.Cluster()); got != want {
		t.Logf("restored objects differ from the live ones (a restart is not the same as never stopping):\n%s", firstDiff(got, want))
	}
}

// A snapshot taken by another engine restores as an upgrade: the control plane restarts
// over the objects, the nodes restart (every running container starts again, its restart
// counted, its last log kept as --previous), and a notice says so. Without an upgrade the
// containers are taken back as they run.
func TestSnapshotFromAnotherEngineRestartsContainers(t *testing.T) {
	s := MustSession(t, Options{Seed: 3})
	var out bytes.Buffer
	if s.RunScript("kubectl create deployment web --image=nginx --replicas=2\nkubetab advance 5m\n", &out) != 0 {
		t.Fatal(out.String())
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	pods := func(s *Session) string {
		var b bytes.Buffer
		s.RunScript("kubetab advance 1m\nkubectl get pods\n", &b)
		return b.String()
	}
	same, err := Restore(s.State(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := same.Divergences(); len(d) > 0 {
		t.Fatalf("same engine: %q", d)
	}
	if got := pods(same); !strings.Contains(got, "1/1     Running   0          6m") {
		t.Errorf("same engine: the containers were not taken back as they ran:\n%s", got)
	}

	st := s.State()
	old := *st.Snapshot
	old.Engine = "0.1.0"
	st.Snapshot = &old
	up, err := Restore(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := up.Divergences(); len(d) != 1 || !strings.Contains(d[0], "written by engine 0.1.0") || !strings.Contains(d[0], "restarted") {
		t.Errorf("notice: %q", d)
	}
	if got := pods(up); !strings.Contains(got, "1/1     Running   1 (") {
		t.Errorf("upgrade: the containers did not restart:\n%s", got)
	}
}

// A cluster's snapshot costs in proportion to its objects: past CheckpointObjects, the
// journal must grow as much more before one is due.
func TestCheckpointDueGrowsWithTheCluster(t *testing.T) {
	s := MustSession(t, Options{Seed: 1})
	var out bytes.Buffer
	s.RunScript("kubectl create namespace big", &out)
	s.work = CheckpointSteps
	if !s.CheckpointDue() {
		t.Fatal("a small cluster's snapshot is not due after CheckpointSteps steps")
	}
	cl := s.cluster.API.Client("test")
	for i := range 2 * CheckpointObjects {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("cm-%d", i), Namespace: "big"}}
		if _, err := cl.Create(cm, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if s.CheckpointDue() {
		t.Fatalf("a snapshot of %d objects is due after CheckpointSteps steps", s.cluster.Store.Len())
	}
	s.work = 2 * CheckpointSteps
	if !s.CheckpointDue() {
		t.Fatalf("a snapshot of %d objects is not due after twice CheckpointSteps steps", s.cluster.Store.Len())
	}
}
