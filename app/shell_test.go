package main

import (
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/terminal"
)

func startedShell(t *testing.T) *shell {
	t.Helper()
	sh := newShell()
	sh.start(terminal.Options{})
	return sh
}

func TestShellExec(t *testing.T) {
	sh := startedShell(t)
	changes := 0
	sh.Subscribe(func() { changes++ })
	out, code := sh.Exec("kubetab advance 5m")
	if code != 0 || out != "time advanced 5m to 2026-01-01T09:05:00Z\n" {
		t.Fatalf("exit %d output %q", code, out)
	}
	if _, code := sh.Exec("nope"); code != terminal.ExitNotFound {
		t.Fatalf("unknown command: exit %d", code)
	}
	if got := sh.Transcript(); !strings.HasPrefix(got, "$ kubetab advance 5m\ntime advanced 5m") || !strings.Contains(got, "$ nope\nnope: command not found") {
		t.Fatalf("transcript:\n%s", got)
	}
	if changes != 2 {
		t.Fatalf("%d change notifications, want 2", changes)
	}
}

// A here-document typed line by line runs once its delimiter arrives.
func TestShellContinuation(t *testing.T) {
	sh := startedShell(t)
	for _, line := range []string{"kubectl apply -f - <<EOF", "apiVersion: v1", "kind: Namespace", "metadata:", "  name: typed", "EOF"} {
		sh.Submit(line)
		if line != "EOF" && sh.Prompt() != "> " {
			t.Fatalf("after %q the prompt is %q", line, sh.Prompt())
		}
	}
	if sh.Prompt() != "$ " {
		t.Fatal("the prompt did not return")
	}
	got := sh.Transcript()
	if !strings.HasPrefix(got, "$ kubectl apply -f - <<EOF\n> apiVersion: v1\n") || !strings.HasSuffix(got, "> EOF\nnamespace/typed created\n") {
		t.Fatalf("transcript:\n%s", got)
	}
}
