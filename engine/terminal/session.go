package terminal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/examples"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/sim"
)

// EngineVersion names the engine that writes a journal. Change it when a release makes
// the same commands produce a different cluster, so that a replay can say why it differs.
const EngineVersion = "0.2.0"

// MaxAdvance bounds one `kubetab advance`: a year of virtual time is already far more than
// any lesson needs, and a bigger jump could keep the tab busy for minutes.
const MaxAdvance = 366 * 24 * time.Hour

// Exit statuses besides 0 and kubectl's 1.
const (
	ExitUsage    = 2   // a malformed command line, as shells and flag parsers use it
	ExitNotFound = 127 // no such command, as in a POSIX shell
)

// Options shape a Session.
type Options struct {
	// Seed and Start shape the cluster (zero Start: cluster.DefaultStart).
	Seed  uint64
	Start time.Time
	// ReadFile reads a workspace file (`kubectl apply -f x.yaml`, `cat x.yaml`), by its
	// path relative to the workspace; nil: no files.
	ReadFile func(path string) ([]byte, error)
	// ListDir lists the entries of a workspace directory (`kubectl apply -f dir/`, `ls`);
	// nil: unsupported.
	ListDir func(path string) ([]string, error)
	// WriteFile creates or replaces a workspace file (`> web.yaml`, `tee`, `cp`); nil:
	// files cannot be written.
	WriteFile func(path string, data []byte) error
	// RemoveFile removes a workspace file (`rm`); nil: files cannot be removed.
	RemoveFile func(path string) error
	// Edit lets the user change a text (`kubectl edit`); nil: no editor.
	Edit func(name, text string) (string, error)
	// Strict runs kubectl in strict mode (kubectl.Cluster.Strict): exactly what a real
	// cluster does, for docs authors. The journal records each command's mode, so a replay
	// answers as the first run did whatever the mode is then.
	Strict bool
	// Examples reads the bundled example manifests that URLs of the docs and the book name
	// (`kubectl apply -f https://k8s.io/examples/...`, wget, curl); nil: such URLs fail as
	// offline. What a command read is journaled, so a replay does not need it.
	Examples examples.Bundle
	// Advance, when set, moves virtual time for `kubetab advance` and `sleep` in its own
	// way, calling Session.Advance (the browser's fast-forward gives the page turns in
	// between); nil: Session.Advance at once. A replay never calls it.
	Advance func(d time.Duration) error
}

// Bounds of one top-level command of the terminal language: its steps (kubectl, kubetab
// and sleep cost hostCommandSteps each), and the message it is stopped with there (with
// status 124; the line goes on with its next command). An endless loop ends instead of
// freezing the tab.
const (
	MaxCommandSteps  = sh.MaxInstantSteps
	hostCommandSteps = 1000
)

var lineLimitMessage = fmt.Sprintf("sh: stopped after %d steps: kubetab bounds the work of one command (an endless loop?)", MaxCommandSteps)

// Session runs the terminal language against one cluster and keeps the journal that
// rebuilds it: every command that may have changed the cluster, with the inputs it
// consumed. A Session is not safe for concurrent use; one goroutine owns it.
type Session struct {
	opts    Options
	seed    uint64
	start   time.Time
	cluster *cluster.Cluster
	journal []persist.Entry

	// mergeAdvance is set when the last journal entry is an advance that may absorb the
	// next one. sim's Advance ends by expiring old events at the deadline, so advance(a)
	// then advance(b) equals advance(a+b) only when that final step changed nothing; this
	// records whether it did, so merging never changes what a replay builds.
	mergeAdvance bool

	// logKept counts the leading journal entries unchanged since the last JournalChanges
	// (a merged advance changes the last one, a reset all of them), and logReset is set
	// when a reset came since: what an append-only log of the journal needs to know.
	logKept  int
	logReset bool

	divergences []string
	notices     []string

	// base is the snapshot the journal follows (checkpoint.go); nil when the journal
	// starts from a fresh cluster. work is the simulation steps the journal's commands took
	// since then (measured while they run, so that a replay measures the same); replayed
	// and replayedSteps are what the last Restore replayed.
	base          *persist.Snapshot
	work          uint64
	measuring     bool
	replayed      int
	replayedSteps uint64

	// jobs are the terminal's background jobs (jobs.go): `kubectl proxy`.
	jobs backgroundJobs
	// replaying is set while Restore replays the journal: background streams print
	// nowhere.
	replaying bool

	// kubeconfig is kubectl's changeable kubeconfig: its context's namespace.
	kubeconfig kubectl.ClientConfig
	// madeDirs are the workspace directories mkdir made that hold no file yet (files.go).
	madeDirs map[string]bool
	// scratch is the node's /tmp and other directories outside the workspace (tmpfs.go).
	scratch *sh.FS
	// draws counts openssl's runs (openssl.go).
	draws uint64

	// tty is the terminal lines run in now (terminals.go); ttys are all of them, the
	// first one the terminal the journal replays in and whose shell is saved.
	*tty
	ttys []*tty
}

// lineResult follows the statuses of a line's top-level commands.
type lineResult struct{ last int }

func (r *lineResult) done(status int) {
	if status != 0 {
		r.last = status
	}
}

// New returns a session on a fresh default cluster.
func New(opts Options) (*Session, error) {
	s := &Session{opts: opts}
	if err := s.reset(opts.Seed, opts.Start); err != nil {
		return nil, err
	}
	s.openFirstTerminal()
	return s, nil
}

// Restore rebuilds a saved session: a fresh cluster with the saved seed and start, then
// the journal replayed with the inputs it recorded (opts' file reader and editor are not
// consulted for it), and the shell's variables and functions as they were saved. A replay
// that goes differently from the first run (possible only with a journal from another
// engine version) is not an error; Divergences says where.
func Restore(st persist.State, opts Options) (*Session, error) {
	s := &Session{opts: opts}
	s.opts.Advance = nil
	if err := s.reset(st.Seed, st.Start); err != nil {
		return nil, err
	}
	if st.Snapshot != nil {
		if err := s.restoreSnapshot(st); err != nil { // checkpoint.go
			return nil, err
		}
	}
	s.openFirstTerminal()
	s.replaying = true
	for i, e := range st.Journal {
		if len(e.Args) == 0 {
			continue
		}
		src := &replayInputs{entry: e}
		s.replayIn(e.Term)
		var code int
		s.measure(func() {
			code, _ = s.exec(persist.Strings(e.Args), textPtr(e.Stdin), src, io.Discard, io.Discard, false)
		}, nil)
		s.pollStream() // background streams see what the first run's did, as hostExec polls them
		s.replayed++
		if code != e.Exit || src.problem != "" {
			msg := fmt.Sprintf("journal entry %d (%s) exited %d, first time %d", i+1, Quote(persist.Strings(e.Args)), code, e.Exit)
			if src.problem != "" {
				msg += ": " + src.problem
			}
			s.divergences = append(s.divergences, msg)
		}
	}
	s.replaying = false
	s.journal = append([]persist.Entry(nil), st.Journal...)
	s.logKept, s.logReset = len(s.journal), false
	s.replayedSteps = s.work
	if st.Engine != "" && st.Engine != EngineVersion && len(s.divergences) > 0 {
		s.divergences = append(s.divergences, fmt.Sprintf("the journal was written by engine %s, this is %s", st.Engine, EngineVersion))
	}
	if layout := max(st.Streams, 1); layout != sim.StreamLayout && len(s.divergences) > 0 {
		s.divergences = append(s.divergences, fmt.Sprintf("the journal was written under random stream layout %d, this engine uses %d: generated names and timings differ", layout, sim.StreamLayout))
	}
	s.restoreShells(st) // terminals.go
	if st.Shell != nil {
		s.restoreScratch(st.Shell) // tmpfs.go
	}
	s.kubeconfig.Namespace = st.Namespace
	s.opts.Advance = opts.Advance
	return s, nil
}

// Cluster is the session's cluster.
func (s *Session) Cluster() *cluster.Cluster { return s.cluster }

// Divergences lists where Restore's replay went differently from the first run, and how
// a snapshot by another engine was restored.
func (s *Session) Divergences() []string {
	return append(s.notices[:len(s.notices):len(s.notices)], s.divergences...)
}

// State is what persist saves to rebuild this session.
func (s *Session) State() persist.State {
	return persist.State{
		Format:    persist.FormatVersion,
		Engine:    EngineVersion,
		Streams:   sim.StreamLayout,
		Seed:      s.seed,
		Start:     s.start,
		Snapshot:  s.base,
		Journal:   append([]persist.Entry{}, s.journal...),
		Shell:     s.saveScratch(savedShell(s.ttys[0].shell.State())), // tmpfs.go
		Terminals: s.savedShells(),

		Namespace: s.kubeconfig.Namespace,
	}
}

// Exec runs one command given as its words (no expansion: the words are taken as they
// are), with stdin as its standard input (nil: none). Output goes to out, errors and
// warnings to errOut; the result is the exit status (0: success).
func (s *Session) Exec(args []string, stdin *string, out, errOut io.Writer) int {
	return s.shell.Exec(args, stdin, sh.Hooks{Stdout: out, Stderr: errOut})
}

// RunScript runs a script and writes its transcript to out: each top-level pipeline echoed
// as `$ <pipeline as written>` right before it runs, then its output and errors in the
// order they were written. A pipeline skipped by && or || is not echoed. The result is 0
// when every top-level pipeline that ran succeeded (and the script did not end with a
// failure: set -e, exit), 1 otherwise. A script that does not parse runs nothing.
func (s *Session) RunScript(script string, out io.Writer) int {
	if s.RunEchoed(script, out) != 0 {
		return 1
	}
	return 0
}

// RunEchoed runs a script as RunScript does and returns the exit status of the last
// top-level pipeline that failed, or of the script's end (exit N, set -e); 0 when none
// failed, ExitUsage for a script that does not parse.
func (s *Session) RunEchoed(script string, out io.Writer) int {
	if s.inside != nil || mentionsInteractiveExec(script) {
		return s.runEchoedByCommand(script, out) // container.go
	}
	return s.runEchoed(script, out)
}

func (s *Session) runEchoed(script string, out io.Writer) int {
	w := NewLineWriter(out)
	code := s.RunHooked(script, w,
		func(text string) {
			w.EndLine()
			fmt.Fprintf(w, "$ %s\n", text)
		},
		func(int) { w.EndLine() })
	w.EndLine()
	return code
}

// RunHooked runs a script as RunEchoed does, without echoing: echo is called with each
// top-level pipeline's text as written right before it runs, done with its status once it
// ended; output and errors go to out in the order they are written. It is for a harness
// that keeps each command's output apart (realk8s).
func (s *Session) RunHooked(script string, out io.Writer, echo func(text string), done func(status int)) int {
	sc, err := parse(script)
	if err != nil {
		fmt.Fprintf(out, "sh: %s\n", err)
		return ExitUsage
	}
	r := &lineResult{}
	end := s.tty.lineOutput(out)
	defer end(false)
	o := s.shell.Run(sc, sh.Hooks{Stdout: out, Stderr: out,
		Echo: func(text string) {
			if echo != nil {
				echo(text)
			}
			// What a background job printed since shows under this command, as bash's
			// jobs print while the next command runs.
			s.tty.flushPending()
		},
		Done: func(status int) {
			r.done(status)
			if done != nil {
				done(status)
			}
		},
	}, false)
	code, _ := s.lineEnded(r, o)
	return code
}

// RunLine runs what a user typed at the prompt (one or more commands, a here-document, a
// loop) and writes the output, without echoing the commands. The result is 0 when every
// top-level command succeeded, else the exit status of the last one that failed (or of
// the line's end: exit N, set -e); ExitUsage for a line that does not parse.
func (s *Session) RunLine(line string, out io.Writer) int {
	code, _ := s.runLine(line, out, out, false)
	return code
}

// Eval runs a line as RunLine does, with standard output and errors apart, and returns
// the status of the line's last command, as $? would be after it.
func (s *Session) Eval(line string, out, errOut io.Writer) int {
	if code, inside := s.containerLine(line, out, errOut); inside {
		return code
	}
	sc, err := parse(line)
	if err != nil {
		fmt.Fprintf(errOut, "sh: %s\n", err)
		return ExitUsage
	}
	return s.shell.Run(sc, sh.Hooks{Stdout: out, Stderr: errOut}, false).Status
}

// Start runs a typed line as RunLine does, except that a `kubectl get --watch` or
// `kubectl logs --follow` of the line itself (not in a pipeline or a substitution) that
// gets going does not fast-forward virtual time for a bounded window: it keeps running
// (streaming is true), as in a real terminal, and prints to out whenever something
// changes: after each command and at each instant an advance passes through (`kubetab
// advance`, the page's running clock). The rest of the line waits. When the stream ends by
// itself (the followed containers stopped, --request-timeout of virtual time passed),
// Streaming turns false and Resume runs the rest of the line; StopStream (Ctrl-C) drops
// the stream and the rest of its line. One stream runs at a time: Start stops the one
// running.
//
// A stream changes nothing, so replaying the journal needs nothing of it but what a
// `kubectl logs` would read: the journal keeps the command without its follow
// (kubectl.Stream.Prelude) where it keeps that command, and the advances as always.
func (s *Session) Start(line string, out io.Writer) (streaming bool, code int) {
	s.StopStream()
	code, streaming = s.runLine(line, out, out, true)
	return streaming, code
}

func (s *Session) runLine(line string, out, errOut io.Writer, wait bool) (code int, streaming bool) {
	if code, inside := s.containerLine(line, out, errOut); inside {
		return code, false
	}
	sc, err := parse(line)
	if err != nil {
		fmt.Fprintf(errOut, "sh: %s\n", err)
		return ExitUsage, false
	}
	r := &lineResult{}
	end := s.tty.lineOutput(out)
	defer func() { end(streaming) }()
	o := s.shell.Run(sc, sh.Hooks{Stdout: out, Stderr: errOut, Done: r.done}, wait)
	return s.lineEnded(r, o)
}

// lineEnded is the result of a line that ended or waits.
func (s *Session) lineEnded(r *lineResult, o sh.Outcome) (code int, streaming bool) {
	if o.Blocked {
		s.waiting = r
		return r.last, true
	}
	s.waiting = nil
	if o.Status != 0 {
		r.last = o.Status
	}
	return r.last, false
}

// Streaming tells whether a stream Start began is still running.
func (s *Session) Streaming() bool { return s.stream != nil || s.fg != nil }

// Waiting tells whether a line Start began waits for its stream: once the stream ended by
// itself, Resume runs the rest of the line.
func (s *Session) Waiting() bool { return s.waiting != nil }

// Resume runs the rest of the line whose stream ended by itself, as Start does (the rest
// may stream in turn). Its output goes where Start's went.
func (s *Session) Resume() (streaming bool, code int) {
	if s.waiting == nil || s.stream != nil || s.fg != nil {
		return s.Streaming(), 0
	}
	code, streaming = s.lineEnded(s.waiting, s.shell.Resume(0))
	if !streaming {
		s.out = nil // the line that waited is over (lineOutput)
	}
	return streaming, code
}

// StopStream stops the running stream, if any (Ctrl-C), with the rest of its line, and
// reports whether there was one.
func (s *Session) StopStream() bool { return s.stopLine(s.tty) }

// stopLine is StopStream in terminal t.
func (s *Session) stopLine(t *tty) bool {
	had := t.stream != nil || t.waiting != nil || t.fg != nil
	s.stopForeground(t) // terminals.go
	if t.stream != nil {
		t.stream.Stop()
		t.stream = nil
	}
	if t.waiting != nil {
		t.shell.Abandon()
		t.waiting = nil
		t.out = nil // the line is over (lineOutput)
	}
	return had
}

// pollStream lets the running streams (each terminal's) print what changed; it forgets
// finished ones.
func (s *Session) pollStream() {
	for _, t := range s.ttys {
		if t.stream != nil && t.stream.Poll() {
			t.stream = nil
		}
	}
	s.pollBackground()
}

const kubetabUsage = `kubetab commands:
  kubetab advance DURATION                       move virtual time forward (30s, 5m, 2h, 1h30m, 1d)
  kubetab node add NAME [--label key=value]...   add a Ready worker node
  kubetab node fail NAME                         stop a node's kubelet (it goes NotReady)
  kubetab node recover NAME                      start a failed node's kubelet again
  kubetab node remove NAME                       delete a node
  kubetab reset [--seed N] [--start RFC3339]     start over with a fresh default cluster
`

func (s *Session) kubetab(args []string, out, errOut io.Writer) (int, bool) {
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		io.WriteString(out, kubetabUsage)
		return 0, false
	}
	usage := func(format string, a ...any) (int, bool) {
		fmt.Fprintf(errOut, "error: "+format+"\n\n%s", append(a, kubetabUsage)...)
		return ExitUsage, false
	}
	switch args[0] {
	case "advance":
		if len(args) != 2 {
			return usage("kubetab advance takes one duration, like 30s, 5m, 2h or 1h30m")
		}
		d, err := ParseDuration(args[1])
		if err != nil {
			fmt.Fprintf(errOut, "error: %s\n", err)
			return ExitUsage, false
		}
		// Advance keeps the journal itself: it merges consecutive advances.
		if err := s.moveTime(d); err != nil {
			fmt.Fprintf(errOut, "error: %s\n", err)
			return 1, false
		}
		fmt.Fprintf(out, "time advanced %s to %s\n", FormatDuration(d), s.cluster.Now().UTC().Format(time.RFC3339))
		return 0, false
	case "node":
		return s.node(args[1:], out, errOut, usage)
	case "reset":
		return s.resetCommand(args[1:], out, errOut)
	default:
		return usage("unknown command %q for \"kubetab\"", args[0])
	}
}

// moveTime moves virtual time forward by d: through Options.Advance when set.
func (s *Session) moveTime(d time.Duration) error {
	if s.opts.Advance == nil {
		return s.Advance(d)
	}
	if err := sim.CheckDeadline(s.cluster.Now().Add(d)); err != nil {
		return err // before the browser's fast-forward starts
	}
	return s.opts.Advance(d)
}

// Advance moves virtual time forward by d, as `kubetab advance` does, keeping the
// journal (consecutive advances share an entry when that changes nothing a replay
// builds) and letting a running stream print at every instant it passes through.
func (s *Session) Advance(d time.Duration) error {
	c := s.cluster
	// Refused before time moves, so the journal needs no entry for it.
	if err := sim.CheckDeadline(c.Now().Add(d)); err != nil {
		return err
	}
	// The store's resourceVersion at the last two instants RunUntil reports: the final
	// step (expiring events at the deadline) comes after the second-to-last report.
	var rv [2]uint64
	probe := func() bool {
		s.pollStream()
		rv[0], rv[1] = rv[1], c.Store.ResourceVersion()
		return false
	}
	var err error
	s.measure(func() { _, err = c.RunUntil(c.Now().Add(d), probe) }, nil)
	end := c.Store.ResourceVersion()
	if err != nil {
		s.mergeAdvance = false
		s.record(advanceEntry(d, 1))
		return err
	}
	quietEnd := rv[0] == end && rv[1] == end
	n := len(s.journal)
	var prev time.Duration
	if s.mergeAdvance && n > 0 {
		prev, _ = ParseDuration(string(s.journal[n-1].Args[2]))
	}
	// A merged entry must stay replayable: never past what one typed advance may ask for.
	if s.mergeAdvance && n > 0 && prev+d <= MaxAdvance {
		s.journal[n-1] = advanceEntry(prev+d, 0)
		s.logKept = min(s.logKept, n-1)
	} else {
		s.record(advanceEntry(d, 0))
	}
	s.mergeAdvance = quietEnd
	return nil
}

// measure runs fn, a command that may be journaled, and adds the simulation steps it took
// to the session's work unless journaled says it was not journaled after all (nil: it
// was). Nested calls count once, in the outermost.
func (s *Session) measure(fn func(), journaled func() bool) {
	if s.measuring {
		fn()
		return
	}
	c := s.cluster
	before := c.Steps
	s.measuring = true
	defer func() { s.measuring = false }()
	fn()
	if s.cluster == c && (journaled == nil || journaled()) {
		s.work += c.Steps - before
	}
}

func advanceEntry(d time.Duration, exit int) persist.Entry {
	return persist.Entry{Args: persist.Texts([]string{"kubetab", "advance", FormatDuration(d)}), Exit: exit}
}

func (s *Session) node(args []string, out, errOut io.Writer, usage func(string, ...any) (int, bool)) (int, bool) {
	if len(args) == 0 {
		return usage("kubetab node needs an action: add, fail, recover or remove")
	}
	action, rest := args[0], args[1:]
	var name string
	labels := map[string]string{}
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case action == "add" && (a == "--label" || a == "-l"):
			if i+1 >= len(rest) {
				return usage("%s needs a key=value", a)
			}
			i++
			a = "--label=" + rest[i]
			fallthrough
		case action == "add" && strings.HasPrefix(a, "--label="):
			k, v, ok := strings.Cut(strings.TrimPrefix(a, "--label="), "=")
			if !ok || k == "" {
				return usage("a label is key=value, not %q", strings.TrimPrefix(a, "--label="))
			}
			labels[k] = v
		case strings.HasPrefix(a, "-") && a != "-":
			return usage("unknown flag %s for \"kubetab node %s\"", a, action)
		case name != "":
			return usage("kubetab node %s takes one node name", action)
		default:
			name = a
		}
	}
	var op func() error
	var done string
	switch action {
	case "add":
		op = func() error { _, err := s.cluster.AddNode(name, labels); return err }
		done = "added"
	case "fail":
		op = func() error { return s.cluster.FailNode(name) }
		done = "failed"
	case "recover":
		op = func() error { return s.cluster.RecoverNode(name) }
		done = "recovered"
	case "remove":
		op = func() error { return s.cluster.RemoveNode(name) }
		done = "removed"
	default:
		return usage("unknown node action %q (add, fail, recover or remove)", action)
	}
	if name == "" {
		return usage("kubetab node %s needs a node name", action)
	}
	s.mergeAdvance = false
	err := op()
	if err == nil {
		err = s.cluster.Settle()
	}
	if err != nil {
		fmt.Fprintf(errOut, "error: %s\n", err)
		return 1, true
	}
	fmt.Fprintf(out, "node/%s %s\n", name, done)
	return 0, true
}

func (s *Session) resetCommand(args []string, out, errOut io.Writer) (int, bool) {
	seed, start := s.seed, s.start
	for i := 0; i < len(args); i++ {
		flag, val, hasVal := strings.Cut(args[i], "=")
		if flag != "--seed" && flag != "--start" {
			fmt.Fprintf(errOut, "error: unknown argument %q for \"kubetab reset\" (--seed N, --start RFC3339)\n", args[i])
			return ExitUsage, false
		}
		if !hasVal {
			if i+1 >= len(args) {
				fmt.Fprintf(errOut, "error: %s needs a value\n", flag)
				return ExitUsage, false
			}
			i++
			val = args[i]
		}
		var err error
		if flag == "--seed" {
			seed, err = ParseSeed(val)
		} else {
			start, err = ParseStart(val)
		}
		if err != nil {
			fmt.Fprintf(errOut, "error: %s\n", err)
			return ExitUsage, false
		}
	}
	if err := s.reset(seed, start); err != nil {
		fmt.Fprintf(errOut, "error: %s\n", err)
		return 1, false
	}
	fmt.Fprintf(out, "cluster reset (seed %d, start %s)\n", s.seed, s.start.Format(time.RFC3339))
	// The journal starts over: nothing before the reset matters any more.
	return 0, false
}

// reset replaces the cluster with a fresh default one and empties the journal.
func (s *Session) reset(seed uint64, start time.Time) error {
	if start.IsZero() {
		start = cluster.DefaultStart
	}
	c, err := cluster.New(cluster.Options{Seed: seed, Start: start})
	if err != nil {
		return fmt.Errorf("creating the cluster: %w", err)
	}
	for _, t := range s.ttys {
		s.stopLine(t)
	}
	// A background watch or follow ends with its cluster.
	for _, j := range append([]*job(nil), s.jobs.list...) {
		if j.stream != nil || j.done {
			s.killJob("%" + strconv.Itoa(j.id))
			s.jobs.remove(j)
		}
	}
	s.cluster, s.seed, s.start = c, seed, start.UTC()
	s.journal, s.mergeAdvance = nil, false
	s.base, s.work = nil, 0
	s.logKept, s.logReset = 0, true
	return nil
}

// JournalChanges says how the journal changed since the last call (since Restore or New
// for the first): the first kept entries are as they were, the rest are added (copied).
// changed is false when nothing changed; a reset (a new seed and start, in State) is a
// change even when the journal was empty before and after.
func (s *Session) JournalChanges() (kept int, added []persist.Entry, changed bool) {
	kept = min(s.logKept, len(s.journal))
	changed = s.logReset || kept != len(s.journal)
	added = append([]persist.Entry(nil), s.journal[kept:]...)
	s.logKept, s.logReset = len(s.journal), false
	return kept, added, changed
}

// ParseSeed reads a --seed value (a decimal unsigned 64-bit number).
func ParseSeed(v string) (uint64, error) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid seed %q: want a number from 0 to %d", v, uint64(1<<64-1))
	}
	return n, nil
}

// ParseStart reads a --start value (RFC 3339, like 2026-01-01T09:00:00Z).
func ParseStart(v string) (time.Time, error) {
	t, err := time.ParseInLocation(time.RFC3339, v, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid start time %q: want RFC 3339, like 2026-01-01T09:00:00Z", v)
	}
	if err := cluster.CheckStart(t); err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// ParseDuration reads an advance duration: Go's units (30s, 5m, 2h, 1h30m, 1.5h) and a
// leading number of days (1d, 2d12h). It must be positive and at most MaxAdvance.
func ParseDuration(v string) (time.Duration, error) {
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("invalid duration %q: use units s, m, h or d, like 30s, 5m, 2h, 1h30m or 1d", v)
	}
	rest := v
	var d time.Duration
	if i := strings.IndexByte(rest, 'd'); i >= 0 {
		days, err := strconv.ParseUint(rest[:i], 10, 16)
		if err != nil {
			return bad()
		}
		d = time.Duration(days) * 24 * time.Hour
		rest = rest[i+1:]
	}
	if rest != "" {
		more, err := time.ParseDuration(rest)
		if err != nil || strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "+") {
			return bad()
		}
		d += more
	} else if !strings.Contains(v, "d") {
		return bad()
	}
	switch {
	case d <= 0:
		return 0, fmt.Errorf("invalid duration %q: time only moves forward", v)
	case d > MaxAdvance:
		return 0, fmt.Errorf("duration %q is too long: at most %s at a time", v, FormatDuration(MaxAdvance))
	}
	return d, nil
}

// FormatDuration writes d the way people type it: 5m, 1h30m, 45s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// recordingInputs hands a command the session's real inputs and notes what they returned.
// Paths the command names are taken from the shell's working directory dir.
type recordingInputs struct {
	opts *Options
	dir  string
	// editor is the editor the shell names (editor.go), nil when none.
	editor     shellEditorFunc
	kubeconfig *kubectl.ClientConfig
	scratch    *sh.FS // the node's /tmp (tmpfs.go)
	entry      persist.Entry
}

func (r *recordingInputs) config() *kubectl.ClientConfig {
	r.entry.Namespace = r.kubeconfig.Namespace
	return r.kubeconfig
}

func (r *recordingInputs) strict() bool {
	r.entry.Strict = r.opts.Strict
	return r.opts.Strict
}

func (r *recordingInputs) io(out, errOut io.Writer, stdin *string) kubectl.IO {
	kio := kubectl.IO{Out: out, Err: errOut, Stdin: stdin, Dir: r.dir}
	kio.ReadFile = func(path string) ([]byte, error) {
		var data []byte
		err := error(&fs.PathError{Op: "open", Path: path, Err: errors.New("reading files is not available here")})
		switch {
		case examples.IsURL(path):
			data, err = examples.Get(r.opts.Examples, path)
		case inScratch(r.scratch, r.dir, path, &data, &err):
		case r.opts.ReadFile != nil:
			data, err = r.opts.ReadFile(resolve(r.dir, path))
		}
		rd := persist.Read{Path: persist.Text(path)}
		if err != nil {
			rd.Err, rd.Missing = err.Error(), errors.Is(err, fs.ErrNotExist)
		} else {
			rd.Data = persist.NewText(string(data))
		}
		r.entry.Reads = append(r.entry.Reads, rd)
		return data, err
	}
	kio.ListDir = func(path string) ([]string, error) {
		var names []string
		err := error(&fs.PathError{Op: "readdir", Path: path, Err: errors.New("listing directories is not available here")})
		if r.opts.ListDir != nil {
			names, err = r.opts.ListDir(resolve(r.dir, path))
		}
		l := persist.List{Path: persist.Text(path), Names: persist.Texts(names)}
		if err != nil {
			l.Names, l.Err, l.Missing = nil, err.Error(), errors.Is(err, fs.ErrNotExist)
		}
		r.entry.Lists = append(r.entry.Lists, l)
		return names, err
	}
	kio.Edit = func(name, text string) (string, error) {
		edited, err := "", errors.New("no editor is available here")
		ran := false
		if r.editor != nil {
			var e2 string
			var err2 error
			if e2, ran, err2 = r.editor(name, text); ran {
				edited, err = e2, err2
			}
		}
		if !ran && r.opts.Edit != nil {
			edited, err = r.opts.Edit(name, text)
		}
		e := persist.Edit{Name: persist.Text(name)}
		if err != nil {
			e.Err = err.Error()
		} else {
			e.Text = persist.NewText(edited)
		}
		r.entry.Edits = append(r.entry.Edits, e)
		return edited, err
	}
	return kio
}

// replayInputs hands a command what it got the first time, in the same order.
type replayInputs struct {
	entry               persist.Entry
	reads, lists, edits int
	problem             string
}

// replayError is an error as recorded: the same text, and still a "does not exist" error
// when it was one.
type replayError struct {
	msg     string
	missing bool
}

func (e *replayError) Error() string { return e.msg }

func (e *replayError) Is(target error) bool { return e.missing && target == fs.ErrNotExist }

func (r *replayInputs) mismatch(what, path string) error {
	if r.problem == "" {
		r.problem = fmt.Sprintf("it asked for %s %q, which it did not ask for the first time", what, path)
	}
	return &replayError{msg: fmt.Sprintf("%s: not recorded in the journal", path), missing: true}
}

func (r *replayInputs) strict() bool { return r.entry.Strict }

func (r *replayInputs) config() *kubectl.ClientConfig {
	return &kubectl.ClientConfig{Namespace: r.entry.Namespace}
}

func (r *replayInputs) io(out, errOut io.Writer, stdin *string) kubectl.IO {
	kio := kubectl.IO{Out: out, Err: errOut, Stdin: stdin}
	kio.ReadFile = func(path string) ([]byte, error) {
		if r.reads >= len(r.entry.Reads) || string(r.entry.Reads[r.reads].Path) != path {
			return nil, r.mismatch("file", path)
		}
		rd := r.entry.Reads[r.reads]
		r.reads++
		if rd.Data == nil {
			return nil, &replayError{msg: rd.Err, missing: rd.Missing}
		}
		return []byte(*rd.Data), nil
	}
	kio.ListDir = func(path string) ([]string, error) {
		if r.lists >= len(r.entry.Lists) || string(r.entry.Lists[r.lists].Path) != path {
			return nil, r.mismatch("directory", path)
		}
		l := r.entry.Lists[r.lists]
		r.lists++
		if l.Err != "" {
			return nil, &replayError{msg: l.Err, missing: l.Missing}
		}
		return persist.Strings(l.Names), nil
	}
	kio.Edit = func(name, text string) (string, error) {
		if r.edits >= len(r.entry.Edits) || string(r.entry.Edits[r.edits].Name) != name {
			return "", r.mismatch("an editor for", name)
		}
		e := r.entry.Edits[r.edits]
		r.edits++
		if e.Text == nil {
			return "", errors.New(e.Err)
		}
		return string(*e.Text), nil
	}
	return kio
}

func textPtr(t *persist.Text) *string {
	if t == nil {
		return nil
	}
	s := string(*t)
	return &s
}

// Load opens the session saved in the state directory fsys, replaying its journal, or
// starts a new one from opts when the directory holds none (fresh reports which).
func Load(fsys hackpadfs.FS, opts Options) (s *Session, fresh bool, err error) {
	st, err := persist.Load(fsys)
	if errors.Is(err, persist.ErrNoState) {
		s, err := New(opts)
		return s, true, err
	}
	if err != nil {
		return nil, false, err
	}
	s, err = Restore(st, opts)
	return s, false, err
}

// Save stores the session in the state directory fsys.
func (s *Session) Save(fsys hackpadfs.FS) error {
	return persist.Save(fsys, s.State())
}

// Kubectl is c as kubectl sees it: the simulation and the kubelets' containers.
func Kubectl(c *cluster.Cluster) kubectl.Cluster {
	return kubectl.Cluster{Cluster: c.Cluster, Containers: c.Kubelets, Metrics: c.Metrics}
}
