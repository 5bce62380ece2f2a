package session

import (
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/terminal"
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
