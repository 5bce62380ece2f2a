//go:build !wasm

package e2e

import (
	"strings"
	"testing"
	"time"
)

// Issue #18: a command whose result came back is saved, even when the page is left in the
// same moment. A heavy command (500 pods to create, schedule and start) keeps the saver
// busy long after it; its journal entry is written before the result is given.
func TestCommandSurvivesLeavingAtOnce(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	mustRun(t, ctx, heredoc("kubectl apply -f -", kubiaRC(t)))

	// The page goes away in the same task as the command's result arrives: the saver gets
	// no turn between them.
	left := eval[string](t, ctx, `window.kubetab.exec("kubectl scale rc kubia --replicas=500").then((r) => {
		location.href = "about:blank";
		return r.output;
	})`)
	if !strings.Contains(left, "scaled") {
		t.Fatalf("scale: %q", left)
	}
	waitShowing(t, ctx, "the page gone", `location.href === "about:blank"`, `location.href`, 20*time.Second)

	open(t, ctx, baseURL+"/")
	if out := mustRun(t, ctx, "kubectl get rc kubia -o jsonpath={.spec.replicas}"); out != "500" {
		t.Fatalf("replicas after the reload: %q\n%s", out, tail(terminalText(ctx), 1500))
	}
	if tr := terminalText(ctx); !strings.Contains(tr, "# restored the cluster") {
		t.Fatalf("terminal after reload:\n%s", tail(tr, 1500))
	}
}
