//go:build !wasm

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const passingLesson = "# Namespaces\n\n```kubetab\nkubectl create namespace lesson\n```\n\n" +
	"```check\nkubectl get namespace lesson -o jsonpath={.status.phase}\nequals: Active\nlabel: the namespace is Active\n```\n"

const failingLesson = "---\ntitle: Nodes\n---\n\n```check\nkubectl get nodes -o name\ncount: 4\nlabel: four nodes\n```\n\n" +
	"```check\nkubectl get nodes -o name\ncount: 5\nlabel: five nodes\n```\n"

func TestTutorialTest(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass.md")
	fail := filepath.Join(dir, "fail.md")
	broken := filepath.Join(dir, "broken.md")
	os.WriteFile(pass, []byte(passingLesson), 0o644)
	os.WriteFile(fail, []byte(failingLesson), 0o644)
	os.WriteFile(broken, []byte("# Broken\n\n```check\nkubectl delete pod x\nexit: 0\nlabel: nope\n```\n"), 0o644)

	out, errOut, code := runCLI(t, "", "tutorial", "test", pass)
	if code != 0 || out != "ok   "+pass+":7 the namespace is Active\nPASS 1 lessons, 1 checks\n" {
		t.Fatalf("passing lesson: exit %d\n%s%s", code, out, errOut)
	}

	out, errOut, code = runCLI(t, "", "tutorial", "test", pass, fail)
	if code != 1 {
		t.Fatalf("failing lesson: exit %d\n%s", code, out)
	}
	for _, want := range []string{"ok   " + fail + ":5 four nodes\n", "FAIL " + fail + ":11 five nodes\n     4 lines, want 5:\n     node/"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if errOut != "kubetab: 1 failed:\n  "+fail+":11 five nodes\n" {
		t.Errorf("stderr %q", errOut)
	}

	out, errOut, code = runCLI(t, "", "tutorial", "test", broken)
	if code != 1 || !strings.Contains(out, broken+":4: this must only read the cluster") || !strings.Contains(errOut, "does not parse") {
		t.Errorf("broken lesson: exit %d\n%s%s", code, out, errOut)
	}

	for _, args := range [][]string{{"tutorial"}, {"tutorial", "run", pass}, {"tutorial", "test"}, {"--seed", "3", "tutorial", "test", pass}} {
		if _, errOut, code := runCLI(t, "", args...); code != 2 || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// The lessons shipped in public/tutorials all pass, through the CLI as `make test` runs them.
func TestTutorialTestShippedLessons(t *testing.T) {
	lessons, _ := filepath.Glob("../../public/tutorials/*.md")
	if len(lessons) == 0 {
		t.Fatal("no lessons in public/tutorials")
	}
	out, errOut, code := runCLI(t, "", append([]string{"tutorial", "test"}, lessons...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// strictLesson applies the book's apps/v1beta2 ReplicaSet: kind kubetab accepts it with a
// warning; a strict run (front matter or --strict) refuses it as a real cluster does.
const strictLesson = "# Legacy\n\n```yaml file=rs.yaml\napiVersion: apps/v1beta2\nkind: ReplicaSet\nmetadata:\n  name: kubia\nspec:\n  replicas: 1\n" +
	"  selector:\n    matchLabels:\n      app: kubia\n  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n```\n\n" +
	"```kubetab\nkubectl apply -f rs.yaml\n```\n"

func TestTutorialTestStrict(t *testing.T) {
	dir := t.TempDir()
	kind := filepath.Join(dir, "kind.md")
	strict := filepath.Join(dir, "strict.md")
	os.WriteFile(kind, []byte(strictLesson), 0o644)
	os.WriteFile(strict, []byte("---\nstrict: true\n---\n"+strictLesson), 0o644)
	if out, errOut, code := runCLI(t, "", "tutorial", "test", kind); code != 0 {
		t.Errorf("kind: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{{"tutorial", "test", strict}, {"tutorial", "test", "--strict", kind}, {"--strict", "tutorial", "test", kind}} {
		out, _, code := runCLI(t, "", args...)
		if code != 1 || !strings.Contains(out, "block run-1") {
			t.Errorf("%q: exit %d\n%s", args, code, out)
		}
	}
}
