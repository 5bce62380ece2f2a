package realk8s

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/terminal"
)

// Dir holds the scripts (NAME.sh), the real transcripts (NAME.txt) and PROVENANCE.md.
const Dir = "../testdata/realk8s"

var (
	report = flag.Bool("report", false, "log every difference, expected ones too, as a Markdown table")
	outDir = flag.String("out", "", "write each script's kubetab transcript and both normalised transcripts to this directory")
)

// seed is the kubetab cluster's seed; its start is cluster.DefaultStart, 09:00:00.
const seed = 1

// kubetabExecutor runs a script's commands in a kubetab Session.
type kubetabExecutor struct{ s *terminal.Session }

func (x kubetabExecutor) Exec(args []string, stdin *string, out io.Writer) int {
	return x.s.Exec(args, stdin, out, out)
}

func newKubetab(tb testing.TB, dir string, strict bool) kubetabExecutor {
	tb.Helper()
	rel := func(p string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return p
	}
	s, err := terminal.New(terminal.Options{
		Seed:     seed,
		Start:    cluster.DefaultStart,
		Strict:   strict,
		ReadFile: func(p string) ([]byte, error) { return os.ReadFile(rel(p)) },
		ListDir: func(p string) ([]string, error) {
			entries, err := os.ReadDir(rel(p))
			var names []string
			for _, e := range entries {
				if !e.IsDir() {
					names = append(names, e.Name())
				}
			}
			return names, err
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return kubetabExecutor{s}
}

// newWorkspaceSession is a Session for a shell script: its workspace starts empty and
// keeps what the script writes in memory, as the recorder's bash has an empty directory.
func newWorkspaceSession(tb testing.TB, strict bool) *terminal.Session {
	tb.Helper()
	files := map[string][]byte{}
	missing := func(op, p string) error { return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist} }
	s, err := terminal.New(terminal.Options{
		Seed:   seed,
		Start:  cluster.DefaultStart,
		Strict: strict,
		ReadFile: func(p string) ([]byte, error) {
			if data, ok := files[path.Clean(p)]; ok {
				return data, nil
			}
			return nil, missing("open", p)
		},
		ListDir: func(p string) ([]string, error) {
			if p = path.Clean(p); p != "." {
				return nil, missing("readdir", p)
			}
			return slices.Sorted(maps.Keys(files)), nil
		},
		WriteFile: func(p string, data []byte) error {
			if strings.Contains(path.Clean(p), "/") {
				return &fs.PathError{Op: "write", Path: p, Err: fs.ErrPermission}
			}
			files[path.Clean(p)] = data
			return nil
		},
		RemoveFile: func(p string) error {
			if _, ok := files[path.Clean(p)]; !ok {
				return missing("remove", p)
			}
			delete(files, path.Clean(p))
			return nil
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestRealTranscripts runs each script of testdata/realk8s on kubetab and compares its
// transcript with the one recorded on a real control plane (make record-realk8s), command by
// command after normalisation. A difference fails the test unless expected.go lists it; an
// entry of expected.go that no longer matches a difference fails it too.
func TestRealTranscripts(t *testing.T) {
	scripts, ran, seen, used, all := compareScripts(t, false)
	if t.Failed() && testing.Verbose() || *report {
		t.Logf("differences (real first, kubetab second):\n%s", Table(all))
	}
	if t.Failed() {
		return // a script that could not run would make every entry look stale
	}
	names := map[string]bool{}
	for _, script := range scripts {
		names[strings.TrimSuffix(filepath.Base(script), ".sh")] = true
	}
	for i := range Expected {
		if e := &Expected[i]; !names[e.Script] {
			t.Errorf("expected.go names a script %q that %s does not have", e.Script, Dir)
		}
	}
	for i := range Expected {
		if e := &Expected[i]; ran[e.Script] && !seen[e] {
			t.Errorf("expected.go expects a difference at %s: %q that is no longer there (%s): delete the entry", e.Script, e.Command, e.Reason)
		}
	}
	for i := range Rewrites {
		if r := &Rewrites[i]; len(ran) == len(scripts) && !used[r] {
			t.Errorf("expected.go rewrites %q, which kubetab no longer prints (%s): delete the rewrite", r.Kubetab, r.Reason)
		}
	}
}

// TestRealTranscriptsStrict runs the scripts in kubetab's strict mode (kubetab --strict):
// the differences expected.go marks Kind (legacy apiVersions, did-you-mean, get -a) must be
// gone, and no other may appear.
func TestRealTranscriptsStrict(t *testing.T) {
	_, _, seen, _, all := compareScripts(t, true)
	for e := range seen {
		if e.Kind {
			t.Errorf("strict mode still differs at %s: %q (%s)", e.Script, e.Command, e.Reason)
		}
	}
	if t.Failed() && testing.Verbose() || *report {
		t.Logf("differences in strict mode (real first, kubetab second):\n%s", Table(all))
	}
}

// compareScripts runs every script on kubetab (in strict mode or not) and compares it with
// the real transcript: it fails t for each difference expected.go does not list, and returns
// the scripts, those that ran, the entries and rewrites that matched, and every difference.
func compareScripts(t *testing.T, strict bool) (scripts []string, ran map[string]bool, seen map[*Expectation]bool, used map[*Rewrite]bool, all []Difference) {
	scripts, err := filepath.Glob(filepath.Join(Dir, "*.sh"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts in %s (%v)", Dir, err)
	}
	ran, seen, used = map[string]bool{}, map[*Expectation]bool{}, map[*Rewrite]bool{}
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".sh")
		t.Run(name, func(t *testing.T) {
			ran[name] = true
			src, err := os.ReadFile(script)
			if err != nil {
				t.Fatal(err)
			}
			var got []Step
			if IsShell(string(src)) {
				got, err = RunShell(string(src), newWorkspaceSession(t, strict))
			} else {
				got, err = Run(string(src), newKubetab(t, Dir, strict))
			}
			if err != nil {
				t.Fatal(err)
			}
			out := func(real []Step) {
				if !strict {
					writeOut(t, name, string(src), real, got)
				}
			}
			recorded, err := os.ReadFile(strings.TrimSuffix(script, ".sh") + ".txt")
			if err != nil {
				out(nil)
				t.Fatalf("no real transcript (run make record-realk8s): %v", err)
			}
			real, err := ParseTranscript(string(src), string(recorded))
			if err != nil {
				out(nil)
				t.Fatalf("%s.txt: %v (re-record it: the script changed)", name, err)
			}
			out(real)
			for _, d := range Compare(name, string(src), real, got, used) {
				if e := expectation(d); e != nil && !(strict && e.Kind) {
					seen[e] = true
					d.Reason = e.Reason
				} else if e != nil {
					seen[e] = true
					d.Reason = "strict mode: " + e.Reason
				} else {
					t.Errorf("line %d: $ %s\n(- real, + kubetab)\n%s", d.Line, d.Command, LineDiff(d.Real, d.Kubetab))
				}
				all = append(all, d)
			}
		})
	}
	return scripts, ran, seen, used, all
}

// Table lays differences out as a Markdown table, real first and kubetab second: the lines
// of each output that the other does not have (at most four).
func Table(diffs []Difference) string {
	cell := func(lines []string) string {
		if len(lines) > 4 {
			lines = append(lines[:4], fmt.Sprintf("(%d more lines)", len(lines)-4))
		}
		for i, l := range lines {
			l = strings.Join(strings.Fields(l), " ")
			if len(l) > 160 {
				l = l[:160] + "…"
			}
			lines[i] = "`" + strings.NewReplacer("|", `\|`, "`", "'").Replace(l) + "`"
		}
		return strings.Join(lines, "<br>")
	}
	var b strings.Builder
	b.WriteString("| script:line | command | real | kubetab | reason |\n|---|---|---|---|---|\n")
	for _, d := range diffs {
		var real, kubetab []string
		for _, l := range strings.Split(strings.TrimSuffix(LineDiff(d.Real, d.Kubetab), "\n"), "\n") {
			switch {
			case strings.HasPrefix(l, "- "):
				real = append(real, l[2:])
			case strings.HasPrefix(l, "+ "):
				kubetab = append(kubetab, l[2:])
			}
		}
		command, _, _ := strings.Cut(d.Command, "\n")
		fmt.Fprintf(&b, "| %s:%d | %s | %s | %s | %s |\n", d.Script, d.Line, cell([]string{command}), cell(real), cell(kubetab), d.Reason)
	}
	return b.String()
}

// writeOut writes what -out asks for.
func writeOut(t *testing.T, name, src string, real, got []Step) {
	t.Helper()
	if *outDir == "" {
		return
	}
	norm := func(steps []Step) string {
		n := &Normaliser{Script: src}
		var b strings.Builder
		for _, s := range steps {
			if !s.Harness() {
				s.Output = n.Normalise(s.Output)
			}
			b.WriteString(Format([]Step{s}))
		}
		return b.String()
	}
	files := map[string]string{
		name + ".kubetab.txt":      Format(got),
		name + ".real.norm.txt":    norm(real),
		name + ".kubetab.norm.txt": norm(got),
	}
	for f, text := range files {
		if err := os.WriteFile(filepath.Join(*outDir, f), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
