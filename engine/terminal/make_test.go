package terminal

import (
	"bytes"
	"strings"
	"testing"
)

// makeSession is a session whose workspace holds one Makefile.
func makeSession(t *testing.T, makefile string) *Session {
	files := map[string][]byte{"Makefile": []byte(makefile)}
	return MustSession(t, Options{
		ReadFile:  func(p string) ([]byte, error) { return mapRead(files, p) },
		WriteFile: func(p string, data []byte) error { files[p] = data; return nil },
	})
}

// line runs one line and returns what it printed (stdout and stderr) and its status.
func line(s *Session, l string) (string, int) {
	var b bytes.Buffer
	code := s.Exec([]string{"sh", "-c", l}, nil, &b, &b)
	return b.String(), code
}

const testMakefile = "# a comment\nall:\n\nKEY = /tmp/k\nNAME ?= first\nNAME ?= second\nLIST = a\nLIST += b\n" +
	"SIMPLE := $(NAME)-x\n\nkeys: dir\n\t# a recipe comment, echoed\n\techo key=$(KEY) name=${NAME} $@ $< $$HOME\n\t@echo quiet\n\n" +
	"dir:\n\t@echo making $@\n\nlist:\n\techo $(LIST) $(SIMPLE)\n\nfail:\n\t-false\n\techo after\n\tfalse\n\techo never\n"

func TestMake(t *testing.T) {
	s := makeSession(t, testMakefile)
	for _, tc := range []struct {
		line, want string
		code       int
	}{
		{"make keys KEY=/tmp/nginx.key", "making dir\n# a recipe comment, echoed\necho key=/tmp/nginx.key name=first keys dir $HOME\nkey=/tmp/nginx.key name=first keys dir /root\nquiet\n", 0},
		{"make list", "echo a b first-x\na b first-x\n", 0},
		{"make", "make: Nothing to be done for 'all'.\n", 0},
		{"make nosuch", "make: *** No rule to make target 'nosuch'.  Stop.\n", 2},
		{"make -n keys", "echo making dir\n# a recipe comment, echoed\necho key=/tmp/k name=first keys dir $HOME\necho quiet\n", 0},
		{"make fail", "false\nmake: [Makefile:23: fail] Error 1 (ignored)\necho after\nafter\nfalse\nmake: *** [Makefile:25: fail] Error 1\n", 2},
		{"make -f nope", "make: nope: No such file or directory\nmake: *** No rule to make target 'nope'.  Stop.\n", 2},
		{"make -x", "make: invalid option -- 'x'\n", 2},
		{"cd /tmp && make", "make: *** No targets specified and no makefile found.  Stop.\n", 2},
		{"go run make_secret.go", "go: the Go toolchain is not available", 127},
	} {
		got, code := line(s, tc.line)
		if code != tc.code || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: exit %d\n%s\nwant exit %d\n%s", tc.line, code, got, tc.code, tc.want)
		}
	}
}

// The node's /tmp is writable, shared by openssl, the shell and kubectl, and saved with
// the shell's state; /etc stays read-only.
func TestScratchFiles(t *testing.T) {
	s := makeSession(t, "")
	if out, code := line(s, "echo hi > /tmp/x && mkdir -p /d/tmp && cat /tmp/x && ls /"); code != 0 || out != "hi\nd\ndev\netc\nroot\ntmp\n" {
		t.Fatalf("exit %d: %q", code, out)
	}
	if out, code := line(s, "echo x > /etc/passwd"); code == 0 || !strings.Contains(out, "outside the workspace") {
		t.Errorf("writing /etc: exit %d %q", code, out)
	}
	if out, code := line(s, "openssl req -x509 -nodes -newkey ec -keyout /d/tmp/k -out /d/tmp/c -subj /CN=x && kubectl create secret tls t --key /d/tmp/k --cert /d/tmp/c"); code != 0 || !strings.HasSuffix(out, "secret/t created\n") {
		t.Fatalf("exit %d: %q", code, out)
	}
	st := s.State()
	if st.Shell == nil || st.Shell.Scratch["/tmp/x"] != "hi\n" || st.Shell.Scratch["/d/tmp/"] != "" || st.Shell.Draws != 1 {
		t.Fatalf("saved shell: %+v", st.Shell)
	}
	r, err := Restore(st, Options{Start: testStart})
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := line(r, "cat /tmp/x; ls /d/tmp"); out != "hi\nc\nk\n" {
		t.Errorf("restored: %q", out)
	}
	// The restored session's next key is new.
	line(r, "openssl req -x509 -nodes -newkey ec -keyout /d/tmp/k2 -out /d/tmp/c2 -subj /CN=x")
	a, _ := line(s, "cat /d/tmp/c")
	b, _ := line(r, "cat /d/tmp/c2")
	if a == b {
		t.Error("the restored session made the first run's certificate again")
	}
}
