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

// Background jobs of the terminal: the long-running commands the docs start "in a second
// terminal" or with `&` (kubectl proxy, kubectl port-forward; a watch or a follow:
// bgstreams.go). A job runs until `kill %N`, or a stream until it ends by itself; `jobs`
// lists them. A typed proxy or port-forward without & runs in the foreground of its
// terminal until Ctrl-C (terminals.go). `wait` waits for the streams (bgstreams.go); a
// proxy never ends by itself, and a line that waited for it would never end.

// job is one background job.
type job struct {
	id      int
	command string    // as `jobs` shows it
	listen  *listener // where it listens on the node (proxy.go)
	// stream is a background watch or follow (bgstreams.go) while it runs, printing to its
	// terminal tty; done is set once it ended by itself, until `jobs` or `wait` reports it.
	stream *kubectl.Stream
	tty    *tty
	done   bool
	exit   int // a done job's exit status
}

// backgroundJobs are the session's jobs, in the order they started.
type backgroundJobs struct {
	list []*job
	next int
}

func (b *backgroundJobs) add(j *job) *job {
	if len(b.list) == 0 {
		b.next = 0
	}
	b.next++
	j.id = b.next
	b.list = append(b.list, j)
	return j
}

// find resolves a job spec: %N, %%, %+ (the current job), %- (the previous one).
func (b *backgroundJobs) find(spec string) *job {
	n := len(b.list)
	switch spec {
	case "%", "%%", "%+":
		if n > 0 {
			return b.list[n-1]
		}
		return nil
	case "%-":
		if n > 1 {
			return b.list[n-2]
		}
		return nil
	}
	id, err := strconv.Atoi(strings.TrimPrefix(spec, "%"))
	if err != nil {
		return nil
	}
	for _, j := range b.list {
		if j.id == id {
			return j
		}
	}
	return nil
}

func (b *backgroundJobs) remove(j *job) {
	for i, x := range b.list {
		if x == j {
			b.list = append(b.list[:i:i], b.list[i+1:]...)
			return
		}
	}
}

// startJob runs a command that starts jobs (start: startProxy, startPortForward) typed in
// the terminal, and journals it when it started them: with the journal, a reload brings
// the jobs back.
func (s *Session) startJob(c *sh.Call, args []string, start func(args []string, stdout, stderr io.Writer) int) int {
	c.Charge(hostCommandSteps)
	code := start(args, c.Stdout(), c.Stderr())
	if code == 0 {
		s.mergeAdvance = false
		s.record(persist.Entry{Args: persist.Texts(args)})
	}
	return code
}

// killJob ends the job spec names; false when there is none.
func (s *Session) killJob(spec string) bool {
	j := s.jobs.find(spec)
	if j != nil && (j.stream != nil || j.done) {
		// A background stream's kubectl exits 1 on SIGTERM; the job stays until reported.
		if j.stream != nil {
			j.stream.Stop()
			j.stream, j.done, j.exit = nil, true, 1
		}
		return true
	}
	if j != nil {
		s.jobs.remove(j)
		for _, t := range s.ttys {
			if t.fg == j {
				t.fg = nil // its terminal's line goes on (Resume)
			}
		}
	}
	return j != nil
}

// jobsCommand is `jobs`, as bash prints them.
func (s *Session) jobsCommand(c *sh.Call) int {
	n := len(s.jobs.list)
	var done []*job
	for i, j := range s.jobs.list {
		mark := " "
		switch i {
		case n - 1:
			mark = "+"
		case n - 2:
			mark = "-"
		}
		if j.done {
			// As bash reports a finished job: once, then it is gone.
			status := "Done"
			if j.exit != 0 {
				status = fmt.Sprintf("Exit %d", j.exit)
			}
			fmt.Fprintf(c.Stdout(), "[%d]%s  %-24s%s\n", j.id, mark, status, j.command)
			done = append(done, j)
			continue
		}
		fmt.Fprintf(c.Stdout(), "[%d]%s  %-24s%s &\n", j.id, mark, "Running", j.command)
	}
	for _, j := range done {
		s.forgetJob(j)
	}
	return 0
}

// killCommand is the terminal's kill: it ends jobs named %N; the node has no other
// processes the terminal could signal.
func (s *Session) killCommand(c *sh.Call) int {
	status := 0
	for _, a := range c.Args()[1:] {
		switch {
		case a == "-l" || a == "-L":
			fmt.Fprintln(c.Stdout(), "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM")
			return 0
		case a == "-s" || a == "-n":
			continue
		case strings.HasPrefix(a, "-") && len(a) > 1:
			continue // a signal: every one ends a job here
		case strings.HasPrefix(a, "%"):
			if !s.killJob(a) {
				fmt.Fprintf(c.Stderr(), "sh: kill: %s: no such job\n", a)
				status = 1
				continue
			}
			s.mergeAdvance = false
			s.record(persist.Entry{Args: persist.Texts([]string{"kill", a})})
		default:
			if _, err := strconv.Atoi(a); err != nil {
				fmt.Fprintf(c.Stderr(), "sh: kill: %s: arguments must be process or job IDs\n", a)
			} else {
				fmt.Fprintf(c.Stderr(), "sh: kill: (%s) - No such process\n", a)
			}
			status = 1
		}
	}
	if len(c.Args()) == 1 {
		fmt.Fprintln(c.Stderr(), "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]")
		return 2
	}
	return status
}
