package docspages

import (
	"strings"
	"testing"
)

// TestDocsPages runs every page: each command the page (or kubetab's additions) runs must
// exit and print as the page says; known failures are listed, never counted as passes.
func TestDocsPages(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 11 {
		t.Fatalf("%d pages", len(pages))
	}
	for _, p := range pages {
		t.Run(p.Name, func(t *testing.T) {
			rs, err := Run(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				switch {
				case r.Known != "":
					t.Logf("line %d: known failure: %s", r.Line, r.Known)
				case !r.Passed():
					t.Errorf("line %d: %s\n%s\noutput:\n%s", r.Line, r.Command, r.Problem, r.Output)
				}
			}
			s := Summarize(rs)
			t.Logf("%s: %d/%d steps pass, %d known failures", p.Name, s.Passed, s.Total, s.Known)
		})
	}
}

func TestParse(t *testing.T) {
	p, err := Parse("x", "# title: T\n# source: R P\n# commit: C\n# license: L\n# pause: 3s\n"+
		"$ a \\\n  b\n> out *\n! 1\n$= c <<'EOF'\nline\nEOF\n+ d\n$ e\n? why\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 4 || p.Pause.String() != "3s" {
		t.Fatalf("%+v", p)
	}
	if s := p.Steps[0]; s.Command != "a \\\n  b" || s.Exit != 1 || len(s.Expect) != 1 || s.Kind != '$' {
		t.Errorf("step 0: %+v", s)
	}
	if s := p.Steps[1]; s.Command != "c <<'EOF'\nline\nEOF" || s.Kind != '=' {
		t.Errorf("step 1: %+v", s)
	}
	if s := p.Steps[3]; s.Known != "why" {
		t.Errorf("step 3: %+v", s)
	}
	for _, bad := range []string{"# title: T\n$ a\n", "# title: T\n# source: S\n# commit: C\n# license: L\n> x\n", "# title: T\n# source: S\n# commit: C\n# license: L\nnonsense\n"} {
		if _, err := Parse("bad", bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestLineMatches(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{"nginx-* 1/1 Running 0 *", "nginx-abc-def   1/1     Running   0          5s", true},
		{"nginx-* 1/1 Running 0 *", "nginx-abc-def   0/1     Pending   0          5s", false},
		{"a b ...", "a   b c d", true},
		{"a b ...", "a", false},
		{"[map[ip:10.244.*]]", "[map[ip:10.244.1.2]]", true},
		{"53/UDP,53/TCP*", "53/UDP,53/TCP,9153/TCP", true},
		{"x*y*z", "xaaybbz", true},
		{"x*y*z", "xaazbby", false},
	} {
		if got := lineMatches(tc.want, tc.got); got != tc.ok {
			t.Errorf("lineMatches(%q, %q) = %v", tc.want, tc.got, got)
		}
	}
	if problem := check(Step{Expect: []string{"b", "a"}}, 0, "a\nb\n"); problem != "" {
		t.Errorf("order: %s", problem)
	}
	if problem := check(Step{Expect: []string{"a", "a"}}, 0, "a\n"); !strings.Contains(problem, "no line") {
		t.Errorf("a line matched twice: %q", problem)
	}
}
