package sh

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2017, 11, 30, 10, 21, 3, 0, time.UTC)

// fakeEnv is an Env whose clock the test moves.
type fakeEnv struct {
	now   time.Time
	fs    *FS
	pages map[string]string // url → body (status 200); missing: connection refused
	codes map[string]int
}

func newEnv() *fakeEnv { return &fakeEnv{now: t0, fs: NewContainerFS("pod-x", nil)} }

func (e *fakeEnv) Now() time.Time   { return e.now }
func (e *fakeEnv) Hostname() string { return "pod-x" }
func (e *fakeEnv) FS() *FS          { return e.fs }

// QueryDNS answers every name but those containing "nosuchhost" with 10.0.0.1 (the
// container has no resolv.conf, so names are asked as they are).
func (e *fakeEnv) QueryDNS(server, name, qtype string) (DNSAnswer, error) {
	if strings.Contains(name, "nosuchhost") {
		return DNSAnswer{Rcode: RcodeNXDomain}, nil
	}
	if qtype != "A" {
		return DNSAnswer{Authoritative: true}, nil
	}
	return DNSAnswer{Authoritative: true, Records: []DNSRecord{{Name: name, Type: "A", Data: "10.0.0.1"}}}, nil
}

func (e *fakeEnv) HTTPGet(url, ip string) (int, string, error) {
	body, ok := e.pages[url]
	if !ok {
		if strings.Contains(url, "nosuchhost") {
			return 0, "", fmt.Errorf("dial: %w", ErrUnknownHost)
		}
		return 0, "", fmt.Errorf("dial tcp: %w", ErrConnectionRefused)
	}
	code := 200
	if c, ok := e.codes[url]; ok {
		code = c
	}
	return code, body, nil
}

// runToEnd runs p, moving the clock to each wake time, until it exits or until limit.
func runToEnd(t *testing.T, p *Process, e *fakeEnv, limit time.Time) ([]Line, Result) {
	t.Helper()
	var out []Line
	for i := 0; i < 100000; i++ {
		r := p.Run()
		out = append(out, p.Output()...)
		if r.Exited || r.WakeAt.IsZero() || r.WakeAt.After(limit) {
			return out, r
		}
		e.now = r.WakeAt
	}
	t.Fatal("process did not settle")
	return nil, Result{}
}

func texts(ls []Line) string {
	var b strings.Builder
	for _, l := range ls {
		if l.Stderr {
			b.WriteString("E:")
		}
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func TestScripts(t *testing.T) {
	tests := []struct {
		name   string
		argv   []string
		vars   map[string]string
		setup  func(e *fakeEnv)
		want   string // output lines, stderr prefixed "E:"
		code   int
		endsAt time.Duration // virtual time at exit
	}{
		{name: "cronjob hello", argv: []string{"/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"},
			want: "Thu Nov 30 10:21:03 UTC 2017\nHello from the Kubernetes cluster\n"},
		{name: "exec form echo", argv: []string{"echo", "hi", "$HOME"}, want: "hi $HOME\n"},
		{name: "bash -c exit code", argv: []string{"bash", "-c", `echo "Hello world!" && sleep 5 && exit 42`},
			want: "Hello world!\n", code: 42, endsAt: 5 * time.Second},
		{name: "job tmpl", argv: []string{"sh", "-c", "echo Processing item $ITEM && sleep 5"}, vars: map[string]string{"ITEM": "apple"},
			want: "Processing item apple\n", endsAt: 5 * time.Second},
		{name: "and or not", argv: []string{"sh", "-c", "false && echo no; true || echo no2; ! false && echo yes; false || echo alt"},
			want: "yes\nalt\n"},
		{name: "exit status", argv: []string{"sh", "-c", "false; echo $?; (exit 3); echo $?"}, want: "1\n3\n"},
		{name: "if elif else", argv: []string{"sh", "-c", `x=2; if [ $x -eq 1 ]; then echo one; elif [ "$x" = 2 ]; then echo two; else echo other; fi`}, want: "two\n"},
		{name: "for loop", argv: []string{"sh", "-c", "for i in a b c; do echo $i; done"}, want: "a\nb\nc\n"},
		{name: "while counter", argv: []string{"sh", "-c", "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done"}, want: "0\n1\n2\n"},
		{name: "until", argv: []string{"sh", "-c", "i=3; until [ $i -eq 0 ]; do i=$((i-1)); done; echo $i"}, want: "0\n"},
		{name: "break continue", argv: []string{"sh", "-c", "for i in 1 2 3 4 5; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done"}, want: "1\n3\n"},
		{name: "nested break 2", argv: []string{"sh", "-c", "for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done; echo end"}, want: "1a\nend\n"},
		{name: "arith", argv: []string{"sh", "-c", "echo $((7/2)) $((7%3)) $((2*3+1)) $((1<2)) $((-4)) $(( (1+2)*3 ))"}, want: "3 1 7 1 -4 9\n"},
		{name: "param defaults", argv: []string{"sh", "-c", `echo ${U:-def} ${U-x} "${E:-e}" ${#HOME}; E=; echo "[${E-set}]" ${E:+alt}; : ${Z:=zz}; echo $Z`},
			want: "def x e 5\n[]\nzz\n"},
		{name: "param trim", argv: []string{"sh", "-c", `f=/a/b/c.txt; echo ${f##*/} ${f%.*} ${f#/} ${f%%/*}x`}, want: "c.txt /a/b/c a/b/c.txt x\n"},
		{name: "command substitution", argv: []string{"sh", "-c", "x=$(echo hi; echo there); echo \"$x\"; echo `echo back`"}, want: "hi\nthere\nback\n"},
		{name: "quotes", argv: []string{"sh", "-c", `a='x  y'; echo $a; echo "$a"; echo '$a' "\$a" \$a`}, want: "x y\nx  y\n$a $a $a\n"},
		{name: "pid and positional", argv: []string{"sh", "-c", `echo $$ $0 $1 $# "$@"`, "name", "p1", "p2"}, want: "1 name p1 2 p1 p2\n"},
		{name: "redirect and cat", argv: []string{"sh", "-c", "echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; wc -l < /tmp/f"}, want: "one\ntwo\n2\n"},
		{name: "stderr redirects", argv: []string{"sh", "-c", "cat /nope 2>/dev/null; echo $?; cat /nope 2>&1 | tr a-z A-Z; ls /nope >/dev/null 2>&1 || echo quiet"},
			want: "1\nCAT: CAN'T OPEN '/NOPE': NO SUCH FILE OR DIRECTORY\nquiet\n"},
		{name: "stderr to stdout to file", argv: []string{"sh", "-c", "echo err >&2; { echo a; echo b >&2; } > /tmp/o 2>&1; cat /tmp/o"}, want: "E:err\na\nb\n"},
		{name: "pipes", argv: []string{"sh", "-c", "printf 'b\\na\\nc\\na\\n' | sort | uniq | head -n 2; seq 10 | tail -n 3 | wc -l; echo a:b:c | cut -d: -f2; yes | head -n 2"},
			want: "a\nb\n3\nb\ny\ny\n"},
		{name: "grep", argv: []string{"sh", "-c", "printf 'foo\\nbar\\nFoo\\n' > /tmp/g; grep -c foo /tmp/g; grep -i foo /tmp/g; grep -v o /tmp/g; grep -q zzz /tmp/g || echo none; grep 'f.o' /tmp/g"},
			want: "1\nfoo\nFoo\nbar\nnone\nfoo\n"},
		// Context lines and groups as GNU grep 3.11 and busybox print them (checked against GNU).
		{name: "grep context", argv: []string{"sh", "-c", "seq 6 > /tmp/g; grep -A2 2 /tmp/g; grep -B1 -A1 4 /tmp/g; grep -C1 -e 2 -e 6 /tmp/g; grep -n -A1 -e 1 -e 2 /tmp/g; grep -m2 -A1 '[1-5]' /tmp/g; grep -A1 -m1 z /tmp/g || echo none"},
			want: "2\n3\n4\n3\n4\n5\n1\n2\n3\n--\n5\n6\n1:1\n2:2\n3-3\n1\n2\n3\nnone\n"},
		// As GNU coreutils 9.4 prints them.
		{name: "paste and seq -w", argv: []string{"sh", "-c", "seq 3 | paste -sd, -; seq -w 8 10; seq -w -3 2 3; printf 'a\\nb\\nc\\n' > /tmp/a; printf '1\\n2\\n' > /tmp/b; paste /tmp/a /tmp/b; paste -d: /tmp/a /tmp/b; paste -s /tmp/a /tmp/b; seq 4 | paste -sd'+\\n' -"},
			want: "1,2,3\n08\n09\n10\n-3\n-1\n01\n03\na\t1\nb\t2\nc\t\na:1\nb:2\nc:\na\tb\tc\n1\t2\n1+2\n3+4\n"},
		// As bash 5.2 and busybox ash print them.
		{name: "pattern substitution and substrings", argv: []string{"sh", "-c", `v=a-b-c; echo ${v//-/_} ${v/-/+} ${v/#a/A} ${v/%c/C} ${v/b} ${v//[ab]/x} "${v//-/ }"; f=web.yaml; echo ${f/.yaml/.json} ${f:0:3} ${f:4} ${f: -4} ${f:1:-2} ${f:10}; img=nginx:1.25; echo ${img/:*/} ${img/[[:digit:]]/N}; n=2; echo ${f:n:3}`},
			want: "a_b_c a+b-c A-b-c a-b-C a--c x-x-c a b c\nweb.json web yaml yaml eb.ya\nnginx nginx:N.25\nb.y\n"},
		{name: "local and power", argv: []string{"sh", "-c", `f() { local x=in y; y=2; echo $x$y; }; x=out; f; echo "$x[$y]"; echo $((2**10)) $((2**3**2)) $((-2**2)) $((3**1000000001)); echo a1b2c3 | tr -cd 0-9`},
			want: "in2\nout[]\n1024 512 4 9198708326947985411\n123\n"}, // a log line ends where the output ends
		{name: "grep options after operands", argv: []string{"sh", "-c", `printf 'a\nb\nc\n' > /tmp/f; grep b -C 1 /tmp/f; grep -n b /tmp/f -A1; grep -- -x /tmp/f || echo none; printf -- '-x\n' | grep -e -x`},
			want: "a\nb\nc\n2:b\n3-c\nnone\n-x\n"},
		{name: "printf", argv: []string{"sh", "-c", `printf '%s=%d%%\n' a 5 b 6; printf '%5s|%-3s|%03d\n' x y 7`}, want: "a=5%\nb=6%\n    x|y  |007\n"},
		{name: "echo flags", argv: []string{"sh", "-c", `echo -n a; echo b; echo -e 'x\ty'; echo 'p\nq'`}, want: "ab\nx\ty\np\\nq\n"},
		{name: "unknown command", argv: []string{"sh", "-c", "foo bar; echo $?"}, want: "E:sh: foo: not found\n127\n"},
		{name: "unknown command bash", argv: []string{"bash", "-c", "foo"}, want: "E:bash: line 1: foo: command not found\n", code: 127},
		{name: "syntax error fi", argv: []string{"sh", "-c", "echo a; fi"}, want: "E:sh: syntax error: unexpected \"fi\"\n", code: 2},
		{name: "syntax error eof", argv: []string{"sh", "-c", "if true; then echo a"}, want: "E:sh: syntax error: unexpected end of file (expecting \"fi\")\n", code: 2},
		{name: "syntax error quote", argv: []string{"sh", "-c", "echo 'abc"}, want: "E:sh: syntax error: unterminated quoted string\n", code: 2},
		{name: "syntax error bash", argv: []string{"bash", "-c", "done"}, want: "E:bash: -c: line 1: syntax error near unexpected token `done'\n", code: 2},
		{name: "exit in script", argv: []string{"sh", "-c", "echo a; exit 4; echo b"}, want: "a\n", code: 4},
		{name: "set -e", argv: []string{"sh", "-ec", "echo a; false; echo b"}, want: "a\n", code: 1},
		{name: "set -e condition", argv: []string{"sh", "-c", "set -e; if false; then :; fi; false || true; ! true; echo ok"}, want: "ok\n"},
		{name: "test ops", argv: []string{"sh", "-c", `touch /tmp/t; [ -f /tmp/t ] && [ -d /tmp ] && [ ! -e /tmp/nope ] && [ -z "" ] && [ -n x ] && [ 3 -ge 2 ] && [ a != b ] && test 1 -lt 2 && echo all`}, want: "all\n"},
		{name: "env sorted", argv: []string{"sh", "-c", "export B=2; A=1 env | grep -v -e PATH -e HOME -e HOSTNAME"}, vars: map[string]string{"Z": "26"}, want: "A=1\nB=2\nZ=26\n"},
		{name: "printenv hostname", argv: []string{"sh", "-c", "printenv HOSTNAME; hostname; cat /etc/hostname"}, want: "pod-x\npod-x\npod-x\n"},
		{name: "case", argv: []string{"sh", "-c", `for x in apple b.txt zz; do case $x in a*) echo A;; *.txt|*.md) echo T;; *) echo other;; esac; done`}, want: "A\nT\nother\n"},
		{name: "functions", argv: []string{"sh", "-c", `greet() { echo "hi $1"; return 3; }; greet bob; echo $?`}, want: "hi bob\n3\n"},
		{name: "subshell isolation", argv: []string{"sh", "-c", `x=1; (x=2; cd /tmp; echo $x); echo $x; pwd`}, want: "2\n1\n/\n"},
		{name: "date formats", argv: []string{"date", "+%Y-%m-%d %H:%M:%S %s %j %%"}, want: "2017-11-30 10:21:03 1512037263 334 %\n"},
		{name: "mkdir ls rm", argv: []string{"sh", "-c", "mkdir -p /data/a/b; touch /data/x /data/a/y; ls /data; rm -r /data/a; ls /data; rm /data/nope; echo $?"},
			want: "a\nx\nx\nE:rm: can't remove '/data/nope': No such file or directory\n1\n"},
		{name: "glob", argv: []string{"sh", "-c", "touch /tmp/a.log /tmp/b.log /tmp/c.txt; echo /tmp/*.log; cd /tmp; echo *.txt; echo nomatch*"}, want: "/tmp/a.log /tmp/b.log\nc.txt\nnomatch*\n"},
		{name: "read loop", argv: []string{"sh", "-c", "printf '1 a\\n2 b\\n' > /tmp/r; while read n w; do echo \"$w$n\"; done < /tmp/r"}, want: "a1\nb2\n"},
		{name: "heredoc", argv: []string{"sh", "-c", "x=5\ncat <<EOF\nval $x\nEOF\ncat <<'E'\nraw $x\nE"}, want: "val 5\nraw $x\n"},
		{name: "expr seq basename", argv: []string{"sh", "-c", "expr 2 + 3; expr 6 \\* 7; basename /a/b.txt .txt; dirname /a/b.txt; seq -s , 3"}, want: "5\n42\nb\n/a\n1,2,3\n"},
		{name: "curl ok", argv: []string{"sh", "-c", "curl -s http://10.244.1.5:8080/; wget -qO- http://10.244.1.5:8080/"},
			setup: func(e *fakeEnv) { e.pages = map[string]string{"http://10.244.1.5:8080/": "You've hit pod-x\n"} },
			want:  "You've hit pod-x\nYou've hit pod-x\n"},
		{name: "curl refused", argv: []string{"sh", "-c", "curl -s http://10.244.1.5:8080/; echo $?; curl http://10.244.1.5:8080/ ; wget -qO- http://10.244.1.5:8080/; echo $?"},
			want: "7\nE:curl: (7) Failed to connect to 10.244.1.5 port 8080 after 0 ms: Couldn't connect to server\nE:wget: can't connect to remote host (10.244.1.5): Connection refused\n1\n"},
		{name: "curl unknown host", argv: []string{"curl", "-sS", "http://nosuchhost/"}, want: "E:curl: (6) Could not resolve host: nosuchhost\n", code: 6},
		{name: "wget 500", argv: []string{"wget", "-qO-", "http://svc/"},
			setup: func(e *fakeEnv) {
				e.pages = map[string]string{"http://svc/": "bad"}
				e.codes = map[string]int{"http://svc/": 500}
			},
			want: "E:wget: server returned error: HTTP/1.1 500 Internal Server Error\n", code: 1},
		{name: "bash arrays", argv: []string{"bash", "-c", "items=(foo bar baz qux xyz)\necho ${items[$JOB_COMPLETION_INDEX]} > /tmp/data.txt; rev /tmp/data.txt"},
			vars: map[string]string{"JOB_COMPLETION_INDEX": "3"}, want: "xuq\n"},
		{name: "exec builtin", argv: []string{"sh", "-c", "echo start; exec sleep 10; echo never"}, want: "start\n", endsAt: 10 * time.Second},
		{name: "trap exit", argv: []string{"sh", "-c", "trap 'echo bye' EXIT; echo hi"}, want: "hi\nbye\n"},
		{name: "sleep decimal", argv: []string{"sh", "-c", "sleep 0.5; sleep 1.5; echo done"}, want: "done\n", endsAt: 2 * time.Second},
		{name: "sleep bad", argv: []string{"sleep", "abc"}, want: "E:sleep: invalid number 'abc'\n", code: 1},
		{name: "nested sh sleeps", argv: []string{"sh", "-c", "sh -c 'sleep 3; exit 5'; echo $?"}, want: "5\n", endsAt: 3 * time.Second},
		{name: "misc", argv: []string{"sh", "-c", "id; whoami; uname; uname -n; echo a b | wc -w; echo hello | tr -d l; cd /tmp && pwd"},
			want: "uid=0(root) gid=0(root) groups=0(root),10(wheel)\nroot\nLinux\npod-x\n2\nheo\n/tmp\n"},
		{name: "script file", argv: []string{"sh", "/run.sh", "arg"},
			setup: func(e *fakeEnv) { _ = e.fs.WriteFile("/run.sh", "#!/bin/sh\necho \"running $0 $1\"\n") },
			want:  "running /run.sh arg\n"},
		{name: "comments and newlines", argv: []string{"sh", "-c", "# leading\necho a # trailing\n\necho b \\\n  c"}, want: "a\nb c\n"},
		{name: "brace group redirect", argv: []string{"sh", "-c", "{ echo x; echo y; } | wc -l; for i in 1 2; do echo $i; done > /tmp/l; cat /tmp/l"}, want: "2\n1\n2\n"},
		{name: "nounset", argv: []string{"sh", "-uc", "echo $NOPE; echo after"}, want: "E:sh: NOPE: parameter not set\n", code: 2},
		{name: "arith div zero", argv: []string{"sh", "-c", "echo $((1/0)); echo after"}, want: "E:sh: divide by zero\n", code: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv()
			if tc.setup != nil {
				tc.setup(e)
			}
			p := Start(tc.argv, tc.vars, e)
			out, r := runToEnd(t, p, e, t0.Add(24*time.Hour))
			if got := texts(out); got != tc.want {
				t.Errorf("output:\n%s\nwant:\n%s", got, tc.want)
			}
			if !r.Exited || r.ExitCode != tc.code {
				t.Errorf("result %+v, want exit %d", r, tc.code)
			}
			if got := e.now.Sub(t0); got != tc.endsAt {
				t.Errorf("ended at +%v, want +%v", got, tc.endsAt)
			}
		})
	}
}
