package kubectl

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/cluster"
)

// testStart is the virtual start of every test cluster.
var testStart = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// session runs command lines against one cluster with an in-memory file system.
type session struct {
	tb    testing.TB
	c     *cluster.Cluster
	files map[string]string
	// edit is the user's editing: it gets the text kubectl edit shows and returns the saved
	// text; nil saves without changes.
	edit func(text string) string
	// strict runs kubectl in strict mode (Cluster.Strict).
	strict bool
	// config is the kubeconfig's namespace, as the terminal keeps it.
	config ClientConfig
}

func newSession(tb testing.TB) *session {
	tb.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1, Start: testStart})
	if err != nil {
		tb.Fatal(err)
	}
	return &session{tb: tb, c: c, files: map[string]string{}}
}

// run executes one command line (without "kubectl") and returns stdout, stderr and the exit
// status. stdin, if given, is the command's standard input.
func (s *session) run(line string, stdin ...string) (string, string, int) {
	s.tb.Helper()
	args, err := splitWords(line)
	if err != nil {
		s.tb.Fatal(err)
	}
	var out, errb bytes.Buffer
	io := s.io(&out, &errb, stdin...)
	code := Run(Cluster{Cluster: s.c.Cluster, Containers: s.c.Kubelets, Metrics: s.c.Metrics, Strict: s.strict, Config: &s.config}, args, io)
	return out.String(), errb.String(), code
}

// io is what a command run in the session touches: its files, an editor, stdin if given.
func (s *session) io(out, errb *bytes.Buffer, stdin ...string) IO {
	io := IO{
		Out: out, Err: errb,
		ReadFile: func(p string) ([]byte, error) {
			if d, ok := s.files[p]; ok {
				return []byte(d), nil
			}
			return nil, fmt.Errorf("open %s: no such file or directory", p)
		},
		ListDir: func(p string) ([]string, error) {
			var names []string
			prefix := strings.TrimSuffix(p, "/") + "/"
			for f := range s.files {
				if rest, ok := strings.CutPrefix(f, prefix); ok {
					// A subdirectory is one entry, as a directory listing shows it.
					rest, _, _ = strings.Cut(rest, "/")
					if !slices.Contains(names, rest) {
						names = append(names, rest)
					}
				}
			}
			if len(names) == 0 {
				return nil, fmt.Errorf("not a directory")
			}
			sort.Strings(names)
			return names, nil
		},
		Edit: func(name, text string) (string, error) {
			if s.edit == nil {
				return text, nil
			}
			return s.edit(text), nil
		},
	}
	if len(stdin) > 0 {
		io.Stdin = &stdin[0]
	}
	return io
}

// splitWords splits a command line on blanks, honouring single and double quotes.
func splitWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
