package terminal

import (
	"fmt"
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
)

// make is a small GNU make for the docs' example Makefiles (the https-nginx example's
// `make keys KEY=/tmp/nginx.key CERT=/tmp/nginx.crt`): variables (=, :=, ?=, +=, and
// VAR=VALUE on the command line, which wins), $(VAR) and ${VAR}, $@ $< $^ and $$, rules with
// prerequisites made first, recipe lines echoed and run one by one through the shell (@
// silences one, - ignores its failure), -f FILE, -n and -s. Every target is phony: a file
// of the target's name does not make it up to date. $(shell ...) and the other functions,
// pattern rules and includes are not read: a Makefile that needs them is not one the docs
// use. Messages are GNU make 4.3's.
func (s *Session) make(c *sh.Call) int {
	c.Charge(hostCommandSteps)
	return c.Filter(func(fc *filters.Call) int { return runMake(c, fc) })
}

// makefile is what make read of a Makefile.
type makefile struct {
	name     string
	vars     map[string]string
	simple   map[string]bool // := variables, expanded when assigned
	override map[string]string
	rules    map[string]*makeRule
	first    string // the default goal
}

type makeRule struct {
	target  string
	prereqs []string
	recipe  []recipeLine
	line    int
}

type recipeLine struct {
	text string
	line int
}

func runMake(c *sh.Call, fc *filters.Call) int {
	var file string
	var dryRun, silent bool
	var goals []string
	overrides := map[string]string{}
	args := fc.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-f" || a == "--file" || a == "--makefile":
			if i+1 >= len(args) {
				fc.Err("make: option requires an argument -- 'f'")
				return 2
			}
			i++
			file = args[i]
		case strings.HasPrefix(a, "-f") && len(a) > 2:
			file = a[2:]
		case a == "-n" || a == "--dry-run" || a == "--just-print":
			dryRun = true
		case a == "-s" || a == "--silent" || a == "--quiet":
			silent = true
		case strings.HasPrefix(a, "-") && len(a) > 1:
			fc.Err(fmt.Sprintf("make: invalid option -- '%s'", strings.TrimLeft(a, "-")))
			fc.Err("kubetab's make takes -f FILE, -n and -s, targets and VAR=VALUE")
			return 2
		case strings.Contains(a, "="):
			name, val, _ := strings.Cut(a, "=")
			overrides[strings.TrimSpace(name)] = val
		default:
			goals = append(goals, a)
		}
	}
	var text string
	if file != "" {
		data, err := fc.ReadFile(file)
		if err != nil {
			fc.Err(fmt.Sprintf("make: %s: %s", file, fc.ErrText(err)))
			fc.Err(fmt.Sprintf("make: *** No rule to make target '%s'.  Stop.", file))
			return 2
		}
		text = data
	} else {
		for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
			if data, err := fc.ReadFile(name); err == nil {
				file, text = name, data
				break
			}
		}
		if file == "" {
			if len(goals) == 0 {
				fc.Err("make: *** No targets specified and no makefile found.  Stop.")
			} else {
				fc.Err(fmt.Sprintf("make: *** No rule to make target '%s'.  Stop.", goals[0]))
			}
			return 2
		}
	}
	mf, err := parseMakefile(file, text, overrides)
	if err != nil {
		fc.Err(err.Error())
		return 2
	}
	if len(goals) == 0 {
		if mf.first == "" {
			fc.Err("make: *** No targets.  Stop.")
			return 2
		}
		goals = []string{mf.first}
	}
	m := &makeRun{c: c, fc: fc, mf: mf, dryRun: dryRun, silent: silent, done: map[string]bool{}}
	for _, g := range goals {
		if code := m.build(g, true); code != 0 {
			return code
		}
	}
	return 0
}

// parseMakefile reads variables and rules; recipe lines start with a tab.
func parseMakefile(name, text string, overrides map[string]string) (*makefile, error) {
	mf := &makefile{name: name, vars: map[string]string{}, simple: map[string]bool{}, override: overrides, rules: map[string]*makeRule{}}
	var cur *makeRule
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := lines[i]
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimLeft(lines[i], " \t")
		}
		if strings.HasPrefix(line, "\t") {
			if cur == nil {
				if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
					continue
				}
				//lint:ignore ST1005 GNU make's own message, as it prints it
				return nil, fmt.Errorf("%s:%d: *** recipe commences before first target.  Stop.", name, n)
			}
			cur.recipe = append(cur.recipe, recipeLine{text: line[1:], line: n})
			continue
		}
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if vname, op, val, ok := makeAssignment(line); ok {
			cur = nil
			if _, over := overrides[vname]; over {
				continue
			}
			switch op {
			case "?=":
				if _, set := mf.vars[vname]; set {
					continue
				}
			case ":=", "::=":
				val = mf.expand(val, nil)
				mf.simple[vname] = true
			case "+=":
				if old, set := mf.vars[vname]; set {
					if mf.simple[vname] {
						val = mf.expand(val, nil)
					}
					val = old + " " + val
				}
			}
			mf.vars[vname] = val
			continue
		}
		targets, prereqs, ok := strings.Cut(line, ":")
		if !ok {
			//lint:ignore ST1005 GNU make's own message, as it prints it
			return nil, fmt.Errorf("%s:%d: *** missing separator.  Stop.", name, n)
		}
		prereqs, inline, hasInline := strings.Cut(prereqs, ";")
		for _, t := range strings.Fields(mf.expand(targets, nil)) {
			r := mf.rules[t]
			if r == nil {
				r = &makeRule{target: t, line: n}
				mf.rules[t] = r
			}
			r.prereqs = append(r.prereqs, strings.Fields(mf.expand(prereqs, nil))...)
			if mf.first == "" && !strings.HasPrefix(t, ".") {
				mf.first = t
			}
			cur = r
		}
		if hasInline && cur != nil {
			cur.recipe = append(cur.recipe, recipeLine{text: strings.TrimSpace(inline), line: n})
		}
	}
	return mf, nil
}

// makeAssignment splits NAME OP VALUE (OP one of = := ::= ?= +=).
func makeAssignment(line string) (name, op, val string, ok bool) {
	i := strings.Index(line, "=")
	if i <= 0 {
		return "", "", "", false
	}
	lhs := line[:i]
	op = "="
	for _, p := range []string{"::", ":", "?", "+"} {
		if strings.HasSuffix(lhs, p) {
			op, lhs = p+"=", strings.TrimSuffix(lhs, p)
			break
		}
	}
	name = strings.TrimSpace(lhs)
	if name == "" || strings.ContainsAny(name, " \t:") {
		return "", "", "", false
	}
	return name, op, strings.TrimSpace(line[i+1:]), true
}

// lookup is a variable's value: the command line's, the Makefile's, then the environment's
// (none here: the terminal's shell variables are not exported to make).
func (mf *makefile) lookup(name string) (string, bool) {
	if v, ok := mf.override[name]; ok {
		return v, true
	}
	v, ok := mf.vars[name]
	return v, ok
}

// expand replaces $(VAR), ${VAR}, $X, the automatic variables of rule r and $$.
func (mf *makefile) expand(s string, r *makeRule) string { return mf.expandDepth(s, r, 0) }

func (mf *makefile) expandDepth(s string, r *makeRule, depth int) string {
	if depth > 20 || !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		var name string
		switch s[i] {
		case '$':
			b.WriteByte('$')
			continue
		case '(', '{':
			closer := byte(')')
			if s[i] == '{' {
				closer = '}'
			}
			end := strings.IndexByte(s[i:], closer)
			if end < 0 {
				b.WriteString(s[i-1:])
				return b.String()
			}
			name = s[i+1 : i+end]
			i += end
		default:
			name = s[i : i+1]
		}
		switch {
		case name == "@" && r != nil:
			b.WriteString(r.target)
		case name == "<" && r != nil:
			if len(r.prereqs) > 0 {
				b.WriteString(r.prereqs[0])
			}
		case name == "^" && r != nil:
			b.WriteString(strings.Join(r.prereqs, " "))
		case strings.ContainsAny(name, " \t,"):
			// A function ($(shell ...), $(wildcard ...)): not read (see make).
		default:
			if v, ok := mf.lookup(name); ok {
				if mf.simple[name] {
					b.WriteString(v)
				} else {
					b.WriteString(mf.expandDepth(v, r, depth+1))
				}
			}
		}
	}
	return b.String()
}

type makeRun struct {
	c              *sh.Call
	fc             *filters.Call
	mf             *makefile
	dryRun, silent bool
	done           map[string]bool
}

// build makes target after its prerequisites; goal is set for a target the command line
// named (make says there is nothing to do for one without a recipe).
func (m *makeRun) build(target string, goal bool) int {
	if m.done[target] {
		return 0
	}
	m.done[target] = true
	r := m.mf.rules[target]
	if r == nil {
		if _, err := m.fc.ReadFile(target); err == nil {
			if goal {
				m.fc.Out(fmt.Sprintf("make: Nothing to be done for '%s'.\n", target))
			}
			return 0
		}
		m.fc.Err(fmt.Sprintf("make: *** No rule to make target '%s'.  Stop.", target))
		return 2
	}
	for _, p := range r.prereqs {
		if m.mf.rules[p] == nil {
			if _, err := m.fc.ReadFile(p); err != nil {
				m.fc.Err(fmt.Sprintf("make: *** No rule to make target '%s', needed by '%s'.  Stop.", p, target))
				return 2
			}
			continue
		}
		if code := m.build(p, false); code != 0 {
			return code
		}
	}
	if len(r.recipe) == 0 {
		if goal {
			m.fc.Out(fmt.Sprintf("make: Nothing to be done for '%s'.\n", target))
		}
		return 0
	}
	for _, rl := range r.recipe {
		line := m.mf.expand(rl.text, r)
		quiet, ignore := m.silent, false
		for len(line) > 0 && strings.ContainsRune("@-+", rune(line[0])) {
			switch line[0] {
			case '@':
				quiet = true
			case '-':
				ignore = true
			}
			line = strings.TrimLeft(line[1:], " \t")
		}
		if !quiet || m.dryRun {
			m.fc.Out(line + "\n")
		}
		if m.dryRun || strings.TrimSpace(line) == "" {
			continue
		}
		if code := m.c.Sh(line); code != 0 {
			if ignore {
				m.fc.Err(fmt.Sprintf("make: [%s:%d: %s] Error %d (ignored)", m.mf.name, rl.line, target, code))
				continue
			}
			m.fc.Err(fmt.Sprintf("make: *** [%s:%d: %s] Error %d", m.mf.name, rl.line, target, code))
			return 2
		}
	}
	return 0
}
