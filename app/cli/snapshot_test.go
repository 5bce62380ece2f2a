//go:build !wasm

package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	osfs "github.com/hack-pad/hackpadfs/os"

	"github.com/kubetab/kubetab/engine/terminal"
)

const everyMinuteCronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox
            command: ["sh", "-c", "date; echo hello"]
`

// loadSession loads the session saved in dir as the next invocation does.
func loadSession(t testing.TB, dir string) *terminal.Session {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(filepath.ToSlash(abs), "/"))
	if err != nil {
		t.Fatal(err)
	}
	s, fresh, err := terminal.Load(fsys, terminal.Options{})
	if err != nil || fresh {
		t.Fatalf("load: fresh %v, %v", fresh, err)
	}
	return s
}

// The acceptance: a year of a */1 CronJob (kubetab advance 366d), then kubectl get
// cj. The advance is heavy, so the state it saves is a snapshot, and the invocation after
// it replays nothing (counted in journal entries and simulation steps, not wall time).
// The year's advance alone takes a minute of CPU on a quiet machine (more than the test
// timeout on a busy one), so a month stands for it unless KUBETAB_TEST_YEAR=1, and two
// days under -short: the load after it replays nothing whatever the span.
func TestCronJobYearLoadsFromSnapshot(t *testing.T) {
	span := "30d"
	switch {
	case os.Getenv("KUBETAB_TEST_YEAR") == "1":
		span = "366d"
	case testing.Short():
		span = "2d"
	}
	dir := filepath.Join(t.TempDir(), "st")
	if out, errOut, code := runCLI(t, everyMinuteCronJob, "--state", dir, "kubectl", "apply", "-f", "-"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := runCLI(t, "", "--state", dir, "advance", span); code != 0 {
		t.Fatalf("advance: exit %d\n%s%s", code, out, errOut)
	}
	s := loadSession(t, dir)
	st := s.State()
	if st.Snapshot == nil || len(st.Journal) != 0 {
		t.Fatalf("after the advance: snapshot %v, %d journal entries after it; want a snapshot and none", st.Snapshot != nil, len(st.Journal))
	}
	if n, steps := s.Replayed(); n != 0 || steps != 0 {
		t.Fatalf("the load replayed %d entries (%d steps), want none", n, steps)
	}
	out, errOut, code := runCLI(t, "", "--state", dir, "kubectl", "get", "cj")
	if code != 0 || !strings.Contains(out, "tick   */1 * * * *") || errOut != "" {
		t.Fatalf("get cj: exit %d\n%s%s", code, out, errOut)
	}
	// A light command after it: the load after that replays only it.
	if _, errOut, code := runCLI(t, "", "--state", dir, "kubectl", "label", "cj", "tick", "a=b"); code != 0 {
		t.Fatalf("label: exit %d\n%s", code, errOut)
	}
	s = loadSession(t, dir)
	if n, _ := s.Replayed(); n != 1 || s.State().Snapshot == nil {
		t.Fatalf("after a light command: %d entries replayed after the snapshot, want 1", n)
	}
	var b strings.Builder
	if s.Exec([]string{"kubectl", "get", "cj", "tick", "--show-labels"}, nil, &b, io.Discard) != 0 || !strings.Contains(b.String(), "a=b") {
		t.Fatalf("get cj: %s", b.String())
	}
}
