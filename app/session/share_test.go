package session

import (
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/wasm/share"
)

func TestApplyLine(t *testing.T) {
	text := "a: 1\nEOF\nb: 2"
	line := ApplyLine(text)
	cmds, err := terminal.Parse(line)
	if err != nil || len(cmds) != 1 || cmds[0].Text != line {
		t.Fatalf("%q: %v %+v", line, err, cmds)
	}
	s, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if s.RunLine(strings.Replace(line, "kubectl apply -f -", "cat", 1), &out); out.String() != text+"\n" {
		t.Fatalf("the here-document reads %q", out.String())
	}
}

// A shared link's cluster, replayed and saved, is what a reload finds in its context at
// once: Save returns when storage has it.
func TestReplayShareThenSave(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	ctx := SharedContext("abcdefghijklmnop")
	if !sh.Open(ctx, terminal.Options{}) {
		t.Fatal("a shared link never opened is not fresh")
	}
	b := &share.Bundle{Version: share.Version, Seed: 7, Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Files: map[string]string{"a.yaml": "x"}, History: []string{"kubectl create namespace shared-one"}}
	if err := sh.ReplayShare(b, "a test"); err != nil {
		t.Fatal(err)
	}
	sh.Save()

	again := New()
	again.StartIn(ctx, store, terminal.Options{}, nil)
	if out, code := again.Exec("kubectl get ns shared-one -o name"); code != 0 {
		t.Fatalf("after a reload: %d %q", code, out)
	}
	if got := again.Files().List(); len(got) != 1 || got[0] != "a.yaml" {
		t.Fatalf("the shared files after a reload: %v", got)
	}
}
