package rules

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// allowed is what a package of the engine may use although the rules forbid it, with the
// reason: pure functions and value types from packages whose other half does I/O. An entry
// nothing needs any more fails the test, so the list stays true.
var allowed = map[string]map[string]string{
	"engine/api": {
		"github.com/robfig/cron/v3.ParseStandard": "ParseCronSchedule wraps it: it takes a TZ= prefix off itself, loads the zone from engine/zoneinfo and never leaves a schedule in the host's zone",
	},
	"engine/apiserver": {
		"import net/netip": "cluster IPs are allocated as values in the service CIDR; no network",
	},
	"engine/apiserver/rest": {
		"import net/url": "parses the paths and queries of requests kubectl proxy hands it; no network",
	},
	"engine/controller/servicelb": {
		"import net/netip": "load balancer addresses are picked as values in the pool; no network",
	},
	"engine/dns": {
		"import net/netip": "reads the addresses that pod names spell (a-b-c-d.ns.pod); no network",
	},
	"engine/examples": {
		"import net/url": "maps the URLs of example manifests to paths of a host-supplied bundle; no network",
	},
	"engine/terminal": {
		"import net/url": "reads the port and path of curl's requests to kubectl proxy; no network",
	},
	"engine/kubectl/printers": {
		"import net":     "net.JoinHostPort writes host:port as kubectl describe does; no network",
		"import net/url": "url.URL writes an HTTP probe's URL as kubectl describe does; no network",
	},
	"engine/kubelet": {
		"import net/http":  "http.CanonicalHeaderKey spells probe headers as the kubelet's prober does; no network",
		"import net/netip": "pod IPs are computed as values in the node's pod CIDR; no network",
		"import net/url":   "parses the URLs, paths and queries of simulated HTTP requests (probes, proxy, port-forward); no network",
	},
	"engine/kubelet/sh": {
		"import net/url": "wget and curl in the simulated shell parse their URLs; no network",
	},
	"engine/pki": {
		"import net/netip": "reads the IP addresses of a certificate's subjectAltName as values; no network",
	},
}

// TestEngineFollowsTheRules checks all of engine/ against the rules and the allow-list.
func TestEngineFollowsTheRules(t *testing.T) {
	root := moduleRoot(t)
	found, err := Check(os.DirFS(root), "engine")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, f := range found {
		if _, ok := allowed[f.Dir][f.Rule]; ok {
			used[f.Dir+" "+f.Rule] = true
			continue
		}
		t.Errorf("%v", f)
	}
	for dir, rules := range allowed {
		for rule := range rules {
			if !used[dir+" "+rule] {
				t.Errorf("allow-list: %s no longer uses %s: remove the entry", dir, rule)
			}
		}
	}
}

// TestCheckReportsEachForbiddenUse checks the fixture that breaks every rule: each line with
// a want comment is reported for exactly the rules it names, and nothing else is (the
// package's test file is not read).
func TestCheckReportsEachForbiddenUse(t *testing.T) {
	fsys := os.DirFS(filepath.Join("testdata", "src"))
	found, err := Check(fsys, "bad")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range found {
		got = append(got, fmt.Sprintf("%s:%d: %s", f.Pos.Filename, f.Pos.Line, f.Rule))
		if f.Why == "" || f.Dir != "bad" {
			t.Errorf("%s: Why %q, Dir %q", f.Pos, f.Why, f.Dir)
		}
	}
	want := wants(t, fsys, "bad")
	slices.Sort(got)
	slices.Sort(want)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("not reported: %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("reported but not wanted: %s", g)
		}
	}
}

// TestFixtureBreaksEveryRule keeps the fixture complete: each rule is broken there at least
// once, so a rule that stopped working would fail TestCheckReportsEachForbiddenUse.
func TestFixtureBreaksEveryRule(t *testing.T) {
	var rules []string
	for _, w := range wants(t, os.DirFS(filepath.Join("testdata", "src")), "bad") {
		rules = append(rules, w[strings.Index(w, ": ")+2:])
	}
	has := func(match func(string) bool) bool { return slices.ContainsFunc(rules, match) }
	for _, r := range importRules {
		if !has(func(s string) bool {
			p, ok := strings.CutPrefix(s, "import ")
			return ok && (p == r.path || r.tree && strings.HasPrefix(p, r.path+"/"))
		}) {
			t.Errorf("the fixture imports nothing that rule %q forbids", r.path)
		}
	}
	for p, m := range memberRules {
		for name := range m.names {
			if !has(func(s string) bool { return s == p+"."+name }) {
				t.Errorf("the fixture does not use %s.%s", p, name)
			}
		}
		if m.allBut != nil && !has(func(s string) bool { return strings.HasPrefix(s, p+".") }) {
			t.Errorf("the fixture uses no forbidden name of %s", p)
		}
	}
	if !has(func(s string) bool { return s == "go statement" }) {
		t.Error("the fixture has no go statement")
	}
}

// TestCheckCleanFixture checks the look-alikes of forbidden uses that are allowed: seeded
// generators, methods named Now or Sleep, a variable that shadows a package, times given a
// zone.
func TestCheckCleanFixture(t *testing.T) {
	found, err := Check(os.DirFS(filepath.Join("testdata", "src")), "clean")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%v", f)
	}
}

// wants reads the want comments of the fixture files in dir: `// want "rule" "rule"...`
// after the code of a line, as "file:line: rule".
func wants(t *testing.T, fsys fs.FS, dir string) []string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		name := dir + "/" + e.Name()
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			_, rest, ok := strings.Cut(line, "// want ")
			for ok && rest != "" {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					t.Fatalf("%s:%d: bad want comment: %v", name, i+1, err)
				}
				rule, _ := strconv.Unquote(q)
				out = append(out, fmt.Sprintf("%s:%d: %s", name, i+1, rule))
				rest = strings.TrimLeft(rest[len(q):], " ")
			}
		}
	}
	return out
}

// moduleRoot is the directory of go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
