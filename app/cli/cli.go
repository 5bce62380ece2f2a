//go:build !wasm

package cli

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kubetab/kubetab/app/server"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/public"
)

const usage = `kubetab: a Kubernetes cluster simulated in a browser tab, and its CLI.

Usage:
  kubetab serve [--addr 127.0.0.1:8080]             serve the web app
  kubetab static --out DIR [--base-path /p/]        write the static website
  kubetab [--state DIR] run FILE|-                  run a script, print a transcript
  kubetab [--state DIR] kubectl ARGS...             one kubectl command against the cluster in DIR
  kubetab [--state DIR] advance DURATION            move virtual time forward (30s, 5m, 2h)
  kubetab [--state DIR] node add|fail|recover|remove NAME [--label k=v]...
  kubetab [--state DIR] reset                       a fresh default cluster
  kubetab tutorial test [-v] FILE...                run lessons headless, fail on a false check

Global flags:
  --state DIR       keep the cluster in DIR between invocations (created if missing)
  --seed N          random seed of a new cluster (default 0)
  --start RFC3339   virtual start time of a new cluster (default 2026-01-01T09:00:00Z)
  --strict          answer exactly as a real cluster does, for docs authors: legacy
                    apiVersions and removed kubectl flags are refused, no kubetab notes

--seed and --start shape a new cluster: with run on a fresh cluster, with reset, or on the
first command against an empty --state DIR. Paths in a script are relative to the script's
directory. The exit status is 0 when every command succeeded, 1 otherwise, 2 for a usage
error.
`

// Run runs the kubetab command line with args (without the program name) and returns the
// exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := flag.NewFlagSet("kubetab", flag.ContinueOnError)
	g.SetOutput(io.Discard)
	state := g.String("state", "", "")
	seedFlag := g.String("seed", "", "")
	startFlag := g.String("start", "", "")
	strict := g.Bool("strict", false, "")
	help := g.Bool("help", false, "")
	g.BoolVar(help, "h", false, "")
	if err := g.Parse(args); err != nil {
		return usageError(stderr, err.Error())
	}
	if *help {
		io.WriteString(stdout, usage)
		return 0
	}
	rest := g.Args()
	if len(rest) == 0 {
		return usageError(stderr, "missing command")
	}
	set := map[string]bool{}
	g.Visit(func(f *flag.Flag) { set[f.Name] = true })
	opts := terminal.Options{Strict: *strict}
	if set["seed"] {
		n, err := terminal.ParseSeed(*seedFlag)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		opts.Seed = n
	}
	if set["start"] {
		t, err := terminal.ParseStart(*startFlag)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		opts.Start = t
	}
	c := &invocation{state: *state, opts: opts, seedSet: set["seed"], startSet: set["start"], stdin: stdin, stdout: stdout, stderr: stderr}

	cmd, cargs := rest[0], rest[1:]
	switch cmd {
	case "help":
		io.WriteString(stdout, usage)
		return 0
	case "tutorial":
		if *state != "" || set["seed"] || set["start"] {
			return usageError(stderr, "--state, --seed and --start do not apply to tutorial (a lesson sets its own seed and start)")
		}
		return tutorialCommand(cargs, *strict, stdout, stderr)
	case "serve", "static":
		if *state != "" || set["seed"] || set["start"] || *strict {
			return usageError(stderr, fmt.Sprintf("--state, --seed, --start and --strict do not apply to %s", cmd))
		}
		if cmd == "serve" {
			return serve(cargs, stderr)
		}
		return static(cargs, stdout, stderr)
	case "run":
		if len(cargs) != 1 {
			return usageError(stderr, "run takes one script file, or - for standard input")
		}
		return c.run(cargs[0])
	case "kubectl":
		words := append([]string{"kubectl"}, cargs...)
		stdin, ok := c.stdinIfAsked(cargs)
		if !ok {
			return 1
		}
		return c.one(words, stdin)
	case "advance", "node", "reset":
		words := append([]string{"kubetab", cmd}, cargs...)
		if cmd == "reset" {
			c.reset = true
			// The global flags are reset's own: `kubetab --seed 3 reset`.
			if set["seed"] {
				words = append(words, "--seed", *seedFlag)
			}
			if set["start"] {
				words = append(words, "--start", opts.Start.Format(time.RFC3339))
			}
		}
		return c.one(words, nil)
	default:
		return usageError(stderr, fmt.Sprintf("unknown command %q", cmd))
	}
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "kubetab: %s\n\n%s", msg, usage)
	return 2
}

// invocation is one cluster command of the CLI, with the cluster it works on.
type invocation struct {
	state             string
	opts              terminal.Options
	seedSet, startSet bool
	// reset takes --seed and --start as its own, so a saved cluster may differ from them;
	// and it may replace a saved cluster that cannot be read.
	reset          bool
	stdin          io.Reader
	stdout, stderr io.Writer
}

// stdinIfAsked reads standard input for `kubectl apply -f -` and the like, and only then:
// reading it otherwise would wait for a terminal that sends nothing. It reads no more than
// a command may take (kubectl.MaxFileSize): ok is false, with the error printed, beyond.
func (c *invocation) stdinIfAsked(args []string) (stdin *string, ok bool) {
	for i, a := range args {
		if a == "-" && i > 0 || strings.HasSuffix(a, "=-") || a == "-f-" {
			b, within, err := readAtMost(c.stdin, kubectl.MaxFileSize)
			if err != nil {
				fmt.Fprintf(c.stderr, "kubetab: reading standard input: %s\n", err)
			}
			if !within {
				fmt.Fprintf(c.stderr, "error: %s\n", kubectl.ErrStdinTooLarge)
				return nil, false
			}
			s := string(b)
			return &s, true
		}
	}
	return nil, true
}

// files gives the session the OS file system, with relative paths taken from base (the
// shell writes only below it), and $EDITOR for kubectl edit. Files are read through
// kubectl.MaxFileSize: one over it is an error as soon as the limit is passed, and only that
// error enters the journal.
func (c *invocation) files(base string) {
	resolve := func(p string) string {
		if filepath.IsAbs(p) || base == "" {
			return p
		}
		return filepath.Join(base, p)
	}
	c.opts.ReadFile = func(p string) ([]byte, error) {
		data, within, err := readFileAtMost(resolve(p), kubectl.MaxFileSize)
		if err == nil && !within {
			err = fmt.Errorf("the file %q is %w", p, kubectl.ErrFileTooLarge)
		}
		return data, err
	}
	c.opts.Examples = public.Examples
	c.opts.ListDir = func(p string) ([]string, error) {
		entries, err := os.ReadDir(resolve(p))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name()) // subdirectories too: ls shows them, kubectl -f skips them without -R
		}
		return names, err
	}
	c.opts.WriteFile = func(p string, data []byte) error {
		p = resolve(p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	c.opts.RemoveFile = func(p string) error { return os.Remove(resolve(p)) }
	c.opts.Edit = editWithEditor
}

// withCluster runs fn on the session in --state DIR, or on a new one without --state, and
// saves what it changed. With --state the directory's lock is held from before the load to
// after the save, so that concurrent invocations run one after the other and none loses
// another's change.
func (c *invocation) withCluster(fn func(s *terminal.Session) int) int {
	if c.state == "" {
		s, err := terminal.New(c.opts)
		if err != nil {
			fmt.Fprintf(c.stderr, "kubetab: %s\n", err)
			return 1
		}
		return fn(s)
	}
	d, err := openStateDir(c.state)
	if err != nil {
		fmt.Fprintf(c.stderr, "kubetab: %s\n", err)
		return 1
	}
	defer d.close()
	s, fresh, err := d.load(c.opts, c.reset, c.stderr)
	if err != nil {
		fmt.Fprintf(c.stderr, "kubetab: %s\n", err)
		return 1
	}
	if !fresh {
		st := s.State()
		if !c.reset && (c.seedSet && st.Seed != c.opts.Seed || c.startSet && !st.Start.Equal(c.opts.Start)) {
			fmt.Fprintf(c.stderr, "kubetab: %s already holds a cluster (seed %d, start %s); --seed and --start shape only a new one (use reset to start over)\n", c.state, st.Seed, st.Start.Format(time.RFC3339))
			return 1
		}
		for _, div := range s.Divergences() {
			fmt.Fprintf(c.stderr, "kubetab: warning: %s\n", div)
		}
	}
	before := stateKey(s.State())
	code := fn(s)
	if err := checkpointIfDue(s); err != nil {
		fmt.Fprintf(c.stderr, "kubetab: %s\n", err)
		return 1
	}
	// A new cluster that --seed, --start or reset shaped is saved even when the command
	// changed nothing in it: the next command must find the same cluster.
	shaped := fresh && (c.seedSet || c.startSet || c.reset)
	if err := d.save(s, before, shaped); err != nil {
		fmt.Fprintf(c.stderr, "kubetab: %s\n", err)
		return 1
	}
	return code
}

// checkpointIfDue takes a snapshot of the cluster when its journal has grown enough
// (terminal.Session.CheckpointDue), so that the next invocation replays little, after the
// invocation's commands. The
// KUBETAB_CHECKPOINT=always environment variable takes one after every command, for tests
// that check that a run restored at each step prints what a run without restores prints.
func checkpointIfDue(s *terminal.Session) error {
	if s.CheckpointDue() || os.Getenv("KUBETAB_CHECKPOINT") == "always" && s.CanCheckpoint() {
		return s.CheckpointLast() // the invocation ends: nothing goes on from a restore
	}
	return nil
}

// one runs a single command (kubectl, advance, node, reset), its words as given.
func (c *invocation) one(words []string, stdin *string) int {
	wd, _ := os.Getwd()
	c.files(wd)
	return c.withCluster(func(s *terminal.Session) int {
		if s.Exec(words, stdin, c.stdout, c.stderr) != 0 {
			return 1
		}
		return 0
	})
}

// run runs a script file (or standard input) and prints its transcript.
func (c *invocation) run(file string) int {
	var src []byte
	var within bool
	var err error
	base, _ := os.Getwd()
	name := "from standard input"
	if file == "-" {
		src, within, err = readAtMost(c.stdin, terminal.MaxScriptBytes)
	} else {
		src, within, err = readFileAtMost(file, terminal.MaxScriptBytes)
		base = filepath.Dir(file)
		name = file
	}
	if err == nil && !within {
		err = fmt.Errorf("the script %s is larger than kubetab's limit of %d bytes", name, terminal.MaxScriptBytes)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "kubetab: %s\n", err)
		return 1
	}
	c.files(base)
	return c.withCluster(func(s *terminal.Session) int {
		return s.RunScript(string(src), c.stdout)
	})
}

// editWithEditor is kubectl edit's editor, as kubectl picks it: $KUBE_EDITOR, else $EDITOR,
// else vi, run on a temporary file.
func editWithEditor(name, text string) (string, error) {
	editor := os.Getenv("KUBE_EDITOR")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	f, err := os.CreateTemp("", "kubectl-edit-*.yaml")
	if err != nil {
		return "", err
	}
	path := f.Name()
	defer os.Remove(path)
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	var cmd *exec.Cmd
	if strings.ContainsAny(editor, " \t") {
		// An editor with arguments ("code --wait"), as kubectl runs it: through the shell.
		cmd = exec.Command("sh", "-c", editor+` "$1"`, "sh", path)
	} else {
		cmd = exec.Command(editor, path)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("there was a problem with the editor %q: %w", editor, err)
	}
	b, within, err := readFileAtMost(path, kubectl.MaxFileSize)
	if err == nil && !within {
		err = fmt.Errorf("the edited text is %w", kubectl.ErrFileTooLarge)
	}
	return string(b), err
}

func serve(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError(stderr, "serve takes only --addr HOST:PORT")
	}
	if _, err := os.Stat(server.WasmFile()); err != nil {
		fmt.Fprintf(stderr, "kubetab: warning: %s is missing: run `make build` (the page loads, the app does not)\n", server.WasmFile())
	}
	// Listen first, so that the address printed is one that answers (":0" picks a port).
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "kubetab: %s\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "kubetab: serving on http://%s\n", ln.Addr())
	if err := http.Serve(ln, server.New()); err != nil {
		fmt.Fprintf(stderr, "kubetab: %s\n", err)
		return 1
	}
	return 0
}

func static(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("static", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "")
	base := fs.String("base-path", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *out == "" {
		return usageError(stderr, "static takes --out DIR [--base-path /p/]")
	}
	if err := server.WriteStatic(*out, *base); err != nil {
		fmt.Fprintf(stderr, "kubetab: %s\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote the static website to %s\n", *out)
	return 0
}
