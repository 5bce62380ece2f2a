package main

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/app/internal/session"
	"github.com/kubetab/kubetab/engine/terminal"
)

func TestParseEmbedConfig(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:8080/embed?theme=light&readonly=1&run=kubectl+get+nodes&run=&file=a.yaml&text=x&origins=http://127.0.0.1:9000/,https://docs.example.com,*,ftp://x,http://127.0.0.1:9000")
	c := parseEmbedConfig(u)
	if !c.Light || !c.ReadOnly || c.Editor {
		t.Errorf("flags: %+v", c)
	}
	if !slices.Equal(c.Run, []string{"kubectl get nodes"}) || c.Files["a.yaml"] != "x" {
		t.Errorf("run %q, files %v", c.Run, c.Files)
	}
	want := []string{"http://127.0.0.1:8080", "http://127.0.0.1:9000", "https://docs.example.com"}
	if !slices.Equal(c.Origins, want) {
		t.Errorf("origins %q, want %q", c.Origins, want)
	}
	if len(c.Problems) != 2 {
		t.Errorf("problems %q: want the two bad origins", c.Problems)
	}
	u, _ = url.Parse("http://h/embed#bundle=AAAA")
	if c := parseEmbedConfig(u); c.Bundle != nil || len(c.Problems) != 1 || !strings.Contains(c.Problems[0], "damaged") {
		t.Errorf("tampered bundle: %+v", c)
	}
}

func TestCheckMessage(t *testing.T) {
	for _, m := range []embedMessage{
		{Type: msgExec, ID: strings.Repeat("x", 65), Line: "k get po"},
		{Type: msgExec, ID: "1", Line: strings.Repeat("x", 64<<10+1)},
		{Type: msgExec, ID: "1", Line: " "},
		{Type: msgLoad, ID: "1", Files: map[string]string{"../x": ""}},
		{Type: msgLoad, ID: "1", Files: map[string]string{"/etc/passwd": ""}},
	} {
		if checkMessage(m) == nil {
			t.Errorf("accepted %.80v", m)
		}
	}
	if err := checkMessage(embedMessage{Type: msgLoad, ID: "1", Files: map[string]string{"a/b.yaml": "x"}}); err != nil {
		t.Error(err)
	}
}

// A share bundle made from a shell replays into the same cluster in another one.
func TestShareReplay(t *testing.T) {
	sh := startedShell(t)
	sh.Files().Write("p.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, \"3600\"]\n")
	sh.Exec("kubectl apply -f p.yaml")
	sh.Exec("kubectl create namespace ns <<'EOF'\nEOF")
	sh.Exec("kubetab advance 1m")
	b, err := sh.ShareBundle()
	if err != nil {
		t.Fatal(err)
	}
	frag, err := b.Fragment()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("http://h/#share=" + frag)
	other := startedShell(t)
	cleaned := ""
	openShareLink(other, u, func(to string) { cleaned = to })
	if cleaned != "http://h/" {
		t.Errorf("cleaned to %q", cleaned)
	}
	want, _ := sh.Exec("kubectl get pods,ns")
	got, _ := other.Exec("kubectl get pods,ns")
	if got != want || !strings.Contains(got, "ns") {
		t.Errorf("replayed cluster differs:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(other.Transcript(), "$ kubectl apply -f p.yaml") {
		t.Errorf("history missing:\n%s", other.Transcript())
	}
	u, _ = url.Parse("http://h/#share=" + frag[:len(frag)-3] + "A!")
	openShareLink(other, u, nil)
	if !strings.Contains(other.Notice(), "cannot be opened") {
		t.Errorf("notice %q", other.Notice())
	}
}

func startedShell(t *testing.T) *session.Shell {
	t.Helper()
	sh := session.New()
	sh.Start(nil, terminal.Options{}, nil)
	return sh
}
