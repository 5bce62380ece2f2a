package terminal

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func cmd(line int, text string) Command { return Command{Line: line, Text: text} }

type parseCase struct {
	name    string
	in      string
	want    []Command
	wantErr string // whole error message; when set, want is ignored
	// incomplete is the expected SyntaxError.Incomplete, checked when wantErr is set.
	incomplete bool
}

var parseCases = []parseCase{
	{name: "empty", in: "", want: nil},
	{name: "blank lines and comments", in: "\n  \n# a comment\n\t# another\n", want: nil},
	{name: "one word", in: "kubectl", want: []Command{cmd(1, "kubectl")}},
	{name: "words", in: "  kubectl get   pods\t-o wide  ", want: []Command{cmd(1, "kubectl get   pods\t-o wide")}},
	{name: "lines", in: "k get po\n\nkubetab advance 30s\n", want: []Command{cmd(1, "k get po"), cmd(3, "kubetab advance 30s")}},
	{name: "trailing comment", in: "kubectl get pods # list them\n", want: []Command{cmd(1, "kubectl get pods")}},
	{name: "hash inside a word", in: "echo a#b #c", want: []Command{cmd(1, "echo a#b")}},
	{name: "multi-line single quote", in: "echo 'a\nb'\nk get po", want: []Command{cmd(1, "echo 'a\nb'"), cmd(3, "k get po")}},
	{name: "continuation", in: "kubectl get \\\n  pods \\\n  -o wide\nk version", want: []Command{
		cmd(1, "kubectl get \\\n  pods \\\n  -o wide"), cmd(4, "k version")}},
	{name: "continuation then comment line", in: "k get po \\\n# why\nk get rc", want: []Command{cmd(1, "k get po"), cmd(3, "k get rc")}},
	{name: "semicolons", in: "a 1; b 2 ;c;\nd", want: []Command{cmd(1, "a 1"), cmd(1, "b 2"), cmd(1, "c"), cmd(2, "d")}},
	{name: "and-or lists are one command", in: "k apply -f rc.yaml && k get po||k get rc", want: []Command{cmd(1, "k apply -f rc.yaml && k get po||k get rc")}},
	{name: "pipes", in: "kubectl get pods | grep web | wc -l", want: []Command{cmd(1, "kubectl get pods | grep web | wc -l")}},
	{name: "loop", in: "for i in $(seq 1 3); do\n  echo $i\ndone; echo end", want: []Command{cmd(1, "for i in $(seq 1 3); do\n  echo $i\ndone"), cmd(3, "echo end")}},
	{name: "heredoc", in: "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nEOF\nk get po\n", want: []Command{
		cmd(1, "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nEOF"), cmd(5, "k get po")}},
	{name: "heredoc strip tabs", in: "a <<-END\n\tspec:\n\tEND\n", want: []Command{cmd(1, "a <<-END\n\tspec:\n\tEND")}},
	{name: "two heredocs on one line", in: "a <<A; b <<B && c\n1\nA\n2\nB\nd", want: []Command{
		cmd(1, "a <<A\n1\nA"), cmd(1, "b <<B && c\n2\nB"), cmd(6, "d")}},
	{name: "redirections", in: "kubectl get deploy web -o yaml > web.yaml", want: []Command{cmd(1, "kubectl get deploy web -o yaml > web.yaml")}},

	{name: "unexpected fi", in: "k get po\n\nfi", wantErr: `line 3: syntax error: unexpected "fi"`},
	{name: "leading semicolon", in: "; a", wantErr: `line 1: syntax error: unexpected ";"`},
	{name: "leading and-if", in: "\n&& a", wantErr: `line 2: syntax error: unexpected "&&"`},
	{name: "and-if at end", in: "a &&\n# nothing\n", wantErr: "line 3: syntax error: unexpected end of file", incomplete: true},
	{name: "pipe at end", in: "a |", wantErr: "line 1: syntax error: unexpected end of file", incomplete: true},
	{name: "open loop", in: "for i in 1 2; do\necho $i", wantErr: `line 2: syntax error: unexpected end of file (expecting "done")`, incomplete: true},
	{name: "unterminated single quote", in: "a\nb\nc\nd 'x\ny", wantErr: "line 4: syntax error: unterminated quoted string", incomplete: true},
	{name: "unterminated command substitution", in: "a $(b", wantErr: `line 1: syntax error: unexpected end of file (expecting ")")`, incomplete: true},
	{name: "backslash at end of script", in: "a b\\", wantErr: "line 1: syntax error: a backslash ends the text: the command goes on on the next line", incomplete: true},
	{name: "heredoc without delimiter line", in: "k get po\nk apply -f - <<EOF\nkind: Pod\n", wantErr: `line 4: syntax error: here-document without its end: the line "EOF"`, incomplete: true},
	{name: "heredoc without body", in: "a <<EOF", wantErr: `line 1: syntax error: here-document without its end: the line "EOF"`, incomplete: true},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %#v, want error %q", tc.in, got, tc.wantErr)
				}
				if err.Error() != tc.wantErr {
					t.Fatalf("Parse(%q) error = %q, want %q", tc.in, err, tc.wantErr)
				}
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("error %T is not a *SyntaxError", err)
				}
				if se.Incomplete != tc.incomplete {
					t.Errorf("Incomplete = %v, want %v", se.Incomplete, tc.incomplete)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tc.in, dump(got), dump(tc.want))
			}
		})
	}
}

func dump(cmds []Command) string {
	var b strings.Builder
	for _, c := range cmds {
		fmt.Fprintf(&b, "\n  line=%d text=%q", c.Line, c.Text)
	}
	return b.String()
}

func TestLimits(t *testing.T) {
	big := strings.Repeat("k get po\n", MaxScriptBytes/9+1)
	_, err := Parse(big)
	if want := fmt.Sprintf("script too large: %d bytes (limit 1048576)", len(big)); err == nil || err.Error() != want {
		t.Errorf("big script: error %v, want %q", err, want)
	}
	long := "a\nb\necho " + strings.Repeat("x", MaxLineBytes)
	_, err = Parse(long)
	if want := "line 3: line too long: 65541 bytes (limit 65536)"; err == nil || err.Error() != want {
		t.Errorf("long line: error %v, want %q", err, want)
	}
	okLine := "echo " + strings.Repeat("x", MaxLineBytes-5)
	if cmds, err := Parse(okLine + "\n" + okLine); err != nil || len(cmds) != 2 {
		t.Errorf("lines at the limit: %d commands, error %v", len(cmds), err)
	}
}

var roundTripArgs = [][]string{
	{"kubectl"},
	{"kubectl", "get", "pods", "-o", "wide"},
	{""},
	{"", "", "a"},
	{"a b", "c\td", "e\nf", "g\r\nh"},
	{"it's", "'", "''", `'\''`, `"`, `\`, `\\`, "\\\n"},
	{"#", "a#b", "#!/bin/sh"},
	{";", "&&", "||", "|", "&", ">", "<", "<<EOF", "`", "$(x)", "$(", ")", "(", "$HOME", "${X}"},
	{"jsonpath={.items[*].metadata.name}", "-l", "env in (prod,dev)", "app!=web"},
	{"~", "*", "?", "[a]", "{a,b}", "!", "^", "x=y", "--from-literal=a=b c"},
	{"héllo", "日本", "\x00", "\xff\xfe", "a\x00b"},
	{"-", "--", "-f", "--dry-run=client"},
	{strings.Repeat("ab ", 100)},
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, args := range roundTripArgs {
		line := Quote(args)
		got, err := SplitWords(line)
		if err != nil || !reflect.DeepEqual(got, args) {
			t.Errorf("SplitWords(Quote(%q)) = SplitWords(%q) = %q, %v", args, line, got, err)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"kubectl", "get", "po/web-1", "-n", "kube-system"}, "kubectl get po/web-1 -n kube-system"},
		{[]string{"k", "label", "node", "n1", "disk=ssd", "--overwrite"}, "k label node n1 disk=ssd --overwrite"},
		{[]string{"echo", "", "a b", "it's"}, `echo '' 'a b' 'it'\''s'`},
		{[]string{"-o", "jsonpath={.x}"}, `-o 'jsonpath={.x}'`},
		{[]string{"A=1", "b=2"}, `'A=1' b=2`},
		{[]string{"if", "then"}, `'if' then`},
	} {
		if got := Quote(tc.args); got != tc.want {
			t.Errorf("Quote(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []string
		wantErr string
	}{
		{in: "", want: nil},
		{in: "  # just a comment", want: nil},
		{in: `kubectl get pods -l 'app in (web)'`, want: []string{"kubectl", "get", "pods", "-l", "app in (web)"}},
		{in: `kubectl logs "$POD" ${C} -c $(echo x)`, want: []string{"kubectl", "logs", "$POD", "$C", "-c", "$(echo x)"}},
		{in: "a; b", wantErr: "line 1: expected one command without pipes, lists or redirections"},
		{in: "a <<EOF\nx\nEOF", wantErr: "line 1: expected one command without pipes, lists or redirections"},
		{in: "a | b", wantErr: "line 1: expected one command without pipes, lists or redirections"},
		{in: "a 'b", wantErr: "line 1: syntax error: unterminated quoted string"},
	} {
		got, err := SplitWords(tc.in)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("SplitWords(%q) = %q, %v; want error %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitWords(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestComplete(t *testing.T) {
	for _, tc := range []struct {
		name      string
		line      string
		cursor    int // -1: end of line
		prefix    string
		wordStart int
	}{
		{name: "empty", line: "", cursor: -1, prefix: "", wordStart: 0},
		{name: "first word", line: "kub", cursor: -1, prefix: "kub", wordStart: 0},
		{name: "after a blank", line: "kubectl ", cursor: -1, prefix: "", wordStart: 8},
		{name: "second word", line: "kubectl ge", cursor: -1, prefix: "ge", wordStart: 8},
		{name: "cursor mid-word", line: "kubectl get pods", cursor: 10, prefix: "ge", wordStart: 8},
		{name: "cursor at word start", line: "kubectl get", cursor: 8, prefix: "", wordStart: 8},
		{name: "open single quote", line: "k get 'po", cursor: -1, prefix: "po", wordStart: 6},
		{name: "open double quote with escape", line: `k logs "a\"b`, cursor: -1, prefix: `a"b`, wordStart: 7},
		{name: "closed quotes", line: `k get a'b c'd`, cursor: -1, prefix: "ab cd", wordStart: 6},
		{name: "escaped blank", line: `k get a\ b`, cursor: -1, prefix: "a b", wordStart: 6},
		{name: "after semicolon", line: "k get po;k de", cursor: -1, prefix: "de", wordStart: 11},
		{name: "after and-if", line: "a &&kub", cursor: -1, prefix: "kub", wordStart: 4},
		{name: "in comment", line: "k get po # ab", cursor: -1, prefix: "", wordStart: 13},
		{name: "hash inside word", line: "k get a#b", cursor: -1, prefix: "a#b", wordStart: 6},
		{name: "continuation line", line: "kubectl get \\\n  po", cursor: -1, prefix: "po", wordStart: 16},
		{name: "trailing backslash", line: `k get a\`, cursor: -1, prefix: "a", wordStart: 6},
		{name: "cursor past end", line: "k ge", cursor: 99, prefix: "ge", wordStart: 2},
		{name: "cursor negative", line: "k ge", cursor: -5, prefix: "", wordStart: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cursor := tc.cursor
			if cursor == -1 {
				cursor = len(tc.line)
			}
			prefix, start := Complete(tc.line, cursor)
			if prefix != tc.prefix || start != tc.wordStart {
				t.Errorf("Complete(%q, %d) = %q, %d; want %q, %d", tc.line, cursor, prefix, start, tc.prefix, tc.wordStart)
			}
		})
	}
}

// A command sent to the background keeps its & in its text: run again (a pasted line, a
// lesson's block) it goes to the background again, and a transcript echoes it as written.
func TestParseKeepsTheBackgroundAmpersand(t *testing.T) {
	cmds, err := Parse("kubectl proxy &\necho a& echo b; kubectl get pods -w &   # watch\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cmds {
		got = append(got, c.Text)
	}
	want := []string{"kubectl proxy &", "echo a&", "echo b", "kubectl get pods -w &"}
	if !slices.Equal(got, want) {
		t.Fatalf("texts %q; want %q", got, want)
	}
}
