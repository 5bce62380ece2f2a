package terminal

import (
	"strings"
	"testing"
)

// A background watch survives a restore: the journal starts it again, with its output
// discarded, so that job numbers, kills and what it prints next come out as in one run;
// with no line running its output waits for TakeBackground.
func TestBackgroundStreamRestored(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, s, "kubectl get namespaces -w & kubectl proxy &")
	exec(t, s, "kubectl create namespace one")
	exec(t, s, "kill %1; jobs") // job 1 reported and forgotten: the proxy keeps number 2
	exec(t, s, "kubectl get namespaces -w --watch-only &")

	re, err := Restore(s.State(), Options{})
	if err != nil || len(re.Divergences()) > 0 {
		t.Fatalf("restore: %v %v", err, re.Divergences())
	}
	for _, x := range []*Session{s, re} {
		var out strings.Builder
		x.RunLine("jobs", &out)
		if want := "[2]-  Running                 kubectl proxy &\n[3]+  Running                 kubectl get namespaces -w --watch-only &\n"; out.String() != want {
			t.Fatalf("jobs:\n%s", out.String())
		}
		if got := x.TakeBackground(0); got != "" {
			t.Fatalf("output waiting after jobs: %q", got)
		}
		// The clock moves with no line running: the watch's rows wait for the host.
		exec(t, x, "kubectl create namespace two")
		x.TakeBackground(0)
		x.RunLine("kubectl label namespace two team=a >/dev/null", &strings.Builder{})
		if err := x.Advance(5e9); err != nil {
			t.Fatal(err)
		}
		if got := x.TakeBackground(0); got != "" {
			t.Fatalf("the label's row was not shown in its line: %q", got)
		}
	}
}

// What a background stream prints while no line runs in its terminal waits for the host
// (TakeBackground), and shows first in the next line there.
func TestBackgroundOutputWaits(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, s, "kubectl create deployment web --image=nginx; kubectl get deploy -w &")
	if got := s.TakeBackground(0); !strings.HasPrefix(got, "NAME ") {
		t.Fatalf("the watch's first table, after its line: %q", got)
	}
	if err := s.Advance(10e9); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	s.RunLine("echo next", &out)
	if got := out.String(); !strings.HasPrefix(got, "web   1/1") || !strings.HasSuffix(got, "next\n") {
		t.Fatalf("the line after the clock moved: %q", got)
	}
	if !isStreamCommand([]string{"kubectl", "logs", "-f", "p"}) || isStreamCommand([]string{"kubectl", "get", "pods", "-w=false"}) || !isStreamCommand([]string{"k", "rollout", "status", "deploy/web"}) {
		t.Fatal("isStreamCommand")
	}
}
