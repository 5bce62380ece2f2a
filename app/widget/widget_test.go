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

// The inbox keeps messages in order up to its bound, refuses the rest without blocking,
// and asks for one warning per burst.
func TestInboxBound(t *testing.T) {
	b := newInbox[int](3)
	var warnings int
	offer := func(i int) bool {
		queued, warn := b.offer(i)
		if warn {
			warnings++
		}
		return queued
	}
	for i := range 3 {
		if !offer(i) {
			t.Fatalf("message %d refused below the bound", i)
		}
	}
	for i := 3; i < 1000; i++ {
		if offer(i) {
			t.Fatalf("message %d queued past the bound", i)
		}
	}
	if warnings != 1 {
		t.Fatalf("%d warnings for one burst", warnings)
	}
	if got := b.next(); got != 0 {
		t.Fatalf("next = %d, want the oldest", got)
	}
	// Still a burst: the inbox has not emptied.
	offer(3)
	offer(4)
	if warnings != 1 {
		t.Fatalf("%d warnings before the inbox emptied", warnings)
	}
	for _, want := range []int{1, 2, 3} {
		if got := b.next(); got != want {
			t.Fatalf("next = %d, want %d", got, want)
		}
	}
	for i := range 4 {
		offer(10 + i)
	}
	if warnings != 2 {
		t.Fatalf("%d warnings, want a second one for the second burst", warnings)
	}
}
