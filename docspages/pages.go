package docspages

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/public"
)

//go:embed pages/*.txt
var pageFiles embed.FS

// Page is one docs page's command sequence.
type Page struct {
	Name                                string // the file's name without .txt
	Title, URL, Source, Commit, License string
	Pause                               time.Duration
	Steps                               []Step
}

// Step is one command with what the page expects of it.
type Step struct {
	Line    int
	Command string
	Kind    byte // '$' the page's, '=' the page's with the reader's value, '+' kubetab's
	Expect  []string
	Exit    int
	Known   string // a known failure's reason: not run
}

// StepResult is how a step went.
type StepResult struct {
	Step
	Output string
	Status int
	// Problem says why the step failed ("" when it passed); a known failure has its reason.
	Problem string
}

// Passed tells whether the step ran and did what the page says.
func (r StepResult) Passed() bool { return r.Problem == "" }

// Pages reads every page file, by name.
func Pages() ([]*Page, error) {
	names, err := fs.Glob(pageFiles, "pages/*.txt")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*Page
	for _, n := range names {
		data, err := pageFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		p, err := Parse(strings.TrimSuffix(path.Base(n), ".txt"), string(data))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Parse reads a page file.
func Parse(name, text string) (*Page, error) {
	p := &Page{Name: name, Pause: 10 * time.Second}
	sc := bufio.NewScanner(strings.NewReader(text))
	n := 0
	var last *Step
	for sc.Scan() {
		n++
		line := sc.Text()
		fail := func(format string, a ...any) error {
			return fmt.Errorf("%s.txt:%d: %s", name, n, fmt.Sprintf(format, a...))
		}
		switch {
		case strings.HasPrefix(line, "# "):
			key, value, ok := strings.Cut(line[2:], ": ")
			if !ok {
				continue
			}
			switch key {
			case "title":
				p.Title = value
			case "url":
				p.URL = value
			case "source":
				p.Source = value
			case "commit":
				p.Commit = value
			case "license":
				p.License = value
			case "pause":
				d, err := time.ParseDuration(value)
				if err != nil {
					return nil, fail("pause: %v", err)
				}
				p.Pause = d
			}
		case strings.HasPrefix(line, "$ "), strings.HasPrefix(line, "$= "), strings.HasPrefix(line, "+ "):
			kind, cmd := line[0], line[2:]
			if strings.HasPrefix(line, "$= ") {
				kind, cmd = '=', line[3:]
			}
			for strings.HasSuffix(cmd, "\\") && sc.Scan() {
				n++
				cmd += "\n" + sc.Text()
			}
			// A here-document goes on to its delimiter line.
			if word := heredocWord(cmd); word != "" {
				for sc.Scan() {
					n++
					cmd += "\n" + sc.Text()
					if strings.TrimLeft(sc.Text(), "\t") == word {
						break
					}
				}
			}
			p.Steps = append(p.Steps, Step{Line: n, Command: cmd, Kind: kind})
			last = &p.Steps[len(p.Steps)-1]
		case strings.HasPrefix(line, ">"), strings.HasPrefix(line, "! "), strings.HasPrefix(line, "? "):
			if last == nil {
				return nil, fail("%q before any command", line[:1])
			}
			switch line[0] {
			case '>':
				last.Expect = append(last.Expect, strings.TrimPrefix(strings.TrimPrefix(line, ">"), " "))
			case '!':
				code, err := strconv.Atoi(strings.TrimSpace(line[2:]))
				if err != nil {
					return nil, fail("exit status: %v", err)
				}
				last.Exit = code
			case '?':
				last.Known = strings.TrimSpace(line[2:])
			}
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		default:
			return nil, fail("unknown line %q", line)
		}
	}
	if p.Title == "" || p.Source == "" || p.Commit == "" || p.License == "" {
		return nil, fmt.Errorf("%s.txt: the provenance (title, source, commit, license) is incomplete", name)
	}
	return p, nil
}

// heredocWord is the delimiter of a here-document the command starts (<<EOF, <<'EOF',
// <<-EOF), or "".
func heredocWord(cmd string) string {
	i := strings.Index(cmd, "<<")
	if i < 0 {
		return ""
	}
	rest := strings.TrimPrefix(cmd[i+2:], "-")
	rest = strings.TrimLeft(rest, " ")
	end := strings.IndexAny(rest, " \t;&|<>")
	if end >= 0 {
		rest = rest[:end]
	}
	return strings.Trim(rest, `'"`)
}

// Run runs a page on a fresh cluster, every step in order, and reports each.
func Run(p *Page) ([]StepResult, error) {
	files := map[string][]byte{}
	s, err := terminal.New(terminal.Options{
		Seed: 1, Start: cluster.DefaultStart, Examples: public.Examples,
		ReadFile: func(name string) ([]byte, error) {
			if d, ok := files[path.Clean(name)]; ok {
				return d, nil
			}
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		},
		ListDir: func(dir string) ([]string, error) {
			prefix := path.Clean(dir) + "/"
			var names []string
			for f := range files {
				if rest, ok := strings.CutPrefix(f, prefix); ok && !strings.Contains(rest, "/") {
					names = append(names, rest)
				}
			}
			if len(names) == 0 {
				return nil, &fs.PathError{Op: "readdir", Path: dir, Err: fs.ErrNotExist}
			}
			sort.Strings(names)
			return names, nil
		},
		WriteFile:  func(name string, data []byte) error { files[path.Clean(name)] = data; return nil },
		RemoveFile: func(name string) error { delete(files, path.Clean(name)); return nil },
	})
	if err != nil {
		return nil, err
	}
	var out []StepResult
	for _, st := range p.Steps {
		r := StepResult{Step: st}
		if st.Known != "" {
			r.Problem = "known failure: " + st.Known
			out = append(out, r)
			continue
		}
		var b bytes.Buffer
		r.Status = s.Eval(st.Command, &b, &b)
		r.Output = b.String()
		r.Problem = check(st, r.Status, r.Output)
		out = append(out, r)
		if p.Pause > 0 {
			s.Eval("kubetab advance "+terminal.FormatDuration(p.Pause), io.Discard, io.Discard)
		}
	}
	return out, nil
}

// check says how a step's exit status and output differ from what the page says.
func check(st Step, status int, output string) string {
	if status != st.Exit {
		return fmt.Sprintf("exit status %d, want %d", status, st.Exit)
	}
	lines := strings.Split(output, "\n")
	used := make([]bool, len(lines))
	// Each line the page shows must be a line of the output; their order is not checked
	// (environment variables, for one, come in any order).
	for _, want := range st.Expect {
		found := false
		for i, l := range lines {
			if !used[i] && lineMatches(want, l) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return fmt.Sprintf("no line of the output has the shape %q", want)
		}
	}
	return ""
}

// lineMatches compares fields: the same number, each equal, a * in want matching any text.
// A want ending in " ..." compares its fields with the first ones of got, which may have
// more (a page from an older kubectl shows fewer columns).
func lineMatches(want, got string) bool {
	wf, gf := strings.Fields(want), strings.Fields(got)
	if n := len(wf); n > 0 && wf[n-1] == "..." {
		wf = wf[:n-1]
		if len(gf) < len(wf) {
			return false
		}
		gf = gf[:len(wf)]
	}
	if len(wf) != len(gf) {
		return false
	}
	for i := range wf {
		if !glob(wf[i], gf[i]) {
			return false
		}
	}
	return true
}

// glob matches s against a pattern whose only special character is * (any text).
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(s, part)
		if i < 0 {
			return false
		}
		s = s[i+len(part):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// Summary counts a page's results.
type Summary struct {
	Passed, Known, Failed, Total int
}

// Summarize counts results.
func Summarize(rs []StepResult) Summary {
	var s Summary
	for _, r := range rs {
		s.Total++
		switch {
		case r.Passed():
			s.Passed++
		case r.Known != "":
			s.Known++
		default:
			s.Failed++
		}
	}
	return s
}
