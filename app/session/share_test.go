package session

import (
	"testing"

	"github.com/kubetab/kubetab/engine/terminal"
)

func TestApplyLine(t *testing.T) {
	text := "a: 1\nEOF\nb: 2"
	line := ApplyLine(text)
	cmds, err := terminal.Parse(line)
	if err != nil || len(cmds) != 1 || cmds[0].Stdin == nil || *cmds[0].Stdin != text+"\n" {
		t.Fatalf("%q: %v %+v", line, err, cmds)
	}
}
