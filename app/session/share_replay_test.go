package session

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/wasm/share"
)

// everyMinute applies a CronJob that runs every minute.
var everyMinute = ApplyLine(`{apiVersion: batch/v1, kind: CronJob, metadata: {name: every-minute}, spec: {schedule: "*/1 * * * *",
  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: main, image: busybox, command: [echo, hi]}]}}}}}}`)

func shareBundle(lines ...string) *share.Bundle {
	return &share.Bundle{Version: share.Version, Seed: 1, Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), History: lines}
}

// openShared starts a shell on storage with saved work in the playground, then opens a
// shared link's context, as sharelink.Open does.
func openShared(t *testing.T) (*Shell, *Storage) {
	t.Helper()
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	if _, code := sh.Exec("kubectl create namespace mine"); code != 0 {
		t.Fatal("creating the playground's namespace")
	}
	sh.Files().Write("mine.yaml", "kind: Mine\n")
	sh.Save()
	if !sh.Open(SharedContext("abcdefghijklmnop"), terminal.Options{}) {
		t.Fatal("a shared link never opened is not fresh")
	}
	return sh, store
}

// mustBeThePlayground checks that the shell is back in the playground, with the saved
// work as it was, and that the shared context left nothing in storage.
func mustBeThePlayground(t *testing.T, sh *Shell, store *Storage) {
	t.Helper()
	if ctx := sh.Context(); ctx != Playground {
		t.Fatalf("the tab is in %q, not the playground", ctx)
	}
	if out, code := sh.Exec("kubectl get ns mine -o name"); code != 0 {
		t.Fatalf("the playground's namespace: %d %q", code, out)
	}
	if got := sh.Files().List(); len(got) != 1 || got[0] != "mine.yaml" {
		t.Fatalf("the playground's files: %v", got)
	}
	if _, found, _ := store.In(SharedContext("abcdefghijklmnop")).loadTab(); found {
		t.Fatal("the abandoned shared context is still saved")
	}
	if !sh.Open(SharedContext("abcdefghijklmnop"), terminal.Options{}) {
		t.Fatal("the abandoned shared context is not fresh when its link is opened again")
	}
}

// A bundle that moves time past MaxShareTime is refused before the work is done, with a
// message naming the bound, and the visitor's playground is as it was.
func TestReplayShareRefusesTooMuchVirtualTime(t *testing.T) {
	sh, store := openShared(t)
	b := shareBundle(everyMinute, "kubetab advance 366d", "kubetab advance 366d", "kubetab advance 366d")
	start := time.Now()
	err := sh.ReplayShare(b, "a test")
	var bound *ReplayBoundError
	if !errors.As(err, &bound) || bound.Bound != "virtual time" || !strings.Contains(err.Error(), "31 days") {
		t.Fatalf("err = %v; want the virtual time bound, named", err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Logf("the refusal took %s", took) // not a failure: the machine may be loaded
	}
	if _, ok := sh.Replaying(); ok {
		t.Fatal("still replaying after the refusal")
	}
	mustBeThePlayground(t, sh, store)
}

// A bundle whose work outruns the step budget is refused too.
func TestReplayShareRefusesTooManySteps(t *testing.T) {
	defer func(n int) { shareSteps = n }(shareSteps)
	shareSteps = 5000
	sh, store := openShared(t)
	err := sh.ReplayShare(shareBundle(everyMinute, "kubetab advance 1d"), "a test")
	var bound *ReplayBoundError
	if !errors.As(err, &bound) || bound.Bound != "steps" || !strings.Contains(err.Error(), "5,000 steps") {
		t.Fatalf("err = %v; want the step bound, named", err)
	}
	mustBeThePlayground(t, sh, store)
}

// A bundle within the bounds replays into the link's context.
func TestReplayShareWithinBounds(t *testing.T) {
	sh, _ := openShared(t)
	if err := sh.ReplayShare(shareBundle(everyMinute, "kubetab advance 2h"), "a test"); err != nil {
		t.Fatal(err)
	}
	if ctx := sh.Context(); ctx != SharedContext("abcdefghijklmnop") {
		t.Fatalf("the tab is in %q", ctx)
	}
	if out, code := sh.Exec("kubectl get cronjob every-minute -o name"); code != 0 {
		t.Fatalf("the shared cluster's CronJob: %d %q", code, out)
	}
}

// The page sees the replay's progress in its turns (commands done of all, the virtual
// time reached), and a Cancel there stops it: the tab is back in the playground, as it was.
func TestReplayShareProgressAndCancel(t *testing.T) {
	sh, store := openShared(t)
	var lines []string
	for i := range 10 {
		lines = append(lines, fmt.Sprintf("kubectl create namespace n%d", i), "kubetab advance 1h")
	}
	var seen []ReplayProgress
	sh.turnEvery = 0 // a turn after every command, however fast the machine
	sh.yield = func() {
		p, ok := sh.Replaying()
		if !ok {
			return
		}
		seen = append(seen, p)
		if p.Done == 6 {
			sh.CancelReplay()
		}
	}
	err := sh.ReplayShare(shareBundle(lines...), "a test")
	if !errors.Is(err, ErrReplayCancelled) {
		t.Fatalf("err = %v; want ErrReplayCancelled", err)
	}
	if len(seen) < 6 {
		t.Fatalf("progress seen: %+v", seen)
	}
	last := seen[len(seen)-1]
	if last.Done != 6 || last.Total != 20 || last.From != "a test" || last.Now.Sub(last.Start) != 3*time.Hour {
		t.Fatalf("the last progress seen: %+v; want 6 of 20 done, 3h in", last)
	}
	if _, ok := sh.Replaying(); ok {
		t.Fatal("still replaying after the cancel")
	}
	sh.yield = func() {}
	mustBeThePlayground(t, sh, store)
}

// A background watch and a closed tab become lines a share bundle can replay.
func TestShareBundleOfBackgroundJobs(t *testing.T) {
	sh := startedShell(t)
	sh.Exec("kubectl get ns -w & kubectl create namespace one")
	sh.Exec("kill %1; jobs")
	sh.NewTab()
	sh.CloseTab(1)
	sh.Exec("kubectl get ns -w --watch-only &")
	b, err := sh.ShareBundle()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"kubectl get ns -w &", "kubectl create namespace one", "kill %1", "jobs >/dev/null", "kubectl get ns -w --watch-only &"}
	if strings.Join(b.History, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history %q; want %q", b.History, want)
	}
	other := startedShell(t)
	if err := other.ReplayShare(b, "a test"); err != nil {
		t.Fatal(err)
	}
	if out, _ := other.Exec("jobs"); out != "[1]+  Running                 kubectl get ns -w --watch-only &\n" {
		t.Fatalf("jobs after the replay: %q", out)
	}
}
