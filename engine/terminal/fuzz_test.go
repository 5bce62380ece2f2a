package terminal

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse holds Parse to its promises on any input: it never panics; every error is a
// *SyntaxError that names a line of the script; every command's text is in the script (or
// is its line and its here-documents' bodies) and parses back to one command; and Quote
// round-trips words through SplitWords.
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
			if c.Line < 1 || c.Line > lines || c.Text == "" {
				t.Fatalf("command %d is malformed: %s", i, dump([]Command{c}))
			}
			first, _, _ := strings.Cut(c.Text, "\n")
			if !strings.Contains(script, first) {
				t.Fatalf("command %d's text %q is not in the script", i, c.Text)
			}
			if i > 0 && c.Line < cmds[i-1].Line {
				t.Fatalf("command %d starts on line %d, before command %d (line %d)", i, c.Line, i-1, cmds[i-1].Line)
			}
		}
		if words, err := SplitWords(script); err == nil && words != nil {
			back, err := SplitWords(Quote(words))
			if err != nil || !reflect.DeepEqual(back, words) {
				t.Fatalf("SplitWords(Quote(%q)) = %q, %v", words, back, err)
			}
		}
	})
}
