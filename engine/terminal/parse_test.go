package terminal

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func strp(s string) *string { return &s }

// cmd builds an expected Command without stdin.
func cmd(line int, text string, args ...string) Command {
	return Command{Line: line, Text: text, Args: args}
}

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
	{name: "one word", in: "kubectl", want: []Command{cmd(1, "kubectl", "kubectl")}},
	{name: "words", in: "  kubectl get   pods\t-o wide  ", want: []Command{cmd(1, "kubectl get   pods\t-o wide", "kubectl", "get", "pods", "-o", "wide")}},
	{name: "lines", in: "k get po\n\nkubetab advance 30s\n", want: []Command{
		cmd(1, "k get po", "k", "get", "po"),
		cmd(3, "kubetab advance 30s", "kubetab", "advance", "30s"),
	}},
	{name: "trailing comment", in: "kubectl get pods # list them\n", want: []Command{cmd(1, "kubectl get pods", "kubectl", "get", "pods")}},
	{name: "hash inside a word", in: "echo a#b #c", want: []Command{cmd(1, "echo a#b", "echo", "a#b")}},
	{name: "quoted hash", in: `echo '#x' "#y" \#z`, want: []Command{cmd(1, `echo '#x' "#y" \#z`, "echo", "#x", "#y", "#z")}},
	{name: "single quotes", in: `kubectl get pods -o 'jsonpath={.items[*].metadata.name}'`, want: []Command{
		cmd(1, `kubectl get pods -o 'jsonpath={.items[*].metadata.name}'`, "kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}")}},
	{name: "single quotes keep backslashes and dollars", in: `echo 'a\b $X "q"'`, want: []Command{cmd(1, `echo 'a\b $X "q"'`, "echo", `a\b $X "q"`)}},
	{name: "double quote escapes", in: `echo "a \"b\" \\ \$ \` + "`" + ` \n c"`, want: []Command{cmd(1, `echo "a \"b\" \\ \$ \`+"`"+` \n c"`, "echo", `a "b" \ $ `+"`"+` \n c`)}},
	{name: "backslash outside quotes", in: `echo a\ b \' \" \\ \x`, want: []Command{cmd(1, `echo a\ b \' \" \\ \x`, "echo", "a b", "'", `"`, `\`, "x")}},
	{name: "adjacent quoting joins", in: `echo a'b c'"d e"f`, want: []Command{cmd(1, `echo a'b c'"d e"f`, "echo", "ab cd ef")}},
	{name: "empty words", in: `echo '' ""`, want: []Command{cmd(1, `echo '' ""`, "echo", "", "")}},
	{name: "no expansion", in: `echo $HOME ${X} $(date -u) "$Y" ~ * {a,b} (x)`, want: []Command{
		cmd(1, `echo $HOME ${X} $(date -u) "$Y" ~ * {a,b} (x)`, "echo", "$HOME", "${X}", "$(date -u)", "$Y", "~", "*", "{a,b}", "(x)")}},
	{name: "nested command substitution kept whole", in: `echo x$(a "b)" $(c) ')')y z`, want: []Command{cmd(1, `echo x$(a "b)" $(c) ')')y z`, "echo", `x$(a "b)" $(c) ')')y`, "z")}},
	{name: "backtick inside double quotes is literal", in: "echo \"`date`\"", want: []Command{cmd(1, "echo \"`date`\"", "echo", "`date`")}},
	{name: "multi-line single quote", in: "echo 'a\nb'\nk get po", want: []Command{
		cmd(1, "echo 'a\nb'", "echo", "a\nb"),
		cmd(3, "k get po", "k", "get", "po"),
	}},
	{name: "continuation", in: "kubectl get \\\n  pods \\\n  -o wide\nk version", want: []Command{
		cmd(1, "kubectl get \\\n  pods \\\n  -o wide", "kubectl", "get", "pods", "-o", "wide"),
		cmd(4, "k version", "k", "version"),
	}},
	{name: "continuation inside a word joins", in: "echo ab\\\ncd", want: []Command{cmd(1, "echo ab\\\ncd", "echo", "abcd")}},
	{name: "continuation inside double quotes", in: "echo \"ab\\\ncd\"", want: []Command{cmd(1, "echo \"ab\\\ncd\"", "echo", "abcd")}},
	{name: "continuation then comment line", in: "k get po \\\n# why\nk get rc", want: []Command{
		cmd(1, "k get po", "k", "get", "po"),
		cmd(3, "k get rc", "k", "get", "rc"),
	}},
	{name: "continuation at end of script", in: "k get po \\\n", want: []Command{cmd(1, "k get po", "k", "get", "po")}},
	{name: "CRLF", in: "k get po\r\nk get \\\r\n rc\r\n", want: []Command{
		cmd(1, "k get po", "k", "get", "po"),
		cmd(2, "k get \\\r\n rc", "k", "get", "rc"),
	}},
	{name: "semicolons", in: "a 1; b 2 ;c;\nd", want: []Command{
		cmd(1, "a 1", "a", "1"),
		cmd(1, "b 2", "b", "2"),
		cmd(1, "c", "c"),
		cmd(2, "d", "d"),
	}},
	{name: "and-if", in: "k apply -f rc.yaml && k get po&&k get rc", want: []Command{
		cmd(1, "k apply -f rc.yaml", "k", "apply", "-f", "rc.yaml"),
		{Line: 1, Text: "k get po", Args: []string{"k", "get", "po"}, AndIf: true},
		{Line: 1, Text: "k get rc", Args: []string{"k", "get", "rc"}, AndIf: true},
	}},
	{name: "and-if across a newline and a comment", in: "a &&  # then\n\n  b", want: []Command{
		cmd(1, "a", "a"),
		{Line: 3, Text: "b", Args: []string{"b"}, AndIf: true},
	}},
	{name: "quoted operators are words", in: `echo ';' "&&" \| '>' \<`, want: []Command{cmd(1, `echo ';' "&&" \| '>' \<`, "echo", ";", "&&", "|", ">", "<")}},
	{name: "heredoc", in: "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nEOF\nk get po\n", want: []Command{
		{Line: 1, Text: "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nEOF", Args: []string{"kubectl", "apply", "-f", "-"}, Stdin: strp("apiVersion: v1\nkind: Pod\n")},
		cmd(5, "k get po", "k", "get", "po"),
	}},
	{name: "heredoc body is not parsed or expanded", in: "cat <<EOF\n'unclosed \"$X\" `y` | > \\\n  # not a comment\nEOF", want: []Command{
		{Line: 1, Text: "cat <<EOF\n'unclosed \"$X\" `y` | > \\\n  # not a comment\nEOF", Args: []string{"cat"}, Stdin: strp("'unclosed \"$X\" `y` | > \\\n  # not a comment\n")},
	}},
	{name: "quoted delimiters", in: "a <<'EOF'\nx\nEOF\nb << \"E O\"\ny\nE O\nc <<E\\OF\nz\nEOF", want: []Command{
		{Line: 1, Text: "a <<'EOF'\nx\nEOF", Args: []string{"a"}, Stdin: strp("x\n")},
		{Line: 4, Text: "b << \"E O\"\ny\nE O", Args: []string{"b"}, Stdin: strp("y\n")},
		{Line: 7, Text: "c <<E\\OF\nz\nEOF", Args: []string{"c"}, Stdin: strp("z\n")},
	}},
	{name: "heredoc strip tabs", in: "a <<-END\n\tspec:\n\t\t  x: 1\n\tEND\n", want: []Command{
		{Line: 1, Text: "a <<-END\n\tspec:\n\t\t  x: 1\n\tEND", Args: []string{"a"}, Stdin: strp("spec:\n  x: 1\n")},
	}},
	{name: "heredoc without strip keeps tabs and needs exact delimiter", in: "a <<END\n\tx\n\tEND\n END\nEND", want: []Command{
		{Line: 1, Text: "a <<END\n\tx\n\tEND\n END\nEND", Args: []string{"a"}, Stdin: strp("\tx\n\tEND\n END\n")},
	}},
	{name: "heredoc first, words after", in: "<<EOF kubectl apply -f -   # c\nx\nEOF", want: []Command{
		{Line: 1, Text: "<<EOF kubectl apply -f -\nx\nEOF", Args: []string{"kubectl", "apply", "-f", "-"}, Stdin: strp("x\n")},
	}},
	{name: "empty heredoc", in: "a <<EOF\nEOF\n", want: []Command{{Line: 1, Text: "a <<EOF\nEOF", Args: []string{"a"}, Stdin: strp("")}}},
	{name: "heredoc then continuation", in: "a <<EOF \\\n --x\nbody\nEOF", want: []Command{
		{Line: 1, Text: "a <<EOF \\\n --x\nbody\nEOF", Args: []string{"a", "--x"}, Stdin: strp("body\n")},
	}},
	{name: "heredoc with CRLF", in: "a <<EOF\r\nx\r\nEOF\r\nb", want: []Command{
		{Line: 1, Text: "a <<EOF\nx\r\nEOF\r", Args: []string{"a"}, Stdin: strp("x\r\n")},
		cmd(4, "b", "b"),
	}},
	{name: "two heredocs on one line", in: "a <<A; b <<B && c\n1\nA\n2\nB\nd", want: []Command{
		{Line: 1, Text: "a <<A\n1\nA", Args: []string{"a"}, Stdin: strp("1\n")},
		{Line: 1, Text: "b <<B\n2\nB", Args: []string{"b"}, Stdin: strp("2\n")},
		{Line: 1, Text: "c", Args: []string{"c"}, AndIf: true},
		cmd(6, "d", "d"),
	}},
	{name: "heredoc after and-if newline", in: "a <<EOF &&\nx\nEOF\nb", want: []Command{
		{Line: 1, Text: "a <<EOF\nx\nEOF", Args: []string{"a"}, Stdin: strp("x\n")},
		{Line: 4, Text: "b", Args: []string{"b"}, AndIf: true},
	}},
	{name: "heredoc after a multi-line quote", in: "a <<EOF 'x\ny'\nbody\nEOF", want: []Command{
		{Line: 1, Text: "a <<EOF 'x\ny'\nbody\nEOF", Args: []string{"a", "x\ny"}, Stdin: strp("body\n")},
	}},

	{name: "pipe", in: "k get po\n\nk get po | grep web", wantErr: "line 3: pipes are not supported in kubetab's terminal (|)"},
	{name: "or-list", in: "a || b", wantErr: "line 1: or-lists are not supported in kubetab's terminal (||)"},
	{name: "redirect out", in: "k get po -o yaml > po.yaml", wantErr: "line 1: redirections are not supported in kubetab's terminal (>)"},
	{name: "append", in: "a >>f", wantErr: "line 1: redirections are not supported in kubetab's terminal (>>)"},
	{name: "stderr", in: "a 2>&1", wantErr: "line 1: redirections are not supported in kubetab's terminal (>&)"},
	{name: "redirect in", in: "k apply -f - < rc.yaml", wantErr: "line 1: redirections are not supported in kubetab's terminal (<)"},
	{name: "here-string", in: "a <<< x", wantErr: "line 1: redirections are not supported in kubetab's terminal (<<<)"},
	{name: "both", in: "a &> x", wantErr: "line 1: redirections are not supported in kubetab's terminal (&>)"},
	{name: "background", in: "a\nb &", wantErr: "line 2: background jobs are not supported in kubetab's terminal (&)"},
	{name: "backticks", in: "echo `date`", wantErr: "line 1: command substitution is not supported in kubetab's terminal (`)"},
	{name: "operator after continuation", in: "a \\\n | b", wantErr: "line 2: pipes are not supported in kubetab's terminal (|)"},
	{name: "leading semicolon", in: "; a", wantErr: "line 1: syntax error near unexpected token `;'"},
	{name: "double semicolon", in: "a ;; b", wantErr: "line 1: syntax error near unexpected token `;'"},
	{name: "leading and-if", in: "\n&& a", wantErr: "line 2: syntax error near unexpected token `&&'"},
	{name: "and-if then semicolon", in: "a && ; b", wantErr: "line 1: syntax error near unexpected token `;'"},
	{name: "and-if at end", in: "a &&\n# nothing\n", wantErr: "line 1: syntax error: unexpected end of file after `&&'", incomplete: true},
	{name: "unterminated single quote", in: "a\nb\nc\nd 'x\ny", wantErr: "line 4: unterminated quoted string", incomplete: true},
	{name: "unterminated double quote", in: "a \"x\\\"", wantErr: "line 1: unterminated quoted string", incomplete: true},
	{name: "unterminated command substitution", in: "a $(b", wantErr: "line 1: unexpected end of file while looking for matching `)'", incomplete: true},
	{name: "backslash at end of script", in: "a b\\", wantErr: "line 1: unexpected end of file after \\", incomplete: true},
	{name: "heredoc without delimiter line", in: "k get po\nk apply -f - <<EOF\nkind: Pod\n", wantErr: `line 2: here-document delimited by end-of-file (wanted "EOF")`, incomplete: true},
	{name: "heredoc without body", in: "a <<EOF", wantErr: `line 1: here-document delimited by end-of-file (wanted "EOF")`, incomplete: true},
	{name: "heredoc without delimiter word", in: "a <<\nx", wantErr: "line 1: a here-document needs a delimiter word after << (<<EOF)"},
	{name: "heredoc delimiter is an operator", in: "a << ;", wantErr: "line 1: a here-document needs a delimiter word after << (<<EOF)"},
	{name: "heredoc without command", in: "<<EOF\nx\nEOF", wantErr: "line 1: a here-document needs a command (kubectl apply -f - <<EOF)"},
	{name: "empty delimiter", in: "a <<''\nx\n\ny", wantErr: "line 1: a here-document delimiter must not be empty"},
	{name: "two heredocs in one command", in: "a <<A <<B\n", wantErr: "line 1: a command can have only one here-document"},
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
		stdin := "<nil>"
		if c.Stdin != nil {
			stdin = fmt.Sprintf("%q", *c.Stdin)
		}
		fmt.Fprintf(&b, "\n  line=%d text=%q args=%q stdin=%s andIf=%v", c.Line, c.Text, c.Args, stdin, c.AndIf)
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
		cmds, err := Parse(line)
		if err != nil {
			t.Errorf("Parse(Quote(%q)) = Parse(%q): %v", args, line, err)
			continue
		}
		if len(cmds) != 1 || !reflect.DeepEqual(cmds[0].Args, args) {
			t.Errorf("Parse(Quote(%q)) = Parse(%q) = %s", args, line, dump(cmds))
		}
	}
	// Every table input that parses round-trips too.
	for _, tc := range parseCases {
		for _, c := range tc.want {
			line := Quote(c.Args)
			got, err := SplitWords(line)
			if err != nil || !reflect.DeepEqual(got, c.Args) {
				t.Errorf("%s: SplitWords(Quote(%q)) = %q, %v", tc.name, c.Args, got, err)
			}
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
		{in: "a; b", wantErr: "line 1: expected one command, found 2"},
		{in: "a <<EOF\nx\nEOF", wantErr: "line 1: a here-document is not allowed here"},
		{in: "a 'b", wantErr: "line 1: unterminated quoted string"},
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
