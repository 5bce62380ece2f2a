package tutorial

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
)

// MaxLessonBytes bounds a lesson, like terminal.MaxScriptBytes bounds a script.
const MaxLessonBytes = 1 << 20

// Error is one problem with a lesson's text.
type Error struct {
	Name string // the lesson's name
	Line int    // 1-based; 0 when it is about the whole lesson
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Name, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
}

// Errors is every problem Parse found, in line order.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Parse reads a lesson (see the package documentation for the format). The error, when
// there is one, is an Errors listing every problem with its line.
func Parse(name string, src []byte) (*Lesson, error) {
	p := &lessonParser{l: &Lesson{Name: name, captures: map[string]*Capture{}}}
	if len(src) > MaxLessonBytes {
		p.errorf(0, "lesson too large: %d bytes (limit %d)", len(src), MaxLessonBytes)
		return nil, p.errs
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	p.lines = strings.Split(text, "\n")
	if n := len(p.lines); n > 0 && p.lines[n-1] == "" {
		p.lines = p.lines[:n-1] // the newline that ends the last line starts no line
	}
	p.parse()
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return nil, p.errs
	}
	return p.l, nil
}

type lessonParser struct {
	l     *Lesson
	lines []string
	errs  Errors

	prose     strings.Builder
	proseLine int
	blocks    int // runnable blocks so far, for run-N IDs
	lastBlock *Block
	titleSet  bool
}

func (p *lessonParser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Name: p.l.Name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

var (
	fenceOpen  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})(.*)$")
	headingOne = regexp.MustCompile(`^ {0,3}# +(.*?)[ #]*$`)
)

func (p *lessonParser) parse() {
	i := p.frontMatter()
	for i < len(p.lines) {
		line := p.lines[i]
		m := fenceOpen.FindStringSubmatch(line)
		if m == nil || m[1][0] == '`' && strings.Contains(m[2], "`") {
			if h := headingOne.FindStringSubmatch(line); h != nil && !p.titleSet {
				p.l.Title, p.titleSet = strings.TrimSpace(h[1]), true
			}
			p.addProse(i, line)
			i++
			continue
		}
		open := i + 1 // 1-based line of the opening fence
		end := -1
		for j := i + 1; j < len(p.lines); j++ {
			if isFenceClose(p.lines[j], m[1]) {
				end = j
				break
			}
		}
		if end < 0 {
			p.errorf(open, "the code fence opened here is never closed (%s)", m[1])
			return
		}
		body := ""
		if end > i+1 {
			body = strings.Join(p.lines[i+1:end], "\n") + "\n"
		}
		if !p.special(open, strings.Fields(m[2]), body) {
			for j := i; j <= end; j++ {
				p.addProse(j, p.lines[j])
			}
		}
		i = end + 1
	}
	p.flushProse()
	if p.l.Title == "" {
		p.errorf(0, "the lesson has no title: give it a `title:` in the front matter or a first `# Heading`")
	}
	p.finish()
}

func isFenceClose(line, open string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return false
	}
	run := strings.TrimLeft(t, open[:1])
	return len(t)-len(run) >= len(open) && strings.TrimSpace(run) == ""
}

// frontMatter reads an optional `---` block of key: value lines and returns the index of
// the first line after it.
func (p *lessonParser) frontMatter() int {
	if len(p.lines) == 0 || strings.TrimSpace(p.lines[0]) != "---" {
		return 0
	}
	for i := 1; i < len(p.lines); i++ {
		line := strings.TrimSpace(p.lines[i])
		if line == "---" {
			return i + 1
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		if i := strings.Index(val, " #"); i >= 0 && !strings.HasPrefix(val, `"`) && !strings.HasPrefix(val, "'") {
			val = strings.TrimSpace(val[:i]) // a trailing comment
		}
		val = unquote(val)
		if !ok {
			p.errorf(i+1, "front matter lines are `key: value`, not %q", line)
			continue
		}
		switch strings.TrimSpace(key) {
		case "title":
			p.l.Title, p.titleSet = val, true
		case "seed":
			n, err := terminal.ParseSeed(val)
			if err != nil {
				p.errorf(i+1, "%s", err)
			}
			p.l.Seed = n
		case "start":
			t, err := terminal.ParseStart(val)
			if err != nil {
				p.errorf(i+1, "%s", err)
			}
			p.l.Start = t
		case "strict":
			b, err := strconv.ParseBool(val)
			if err != nil {
				p.errorf(i+1, "strict is true or false, not %q", val)
			}
			p.l.Strict = b
		default:
			p.errorf(i+1, "unknown front matter key %q (title, seed, start, strict)", strings.TrimSpace(key))
		}
	}
	p.errorf(1, "the front matter opened here is never closed with ---")
	return len(p.lines)
}

func (p *lessonParser) addProse(i int, line string) {
	if p.prose.Len() == 0 {
		p.proseLine = i + 1
	}
	p.prose.WriteString(line)
	p.prose.WriteByte('\n')
}

func (p *lessonParser) flushProse() {
	if p.prose.Len() == 0 {
		return
	}
	if strings.TrimSpace(p.prose.String()) != "" {
		p.l.Parts = append(p.l.Parts, Part{Line: p.proseLine, Prose: p.prose.String()})
	}
	p.prose.Reset()
}

// fenceAttrs are a fence's words after its language: key=value or a bare flag.
type fenceAttrs map[string]string

func parseAttrs(words []string) fenceAttrs {
	a := fenceAttrs{}
	for _, w := range words {
		k, v, _ := strings.Cut(w, "=")
		a[k] = unquote(v)
	}
	return a
}

// only reports attributes other than the allowed ones.
func (p *lessonParser) only(line int, what string, a fenceAttrs, allowed ...string) {
	var bad []string
	for k := range a {
		if !contains(allowed, k) {
			bad = append(bad, k)
		}
	}
	sort.Strings(bad)
	for _, k := range bad {
		if len(allowed) == 0 {
			p.errorf(line, "unknown attribute %q on %s (it takes none)", k, what)
		} else {
			p.errorf(line, "unknown attribute %q on %s (%s)", k, what, strings.Join(allowed, ", "))
		}
	}
}

// special handles a fence that is part of the lesson's machinery and reports whether it was
// one; ordinary fences stay prose.
func (p *lessonParser) special(line int, info []string, body string) bool {
	if len(info) == 0 {
		return false
	}
	lang, a := info[0], parseAttrs(info[1:])
	if _, ok := a["norun"]; ok {
		return false
	}
	switch {
	case lang == "check":
		p.only(line, "a check", a, "id")
		c := p.parseCheck(line, body)
		p.addStep(&Step{ID: a["id"], Line: line, Check: c})
	case lang == "kubetab" || lang == "sh":
		p.only(line, "a runnable block", a, "id", "exit")
		b := p.parseBlock(line, lang, body)
		if v, ok := a["exit"]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 255 {
				p.errorf(line, "exit=%s: want an exit status from 0 to 255", v)
			}
			b.Exit = n
		}
		p.lastBlock = b
		p.addStep(&Step{ID: a["id"], Line: line, Block: b})
	case a["file"] != "":
		p.only(line, "a file", a, "file")
		name := a["file"]
		if clean := cleanPath(name); clean != name || strings.HasPrefix(name, "/") || contains(strings.Split(name, "/"), "..") {
			p.errorf(line, "file=%s: a lesson file is a relative path inside the workspace without . or .. (like kubia-rc.yaml or jobs/batch-job.yaml)", name)
		}
		for _, f := range p.l.Files {
			if f.Name == name {
				p.errorf(line, "file %s is already provided at line %d", name, f.Line)
			}
		}
		f := &File{Name: name, Line: line, Lang: lang, Content: body}
		p.l.Files = append(p.l.Files, f)
		p.flushProse()
		p.l.Parts = append(p.l.Parts, Part{Line: line, File: f})
	default:
		if _, ok := a["edit"]; !ok {
			if _, ok := a["file"]; ok {
				p.errorf(line, "file= needs a name (file=kubia-rc.yaml)")
			}
			return false
		}
		p.only(line, "an edit fixture", a, "edit")
		e := p.parseEdit(line, body)
		if p.lastBlock == nil {
			p.errorf(line, "an edit fixture belongs to the runnable block before it, and there is none")
		} else {
			e.Block = p.lastBlock
			p.lastBlock.Edits = append(p.lastBlock.Edits, e)
		}
		p.flushProse()
		p.l.Parts = append(p.l.Parts, Part{Line: line, Edit: e})
	}
	return true
}

func (p *lessonParser) addStep(s *Step) {
	p.flushProse()
	if s.Block != nil {
		s.Block.Line = s.Line
	} else {
		s.Check.Line = s.Line
	}
	p.l.steps = append(p.l.steps, s)
	p.l.Parts = append(p.l.Parts, Part{Line: s.Line, Step: s})
}

// finish gives steps their IDs and checks what needs the whole lesson: variables used only
// after they are captured, edit fixtures for every kubectl edit, files that exist.
func (p *lessonParser) finish() {
	used := map[string]int{}
	for _, s := range p.l.steps {
		if s.ID != "" {
			if prev, ok := used[s.ID]; ok {
				p.errorf(s.Line, "id %q is already used at line %d", s.ID, prev)
			}
			used[s.ID] = s.Line
		}
	}
	for _, s := range p.l.steps {
		if s.Block != nil {
			p.blocks++
		}
		if s.ID != "" {
			continue
		}
		base := ""
		if s.Block != nil {
			base = fmt.Sprintf("run-%d", p.blocks)
		} else {
			base = "check-" + slug(s.Check.Label)
		}
		id := base
		for n := 2; ; n++ {
			if _, ok := used[id]; !ok {
				break
			}
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used[id] = s.Line
		s.ID = id
	}
	captured := map[string]bool{}
	for _, s := range p.l.steps {
		if s.Check != nil {
			s.Check.ID = s.ID
			p.checkVars(s.Check.cmdLine, s.Check.Command, captured)
			continue
		}
		b := s.Block
		b.ID = s.ID
		for _, seg := range b.Segments {
			if seg.Capture != nil {
				p.checkVars(seg.Line, seg.Capture.Command, captured)
				captured[seg.Capture.Name] = true
				continue
			}
			p.checkVars(seg.Line, seg.Script, captured)
		}
		switch {
		case b.edits > 0 && len(b.Edits) == 0:
			p.errorf(b.Line, "this block runs kubectl edit: give the change it makes in a fence marked edit after it (```yaml edit), so that the lesson runs headless")
		case b.edits == 0 && len(b.Edits) > 0:
			p.errorf(b.Edits[0].Line, "an edit fixture follows a block that runs no kubectl edit")
		}
		for _, ref := range b.files {
			if !p.provides(ref.path) {
				p.errorf(ref.line, "%s is not a file of this lesson: provide it in a fence like ```yaml file=%s", ref.path, cleanPath(ref.path))
			}
		}
	}
}

func (p *lessonParser) provides(path string) bool {
	name := cleanPath(path)
	for _, f := range p.l.Files {
		if f.Name == name || strings.HasPrefix(f.Name, name+"/") || name == "." {
			return true
		}
	}
	return false
}

// checkVars reports variables of the lesson used before a capture sets them.
func (p *lessonParser) checkVars(line int, text string, captured map[string]bool) {
	for _, ref := range varRefs(text) {
		c := p.l.captures[ref.name]
		if c != nil && !captured[ref.name] {
			p.errorf(line+ref.line, "$%s is used before it is captured (at line %d)", ref.name, c.Line)
		}
	}
}

// slug turns a label into an ID fragment: lower-case words joined by dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			if b.Len() >= 48 {
				break
			}
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "unnamed"
	}
	return b.String()
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		if v[0] == '\'' {
			return v[1 : len(v)-1]
		}
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseDuration reads a within: value, in the terminal's duration syntax.
func parseDuration(v string) (time.Duration, error) { return terminal.ParseDuration(v) }
