//go:build !wasm

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, pinned in e2e/package-lock.json; `make test-e2e` installs it
// with npm ci.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "e2e", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("%v: run `make test-e2e`, or `npm ci` in e2e/", err)
	}
	return string(b)
}

// axeViolation is one rule axe-core found broken, with the elements that break it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe runs axe-core on the page (WCAG 2.x A and AA, best practices, and the visible
// text in accessible names rule, which axe leaves off by default) and returns the serious
// and critical violations.
func runAxe(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	if !eval[bool](t, ctx, `typeof window.axe === "object"`) {
		eval[bool](t, ctx, "(() => { "+axe+"\n; return true; })()")
	}
	return eval[[]axeViolation](t, ctx, `axe.run(document, {
		rules: {"label-content-name-mismatch": {enabled: true}},
		resultTypes: ["violations"],
	}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\n").slice(0, 3).join(" ")),
	})))`)
}

// axe-core finds no serious or critical violation on the playground (with a few pods, and
// with nodes of many), the lesson index, a lesson and the embed widget, in the light and
// the dark theme alike.
func TestAccessibility(t *testing.T) {
	axe := axeSource(t)
	ctx := newBrowser(t, "")
	pages := []struct {
		path  string
		setUp func()
	}{
		{"/", func() {
			mustRun(t, ctx, heredoc("kubectl apply -f -", kubiaRC(t)))
			run(t, ctx, "kubectl run bad --image=busybox -- false; kubetab advance 2m")
			run(t, ctx, "kubectl get pod nope")
			setEditor(t, ctx, "apiVersion: v1\nkind: Pood\nmetadata:\n  name: x\n")
			waitFor(t, ctx, "pods", count(runningPods)+" === 3", 20*time.Second)
		}},
		{"/", func() {
			// Nodes of many pods show them as squares (public/web/chips.js, app.css).
			mustRun(t, ctx, "kubectl create deployment many --image=luksa/kubia --replicas=90; kubetab advance 1m")
			waitFor(t, ctx, "squares", `document.querySelectorAll("#cluster-view .pods.many .pod").length >= 25`, 20*time.Second)
		}},
		{"/tutorial", func() {
			waitFor(t, ctx, "the list", `!!document.getElementById("lessons")`, 20*time.Second)
		}},
		{"/tutorial/02-replicationcontrollers", func() {
			waitFor(t, ctx, "the lesson", lessonReady, 30*time.Second)
			runBlock(t, ctx, "run-1")
			runBlock(t, ctx, "run-2")
		}},
		{"/embed", func() {
			mustRun(t, ctx, heredoc("kubectl apply -f -", kubiaRC(t)))
			mustRun(t, ctx, "kubetab advance 1m")
		}},
		{"/embed?editor=1&theme=light", nil},
		{"/embed?theme=dark&readonly=1", nil},
	}
	// Each page is loaded once and looked at in both themes: the system's theme is CSS media
	// queries, which follow the emulated preference at once; reduced motion leaves the
	// cards' colour transitions out, so axe reads the theme's colours, not ones between.
	for _, p := range pages {
		emulateMedia(t, ctx, "light", "reduce")
		if p.path == "/tutorial" {
			openIndex(t, ctx)
		} else {
			open(t, ctx, baseURL+p.path)
		}
		if p.setUp != nil {
			p.setUp()
		}
		for _, scheme := range []string{"light", "dark"} {
			emulateMedia(t, ctx, scheme, "reduce")
			time.Sleep(300 * time.Millisecond)
			for _, v := range runAxe(t, ctx, axe) {
				t.Errorf("%s, %s theme: %s (%s): %s\n    %s", p.path, scheme, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
			}
		}
	}

	// The theme toggle overrides the system's, and the choice stays.
	emulateMedia(t, ctx, "light", "reduce")
	open(t, ctx, baseURL+"/")
	click(t, ctx, "theme-toggle")
	waitFor(t, ctx, "the dark theme", `document.documentElement.dataset.theme === "dark" && getComputedStyle(document.body).backgroundColor === "rgb(11, 17, 32)"`, 5*time.Second)
	for _, v := range runAxe(t, ctx, axe) {
		t.Errorf("/ toggled dark: %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}
	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	if th := eval[string](t, ctx, `document.documentElement.dataset.theme || ""`); th != "dark" {
		t.Errorf("after a reload the theme is %q", th)
	}
}
