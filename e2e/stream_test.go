//go:build !wasm

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// promptSign is a JavaScript expression for the prompt shown before the input.
const promptSign = `document.querySelector("#terminal .prompt-sign").textContent`

// ctrlC presses Ctrl-C in the terminal's input.
func ctrlC(t *testing.T, ctx context.Context) {
	t.Helper()
	within(t, ctx, 10*time.Second, chromedp.Steps(
		chromedp.Focus(chromedp.ID("terminal-input")),
		chromedp.KeyEvent("c", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	))
}

// setSpeed picks the clock's speed as a user does, once the controls are enabled, and waits
// until the page shows it taken.
func setSpeed(t *testing.T, ctx context.Context, speed string) {
	t.Helper()
	waitFor(t, ctx, "the speed control", `(() => { const s = document.getElementById("speed-select"); return s && !s.disabled; })()`, 20*time.Second)
	eval[bool](t, ctx, `(() => {
		const s = document.getElementById("speed-select");
		s.value = `+js(speed)+`;
		return s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`)
	waitFor(t, ctx, "speed "+speed, `document.querySelector('#speed-select option[value="`+speed+`"]').selected`, 10*time.Second)
}

// `kubectl get pods -w` typed into the terminal streams: the rows of what other commands
// change appear while time plays, until Ctrl-C prints ^C and gives the prompt back.
func TestTerminalWatchStreamsUntilCtrlC(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	setSpeed(t, ctx, "10")
	mustRun(t, ctx, heredoc("kubectl apply -f -", kubiaRC(t)))
	waitFor(t, ctx, "three kubia pods Running", count(runningPods)+" === 3", 60*time.Second)

	typeLine(t, ctx, "kubectl get pods -w")
	waitFor(t, ctx, "the watch's list", `/\$ kubectl get pods -w\nNAME +READY +STATUS +RESTARTS +AGE\n(kubia-\S+ +1\/1 +Running .*\n){3}$/.test(`+terminalOutput+`)`, 20*time.Second)
	waitFor(t, ctx, "no prompt while streaming", promptSign+` === ""`, 10*time.Second)

	// The JS API runs lines meanwhile (bounded); the stream shows what they change, as time
	// plays.
	mustRun(t, ctx, "kubectl scale rc kubia --replicas=4")
	waitFor(t, ctx, "the new pod's rows", `/kubia scaled\n(kubia-\S+ .*\n)*kubia-\S+ +0\/1 +(Pending|ContainerCreating) .*\n(kubia-\S+ .*\n)*kubia-\S+ +1\/1 +Running +0 +\d+s\n/.test(`+terminalOutput+`)`, 30*time.Second)
	victim := podNames(t, ctx, runningPods)[0]
	mustRun(t, ctx, "kubectl delete pod "+victim+" --wait=false")
	waitFor(t, ctx, "the deleted pod's row", `new RegExp("deleted from default namespace\\n(.*\\n)*`+victim+` +\\S+ +Terminating ").test(`+terminalOutput+`)`, 30*time.Second)

	// Enter is refused while the watch streams; the line stays in the input.
	typeLine(t, ctx, "kubectl get rc kubia -o name")
	waitFor(t, ctx, "the refusal", `document.getElementById("terminal-status").textContent.includes("Ctrl-C stops it")`, 10*time.Second)
	if v := eval[string](t, ctx, `document.getElementById("terminal-input").value`); v != "kubectl get rc kubia -o name" {
		t.Fatalf("the input holds %q", v)
	}

	ctrlC(t, ctx)
	waitFor(t, ctx, "^C and the prompt", terminalOutput+`.endsWith("\n^C\n") && `+promptSign+` === "$ "`, 10*time.Second)
	stopped := eval[string](t, ctx, terminalOutput)
	within(t, ctx, 10*time.Second, chromedp.SendKeys(chromedp.ID("terminal-input"), kb.Enter))
	waitFor(t, ctx, "the kept line run", terminalOutput+`.endsWith("^C\n$ kubectl get rc kubia -o name\nreplicationcontroller/kubia\n")`, 10*time.Second)

	// Nothing more streams: a change while time plays adds no row.
	mustRun(t, ctx, "kubectl scale rc kubia --replicas=2")
	time.Sleep(2 * time.Second)
	if rest := strings.TrimPrefix(eval[string](t, ctx, terminalOutput), stopped); rest != "$ kubectl get rc kubia -o name\nreplicationcontroller/kubia\n$ kubectl scale rc kubia --replicas=2\nreplicationcontroller/kubia scaled\n" {
		t.Fatalf("after Ctrl-C the terminal got:\n%s", rest)
	}
}

// `kubectl logs -f` typed into the terminal prints the log's new lines as time plays, until
// Ctrl-C.
func TestTerminalLogsFollowStopsOnCtrlC(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	setSpeed(t, ctx, "10")
	mustRun(t, ctx, `kubectl run counter --image=busybox -- sh -c 'i=0; while true; do i=$((i+1)); echo line $i; sleep 2; done'`)
	waitFor(t, ctx, "the counter Running", count(runningPods)+" === 1", 30*time.Second)

	typeLine(t, ctx, "kubectl logs -f counter")
	lines := `(` + terminalOutput + `.split("$ kubectl logs -f counter\n")[1] || "").split("\n").filter(l => /^line \d+$/.test(l)).length`
	waitFor(t, ctx, "the first lines", lines+` >= 1`, 20*time.Second)
	first := eval[int](t, ctx, lines)
	waitFor(t, ctx, "new lines as time plays", lines+` >= `+fmt.Sprint(first+3), 30*time.Second)

	ctrlC(t, ctx)
	waitFor(t, ctx, "^C and the prompt", terminalOutput+`.endsWith("\n^C\n") && `+promptSign+` === "$ "`, 10*time.Second)
	n := eval[int](t, ctx, lines)
	time.Sleep(time.Second) // 10 virtual seconds: five more lines, were it still following
	if m := eval[int](t, ctx, lines); m != n {
		t.Fatalf("%d lines after Ctrl-C, then %d", n, m)
	}
}
