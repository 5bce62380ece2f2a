package widget

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestParseEmbedConfig(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:8080/embed?theme=light&readonly=1&run=kubectl+get+nodes&run=&file=a.yaml&text=x&origins=http://127.0.0.1:9000/,https://docs.example.com,*,ftp://x,http://127.0.0.1:9000")
	c := ParseConfig(u)
	if !c.Light || !c.ReadOnly || c.Editor || c.Strict {
		t.Errorf("flags: %+v", c)
	}
	if u, _ := url.Parse("http://h/embed?strict=1"); !ParseConfig(u).Strict {
		t.Error("strict=1 not read")
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
	if c := ParseConfig(u); c.Bundle != nil || len(c.Problems) != 1 || !strings.Contains(c.Problems[0], "damaged") {
		t.Errorf("tampered bundle: %+v", c)
	}
}

func TestCheckMessage(t *testing.T) {
	for _, m := range []message{
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
	if err := checkMessage(message{Type: msgLoad, ID: "1", Files: map[string]string{"a/b.yaml": "x"}}); err != nil {
		t.Error(err)
	}
}
