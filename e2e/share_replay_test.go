//go:build !wasm

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kubetab/kubetab/wasm/share"
)

// cronJobLine applies cronJobYAML, a CronJob that runs every minute: a shared link's heavy start.
var cronJobLine = heredoc("kubectl apply -f -", cronJobYAML)

// shareLink is a #share= link to a bundle of lines.
func shareLink(t *testing.T, lines ...string) string {
	t.Helper()
	b := &share.Bundle{Version: share.Version, Seed: 3, Start: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), History: lines}
	frag, err := b.Fragment()
	if err != nil {
		t.Fatal(err)
	}
	return baseURL + "/#share=" + frag
}

// withSavedWork opens the playground in a new browser and leaves work there: a namespace
// and a workspace file. It returns once the work is saved (kubetab.saved()).
func withSavedWork(t *testing.T) context.Context {
	t.Helper()
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	mustRun(t, ctx, "kubectl create namespace mine")
	mustRun(t, ctx, "echo kept > mine.txt")
	waitFor(t, ctx, "mine.txt in the workspace", count(`#workspace [data-file="mine.txt"]`)+" === 1", 10*time.Second)
	waitSaved(t, ctx)
	return ctx
}

// openLink opens a link in the same tab as a new page load (not a same-page fragment change).
func openLink(t *testing.T, ctx context.Context, link string) {
	t.Helper()
	within(t, ctx, 30*time.Second, chromedp.Navigate("about:blank"))
	within(t, ctx, 30*time.Second, chromedp.Navigate(link))
	awaitReady(t, ctx)
}

// mustBeMyPlayground checks that the visitor's own work is there, as it was.
func mustBeMyPlayground(t *testing.T, ctx context.Context) {
	t.Helper()
	if out := mustRun(t, ctx, "kubectl get ns mine -o name; cat mine.txt; kubectl get cronjobs"); !strings.Contains(out, "namespace/mine\nkept\nNo resources found") {
		t.Fatalf("the playground after the shared link:\n%s", out)
	}
	if n := eval[int](t, ctx, count("#context-bar")); n != 0 {
		t.Fatal("the page still says it shows a shared cluster")
	}
}

// A heavy shared link (a */1 CronJob and a month of virtual time) shows its progress, the
// page stays responsive meanwhile, and Cancel (reached with the keyboard) stops it: the
// visitor is back in their playground with their work as it was, also after a reload.
func TestShareReplayProgressAndCancel(t *testing.T) {
	ctx := withSavedWork(t)
	openLink(t, ctx, shareLink(t, cronJobLine, "kubetab advance 30d"))

	waitShowing(t, ctx, "the replay's progress", `(document.getElementById("share-replay-progress") || {}).textContent.includes("1 of 2 commands")`, `document.getElementById("share-replay").textContent`, 30*time.Second)
	status := eval[string](t, ctx, `document.getElementById("share-replay-status").textContent`)
	if !strings.HasPrefix(status, "Replaying a shared link: ") || eval[string](t, ctx, `document.getElementById("share-replay-status").getAttribute("role")`) != "status" {
		t.Fatalf("the replay's status for screen readers: %q", status)
	}
	// The virtual time moves while the page repaints: two looks, a later time in the second.
	first := eval[string](t, ctx, `document.getElementById("share-replay-progress").textContent`)
	waitShowing(t, ctx, "the replay's virtual time moving", `(document.getElementById("share-replay-progress") || {}).textContent !== `+js(first), `document.getElementById("share-replay").textContent`, 30*time.Second)

	// The Cancel button has the focus: Enter presses it.
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "share-cancel" {
		t.Fatalf("the focus is on %q, not the Cancel button", id)
	}
	within(t, ctx, 10*time.Second, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "the cancel's notice", `document.getElementById("notice").textContent.includes("You cancelled the shared link's replay")`, 30*time.Second)
	if n := eval[int](t, ctx, count("#share-replay-progress")); n != 0 {
		t.Fatal("the progress is still shown after the cancel")
	}
	mustBeMyPlayground(t, ctx)
	waitFor(t, ctx, "the link gone from the address bar", `location.hash === "" && location.search === ""`, 10*time.Second)

	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	mustBeMyPlayground(t, ctx)
}

// A link over the bounds (a year of virtual time, three times) is refused at once with a
// message naming the bound; the visitor's work is untouched.
func TestShareReplayOverTheBound(t *testing.T) {
	ctx := withSavedWork(t)
	openLink(t, ctx, shareLink(t, cronJobLine, "kubetab advance 366d", "kubetab advance 366d", "kubetab advance 366d"))
	waitFor(t, ctx, "the refusal", `document.getElementById("notice").textContent.includes("This shared link cannot be opened: its replay moves virtual time more than 31 days past its start, the bound of a shared link's replay")`, 30*time.Second)
	mustBeMyPlayground(t, ctx)
}
