//go:build !wasm

package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/lessons"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/tutorial"
)

// htmlOf renders elements as the server would.
func htmlOf(uis []app.UI) string {
	var b strings.Builder
	for _, u := range uis {
		b.WriteString(app.HTMLString(u))
	}
	// Without the pretty-printing's line breaks and indentation.
	return regexp.MustCompile(`\n\s*`).ReplaceAllString(b.String(), "")
}

func TestMarkdownIsTextNeverHTML(t *testing.T) {
	src := "# Title <b>x</b>\n\nA *pod* and **two** and `kubectl get <po>` and [docs](https://kubernetes.io/docs/) " +
		"and [bad](javascript:alert(1)) and [rel](/x) and snake_case_name.\n\n" +
		"- one\n- two with `code`\n  continued\n\n1. first\n2. second\n\n> quoted *text*\n\n```yaml\n<script>alert(1)</script>\n```\n\n<img src=x onerror=alert(1)>\n"
	html := htmlOf(renderMarkdown(src))
	for _, bad := range []string{"<b>", "<script", "<img", "javascript:", `href="/x"`} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered %q:\n%s", bad, html)
		}
	}
	for _, want := range []string{
		"<h1>Title &lt;b&gt;x&lt;/b&gt;</h1>", "<em>pod</em>", "<strong>two</strong>", "<code>kubectl get &lt;po&gt;</code>",
		`href="https://kubernetes.io/docs/"`, `rel="noopener noreferrer"`, "snake_case_name", "<li>two with <code>code</code>continued</li>",
		"<ol>", "<blockquote>", "&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q in:\n%s", want, html)
		}
	}
}

// Every shipped lesson parses and renders, and its steps are all on the page.
func TestLessonsRender(t *testing.T) {
	dir := filepath.Join("..", "..", "public", "tutorials")
	names := lessons.List(dir)
	if len(names) < 6 {
		t.Fatalf("lessons: %v", names)
	}
	for _, name := range names {
		src, err := os.ReadFile(filepath.Join(dir, name+".md"))
		if err != nil {
			t.Fatal(err)
		}
		l, err := tutorial.Parse(name+".md", src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := &tutorialPage{name: name, lesson: l, prog: session.NewLessonProgress(name)}
		p.OnInit()
		html := htmlOf(p.renderLesson())
		for _, st := range l.Steps() {
			attr := `data-check="` + st.ID + `"`
			if st.Block != nil {
				attr = `data-run="` + st.ID + `"`
			}
			if !strings.Contains(html, attr) {
				t.Errorf("%s: no %s", name, attr)
			}
		}
		if strings.Contains(html, `data-state="pass"`) {
			t.Errorf("%s: a check passed before anything ran", name)
		}
	}
}

func TestDueChecksWaitForTheirBlocks(t *testing.T) {
	l, err := tutorial.Parse("x.md", []byte("# X\n\n```kubetab\nkubectl get pods\n```\n\n```check\nkubectl get rc kubia\nexit: 1\nlabel: no rc\n```\n\n```kubetab\nkubectl get nodes\n```\n\n```check\nkubectl get nodes -o name\ncount: 4\nlabel: four nodes\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	prog := session.NewLessonProgress("x")
	if d := dueChecks(l, prog); len(d) != 0 {
		t.Fatalf("due before any block ran: %v", d)
	}
	prog.Ran["run-1"] = 0
	if d := dueChecks(l, prog); len(d) != 1 || d[0].Label != "no rc" {
		t.Fatalf("due after run-1: %v", d)
	}
	prog.Ran["run-2"] = 1
	prog.Passed[d0(l)] = true
	if d := dueChecks(l, prog); len(d) != 1 || d[0].Label != "four nodes" {
		t.Fatalf("due after run-2: %v", d)
	}
	if !readsLogs("kubectl -n x logs pod/a") || readsLogs("kubectl get pods") {
		t.Error("readsLogs")
	}
}

func d0(l *tutorial.Lesson) string { return l.Checks()[0].ID }

// A block typed at the prompt, command by command (blanks and the k alias as a learner
// types them, variables as written), counts once its last command is typed; lines that are
// not the first unrun block's next command do not count.
func TestTypedSteps(t *testing.T) {
	l, err := tutorial.Parse("x.md", []byte("# X\n\n```kubetab\nkubectl get pods\nkubectl get nodes\n```\n\n```kubetab\nPOD=$(kubectl get pods -o name)\nkubectl delete $POD\n```\n\n```check\nkubectl get nodes -o name\ncount: 4\nlabel: four nodes\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	prog := session.NewLessonProgress("x")
	typed := map[string]int{}
	step := func(cmd string) string {
		if done := typedStep(l, prog, typed, cmd); done != nil {
			prog.Ran[done.ID] = 0
			return done.ID
		}
		return ""
	}
	if id := step("kubectl get nodes"); id != "" || typed["run-1"] != 0 {
		t.Fatal("a command out of order counted")
	}
	step("k  get   pods")
	if id := step("kubectl get nodes"); id != "run-1" {
		t.Fatalf("run-1 typed: %q", id)
	}
	if id := step("POD=$(kubectl get pods -o name)"); id != "" || typed["run-2"] != 1 {
		t.Fatal("the assignment was not counted")
	}
	if id := step("kubectl delete $POD"); id != "run-2" {
		t.Fatalf("run-2 typed: %q", id)
	}
	if cs := checksAfter(l, "run-2"); len(cs) != 1 || cs[0].Label != "four nodes" {
		t.Fatalf("checks after run-2: %v", cs)
	}
	if cs := checksAfter(l, "run-1"); len(cs) != 0 {
		t.Fatalf("checks after run-1: %v", cs)
	}
}

// A check passes, waits while its within: may still bring it (saying what it saw), or
// fails with what it saw and a hint once it cannot.
func TestCheckTeaches(t *testing.T) {
	l, err := tutorial.Parse("x.md", []byte("# X\n\n```kubetab\nkubectl get pods\n```\n\n```check\nkubectl get pods -o name\ncount: 3\nwithin: 1m\nlabel: three pods\nhint: scale it back to 3\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := l.Checks()[0]
	p := &tutorialPage{}
	p.OnInit()
	prog := session.NewLessonProgress("x")
	if state, note, _ := p.checkView(c, prog, false); state != statePending || !strings.HasPrefix(note, "waits for the steps above") {
		t.Errorf("before its block: %s %q", state, note)
	}
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	prog.Due[c.ID] = start
	p.results[c.ID] = checkResult{false, "expected 3 lines, saw 2: pod/a, pod/b", start.Add(30 * time.Second)}
	if state, note, hint := p.checkView(c, prog, true); state != statePending || note != "not yet: expected 3 lines, saw 2: pod/a, pod/b" || hint != "scale it back to 3" {
		t.Errorf("within its wait: %s %q %q", state, note, hint)
	}
	p.results[c.ID] = checkResult{false, "expected 3 lines, saw 2: pod/a, pod/b", start.Add(time.Minute)}
	if state, note, hint := p.checkView(c, prog, true); state != stateFail || note != "expected 3 lines, saw 2: pod/a, pod/b" || hint != "scale it back to 3" {
		t.Errorf("after its wait: %s %q %q", state, note, hint)
	}
	prog.Passed[c.ID] = true
	if state, _, _ := p.checkView(c, prog, true); state != statePass {
		t.Errorf("passed: %s", state)
	}
}
