package session

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/engine/tutorial"
)

// Each context keeps its own cluster, files, history and draft: in the tab, as it goes back
// and forth, and in storage, after a reload.
func TestContextsKeepTheirOwnCluster(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	sh.Exec("kubectl create namespace play")
	sh.Files().Write("play.yaml", "x")
	sh.AddHistory("kubectl create namespace play")
	sh.SetDraft(&Draft{Text: "kind: Pod"})

	lesson := LessonContext("02-rc")
	seed1 := terminal.Options{Seed: 1, Start: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	if fresh := sh.Open(lesson, seed1); !fresh {
		t.Fatal("a lesson never opened is not fresh")
	}
	if sh.Context() != lesson || len(sh.Files().List()) != 0 || len(sh.History()) != 0 || sh.Draft() != nil {
		t.Fatalf("the lesson's context starts with the playground's things: %q %v %v %v", sh.Context(), sh.Files().List(), sh.History(), sh.Draft())
	}
	if !sh.Clock().Now.Equal(seed1.Start) {
		t.Fatalf("the lesson's cluster starts at %s", sh.Clock().Now)
	}
	if out, _ := sh.Exec("kubectl get ns play"); !strings.Contains(out, "NotFound") {
		t.Fatalf("the playground's namespace in the lesson: %q", out)
	}
	sh.Exec("kubectl create namespace lesson")
	sh.Files().Write("kubia-rc.yaml", "y")

	if fresh := sh.Open(Playground, terminal.Options{}); fresh {
		t.Fatal("the playground came back fresh")
	}
	if out, code := sh.Exec("kubectl get ns play lesson -o name"); code == 0 || !strings.Contains(out, "namespace/play") {
		t.Fatalf("back in the playground: %d %q", code, out)
	}
	if got := strings.Join(sh.Files().List(), " "); got != "play.yaml" {
		t.Fatalf("the playground's files: %s", got)
	}
	if d := sh.Draft(); d == nil || d.Text != "kind: Pod" || !slices.Equal(sh.History(), []string{"kubectl create namespace play"}) {
		t.Fatalf("the playground's draft %v and history %v", d, sh.History())
	}
	if !strings.Contains(sh.Transcript(), "$ kubectl create namespace play") || strings.Contains(sh.Transcript(), "namespace lesson") {
		t.Fatalf("the playground's transcript:\n%s", sh.Transcript())
	}
	saved(t, sh)

	// A reload straight into the lesson: it is restored, not fresh, and opening it again
	// changes nothing.
	again := New()
	again.StartIn(lesson, store, terminal.Options{}, nil)
	if fresh := again.Open(lesson, seed1); fresh {
		t.Fatal("a saved lesson came back fresh")
	}
	if out, code := again.Exec("kubectl get ns lesson -o name"); code != 0 {
		t.Fatalf("the lesson after a reload: %q", out)
	}
	if got := strings.Join(again.Files().List(), " "); got != "kubia-rc.yaml" {
		t.Fatalf("the lesson's files after a reload: %s", got)
	}
	again.Open(Playground, terminal.Options{})
	if out, code := again.Exec("kubectl get ns play -o name"); code != 0 || again.Draft() == nil {
		t.Fatalf("the playground after a reload: %q, draft %v", out, again.Draft())
	}

	// A page that starts in a lesson never saved gets the lesson's cluster when it opens it.
	third := New()
	third.StartIn(LessonContext("03-rs"), store, terminal.Options{}, nil)
	if fresh := third.Open(LessonContext("03-rs"), seed1); !fresh || !third.Clock().Now.Equal(seed1.Start) {
		t.Fatalf("fresh %v, clock %s", fresh, third.Clock().Now)
	}
}

// Contexts work without storage too: parked in memory.
func TestContextsInMemory(t *testing.T) {
	sh := startedShell(t)
	sh.Exec("kubectl create namespace play")
	sh.Open(SharedContext("abc"), terminal.Options{})
	sh.Exec("kubectl create namespace shared")
	sh.Open(Playground, terminal.Options{})
	if out, code := sh.Exec("kubectl get ns play -o name"); code != 0 {
		t.Fatalf("%q", out)
	}
	if out, _ := sh.Exec("kubectl get ns shared"); !strings.Contains(out, "NotFound") {
		t.Fatalf("%q", out)
	}
}

func TestContextDir(t *testing.T) {
	for ctx, want := range map[string]string{
		"": "", "lessons/02-rc": "lessons/02-rc", "shared/aB_9-": "shared/aB_9-",
		"lessons/../x": "", "lessons/": "", "other/x": "", "shared/a/b": "",
	} {
		if got := ContextDir(ctx); got != want {
			t.Errorf("ContextDir(%q) = %q, want %q", ctx, got, want)
		}
	}
}

// Every lesson's progress is kept, and read back by another shell on the same storage.
func TestProgressLasts(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	p := sh.LoadProgress("01-probes")
	if p.Started() || p.Done() {
		t.Fatalf("new progress: %+v", p)
	}
	p.Ran["run-1"], p.Passed["check-a"], p.Checks = 0, true, 1
	if err := sh.SaveProgress(p); err != nil {
		t.Fatal(err)
	}
	q := sh.LoadProgress("02-rc")
	q.Ran["run-1"], q.Checks = 0, 3
	sh.SaveProgress(q)

	again := New()
	again.Start(store, terminal.Options{}, nil)
	all := again.Progress()
	if !all["01-probes"].Done() || !all["02-rc"].Started() || all["02-rc"].Done() || len(all) != 2 {
		t.Fatalf("progress after a reload: %+v", all)
	}
}

// A bundle carries the command history and the transcript along with the files and the
// cluster.
func TestExportCarriesHistory(t *testing.T) {
	sh := startedShell(t)
	sh.Submit("kubectl create namespace a")
	sh.AddHistory("kubectl create namespace a")
	data, err := sh.Export()
	if err != nil {
		t.Fatal(err)
	}
	other := startedShell(t)
	if err := other.Import(data); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(other.History(), []string{"kubectl create namespace a"}) || !strings.Contains(other.Transcript(), "$ kubectl create namespace a\nnamespace/a created\n# imported a bundle") {
		t.Fatalf("history %v, transcript:\n%s", other.History(), other.Transcript())
	}
}

func TestClearAndPrint(t *testing.T) {
	sh := startedShell(t)
	sh.Exec("kubectl get ns")
	sh.Clear()
	if tr := sh.Transcript(); tr != "" {
		t.Fatalf("after clear: %q", tr)
	}
	sh.Print("a  b")
	if tr := sh.Transcript(); tr != "a  b\n" {
		t.Fatalf("after print: %q", tr)
	}
}

// A lesson's Run button lets the time pass that the check after its block may wait for,
// in the terminal; a check that still does not hold says what it sees.
func TestAwaitCheck(t *testing.T) {
	l, err := tutorial.Parse("x.md", []byte("# X\n\n```kubetab\nkubectl run p --image=busybox -- sleep 3600\n```\n\n```check\nkubectl get pod p -o jsonpath={.status.phase}\nequals: Running\nwithin: 1m\nlabel: p runs\n```\n\n```check\nkubectl get pods -o name\ncount: 2\nwithin: 30s\nlabel: two pods\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	sh := startedShell(t)
	sh.Exec("kubectl run p --image=busybox -- sleep 3600")
	cs := l.Checks()
	if ok, detail := sh.AwaitCheck(cs[0]); !ok || detail != "" {
		t.Fatalf("p runs: %v %q", ok, detail)
	}
	if !strings.Contains(sh.Transcript(), "for: p runs\ntime advanced ") {
		t.Fatalf("transcript:\n%s", sh.Transcript())
	}
	if ok, detail := sh.AwaitCheck(cs[1]); ok || detail != "expected 2 lines, saw 1: pod/p" {
		t.Fatalf("two pods: %v %q", ok, detail)
	}
}
