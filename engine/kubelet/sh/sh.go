package sh

import (
	"errors"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
)

// Env is what the kubelet supplies to one container's processes.
type Env interface {
	// Now is the virtual time.
	Now() time.Time
	// Hostname is the pod name.
	Hostname() string
	// FS is the container's filesystem.
	FS() *FS
	// HTTPGet fetches url for curl and wget from the address ip, which the shell resolved
	// the URL's host to. A failure to connect should wrap ErrConnectionRefused or
	// ErrTimeout so the commands print their own messages; any other error is printed as
	// it is.
	HTTPGet(url, ip string) (status int, body string, err error)
	// QueryDNS asks the name server at server one question (qtype A, AAAA, CNAME or PTR).
	// An unreachable server is an error wrapping ErrTimeout.
	QueryDNS(server, name, qtype string) (DNSAnswer, error)
}

// DashEnv may be implemented by an Env whose image has dash as /bin/sh (Debian and Ubuntu
// based images): `sh` then echoes as dash does. Busybox images have ash.
type DashEnv interface {
	ShIsDash() bool
}

// Errors an Env's HTTPGet wraps to say why a request failed.
var (
	ErrConnectionRefused = errors.New("connection refused")
	ErrUnknownHost       = errors.New("unknown host")
	ErrTimeout           = errors.New("timeout")
)

// Signal is a signal the kubelet sends to a container's main process.
type Signal int

// The signals the kubelet sends.
const (
	SIGINT  Signal = 2
	SIGKILL Signal = 9
	SIGTERM Signal = 15
)

// Line is one line a process wrote, without its newline.
type Line struct {
	Text   string
	Stderr bool
	At     time.Time
}

// Result says what a process did in one Run.
type Result struct {
	// Exited: the process ended with ExitCode.
	Exited   bool
	ExitCode int
	// WakeAt: the process is blocked (in `sleep`) and wants Run called again at this
	// instant. A zero WakeAt with Exited false means it sleeps forever (`sleep infinity`,
	// `tail -f`) and only a signal ends it.
	WakeAt time.Time
	// StartError is set when the container could not start at all (exec form naming an
	// unknown program); ExitCode is then 128, as the runtime reports for StartError.
	StartError string
}

// Limits that keep a runaway script from hanging or flooding the engine.
const (
	// StepsPerRun is how many shell steps Run executes before it treats the process as
	// busy: it returns WakeAt = Now()+1ms, doubling for each consecutive busy Run up to 1 s.
	StepsPerRun = 100_000
	// MaxInstantSteps bounds work that cannot be suspended: Exec, command substitutions,
	// pipelines and background commands. Past it they are stopped with status 124.
	MaxInstantSteps = 1_000_000
	// MaxPendingLines is how many output lines a Process keeps between Output calls; later
	// lines are dropped and counted in a note.
	MaxPendingLines = 10_000
	// MaxLineBytes is the longest line kept; longer lines are cut.
	MaxLineBytes = 64 << 10
	// MaxValueBytes bounds one variable, word or captured output.
	MaxValueBytes = 1 << 20
)

// Process is one running container command.
type Process struct {
	v        *vm
	res      Result
	done     bool
	pending  []Line
	dropped  int
	partial  [2]strings.Builder
	startErr string
	busy     int // consecutive Runs that ended out of steps
}

// Start prepares argv (the container's resolved command and args) to run. vars is the
// container's environment. Nothing runs until Run. An exec-form argv naming no known
// program gives a Process whose first Run reports a StartError.
func Start(argv []string, vars map[string]string, env Env) *Process {
	p := &Process{}
	v := newVM(env, vars, false)
	v.proc = p
	v.pid = 1
	out := ioFrame{out: &procSink{p: p}, err: &procSink{p: p, stderr: true}, in: &input{}}
	v.io = []ioFrame{out}
	if msg := v.load(argv); msg != "" {
		p.startErr = msg
	}
	p.v = v
	return p
}

// Run runs the process until it blocks in sleep, exits, or has used StepsPerRun steps.
// Calling it before the wake time returns the same WakeAt; after exit it returns the exit.
func (p *Process) Run() Result {
	if p.done {
		return p.res
	}
	if p.startErr != "" {
		return p.end(128, p.startErr)
	}
	v := p.v
	if v.blocked {
		if v.forever {
			return Result{}
		}
		if v.env.Now().Before(v.wakeAt) {
			return Result{WakeAt: v.wakeAt}
		}
		v.blocked = false
		if v.exitAfterBlock {
			v.exit(v.status)
		}
	}
	v.budget = &budget{}
	v.run()
	if v.blocked || v.exited {
		p.busy = 0
	}
	switch {
	case v.exited:
		return p.end(v.exitCode, "")
	case v.blocked && v.forever:
		return Result{}
	case v.blocked:
		return Result{WakeAt: v.wakeAt}
	}
	// Out of steps: a busy loop. Each further busy slice counts as twice the time of the
	// one before (1 ms, 2 ms, ... up to 1 s), so fast-forwarding past a runaway script
	// costs a bounded amount of real work per virtual second.
	d := time.Millisecond << min(p.busy, 10)
	if d > time.Second {
		d = time.Second
	}
	p.busy++
	return Result{WakeAt: v.env.Now().Add(d)}
}

func (p *Process) end(code int, startErr string) Result {
	p.flush()
	p.done = true
	p.res = Result{Exited: true, ExitCode: code, StartError: startErr}
	return p.res
}

// Output returns the lines written since the last call, stdout and stderr interleaved in
// the order written. A partial last line stays pending until its newline or the exit.
func (p *Process) Output() []Line {
	out := p.pending
	if p.dropped > 0 {
		at := time.Time{}
		if p.v != nil {
			at = p.v.env.Now()
		}
		out = append(out, Line{Text: "kubetab: " + itoa(p.dropped) + " lines dropped (more than " + itoa(MaxPendingLines) + " lines at once)", Stderr: true, At: at})
		p.dropped = 0
	}
	p.pending = nil
	return out
}

// Exited reports whether the process has ended, and how.
func (p *Process) Exited() (bool, int) { return p.done, p.res.ExitCode }

// Signal delivers sig. The shell runs as PID 1, so without a `trap` for it SIGTERM (and
// SIGINT) are ignored: Signal returns false. With `trap 'cmd' TERM` the handler runs at
// once (taking no virtual time) and the process exits 143 (128+15) unless the handler
// calls `exit N`; `trap ” TERM` ignores the signal. SIGKILL always ends it with 137.
func (p *Process) Signal(sig Signal) (terminated bool, exitCode int) {
	if p.done {
		return true, p.res.ExitCode
	}
	v := p.v
	switch sig {
	case SIGKILL:
		p.end(137, "")
		return true, 137
	case SIGTERM, SIGINT:
		name := "TERM"
		if sig == SIGINT {
			name = "INT"
		}
		h, ok := v.traps[name]
		if p.startErr != "" || !ok || h == "" {
			return false, 0
		}
		code := 128 + int(sig)
		v.budget = &budget{}
		if c, exited := v.runTrap(h); exited {
			code = c
		}
		v.finish(code)
		p.end(v.exitCode, "")
		return true, p.res.ExitCode
	}
	return false, 0
}

// Exec runs argv to completion at once, as exec probes do, and returns everything it wrote
// to stdout and stderr (in order, as a probe's combined output) and its exit status.
// Exec'd commands take no virtual time: a `sleep` inside returns immediately. Work beyond
// MaxInstantSteps is stopped with exit code 124. An argv naming no known program returns
// the runtime's message and 127.
func Exec(argv []string, vars map[string]string, env Env) (output string, exitCode int) {
	buf := &bufSink{max: MaxValueBytes}
	exitCode = execTo(argv, vars, env, buf, buf)
	return buf.b.String(), exitCode
}

// ExecStreams runs argv as Exec does, with its standard output and errors apart, as
// `kubectl exec` passes them on (`2>/dev/null` on kubectl's side hides the container's
// errors). The runtime's message for a program the image lacks is on stderr.
func ExecStreams(argv []string, vars map[string]string, env Env) (stdout, stderr string, exitCode int) {
	out, errOut := &bufSink{max: MaxValueBytes}, &bufSink{max: MaxValueBytes}
	code := execTo(argv, vars, env, out, errOut)
	return out.b.String(), errOut.b.String(), code
}

func execTo(argv []string, vars map[string]string, env Env, out, errOut sink) int {
	v := newVM(env, vars, true)
	v.pid = 100
	v.io = []ioFrame{{out: out, err: errOut, in: &input{}}}
	if msg := v.load(argv); msg != "" {
		errOut.write("OCI runtime exec failed: exec failed: unable to start container process: " + msg + ": unknown\n")
		return 127
	}
	v.budget = &budget{}
	v.run()
	if !v.exited {
		v.finish(124)
	}
	return v.exitCode
}

// load prepares the VM to run argv; it returns a start error message for an exec-form
// command that names no known program.
func (v *vm) load(argv []string) string {
	if msg := StartError(argv); msg != "" {
		return msg
	}
	name := path.Base(argv[0])
	switch name {
	case "sh", "ash", "bash", "dash":
		v.startShell(name, argv)
		return ""
	}
	// Exec form: run the program directly, words are not expanded.
	cmd := &simpleCmd{}
	for _, a := range argv {
		cmd.words = append(cmd.words, &word{parts: []part{{kind: pLit, text: a, quoted: true}}})
	}
	v.pushFrame(&frame{kind: fMain, prog: &program{code: []op{{k: opCmd, cmd: cmd}}}})
	v.execForm = true
	return ""
}

// startShell handles `sh [-eux] -c SCRIPT [ARG0 ARGS...]` and `sh FILE [ARGS...]`.
func (v *vm) startShell(name string, argv []string) {
	if name == "bash" {
		v.shell = "bash"
	}
	script, args, errMsg, code := v.shellArgs(argv[1:])
	v.sc.arg0 = name
	if len(args) > 0 {
		v.sc.arg0, v.sc.positional = args[0], args[1:]
	}
	prog := &program{}
	if errMsg != "" {
		prog.code = []op{{k: opCmd, cmd: errorCmd(errMsg, code)}}
	} else if cached := v.scripts().get(script); cached != nil {
		prog = cached
	} else if l, err := parseScript(script); err != nil {
		prog.code = []op{{k: opCmd, cmd: errorCmd(err.(*syntaxError).text(v.shell), 2)}}
	} else {
		prog = compileList(l)
		v.scripts().put(script, prog)
	}
	v.pushFrame(&frame{kind: fMain, prog: prog})
}

// Scripts keeps compiled scripts by their text, for an Env that starts the same scripts
// again and again (every pod of a CronJob runs one script). A run never changes a compiled
// program, so one serves every process. An Env offers its Scripts through ScriptCache.
type Scripts struct{ progs map[string]*program }

// ScriptCache is implemented by an Env that keeps compiled scripts between processes.
type ScriptCache interface{ Scripts() *Scripts }

// maxScripts bounds a Scripts; past it the cache starts over.
const maxScripts = 256

func (v *vm) scripts() *Scripts {
	if c, ok := v.env.(ScriptCache); ok {
		return c.Scripts()
	}
	return nil
}

func (c *Scripts) get(script string) *program {
	if c == nil {
		return nil
	}
	return c.progs[script]
}

func (c *Scripts) put(script string, p *program) {
	if c == nil {
		return
	}
	if c.progs == nil || len(c.progs) >= maxScripts {
		c.progs = map[string]*program{}
	}
	c.progs[script] = p
}

// shellArgs reads a shell's options. It returns the script and the arguments that become
// $0, $1...; or an error message and status.
func (v *vm) shellArgs(args []string) (script string, rest []string, errMsg string, code int) {
	cmdMode := false
	for len(args) > 0 && len(args[0]) > 1 && (args[0][0] == '-' || args[0][0] == '+') {
		a := args[0]
		args = args[1:]
		if a == "--" || a == "-" {
			break
		}
		if a == "-o" || a == "+o" {
			if len(args) > 0 {
				v.setOption(args[0], a[0] == '-')
				args = args[1:]
			}
			continue
		}
		for _, f := range a[1:] {
			switch f {
			case 'c':
				cmdMode = true
			case 'e', 'x', 'u':
				v.setFlag(byte(f), a[0] == '-')
			case 'l', 'i', 's':
			default:
				if v.shell == "bash" {
					return "", nil, "bash: " + a + ": invalid option", 2
				}
				return "", nil, "sh: illegal option -" + string(f), 2
			}
		}
	}
	if cmdMode {
		if len(args) == 0 {
			if v.shell == "bash" {
				return "", nil, "bash: -c: option requires an argument", 2
			}
			return "", nil, "sh: -c requires an argument", 2
		}
		return args[0], args[1:], "", 0
	}
	if len(args) == 0 {
		return "", nil, "", 0 // reads stdin, which is empty
	}
	data, err := v.fs.ReadFile(v.abs(args[0]))
	if err != nil {
		if v.shell == "bash" {
			return "", nil, "bash: " + args[0] + ": " + errText(err), 127
		}
		return "", nil, "sh: can't open '" + args[0] + "': " + errText(err), 2
	}
	return data, args, "", 0
}

// errorCmd is a command that prints msg to stderr and exits with code.
func errorCmd(msg string, code int) *simpleCmd {
	lit := func(s string) *word { return &word{parts: []part{{kind: pLit, text: s, quoted: true}}} }
	return &simpleCmd{words: []*word{lit(":fail"), lit(msg), lit(itoa(code))}}
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	// slices.Sorted(maps.Keys): instances the wasm has already, not a loop per package and
	// value type.
	return slices.Sorted(maps.Keys(m))
}
