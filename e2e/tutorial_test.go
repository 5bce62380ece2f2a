//go:build !wasm

package e2e

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// lessonStep is a Run button or a check of the lesson page, in document order.
type lessonStep struct {
	Run   string `json:"run"`
	Check string `json:"check"`
	Label string `json:"label"`
}

const lessonSteps = `Array.from(document.querySelectorAll("#lesson [data-run], #lesson [data-check]")).map(e => ({
	run: e.dataset.run || "", check: e.dataset.check || "",
	label: e.dataset.check ? e.querySelector(".check-label").textContent : "",
}))`

func checkState(id string) string {
	return `(document.querySelector(` + js(`[data-check="`+id+`"]`) + `)||{dataset:{}}).dataset.state`
}

// A learner goes through a lesson with its Run buttons, and every check ticks; then, with
// the server gone, the lesson page loads from the service worker's cache, its progress is
// still there, and it runs.
func TestTutorialLessonOffline(t *testing.T) {
	// A server of its own, so that it can be stopped for the offline half.
	url, stop := ownServer(t)
	ctx := newBrowser(t, "")
	const lesson = "/tutorial/02-replicationcontrollers"
	open(t, ctx, url+lesson)
	waitFor(t, ctx, "the lesson", `(() => { const l = document.getElementById("lesson"); return l && l.dataset.ready === "true"; })()`, 30*time.Second)
	if got := eval[string](t, ctx, `document.querySelector("#lesson h1").textContent`); got != "ReplicationControllers keep pods running" {
		t.Fatalf("lesson title %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#lesson script, #lesson iframe").length`); n != 0 {
		t.Fatalf("%d script or iframe elements in the lesson", n)
	}
	// The lesson's file is in the workspace.
	if out := mustRun(t, ctx, "kubectl apply -f kubia-rc.yaml --dry-run=client"); !strings.Contains(out, "kubia") {
		t.Fatalf("dry run of the lesson's file: %q", out)
	}

	// A minute of virtual time per second: the lesson's waits pass quickly.
	within(t, ctx, 10*time.Second, chromedp.SetValue(chromedp.ID("speed-select"), "60"))
	eval[bool](t, ctx, `document.getElementById("speed-select").dispatchEvent(new Event("change", {bubbles: true}))`)

	steps := eval[[]lessonStep](t, ctx, lessonSteps)
	runs, checks := 0, 0
	for _, s := range steps {
		if s.Run != "" {
			runs++
			runBlock(t, ctx, s.Run)
			continue
		}
		checks++
		waitFor(t, ctx, "check "+s.Label, checkState(s.Check)+` === "pass"`, 30*time.Second)
	}
	t.Logf("%d blocks run, %d checks passed", runs, checks)
	if runs < 10 || checks < 10 {
		t.Fatalf("%d blocks and %d checks on the page", runs, checks)
	}
	waitFor(t, ctx, "the progress line", `document.getElementById("lesson-progress").textContent.startsWith("`+strconv.Itoa(checks)+` of `+strconv.Itoa(checks)+` ")`, 5*time.Second)

	// Offline: the service worker holds the page, the app and the lesson.
	waitFor(t, ctx, "the service worker's cache", `(async () => {
		if (!navigator.serviceWorker.controller) return false;
		const keys = await caches.keys();
		for (const k of keys) {
			const c = await caches.open(k);
			if (await c.match("/tutorials/02-replicationcontrollers.md") && await c.match(`+js(lesson)+`)) return true;
		}
		return false;
	})()`, 60*time.Second)
	time.Sleep(time.Second) // the last saves
	stop()

	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	waitFor(t, ctx, "the lesson offline", `(() => { const l = document.getElementById("lesson"); return l && l.dataset.ready === "true"; })()`, 30*time.Second)
	waitFor(t, ctx, "the progress kept", `document.querySelectorAll("#lesson [data-check][data-state=pass]").length === `+strconv.Itoa(checks), 10*time.Second)

	// Reset the lesson and run its first block: the first check ticks again.
	click(t, ctx, "reset-lesson")
	waitFor(t, ctx, "a fresh lesson", `document.querySelectorAll("#lesson [data-check][data-state=pass]").length === 0`, 20*time.Second)
	runBlock(t, ctx, steps[0].Run)
	for _, s := range steps[1:] {
		if s.Run != "" {
			runBlock(t, ctx, s.Run)
			continue
		}
		waitFor(t, ctx, "check "+s.Label+" offline", checkState(s.Check)+` === "pass"`, 30*time.Second)
		break
	}
}

// ownServer starts a server for one test, which the test may stop early (for an offline
// half); it is stopped at the end in any case.
func ownServer(t *testing.T) (url string, stop func()) {
	t.Helper()
	stopServer, url, err := startServer("serve")
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() { once.Do(stopServer) }
	t.Cleanup(stop)
	return url, stop
}

// runBlock clicks a block's Run button and waits for the block to have run, saving the
// editor when the block's kubectl edit opens it (the lesson's change is already made).
func runBlock(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	sel := `button[data-run="` + id + `"]`
	waitFor(t, ctx, "Run "+id+" enabled", `(() => { const b = document.querySelector(`+js(sel)+`); return b && !b.disabled; })()`, 20*time.Second)
	// A click event on the button, wherever the lesson is scrolled to.
	eval[bool](t, ctx, `(() => { document.querySelector(`+js(sel)+`).click(); return true; })()`)
	blockSel := js(`[data-block="` + id + `"]`)
	block := `document.querySelector(` + blockSel + `).dataset.state`
	deadline := time.Now().Add(40 * time.Second)
	for {
		state := eval[string](t, ctx, `(() => {
			const s = `+block+`;
			const save = document.getElementById("edit-save");
			if (s === "running" && save && !save.disabled) { save.click(); return "edit"; }
			return s;
		})()`)
		switch state {
		case "done":
			return
		case "failed":
			t.Fatalf("block %s failed: %s\nterminal:\n%s", id, eval[string](t, ctx, `(document.querySelector(`+js(`[data-block="`+id+`"] .error`)+`)||{}).textContent`), tail(terminalText(ctx), 2000))
		}
		if time.Now().After(deadline) {
			t.Fatalf("block %s still %s\nterminal:\n%s", id, state, tail(terminalText(ctx), 2000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The lesson index shows both tracks; with the server gone, every lesson of the Kubernetes
// basics track loads from the service worker's cache and runs end to end with its Run
// buttons, every check ticking.
func TestBasicsTrackOffline(t *testing.T) {
	url, stop := ownServer(t)
	ctx := newBrowser(t, "")
	within(t, ctx, 30*time.Second, chromedp.Navigate(url+"/tutorial"))
	waitFor(t, ctx, "two tracks", `document.querySelectorAll("#lessons section.track").length === 2`, 30*time.Second)
	basics := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#lessons section[data-track="Kubernetes basics"] a[data-lesson]')).map(a => a.dataset.lesson)`)
	if len(basics) != 6 {
		t.Fatalf("the Kubernetes basics track lists %v", basics)
	}
	cached := `(async () => {
		if (!navigator.serviceWorker.controller) return false;
		for (const k of await caches.keys()) {
			const c = await caches.open(k);
			let all = true;
			for (const l of ` + "[" + `"` + strings.Join(basics, `","`) + `"` + "]" + `) {
				if (!await c.match("/tutorials/" + l + ".md") || !await c.match("/tutorial/" + l)) all = false;
			}
			if (all) return true;
		}
		return false;
	})()`
	waitFor(t, ctx, "the basics lessons in the service worker's cache", cached, 60*time.Second)
	stop()

	for _, name := range basics {
		within(t, ctx, 30*time.Second, chromedp.Navigate(url+"/tutorial/"+name))
		awaitReady(t, ctx)
		waitFor(t, ctx, name, `(() => { const l = document.getElementById("lesson"); return l && l.dataset.ready === "true"; })()`, 30*time.Second)
		within(t, ctx, 10*time.Second, chromedp.SetValue(chromedp.ID("speed-select"), "60"))
		eval[bool](t, ctx, `document.getElementById("speed-select").dispatchEvent(new Event("change", {bubbles: true}))`)
		checks := 0
		for _, s := range eval[[]lessonStep](t, ctx, lessonSteps) {
			if s.Run != "" {
				runBlock(t, ctx, s.Run)
				continue
			}
			checks++
			waitFor(t, ctx, name+": check "+s.Label, checkState(s.Check)+` === "pass"`, 30*time.Second)
		}
		if checks < 2 {
			t.Fatalf("%s: %d checks", name, checks)
		}
		t.Logf("%s: %d checks passed offline", name, checks)
	}
}
