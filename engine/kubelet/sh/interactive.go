package sh

import (
	"io"
	"maps"
	"sort"
	"strings"
)

// Interactive is a shell as a terminal runs it: its variables, functions, options and
// working directory last from one line to the next, and the host adds commands of its
// own (the terminal's kubectl and kubetab) in front of the shell's. A line runs at once,
// to its end, except where a host command makes it wait (a `kubectl get -w` that keeps
// streaming): Run then reports Blocked, and Resume or Abandon decides what happens to the
// rest of the line. Work is bounded per line (Config.MaxSteps), so an endless loop stops
// with a message instead of hanging the tab.
//
// An Interactive is not safe for concurrent use.
type Interactive struct {
	cfg     Config
	sc      *scope
	initial map[string]string // the variables as the shell started, for State
	funcs   map[string]*program
	funcSrc map[string]string
	cwd     string
	opts    options
	status  int
	traps   map[string]string
	cache   map[command]*program
	lcache  map[*list]*program
	acache  map[string]*word
	// line is the line waiting in a host command (Blocked), nil when none.
	line *vm
}

// Config shapes an Interactive.
type Config struct {
	// Env supplies the time, the host name and HTTP; its FS is not used (Files is).
	Env Env
	// Files is the filesystem the shell works on.
	Files Files
	// Commands are the host's commands, found after functions and before the shell's own
	// (so a host may replace sleep, curl or wget).
	Commands map[string]Builtin
	// Vars is the environment the shell starts with (exported).
	Vars map[string]string
	// Dir is the working directory and $HOME.
	Dir string
	// MaxSteps bounds the work of one line (MaxInstantSteps when 0); past it the line is
	// stopped with LimitMessage and status 124.
	MaxSteps     int
	LimitMessage string
}

// Builtin is a host command. It returns the exit status.
type Builtin func(c *Call) int

// Call is one run of a host command.
type Call struct{ c *cmdCtx }

// Args are the command's words after expansion, the command's name first.
func (x *Call) Args() []string { return x.c.args }

// Stdin is what the command reads: a here-document, a redirected file or the previous
// stage of a pipeline. ok is false when standard input is the terminal itself, which sends
// nothing.
func (x *Call) Stdin() (data string, ok bool) {
	if x.c.io.in == nil || x.c.io.in.none {
		return "", false
	}
	return x.c.stdin(), true
}

// Stdout and Stderr are the command's output streams.
func (x *Call) Stdout() io.Writer { return sinkWriter{x.c.io.out} }
func (x *Call) Stderr() io.Writer { return sinkWriter{x.c.io.err} }

// Dir is the shell's working directory.
func (x *Call) Dir() string { return x.c.v.cwd }

// Getenv is a variable's value as the command sees it (prefix assignments included).
func (x *Call) Getenv(name string) string {
	if v, ok := x.c.extra[name]; ok {
		return v
	}
	return x.c.v.sc.vars[name]
}

// CanWait tells whether the command may make the line wait (Wait): only a command of the
// line itself, not a stage of a pipeline or a command substitution, and only when the
// line was run with wait allowed.
func (x *Call) CanWait() bool { return x.c.v.canBlock }

// Background tells whether the command runs in a background list (`cmd &`): it runs at
// once here, as every command does, and a host command that keeps running (a watch) may
// make itself a job of the host's.
func (x *Call) Background() bool { return x.c.v.bg }

// Wait makes the line wait once the command returns: Run reports Blocked, and the line
// goes on at Resume with the status Resume gives. Without CanWait it does nothing.
func (x *Call) Wait() { x.c.blocked = true }

// Charge counts steps of work the command did against the line's bound.
func (x *Call) Charge(steps int) { x.c.v.budget.used += steps }

// sinkWriter is an io.Writer onto a command's output. A full pipe drops what does not fit,
// as a reader that stopped reading would.
type sinkWriter struct{ s sink }

func (w sinkWriter) Write(p []byte) (int, error) {
	_ = w.s.write(string(p))
	return len(p), nil
}

// Hooks are where a line's output goes and what happens around its top-level commands.
type Hooks struct {
	Stdout, Stderr io.Writer
	// Echo, when set, is called with each top-level pipeline's text as written, right
	// before it runs (a pipeline skipped by && or || is not).
	Echo func(text string)
	// Done, when set, is called with each top-level pipeline's status once it ended.
	Done func(status int)
}

// Outcome is how a line (or the part of it that ran) ended.
type Outcome struct {
	Status  int
	Blocked bool // a host command waits: Resume or Abandon
}

// NewInteractive starts a shell.
func NewInteractive(cfg Config) *Interactive {
	if cfg.Dir == "" {
		cfg.Dir = "/"
	}
	vars := map[string]string{"HOME": cfg.Dir, "PWD": cfg.Dir}
	for k, v := range cfg.Vars {
		vars[k] = v
	}
	proto := newVM(cfg.Env, vars, true)
	s := &Interactive{cfg: cfg, sc: proto.sc, funcs: map[string]*program{}, funcSrc: map[string]string{}, cwd: cleanPath(cfg.Dir),
		traps: map[string]string{}, cache: map[command]*program{}, lcache: map[*list]*program{}, acache: map[string]*word{},
		initial: map[string]string{}}
	for k, v := range s.sc.vars {
		s.initial[k] = v
	}
	return s
}

// Script is a parsed line or script of the interactive shell.
type Script struct {
	src  string
	l    *list
	docs []*heredoc
}

// SyntaxError is a line that does not parse.
type SyntaxError struct {
	// Line is the 1-based line of the source where parsing stopped.
	Line int
	// Msg is the shell's message: `syntax error: unexpected "fi"`.
	Msg string
	// Incomplete is set when the source ended too early (an open quote or construct, a
	// here-document without its end, a trailing && or |): more lines could complete it,
	// and a terminal prompts for them.
	Incomplete bool
}

func (e *SyntaxError) Error() string { return "line " + itoa(e.Line) + ": " + e.Msg }

// Parse parses src as the interactive shell reads it: a here-document without its
// delimiter line, or a backslash ending the text, is incomplete rather than accepted.
func Parse(src string) (*Script, error) {
	l, p, err := parse(src, true)
	if err != nil {
		se := err.(*syntaxError)
		return nil, &SyntaxError{Line: se.line, Msg: se.what(), Incomplete: se.incomplete}
	}
	return &Script{src: src, l: l, docs: p.docs}, nil
}

// TopCommand is one top-level and-or list of a script, as written.
type TopCommand struct {
	Line int
	Text string
}

// Commands lists the script's top-level and-or lists (the commands `;`, `&` and newlines
// separate), each with its text as written: from its first word to its last (its & when
// it runs in the background), and after a
// "\n" the bodies of its here-documents up to their delimiter lines.
func (s *Script) Commands() []TopCommand {
	var out []TopCommand
	for _, ao := range s.l.items {
		start := ao.pipes[0].start
		out = append(out, TopCommand{Line: 1 + strings.Count(s.src[:start], "\n"), Text: s.text(start, ao.end())})
	}
	return out
}

// text is the source from start to end, and the bodies of the here-documents whose
// operators are in it but whose bodies follow it.
func (s *Script) text(start, end int) string {
	t := s.src[start:end]
	from, to := -1, -1
	for _, d := range s.docs {
		if d.at >= start && d.at < end && d.bodyStart >= end {
			if from < 0 {
				from = d.bodyStart
			}
			to = d.bodyEnd
		}
	}
	if from >= 0 && to >= from {
		t += "\n" + s.src[from:to]
	}
	return t
}

// Words returns the words of a script that is one simple command, after quote removal;
// a word with an expansion is given as written. ok is false for anything else.
func (s *Script) Words() (words []string, ok bool) {
	if len(s.l.items) != 1 || len(s.l.items[0].pipes) != 1 || s.l.items[0].bg {
		return nil, false
	}
	pl := s.l.items[0].pipes[0]
	c, isSimple := pl.cmds[0].(*simpleCmd)
	if len(pl.cmds) != 1 || pl.neg || !isSimple || len(c.rd) > 0 {
		return nil, false
	}
	for _, a := range c.assigns {
		words = append(words, a.name+"="+literal(a.value))
	}
	for _, w := range c.words {
		words = append(words, literal(w))
	}
	return words, true
}

// SimpleCommand is one simple command of a script, wherever it is (in a pipeline, a loop,
// a function, a command substitution).
type SimpleCommand struct {
	Line int
	// Words are its words as Words gives them, assignments first (NAME=value).
	Words []string
	// Writes are the files its output redirections (>, >>, &>) name, as written.
	Writes []string
}

// SimpleCommands lists the script's simple commands in source order, for a reader that
// checks what a script would run (which files it reads, whether it edits).
func (s *Script) SimpleCommands() []SimpleCommand {
	var out []SimpleCommand
	var walk func(l *list)
	words := func(ws []*word) {
		for _, w := range ws {
			if w == nil {
				continue
			}
			for _, pt := range w.parts {
				if pt.sub != nil {
					walk(pt.sub)
				}
			}
		}
	}
	var cmd func(c command)
	cmd = func(c command) {
		switch x := c.(type) {
		case *simpleCmd:
			sc := SimpleCommand{Line: 1 + strings.Count(s.src[:min(x.pos, len(s.src))], "\n")}
			for _, a := range x.assigns {
				sc.Words = append(sc.Words, a.name+"="+literal(a.value))
				words([]*word{a.value})
			}
			for _, w := range x.words {
				sc.Words = append(sc.Words, literal(w))
			}
			for _, r := range x.rd {
				if r.op == ">" || r.op == ">>" || r.op == "&>" || r.op == "&>>" {
					sc.Writes = append(sc.Writes, literal(r.target))
				}
			}
			words(x.words)
			out = append(out, sc)
		case *groupCmd:
			walk(x.body)
		case *ifCmd:
			for i := range x.conds {
				walk(x.conds[i])
				walk(x.bodies[i])
			}
			walk(x.els)
		case *loopCmd:
			walk(x.cond)
			walk(x.body)
		case *forCmd:
			words(x.items)
			walk(x.body)
		case *caseCmd:
			for _, it := range x.items {
				walk(it.body)
			}
		case *funcDef:
			cmd(x.body)
		}
	}
	walk = func(l *list) {
		if l == nil {
			return
		}
		for _, ao := range l.items {
			for _, pl := range ao.pipes {
				for _, c := range pl.cmds {
					cmd(c)
				}
			}
		}
	}
	walk(s.l)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// PlainCommand is a simple command of a script in the plain subset of older kubetab (and
// of test harnesses that run a script on a real cluster too): its words after quote
// removal, expansions as written; its here-document, unexpanded; whether it ran after &&.
type PlainCommand struct {
	Line  int
	Text  string
	Args  []string
	Stdin *string
	AndIf bool
}

// Plain lists the script's simple commands for a reader that runs them itself; a script
// with more than simple commands, && and here-documents (a pipe, a loop, ||, another
// redirection) is an error.
func (s *Script) Plain() ([]PlainCommand, error) {
	var out []PlainCommand
	for _, ao := range s.l.items {
		for i, pl := range ao.pipes {
			c, ok := pl.cmds[0].(*simpleCmd)
			if ao.bg || len(pl.cmds) != 1 || pl.neg || !ok || len(c.assigns) > 0 || i > 0 && ao.ops[i-1] != "&&" {
				return nil, &SyntaxError{Line: 1 + strings.Count(s.src[:pl.start], "\n"), Msg: "only simple commands, && and here-documents"}
			}
			pc := PlainCommand{Line: 1 + strings.Count(s.src[:pl.start], "\n"), Text: s.text(pl.start, pl.end), AndIf: i > 0}
			for _, w := range c.words {
				pc.Args = append(pc.Args, literal(w))
			}
			for _, r := range c.rd {
				if r.span == nil {
					return nil, &SyntaxError{Line: pc.Line, Msg: "only simple commands, && and here-documents"}
				}
				body := r.span.body
				pc.Stdin = &body
			}
			out = append(out, pc)
		}
	}
	return out, nil
}

// literal is a word's text after quote removal, with expansions as written: `$NAME`,
// `${...}`, `$(...)`.
func literal(w *word) string {
	var b strings.Builder
	for _, pt := range w.parts {
		switch pt.kind {
		case pLit:
			b.WriteString(pt.text)
		case pParam:
			if pt.op == "" && pt.index == nil {
				b.WriteString("$" + pt.text)
			} else {
				b.WriteString("${" + pt.text + "}")
			}
		case pSubst:
			b.WriteString(pt.text) // as written
		case pArith:
			b.WriteString("$((" + pt.text + "))")
		}
	}
	return b.String()
}

// lineVM is a VM for one line, on the shell's state.
func (s *Interactive) lineVM(h Hooks, wait bool) *vm {
	v := &vm{env: s.cfg.Env, fs: s.cfg.Files, shell: "sh", sc: s.sc, cwd: s.cwd, traps: s.traps, funcs: s.funcs,
		opts: s.opts, instant: true, pid: 1, cache: s.cache, lcache: s.lcache, acache: s.acache, status: s.status,
		host: s.cfg.Commands, canBlock: wait, interactive: true, hooks: &h, funcSrc: s.funcSrc}
	if v.fs == nil {
		v.fs = NewFS()
	}
	v.budget = &budget{limit: s.cfg.MaxSteps, msg: s.cfg.LimitMessage}
	var out, errOut sink = nullSink{}, nullSink{}
	if h.Stdout != nil {
		out = writerSink{h.Stdout}
	}
	if h.Stderr != nil {
		errOut = writerSink{h.Stderr}
	}
	v.io = []ioFrame{{out: out, err: errOut, in: &input{none: true}}}
	return v
}

// Run runs a script. With wait, a host command may make it wait (Outcome.Blocked); only
// one line waits at a time, and running another line meanwhile leaves it waiting.
func (s *Interactive) Run(sc *Script, h Hooks, wait bool) Outcome {
	v := s.lineVM(h, wait)
	var prog *program
	if h.Echo != nil || h.Done != nil {
		prog = compileTop(sc.l, sc.text)
	} else {
		prog = compileList(sc.l)
	}
	v.pushFrame(&frame{kind: fMain, prog: prog})
	return s.drive(v)
}

// Exec runs argv as one command, its words taken as they are (no expansion), with stdin
// (nil: the terminal) as its standard input.
func (s *Interactive) Exec(argv []string, stdin *string, h Hooks) int {
	if len(argv) == 0 {
		return 0
	}
	v := s.lineVM(h, false)
	cmd := &simpleCmd{}
	for _, a := range argv {
		cmd.words = append(cmd.words, &word{parts: []part{{kind: pLit, text: a, quoted: true}}})
	}
	if stdin != nil {
		v.io[0].in = &input{data: *stdin}
	}
	v.pushFrame(&frame{kind: fMain, prog: &program{code: []op{{k: opCmd, cmd: cmd}}}})
	return s.drive(v).Status
}

// drive runs v until its line ends or waits, and keeps what lasts of it.
func (s *Interactive) drive(v *vm) Outcome {
	v.run()
	s.cwd, s.opts, s.status = v.cwd, v.opts, v.status
	if v.blocked && !v.exited {
		s.line = v
		return Outcome{Status: v.status, Blocked: true}
	}
	s.status = v.exitCode
	return Outcome{Status: v.exitCode}
}

// Blocked tells whether a line waits in a host command.
func (s *Interactive) Blocked() bool { return s.line != nil }

// Resume lets the waiting line go on, the command that waited having ended with status.
func (s *Interactive) Resume(status int) Outcome {
	v := s.line
	if v == nil {
		return Outcome{Status: s.status}
	}
	s.line = nil
	v.blocked, v.forever = false, false
	v.status = status & 255
	v.cwd, v.opts = s.cwd, s.opts
	v.budget = &budget{limit: s.cfg.MaxSteps, msg: s.cfg.LimitMessage}
	v.errexitCheck(v.blockCond)
	if v.exited {
		s.status = v.exitCode
		return Outcome{Status: v.exitCode}
	}
	return s.drive(v)
}

// Abandon drops the waiting line, as Ctrl-C does: nothing more of it runs.
func (s *Interactive) Abandon() {
	if s.line != nil {
		s.cwd = s.line.cwd
		s.line = nil
		s.status = 130
	}
}

func hasKey[V any](m map[string]V, k string) bool { _, ok := m[k]; return ok }

// writerSink is a sink onto an io.Writer.
type writerSink struct{ w io.Writer }

func (s writerSink) write(text string) error {
	_, err := io.WriteString(s.w, text)
	return err
}

// State is what lasts of an interactive shell beyond its lines, for a saved session to
// come back with: the variables it set (not those it started with, unchanged), which of
// them are exported, its functions as written, its aliases, its working directory and
// `set` options.
type State struct {
	Vars     map[string]string
	Exported []string
	Funcs    map[string]string
	Aliases  map[string]string
	Dir      string
	Options  string // the letters of the `set` options on: e, u, x, p (pipefail)
	Status   int    // $?
}

// State returns the shell's state (see State).
func (s *Interactive) State() State {
	st := State{Vars: map[string]string{}, Funcs: map[string]string{}}
	for k, v := range s.sc.vars {
		if init, ok := s.initial[k]; ok && init == v || k == "PWD" || k == "OLDPWD" {
			continue
		}
		st.Vars[k] = v
	}
	for k := range s.sc.exported {
		if _, set := s.sc.vars[k]; set && !hasKey(s.initial, k) {
			st.Exported = append(st.Exported, k)
		}
	}
	sort.Strings(st.Exported)
	for k, src := range s.funcSrc {
		if _, ok := s.funcs[k]; ok && src != "" {
			st.Funcs[k] = src
		}
	}
	if len(s.sc.aliases) > 0 {
		st.Aliases = maps.Clone(s.sc.aliases)
	}
	if s.cwd != cleanPath(s.cfg.Dir) {
		st.Dir = s.cwd
	}
	for _, o := range []struct {
		on   bool
		flag string
	}{{s.opts.errexit, "e"}, {s.opts.nounset, "u"}, {s.opts.xtrace, "x"}, {s.opts.pipefail, "p"}} {
		if o.on {
			st.Options += o.flag
		}
	}
	st.Status = s.status
	if len(st.Vars) == 0 {
		st.Vars = nil
	}
	if len(st.Funcs) == 0 {
		st.Funcs = nil
	}
	return st
}

// SetState gives the shell a saved state back (see State).
func (s *Interactive) SetState(st State) {
	for k, v := range st.Vars {
		if validName(k) {
			s.sc.vars[k] = v
		}
	}
	for _, k := range st.Exported {
		if validName(k) {
			s.sc.exported[k] = true
		}
	}
	for _, k := range sortedKeys(st.Funcs) {
		l, err := parseScript(st.Funcs[k])
		if err != nil {
			continue
		}
		v := s.lineVM(Hooks{}, false)
		v.pushFrame(&frame{kind: fMain, prog: compileList(l)})
		v.run()
	}
	for k, v := range st.Aliases {
		if s.sc.aliases == nil {
			s.sc.aliases = map[string]string{}
		}
		s.sc.aliases[k] = v
	}
	if st.Dir != "" && strings.HasPrefix(st.Dir, "/") {
		s.cwd = cleanPath(st.Dir)
		s.sc.vars["PWD"] = s.cwd
	}
	s.status = st.Status & 255
	s.opts = options{errexit: strings.Contains(st.Options, "e"), nounset: strings.Contains(st.Options, "u"),
		xtrace: strings.Contains(st.Options, "x"), pipefail: strings.Contains(st.Options, "p")}
}
