package kubectl

import (
	"slices"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/sim"
)

// Stream is a `kubectl get --watch`, `kubectl logs --follow` or `kubectl rollout status`
// that keeps running after Start returned, as it does in a real terminal: Poll prints what happened since the last
// Poll, so the owner polls after whatever moved the cluster (a command, an advance of virtual
// time) and the rows appear as things happen. Nothing runs by itself: a Stream starts no
// goroutine and never moves time.
//
// Run's bounded watch and follow are built on the same step, run at every instant of a
// fast-forward instead.
type Stream struct {
	c *sim.Cluster
	// step prints what is new at the cluster's current time and reports whether the stream
	// ended by itself (every followed container stopped).
	step func() (ended bool)
	// until is the end of --request-timeout in virtual time; zero: the stream runs until
	// it ends by itself or Stop.
	until time.Time
	done  bool
	// release lets go of what the step holds in the cluster (a watch's subscription to its
	// changes) once the stream has finished; nil when it holds nothing.
	release func()
	// off are the flags that turn the command into its non-streaming form (--follow=false),
	// and prelude that command line (see Prelude).
	off     []string
	prelude []string
}

// Start runs a kubectl command line as Run does, except that a watch (`get -w`,
// `--watch-only`, `rollout status`) or a follow (`logs -f`) does not fast-forward virtual
// time: once the command has printed what exists now, Start returns it as a running
// Stream. For every other command, and for a watch or follow that failed or had nothing to
// follow, the Stream is nil and code is the command's exit status.
func Start(c Cluster, args []string, io IO) (s *Stream, code int) {
	code, s = run(c, args, io, true)
	return s, code
}

// Poll prints what changed since the last Poll, at the cluster's current virtual time (rows
// for the objects a watch follows that were added, changed or deleted; the new lines of the
// followed logs), and reports whether the stream has finished: it ended by itself, its
// --request-timeout of virtual time is over, or it was stopped. A finished stream prints
// nothing more. Polling at every instant the cluster passes through (as a fast-forward's
// probe does) shows each state; polling less often merges the changes in between.
func (s *Stream) Poll() bool {
	if s.done {
		return true
	}
	now := s.c.Now()
	if !s.until.IsZero() && now.After(s.until) {
		// What happened after the timeout is not the watch's to show.
		s.finish()
		return true
	}
	if s.step() || (!s.until.IsZero() && !now.Before(s.until)) {
		s.finish()
	}
	return s.done
}

// Stop ends the stream (Ctrl-C); it prints nothing more. A stream that is never stopped
// keeps following the cluster's changes until it finishes by itself.
func (s *Stream) Stop() { s.finish() }

func (s *Stream) finish() {
	s.done = true
	if s.release != nil {
		s.release()
		s.release = nil
	}
}

// Done tells whether the stream has finished.
func (s *Stream) Done() bool { return s.done }

// Prelude is the command line (the words after "kubectl") that, run by Run, does what Start
// did before it began to stream: the same command with its watch or follow turned off
// (`--follow=false`), reading and printing the same things and never moving time. A journal
// keeps it in place of the streaming command, which has no bounded replay. Nil in the odd
// case where the rewritten line would not parse the same (a flag given `--` as its value).
func (s *Stream) Prelude() []string { return s.prelude }

// startStream makes the running command a Stream (Start) with step as its step; release
// (nil: none) lets go of what step holds once the stream finishes; off are the flags that
// turn its streaming off (for Prelude).
func (e *env) startStream(step func() bool, release func(), off ...string) {
	s := &Stream{c: e.c, step: step, release: release, off: off}
	if d, ok := e.requestTimeout(); ok {
		s.until = e.c.Now().Add(d)
	}
	e.stream = s
}

// followWindow is the bounded form of a stream, for Run: step runs at every instant while
// virtual time moves on for the watch window (DefaultWatchWindow, or --request-timeout),
// until it reports that the stream ended. It returns whether it did and how much virtual
// time passed.
func (e *env) followWindow(step func() bool) (ended bool, elapsed time.Duration, err error) {
	window := DefaultWatchWindow
	if d, ok := e.requestTimeout(); ok {
		window = d
	}
	start := e.c.Now()
	ended, err = e.c.RunUntil(start.Add(window), step)
	return ended, e.c.Now().Sub(start), err
}

// requestTimeout is --request-timeout as a positive duration, if given.
func (e *env) requestTimeout() (time.Duration, bool) {
	if !e.global.requestTimeout.changed {
		return 0, false
	}
	d, err := time.ParseDuration(e.global.RequestTimeout)
	return d, err == nil && d > 0
}

// preludeArgs inserts off into args (a command line whose command name and subcommand's
// are at the indices at) before the `--` that ends its flags, or at the end, and checks that
// the result parses with the streaming flag off and the same arguments; nil when it does not.
func preludeArgs(args []string, at []int, off []string) []string {
	end := len(args)
	for i := at[len(at)-1] + 1; i < len(args); i++ {
		if args[i] == "--" {
			end = i
			break
		}
	}
	out := append(append(append([]string(nil), args[:end]...), off...), args[end:]...)
	cmd, _ := resolveCommand(args, at[0])
	got, err := parseCommandLine(cmd, out, at, false)
	if err != nil {
		return nil
	}
	for _, o := range off {
		flag, _, _ := strings.Cut(strings.TrimPrefix(o, "--"), "=")
		if f := got.flags.lookup(flag); f == nil || f.value != "false" {
			return nil
		}
	}
	want, _ := parseCommandLine(cmd, args, at, false)
	if !slices.Equal(got.args, want.args) || !slices.Equal(got.afterDash, want.afterDash) {
		return nil
	}
	return out
}
