package terminal

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hack-pad/hackpadfs"
	osfs "github.com/hack-pad/hackpadfs/os"

	"github.com/kubetab/kubetab/engine/cluster"
)

var update = flag.Bool("update", false, "rewrite the scenarios' golden transcripts")

// scenarioDir holds the terminal-language scripts (*.sh) and their golden transcripts
// (*.golden); scenarioOpts is the fixed cluster they run on.
const scenarioDir = "../../testdata/scenarios"

const scenarioSeed = 1

// examplesDir holds the bundled example manifests (public/examples).
const examplesDir = "../../public/examples"

func scenarioOpts(script string) Options {
	dir := filepath.Dir(script)
	// Paths in a script are relative to the script, as with `kubetab run`; what the script
	// writes stays in memory, over the directory.
	written := map[string]string{}
	osPath := func(p string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return p
	}
	return Options{
		Seed:  scenarioSeed,
		Start: cluster.DefaultStart,
		ReadFile: func(p string) ([]byte, error) {
			if data, ok := written[path.Clean(p)]; ok {
				return []byte(data), nil
			}
			return os.ReadFile(osPath(p))
		},
		ListDir: func(p string) ([]string, error) {
			entries, err := os.ReadDir(osPath(p))
			var names []string
			for _, e := range entries {
				if !e.IsDir() {
					names = append(names, e.Name())
				}
			}
			prefix := path.Clean(p) + "/"
			for name := range written {
				if rest, ok := strings.CutPrefix(name, prefix); ok || prefix == "./" {
					if prefix == "./" {
						rest = name
					}
					if !strings.Contains(rest, "/") && !slices.Contains(names, rest) {
						names = append(names, rest)
						err = nil
					}
				}
			}
			sort.Strings(names)
			return names, err
		},
		WriteFile: func(p string, data []byte) error {
			written[path.Clean(p)] = string(data)
			return nil
		},
		// The bundle of example manifests, as the CLI embeds it (public/examples).
		Examples: func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(examplesDir, filepath.FromSlash(p))) },
		RemoveFile: func(p string) error {
			if _, ok := written[path.Clean(p)]; !ok {
				return &fs.PathError{Op: "remove", Path: p, Err: fs.ErrPermission}
			}
			delete(written, path.Clean(p))
			return nil
		},
	}
}

func scenarios(t *testing.T) []string {
	t.Helper()
	scripts, err := filepath.Glob(filepath.Join(scenarioDir, "*.sh"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scenarios in %s (%v)", scenarioDir, err)
	}
	return scripts
}

func runScenario(t *testing.T, script string) (*Session, string) {
	t.Helper()
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	s := MustSession(t, scenarioOpts(script))
	var out bytes.Buffer
	s.RunScript(string(src), &out)
	return s, out.String()
}

// TestScenarioTranscripts runs each script on a fresh cluster and compares its transcript
// with the golden file beside it. -update rewrites the goldens: review them as diffs.
func TestScenarioTranscripts(t *testing.T) {
	for _, script := range scenarios(t) {
		t.Run(strings.TrimSuffix(filepath.Base(script), ".sh"), func(t *testing.T) {
			_, got := runScenario(t, script)
			golden := strings.TrimSuffix(script, ".sh") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if os.IsNotExist(err) {
				t.Skipf("no golden transcript %s yet: once the engine can run this scenario, run `go test ./engine/terminal -run Scenario -update` and review the result", golden)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s (rerun with -update and review the diff):\n%s", golden, firstDiff(got, string(want)))
			}
		})
	}
}

// TestScenarioDeterminism: the same script on two fresh clusters with the same seed and
// start gives byte-identical transcripts.
func TestScenarioDeterminism(t *testing.T) {
	for _, script := range scenarios(t) {
		t.Run(strings.TrimSuffix(filepath.Base(script), ".sh"), func(t *testing.T) {
			_, a := runScenario(t, script)
			_, b := runScenario(t, script)
			if a != b {
				t.Fatalf("two runs differ:\n%s", firstDiff(b, a))
			}
		})
	}
}

// TestScenarioReplay: the journal a script leaves rebuilds the same cluster.
func TestScenarioReplay(t *testing.T) {
	for _, script := range scenarios(t) {
		t.Run(strings.TrimSuffix(filepath.Base(script), ".sh"), func(t *testing.T) {
			s, _ := runScenario(t, script)
			checkReplay(t, s)
		})
	}
}

// TestScenarioPersistence runs each script one line at a time, as the CLI does with
// --state DIR: every line loads the saved cluster (and shell) from an OS directory into a
// new Session, runs, and saves. The transcript and the final cluster must match one run.
func TestScenarioPersistence(t *testing.T) {
	if testing.Short() {
		t.Skip("slow under js/wasm; the native run (without -short) covers it")
	}
	for _, script := range scenarios(t) {
		t.Run(strings.TrimSuffix(filepath.Base(script), ".sh"), func(t *testing.T) {
			whole, want := runScenario(t, script)
			src, err := os.ReadFile(script)
			if err != nil {
				t.Fatal(err)
			}
			cmds, err := Parse(string(src))
			if err != nil {
				t.Fatal(err)
			}
			fsys := osStateDir(t)
			var out bytes.Buffer
			var s *Session
			opts := scenarioOpts(script)
			// The commands that start on one line are one line typed: they run together.
			var lines []Command
			for _, c := range cmds {
				if n := len(lines); n > 0 && lines[n-1].Line == c.Line {
					lines[n-1].Text += "\n" + c.Text
					continue
				}
				lines = append(lines, c)
			}
			for _, c := range lines {
				s, _, err = Load(fsys, opts)
				if err != nil {
					t.Fatal(err)
				}
				if d := s.Divergences(); len(d) > 0 {
					t.Fatalf("before line %d: replay diverged: %v", c.Line, d)
				}
				s.RunScript(c.Text, &out)
				if err := s.Save(fsys); err != nil {
					t.Fatal(err)
				}
			}
			if got := out.String(); got != want {
				t.Errorf("transcript command by command differs from one run:\n%s", firstDiff(got, want))
			}
			s, _, err = Load(fsys, opts)
			if err != nil {
				t.Fatal(err)
			}
			getAll := func(s *Session) string {
				var b bytes.Buffer
				s.RunScript("kubectl get all -A -o yaml\n", &b)
				return b.String()
			}
			if got, want := getAll(s), getAll(whole); got != want {
				t.Errorf("kubectl get all -A -o yaml differs:\n%s", firstDiff(got, want))
			}
			if got, want := clusterDump(s.Cluster()), clusterDump(whole.Cluster()); got != want {
				t.Errorf("stored objects differ:\n%s", firstDiff(got, want))
			}
		})
	}
}

// osStateDir is an empty state directory on the OS file system, as the CLI uses.
func osStateDir(t *testing.T) hackpadfs.FS {
	t.Helper()
	dir, err := filepath.Abs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(filepath.ToSlash(dir), "/"))
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}
