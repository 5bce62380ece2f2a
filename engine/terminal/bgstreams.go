package terminal

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/persist"
)

// Background streams: `kubectl get -w ... &`, `kubectl logs -f ... &`, `kubectl rollout
// status ... &`. The command prints what exists now and becomes a job (jobs.go) of its
// terminal, whose stream is polled as a foreground one is: after every command and at
// every instant time passes through. What it prints goes into the line running in its
// terminal then, between that line's own output, as bash's jobs write to the terminal
// while later commands run; with no line running (the browser's clock moving), it waits
// in the terminal (TakeBackground). As in bash, where the job is another process that
// starts after `cmd &` returned, nothing it prints comes under its own command: what it
// printed at once shows with the next command (after its echo) or once the line ended.
// Everything happens at virtual instants and in the order of events, so a transcript is
// the same run after run. A job killed (`kill %N`) or ended by itself is reported once, as
// bash reports it (`[1]+  Exit 1   kubectl get pods -w`: kubectl exits 1 on SIGTERM).
//
// The journal keeps such a job as its command behind a "&" word, so that a replay
// starts it again (its output discarded) and job numbers, `kill %N` and the stream's
// end come out as they did.

// bgWord starts the journal entry of a background stream: no command has that name.
const bgWord = "&"

// BackgroundLine is the line of the terminal language that does what a journal entry
// behind bgWord did (a share bundle's history is such lines), and whether the entry is
// one: `kubectl get pods -w &`; `jobs >/dev/null` for a finished job reported (the next
// job numbers depend on it); "" for a terminal closed.
func BackgroundLine(args []string) (line string, ok bool) {
	if len(args) == 0 || args[0] != bgWord {
		return "", false
	}
	switch {
	case len(args) == 3 && args[1] == "forget":
		return "jobs >/dev/null", true
	case len(args) == 3 && args[1] == closeTerminalWord:
		return "", true
	}
	return Quote(args[1:]) + " &", true
}

// maxPendingOutput bounds what a terminal's background jobs printed while no line ran
// there and nobody took it: the oldest is dropped, as a terminal's scrollback does.
const maxPendingOutput = 256 << 10

// isStreamCommand tells whether a kubectl command line keeps running: a watch (`get -w`,
// `--watch`, `--watch-only`), a follow (`logs -f`, `--follow`) or `rollout status` (it
// watches unless `--watch=false`).
func isStreamCommand(args []string) bool {
	if len(args) < 2 || args[0] != "kubectl" && args[0] != "k" {
		return false
	}
	verb := args[1]
	if verb == "rollout" {
		return len(args) > 2 && args[2] == "status"
	}
	for _, a := range args[2:] {
		if a == "--" {
			return false
		}
		name, value, _ := strings.Cut(a, "=")
		if value == "false" {
			continue
		}
		switch {
		case verb == "get" && (name == "-w" || name == "--watch" || name == "--watch-only"):
			return true
		case verb == "logs" && (name == "-f" || name == "--follow"):
			return true
		}
	}
	return false
}

// jobOutput is where a background stream prints: into the line running in its terminal,
// else kept for TakeBackground; nowhere while the journal replays.
type jobOutput struct {
	s *Session
	t *tty
}

func (w jobOutput) Write(p []byte) (int, error) {
	switch {
	case w.s.replaying:
	case w.t.out != nil && !w.t.starting:
		w.t.flushPending()
		return w.t.out.Write(p)
	default:
		w.t.pending = append(w.t.pending, p...)
		if over := len(w.t.pending) - maxPendingOutput; over > 0 {
			w.t.pending = append(w.t.pending[:0], w.t.pending[over:]...)
		}
	}
	return len(p), nil
}

// flushPending writes what background jobs printed meanwhile into the line running here.
func (t *tty) flushPending() {
	if t.out != nil && len(t.pending) > 0 {
		t.out.Write(t.pending)
		t.pending = nil
	}
}

// backgroundStream runs `kubectl ... &` for a watch or a follow: a job of the terminal
// once it streams; journaled behind bgWord.
func (s *Session) backgroundStream(c *sh.Call, args []string) int {
	c.Charge(hostCommandSteps)
	rec := &recordingInputs{opts: &s.opts, dir: c.Dir()}
	code, started := s.startBackgroundStream(args, rec, c.Stderr())
	if started {
		s.mergeAdvance = false
		s.record(persist.Entry{Args: persist.Texts(append([]string{bgWord}, args...)), Exit: code})
	}
	return code
}

// startBackgroundStream starts a watch or follow as a job of the current terminal, and
// reports whether it keeps running (a failed one, or one with nothing to follow, has
// printed all it will).
func (s *Session) startBackgroundStream(args []string, in inputs, errOut io.Writer) (code int, started bool) {
	kc := Kubectl(s.cluster)
	kc.Strict = in.strict()
	t := s.tty
	t.starting = true
	st, code := kubectl.Start(kc, args[1:], in.io(jobOutput{s, t}, errOut, nil))
	t.starting = false
	if st == nil {
		return code, false
	}
	s.jobs.add(&job{command: strings.Join(args, " "), stream: st, tty: s.tty})
	return code, true
}

// pollBackground lets the background streams print what changed; one that finished
// stays a job, Done, until `jobs` reports it.
func (s *Session) pollBackground() {
	for _, j := range s.jobs.list {
		if j.stream != nil && j.stream.Poll() {
			j.stream, j.done = nil, true
		}
	}
	if s.tty.out != nil && !s.tty.starting {
		s.tty.flushPending()
	}
}

// TakeBackground returns what terminal n's background jobs printed while no line ran
// there, and forgets it: the host shows it (the browser, as the clock moves).
func (s *Session) TakeBackground(n int) string {
	if n < 0 || n >= len(s.ttys) || len(s.ttys[n].pending) == 0 {
		return ""
	}
	out := string(s.ttys[n].pending)
	s.ttys[n].pending = nil
	return out
}

// forgetJob removes a finished job once reported (`jobs`, `wait`), journaled, since the
// numbers of later jobs depend on it: a replay forgets it at the same point.
func (s *Session) forgetJob(j *job) {
	s.jobs.remove(j)
	s.mergeAdvance = false
	s.record(persist.Entry{Args: persist.Texts([]string{bgWord, "forget", "%" + strconv.Itoa(j.id)})})
}

// replayBackground replays a journal entry behind bgWord: a background stream started,
// or a finished job forgotten.
func (s *Session) replayBackground(args []string, in inputs, errOut io.Writer) int {
	if len(args) == 3 && args[1] == closeTerminalWord {
		n, err := strconv.Atoi(args[2])
		if err != nil || s.CloseTerminal(n) != nil {
			return 1
		}
		return 0
	}
	if len(args) == 3 && args[1] == "forget" {
		if j := s.jobs.find(args[2]); j != nil {
			s.jobs.remove(j)
			return 0
		}
		return 1
	}
	code, _ := s.startBackgroundStream(args[1:], in, errOut)
	return code
}

// endJobsOf ends the background streams of terminal t (it closes), journaled as the kills
// they amount to.
func (s *Session) endJobsOf(t *tty) {
	for _, j := range append([]*job(nil), s.jobs.list...) {
		if j.tty == t && (j.stream != nil || j.done) {
			spec := "%" + strconv.Itoa(j.id)
			s.killJob(spec)
			s.mergeAdvance = false
			s.record(persist.Entry{Args: persist.Texts([]string{"kill", spec})})
			s.forgetJob(j)
		}
	}
}

// waitCommand is the terminal's wait: virtual time moves, one due instant at a time, until
// the background streams named (%N; none named: all) have ended by themselves, their
// output shown as it comes, as bash waits for its jobs. A watch without --request-timeout
// never ends: after the watch window (kubectl.DefaultWatchWindow) of virtual time wait
// says so and returns. A proxy or a port-forward never ends either, and wait does not
// wait for them (bash would wait forever).
func (s *Session) waitCommand(c *sh.Call) int {
	c.Charge(hostCommandSteps)
	status := 0
	var waitFor []*job
	args := c.Args()[1:]
	if len(args) == 0 {
		waitFor = append(waitFor, s.jobs.list...)
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "%") {
			if _, err := strconv.Atoi(a); err != nil {
				fmt.Fprintf(c.Stderr(), "sh: wait: `%s': not a pid or valid job spec\n", a)
			} else {
				fmt.Fprintf(c.Stderr(), "sh: wait: pid %s is not a child of this shell\n", a)
			}
			status = 127
			continue
		}
		j := s.jobs.find(a)
		if j == nil {
			fmt.Fprintf(c.Stderr(), "sh: wait: %s: no such job\n", a)
			status = 127
			continue
		}
		waitFor = append(waitFor, j)
	}
	running := func() *job {
		for _, j := range waitFor {
			if j.stream != nil {
				return j
			}
		}
		return nil
	}
	deadline := s.cluster.Now().Add(kubectl.DefaultWatchWindow)
	for running() != nil {
		now := s.cluster.Now()
		step := deadline.Sub(now)
		if next := s.cluster.Clock.Next(); next != nil && next.At.Before(deadline) {
			step = next.At.Sub(now)
		}
		if step <= 0 {
			break
		}
		if err := s.moveTime(step); err != nil {
			fmt.Fprintf(c.Stderr(), "sh: wait: %s\n", err)
			return 1
		}
		s.pollStream()
	}
	if j := running(); j != nil {
		fmt.Fprintf(c.Stderr(), "kubetab: stopped waiting after %s of virtual time: job %%%d (%s) keeps running (a watch without --request-timeout never ends; kill %%%d ends it)\n",
			FormatDuration(kubectl.DefaultWatchWindow), j.id, j.command, j.id)
	}
	// A job waited for is reported: bash forgets a job once wait returned its status,
	// which is wait's when it names the job.
	for _, j := range waitFor {
		if j.done {
			s.forgetJob(j)
			if len(args) > 0 && status == 0 {
				status = j.exit
			}
		}
	}
	return status
}

// lineOutput makes out where terminal t's background jobs print while a line runs there;
// the returned func ends that, unless the line waits (a foreground stream: its rest runs
// at Resume, still writing to out).
func (t *tty) lineOutput(out io.Writer) (end func(waiting bool)) {
	prev := t.out
	t.out = out
	// What came while no line ran shows first, as a terminal shows it before the next
	// prompt.
	t.flushPending()
	return func(waiting bool) {
		if !waiting {
			t.out = prev
		}
	}
}
