//go:build !wasm

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/app/server"
)

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestUsage(t *testing.T) {
	out, _, code := runCLI(t, "", "--help")
	if code != 0 || !strings.Contains(out, "kubetab [--state DIR] run FILE|-") {
		t.Fatalf("--help: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "kubetab tutorial test [-v] FILE...") {
		t.Error("usage does not list tutorial test")
	}
	for _, args := range [][]string{{}, {"bogus"}, {"--seed", "x", "run", "-"}, {"--start", "today", "reset"}, {"run"}, {"static"}, {"--state", "d", "serve"}} {
		if _, errOut, code := runCLI(t, "", args...); code != 2 || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestRunScriptFromStdin(t *testing.T) {
	out, _, code := runCLI(t, "kubetab advance 90s\nkubectl get nodes -o name\n", "--start", "2030-01-01T00:00:00Z", "run", "-")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	want := "$ kubetab advance 90s\ntime advanced 1m30s to 2030-01-01T00:01:30Z\n$ kubectl get nodes -o name\n"
	if !strings.HasPrefix(out, want) || !strings.Contains(out, "node/kubetab-control-plane") {
		t.Fatalf("transcript:\n%s", out)
	}
	if _, _, code := runCLI(t, "nope\n", "run", "-"); code != 1 {
		t.Fatalf("a failing script exited %d", code)
	}
}

// Paths in a script are relative to the script's directory.
func TestRunFileReadsRelativeToScript(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "m"), 0o755)
	os.WriteFile(filepath.Join(dir, "m", "ns.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lesson\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "s.sh"), []byte("kubectl apply -f m/ns.yaml\n"), 0o644)
	out, _, code := runCLI(t, "", "run", filepath.Join(dir, "s.sh"))
	if code != 0 || !strings.Contains(out, "namespace/lesson created") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestStateDirectory(t *testing.T) {
	state := filepath.Join(t.TempDir(), "st")
	step := func(stdin string, args ...string) string {
		t.Helper()
		out, errOut, code := runCLI(t, stdin, append([]string{"--state", state}, args...)...)
		if code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	step("", "--seed", "5", "node", "add", "kubetab-worker4", "--label", "disk=ssd")
	step("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: from-stdin\n", "kubectl", "apply", "-f", "-")
	step("", "advance", "5m")
	if out := step("", "advance", "10m"); out != "time advanced 10m to 2026-01-01T09:15:00Z\n" {
		t.Fatalf("advance printed %q", out)
	}
	out := step("", "kubectl", "get", "nodes,namespaces", "-o", "name")
	for _, want := range []string{"node/kubetab-worker4", "namespace/from-stdin"} {
		if !strings.Contains(out, want) {
			t.Errorf("state lost %s:\n%s", want, out)
		}
	}
	// The seed of a saved cluster cannot change behind its back...
	if _, errOut, code := runCLI(t, "", "--state", state, "--seed", "6", "kubectl", "get", "pods"); code != 1 || !strings.Contains(errOut, "already holds a cluster") {
		t.Fatalf("conflicting --seed: exit %d, %q", code, errOut)
	}
	// ...but reset takes it.
	if out := step("", "--seed", "6", "reset"); !strings.Contains(out, "seed 6") {
		t.Fatalf("reset printed %q", out)
	}
	if out := step("", "kubectl", "get", "namespaces", "-o", "name"); strings.Contains(out, "from-stdin") {
		t.Fatalf("reset kept the old cluster:\n%s", out)
	}
	// A failing command exits 1 and the transcript of a script is complete.
	if _, _, code := runCLI(t, "", "--state", state, "kubectl", "get", "pod", "nope"); code != 1 {
		t.Fatalf("failing kubectl exited %d", code)
	}
	if _, _, code := runCLI(t, "", "--state", state, "node", "fail", "nope"); code != 1 {
		t.Fatalf("failing node command exited %d", code)
	}
}

func TestEditUsesEditor(t *testing.T) {
	dir := t.TempDir()
	editor := filepath.Join(dir, "ed.sh")
	// An "editor" that adds a label to whatever it is given.
	os.WriteFile(editor, []byte("#!/bin/sh\nsed -i 's/^  labels:$/  labels:\\n    edited: \"yes\"/' \"$1\"\n"), 0o755)
	t.Setenv("KUBE_EDITOR", editor)
	state := filepath.Join(dir, "st")
	runCLI(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    a: b\n", "--state", state, "kubectl", "apply", "-f", "-")
	out, errOut, code := runCLI(t, "", "--state", state, "kubectl", "edit", "configmap", "c")
	if code != 0 {
		t.Fatalf("edit: exit %d\n%s%s", code, out, errOut)
	}
	// The edit is replayed from the journal, not by running the editor again.
	t.Setenv("KUBE_EDITOR", "false")
	out, _, _ = runCLI(t, "", "--state", state, "kubectl", "get", "configmap", "c", "--show-labels")
	if !strings.Contains(out, "edited=yes") {
		t.Fatalf("edit lost:\n%s", out)
	}
}

func TestStaticWebsite(t *testing.T) {
	pub := t.TempDir()
	os.MkdirAll(filepath.Join(pub, "web"), 0o755)
	os.WriteFile(filepath.Join(pub, "web", "app.wasm"), []byte("\x00asm"), 0o644)
	os.WriteFile(filepath.Join(pub, "web", "app.css"), []byte("body{}"), 0o644)
	defer func(old string) { server.PublicDir = old }(server.PublicDir)
	server.PublicDir = pub
	out := t.TempDir()
	if _, errOut, code := runCLI(t, "", "static", "--out", out, "--base-path", "/docs/kubetab/"); code != 0 {
		t.Fatalf("static: exit %d: %s", code, errOut)
	}
	for _, f := range []string{"index.html", "app.js", "wasm_exec.js", "app-worker.js", "manifest.webmanifest", "web/app.wasm", "web/app.css"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(index), "/docs/kubetab/web/app.css") || strings.Contains(string(index), "raw.githubusercontent.com") {
		t.Errorf("index.html does not use the base path or uses remote icons:\n%.2000s", index)
	}
	if !strings.Contains(string(index), `<link rel="preload" href="/docs/kubetab/web/app.wasm" as="fetch" crossorigin="anonymous">`) {
		t.Errorf("index.html does not preload the wasm:\n%.3000s", index)
	}
	// The static site's loader is kubetab's (loader.go).
	appJS, _ := os.ReadFile(filepath.Join(out, "app.js"))
	if !strings.Contains(string(appJS), `fetch("/docs/kubetab/web/app.wasm")`) || strings.Contains(string(appJS), "\ngoappInitServiceWorker();") {
		t.Errorf("app.js is go-app's, not patched:\n%.1000s", appJS)
	}
}

// --strict answers as a real cluster for the invocation it is given to; the saved journal
// remembers each command's mode, so a later invocation without it replays the same cluster.
func TestStrictFlag(t *testing.T) {
	state := filepath.Join(t.TempDir(), "st")
	_, errOut, code := runCLI(t, "", "--state", state, "--strict", "kubectl", "run", "x", "--image=busybox", "--replicas=2")
	if code != 1 || errOut != "error: unknown flag: --replicas\nSee 'kubectl run --help' for usage.\n" {
		t.Fatalf("strict run: exit %d, %q", code, errOut)
	}
	out, errOut, code := runCLI(t, "", "--state", state, "kubectl", "get", "pods", "-a")
	if code != 0 || !strings.Contains(errOut, "kubetab: --show-all (-a) was removed") || out != "" {
		t.Fatalf("kind get -a after a strict command: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "warning") {
		t.Errorf("the replay diverged: %s", errOut)
	}
	if _, errOut, code := runCLI(t, "", "--strict", "serve"); code != 2 || !strings.Contains(errOut, "--strict do not apply") {
		t.Errorf("--strict serve: exit %d, %q", code, errOut)
	}
}
