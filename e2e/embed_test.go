//go:build !wasm

package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// consoleWarnings collects the console warnings of a tab, its same-site frames included.
type consoleWarnings struct {
	mu   sync.Mutex
	msgs []string
}

func watchConsole(t *testing.T, ctx context.Context) *consoleWarnings {
	t.Helper()
	w := &consoleWarnings{}
	err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*runtime.EventConsoleAPICalled)
		if !ok || e.Type == runtime.ConsoleAPICalledTypeDebug {
			return
		}
		var parts []string
		for _, a := range e.Args {
			parts = append(parts, strings.Trim(string(a.Value), `"`))
		}
		w.mu.Lock()
		w.msgs = append(w.msgs, strings.Join(parts, " "))
		w.mu.Unlock()
	})
	if err != nil {
		t.Fatalf("listening to the console: %v", err)
	}
	return w
}

// wait waits for a warning containing s.
func (w *consoleWarnings) wait(t *testing.T, s string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		for _, m := range w.msgs {
			if strings.Contains(m, s) {
				w.mu.Unlock()
				return
			}
		}
		w.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	t.Fatalf("no console warning with %q within %s; warnings:\n%s", s, d, strings.Join(w.msgs, "\n"))
}

// frameText is the text of selector inside the first iframe matching frame (a same-site
// frame: 127.0.0.1 on another port is another origin but the same site and process).
func frameText(t *testing.T, ctx context.Context, frame, selector string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	nodes, err := chromedp.Run(tctx, chromedp.Nodes(chromedp.CSS(frame)))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("no frame %s: %v", frame, err)
	}
	s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(selector), chromedp.FromNode(nodes[0])))
	if err != nil {
		t.Fatalf("reading %s in %s: %v", selector, frame, err)
	}
	return s
}

// waitFrameText waits until selector's text in the frame contains every one of want.
func waitFrameText(t *testing.T, ctx context.Context, frame, selector string, d time.Duration, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(d)
	var s string
	for {
		s = frameText(t, ctx, frame, selector)
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the widget's %s has no %q after %s:\n%s", selector, missing, d, tail(s, 2000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func htmlServer(page string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
}

// The docs page of public/embed-example.html on one origin, the widget from the kubetab
// server on another: both Run buttons run their commands in the widget and get results
// back; messages from a disallowed origin, or of the wrong shape, are ignored with a
// console warning.
func TestEmbedExamplePage(t *testing.T) {
	host, ctx, warnings := openExamplePage(t, "embed-example.html")
	defer host.Close()
	eval[bool](t, ctx, `(() => {
		window.results = [];
		addEventListener("message", (e) => { if (e.data && e.data.type === "kubetab:result") results.push(e.data); });
		return true;
	})()`)
	waitFor(t, ctx, "two Run buttons", count(".kubetab-run-button")+" === 2", 10*time.Second)
	frame := "#lab iframe"
	if src := eval[string](t, ctx, `document.querySelector("#lab iframe").src`); !strings.HasPrefix(src, baseURL+"/embed?") || !strings.Contains(src, "origins="+strings.ReplaceAll(strings.ReplaceAll(host.URL, ":", "%3A"), "/", "%2F")) {
		t.Fatalf("the widget's frame is %s; want %s/embed?...origins=%s", src, baseURL, host.URL)
	}

	runBlocks(t, ctx, warnings, frame, "create-rc", "get-pods")
	// The start command (data-run), then both blocks' commands, in the widget's terminal.
	waitFrameText(t, ctx, frame, "#terminal-output", 10*time.Second,
		"$ kubectl get nodes", "kubetab-worker",
		"$ kubectl apply -f - <<EOF", "replicationcontroller/kubia created", "$ kubetab advance 30s",
		"$ kubectl get rc kubia", "$ kubectl get pods -l app=kubia", "Running")
	// One result per block: a block goes as one message, run as if pasted.
	results := eval[[]execResult](t, ctx, `results`)
	if len(results) != 2 {
		t.Fatalf("got %d results, want 2 (one per block): %+v", len(results), results)
	}
	if !strings.Contains(results[1].Output, "kubia-") || results[1].ExitCode != 0 {
		t.Fatalf("the block with kubectl get pods came back as %+v", results[1])
	}
	// The frame follows its content's height.
	waitFor(t, ctx, "the frame's height from the widget", `document.querySelector("#lab iframe").height !== "420"`, 10*time.Second)

	// A message of the wrong shape from the allowed origin: ignored, with a warning.
	eval[bool](t, ctx, `(document.querySelector("#lab iframe").contentWindow.postMessage({type: "kubetab:exec", id: 7, line: "kubectl create namespace shape"}, "*"), true)`)
	warnings.wait(t, "its id is not a string", 10*time.Second)

	// A third origin frames the widget without being allowed, and posts into it.
	other := htmlServer(`<!doctype html><title>other</title><iframe id="w" src="` + baseURL + `/embed?origins=` + host.URL + `"></iframe>`)
	defer other.Close()
	within(t, ctx, 30*time.Second, chromedp.Navigate(other.URL+"/"))
	eval[bool](t, ctx, `(() => {
		window.got = [];
		addEventListener("message", (e) => got.push(e.data && e.data.type));
		const f = document.getElementById("w");
		window.poster = setInterval(() => f.contentWindow.postMessage({type: "kubetab:exec", id: "x", line: "kubectl create namespace intruder"}, "*"), 200);
		return true;
	})()`)
	warnings.wait(t, "ignored a message from "+other.URL+": that origin is not allowed", 30*time.Second)
	eval[bool](t, ctx, `(clearInterval(poster), true)`)
	time.Sleep(time.Second)
	if got := eval[[]string](t, ctx, `got`); len(got) != 0 {
		t.Fatalf("the widget answered a disallowed origin: %v", got)
	}
	if text := frameText(t, ctx, "#w", "#terminal-output"); strings.Contains(text, "intruder") {
		t.Fatalf("a command from a disallowed origin ran:\n%s", text)
	}
}

// openExamplePage serves public/NAME on an origin of its own, loading embed.js (and so the
// widget) from the kubetab server, and opens it in a fresh browser that collects console
// warnings.
func openExamplePage(t *testing.T, name string) (*httptest.Server, context.Context, *consoleWarnings) {
	t.Helper()
	example, err := os.ReadFile(filepath.Join(repoRoot, "public", name))
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Replace(string(example), `src="embed.js"`, `src="`+baseURL+`/embed.js"`, 1)
	if page == string(example) {
		t.Fatalf(`%s does not load embed.js with src="embed.js"`, name)
	}
	host := htmlServer(page)
	ctx := newBrowser(t, "")
	warnings := watchConsole(t, ctx)
	within(t, ctx, 30*time.Second, chromedp.Navigate(host.URL+"/"))
	return host, ctx, warnings
}

// runBlocks presses the Run buttons of the page's blocks in order, each after the one
// before finished, and fails unless every block succeeds.
func runBlocks(t *testing.T, ctx context.Context, warnings *consoleWarnings, frame string, ids ...string) {
	t.Helper()
	for i, pre := range ids {
		eval[bool](t, ctx, `(document.querySelectorAll(".kubetab-run-button")[`+strconv.Itoa(i)+`].click(), true)`)
		done := `document.getElementById(` + js(pre) + `).dataset.kubetabDone === "ok"`
		tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		_, err := chromedp.Run(tctx, chromedp.Poll[chromedp.Void](done, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0)))
		cancel()
		if err != nil {
			status := eval[string](t, ctx, `Array.from(document.querySelectorAll(".kubetab-run-status")).map(e => e.textContent).join(" | ")`)
			warnings.mu.Lock()
			t.Fatalf("the block %s did not finish: %v\nstatus: %s\nwarnings: %s\nwidget:\n%s", pre, err, status, strings.Join(warnings.msgs, "\n"), tail(frameText(t, ctx, frame, "#terminal-output"), 2000))
		}
	}
}

// The docs-page example (public/docs-example.html): prose with blocks in the shell docs
// are written in (variables and $(...), go-template and jsonpath, pipes, a loop over
// several lines, a here-document written to a file, if), each run by its Run button top
// to bottom in the embedded widget; every block succeeds.
func TestDocsExamplePage(t *testing.T) {
	host, ctx, warnings := openExamplePage(t, "docs-example.html")
	defer host.Close()
	ids := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("pre[data-kubetab-run]")).map(e => e.id)`)
	if len(ids) < 5 {
		t.Fatalf("the page has %d runnable blocks: %v", len(ids), ids)
	}
	waitFor(t, ctx, "a Run button per block", count(".kubetab-run-button")+" === "+strconv.Itoa(len(ids)), 10*time.Second)
	frame := "#lab iframe"
	runBlocks(t, ctx, warnings, frame, ids...)
	waitFrameText(t, ctx, frame, "#terminal-output", 10*time.Second,
		"Name of the Pod: kubernetes-bootcamp-", "$ for i in $(seq 1 12)", "> done | cut",
		"configmap/greeting created", "Hello from a ConfigMap", "version 2 answers")
}
