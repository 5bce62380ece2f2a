package session

import (
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
)

// A second tab runs `kubectl proxy` in the foreground until Ctrl-C while the first tab's
// curl reaches it; each tab has its own transcript, prompt, variables and history, and the
// first tab is the one saved.
func TestSecondTabRunsProxyWhileFirstCurls(t *testing.T) {
	sh, store := startedShell(t), memStorage(t)
	sh.store = store // saveNow below writes the first tab
	sh.AddHistory("POD=first")
	sh.Submit("POD=first")
	sh.NewTab()
	waitIdle(sh)
	if ts := sh.Tabs(); ts.Count != 2 || ts.Current != 1 {
		t.Fatalf("after NewTab: %+v", ts)
	}
	if sh.Transcript() != "" || len(sh.History()) != 0 {
		t.Fatalf("the new tab starts with the first one's transcript or history: %q %q", sh.Transcript(), sh.History())
	}
	sh.AddHistory("kubectl proxy")
	sh.Submit(`echo "${POD:-unset}"`)
	sh.Submit("kubectl proxy")
	if !sh.Streaming() || sh.Prompt() != "" || !strings.HasSuffix(sh.Transcript(), "$ kubectl proxy\nStarting to serve on 127.0.0.1:8001\n") {
		t.Fatalf("kubectl proxy in the second tab: streaming %v, prompt %q, transcript:\n%s", sh.Streaming(), sh.Prompt(), sh.Transcript())
	}
	if !strings.Contains(sh.Transcript(), "$ echo \"${POD:-unset}\"\nunset\n") {
		t.Fatalf("the second tab sees the first one's variable:\n%s", sh.Transcript())
	}

	sh.SelectTab(0)
	waitIdle(sh)
	if ts := sh.Tabs(); ts.Current != 0 || !ts.Running[1] || ts.Running[0] {
		t.Fatalf("after SelectTab(0): %+v", ts)
	}
	if sh.Streaming() || sh.Prompt() != "$ " {
		t.Fatalf("the first tab waits: prompt %q", sh.Prompt())
	}
	sh.Submit("curl -s http://localhost:8001/api/v1/namespaces/default/pods | jq -r .kind; echo $POD")
	if tr := sh.Transcript(); !strings.HasSuffix(tr, "PodList\nfirst\n") || strings.Contains(tr, "Starting to serve") {
		t.Fatalf("the first tab's transcript:\n%s", tr)
	}
	if h := sh.History(); len(h) != 1 || h[0] != "POD=first" {
		t.Fatalf("the first tab's history: %q", h)
	}
	sh.saveNow()
	if tab, _, _ := store.loadTab(); !strings.Contains(string(tab.Transcript), "PodList") || strings.Contains(string(tab.Transcript), "kubectl proxy") {
		t.Fatalf("the saved transcript is the second tab's:\n%s", tab.Transcript)
	}

	// Ctrl-C in the second tab ends the proxy; the first tab's curl is refused then.
	sh.SelectTab(1)
	sh.Interrupt()
	waitIdle(sh)
	if sh.Streaming() || sh.Prompt() != "$ " || !strings.HasSuffix(sh.Transcript(), "^C\n") {
		t.Fatalf("after Ctrl-C: prompt %q, transcript:\n%s", sh.Prompt(), sh.Transcript())
	}
	sh.CloseTab(1)
	waitIdle(sh)
	if ts := sh.Tabs(); ts.Count != 1 || ts.Current != 0 {
		t.Fatalf("after CloseTab: %+v", ts)
	}
	if out, code := sh.Exec("curl -s http://localhost:8001/version"); code != 7 {
		t.Fatalf("curl after Ctrl-C: %d %q", code, out)
	}
}

// `kill %1` in the first tab ends the second tab's foreground proxy: its prompt comes
// back when it is shown again. Closing a tab ends its proxy too.
func TestTabsForegroundJobEnds(t *testing.T) {
	sh := startedShell(t)
	sh.NewTab()
	sh.Submit("kubectl proxy")
	sh.SelectTab(0)
	sh.Submit("kill %1")
	if ts := sh.Tabs(); ts.Running[1] {
		t.Fatalf("the killed proxy's tab shows it running: %+v", ts)
	}
	sh.SelectTab(1)
	waitIdle(sh)
	if sh.Streaming() || sh.Prompt() != "$ " {
		t.Fatalf("the second tab still runs the killed proxy: prompt %q", sh.Prompt())
	}
	sh.Submit("kubectl proxy --port=8002")
	sh.CloseTab(1)
	waitIdle(sh)
	if out, _ := sh.Exec("jobs"); out != "" {
		t.Fatalf("jobs after closing the tab: %q", out)
	}
}

// A background watch prints into the terminal: its first table once its line ended, and
// what it sees while the clock runs with no line (a frame's tick), in the tab it started in.
func TestBackgroundWatchInTheTranscript(t *testing.T) {
	sh := startedShell(t)
	sh.Exec("kubectl create deployment web --image=nginx")
	sh.Exec("kubectl get deploy -w &")
	if tr := sh.Transcript(); !strings.Contains(tr, "$ kubectl get deploy -w &\nNAME ") {
		t.Fatalf("the watch's first table:\n%s", tr)
	}
	sh.NewTab()
	sh.Exec("echo in the second tab")
	start := time.Now()
	for i := range 20 {
		sh.ticks <- start.Add(time.Duration(i) * maxFrameGap)
	}
	sh.Exec("true") // after the ticks
	sh.SelectTab(0)
	sh.Exec("true")
	if tr := sh.Transcript(); !strings.Contains(tr, "\nweb   1/1") {
		t.Fatalf("the watch's row as the clock ran, in its tab:\n%s", tr)
	}
}

// Every tab comes back after a reload: its transcript, history and shell, and a container
// shell entered in the second tab, there, not in the first.
func TestTabsSurviveAReload(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	sh.Exec("kubectl run web --image=nginx && kubectl wait --for=condition=ready pod/web")
	sh.NewTab()
	waitIdle(sh)
	sh.AddHistory("X=second")
	sh.Submit("X=second")
	sh.Submit("kubectl exec -ti web -- bash")
	inside := sh.Prompt()
	if !strings.HasPrefix(inside, "root@web:") {
		t.Fatalf("the container's prompt: %q", inside)
	}
	sh.Saved()

	again := New()
	again.Start(store, terminal.Options{}, nil)
	if ts := again.Tabs(); ts.Count != 2 || ts.Current != 0 {
		t.Fatalf("tabs after a reload: %+v", ts)
	}
	if p := again.Prompt(); p != "$ " {
		t.Fatalf("the first tab's prompt after a reload: %q", p)
	}
	again.SelectTab(1)
	waitIdle(again)
	if p := again.Prompt(); p != inside {
		t.Fatalf("the second tab's prompt after a reload: %q, want %q", p, inside)
	}
	if tr := again.Transcript(); !strings.Contains(tr, "$ kubectl exec -ti web -- bash\n") {
		t.Fatalf("the second tab's transcript after a reload:\n%s", tr)
	}
	if h := again.History(); len(h) != 1 || h[0] != "X=second" {
		t.Fatalf("the second tab's history after a reload: %q", h)
	}
	again.Submit("exit")
	again.Submit(`echo "x=$X"`)
	if tr := again.Transcript(); !strings.HasSuffix(tr, "x=second\n") {
		t.Fatalf("the second tab's shell after a reload:\n%s", tr)
	}
}
