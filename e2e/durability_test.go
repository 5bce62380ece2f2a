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
	// no turn between them. The result waits in sessionStorage for the page's return.
	eval[bool](t, ctx, `(window.kubetab.exec("kubectl scale rc kubia --replicas=500").then((r) => {
		sessionStorage.setItem("scaled", r.output);
		location.href = "about:blank";
	}), true)`)
	for deadline := time.Now().Add(60 * time.Second); evalString(ctx, `location.href`) != "about:blank"; {
		if time.Now().After(deadline) {
			t.Fatalf("the page did not go: %s", evalString(ctx, `location.href`))
		}
		time.Sleep(50 * time.Millisecond)
	}

	open(t, ctx, baseURL+"/")
	if out := mustRun(t, ctx, "kubectl get rc kubia -o jsonpath={.spec.replicas}"); out != "500" {
		t.Fatalf("replicas after the reload: %q\n%s", out, tail(terminalText(ctx), 1500))
	}
	if left := eval[string](t, ctx, `sessionStorage.getItem("scaled")`); !strings.Contains(left, "scaled") {
		t.Fatalf("scale printed %q", left)
	}
	if tr := terminalText(ctx); !strings.Contains(tr, "# restored the cluster") {
		t.Fatalf("terminal after reload:\n%s", tail(tr, 1500))
	}
}
