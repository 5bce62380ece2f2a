//go:build !wasm

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The learner's side of the site (issue #16): a cluster per context, progress that lasts,
// checks that teach, every width, the terminal's feel, export and import, the editor's
// help, the header, and the Deployment tree (issue #13). The accessibility checks are in
// a11y_test.go.

const lessonReady = `(() => { const l = document.getElementById("lesson"); return !!l && l.dataset.ready === "true"; })()`

// openLesson loads a lesson page and waits for the lesson.
func openLesson(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	open(t, ctx, baseURL+"/tutorial/"+name)
	waitFor(t, ctx, "the lesson "+name, lessonReady, 30*time.Second)
}

// openIndex loads the lesson list, which shows no cluster, and waits for the list.
func openIndex(t *testing.T, ctx context.Context) {
	t.Helper()
	within(t, ctx, 30*time.Second, chromedp.Navigate(baseURL+"/tutorial"))
	waitFor(t, ctx, "the lesson list", `!!document.querySelector("#lessons [data-lesson]")`, 30*time.Second)
}

// lessonNames are the lessons the site lists, in order.
func lessonNames(t *testing.T) []string {
	t.Helper()
	res, err := http.Get(baseURL + "/tutorials/index.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list []struct{ Name string }
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range list {
		names = append(names, l.Name)
	}
	if len(names) < 6 {
		t.Fatalf("lessons: %v", names)
	}
	return names
}

// runLesson presses every Run button of the page's lesson in order, at the clock's speed
// as it is, and waits for every check to pass; it returns how many there are.
func runLesson(t *testing.T, ctx context.Context) int {
	t.Helper()
	checks := 0
	for _, s := range eval[[]lessonStep](t, ctx, lessonSteps) {
		if s.Run != "" {
			runBlock(t, ctx, s.Run)
		} else {
			checks++
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for eval[int](t, ctx, count("#lesson [data-check][data-state=pass]")) != checks {
		if time.Now().After(deadline) {
			t.Fatalf("not every check passed:\n%s", checkStates(t, ctx))
		}
		time.Sleep(200 * time.Millisecond)
	}
	return checks
}

// checkStates says which checks do not pass, with their notes, for a failure message.
func checkStates(t *testing.T, ctx context.Context) string {
	return eval[string](t, ctx, `Array.from(document.querySelectorAll("#lesson [data-check]")).filter(c => c.dataset.state !== "pass").map(c => c.dataset.check + " " + c.dataset.state + ": " + c.querySelector(".check-note").textContent).join("\n")`)
}

// answerDialog fills the page's dialog's field (when value is not "") and presses its button.
func answerDialog(t *testing.T, ctx context.Context, value string) {
	t.Helper()
	waitFor(t, ctx, "the dialog", `!!document.querySelector("dialog#dialog[open]")`, 10*time.Second)
	if value != "" {
		eval[bool](t, ctx, `(() => { document.getElementById("dialog-input").value = `+js(value)+`; return true; })()`)
	}
	click(t, ctx, "dialog-ok")
	waitFor(t, ctx, "the dialog closed", `!document.getElementById("dialog")`, 10*time.Second)
}

// Work in the playground, open two lessons, come back: the playground's cluster, files and
// history are as they were, and nothing of the lessons is in them; a reload agrees.
func TestLessonsLeaveThePlaygroundAlone(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	mustRun(t, ctx, "kubectl create namespace mine")
	click(t, ctx, "file-new")
	answerDialog(t, ctx, "mine.yaml")
	waitFor(t, ctx, "mine.yaml in the workspace", count(`#workspace [data-file="mine.yaml"]`)+" === 1", 10*time.Second)
	typeLine(t, ctx, "kubectl get ns mine")

	// Into the lessons through the page's links, as a learner goes.
	click(t, ctx, "tutorial-link")
	waitFor(t, ctx, "the lesson list", `!!document.querySelector("[data-lesson='01-liveness-probes']")`, 20*time.Second)
	eval[bool](t, ctx, `(document.querySelector("[data-lesson='01-liveness-probes']").click(), true)`)
	waitFor(t, ctx, "lesson 1", lessonReady+` && document.getElementById("lesson").dataset.lesson === "01-liveness-probes"`, 30*time.Second)
	runBlock(t, ctx, eval[[]lessonStep](t, ctx, lessonSteps)[0].Run)
	openLesson(t, ctx, "03-replicasets")
	runBlock(t, ctx, eval[[]lessonStep](t, ctx, lessonSteps)[0].Run)
	if n := eval[int](t, ctx, count(`#workspace [data-file="mine.yaml"]`)); n != 0 {
		t.Fatal("the playground's file is in a lesson's workspace")
	}

	check := func(when string) {
		t.Helper()
		waitFor(t, ctx, "the playground's file "+when, count(`#workspace [data-file="mine.yaml"]`)+" === 1", 20*time.Second)
		if n := eval[int](t, ctx, count(`#workspace [data-file]`)); n != 1 {
			t.Fatalf("%s: %d files in the playground's workspace, want only mine.yaml", when, n)
		}
		mustRun(t, ctx, "kubectl get ns mine")
		if out := mustRun(t, ctx, "kubectl get pods,rc,rs -A -o name"); strings.Contains(out, "kubia") {
			t.Fatalf("%s: a lesson's objects in the playground:\n%s", when, out)
		}
		if !strings.Contains(terminalText(ctx), "$ kubectl get ns mine") {
			t.Fatalf("%s: the playground's transcript is gone:\n%s", when, tail(terminalText(ctx), 1500))
		}
	}
	eval[bool](t, ctx, `(document.querySelector("a.btn[href='/']").click(), true)`)
	check("back from the lessons")
	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	check("after a reload")
}

// Finish lesson 1, visit lesson 3, come back: lesson 1 still shows every check passed and
// leads to the next lesson; the lesson list marks it done and lesson 3 in progress.
func TestLessonProgressLasts(t *testing.T) {
	ctx := newBrowser(t, "")
	openLesson(t, ctx, "01-liveness-probes")
	checks := runLesson(t, ctx)
	waitFor(t, ctx, "the lesson complete", `document.getElementById("lesson-end").classList.contains("done") && document.getElementById("lesson-progress").textContent.includes("lesson complete")`, 10*time.Second)
	if href := eval[string](t, ctx, `document.getElementById("next-lesson").getAttribute("href")`); href != "/tutorial/02-replicationcontrollers" {
		t.Fatalf("next lesson link %q", href)
	}
	time.Sleep(time.Second) // the progress's save

	openLesson(t, ctx, "03-replicasets")
	runBlock(t, ctx, eval[[]lessonStep](t, ctx, lessonSteps)[0].Run)
	time.Sleep(time.Second)

	openLesson(t, ctx, "01-liveness-probes")
	waitFor(t, ctx, "lesson 1's checks still passed", count("#lesson [data-check][data-state=pass]")+" === "+strconv.Itoa(checks), 10*time.Second)
	openIndex(t, ctx)
	waitFor(t, ctx, "lesson 1 marked done", `(document.querySelector("#lessons li[data-state] [data-lesson='01-liveness-probes']")||{}).parentElement?.dataset.state === "done"`, 20*time.Second)
	if s := eval[string](t, ctx, `document.querySelector("[data-lesson='03-replicasets']").parentElement.dataset.state`); s != "started" {
		t.Fatalf("lesson 3 is %q in the list, want started", s)
	}
}

// Pressing every Run button of every lesson in order, at the lesson's default speed (the
// clock at 1x), passes every check: the Run buttons let the virtual time pass that the
// checks need.
func TestEveryLessonPassesAtDefaultSpeed(t *testing.T) {
	ctx := newBrowser(t, "")
	for _, name := range lessonNames(t) {
		openLesson(t, ctx, name)
		if speed := eval[string](t, ctx, `document.getElementById("speed-select").value`); speed != "1" {
			t.Fatalf("%s: the clock's speed is %s", name, speed)
		}
		t.Logf("%s: %d checks passed", name, runLesson(t, ctx))
	}
}

// A step typed into the terminal counts as if its Run button ran it; a wrong step turns
// the check after it red, with what it saw against what it wants, and a hint.
func TestTypedStepsAndAWrongOne(t *testing.T) {
	ctx := newBrowser(t, "")
	openLesson(t, ctx, "02-replicationcontrollers")
	typeLine(t, ctx, "kubectl apply -f kubia-rc.yaml")
	typeLine(t, ctx, "kubectl   get pods")
	waitFor(t, ctx, "the typed block counted", `document.querySelector("[data-block='run-1']").dataset.state === "done"`, 10*time.Second)

	// One pod short of what the lesson wants, then its next block.
	typeLine(t, ctx, "kubectl scale rc kubia --replicas=2")
	runBlock(t, ctx, "run-2")
	const check = `document.querySelector("[data-check='check-three-kubia-pods-are-running']")`
	waitFor(t, ctx, "the check failed", check+`.dataset.state === "fail"`, 20*time.Second)
	note := eval[string](t, ctx, check+`.querySelector(".check-note").textContent`)
	if !strings.HasPrefix(note, "expected 3 lines, saw 2: pod/kubia-") {
		t.Fatalf("the failed check says %q", note)
	}
	if hint := eval[string](t, ctx, check+`.querySelector(".check-hint").textContent`); hint == "" {
		t.Fatal("no hint")
	}
	if mark := eval[string](t, ctx, check+`.querySelector(".check-mark").textContent`); mark != "✗" {
		t.Fatalf("mark %q", mark)
	}
	if p := eval[string](t, ctx, `document.getElementById("lesson-progress").textContent`); !strings.HasSuffix(p, ", 1 failed") {
		t.Fatalf("the lesson's progress says %q", p)
	}
}

// setViewport makes the page that size, as a device of it would.
func setViewport(t *testing.T, ctx context.Context, w, h int64) {
	t.Helper()
	within(t, ctx, 10*time.Second, chromedp.EmulateViewport(w, h))
}

// No page scrolls sideways at any width from 320 to 1280 px; at 390×844 a lesson's Run
// output is on screen, in the terminal, which follows its newest line.
func TestEveryWidth(t *testing.T) {
	ctx := newBrowser(t, "")
	pages := []string{"/", "/tutorial", "/tutorial/02-replicationcontrollers", "/embed", "/embed?editor=1"}
	for _, p := range pages {
		if p == "/tutorial" {
			openIndex(t, ctx)
		} else {
			open(t, ctx, baseURL+p)
		}
		if strings.HasPrefix(p, "/tutorial/") {
			waitFor(t, ctx, "the lesson", lessonReady, 30*time.Second)
		}
		if p == "/" {
			mustRun(t, ctx, heredoc("kubectl apply -f -", kubiaRC(t)))
			mustRun(t, ctx, "kubetab advance 1m; kubectl get events -A")
		}
		for _, w := range []int64{320, 360, 390, 600, 768, 900, 1024, 1280} {
			setViewport(t, ctx, w, 800)
			time.Sleep(150 * time.Millisecond)
			if sw := eval[int](t, ctx, `document.documentElement.scrollWidth`); sw > int(w) {
				t.Errorf("%s at %d px: the page is %d px wide (%s)", p, w, sw, eval[string](t, ctx, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 5).map(e => e.tagName + "#" + e.id + "." + e.className).join(" ")`))
			}
		}
		if p == "/" {
			// A phone's Events tab gives each event's message the table's width.
			setViewport(t, ctx, 390, 800)
			click(t, ctx, "tab-events")
			waitFor(t, ctx, "the events' messages at full width", `(() => {
				const m = document.querySelector("#event-timeline td.message"), tb = document.querySelector("#event-timeline table");
				return !!m && m.offsetWidth > 0.9 * tb.offsetWidth;
			})()`, 10*time.Second)
		}
	}

	setViewport(t, ctx, 390, 844)
	openLesson(t, ctx, "02-replicationcontrollers")
	eval[bool](t, ctx, `(document.querySelector("[data-run='run-1']").click(), true)`)
	waitFor(t, ctx, "the block's output on screen", `(() => {
		const o = document.getElementById("terminal-output");
		if (!o || !o.offsetParent || !o.textContent.includes("replicationcontroller/kubia created")) return false;
		const s = document.getElementById("terminal-scroll").getBoundingClientRect();
		return s.top >= 0 && s.bottom <= innerHeight && s.height > 100;
	})()`, 20*time.Second)
	runBlock(t, ctx, "run-2")
	waitFor(t, ctx, "the terminal at its newest line", `(() => { const s = document.getElementById("terminal-scroll"); return s.scrollHeight - s.scrollTop - s.clientHeight < 48; })()`, 10*time.Second)
	// The cluster is the other tab.
	click(t, ctx, "tab-cluster")
	waitFor(t, ctx, "the cluster on screen", `(() => { const c = document.getElementById("cluster-view"); return !!c && !!c.offsetParent && c.getBoundingClientRect().bottom <= innerHeight; })()`, 10*time.Second)
	dir := t.TempDir()
	shot(t, ctx, filepath.Join(dir, "lesson-390.png"))
}

// shot saves a screenshot, for a look when a test fails (KUBETAB_E2E_SHOTS keeps them).
func shot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if d := os.Getenv("KUBETAB_E2E_SHOTS"); d != "" {
		path = filepath.Join(d, filepath.Base(path))
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		os.WriteFile(path, buf, 0o644)
	}
}

// headerLook is the header's height and the Skip button's width and text at one moment.
type headerLook struct {
	Height, Width int
	Label         string
}

// The header keeps its height while time plays and the next event changes: the Skip
// button has a fixed width and names the next event in a learner's words.
func TestHeaderNeverReflows(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	mustRun(t, ctx, heredoc("kubectl apply -f -", kubiaRC(t)))
	mustRun(t, ctx, heredoc("kubectl apply -f -", cronJobYAML))
	// 60x: the label changes every frame, and the page keeps up (at 600x every look at it
	// waits long for its main thread).
	setSpeed(t, ctx, "60")
	for _, w := range []int64{1280, 390} {
		setViewport(t, ctx, w, 844)
		time.Sleep(150 * time.Millisecond)
		var heights, widths = map[int]bool{}, map[int]bool{}
		labels := map[string]bool{}
		for range 25 {
			// One evaluation a look: each waits for the busy page's main thread.
			look := eval[headerLook](t, ctx, `(() => { const s = document.getElementById("skip-next"); return {Height: document.querySelector(".topbar").offsetHeight, Width: s.offsetWidth, Label: s.textContent}; })()`)
			heights[look.Height], widths[look.Width], labels[look.Label] = true, true, true
			time.Sleep(100 * time.Millisecond)
		}
		if len(heights) != 1 || len(widths) != 1 || len(labels) < 3 {
			t.Errorf("at %d px: header heights %v, skip widths %v, over %d labels", w, heights, widths, len(labels))
		}
		for l := range labels {
			if !strings.HasPrefix(l, "» next: ") || strings.Contains(l, "kubelet") || strings.Contains(l, "default/") {
				t.Errorf("skip label %q", l)
			}
		}
	}
}

// The terminal wraps, colours errors, greets with a line, clears on `clear` and Ctrl-L,
// searches its history with Ctrl-R and lists completion candidates in the scroll-back.
func TestTerminalFeel(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	waitFor(t, ctx, "the welcome line", `(document.querySelector(".terminal-welcome")||{}).textContent?.startsWith("Welcome to kubetab")`, 10*time.Second)
	if ws := eval[string](t, ctx, `getComputedStyle(document.getElementById("terminal-output")).whiteSpace`); ws != "pre-wrap" {
		t.Errorf("the terminal's white-space is %s", ws)
	}
	typeLine(t, ctx, "kubectl get pod nope")
	waitFor(t, ctx, "the error in red", `Array.from(document.querySelectorAll("#terminal-output .t-err")).some(e => e.textContent.includes("NotFound"))`, 10*time.Second)
	waitFor(t, ctx, "the command coloured", `Array.from(document.querySelectorAll("#terminal-output .t-cmd")).some(e => e.textContent.includes("$ kubectl get pod nope"))`, 10*time.Second)
	typeLine(t, ctx, "kubectl get nodes")

	// Tab with several candidates lists them below the line, as a shell does.
	within(t, ctx, 10*time.Second, chromedp.SendKeys(chromedp.ID("terminal-input"), "kubectl get rep"+kb.Tab))
	waitFor(t, ctx, "the candidates in the scroll-back", terminalOutput+`.includes("$ kubectl get rep\n") && /replicasets\s+replicationcontroller/.test(`+terminalOutput+`)`, 10*time.Second)
	ctrlKey(t, ctx, "c")

	// Ctrl-R finds "pod nope" in the history; Enter runs it again.
	ctrlKey(t, ctx, "r")
	within(t, ctx, 10*time.Second, chromedp.SendKeys(chromedp.ID("terminal-input"), "nope"))
	waitFor(t, ctx, "the search's match", `document.getElementById("terminal-status").textContent.includes("kubectl get pod nope")`, 10*time.Second)
	pressEnter(t, ctx)
	waitFor(t, ctx, "the match run again", terminalOutput+`.split("$ kubectl get pod nope").length === 3`, 10*time.Second)

	ctrlKey(t, ctx, "l")
	waitFor(t, ctx, "cleared by Ctrl-L", terminalOutput+` === "" && !!document.querySelector(".terminal-welcome")`, 10*time.Second)
	typeLine(t, ctx, "kubectl get ns")
	waitFor(t, ctx, "output", terminalOutput+`.includes("kube-system")`, 10*time.Second)
	typeLine(t, ctx, "clear")
	waitFor(t, ctx, "cleared by clear", terminalOutput+` === ""`, 10*time.Second)
	// ↑ brings back the lines typed, the last first.
	within(t, ctx, 5*time.Second, chromedp.KeyEvent(kb.ArrowUp))
	waitFor(t, ctx, "the history", `document.getElementById("terminal-input").value === "clear"`, 5*time.Second)
}

// pauseClock stops the page's virtual clock with its Play/Pause button.
func pauseClock(t *testing.T, ctx context.Context) {
	t.Helper()
	if eval[string](t, ctx, `document.getElementById("play-button").textContent`) == "" {
		t.Fatal("no play button")
	}
	if !eval[bool](t, ctx, `document.getElementById("play-button").textContent.endsWith("Play")`) {
		click(t, ctx, "play-button")
	}
	waitFor(t, ctx, "the clock paused", `document.getElementById("play-button").textContent.endsWith("Play")`, 10*time.Second)
}

// ctrlKey presses Ctrl and a key in the terminal's input.
func ctrlKey(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	within(t, ctx, 10*time.Second, chromedp.Steps(
		chromedp.Focus(chromedp.ID("terminal-input")),
		chromedp.KeyEvent(key, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	))
}

// Export in one profile, Import (its button, and the JS API) in another: the same cluster,
// files and command history.
func TestExportImport(t *testing.T) {
	a := newBrowser(t, "")
	open(t, a, baseURL+"/")
	if eval[string](t, a, `typeof window.kubetab.export + typeof window.kubetab.import`) != "functionfunction" {
		t.Fatal("no kubetab.export and kubetab.import")
	}
	setEditor(t, a, kubiaRC(t))
	click(t, a, "save-file")
	answerDialog(t, a, "kubia-rc.yaml")
	typeLine(t, a, "kubectl apply -f kubia-rc.yaml")
	typeLine(t, a, "kubetab advance 1m")
	typeLine(t, a, "kubectl create namespace exported")
	waitFor(t, a, "the namespace", terminalOutput+`.includes("namespace/exported created")`, 10*time.Second)
	// Both clocks stopped: the two clusters are compared at the bundle's virtual time, not
	// at whatever the wall clock added on each page.
	pauseClock(t, a)
	bundle := eval[string](t, a, `window.kubetab.export()`)
	const state = "kubectl get pods,rc,ns -A -o wide"
	want := mustRun(t, a, state)

	b := newBrowser(t, "")
	open(t, b, baseURL+"/")
	mustRun(t, b, "kubectl create namespace replaced")
	pauseClock(t, b)
	file := filepath.Join(t.TempDir(), "kubetab-playground.json")
	if err := os.WriteFile(file, []byte(bundle), 0o644); err != nil {
		t.Fatal(err)
	}
	within(t, b, 10*time.Second, chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}))
	answerDialog(t, b, "")
	waitFor(t, b, "the bundle imported", terminalOutput+`.includes("# imported a bundle")`, 30*time.Second)
	if got := mustRun(t, b, state); got != want {
		t.Fatalf("imported cluster:\n%s\nexported:\n%s", got, want)
	}
	waitFor(t, b, "the files", count(`#workspace [data-file="kubia-rc.yaml"]`)+" === 1", 10*time.Second)
	within(t, b, 10*time.Second, chromedp.Focus(chromedp.ID("terminal-input")))
	within(t, b, 5*time.Second, chromedp.KeyEvent(kb.ArrowUp))
	if v := eval[string](t, b, `document.getElementById("terminal-input").value`); v != "kubectl create namespace exported" {
		t.Fatalf("the history's last line is %q", v)
	}
	// The JS API: a bad bundle is refused with a reason, a good one taken.
	if msg := eval[string](t, b, `window.kubetab.import("{}").then(() => "accepted", e => e.message)`); !strings.Contains(msg, "not a kubetab bundle") {
		t.Fatalf("a bad bundle: %q", msg)
	}
	if msg := eval[string](t, b, `window.kubetab.import(`+js(bundle)+`).then(() => "ok", e => e.message)`); msg != "ok" {
		t.Fatalf("kubetab.import: %q", msg)
	}
}

// The editor marks a misspelt kind on its line with the kind it probably means, keeps
// unsaved text across a reload, asks in the page rather than with prompt(), and its
// samples say what they are.
func TestEditorHelps(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	eval[bool](t, ctx, `(window.prompt = window.confirm = () => { throw new Error("prompt() or confirm() called"); }, true)`)
	text := "apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: web\n"
	setEditor(t, ctx, text)
	waitFor(t, ctx, "the problem on line 2", `Array.from(document.querySelectorAll("#editor-problems .problem")).some(p => p.dataset.line === "2" && p.textContent.includes('did you mean "Deployment"?'))`, 10*time.Second)
	if n := eval[int](t, ctx, count("#editor-gutter .ln.bad")); n != 1 || eval[string](t, ctx, `document.querySelector("#editor-gutter .ln.bad").textContent`) != "2" {
		t.Fatal("the gutter marks another line")
	}
	time.Sleep(1500 * time.Millisecond) // the draft's save
	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	waitFor(t, ctx, "the unsaved text back", `document.getElementById("editor-input").value === `+js(text), 10*time.Second)

	eval[bool](t, ctx, `(window.prompt = window.confirm = () => { throw new Error("prompt() or confirm() called"); }, true)`)
	click(t, ctx, "save-file")
	answerDialog(t, ctx, "web.yaml")
	waitFor(t, ctx, "web.yaml saved", count(`#workspace [data-file="web.yaml"]`)+" === 1", 10*time.Second)
	eval[bool](t, ctx, `(document.querySelector('[data-file="web.yaml"] [data-file-action=delete]').click(), true)`)
	answerDialog(t, ctx, "")
	waitFor(t, ctx, "web.yaml deleted", count(`#workspace [data-file="web.yaml"]`)+" === 0", 10*time.Second)

	names := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#samples optgroup")).flatMap(g => Array.from(g.querySelectorAll("option")).map(o => g.label + "|" + o.textContent))`)
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("two samples read %q", n)
		}
		seen[n] = true
	}
	if !seen["Kubernetes docs|Deployment nginx-deployment (nginx-deployment.yaml)"] {
		t.Errorf("samples: %v", names)
	}
}

// The Samples menu's Deployment runs, and the controllers panel shows it as a tree:
// Deployment → ReplicaSets (revision, ready counts) → pods; a rollout shows both
// ReplicaSets as it happens, at the clock's speed.
func TestDeploymentTree(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	loadSample(t, ctx, "samples/docs/nginx-deployment.yaml")
	waitFor(t, ctx, "the sample in the editor", `document.getElementById("editor-input").value.includes("nginx-deployment")`, 10*time.Second)
	click(t, ctx, "apply-button")
	mustRun(t, ctx, "kubetab advance 1m")
	const dep = `#cluster-view .group.deployment[data-name="nginx-deployment"]`
	waitFor(t, ctx, "the tree", count(dep+` .tree .group[data-revision="1"] .tree-pod.st-running`)+" === 3", 20*time.Second)
	if c := eval[string](t, ctx, `document.querySelector(`+js(dep+` > .group-btn .group-counts`)+`).textContent`); c != "ready 3/3 · up-to-date 3 · available 3" {
		t.Errorf("the Deployment's counts: %q", c)
	}
	if c := eval[string](t, ctx, `document.querySelector(`+js(dep+` .tree .group-counts`)+`).textContent`); c != "ready 3/3 · current 3" {
		t.Errorf("the ReplicaSet's counts: %q", c)
	}

	// A new image rolls out at 10x: for a while both ReplicaSets have pods.
	setSpeed(t, ctx, "10")
	mustRun(t, ctx, heredoc("kubectl apply -f -", strings.Replace(eval[string](t, ctx, `document.getElementById("editor-input").value`), `"nginx:1.14.2"`, `"nginx:1.16.1"`, 1)))
	waitFor(t, ctx, "two ReplicaSets in the tree", count(dep+` .tree > .group`)+` === 2 && `+count(dep+` .tree .group[data-revision="2"] .tree-pod`)+` > 0`, 20*time.Second)
	waitFor(t, ctx, "the rollout done", count(dep+` .tree .group[data-revision="2"] .tree-pod.st-running`)+` === 3 && `+count(dep+` .tree .group[data-revision="1"] .tree-pod`)+` === 0`, 60*time.Second)
	if first := eval[string](t, ctx, `document.querySelector(`+js(dep+` .tree > .group`)+`).dataset.revision`); first != "2" {
		t.Errorf("the newest ReplicaSet is not first: revision %s", first)
	}
}

// A share link opens into a cluster of its own: the visitor's playground is kept, and the
// page leads back to it.
func TestShareLinkKeepsThePlayground(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	mustRun(t, ctx, "kubectl create namespace shared-one")
	click(t, ctx, "share-button")
	waitFor(t, ctx, "the share link", `(document.getElementById("share-link") || {}).value > ""`, 20*time.Second)
	link := eval[string](t, ctx, `document.getElementById("share-link").value`)

	other := newBrowser(t, "")
	open(t, other, baseURL+"/")
	mustRun(t, other, "kubectl create namespace visitors-own")
	waitSaved(t, other)
	// The link typed into the address bar of the open page: only its fragment differs.
	eval[bool](t, other, `(location.href = `+js(link)+`, true)`)
	time.Sleep(2 * time.Second)
	awaitReady(t, other)
	waitFor(t, other, "the shared cluster", `(document.getElementById("terminal-output") || {}).textContent.includes("the shared cluster is ready")`, 30*time.Second)
	mustRun(t, other, "kubectl get ns shared-one")
	if r := run(t, other, "kubectl get ns visitors-own"); r.ExitCode == 0 {
		t.Fatal("the visitor's namespace is in the shared cluster")
	}
	if q := eval[string](t, other, `location.search`); !strings.HasPrefix(q, "?shared=") {
		t.Fatalf("the address after opening: %q", q)
	}
	// A reload comes back to the shared cluster, not replayed again.
	within(t, other, 30*time.Second, chromedp.Reload())
	awaitReady(t, other)
	mustRun(t, other, "kubectl get ns shared-one")
	waitFor(t, other, "the way back", `!!document.getElementById("to-playground")`, 10*time.Second)
	eval[bool](t, other, `(document.getElementById("to-playground").click(), true)`)
	waitFor(t, other, "the playground", `!document.getElementById("context-bar")`, 10*time.Second)
	mustRun(t, other, "kubectl get ns visitors-own")
	if r := run(t, other, "kubectl get ns shared-one"); r.ExitCode == 0 {
		t.Fatal("the shared namespace is in the visitor's playground")
	}
}

// Keyboard only: the first Tab reaches a skip link, which takes the focus to the terminal;
// the pod chips are buttons in a list; every scrollable region can take the focus.
func TestKeyboardOnly(t *testing.T) {
	ctx := openWithKubia(t)
	within(t, ctx, 10*time.Second, chromedp.KeyEvent(kb.Tab))
	if got := eval[string](t, ctx, `document.activeElement.textContent`); got != "Skip to the terminal" {
		t.Fatalf("the first Tab focuses %q", got)
	}
	pressEnter(t, ctx)
	waitFor(t, ctx, "the terminal focused", `document.activeElement && document.activeElement.id === "terminal-input"`, 5*time.Second)
	within(t, ctx, 10*time.Second, chromedp.SendKeys(chromedp.ID("terminal-input"), "kubectl get rc"+kb.Enter))
	waitFor(t, ctx, "the typed line run", terminalOutput+`.includes("$ kubectl get rc")`, 10*time.Second)

	if s := eval[string](t, ctx, `(() => { const b = document.querySelector("#cluster-view .pod"); return b.tagName + " in " + b.parentElement.tagName + " in " + b.parentElement.parentElement.tagName; })()`); s != "BUTTON in LI in UL" {
		t.Fatalf("a pod chip is a %s", s)
	}
	// Scrollable regions: each can be focused, or holds something that can.
	bad := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("*")).filter(e => {
		const s = getComputedStyle(e);
		if (!/(auto|scroll)/.test(s.overflowY + s.overflowX) || e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1) return false;
		return e.tabIndex < 0 && !e.querySelector("a[href], button, input, select, textarea, [tabindex]");
	}).map(e => e.tagName + "#" + e.id + "." + e.className)`)
	if len(bad) > 0 {
		t.Errorf("scrollable regions no key reaches: %v", bad)
	}
	// A chip takes Enter: its panel opens.
	eval[bool](t, ctx, `(document.querySelector("#cluster-view .pod").focus(), true)`)
	pressEnter(t, ctx)
	waitFor(t, ctx, "the pod's panel", `!document.getElementById("panel").classList.contains("closed")`, 10*time.Second)
}

// emulateMedia makes the page's prefers-color-scheme light or dark and its
// prefers-reduced-motion reduce or no-preference ("": the browser's).
func emulateMedia(t *testing.T, ctx context.Context, scheme, motion string) {
	t.Helper()
	features := []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	if motion != "" {
		features = append(features, &emulation.MediaFeature{Name: "prefers-reduced-motion", Value: motion})
	}
	within(t, ctx, 10*time.Second, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
		return err
	}))
}

// cronJobYAML is a CronJob that runs every minute: something always comes next.
const cronJobYAML = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: date
            image: busybox
            command: [date]
`
