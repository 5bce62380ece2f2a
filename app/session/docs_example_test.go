package session

import (
	"html"
	"os"
	"regexp"
	"strings"
	"testing"
)

var runnableBlock = regexp.MustCompile(`(?s)<pre data-kubetab-run id="([^"]+)">(.*?)</pre>`)

// The docs-page example's blocks (public/docs-example.html), each sent as embed.js sends a
// block (one exec of the whole block), all succeed top to bottom in one widget's shell; e2e
// runs the same page in Chromium.
func TestDocsExamplePageRuns(t *testing.T) {
	page, err := os.ReadFile("../../public/docs-example.html")
	if err != nil {
		t.Fatal(err)
	}
	blocks := runnableBlock.FindAllStringSubmatch(string(page), -1)
	if len(blocks) < 5 {
		t.Fatalf("%d runnable blocks in docs-example.html, want several", len(blocks))
	}
	sh := startedShell(t)
	sh.Exec("kubectl get nodes") // the widget's data-run
	for _, b := range blocks {
		if out, code := sh.Exec(html.UnescapeString(b[2])); code != 0 {
			t.Fatalf("block %s exited %d:\n%s", b[1], code, out)
		}
	}
	got := sh.Transcript()
	for _, want := range []string{
		"Name of the Pod: kubernetes-bootcamp-",
		"$ for i in $(seq 1 12)\n> do\n",
		"configmap/greeting created\n",
		"Hello from a ConfigMap\n",
		"version 2 answers\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, got)
		}
	}
	if text, err := sh.Files().Read("greeting.yaml"); err != nil || !strings.Contains(text, "kind: ConfigMap") {
		t.Errorf("greeting.yaml in the workspace: %q %v", text, err)
	}
}
