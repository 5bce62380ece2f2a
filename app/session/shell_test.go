package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/terminal"
)

func startedShell(t *testing.T) *Shell {
	t.Helper()
	sh := New()
	sh.Start(nil, terminal.Options{}, nil)
	return sh
}

func memStorage(t *testing.T) *Storage {
	t.Helper()
	fsys, err := mem.NewFS()
	if err != nil {
		t.Fatal(err)
	}
	return newStorage(fsys, false)
}

// saved waits for the saver to catch up with every change so far (Shell.Saved: the
// generations storage holds, not a pause of wall time).
func saved(t *testing.T, sh *Shell) {
	t.Helper()
	sh.Saved()
	if strings.Contains(sh.Notice(), "Saving failed") {
		t.Fatal(sh.Notice())
	}
}

func TestShellExec(t *testing.T) {
	sh := startedShell(t)
	var changes atomic.Int32
	sh.Subscribe(func() { changes.Add(1) })
	out, code := sh.Exec("kubetab advance 5m")
	if code != 0 || out != "time advanced 5m to 2026-01-01T09:05:00Z\n" {
		t.Fatalf("exit %d output %q", code, out)
	}
	if _, code := sh.Exec("nope"); code != terminal.ExitNotFound {
		t.Fatalf("unknown command: exit %d", code)
	}
	if got := sh.Transcript(); !strings.HasPrefix(got, "$ kubetab advance 5m\ntime advanced 5m") || !strings.Contains(got, "$ nope\nsh: nope: not found") {
		t.Fatalf("transcript:\n%s", got)
	}
	if changes.Load() != 2 {
		t.Fatalf("%d change notifications, want 2", changes.Load())
	}
}

// A here-document typed line by line runs once its delimiter arrives.
func TestShellContinuation(t *testing.T) {
	sh := startedShell(t)
	for _, line := range []string{"kubectl apply -f - <<EOF", "apiVersion: v1", "kind: Namespace", "metadata:", "  name: typed", "EOF"} {
		sh.Submit(line)
		if line != "EOF" && sh.Prompt() != "> " {
			t.Fatalf("after %q the prompt is %q", line, sh.Prompt())
		}
	}
	if sh.Prompt() != "$ " {
		t.Fatal("the prompt did not return")
	}
	got := sh.Transcript()
	if !strings.HasPrefix(got, "$ kubectl apply -f - <<EOF\n> apiVersion: v1\n") || !strings.HasSuffix(got, "> EOF\nnamespace/typed created\n") {
		t.Fatalf("transcript:\n%s", got)
	}
}

const kubiaRC = `apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
`

const nsYAML = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lesson\n"

// kubectl apply -f reads the workspace.
func TestShellAppliesWorkspaceFiles(t *testing.T) {
	sh := startedShell(t)
	if err := sh.Files().Write("ch04/ns.yaml", nsYAML); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"kubectl apply -f ch04/ns.yaml", "kubectl apply -f ./ch04/ns.yaml", "kubectl apply -f ch04"} {
		if out, code := sh.Exec(line); code != 0 || !strings.Contains(out, "namespace/lesson") {
			t.Fatalf("%s: exit %d\n%s", line, code, out)
		}
	}
	if out, code := sh.Exec("kubectl apply -f missing.yaml"); code == 0 || !strings.Contains(out, "missing.yaml") {
		t.Fatalf("missing file: exit %d\n%s", code, out)
	}
}

func TestWorkspace(t *testing.T) {
	changes := 0
	w := newWorkspace(func() { changes++ })
	for _, bad := range []string{"", "/abs", "../up", "a/../b", "a//b", "x\x00", strings.Repeat("n", 300)} {
		if err := w.Write(bad, "x"); err == nil {
			t.Errorf("Write(%q) accepted", bad)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Write("a.yaml", "A"))
	must(w.Write("b.yaml", "B"))
	if err := w.Rename("a.yaml", "b.yaml"); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("rename onto a file: %v", err)
	}
	must(w.Rename("a.yaml", "c.yaml"))
	if _, err := w.Read("a.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read after rename: %v", err)
	}
	must(w.Delete("b.yaml"))
	if got := strings.Join(w.List(), " "); got != "c.yaml" || changes != 4 {
		t.Fatalf("files %q after %d changes", got, changes)
	}
	if err := w.Write("big", strings.Repeat("x", MaxFileBytes+1)); err == nil {
		t.Fatal("an oversized file was accepted")
	}
}

// A cluster, its files and its transcript survive a "reload": a new shell on the same
// storage. Time does not pass while no tab is open.
func TestShellRestoresFromStorage(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	sh.Files().Write("ns.yaml", nsYAML)
	sh.Exec("kubectl apply -f ns.yaml")
	sh.Exec("kubetab advance 90s")
	sh.SetSpeed(60)
	saved(t, sh)
	// Changing the file afterwards must not change the restored cluster: the journal holds
	// what apply read.
	sh.Files().Write("ns.yaml", "garbage")
	saved(t, sh)

	again := New()
	again.Start(store, terminal.Options{}, nil)
	out, code := again.Exec("kubectl get ns lesson -o name")
	if code != 0 || out != "namespace/lesson\n" {
		t.Fatalf("after reload: exit %d %q", code, out)
	}
	cs := again.Clock()
	if want := time.Date(2026, 1, 1, 9, 1, 30, 0, time.UTC); !cs.Now.Equal(want) || cs.Speed != 60 || !cs.Playing {
		t.Fatalf("clock after reload: %+v", cs)
	}
	if text, _ := again.Files().Read("ns.yaml"); text != "garbage" {
		t.Fatalf("workspace after reload: %q", text)
	}
	if tr := again.Transcript(); !strings.Contains(tr, "$ kubectl apply -f ns.yaml\nnamespace/lesson created") || !strings.Contains(tr, "# restored the cluster") {
		t.Fatalf("transcript after reload:\n%s", tr)
	}
}

// A tab that is not the writer never writes.
func TestReadOnlyStorageIsNotWritten(t *testing.T) {
	store := memStorage(t)
	store.root.readOnly, store.readOnly = true, true
	sh := New()
	sh.Start(store, terminal.Options{}, map[string]string{"tab": noticeText})
	sh.Exec("kubectl create namespace x")
	sh.Files().Write("a.yaml", "x")
	saved(t, sh)
	if _, err := hackpadfs.Stat(store.fsys, persist.FileName); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a read-only tab wrote its cluster: %v", err)
	}
	if _, err := hackpadfs.Stat(store.fsys, tabFileName); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a read-only tab wrote its files: %v", err)
	}
	if sh.Notice() != noticeText {
		t.Fatalf("notice %q", sh.Notice())
	}
}

const noticeText = "open elsewhere"

// A saved cluster from a newer build is left alone.
func TestUnreadableSaveIsKept(t *testing.T) {
	store := memStorage(t)
	hackpadfs.WriteFullFile(store.fsys, persist.FileName, []byte(`{"format":99}`), 0o644)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	sh.Exec("kubectl create namespace x")
	saved(t, sh)
	data, _ := hackpadfs.ReadFile(store.fsys, persist.FileName)
	if string(data) != `{"format":99}` || !strings.Contains(sh.Notice(), "could not be loaded") {
		t.Fatalf("stored %q, notice %q", data, sh.Notice())
	}
}

// The running clock follows the wall clock at the chosen speed, ignores the time the tab
// spent hidden or paused, and never jumps more than maxFrameGap of wall time at once.
func TestShellClockTicks(t *testing.T) {
	sh := startedShell(t)
	start := sh.Clock().Now
	wall := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tick := func(d time.Duration) {
		wall = wall.Add(d)
		sh.do(func() {})
		done := make(chan struct{})
		sh.jobs.post(func() { sh.tick(wall); close(done) })
		<-done
	}
	elapsed := func() time.Duration { return sh.Clock().Now.Sub(start) }
	tick(0) // the first frame only sets the reference
	for range 60 {
		tick(16 * time.Millisecond)
	}
	if got := elapsed(); got != 960*time.Millisecond {
		t.Fatalf("at 1x, 60 frames of 16ms moved time %s", got)
	}
	sh.SetSpeed(600)
	tick(16 * time.Millisecond)
	if got := elapsed(); got != 960*time.Millisecond+9600*time.Millisecond {
		t.Fatalf("at 600x: %s", got)
	}
	sh.SetPlaying(false)
	tick(time.Hour)
	sh.SetPlaying(true)
	tick(time.Hour) // the first frame after the pause only sets the reference
	tick(10 * time.Second)
	if got := elapsed(); got != 10560*time.Millisecond+600*maxFrameGap {
		t.Fatalf("after a pause and a stall: %s", got)
	}
	sh.setHidden(true)
	tick(time.Second)
	if got := elapsed(); got != 10560*time.Millisecond+600*maxFrameGap {
		t.Fatalf("time passed while hidden: %s", got)
	}
	// Ticks are coalesced in the journal: one advance entry, not one per frame.
	sh.View(func(*Cluster) {})
	sh.mu.Lock()
	n := len(sh.session.State().Journal)
	sh.mu.Unlock()
	if n != 1 {
		t.Fatalf("the journal holds %d entries after ticks only", n)
	}
}

// A fast-forward in slices builds the same cluster as the session's own advance.
func TestFastForwardMatchesSessionAdvance(t *testing.T) {
	script := "kubectl apply -f - <<EOF\n" + kubiaRC + "EOF\nkubectl run p --image=busybox -- sleep 3600\nkubectl create cronjob cj --image=busybox --schedule='*/5 * * * *' -- date\n"
	sliced := startedShell(t)
	sliced.chunk = 10 * time.Millisecond
	sliced.Exec(script)
	if out, code := sliced.Exec("kubetab advance 2h"); code != 0 || out != "time advanced 2h to 2026-01-01T11:00:00Z\n" {
		t.Fatalf("exit %d %q", code, out)
	}
	ref, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sink strings.Builder
	ref.RunLine(script, &sink)
	ref.RunLine("kubetab advance 2h", &sink)
	a, _ := sliced.Exec("kubectl get pods -A -o wide; kubectl get events -A")
	var b strings.Builder
	ref.RunLine("kubectl get pods -A -o wide; kubectl get events -A", &b)
	if a != b.String() || !strings.Contains(a, "kubia-") || !strings.Contains(a, "Running") {
		t.Fatalf("sliced advance:\n%s\nsession advance:\n%s", a, b.String())
	}
	// And a reload of the sliced journal replays to the same cluster.
	sliced.mu.Lock()
	st := sliced.session.State()
	sliced.mu.Unlock()
	re, err := terminal.Restore(st, terminal.Options{})
	if err != nil || len(re.Divergences()) > 0 {
		t.Fatalf("replay: %v %v", err, re.Divergences())
	}
}

// The editor runs without the lock held, so the page can read the cluster meanwhile.
func TestEditorDoesNotHoldTheLock(t *testing.T) {
	sh := startedShell(t)
	sh.Exec("kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\nEOF")
	sh.SetEditor(func(name, text string) (string, error) {
		done := make(chan struct{})
		go func() { sh.View(func(*Cluster) {}); sh.Clock(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			return "", errors.New("the page could not read the cluster during the edit")
		}
		return strings.Replace(text, "k: v", "k: edited", 1), nil
	})
	if out, code := sh.Exec("kubectl edit configmap c"); code != 0 {
		t.Fatalf("edit: exit %d\n%s", code, out)
	}
	if out, _ := sh.Exec("kubectl get configmap c -o jsonpath={.data.k}"); strings.TrimSpace(out) != "edited" {
		t.Fatalf("after the edit: %q", out)
	}
}

func TestExportImport(t *testing.T) {
	sh := startedShell(t)
	sh.Files().Write("ns.yaml", nsYAML)
	sh.Exec("kubectl apply -f ns.yaml")
	sh.Exec("kubetab advance 1h")
	data, err := sh.Export()
	if err != nil {
		t.Fatal(err)
	}
	other := startedShell(t)
	other.Files().Write("old.yaml", "x")
	if err := other.Import(data); err != nil {
		t.Fatal(err)
	}
	if out, code := other.Exec("kubectl get ns lesson -o name"); code != 0 || out != "namespace/lesson\n" {
		t.Fatalf("imported cluster: %d %q", code, out)
	}
	if got := strings.Join(other.Files().List(), " "); got != "ns.yaml" {
		t.Fatalf("imported files: %s", got)
	}
	if !other.Clock().Now.Equal(sh.Clock().Now) {
		t.Fatal("the imported clock differs")
	}
	for _, bad := range []string{"", "{}", `{"kubetab":"bundle","format":1}`, `{"kubetab":"bundle","format":9,"cluster":{"format":1}}`} {
		if err := other.Import([]byte(bad)); err == nil {
			t.Errorf("Import(%q) accepted", bad)
		}
	}
	var b bundle
	json.Unmarshal(data, &b)
	if b.Kubetab != "bundle" || len(b.Cluster.Journal) != 2 {
		t.Fatalf("bundle: %+v", b)
	}
}

func TestClockControls(t *testing.T) {
	sh := startedShell(t)
	sh.Exec("kubectl create job j --image=busybox -- sleep 30")
	cs := sh.Clock()
	if !cs.Playing || cs.Speed != 1 || cs.NextAt.IsZero() {
		t.Fatalf("clock: %+v", cs)
	}
	sh.SetSpeed(50)
	if sh.Clock().Speed != 60 {
		t.Fatalf("speed 50 became %v", sh.Clock().Speed)
	}
	next := sh.Clock().NextAt
	sh.SkipToNext()
	sh.Step(time.Minute)
	sh.do(func() {}) // wait for the posted commands
	if got := sh.Clock().Now; !got.Equal(next.Add(time.Minute)) {
		t.Fatalf("after skip and step: %s, want %s", got, next.Add(time.Minute))
	}
	tr := sh.Transcript()
	if !strings.Contains(tr, "# next: ") || !strings.Contains(tr, "$ kubetab advance 1m\ntime advanced 1m") {
		t.Fatalf("transcript:\n%s", tr)
	}
	sh.Reset()
	sh.do(func() {})
	if out, _ := sh.Exec("kubectl get jobs"); !strings.Contains(out, "No resources found") {
		t.Fatalf("after reset: %q", out)
	}
}

// An instant with much to do (600 pods applied at once, for the scheduler and the kubelets;
// a controller's burst is rate-limited across instants) gives the page turns while it
// unfolds: the page reads the cluster part-way through, its panel's kubectl describe (which
// settles after itself) leaves the instant's work to the command, and the outcome and the
// journal are those of the session run at once.
func TestLongInstantGivesThePageTurns(t *testing.T) {
	script := "kubectl apply -f - <<EOF\n" + kubiaRC + "EOF\nkubetab advance 1m\n"
	sh := startedShell(t)
	sh.Exec(script)
	sh.turnEvery = 0 // a turn every 16th pause, whatever the machine's speed
	var seen []int
	sh.yield = func() {
		sh.View(func(c *Cluster) {
			var describe strings.Builder
			kubectl.Run(terminal.Kubectl(c), []string{"describe", "rc", "kubia"}, kubectl.IO{Out: &describe, Err: &describe})
			if !strings.Contains(describe.String(), "Replicas:") {
				t.Errorf("describe during a turn:\n%s", describe.String())
			}
			// Pods created and bound to a node so far.
			n := 0
			c.Store.Each(api.LookupResource("pods"), "default", func(o api.Object) bool {
				if o.(*corev1.Pod).Spec.NodeName != "" {
					n++
				}
				return true
			})
			seen = append(seen, n)
		})
	}
	var pods strings.Builder
	pods.WriteString("kubectl apply -f - <<EOF\napiVersion: v1\nkind: List\nitems:\n")
	for i := range 600 {
		fmt.Fprintf(&pods, "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p%d\n  spec:\n    containers:\n    - name: c\n      image: busybox\n      command: [sleep, \"3600\"]\n", i)
	}
	pods.WriteString("EOF\n")
	if out, code := sh.Exec(pods.String()); code != 0 || !strings.HasSuffix(out, "pod/p599 created\n") {
		t.Fatalf("exit %d %q", code, out)
	}
	if len(seen) < 2 || !slices.IsSorted(seen) || seen[len(seen)-1] == seen[0] {
		t.Fatalf("waiting pods seen in the page's turns: %v; want the instant seen to unfold", seen)
	}

	ref, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sink strings.Builder
	ref.RunLine(script+pods.String(), &sink)
	const check = "kubectl get pods -o wide; kubectl get events; kubectl describe rc kubia"
	a, _ := sh.Exec(check)
	var b strings.Builder
	ref.RunLine(check, &b)
	if a != b.String() {
		t.Fatalf("with turns:\n%s\nat once:\n%s", a, b.String())
	}
	sh.mu.Lock()
	st := sh.session.State()
	sh.mu.Unlock()
	if re, err := terminal.Restore(st, terminal.Options{}); err != nil || len(re.Divergences()) > 0 {
		t.Fatalf("replay: %v %v", err, re.Divergences())
	}
}

// Shell lines in the tab: a file the shell writes appears in the workspace, and a reload
// rebuilds the same cluster with the shell's variables and aliases back.
func TestShellLinesSurviveAReload(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	sh.Files().Write("ns.yaml", nsYAML)
	script := []string{
		`kubectl apply -f ns.yaml && NS=$(kubectl get ns -o name | grep lesson | cut -d/ -f2)`,
		`kubectl get ns "$NS" -o yaml > saved.yaml; for i in 1 2; do kubectl create configmap c$i -n $NS; done`,
		`sleep 90`,
		`alias kgc='kubectl get cm'`,
	}
	for _, line := range script {
		if out, code := sh.Exec(line); code != 0 {
			t.Fatalf("%s: exit %d\n%s", line, code, out)
		}
	}
	if text, err := sh.Files().Read("saved.yaml"); err != nil || !strings.Contains(text, "name: lesson") {
		t.Fatalf("saved.yaml: %v %q", err, text)
	}
	want, _ := sh.Exec("kgc -n lesson -o name; echo $NS")
	saved(t, sh)

	again := New()
	again.Start(store, terminal.Options{}, nil)
	got, code := again.Exec("kgc -n lesson -o name; echo $NS")
	if code != 0 || got != want || !strings.Contains(got, "configmap/c2\n") || !strings.HasSuffix(got, "\nlesson\n") {
		t.Fatalf("after reload: exit %d %q, want %q", code, got, want)
	}
	if cs := again.Clock(); !cs.Now.Equal(time.Date(2026, 1, 1, 9, 1, 30, 0, time.UTC)) {
		t.Fatalf("clock after reload: %s", cs.Now)
	}
}

// Text of several lines runs as if pasted: each top-level command echoed before its output,
// a loop over several lines as one; the status is the last failing command's.
func TestShellExecPasted(t *testing.T) {
	sh := startedShell(t)
	out, code := sh.Exec("N=2\nfor i in $(seq 1 $N)\ndo\n  echo \"line $i\"\ndone\n\nfalse\necho end")
	if code != 1 || out != "line 1\nline 2\nend\n" {
		t.Fatalf("exit %d output %q", code, out)
	}
	want := "$ N=2\n$ for i in $(seq 1 $N)\n> do\n>   echo \"line $i\"\n> done\nline 1\nline 2\n$ false\n$ echo end\nend\n"
	if got := sh.Transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	// One line stays one line, as typed.
	if out, _ := sh.Exec("echo a; echo b"); out != "a\nb\n" || !strings.HasSuffix(sh.Transcript(), "$ echo a; echo b\na\nb\n") {
		t.Fatalf("one line: %q\n%s", out, sh.Transcript())
	}
}

// A slice of engine work is as long as the page's last turn, within [every, 8×every]: a page
// whose turns grow with the cluster does not starve the engine, and frames still come.
func TestNextSlice(t *testing.T) {
	const every = 12 * time.Millisecond
	for _, tt := range []struct{ away, want time.Duration }{
		{0, every},
		{5 * time.Millisecond, every},
		{16 * time.Millisecond, 16 * time.Millisecond},
		{60 * time.Millisecond, 60 * time.Millisecond},
		{96 * time.Millisecond, 96 * time.Millisecond},
		{2 * time.Second, 96 * time.Millisecond},
	} {
		if got := nextSlice(tt.away, every); got != tt.want {
			t.Errorf("nextSlice(%v, %v) = %v, want %v", tt.away, every, got, tt.want)
		}
	}
}
