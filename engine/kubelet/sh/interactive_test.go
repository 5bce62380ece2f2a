package sh

import (
	"strings"
	"testing"
)

// termRun runs lines on one Interactive and returns the transcript: each top-level
// pipeline echoed as `$ text`, then its output, and `[status]` after a failed one.
func termRun(t *testing.T, s *Interactive, lines ...string) string {
	t.Helper()
	var b strings.Builder
	for _, line := range lines {
		sc, err := Parse(line)
		if err != nil {
			b.WriteString("sh: " + err.Error() + "\n")
			continue
		}
		s.Run(sc, Hooks{Stdout: &b, Stderr: &b,
			Echo: func(text string) { b.WriteString("$ " + text + "\n") },
			Done: func(st int) {
				if st != 0 {
					b.WriteString("[" + itoa(st) + "]\n")
				}
			}}, false)
	}
	return b.String()
}

func newTerm(cmds map[string]Builtin) *Interactive {
	return NewInteractive(Config{Env: newEnv(), Files: NewFS(), Commands: cmds, Dir: "/root", MaxSteps: 10_000, LimitMessage: "sh: too much work"})
}

func TestInteractiveLines(t *testing.T) {
	calls := []string{}
	host := map[string]Builtin{"kubectl": func(c *Call) int {
		calls = append(calls, strings.Join(c.Args(), " "))
		in, ok := c.Stdin()
		if ok {
			c.Stdout().Write([]byte("stdin:" + in))
		}
		c.Stdout().Write([]byte("pod/web-1\npod/db-1\n"))
		return 0
	}}
	s := newTerm(host)
	_ = s.cfg.Files.MkdirAll("/root")
	got := termRun(t, s,
		`export POD_NAME="$(kubectl get pods -o name | grep web)"`,
		`echo $POD_NAME && false || echo alt; echo last`,
		"for i in $(seq 1 3); do echo $i; done",
		"f() { echo in f $1; }",
		"f x > out.txt; cat out.txt; pwd",
		"kubectl apply -f - <<EOF\nkind: Pod\nEOF",
		"while true; do :; done",
		"echo 'open",
		"fi",
		"nope",
	)
	want := `$ export POD_NAME="$(kubectl get pods -o name | grep web)"
$ echo $POD_NAME
pod/web-1
$ false
[1]
$ echo alt
alt
$ echo last
last
$ for i in $(seq 1 3); do echo $i; done
1
2
3
$ f() { echo in f $1; }
$ f x > out.txt
$ cat out.txt
in f x
$ pwd
/root
$ kubectl apply -f - <<EOF
kind: Pod
EOF
stdin:kind: Pod
pod/web-1
pod/db-1
$ while true; do :; done
sh: too much work
[124]
sh: line 1: syntax error: unterminated quoted string
sh: line 1: syntax error: unexpected "fi"
$ nope
sh: nope: not found
[127]
`
	if got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
	st := s.State()
	if st.Vars["POD_NAME"] != "pod/web-1" || len(st.Exported) != 1 || st.Funcs["f"] != "f() { echo in f $1; }" {
		t.Errorf("state %+v", st)
	}
	again := newTerm(host)
	again.SetState(st)
	if got := termRun(t, again, "f $POD_NAME; env | grep POD"); !strings.Contains(got, "in f pod/web-1\n") || !strings.Contains(got, "POD_NAME=pod/web-1\n") {
		t.Errorf("restored shell: %s", got)
	}
}

func TestInteractiveIncomplete(t *testing.T) {
	for _, src := range []string{"echo 'a", "kubectl apply -f - <<EOF\nkind: Pod", "kubectl apply -f - <<EOF", "for i in 1 2; do", "a &&", "a |", "echo $(date", "kubectl get \\", "if true; then"} {
		_, err := Parse(src)
		se, ok := err.(*SyntaxError)
		if !ok || !se.Incomplete {
			t.Errorf("Parse(%q) = %v, want incomplete", src, err)
		}
	}
	for _, src := range []string{"fi", "echo a; done", "a && && b", ") x"} {
		_, err := Parse(src)
		se, ok := err.(*SyntaxError)
		if !ok || se.Incomplete {
			t.Errorf("Parse(%q) = %v, want a complete error", src, err)
		}
	}
	_, err := Parse("echo a\necho b\n  fi")
	if err == nil || err.Error() != `line 3: syntax error: unexpected "fi"` {
		t.Errorf("error %v", err)
	}
}

func TestInteractiveWait(t *testing.T) {
	host := map[string]Builtin{"watch": func(c *Call) int {
		c.Stdout().Write([]byte("watching\n"))
		if c.CanWait() {
			c.Wait()
		}
		return 0
	}}
	s := newTerm(host)
	var b strings.Builder
	sc, _ := Parse("echo a; watch; echo b; watch | cat; echo c")
	h := Hooks{Stdout: &b, Stderr: &b}
	if o := s.Run(sc, h, true); !o.Blocked {
		t.Fatalf("not blocked: %+v", o)
	}
	if o := s.Resume(0); o.Blocked || o.Status != 0 {
		t.Fatalf("resume: %+v", o)
	}
	if b.String() != "a\nwatching\nb\nwatching\nc\n" {
		t.Errorf("output %q", b.String())
	}
	b.Reset()
	s.Run(sc, h, true)
	s.Abandon()
	if b.String() != "a\nwatching\n" || s.Blocked() {
		t.Errorf("abandoned: %q", b.String())
	}
}

func TestTextTools(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{`echo hello | base64`, "aGVsbG8K\n"},
		{`echo aGVsbG8K | base64 --decode`, "hello\n"},
		{`printf s3cr3t | base64 -w 0; echo; echo '!!' | base64 -d; echo $?`, "czNjcjN0\nbase64: invalid input\n1\n"},
		{`seq 1 100 | tr -d '\n' | base64 | wc -l`, "4\n"},
		{`printf 'a b\nc d\n' | sed 's/ /-/'`, "a-b\nc-d\n"},
		{`echo aaa | sed 's/a/b/2'; echo aaa | sed 's/a/b/g'; echo aaa | sed -e 's/a/b/2g'`, "aba\nbbb\nabb\n"},
		{`printf '1\n2\n3\n4\n' | sed -n '2,3p'; printf '1\n2\n3\n' | sed '2d'; printf '1\n2\n3\n' | sed '$!d'`, "2\n3\n1\n3\n3\n"},
		{`printf 'x\nreplicas: 1\ny\n' | sed -E 's/(replicas:) [0-9]+/\1 3/'`, "x\nreplicas: 3\ny\n"},
		{`printf 'a\nb\nc\n' | sed -n '/b/,$p'; echo abc | sed 'y/abc/xyz/'; printf 'a\nb\n' | sed 1q; echo a.b | sed 's|\.|/|'`, "b\nc\nxyz\na\na/b\n"},
		{`echo 'image: nginx:1.14' | sed 's/nginx:.*/nginx:1.16.1/;s/^/  /'`, "  image: nginx:1.16.1\n"},
		{`echo x | sed 's/x'; echo $?`, "sed: -e expression #1, char 0: unterminated `s' command\n1\n"},
		{`echo 'a: 1' > f.yaml; sed -i 's/1/2/' f.yaml; cat f.yaml`, "a: 2\n"},
		{"printf 'NAME READY\\nweb-1 1/1\\nweb-2 0/1\\n' | awk '{print $1}'", "NAME\nweb-1\nweb-2\n"},
		{"printf 'NAME READY\\nweb-1 1/1\\nweb-2 0/1\\n' | awk 'NR>1 {print $1}'", "web-1\nweb-2\n"},
		{"printf 'a 1\\nb 2\\nc 3\\n' | awk '{sum += $2} END {print sum, NR, sum/NR}'", "6 3 2\n"},
		{"printf 'a/b/c\\n' | awk -F/ '{print $2, $NF; print NF}'", "b c\n3\n"},
		{"printf 'x Running\\ny Pending\\n' | awk '/Running/ {print $1} $2 ~ /^P/ {print \"p:\" $1}'", "x\np:y\n"},
		{"awk 'BEGIN {printf \"%s-%05.1f|%d|%c\\n\", \"a\", 3.14159, \"42x\", 65; x = 1; x += 2; print x, x^2, 7%3, -x, length(\"abc\"), substr(\"hello\", 2, 3), index(\"abc\", \"c\"), toupper(\"q\")}'", "a-003.1|42|A\n3 9 1 -3 3 ell 3 Q\n"},
		{"echo 'a b a c a' | awk '{for (i = 1; i <= NF; i++) n[$i]++} END {for (k in n) print k, n[k]}'", "a 3\nb 1\nc 1\n"},
		{"echo 'foo bar' | awk '{sub(/o+/, \"0\"); print; n = gsub(/a|b/, \"[&]\"); print n, $0; $2 = \"X\"; print; print NF}'", "f0 bar\n2 f0 [b][a]r\nf0 X\n2\n"},
		{"echo '3 10' | awk '{if ($1 < $2) print \"num\"; else print \"str\"; if (x == 0 && y == \"\") print \"unset\"}'", "num\nunset\n"},
		{"printf '1\\n2\\n3\\n4\\n' | awk 'NR==2,NR==3 {print} NR == 4 {exit 3} END {print \"end\"}'; echo $?", "2\n3\nend\n3\n"},
		{"awk 'BEGIN { split(\"a:b:c\", p, \":\"); print p[3] p[1]; s = sprintf(\"%x\", 255); print s; print 1/3; print 1e6 }'", "ca\nff\n0.333333\n1000000\n"},
		{"awk '{print $1' ; echo $?", "awk: syntax error at source line 1 near end of program\n2\n"},
	} {
		s := newTerm(nil)
		_ = s.cfg.Files.MkdirAll("/root")
		sc, err := Parse(tc.script)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		s.Run(sc, Hooks{Stdout: &b, Stderr: &b}, false)
		if b.String() != tc.want {
			t.Errorf("%s:\n%q\nwant %q", tc.script, b.String(), tc.want)
		}
	}
}

// An alias lasts from line to line and with the saved state; it names a host command and
// its first words, as `alias k=kubectl` and `alias kgp='kubectl get pods'` do.
func TestInteractiveAliases(t *testing.T) {
	host := map[string]Builtin{"kubectl": func(c *Call) int {
		c.Stdout().Write([]byte(strings.Join(c.Args(), " ") + "\n"))
		return 0
	}}
	s := newTerm(host)
	got := termRun(t, s, "alias k2=kubectl kgp='k2 get pods'", "kgp -o name", "'kgp' x", "(alias sub=echo); sub y", "alias")
	want := "$ alias k2=kubectl kgp='k2 get pods'\n$ kgp -o name\nkubectl get pods -o name\n$ 'kgp' x\nsh: kgp: not found\n[127]\n" +
		"$ (alias sub=echo)\n$ sub y\nsh: sub: not found\n[127]\n$ alias\nk2='kubectl'\nkgp='k2 get pods'\n"
	if got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
	again := newTerm(host)
	again.SetState(s.State())
	if got := termRun(t, again, "kgp"); got != "$ kgp\nkubectl get pods\n" {
		t.Errorf("restored: %q", got)
	}
	if got := termRun(t, again, "unalias -a", "k2"); !strings.Contains(got, "sh: k2: not found") {
		t.Errorf("after unalias -a: %q", got)
	}
}
