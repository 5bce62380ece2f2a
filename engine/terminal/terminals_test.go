package terminal

import (
	"strings"
	"testing"
)

// A second terminal runs `kubectl proxy` in the foreground until Ctrl-C while the first
// one's curl reaches it; each terminal keeps its own variables.
func TestSecondTerminalRunsProxyInTheForeground(t *testing.T) {
	s := MustSession(t, Options{})
	run := func(line string) (string, int) {
		t.Helper()
		var b strings.Builder
		code := s.RunLine(line, &b)
		return b.String(), code
	}
	run("X=first")
	n, err := s.OpenTerminal()
	if err != nil || n != 1 || s.Terminals() != 2 {
		t.Fatalf("OpenTerminal: %d, %v (%d terminals)", n, err, s.Terminals())
	}
	if err := s.UseTerminal(1); err != nil {
		t.Fatal(err)
	}
	if out, _ := run(`echo "${X:-unset}"`); out != "unset\n" {
		t.Fatalf("the second terminal sees the first one's variable: %q", out)
	}
	var b strings.Builder
	streaming, code := s.Start("kubectl proxy", &b)
	if !streaming || code != 0 || b.String() != "Starting to serve on 127.0.0.1:8001\n" || !s.Streaming() {
		t.Fatalf("kubectl proxy typed: streaming %v, code %d, %q", streaming, code, b.String())
	}
	if err := s.UseTerminal(0); err != nil {
		t.Fatal(err)
	}
	if s.Streaming() || s.Prompt() != "$ " {
		t.Fatal("the first terminal waits for the second one's proxy")
	}
	if out, code := run("curl -s http://localhost:8001/version | jq -r .gitVersion"); code != 0 || !strings.HasPrefix(out, "v1.") {
		t.Fatalf("curl through the second terminal's proxy: %d %q", code, out)
	}
	if out, _ := run("jobs"); !strings.Contains(out, "kubectl proxy") {
		t.Fatalf("jobs: %q", out)
	}
	if out, _ := run(`echo "$X"`); out != "first\n" {
		t.Fatalf("the first terminal's variable: %q", out)
	}

	// A reload keeps both terminals; the foreground proxy comes back as a job.
	r, err := Restore(s.State(), Options{})
	if err != nil || len(r.Divergences()) > 0 || r.Terminals() != 2 || r.Terminal() != 0 {
		t.Fatalf("Restore: %v %v, %d terminals", err, r.Divergences(), r.Terminals())
	}
	var rb strings.Builder
	if r.RunLine("curl -s -o /dev/null -w '%{http_code}' http://localhost:8001/version", &rb); rb.String() != "200" {
		t.Fatalf("the proxy after a reload: %q", rb.String())
	}

	// Ctrl-C in the second terminal ends the proxy, journaled as the kill it amounts to.
	s.UseTerminal(1)
	if !s.StopStream() || s.Streaming() {
		t.Fatal("Ctrl-C did not stop the foreground proxy")
	}
	s.UseTerminal(0)
	if out, code := run("curl -s http://localhost:8001/version"); code != 7 {
		t.Fatalf("curl after Ctrl-C: %d %q", code, out)
	}
	r, err = Restore(s.State(), Options{})
	if err != nil || len(r.Divergences()) > 0 {
		t.Fatalf("Restore: %v %v", err, r.Divergences())
	}
	var jb strings.Builder
	if r.RunLine("jobs", &jb); jb.String() != "" {
		t.Fatalf("jobs after a reload of a stopped proxy: %q", jb.String())
	}
}

// `kill %N` in one terminal ends the job another runs in the foreground: that terminal's
// line goes on.
func TestKillEndsAnotherTerminalsForegroundJob(t *testing.T) {
	s, b := proxyInSecondTerminal(t, "kubectl proxy; echo after")
	s.UseTerminal(0)
	var k strings.Builder
	if code := s.RunLine("kill %1", &k); code != 0 {
		t.Fatalf("kill %%1: %d %q", code, k.String())
	}
	s.UseTerminal(1)
	if s.Streaming() || !s.Waiting() {
		t.Fatal("the second terminal's line does not go on")
	}
	if streaming, _ := s.Resume(); streaming || !strings.HasSuffix(b.String(), "after\n") {
		t.Fatalf("the rest of the line: %v %q", streaming, b.String())
	}
	if err := s.CloseTerminal(1); err != nil || s.Terminals() != 1 || s.Terminal() != 0 {
		t.Fatalf("CloseTerminal: %v, %d terminals, current %d", err, s.Terminals(), s.Terminal())
	}
	if s.CloseTerminal(0) == nil {
		t.Fatal("the first terminal closed")
	}
}

// Closing a terminal ends its foreground job.
func TestClosingATerminalEndsItsForegroundJob(t *testing.T) {
	s, _ := proxyInSecondTerminal(t, "kubectl proxy --port=8002")
	if err := s.CloseTerminal(1); err != nil {
		t.Fatal(err)
	}
	var j strings.Builder
	if s.RunLine("jobs", &j); j.String() != "" {
		t.Fatalf("jobs after closing the terminal: %q", j.String())
	}
}

// proxyInSecondTerminal opens a second terminal and starts line there, which must wait
// for its foreground proxy; b collects its output.
func proxyInSecondTerminal(t *testing.T, line string) (*Session, *strings.Builder) {
	t.Helper()
	s := MustSession(t, Options{})
	s.OpenTerminal()
	s.UseTerminal(1)
	b := &strings.Builder{}
	if streaming, _ := s.Start(line, b); !streaming {
		t.Fatal("kubectl proxy did not wait")
	}
	return s, b
}

// Closing a terminal inside a container's shell leaves it, journaled: a replay does not
// leave the first terminal inside.
func TestClosingATerminalLeavesItsContainerShell(t *testing.T) {
	s := MustSession(t, Options{})
	var b strings.Builder
	s.RunLine("kubectl run web --image=nginx && kubectl wait --for=condition=ready pod/web", &b)
	s.OpenTerminal()
	s.UseTerminal(1)
	if code := s.RunLine("kubectl exec -ti web -- bash", &b); code != 0 || !s.Inside() {
		t.Fatalf("exec -ti: %d\n%s", code, b.String())
	}
	s.UseTerminal(0)
	if err := s.CloseTerminal(1); err != nil {
		t.Fatal(err)
	}
	r, err := Restore(s.State(), Options{})
	if err != nil || len(r.Divergences()) > 0 || r.Inside() {
		t.Fatalf("Restore: %v %v, inside %v", err, r.Divergences(), r.Inside())
	}
}

// A reload brings every terminal back: its shell's variables, and the container shell
// entered there, in that terminal; a terminal closed before shifts the numbers after it in
// the replay as it did in the first run. A journal written before entries said their
// terminal replays in the first.
func TestTerminalsRestored(t *testing.T) {
	s := MustSession(t, Options{})
	var b strings.Builder
	s.RunLine("kubectl run web --image=nginx && kubectl wait --for=condition=ready pod/web", &b)
	s.OpenTerminal() // 1, closed below
	s.OpenTerminal() // 2, then 1
	s.UseTerminal(2)
	s.RunLine("Y=second", &b)
	if code := s.RunLine("kubectl exec -ti web -- bash", &b); code != 0 || !s.Inside() {
		t.Fatalf("exec -ti: %d\n%s", code, b.String())
	}
	s.RunLine("cd /usr/share/nginx/html", &b)
	s.UseTerminal(0)
	if err := s.CloseTerminal(1); err != nil {
		t.Fatal(err)
	}
	st := s.State()
	r, err := Restore(st, Options{})
	if err != nil || len(r.Divergences()) > 0 || r.Terminals() != 2 || r.Terminal() != 0 || r.Inside() {
		t.Fatalf("Restore: %v %v, %d terminals, current %d, inside %v", err, r.Divergences(), r.Terminals(), r.Terminal(), r.Inside())
	}
	r.UseTerminal(1)
	if !r.Inside() || !strings.Contains(r.Prompt(), "/usr/share/nginx/html") {
		t.Fatalf("the second terminal after a reload: inside %v, prompt %q", r.Inside(), r.Prompt())
	}
	r.RunLine("exit", &b)
	var y strings.Builder
	if r.RunLine(`echo "$Y"`, &y); y.String() != "second\n" {
		t.Fatalf("the second terminal's variable after a reload: %q", y.String())
	}

	// The same journal without terminals, as older kubetab wrote it: all in the first.
	for i := range st.Journal {
		st.Journal[i].Term = 0
	}
	st.Terminals = nil
	old, err := Restore(st, Options{})
	if err != nil || old.Terminals() != 1 || !old.Inside() {
		t.Fatalf("an older journal: %v, %d terminals, inside %v", err, old.Terminals(), old.Inside())
	}
}
