//go:build !wasm

// Package e2e drives the web app in headless Chromium: `make test-e2e` (part of `make
// test`) builds the app, installs Debian's chromium when missing and runs these tests with
// KUBETAB_E2E=1. Without it they are skipped, so `go test ./...` needs no browser.
package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// repoRoot is where `kubetab serve` finds public/.
var repoRoot, _ = filepath.Abs("..")

// baseURL is the server every test loads, started once by TestMain.
var baseURL string

func TestMain(m *testing.M) {
	if os.Getenv("KUBETAB_E2E") == "" {
		fmt.Println("e2e: skipped (run `make test-e2e`, or set KUBETAB_E2E=1 after `make build`)")
		os.Exit(0)
	}
	if u := os.Getenv("KUBETAB_E2E_URL"); u != "" {
		// A server started by hand (kubetab serve), for debugging.
		baseURL = u
		os.Exit(m.Run())
	}
	stop, url, err := startServer("serve")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	baseURL = url
	code := m.Run()
	stop()
	os.Exit(code)
}

// startServer runs bin/kubetab with args plus --addr on a free loopback port and returns
// its URL once it listens.
func startServer(args ...string) (stop func(), url string, err error) {
	bin := filepath.Join(repoRoot, "bin", "kubetab")
	if _, err := os.Stat(filepath.Join(repoRoot, "public", "web", "app.wasm")); err != nil {
		return nil, "", fmt.Errorf("%v: run `make build` first", err)
	}
	cmd := exec.Command(bin, append(args, "--addr", "127.0.0.1:0")...)
	cmd.Dir = repoRoot
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop = func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		// A server that does not stop is killed: the tests must not hang on it.
		t := time.AfterFunc(10*time.Second, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
		defer t.Stop()
		cmd.Wait()
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := regexp.MustCompile(`serving on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case url = <-found:
		return stop, url, nil
	case <-time.After(20 * time.Second):
		stop()
		return nil, "", fmt.Errorf("%s did not start serving", bin)
	}
}

// newBrowser starts headless Chromium with a fresh profile for one test; profile lets two
// browsers of a test share one (nil: a new temporary one).
func newBrowser(t *testing.T, profile string) context.Context {
	t.Helper()
	ctx, cancel := startBrowser(t, profile)
	t.Cleanup(cancel)
	return ctx
}

// startBrowser is newBrowser for a browser the caller closes (cancel) before the test ends.
func startBrowser(t *testing.T, profile string) (context.Context, context.CancelFunc) {
	t.Helper()
	if profile == "" {
		profile = t.TempDir()
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Background tabs of the two-tab test must keep their timers and frames.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	attach(t, ctx)
	return ctx, func() {
		cancel()
		cancelAlloc()
	}
}

// newTab opens another tab in the browser of ctx.
func newTab(t *testing.T, ctx context.Context) (context.Context, context.CancelFunc) {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	attach(t, tab)
	return tab, cancel
}

// attach starts the browser or opens the tab of ctx. The first action on a context does
// that and ties the browser or tab to the context it runs with, so it runs with ctx itself
// (a deadline context would close the tab when it ends); the deadline is kept here.
func attach(t *testing.T, ctx context.Context) {
	t.Helper()
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting chromium: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not start within 30s")
	}
}

func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium: `make test-e2e` installs it (apt-get install -y chromium)")
	return ""
}

// within runs an action with a deadline; every wait in these tests has one.
func within(t *testing.T, ctx context.Context, d time.Duration, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := chromedp.Do(tctx, a); err != nil {
		t.Fatalf("%v", err)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.200s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it is truthy; when it times out it shows the
// end of the terminal.
func waitFor(t *testing.T, ctx context.Context, what, expr string, d time.Duration) {
	t.Helper()
	waitShowing(t, ctx, what, expr, terminalOutput, d)
}

// waitShowing is waitFor for a page without the terminal: when it times out it shows the
// string value of the JavaScript expression show (what the page saw).
func waitShowing(t *testing.T, ctx context.Context, what, expr, show string, d time.Duration) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0))); err != nil {
		t.Fatalf("waiting for %s (%s): %v\nthe page shows:\n%s", what, expr, err, tail(evalString(ctx, show), 1500))
	}
}

// terminalOutput is a JavaScript expression for the terminal's text ("" without one).
const terminalOutput = `((document.getElementById("terminal-output")||{}).textContent||"")`

func terminalText(ctx context.Context) string { return evalString(ctx, terminalOutput) }

// evalString evaluates expr for a failure's message: within 5 s (a frozen page does not
// answer), and the error in place of the value.
func evalString(ctx context.Context, expr string) string {
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(tctx, chromedp.Evaluate[string](expr))
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// open loads a page and waits for window.kubetab.ready; it returns the milliseconds from
// navigation start to ready, as the page measured them.
func open(t *testing.T, ctx context.Context, url string) float64 {
	t.Helper()
	within(t, ctx, 30*time.Second, chromedp.Navigate(url))
	return awaitReady(t, ctx)
}

// awaitReady waits for window.kubetab.ready, and returns when it resolved, then for the page
// to show the cluster (the app mounts the page just after ready: browser_wasm.go).
func awaitReady(t *testing.T, ctx context.Context) float64 {
	t.Helper()
	ready := eval[float64](t, ctx, `new Promise((resolve) => {
		const wait = () => window.kubetab ? window.kubetab.ready.then(() => resolve(performance.now())) : setTimeout(wait, 5);
		wait();
	})`)
	waitFor(t, ctx, "the page showing the cluster", `performance.getEntriesByName("kubetab:shown").length > 0`, 20*time.Second)
	return ready
}

type execResult struct {
	Output   string `json:"output"`
	ExitCode int    `json:"exitCode"`
}

// run runs a line through window.kubetab.exec.
func run(t *testing.T, ctx context.Context, line string) execResult {
	t.Helper()
	q, _ := json.Marshal(line)
	return eval[execResult](t, ctx, "window.kubetab.exec("+string(q)+")")
}

func mustRun(t *testing.T, ctx context.Context, line string) string {
	t.Helper()
	r := run(t, ctx, line)
	if r.ExitCode != 0 {
		t.Fatalf("%s: exit %d\n%s", line, r.ExitCode, r.Output)
	}
	return r.Output
}

// typeLine types a line into the terminal's input and presses Enter.
func typeLine(t *testing.T, ctx context.Context, line string) {
	t.Helper()
	waitFor(t, ctx, "the terminal input", `(() => { const i = document.getElementById("terminal-input"); return i && !i.disabled; })()`, 20*time.Second)
	within(t, ctx, 20*time.Second, chromedp.Steps(
		chromedp.Focus(chromedp.ID("terminal-input")),
		chromedp.SendKeys(chromedp.ID("terminal-input"), line+kb.Enter),
	))
}

// js quotes a Go string for JavaScript.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// count is a JavaScript expression counting elements.
func count(selector string) string {
	return "document.querySelectorAll(" + js(selector) + ").length"
}

// openWithKubia opens the playground in a new browser and applies the book's kubia RC: its
// three pods are Running when it returns.
func openWithKubia(t *testing.T) context.Context {
	t.Helper()
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	mustRun(t, ctx, heredoc("kubectl apply -f -", kubiaRC(t)))
	mustRun(t, ctx, "kubetab advance 1m")
	waitFor(t, ctx, "three Running pods", count(runningPods)+" === 3", 30*time.Second)
	return ctx
}

func kubiaRC(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "manifests", "kubia-rc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func heredoc(cmd, body string) string {
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	return cmd + " <<EOF\n" + body + "EOF"
}

const runningPods = "#cluster-view .pod[data-status=Running]"

// podNames lists the pods the cluster view shows, with their status.
func podNames(t *testing.T, ctx context.Context, selector string) []string {
	t.Helper()
	return eval[[]string](t, ctx, `Array.from(document.querySelectorAll(`+js(selector)+`)).map(e => e.dataset.pod).sort()`)
}

// waitSaved returns once the page's storage has every change made so far.
func waitSaved(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `window.kubetab.saved().then(() => true)`)
}
