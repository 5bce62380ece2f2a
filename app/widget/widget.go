package widget

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/wasm/share"
)

// Limits of the embed protocol and parameters.
const (
	maxMessageID     = 64
	maxMessageLine   = 64 << 10
	maxMessageFiles  = share.MaxFiles
	maxMessageBytes  = 1 << 20 // the files of one load, together
	maxStartCommands = 50
	maxOrigins       = 20
	// maxWaiting bounds the host page's messages waiting to run. A message beyond it is
	// not run but answered at once with busyOutput: a flood (thousands of messages in one
	// go) then costs the page a moment, not minutes of commands.
	maxWaiting = 256
	// changedEvery throttles kubetab:changed.
	changedEvery = 500 * time.Millisecond
)

// Message types.
const (
	msgExec    = "kubetab:exec"
	msgLoad    = "kubetab:load"
	msgReset   = "kubetab:reset"
	msgReady   = "kubetab:ready"
	msgResult  = "kubetab:result"
	msgChanged = "kubetab:changed"
	msgHeight  = "kubetab:height"
)

// Config is what the widget's URL asks for.
type Config struct {
	Light    bool
	ReadOnly bool
	Editor   bool
	// Strict runs kubectl in strict mode (terminal.Options.Strict): what a real cluster
	// does, without kubetab's kindness to learners.
	Strict bool
	Run    []string
	Files  map[string]string
	Bundle *share.Bundle
	// Origins may send messages; the widget's own origin is always first.
	Origins []string
	// Problems are parameters that were not understood; the widget shows and logs them.
	Problems []string
}

// ParseConfig reads the widget's URL. Nothing in it is trusted: bad values are
// dropped with a problem that says why.
func ParseConfig(u *url.URL) Config {
	q := u.Query()
	c := Config{Files: map[string]string{}}
	switch t := q.Get("theme"); t {
	case "", "dark":
	case "light":
		c.Light = true
	default:
		c.Problems = append(c.Problems, fmt.Sprintf("theme %q is not light or dark", t))
	}
	c.ReadOnly = flagParam(q.Get("readonly"))
	c.Editor = flagParam(q.Get("editor"))
	c.Strict = flagParam(q.Get("strict"))

	for i, line := range q["run"] {
		if i >= maxStartCommands {
			c.Problems = append(c.Problems, fmt.Sprintf("more than %d run= commands: the rest are not run", maxStartCommands))
			break
		}
		switch {
		case len(line) > maxMessageLine:
			c.Problems = append(c.Problems, fmt.Sprintf("a run= command is longer than %d bytes", maxMessageLine))
		case strings.TrimSpace(line) != "":
			c.Run = append(c.Run, line)
		}
	}

	names, texts := q["file"], q["text"]
	if len(names) != len(texts) {
		c.Problems = append(c.Problems, fmt.Sprintf("%d file= parameters but %d text= parameters: each file needs its text", len(names), len(texts)))
	}
	files := map[string]string{}
	for i := 0; i < len(names) && i < len(texts); i++ {
		files[names[i]] = texts[i]
	}
	if err := checkFiles(files); err != nil {
		c.Problems = append(c.Problems, err.Error())
	} else {
		c.Files = files
	}

	enc := q.Get("bundle")
	if enc == "" {
		for _, part := range strings.Split(u.Fragment, "&") {
			if v, ok := strings.CutPrefix(part, "bundle="); ok {
				enc = v
			}
		}
	}
	if enc != "" {
		b, err := share.ParseFragment(enc)
		if err != nil {
			c.Problems = append(c.Problems, "bundle: "+err.Error())
		} else {
			c.Bundle = b
		}
	}

	self := originOf(u)
	c.Origins = []string{self}
	if v := q.Get("origins"); v != "" {
		for _, o := range strings.Split(v, ",") {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			norm, err := normalizeOrigin(o)
			switch {
			case err != nil:
				c.Problems = append(c.Problems, err.Error())
			case len(c.Origins) >= maxOrigins:
				c.Problems = append(c.Problems, fmt.Sprintf("more than %d origins: %s is not allowed", maxOrigins, norm))
			case !slices.Contains(c.Origins, norm):
				c.Origins = append(c.Origins, norm)
			}
		}
	}
	return c
}

func flagParam(v string) bool { return v == "1" || v == "true" || v == "yes" }

// originOf is the origin of a URL, as the browser writes it (scheme://host[:port]).
func originOf(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// normalizeOrigin checks an allowed origin: http or https, a host, nothing else; "*" and
// "null" are refused (any page, or a sandboxed one, would then drive the widget).
func normalizeOrigin(o string) (string, error) {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("origin %q is not an origin like https://docs.example.com", o)
	}
	return originOf(u), nil
}

// message is a host page's message, once its JavaScript shape was checked.
type message struct {
	Type  string
	ID    string
	Line  string
	Files map[string]string
}

// busyOutput is the result of a message the widget refused because maxWaiting others were
// waiting.
var busyOutput = fmt.Sprintf("kubetab: not run: %d messages are already waiting; send the next one after a result comes back\n", maxWaiting)

// inbox holds the host page's messages, in the order they came, up to a bound.
type inbox[T any] struct {
	waiting chan T
	// warned is set at the first refusal of a burst, which ends when the inbox empties:
	// one warning per burst, not one per refused message.
	warned atomic.Bool
}

func newInbox[T any](n int) *inbox[T] { return &inbox[T]{waiting: make(chan T, n)} }

// offer queues m unless the inbox is full; warn is true for the first refusal of a burst.
// It never blocks.
func (b *inbox[T]) offer(m T) (queued, warn bool) {
	select {
	case b.waiting <- m:
		return true, false
	default:
		return false, !b.warned.Swap(true)
	}
}

// next waits for the oldest message.
func (b *inbox[T]) next() T {
	m := <-b.waiting
	if len(b.waiting) == 0 {
		b.warned.Store(false)
	}
	return m
}

// checkMessage checks a message's values (the caller has checked their JavaScript types).
func checkMessage(m message) error {
	switch {
	case len(m.ID) > maxMessageID:
		return fmt.Errorf("id is longer than %d characters", maxMessageID)
	case m.Type == msgExec && len(m.Line) > maxMessageLine:
		return fmt.Errorf("line is longer than %d bytes", maxMessageLine)
	case m.Type == msgExec && strings.TrimSpace(m.Line) == "":
		return errors.New("line is empty")
	case m.Type == msgLoad:
		return checkFiles(m.Files)
	}
	return nil
}

// checkFiles checks files to write into the workspace, all before any is written.
func checkFiles(files map[string]string) error {
	if len(files) > maxMessageFiles {
		return fmt.Errorf("%d files, at most %d", len(files), maxMessageFiles)
	}
	total := 0
	for name, text := range files {
		if err := session.CheckName(name); err != nil {
			return err
		}
		if len(text) > session.MaxFileBytes {
			return fmt.Errorf("file %q is %d bytes, at most %d", name, len(text), session.MaxFileBytes)
		}
		total += len(name) + len(text)
	}
	if total > maxMessageBytes {
		return fmt.Errorf("the files are %d bytes together, at most %d", total, maxMessageBytes)
	}
	return nil
}

// loadFiles writes files into the shell's workspace and says what it did.
func loadFiles(sh *session.Shell, files map[string]string) (string, int) {
	if err := checkFiles(files); err != nil {
		return "kubetab: " + err.Error() + "\n", 1
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := sh.Files().Write(n, files[n]); err != nil {
			return "kubetab: " + err.Error() + "\n", 1
		}
	}
	return fmt.Sprintf("wrote %d files: %s\n", len(names), strings.Join(names, ", ")), 0
}

// setup makes the widget's starting state: the bundle's cluster, the files, then the
// start commands, in that order.
func setup(sh *session.Shell, c Config) {
	if c.Bundle != nil {
		if err := sh.ReplayShare(c.Bundle, "the widget's bundle"); err != nil {
			sh.SetNotice("embed-bundle", "The widget's bundle could not be loaded: "+err.Error())
		}
		// A widget's clock runs: its bundle is a starting point, not a scene to study.
		sh.SetPlaying(true)
	}
	if len(c.Files) > 0 {
		loadFiles(sh, c.Files)
	}
	for _, line := range c.Run {
		sh.Exec(line)
	}
	if len(c.Problems) > 0 {
		sh.SetNotice("embed", "Some widget parameters were ignored: "+strings.Join(c.Problems, "; ")+".")
	}
}
