package sh

import (
	"errors"
	"path"
	"strconv"
	"strings"
	"time"
)

// scope holds a shell's variables. A subshell runs on a copy.
type scope struct {
	vars       map[string]string
	exported   map[string]bool
	arrays     map[string][]string
	positional []string
	arg0       string
	// aliases are the shell's `alias` definitions (nil: none), kept with the variables so
	// that a subshell's do not leak out and an interactive shell's last from line to line.
	aliases map[string]string
}

func (s *scope) clone() *scope {
	c := &scope{vars: make(map[string]string, len(s.vars)), exported: make(map[string]bool, len(s.exported)), arg0: s.arg0}
	for k, v := range s.vars {
		c.vars[k] = v
	}
	for k, v := range s.exported {
		c.exported[k] = v
	}
	if len(s.arrays) > 0 {
		c.arrays = make(map[string][]string, len(s.arrays))
		for k, v := range s.arrays {
			c.arrays[k] = append([]string(nil), v...)
		}
	}
	c.positional = append([]string(nil), s.positional...)
	if len(s.aliases) > 0 {
		c.aliases = make(map[string]string, len(s.aliases))
		for k, v := range s.aliases {
			c.aliases[k] = v
		}
	}
	return c
}

type frameKind int

const (
	fMain frameKind = iota // the process's script; its end is the process's exit
	fSub                   // a subshell or nested `sh -c`: exit ends only this frame
	fFunc                  // a function call: return ends it
	fEval                  // eval and `.`: part of the caller
)

type frame struct {
	kind    frameKind
	prog    *program
	pc      int
	loops   []*loopRec
	ioDepth int
	cond    bool
	// saved state a subshell restores when it ends
	saved     *scope
	savedCwd  string
	savedOpts options
	savedTrap map[string]string
	savedSh   string
	savedPos  []string // function frames restore the caller's positional parameters
	// locals are the variables `local` shadowed in a function frame, as they were before,
	// for the function's end to put back (in the order they were first made local).
	locals []shadowedVar
}

// shadowedVar is a variable as it was before a function made it local.
type shadowedVar struct {
	name          string
	val           string
	set, exported bool
}

type loopRec struct {
	brk, cont int
	ioDepth   int
	status    int
	items     []string
	idx       int
}

type options struct{ errexit, xtrace, nounset, pipefail bool }

// budget counts the steps taken in one Run (or one Exec), shared by every nested VM.
type budget struct {
	used     int
	reported bool
	// limit and msg replace maxInstantSteps and its message (the interactive shell's).
	limit int
	msg   string
}

func (b *budget) max() int {
	if b.limit > 0 {
		return b.limit
	}
	return maxInstantSteps
}

// vm runs compiled scripts. The process's VM is resumable; child VMs (command
// substitution, pipelines, background, traps) run to completion at once.
type vm struct {
	env      Env
	fs       Files
	proc     *Process
	shell    string // "sh" or "bash": error message style
	sc       *scope
	frames   []*frame
	io       []ioFrame
	status   int
	cwd      string
	traps    map[string]string
	funcs    map[string]*program
	opts     options
	instant  bool
	budget   *budget
	depth    int
	pid      int
	lastBg   int
	execForm bool

	blocked, forever, exitAfterBlock bool
	wakeAt                           time.Time

	exited       bool
	exitCode     int
	explicitExit bool
	finishing    bool
	substStatus  int
	cache        map[command]*program // compiled pipeline stages, shared with child VMs
	lcache       map[*list]*program   // compiled command substitutions
	acache       map[string]*word     // parsed arithmetic expressions

	// The interactive shell's (Interactive): the host's commands, shared with child VMs;
	// whether a host command may make the line wait (only the line itself, not a pipeline
	// stage or a substitution); what runs between the line's top-level commands; where
	// function definitions are noted; and the condition flag of the command that waits.
	host     map[string]Builtin
	canBlock bool
	// bg is set in a background list (`cmd &`) and what it runs.
	bg          bool
	interactive bool
	hooks       *Hooks
	funcSrc     map[string]string
	blockCond   bool
	// unnamed holds the environment entries whose names no shell variable can have
	// ("1st.key" from a ConfigMap): ash and dash drop them, a program run directly (and
	// bash) passes them on.
	unnamed map[string]string
	// dash: the image's /bin/sh is dash (Debian-based images), whose echo takes no option
	// but -n and always interprets backslash escapes.
	dash bool
}

func newVM(env Env, vars map[string]string, instant bool) *vm {
	v := &vm{env: env, shell: "sh", cwd: "/", traps: map[string]string{}, funcs: map[string]*program{}, instant: instant, cache: map[command]*program{}, lcache: map[*list]*program{}, acache: map[string]*word{}}
	if f := env.FS(); f != nil {
		v.fs = f
	} else {
		v.fs = NewFS()
	}
	if d, ok := env.(DashEnv); ok {
		v.dash = d.ShIsDash()
	}
	// Sized for the environment up front: a pod's Service variables alone are a dozen.
	v.sc = &scope{vars: make(map[string]string, len(vars)+3), exported: make(map[string]bool, len(vars)+3)}
	defaults := map[string]string{
		"PATH":     "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME":     "/root",
		"HOSTNAME": env.Hostname(),
	}
	for k, val := range defaults {
		v.sc.vars[k], v.sc.exported[k] = val, true
	}
	for k, val := range vars {
		if validName(k) {
			v.sc.vars[k], v.sc.exported[k] = val, true
		} else if k != "" && !strings.Contains(k, "=") {
			if v.unnamed == nil {
				v.unnamed = map[string]string{}
			}
			v.unnamed[k] = val
		}
	}
	if wd, ok := vars["PWD"]; ok && strings.HasPrefix(wd, "/") {
		v.cwd = cleanPath(wd)
	}
	v.sc.vars["PWD"] = v.cwd
	v.sc.vars["IFS"] = " \t\n"
	v.sc.vars["PPID"] = "0"
	return v
}

// child makes a VM that runs to completion at once, sharing the filesystem and, if
// share, the variables (traps, eval'd handlers); otherwise working on a copy (subshells).
func (v *vm) child(share bool) *vm {
	c := &vm{env: v.env, fs: v.fs, proc: v.proc, shell: v.shell, dash: v.dash, unnamed: v.unnamed, cwd: v.cwd, traps: map[string]string{},
		funcs: v.funcs, opts: v.opts, instant: true, budget: v.budget,
		depth: v.depth + 1, pid: v.pid, cache: v.cache, lcache: v.lcache, acache: v.acache, status: v.status,
		host: v.host, interactive: v.interactive, bg: v.bg}
	if share {
		c.sc = v.sc
	} else {
		c.sc = v.sc.clone()
		c.funcs = make(map[string]*program, len(v.funcs))
		for k, f := range v.funcs {
			c.funcs[k] = f
		}
	}
	c.io = []ioFrame{v.cur()}
	return c
}

func (v *vm) cur() ioFrame { return v.io[len(v.io)-1] }

func (v *vm) pushFrame(f *frame) {
	if f.ioDepth == 0 {
		f.ioDepth = len(v.io)
	}
	v.frames = append(v.frames, f)
}

// run executes ops until the VM exits, blocks, or runs out of steps.
func (v *vm) run() {
	for !v.exited && !v.blocked {
		if v.budget.used >= stepsPerRun && !v.instant {
			return
		}
		if v.instant && v.budget.used >= v.budget.max() {
			if !v.budget.reported {
				v.budget.reported = true
				msg := v.budget.msg
				if msg == "" {
					msg = "sh: stopped after " + itoa(maxInstantSteps) + " steps (kubetab runs no endless loops here)"
				}
				v.errln(msg)
			}
			if v.abortTop() {
				continue
			}
			v.finish(124)
			return
		}
		if len(v.frames) == 0 {
			v.finish(v.status)
			return
		}
		f := v.frames[len(v.frames)-1]
		if f.pc >= len(f.prog.code) {
			v.popFrame()
			continue
		}
		o := &f.prog.code[f.pc]
		f.pc++
		v.budget.used++
		v.step(f, o)
	}
}

// abortTop stops the interactive shell's top-level command that used up the steps and
// goes on with the next one, as a real shell would go on after Ctrl-C stopped a runaway
// loop in a script; false when v does not run such a line (a container, a substitution).
func (v *vm) abortTop() bool {
	if !v.interactive || v.depth > 0 || len(v.frames) == 0 || v.frames[0].kind != fMain {
		return false
	}
	main := v.frames[0]
	end := -1
	for i := main.pc; i < len(main.prog.code); i++ {
		if main.prog.code[i].k == opTopEnd {
			end = i
			break
		}
	}
	if end < 0 {
		return false
	}
	for len(v.frames) > 1 {
		f := v.frames[len(v.frames)-1]
		v.frames = v.frames[:len(v.frames)-1]
		v.restore(f)
	}
	v.io = v.io[:1]
	main.loops, main.pc = nil, end
	v.status = 124
	v.budget.used, v.budget.reported = 0, false
	return true
}

// popFrame ends the top frame normally.
func (v *vm) popFrame() {
	f := v.frames[len(v.frames)-1]
	v.frames = v.frames[:len(v.frames)-1]
	v.restore(f)
	if f.kind == fMain {
		v.finish(v.status)
		return
	}
	if f.kind == fSub {
		v.errexitCheck(f.cond)
	}
}

func (v *vm) restore(f *frame) {
	if len(v.io) > f.ioDepth && f.ioDepth > 0 {
		v.io = v.io[:f.ioDepth]
	}
	switch f.kind {
	case fSub:
		v.sc, v.cwd, v.opts, v.traps, v.shell = f.saved, f.savedCwd, f.savedOpts, f.savedTrap, f.savedSh
	case fFunc:
		v.sc.positional = f.savedPos
		for _, l := range f.locals {
			delete(v.sc.vars, l.name)
			delete(v.sc.exported, l.name)
			if l.set {
				v.sc.vars[l.name] = l.val
			}
			if l.exported {
				v.sc.exported[l.name] = true
			}
		}
	}
}

// exit ends the innermost subshell, or the process.
func (v *vm) exit(code int) {
	code &= 255
	v.status = code
	for len(v.frames) > 0 {
		f := v.frames[len(v.frames)-1]
		v.frames = v.frames[:len(v.frames)-1]
		v.restore(f)
		if f.kind == fSub {
			v.status = code
			v.errexitCheck(f.cond)
			return
		}
	}
	v.explicitExit = true
	v.finish(code)
}

// finish ends the VM with code after running the EXIT trap.
func (v *vm) finish(code int) {
	if v.exited || v.finishing {
		return
	}
	v.finishing = true
	// An interactive shell's line is not the shell's exit.
	if h := v.traps["EXIT"]; h != "" && !v.instantAborted() && !v.interactive {
		delete(v.traps, "EXIT")
		if c, exited := v.runTrap(h); exited {
			code = c
		}
	}
	v.exited, v.exitCode = true, code&255
	v.frames = nil
}

func (v *vm) instantAborted() bool { return v.budget != nil && v.budget.reported }

// runTrap runs a trap handler at once on the shell's own variables. It reports whether
// the handler called exit, and with what.
func (v *vm) runTrap(h string) (int, bool) {
	l, err := parseScript(h)
	if err != nil {
		v.errln(err.(*syntaxError).text(v.shell))
		return 2, false
	}
	c := v.child(true)
	c.traps = v.traps
	c.pushFrame(&frame{kind: fMain, prog: compileList(l)})
	c.run()
	return c.exitCode, c.explicitExit
}

func (v *vm) errexitCheck(cond bool) {
	if v.opts.errexit && !cond && v.status != 0 {
		v.exit(v.status)
	}
}

func (v *vm) errln(s string) { _ = v.cur().err.write(s + "\n") }

func (v *vm) step(f *frame, o *op) {
	switch o.k {
	case opCmd:
		v.simple(f, o)
	case opPipe:
		v.runPipe(o.pipe)
		v.errexitCheck(o.cond)
	case opBg:
		c := v.child(false)
		c.bg = true
		c.pushFrame(&frame{kind: fMain, prog: v.compiled(&groupCmd{body: &list{items: []*andOr{{pipes: o.ao.pipes, ops: o.ao.ops}}}})})
		c.run()
		v.lastBg = v.pid + 10 + v.budget.used%1000
		v.status = 0
	case opSub:
		if v.depth+len(v.frames) > maxNesting {
			v.errln("sh: subshells nested too deeply")
			v.status = 2
			return
		}
		v.pushSub(o.prog, o.cond)
	case opJmp:
		f.pc = o.to
	case opJz:
		if v.status == 0 {
			f.pc = o.to
		}
	case opJnz:
		if v.status != 0 {
			f.pc = o.to
		}
	case opNot:
		if v.status == 0 {
			v.status = 1
		} else {
			v.status = 0
		}
	case opStatus:
		v.status = o.n
	case opRedirPush:
		io, ok := v.redirect(v.cur(), o.rd)
		if !ok {
			v.status = 1
			f.pc = o.to
			return
		}
		v.io = append(v.io, io)
	case opRedirPop:
		if len(v.io) > 1 {
			v.io = v.io[:len(v.io)-1]
		}
	case opLoop:
		f.loops = append(f.loops, &loopRec{brk: o.to, cont: o.cont, ioDepth: len(v.io)})
	case opForInit:
		var items []string
		if o.n == 1 {
			items = append(items, v.sc.positional...)
		} else {
			var ok bool
			if items, ok = v.expandWords(o.words); !ok {
				return
			}
		}
		f.loops = append(f.loops, &loopRec{brk: o.to, cont: o.cont, ioDepth: len(v.io), items: items})
	case opForNext:
		r := f.loops[len(f.loops)-1]
		if r.idx >= len(r.items) {
			f.pc = o.to
			return
		}
		v.setVar(o.name, r.items[r.idx])
		r.idx++
	case opBodyEnd:
		f.loops[len(f.loops)-1].status = v.status
	case opLoopDone:
		r := f.loops[len(f.loops)-1]
		f.loops = f.loops[:len(f.loops)-1]
		v.status = r.status
	case opCase:
		subject, ok := v.expandString(o.cas.subject)
		if !ok {
			return
		}
		for i, it := range o.cas.items {
			for _, pw := range it.pats {
				pat, ok := v.expandPattern(pw)
				if !ok {
					return
				}
				if globMatch(pat, subject) {
					f.pc = o.targets[i]
					return
				}
			}
		}
		f.pc = o.to
	case opFunc:
		v.funcs[o.name] = o.prog
		if v.funcSrc != nil {
			v.funcSrc[o.name] = o.text
		}
		v.status = 0
	case opTop:
		// Each top-level command has the line's bound of steps to itself.
		v.budget.used, v.budget.reported = 0, false
		if v.hooks != nil && v.hooks.Echo != nil {
			v.hooks.Echo(o.text)
		}
	case opTopEnd:
		if v.hooks != nil && v.hooks.Done != nil {
			v.hooks.Done(v.status)
		}
	}
}

func (v *vm) pushSub(prog *program, cond bool) {
	v.pushFrame(&frame{kind: fSub, prog: prog, cond: cond, saved: v.sc, savedCwd: v.cwd, savedOpts: v.opts,
		savedTrap: v.traps, savedSh: v.shell, ioDepth: len(v.io)})
	v.sc = v.sc.clone()
	traps := map[string]string{}
	for k, h := range v.traps {
		if h == "" { // ignored signals stay ignored in subshells
			traps[k] = h
		}
	}
	v.traps = traps
}

// compiled returns cmd compiled once.
func (v *vm) compiled(cmd command) *program {
	if p, ok := v.cache[cmd]; ok {
		return p
	}
	p := compileCommand(cmd)
	v.cache[cmd] = p
	return p
}

// runPipe runs each stage in turn on the previous stage's output. Stages run to
// completion at once, so a sleep inside a pipeline takes no virtual time.
func (v *vm) runPipe(pl *pipeline) {
	io := v.cur()
	in := io.in
	status, failed := 0, 0
	for i, cmd := range pl.cmds {
		c := v.child(false)
		c.io = []ioFrame{{out: io.out, err: io.err, in: in}}
		var buf *bufSink
		if i < len(pl.cmds)-1 {
			buf = &bufSink{max: MaxValueBytes}
			c.io[0].out = buf
		}
		c.pushFrame(&frame{kind: fMain, prog: v.compiled(cmd)})
		c.run()
		status = c.exitCode
		if status != 0 {
			failed = status
		}
		if buf != nil {
			in = &input{data: buf.b.String()}
		}
	}
	v.status = status
	if v.opts.pipefail {
		v.status = failed
	}
}

// simple runs one simple command.
func (v *vm) simple(f *frame, o *op) {
	cmd := o.cmd
	v.substStatus = 0
	args, ok := v.expandWords(cmd.words)
	if !ok {
		return
	}
	if len(args) == 0 {
		// Assignments and redirections only.
		for _, a := range cmd.assigns {
			if !v.assign(a) {
				return
			}
		}
		if len(cmd.rd) > 0 {
			if _, ok := v.redirect(v.cur(), cmd.rd); !ok {
				v.status = 1
				return
			}
		}
		v.status = v.substStatus
		return
	}
	if len(v.sc.aliases) > 0 {
		if lit, isLit := cmd.words[0].lit(); isLit && lit == args[0] {
			if args, ok = v.expandAlias(args); !ok {
				return
			}
		}
	}
	name := args[0]
	if v.opts.xtrace {
		v.errln("+ " + strings.Join(args, " "))
	}
	// Prefix assignments: for special builtins and functions they stay; for programs
	// they are only in the program's environment.
	_, isFunc := v.funcs[name]
	spec, isCmd := commands[name]
	special := specialBuiltins[name]
	var extra map[string]string
	for _, a := range cmd.assigns {
		if special || isFunc {
			if !v.assign(a) {
				return
			}
			continue
		}
		val, ok := v.expandString(a.value)
		if !ok {
			return
		}
		if extra == nil {
			extra = map[string]string{}
		}
		extra[a.name] = val
	}
	io := v.cur()
	if len(cmd.rd) > 0 {
		var ok bool
		if io, ok = v.redirect(io, cmd.rd); !ok {
			v.status = 1
			v.errexitCheck(o.cond)
			return
		}
	}
	switch {
	case special:
		v.special(f, o, args, io, extra)
		return
	case isFunc:
		if v.depth+len(v.frames) > maxNesting {
			v.errln(v.shell + ": " + name + ": function calls nested too deeply")
			v.status = 2
			return
		}
		depth := len(v.io)
		v.io = append(v.io, io)
		v.pushFrame(&frame{kind: fFunc, prog: v.funcs[name], ioDepth: depth, savedPos: v.sc.positional, cond: o.cond})
		v.sc.positional = args[1:]
		return
	}
	if fn, ok := v.host[name]; ok {
		c := &cmdCtx{v: v, args: args, io: io, extra: extra}
		v.status = fn(&Call{c: c}) & 255
		if c.blocked && v.canBlock {
			v.blocked, v.forever, v.blockCond = true, true, o.cond
			return
		}
		v.errexitCheck(o.cond)
		return
	}
	base := name
	if strings.Contains(name, "/") {
		base = path.Base(name)
		if c, ok := commands[base]; ok && c.applet {
			spec, isCmd = c, true
		} else {
			isCmd = false
		}
	}
	if base == "sh" || base == "bash" || base == "ash" || base == "dash" {
		v.nestedShell(base, args, io, o.cond)
		return
	}
	if !isCmd {
		if v.shell == "bash" {
			v.errOn(io, "bash: line 1: "+name+": command not found")
		} else {
			v.errOn(io, "sh: "+name+": not found")
		}
		v.status = 127
		v.errexitCheck(o.cond)
		return
	}
	c := &cmdCtx{v: v, args: args, io: io, extra: extra}
	v.status = spec.fn(c) & 255
	if c.blocked && !v.instant {
		v.blocked, v.forever = true, c.forever
		v.wakeAt = v.env.Now().Add(c.sleep)
	}
	v.errexitCheck(o.cond)
}

func (v *vm) errOn(io ioFrame, s string) { _ = io.err.write(s + "\n") }

// nestedShell runs `sh -c ...` inside the script as a subshell frame, so its sleeps
// suspend the process like the script's own.
func (v *vm) nestedShell(name string, args []string, io ioFrame, cond bool) {
	if v.depth+len(v.frames) > maxNesting {
		v.errOn(io, "sh: shells nested too deeply")
		v.status = 2
		return
	}
	depth := len(v.io)
	v.io = append(v.io, io)
	v.pushSub(&program{}, cond)
	f := v.frames[len(v.frames)-1]
	f.ioDepth = depth
	if name == "bash" {
		v.shell = "bash"
	} else {
		v.shell = "sh"
	}
	v.opts = options{}
	script, rest, errMsg, code := v.shellArgs(args[1:])
	v.sc.arg0, v.sc.positional = name, nil
	if len(rest) > 0 {
		v.sc.arg0, v.sc.positional = rest[0], rest[1:]
	}
	if errMsg != "" {
		v.errOn(io, errMsg)
		v.exit(code)
		return
	}
	l, err := parseScript(script)
	if err != nil {
		v.errOn(io, err.(*syntaxError).text(v.shell))
		v.exit(2)
		return
	}
	f.prog = compileList(l)
}

func (v *vm) assign(a assign) bool {
	if a.isArr {
		vals, ok := v.expandWords(a.array)
		if !ok {
			return false
		}
		if v.sc.arrays == nil {
			v.sc.arrays = map[string][]string{}
		}
		v.sc.arrays[a.name] = vals
		delete(v.sc.vars, a.name)
		return true
	}
	val, ok := v.expandString(a.value)
	if !ok {
		return false
	}
	v.setVar(a.name, val)
	return true
}

// shellQuote quotes a value for the shell to read back, as `export` and `alias` print it.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// expandAlias replaces a command's name by its alias, words and all (`alias k=kubectl`,
// `alias kgp='kubectl get pods'`), again while the new name is an alias of another name.
// kubetab expands an alias of one simple command: a value with a pipe, a list or a
// redirection is refused, saying so.
func (v *vm) expandAlias(args []string) ([]string, bool) {
	seen := map[string]bool{}
	for {
		val, ok := v.sc.aliases[args[0]]
		if !ok || seen[args[0]] {
			return args, true
		}
		seen[args[0]] = true
		l, err := parseScript(val)
		var sc *simpleCmd
		if err == nil && len(l.items) == 1 && len(l.items[0].pipes) == 1 && len(l.items[0].pipes[0].cmds) == 1 {
			sc, _ = l.items[0].pipes[0].cmds[0].(*simpleCmd)
		}
		if sc == nil || len(sc.assigns) > 0 || len(sc.rd) > 0 || len(sc.words) == 0 {
			v.errln(v.shell + ": " + args[0] + ": kubetab expands an alias of one simple command only")
			v.status = 2
			return nil, false
		}
		words, ok := v.expandWords(sc.words)
		if !ok {
			return nil, false
		}
		if len(words) == 0 {
			return args, true
		}
		args = append(words, args[1:]...)
	}
}

// shadow makes a variable local to the innermost function running: its value and export
// as they are now come back when the function returns (the value stays until assigned, as
// in ash and dash). Outside a function it does nothing.
func (v *vm) shadow(name string) {
	for i := len(v.frames) - 1; i >= 0; i-- {
		f := v.frames[i]
		if f.kind != fFunc {
			continue
		}
		for _, l := range f.locals {
			if l.name == name {
				return
			}
		}
		val, set := v.sc.vars[name]
		f.locals = append(f.locals, shadowedVar{name: name, val: val, set: set, exported: v.sc.exported[name]})
		return
	}
}

func (v *vm) setVar(name, val string) {
	if len(val) > MaxValueBytes {
		val = val[:MaxValueBytes]
	}
	if v.sc.arrays != nil {
		delete(v.sc.arrays, name)
	}
	v.sc.vars[name] = val
}

// abs makes p absolute against the working directory.
func (v *vm) abs(p string) string {
	if strings.HasPrefix(p, "/") {
		return cleanPath(p)
	}
	return cleanPath(v.cwd + "/" + p)
}

// special runs the builtins that change the shell itself.
func (v *vm) special(f *frame, o *op, args []string, io ioFrame, extra map[string]string) {
	name := args[0]
	c := &cmdCtx{v: v, args: args, io: io}
	switch name {
	case "break", "continue":
		n := 1
		if len(args) > 1 {
			var err error
			if n, err = strconv.Atoi(args[1]); err != nil || n < 1 {
				c.errf("%s: %s: Illegal number: %s", v.shell, name, args[1])
				v.exit(2)
				return
			}
		}
		if len(f.loops) == 0 {
			v.status = 0
			return
		}
		if n > len(f.loops) {
			n = len(f.loops)
		}
		f.loops = f.loops[:len(f.loops)-n+1]
		r := f.loops[len(f.loops)-1]
		v.io = v.io[:r.ioDepth]
		if name == "break" {
			r.status = 0
			f.pc = r.brk
		} else {
			f.pc = r.cont
		}
		v.status = 0
	case "exit":
		code := v.status
		if len(args) > 1 {
			n, err := strconv.Atoi(args[1])
			if err != nil {
				c.errf("%s: exit: Illegal number: %s", v.shell, args[1])
				n = 2
			}
			code = n
		}
		v.exit(code)
	case "return":
		code := v.status
		if len(args) > 1 {
			if n, err := strconv.Atoi(args[1]); err == nil {
				code = n
			}
		}
		for i := len(v.frames) - 1; i >= 0; i-- {
			if v.frames[i].kind == fFunc {
				for len(v.frames) > i {
					fr := v.frames[len(v.frames)-1]
					v.frames = v.frames[:len(v.frames)-1]
					v.restore(fr)
				}
				v.status = code & 255
				return
			}
			if v.frames[i].kind != fEval {
				break
			}
		}
		v.exit(code)
	case "exec":
		if len(args) == 1 {
			// exec >file: the redirections stay for the rest of the shell.
			v.io[len(v.io)-1] = io
			for _, fr := range v.frames {
				if fr.ioDepth > len(v.io) {
					fr.ioDepth = len(v.io)
				}
			}
			v.status = 0
			return
		}
		inner := &op{k: opCmd, cond: true, cmd: &simpleCmd{}}
		for _, a := range args[1:] {
			inner.cmd.words = append(inner.cmd.words, &word{parts: []part{{kind: pLit, text: a, quoted: true}}})
		}
		v.simple(f, inner)
		if v.blocked {
			v.exitAfterBlock = true
			return
		}
		if len(v.frames) > 0 && v.frames[len(v.frames)-1] != f {
			// exec'd a function or shell: it runs, then this shell is done.
			v.frames[len(v.frames)-1].kind = fSub
			f.pc = len(f.prog.code)
			return
		}
		v.exit(v.status)
	case "eval", ".", "source":
		script := strings.Join(args[1:], " ")
		if name != "eval" {
			if len(args) < 2 {
				v.status = 0
				return
			}
			data, err := v.fs.ReadFile(v.abs(args[1]))
			if err != nil {
				c.errf("%s: .: can't open '%s': %s", v.shell, args[1], errText(err))
				v.exit(2)
				return
			}
			script = data
		}
		l, err := parseScript(script)
		if err != nil {
			v.errOn(io, err.(*syntaxError).text(v.shell))
			v.status = 2
			return
		}
		if v.depth+len(v.frames) > maxNesting {
			v.errOn(io, "sh: eval nested too deeply")
			v.status = 2
			return
		}
		depth := len(v.io)
		v.io = append(v.io, io)
		v.status = 0
		v.pushFrame(&frame{kind: fEval, prog: compileList(l), ioDepth: depth})
	case "set":
		v.status = v.setBuiltin(c)
	case "shift":
		n := 1
		if len(args) > 1 {
			n, _ = strconv.Atoi(args[1])
		}
		if n < 0 || n > len(v.sc.positional) {
			c.errf("%s: shift: can't shift that many", v.shell)
			v.status = 1
			return
		}
		v.sc.positional = v.sc.positional[n:]
		v.status = 0
	case "export", "readonly", "local":
		for _, a := range args[1:] {
			if a == "-p" || a == "-n" {
				continue
			}
			k, val, hasVal := strings.Cut(a, "=")
			if !validName(k) {
				c.errf("%s: %s: bad variable name", v.shell, name)
				v.status = 1
				return
			}
			if name == "local" {
				v.shadow(k)
			}
			if hasVal {
				v.setVar(k, val)
			}
			if name == "export" {
				v.sc.exported[k] = true
			}
		}
		if len(args) == 1 && name == "export" {
			for _, k := range sortedKeys(v.sc.exported) {
				if val, ok := v.sc.vars[k]; ok {
					c.out("export " + k + "=" + shellQuote(val) + "\n")
				}
			}
		}
		v.status = 0
	case "unset":
		for _, a := range args[1:] {
			if a == "-v" || a == "-f" {
				continue
			}
			delete(v.sc.vars, a)
			delete(v.sc.exported, a)
			delete(v.sc.arrays, a)
			delete(v.funcs, a)
			delete(v.funcSrc, a)
		}
		v.status = 0
	case "alias":
		v.status = 0
		if len(args) == 1 {
			for _, k := range sortedKeys(v.sc.aliases) {
				c.out(k + "=" + shellQuote(v.sc.aliases[k]) + "\n")
			}
		}
		for _, a := range args[1:] {
			k, val, isDef := strings.Cut(a, "=")
			switch {
			case !isDef:
				if val, ok := v.sc.aliases[k]; ok {
					c.out(k + "=" + shellQuote(val) + "\n")
				} else {
					c.errf("%s: alias: %s not found", v.shell, k)
					v.status = 1
				}
			case k == "" || strings.ContainsAny(k, " \t\n/$`'\"=\\"):
				c.errf("%s: alias: %s: invalid alias name", v.shell, k)
				v.status = 1
			default:
				if v.sc.aliases == nil {
					v.sc.aliases = map[string]string{}
				}
				v.sc.aliases[k] = val
			}
		}
	case "unalias":
		v.status = 0
		for _, a := range args[1:] {
			if a == "-a" {
				v.sc.aliases = nil
				continue
			}
			if _, ok := v.sc.aliases[a]; !ok {
				c.errf("%s: unalias: %s not found", v.shell, a)
				v.status = 1
			}
			delete(v.sc.aliases, a)
		}
	case "trap":
		v.status = v.trapBuiltin(c)
	case "cd":
		dir := v.sc.vars["HOME"]
		if len(args) > 1 {
			dir = args[1]
		}
		if dir == "-" {
			dir = v.sc.vars["OLDPWD"]
		}
		st, err := v.fs.Stat(v.abs(dir))
		if err == nil && !st.IsDir {
			err = ErrNotDir
		}
		if err != nil {
			if v.shell == "bash" {
				c.errf("bash: cd: %s: %s", dir, errText(err))
			} else {
				c.errf("sh: cd: can't cd to %s: %s", dir, errText(err))
			}
			v.status = 1
			return
		}
		v.sc.vars["OLDPWD"] = v.cwd
		v.cwd = v.abs(dir)
		v.sc.vars["PWD"] = v.cwd
		v.status = 0
	case "read":
		v.status = v.readBuiltin(c)
	case "wait":
		// The host's jobs are its own (a terminal's `kubectl get -w &`): it waits for them.
		v.status = 0
		if fn, ok := v.host["wait"]; ok {
			v.status = fn(&Call{c: c}) & 255
		}
	case ":fail":
		v.errOn(io, args[1])
		code, _ := strconv.Atoi(args[2])
		v.exit(code)
	}
	switch name {
	case "break", "continue", "exit", "return", "exec", "eval", ".", "source", ":fail":
		// These move control themselves; their status is not a failure to act on.
	default:
		v.errexitCheck(o.cond)
	}
}

var specialBuiltins = map[string]bool{
	"break": true, "continue": true, "exit": true, "return": true, "exec": true, "eval": true,
	".": true, "source": true, "set": true, "shift": true, "export": true, "readonly": true,
	"local": true, "unset": true, "trap": true, "cd": true, "read": true, "wait": true, ":fail": true,
	"alias": true, "unalias": true,
}

func (v *vm) setFlag(f byte, on bool) {
	switch f {
	case 'e':
		v.opts.errexit = on
	case 'x':
		v.opts.xtrace = on
	case 'u':
		v.opts.nounset = on
	}
}

func (v *vm) setOption(name string, on bool) {
	switch name {
	case "errexit":
		v.opts.errexit = on
	case "xtrace":
		v.opts.xtrace = on
	case "nounset":
		v.opts.nounset = on
	case "pipefail":
		v.opts.pipefail = on
	}
}

func (v *vm) setBuiltin(c *cmdCtx) int {
	args := c.args[1:]
	if len(args) == 0 {
		for _, k := range sortedKeys(v.sc.vars) {
			c.out(k + "='" + v.sc.vars[k] + "'\n")
		}
		return 0
	}
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			v.sc.positional = append([]string(nil), args[1:]...)
			return 0
		}
		if len(a) < 2 || (a[0] != '-' && a[0] != '+') {
			v.sc.positional = append([]string(nil), args...)
			return 0
		}
		args = args[1:]
		if a[1:] == "o" {
			if len(args) > 0 {
				v.setOption(args[0], a[0] == '-')
				args = args[1:]
			}
			continue
		}
		for i := 1; i < len(a); i++ {
			if strings.IndexByte("exuvf", a[i]) < 0 {
				c.errf("%s: set: illegal option -%c", v.shell, a[i])
				return 2
			}
			v.setFlag(a[i], a[0] == '-')
		}
	}
	return 0
}

var signalNames = map[string]string{
	"0": "EXIT", "EXIT": "EXIT", "1": "HUP", "HUP": "HUP", "SIGHUP": "HUP", "2": "INT", "INT": "INT", "SIGINT": "INT",
	"15": "TERM", "TERM": "TERM", "SIGTERM": "TERM", "3": "QUIT", "QUIT": "QUIT", "SIGQUIT": "QUIT",
	"10": "USR1", "USR1": "USR1", "SIGUSR1": "USR1", "12": "USR2", "USR2": "USR2", "SIGUSR2": "USR2",
	"9": "KILL", "KILL": "KILL", "SIGKILL": "KILL",
}

func (v *vm) trapBuiltin(c *cmdCtx) int {
	args := c.args[1:]
	if len(args) == 0 {
		for _, k := range sortedKeys(v.traps) {
			c.out("trap -- '" + v.traps[k] + "' " + k + "\n")
		}
		return 0
	}
	if len(args) == 1 {
		if _, isSig := signalNames[strings.ToUpper(args[0])]; isSig {
			args = append([]string{"-"}, args...)
		} else {
			return 0
		}
	}
	handler := args[0]
	for _, s := range args[1:] {
		n, ok := signalNames[strings.ToUpper(s)]
		if !ok {
			c.errf("%s: trap: %s: bad trap", v.shell, s)
			return 1
		}
		if handler == "-" {
			delete(v.traps, n)
		} else {
			v.traps[n] = handler
		}
	}
	return 0
}

func (v *vm) readBuiltin(c *cmdCtx) int {
	names := []string{}
	raw := false
	for _, a := range c.args[1:] {
		switch {
		case a == "-r":
			raw = true
		case strings.HasPrefix(a, "-"):
		default:
			names = append(names, a)
		}
	}
	if len(names) == 0 {
		names = []string{"REPLY"}
	}
	line, ok := c.io.in.readLine()
	if !raw {
		line = strings.ReplaceAll(line, "\\", "")
	}
	fields := strings.Fields(line)
	for i, n := range names {
		val := ""
		if i < len(fields) {
			val = fields[i]
			if i == len(names)-1 {
				val = strings.Join(fields[i:], " ")
			}
		}
		if len(names) == 1 {
			val = strings.Trim(line, " \t")
		}
		v.setVar(n, val)
	}
	if !ok {
		return 1
	}
	return 0
}

// exported is the environment a program sees.
func (v *vm) exported(extra map[string]string) map[string]string {
	m := map[string]string{}
	for k := range v.sc.exported {
		if val, ok := v.sc.vars[k]; ok {
			m[k] = val
		}
	}
	if v.execForm || v.shell == "bash" {
		for k, val := range v.unnamed {
			m[k] = val
		}
	}
	for k, val := range extra {
		m[k] = val
	}
	return m
}

var errFull = errors.New("output full")

// The step limits in force; the fuzz test lowers them to try more inputs per second.
var (
	stepsPerRun     = StepsPerRun
	maxInstantSteps = MaxInstantSteps
)

func itoa(n int) string { return strconv.Itoa(n) }
