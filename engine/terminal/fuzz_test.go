package terminal

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse holds Parse to its promises on any input: it never panics; every error is a
// *SyntaxError that names a line of the script; every command echoes as text that parses
// back to itself; and Quote round-trips every command's words.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.in)
	}
	for _, args := range roundTripArgs {
		f.Add(Quote(args))
	}
	f.Fuzz(func(t *testing.T, script string) {
		Complete(script, len(script)/2) // must not panic either
		cmds, err := Parse(script)
		lines := strings.Count(script, "\n") + 1
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %q is not a *SyntaxError", err, err)
			}
			if se.Line == 0 && strings.HasPrefix(se.Msg, "script too large: ") {
				return
			}
			if se.Line < 1 || se.Line > lines {
				t.Fatalf("error %q names line %d of a %d-line script", err, se.Line, lines)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", se.Line)) || se.Msg == "" {
				t.Fatalf("error %q does not start with its line", err)
			}
			return
		}
		for i, c := range cmds {
			if c.Line < 1 || c.Line > lines || len(c.Args) == 0 || c.Text == "" {
				t.Fatalf("command %d is malformed: %s", i, dump([]Command{c}))
			}
			if c.Stdin == nil && !strings.Contains(script, c.Text) {
				t.Fatalf("command %d's text %q is not in the script", i, c.Text)
			}
			if i > 0 && c.Line < cmds[i-1].Line {
				t.Fatalf("command %d starts on line %d, before command %d (line %d)", i, c.Line, i-1, cmds[i-1].Line)
			}

			again, err := Parse(c.Text)
			want := c
			want.Line, want.AndIf = 1, false
			if err != nil || len(again) != 1 || !reflect.DeepEqual(again[0], want) {
				t.Fatalf("command %d's text %q parses to %s, %v; want %s", i, c.Text, dump(again), err, dump([]Command{want}))
			}

			line := Quote(c.Args)
			got, err := Parse(line)
			if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0].Args, c.Args) || got[0].Stdin != nil {
				t.Fatalf("Parse(Quote(%q)) = Parse(%q) = %s, %v", c.Args, line, dump(got), err)
			}
		}
	})
}
