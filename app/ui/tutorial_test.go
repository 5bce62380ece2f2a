//go:build !wasm

package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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
