//go:build !wasm

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// setEditor puts text in the YAML editor as if typed (the page listens for input events).
func setEditor(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	waitFor(t, ctx, "the editor", `!!document.getElementById("editor-input")`, 20*time.Second)
	eval[bool](t, ctx, `(() => {
		const e = document.getElementById("editor-input");
		e.focus();
		e.value = `+js(text)+`;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`)
}

// click clicks an element once it is enabled.
func click(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	waitFor(t, ctx, "#"+id+" enabled", `(() => { const b = document.getElementById(`+js(id)+`); return b && !b.disabled; })()`, 20*time.Second)
	within(t, ctx, 10*time.Second, chromedp.Click(chromedp.ID(id)))
}

// The acceptance path of a new user: apply kubia-rc.yaml from the editor, watch three pods
// start, use the terminal, delete a pod and see it replaced, reload and find everything.
func TestApplyTerminalReload(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")

	setEditor(t, ctx, kubiaRC(t))
	click(t, ctx, "apply-button")
	waitFor(t, ctx, "three kubia pods Running", count(runningPods)+" === 3", 60*time.Second)
	pods := podNames(t, ctx, runningPods)
	for _, p := range pods {
		if !strings.HasPrefix(p, "kubia-") {
			t.Fatalf("running pods %v", pods)
		}
	}

	typeLine(t, ctx, "kubectl get rc kubia")
	waitFor(t, ctx, "kubectl's answer in the terminal", `/\$ kubectl get rc kubia\nNAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nkubia\s+3\s+3\s+3/.test(document.getElementById("terminal-output").textContent)`, 20*time.Second)

	// Lines run through the JS API appear in the terminal too.
	out := mustRun(t, ctx, "kubectl delete pod "+pods[0])
	if !strings.Contains(out, `pod "`+pods[0]+`" deleted`) {
		t.Fatalf("delete: %q", out)
	}
	waitFor(t, ctx, "the exec'd line in the terminal", `document.getElementById("terminal-output").textContent.includes("$ kubectl delete pod `+pods[0]+`\npod \"`+pods[0]+`\" deleted")`, 20*time.Second)
	waitFor(t, ctx, "a replacement pod", `(() => {
		const names = Array.from(document.querySelectorAll(`+js(runningPods)+`)).map(e => e.dataset.pod);
		return names.length === 3 && !names.includes(`+js(pods[0])+`);
	})()`, 60*time.Second)
	before := podNames(t, ctx, runningPods)
	// The save after a command is quick, but not instant.
	time.Sleep(time.Second)

	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	waitFor(t, ctx, "the same pods after the reload", `(() => {
		const names = Array.from(document.querySelectorAll(`+js(runningPods)+`)).map(e => e.dataset.pod).sort();
		return JSON.stringify(names) === `+js(mustJSON(before))+`;
	})()`, 60*time.Second)
	if tr := terminalText(ctx); !strings.Contains(tr, "$ kubectl get rc kubia") || !strings.Contains(tr, "# restored the cluster") {
		t.Fatalf("terminal after reload:\n%s", tail(tr, 2000))
	}
}

// The time controls move the clock through the session.
func TestTimeControls(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	now := func() time.Time {
		s := eval[string](t, ctx, `document.getElementById("time-now").getAttribute("datetime")`)
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatalf("time-now datetime %q: %v", s, err)
		}
		return tm
	}
	waitFor(t, ctx, "the clock", `!!document.getElementById("time-now").getAttribute("datetime")`, 20*time.Second)

	// Playing at 1x by default: time moves.
	t0 := now()
	waitFor(t, ctx, "the clock to run", `Date.parse(document.getElementById("time-now").getAttribute("datetime")) > `+jsTime(t0), 10*time.Second)

	click(t, ctx, "play-button") // pause
	waitFor(t, ctx, "paused", `document.getElementById("play-button").getAttribute("aria-pressed") === "false"`, 10*time.Second)
	paused := now()
	time.Sleep(500 * time.Millisecond)
	if !now().Equal(paused) {
		t.Fatal("time moved while paused")
	}

	click(t, ctx, "step-1m")
	waitFor(t, ctx, "a minute later", `Date.parse(document.getElementById("time-now").getAttribute("datetime")) === `+jsTime(paused.Add(time.Minute)), 10*time.Second)
	waitFor(t, ctx, "the step in the terminal", `document.getElementById("terminal-output").textContent.includes("$ kubetab advance 1m\ntime advanced 1m")`, 10*time.Second)

	mustRun(t, ctx, "kubectl create job sleeper --image=busybox -- sleep 90")
	click(t, ctx, "skip-next")
	waitFor(t, ctx, "the skip in the terminal", `/# next: .*\n\$ kubetab advance \S+\ntime advanced/.test(document.getElementById("terminal-output").textContent)`, 10*time.Second)

	// 600x while playing: minutes pass in a second.
	within(t, ctx, 10*time.Second, chromedp.SetValue(chromedp.ID("speed-select"), "600"))
	eval[bool](t, ctx, `document.getElementById("speed-select").dispatchEvent(new Event("change", {bubbles: true}))`)
	click(t, ctx, "play-button")
	start := now()
	waitFor(t, ctx, "five virtual minutes", `Date.parse(document.getElementById("time-now").getAttribute("datetime")) >= `+jsTime(start.Add(5*time.Minute)), 15*time.Second)
}

// A failed node goes NotReady, and after its pods' eviction time the RC replaces them.
func TestNodeFailure(t *testing.T) {
	ctx := openWithKubia(t)
	victims := podNames(t, ctx, `#cluster-view .node-card[data-node="kubetab-worker"] .pod[data-status=Running]`)

	typeLine(t, ctx, "kubetab node fail kubetab-worker")
	waitFor(t, ctx, "node/kubetab-worker failed", `document.getElementById("terminal-output").textContent.includes("node/kubetab-worker failed")`, 20*time.Second)
	click(t, ctx, "step-1m")
	waitFor(t, ctx, "kubetab-worker NotReady", `(document.querySelector('#cluster-view .node-card[data-node="kubetab-worker"]')||{dataset:{}}).dataset.status === "NotReady"`, 20*time.Second)

	// Pods on a NotReady node are evicted after 5 minutes (the default tolerations).
	for i := 0; i < 6; i++ {
		click(t, ctx, "step-1m")
	}
	waitFor(t, ctx, "replacements Running on other nodes", `(() => {
		const running = Array.from(document.querySelectorAll(`+js(runningPods)+`));
		return running.length >= 3 && running.filter(e => !e.closest('.node-card[data-node="kubetab-worker"]')).length === 3;
	})()`, 30*time.Second)
	if len(victims) > 0 {
		out := mustRun(t, ctx, "kubectl get pods")
		if !strings.Contains(out, victims[0]) || !strings.Contains(out, "Terminating") && !strings.Contains(out, "Unknown") {
			t.Logf("pods after the eviction:\n%s", out)
		}
	}
}

// What a user or a program writes (an annotation, a log line) is shown as text: markup in
// it runs nothing.
func TestUserDataIsText(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	const img = `<img src=x onerror="window.pwned=1">`
	const script = `<script>window.pwned=2</script>`
	pod := `apiVersion: v1
kind: Pod
metadata:
  name: xss
  annotations:
    note: |
      ` + img + script + `
spec:
  containers:
  - name: c
    image: busybox
    command:
    - sh
    - -c
    - |
      echo '` + img + `'; echo '` + script + `'; sleep 3600
`
	setEditor(t, ctx, pod)
	click(t, ctx, "apply-button")
	waitFor(t, ctx, "the pod applied", `document.getElementById("terminal-output").textContent.includes("pod/xss created")`, 20*time.Second)
	mustRun(t, ctx, "kubetab advance 30s")
	logs := mustRun(t, ctx, "kubectl logs xss")
	if !strings.Contains(logs, img) || !strings.Contains(logs, script) {
		t.Fatalf("logs: %q", logs)
	}
	mustRun(t, ctx, "kubectl describe pod xss")
	mustRun(t, ctx, "kubectl get pod xss -o yaml")
	// Open the pod's panel too: describe, YAML, events and logs.
	waitFor(t, ctx, "the pod in the cluster view", `!!document.querySelector('#cluster-view .pod[data-pod="xss"]')`, 20*time.Second)
	within(t, ctx, 10*time.Second, chromedp.Click(chromedp.CSS(`#cluster-view .pod[data-pod="xss"]`)))
	waitFor(t, ctx, "the pod's panel", `!!document.getElementById("panel-tab-logs")`, 10*time.Second)
	for _, tab := range []string{"panel-tab-yaml", "panel-tab-logs", "panel-tab-describe"} {
		within(t, ctx, 10*time.Second, chromedp.Click(chromedp.ID(tab)))
		time.Sleep(200 * time.Millisecond)
	}
	waitFor(t, ctx, "the literal markup on the page", `document.body.innerText.includes(`+js(img)+`)`, 20*time.Second)
	if eval[bool](t, ctx, `window.pwned !== undefined || document.querySelector('img[src="x"]') !== null || Array.from(document.scripts).some(s => s.textContent.includes("window.pwned"))`) {
		t.Fatal("markup from user data became HTML")
	}
	if !strings.Contains(terminalText(ctx), script) {
		t.Fatal("the <script> log line is not shown as text in the terminal")
	}
}

// Two tabs of one site: the second says so and never writes.
func TestSecondTab(t *testing.T) {
	first := newBrowser(t, "")
	open(t, first, baseURL+"/")
	mustRun(t, first, "kubectl create namespace first")
	waitFor(t, first, "no notice in the first tab", `document.getElementById("notice").textContent === ""`, 10*time.Second)

	second, cancel := newTab(t, first)
	defer cancel()
	open(t, second, baseURL+"/")
	waitFor(t, second, "the other-tab notice", `document.getElementById("notice").textContent.includes("open in another tab")`, 10*time.Second)
	// It shows the saved cluster, and what it does is not saved.
	if out := mustRun(t, second, "kubectl get ns first -o name"); out != "namespace/first\n" {
		t.Fatalf("second tab: %q", out)
	}
	mustRun(t, second, "kubectl create namespace second")
	time.Sleep(500 * time.Millisecond)
	cancel()

	within(t, first, 30*time.Second, chromedp.Reload())
	awaitReady(t, first)
	if r := run(t, first, "kubectl get ns second"); r.ExitCode == 0 {
		t.Fatal("the second tab's change was saved")
	}
	if out := mustRun(t, first, "kubectl get ns first -o name"); out != "namespace/first\n" {
		t.Fatalf("first tab after reload: %q", out)
	}
}

// `kubetab static --base-path /sub/` writes a site that works below that path.
func TestStaticSiteUnderSubPath(t *testing.T) {
	out := t.TempDir()
	cmd := exec.Command(filepath.Join(repoRoot, "bin", "kubetab"), "static", "--out", out, "--base-path", "/sub/")
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("static: %v\n%s", err, b)
	}
	for _, f := range []string{"web/app.wasm", "web/app.wasm.gz"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatal(err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/sub/", http.StripPrefix("/sub", http.FileServer(http.Dir(out))))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := newBrowser(t, "")
	open(t, ctx, srv.URL+"/sub/")
	if out := mustRun(t, ctx, "kubectl get nodes -o name"); !strings.Contains(out, "node/kubetab-worker") {
		t.Fatalf("nodes: %q", out)
	}
	// The pod chips' script (web/chips.js) loads from under the sub-path too.
	mustRun(t, ctx, "kubectl run sub --image=busybox -- sleep 3600")
	waitFor(t, ctx, "the pod in the cluster view", `!!document.querySelector('#cluster-view .pod[data-pod="sub"]')`, 20*time.Second)
}

// The pod chips follow the pods as they come, change and go, in each node's card, in name
// order; a chip is selected with the keyboard as with the mouse.
func TestPodChips(t *testing.T) {
	ctx := openWithKubia(t)

	// Every node's card shows exactly the pods on that node, sorted by name.
	matches := func() bool {
		out := mustRun(t, ctx, "kubectl get pods -o custom-columns=NODE:.spec.nodeName,NAME:.metadata.name,STATUS:.status.phase --no-headers")
		want := map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[2] != "Succeeded" {
				want[f[0]] = append(want[f[0]], f[1])
			}
		}
		got := eval[map[string][]string](t, ctx, `(() => {
			const m = {};
			for (const card of document.querySelectorAll("#cluster-view .node-card")) {
				const pods = Array.from(card.querySelectorAll(".pod")).map(e => e.dataset.pod);
				if (pods.length) m[card.dataset.node] = pods;
			}
			return m;
		})()`)
		for node, pods := range want {
			if !slices.Equal(got[node], pods) {
				t.Logf("node %s: view %v, cluster %v", node, got[node], pods)
				return false
			}
		}
		return len(got) == len(want)
	}
	check := func(what string) {
		t.Helper()
		for i := 0; !matches(); i++ {
			if i == 100 {
				t.Fatalf("%s: the node cards do not show the cluster's pods", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	check("three pods")
	mustRun(t, ctx, "kubectl scale rc kubia --replicas=12")
	mustRun(t, ctx, "kubetab advance 1m")
	check("scaled to 12")
	mustRun(t, ctx, "kubectl scale rc kubia --replicas=4")
	mustRun(t, ctx, "kubetab advance 1m")
	check("scaled down to 4")

	// Enter on a focused chip opens its panel and marks it pressed.
	name := eval[string](t, ctx, `(() => { const c = document.querySelector("#cluster-view .pod"); c.focus(); return c.dataset.pod; })()`)
	pressEnter(t, ctx)
	waitFor(t, ctx, "the pod's panel", `((document.getElementById("panel-title")||{}).textContent||"").startsWith(`+js("pod/"+name+" ")+`) && !!document.querySelector('#cluster-view .pod.selected[aria-pressed="true"][data-pod=`+js(name)+`]')`, 10*time.Second)
}

// engine/persist's conformance suite, against IndexedDB, in Chromium.
func TestIndexedDBConformance(t *testing.T) {
	dir := t.TempDir()
	build := exec.Command("go", "test", "-c", "-o", filepath.Join(dir, "test.wasm"), "./e2e/idbconformance")
	build.Dir = repoRoot
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the wasm test: %v\n%s", err, b)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	wasmExec, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "wasm_exec.js"), wasmExec, 0o644)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(testPage), 0o644)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	ctx := newBrowser(t, "")
	within(t, ctx, 30*time.Second, chromedp.Navigate(srv.URL+"/"))
	waitFor(t, ctx, "the wasm test to finish", `window.testResult !== undefined`, 150*time.Second)
	res := eval[struct {
		Code   int    `json:"code"`
		Output string `json:"output"`
	}](t, ctx, `window.testResult`)
	t.Logf("in Chromium:\n%s", tail(res.Output, 3000))
	if res.Code != 0 || !strings.Contains(res.Output, "--- PASS: TestConformanceIndexedDB") {
		t.Fatalf("exit %d", res.Code)
	}
}

// testPage runs a Go test binary built for js/wasm and keeps its output and exit status.
const testPage = `<!doctype html>
<meta charset="utf-8">
<script src="wasm_exec.js"></script>
<script>
let output = "";
const decoder = new TextDecoder();
globalThis.fs.writeSync = (fd, buf) => { output += decoder.decode(buf); return buf.length; };
const go = new Go();
go.argv = ["test.wasm", "-test.v", "-test.timeout=140s"];
go.exit = (code) => { window.testResult = {code, output}; };
WebAssembly.instantiateStreaming(fetch("test.wasm"), go.importObject)
  .then((r) => go.run(r.instance))
  .catch((e) => { window.testResult = {code: -1, output: output + String(e)}; });
</script>
`

// jsTime is t as JavaScript milliseconds.
func jsTime(t time.Time) string {
	return `Date.parse(` + js(t.UTC().Format(time.RFC3339Nano)) + `)`
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Without IndexedDB (private modes, storage disabled) the cluster lives in memory, and the
// page says so.
func TestNoStorageFallsBackToMemory(t *testing.T) {
	ctx := newBrowser(t, "")
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `Object.defineProperty(window, "indexedDB", {value: undefined, configurable: true});`,
	}); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, baseURL+"/")
	waitFor(t, ctx, "the memory-only notice", `document.getElementById("notice").textContent.includes("in memory only")`, 10*time.Second)
	if out := mustRun(t, ctx, "kubectl get nodes -o name"); !strings.Contains(out, "node/kubetab-worker") {
		t.Fatalf("nodes: %q", out)
	}
}

// pressEnter presses Enter as a keyboard does: one keydown that carries the text, whose
// default action (the keypress) a handler can prevent. chromedp.KeyEvent sends the text as
// an event of its own, which nothing can prevent.
func pressEnter(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, ty := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: ty, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
		if ty == input.DispatchKeyEventTypeKeyDown {
			p.Text = "\r"
		}
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := chromedp.Call(tctx, input.DispatchKeyEvent, p)
		cancel()
		if err != nil {
			t.Fatalf("pressing Enter: %v", err)
		}
	}
}
