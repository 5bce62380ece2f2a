package session

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
)

// frames returns a function that runs the clock for n animation frames of 50 ms wall time
// each, as the page's frame clock does.
func frames(sh *Shell) func(n int) {
	wall := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	return func(n int) {
		for range n {
			wall = wall.Add(50 * time.Millisecond)
			done := make(chan struct{})
			sh.jobs.post(func() { sh.tick(wall); close(done) })
			<-done
		}
	}
}

// waitIdle waits until the session goroutine has run everything posted so far.
func waitIdle(sh *Shell) { sh.do(func() {}) }

// A watch typed at the prompt streams rows as the clock runs and other commands change the
// cluster, until Ctrl-C; a line typed meanwhile runs after it. The JS API's watch stays
// bounded.
func TestTypedWatchStreamsUntilInterrupt(t *testing.T) {
	sh := startedShell(t)
	play := frames(sh)
	sh.Exec("kubectl apply -f - <<EOF\n" + kubiaRC + "EOF")
	play(1)
	sh.Submit("kubectl get pods -w")
	if !sh.Streaming() || sh.Prompt() != "" {
		t.Fatalf("not streaming: prompt %q", sh.Prompt())
	}
	if tr := sh.Transcript(); !regexp.MustCompile(`\$ kubectl get pods -w\nNAME +READY +STATUS +RESTARTS +AGE\n(kubia-\S+ +0/1 +ContainerCreating .*\n){3}$`).MatchString(tr) {
		t.Fatalf("after the start:\n%s", tr)
	}
	sh.SetSpeed(10)
	play(20) // 10 virtual seconds
	if tr := sh.Transcript(); len(regexp.MustCompile(`(?m)^kubia-\S+ +1/1 +Running `).FindAllString(tr, -1)) != 3 {
		t.Fatalf("no Running rows while time ran:\n%s", tr)
	}

	// Lines from the JS API run meanwhile, bounded; the stream shows what they changed.
	if out, _ := sh.Exec("kubectl scale rc kubia --replicas=4"); out != "replicationcontroller/kubia scaled\n" {
		t.Fatalf("scale: %q", out)
	}
	if tr := sh.Transcript(); !regexp.MustCompile(`\$ kubectl scale rc kubia --replicas=4\nreplicationcontroller/kubia scaled\nkubia-\S+ +0/1 +(Pending|ContainerCreating) +0 +0s\n$`).MatchString(tr) {
		t.Fatalf("after scale:\n%s", tr)
	}
	if out, _ := sh.Exec("kubectl get rc -w --request-timeout=5s"); !strings.Contains(out, "kubetab: stopped watching after ") {
		t.Fatalf("the JS API's watch did not stay bounded: %q", out)
	}

	// Typed while streaming: it waits.
	sh.Submit("kubectl get rc kubia -o name")
	if strings.Contains(sh.Transcript(), "$ kubectl get rc kubia -o name") {
		t.Fatal("a line typed during the stream ran at once")
	}
	sh.Interrupt()
	waitIdle(sh)
	if sh.Streaming() || sh.Prompt() != "$ " {
		t.Fatalf("after Ctrl-C: streaming %v prompt %q", sh.Streaming(), sh.Prompt())
	}
	if tr := sh.Transcript(); !strings.HasSuffix(tr, "\n^C\n$ kubectl get rc kubia -o name\nreplicationcontroller/kubia\n") {
		t.Fatalf("after Ctrl-C:\n%s", tr[max(0, len(tr)-600):])
	}
	before := sh.Transcript()
	play(10)
	sh.Exec("kubectl delete rc kubia")
	if strings.Count(sh.Transcript(), "kubia-") != strings.Count(before, "kubia-") {
		t.Fatal("the stopped stream printed more rows")
	}
	sh.Interrupt() // nothing to stop
	waitIdle(sh)
	if strings.Contains(strings.TrimPrefix(sh.Transcript(), before), "^C") {
		t.Fatal("Ctrl-C without a stream printed ^C")
	}
}

// A follow ends with its container; then the rest of its line runs and the prompt returns.
// Reloading the page rebuilds the same cluster.
func TestTypedFollowEndsByItself(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	play := frames(sh)
	sh.Exec("kubectl run talker --image=busybox --restart=Never -- sh -c 'echo a; sleep 20; echo b'")
	sh.Exec("kubetab advance 5s")
	sh.Submit("kubectl logs -f talker; kubectl get pod talker -o name")
	if !sh.Streaming() || !strings.HasSuffix(sh.Transcript(), "$ kubectl logs -f talker; kubectl get pod talker -o name\na\n") {
		t.Fatalf("start: streaming %v\n%s", sh.Streaming(), sh.Transcript())
	}
	sh.SetSpeed(10)
	play(50) // 25 virtual seconds
	if sh.Streaming() || sh.Prompt() != "$ " {
		t.Fatal("the follow outlived its container")
	}
	if tr := sh.Transcript(); !strings.HasSuffix(tr, "talker -o name\na\nb\npod/talker\n") {
		t.Fatalf("after the container ended:\n%s", tr)
	}
	saved(t, sh)
	want, _ := sh.Exec("kubectl get pods -o wide; kubectl get events")
	now := sh.Clock().Now

	again := New()
	again.Start(store, terminal.Options{}, nil)
	if d := again.Notice(); d != "" {
		t.Fatalf("notice after reload: %s", d)
	}
	if got, _ := again.Exec("kubectl get pods -o wide; kubectl get events"); got != want || !again.Clock().Now.Equal(now) {
		t.Fatalf("after reload (%s, want %s):\n%s\nwant:\n%s", again.Clock().Now, now, got, want)
	}
}

// A reset ends the stream and gives the prompt back; the rest of the line is dropped.
func TestResetEndsStream(t *testing.T) {
	sh := startedShell(t)
	sh.Submit("kubectl get nodes -w; kubectl create namespace after")
	if !sh.Streaming() {
		t.Fatal("not streaming")
	}
	sh.Reset()
	waitIdle(sh)
	if sh.Streaming() || sh.Prompt() != "$ " {
		t.Fatal("still streaming after the reset")
	}
	if out, _ := sh.Exec("kubectl get ns after"); !strings.Contains(out, "NotFound") {
		t.Fatalf("the rest of the line ran: %q", out)
	}
}
