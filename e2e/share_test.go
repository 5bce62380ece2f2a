//go:build !wasm

package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A share link made in one browser profile reproduces the same files, cluster and history
// in another; a tampered link shows a message and leaves the cluster alone.
func TestShareLink(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	// kubia-rc.yaml into the workspace from the samples menu, then applied from there.
	loadSample(t, ctx, "samples/book/kubia-rc.yaml")
	waitFor(t, ctx, "kubia-rc.yaml in the workspace", count(`#workspace [data-file="kubia-rc.yaml"]`)+" === 1", 10*time.Second)
	mustRun(t, ctx, "kubectl apply -f kubia-rc.yaml")
	mustRun(t, ctx, "kubetab advance 2m")
	waitFor(t, ctx, "three running pods", count(runningPods)+" === 3", 20*time.Second)
	pods := podNames(t, ctx, "#cluster-view .pod")

	click(t, ctx, "share-button")
	waitFor(t, ctx, "the share link", `(document.getElementById("share-link") || {}).value > ""`, 20*time.Second)
	link := eval[string](t, ctx, `document.getElementById("share-link").value`)
	if !strings.HasPrefix(link, baseURL+"/#share=") {
		t.Fatalf("share link %q; want %s/#share=...", link, baseURL)
	}

	other := newBrowser(t, "")
	within(t, other, 30*time.Second, chromedp.Navigate(link))
	awaitReady(t, other)
	waitFor(t, other, "the shared cluster replayed", `(document.getElementById("terminal-output") || {}).textContent.includes("the shared cluster is ready")`, 30*time.Second)
	waitFor(t, other, "three pods", count(runningPods)+" === 3", 20*time.Second)
	if got := podNames(t, other, "#cluster-view .pod"); !slices.Equal(got, pods) {
		t.Fatalf("the shared cluster has pods %v; the original %v", got, pods)
	}
	waitFor(t, other, "kubia-rc.yaml in the shared workspace", count(`#workspace [data-file="kubia-rc.yaml"]`)+" === 1", 10*time.Second)
	term := terminalText(other)
	for _, want := range []string{"$ kubectl apply -f kubia-rc.yaml", "replicationcontroller/kubia created", "$ kubetab advance "} {
		if !strings.Contains(term, want) {
			t.Fatalf("the shared history has no %q:\n%s", want, tail(term, 2000))
		}
	}
	// The fragment goes once the shared cluster is saved, so that a reload finds it.
	waitFor(t, other, "the link's fragment gone from the address bar", `location.hash === ""`, 10*time.Second)

	// A tampered link, in a fresh profile: a message, not a broken page.
	third := newBrowser(t, "")
	tampered := strings.Replace(link, "#share=", "#share=A!", 1)
	within(t, third, 30*time.Second, chromedp.Navigate(tampered))
	awaitReady(t, third)
	waitFor(t, third, "the damaged-link notice", `document.getElementById("notice").textContent.includes("This shared link cannot be opened: the shared link is damaged")`, 20*time.Second)
	mustRun(t, third, "kubectl get nodes")
}

// loadSample picks a sample in the editor's menu, as a user does.
func loadSample(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	waitFor(t, ctx, "the samples menu", `!!document.querySelector("#samples option[value='`+path+`']")`, 20*time.Second)
	eval[bool](t, ctx, `(() => {
		const s = document.getElementById("samples");
		s.value = `+js(path)+`;
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
}
