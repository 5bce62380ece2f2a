package terminal

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/examples"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
	"github.com/kubetab/kubetab/engine/persist"
)

// newShell is the session's shell: on the workspace, with kubectl, k, kubetab and a sleep
// that moves virtual time as its own commands, and curl and wget reaching the cluster's
// network from a node (hostEnv).
func (s *Session) newShell() *sh.Interactive {
	host := map[string]sh.Builtin{"kubectl": s.runHost, "k": s.runHost, "kubetab": s.runHost, "sleep": s.sleep,
		"minikube": s.minikube, "kind": s.kind, "jobs": s.jobsCommand, "kill": s.killCommand, "wait": s.waitCommand,
		// jq is the terminal's (a kind node has it), not the busybox images'.
		"jq":      func(c *sh.Call) int { return c.Filter(filters.Jq) },
		"openssl": s.openssl, "make": s.make, "go": s.goCommand}
	return sh.NewInteractive(sh.Config{
		Env:          hostEnv{s},
		Files:        s.workspace(),
		Commands:     host,
		Vars:         map[string]string{"HOSTNAME": cluster.ControlPlaneNode},
		Dir:          Home,
		MaxSteps:     MaxCommandSteps,
		LimitMessage: lineLimitMessage,
	})
}

// inputs is where a command's outside-world inputs come from: the user's files and editor
// (recorded), or a journal entry (replayed).
type inputs interface {
	io(out, errOut io.Writer, stdin *string) kubectl.IO
	// strict is the mode kubectl runs in (Options.Strict, as recorded).
	strict() bool
	// config is the kubeconfig kubectl runs with: the session's (its namespace recorded),
	// or, in a replay, a copy of the one recorded, which nothing keeps.
	config() *kubectl.ClientConfig
}

// runHost runs kubectl (k) or kubetab as a command of the shell, and journals it with what
// it read when it may have changed the cluster. In a line that may wait (Start), a watch or
// follow that gets going keeps streaming and the line waits for it.
func (s *Session) runHost(c *sh.Call) int { return s.runHostArgs(c, c.Args()) }

// runHostArgs is runHost with the command's words given (`minikube kubectl -- ...`).
func (s *Session) runHostArgs(c *sh.Call, args []string) int {
	if isProxy(args) {
		return s.kubectlProxy(c, args)
	}
	if isPortForward(args) {
		return s.kubectlPortForward(c, args)
	}
	if c.Background() && isStreamCommand(args) {
		return s.backgroundStream(c, args) // bgstreams.go
	}
	if ri, ok := parseInteractiveRun(args); ok {
		return s.runInteractive(c, args, ri) // container.go
	}
	return s.hostExec(c, args, c.Stdout(), c.Stderr())
}

// hostExec runs and journals one kubectl or kubetab command of the shell, its output to
// stdout and stderr.
func (s *Session) hostExec(c *sh.Call, args []string, stdout, stderr io.Writer) int {
	c.Charge(hostCommandSteps)
	var stdin *string
	if readsStdin(args) {
		if data, ok := c.Stdin(); ok {
			stdin = &data
		}
	}
	before := s.stream
	code := s.execJournaled(args, stdin, c.Dir(), s.shellEditor(c), stdout, stderr, c.CanWait())
	s.pollStream()
	if s.stream != nil && s.stream != before {
		c.Wait()
	}
	return code
}

// readsStdin tells whether a command reads its standard input. kubectl reads it only for a
// `-` argument (`-f -`, `set env -`) or -i (--stdin) before its `--`: any other leaves the
// input to the commands after it, as a `while read` loop around `kubectl get` expects.
func readsStdin(args []string) bool {
	if len(args) == 0 || args[0] != "kubectl" && args[0] != "k" {
		return true
	}
	for _, a := range args[1:] {
		switch {
		case a == "--":
			return false
		case a == "-", strings.HasSuffix(a, "=-"), a == "--stdin", a == "--stdin=true":
			return true
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.Contains(a, "i"):
			return true // -i, -it, -ti (or a short flag's value with an i: read, as before)
		}
	}
	return false
}

// execJournaled runs one command as exec does, with the session's inputs (paths from dir;
// the shell's editor when it names one, editor.go), and journals it with what it read when it may have changed the cluster.
func (s *Session) execJournaled(args []string, stdin *string, dir string, editor shellEditorFunc, stdout, stderr io.Writer, stream bool) int {
	rec := &recordingInputs{opts: &s.opts, dir: dir, editor: editor, kubeconfig: &s.kubeconfig, scratch: s.scratchFS()}
	var code int
	var journaled []string
	// An advance journals itself (it merges with the one before): its steps count too.
	n, last := len(s.journal), s.lastEntry()
	s.measure(func() { code, journaled = s.exec(args, stdin, rec, stdout, stderr, stream) },
		func() bool { return journaled != nil || len(s.journal) != n || s.lastEntry() != last })
	if journaled != nil {
		e := rec.entry
		e.Args = persist.Texts(journaled)
		if stdin != nil {
			e.Stdin = persist.NewText(*stdin)
		}
		e.Exit = code
		s.record(e)
	}
	return code
}

// lastEntry identifies the journal's last entry (an advance merged into it changes it).
func (s *Session) lastEntry() string {
	if len(s.journal) == 0 {
		return ""
	}
	return Quote(persist.Strings(s.journal[len(s.journal)-1].Args))
}

// exec runs one kubectl or kubetab command (or, in a replay, a journaled request) and
// returns the words the journal keeps for it: nil when it needs none. With stream, a
// kubectl watch or follow becomes the session's stream.
func (s *Session) exec(args []string, stdin *string, in inputs, out, errOut io.Writer, stream bool) (code int, journaled []string) {
	if len(args) == 0 {
		return 0, nil
	}
	switch args[0] {
	case "kubectl", "k":
		if isProxy(args) { // a replayed proxy job (proxy.go)
			return s.startProxy(args, out, errOut), nil
		}
		if isPortForward(args) { // a replayed port-forward job (portforward.go)
			return s.startPortForward(args, out, errOut), nil
		}
		if ie, ok := parseInteractiveExec(args); ok { // container.go
			if code, handled := s.enterContainer(ie, errOut); handled {
				if code != 0 {
					return code, nil
				}
				s.mergeAdvance = false
				return code, args
			}
		}
		if code, ok := s.replayInside(args, out, errOut); ok {
			return code, nil
		}
		kio := in.io(out, errOut, stdin)
		kc := Kubectl(s.cluster)
		kc.Strict = in.strict()
		kc.REST = s.restServer()
		kc.Config = in.config()
		if stream {
			var st *kubectl.Stream
			st, code = kubectl.Start(kc, args[1:], kio)
			if st != nil {
				s.stream = st
				// What it did so far is what the command without its stream does. (Nil only
				// for a command line that cannot be rewritten so; its stream still only read.)
				args = nil
				if p := st.Prelude(); p != nil {
					args = append([]string{"kubectl"}, p...)
				}
			}
		} else {
			code = kubectl.Run(kc, args[1:], kio)
		}
		if args == nil || kubectl.ReadOnly(args[1:]) {
			return code, nil
		}
		s.mergeAdvance = false
		return code, args
	case "kubetab":
		code, record := s.kubetab(args[1:], out, errOut)
		if !record {
			return code, nil
		}
		return code, args
	case "minikube": // the metrics-server addon (minikube.go)
		if len(args) == 4 && args[1] == "addons" && args[3] == metricsServerAddon {
			code := s.metricsServer(args[2] == "enable", out, errOut)
			if code != 0 {
				return code, nil
			}
			s.mergeAdvance = false
			return code, args
		}
	case bgWord: // a replayed background stream, or a job forgotten (bgstreams.go)
		return s.replayBackground(args, in, errOut), nil
	case "kill": // a replayed kill of a job (jobs.go)
		if len(args) == 2 && s.killJob(args[1]) {
			return 0, nil
		}
		return 1, nil
	case "curl":
		if len(args) == 3 {
			// A replayed request is the last entry now: a following advance must not
			// absorb it (as in the live run, where hostEnv.HTTPGet journals it).
			s.mergeAdvance = false
			return s.request(args[2]), nil
		}
	}
	fmt.Fprintf(errOut, "sh: %s: not found\n", args[0])
	return ExitNotFound, nil
}

// sleep is the terminal's sleep: it moves virtual time, as `kubetab advance` does.
func (s *Session) sleep(c *sh.Call) int {
	c.Charge(hostCommandSteps)
	args := c.Args()[1:]
	if len(args) == 0 {
		fmt.Fprintln(c.Stderr(), "sleep: missing operand")
		return 1
	}
	var total time.Duration
	for _, a := range args {
		d, ok := sh.SleepDuration(a)
		switch {
		case a == "infinity" || a == "inf" || ok && d < 0:
			fmt.Fprintln(c.Stderr(), "sleep: the terminal does not sleep forever: let the clock run, or kubetab advance")
			return 1
		case !ok:
			fmt.Fprintf(c.Stderr(), "sleep: invalid number '%s'\n", a)
			return 1
		}
		total += d
	}
	if total > MaxAdvance {
		fmt.Fprintf(c.Stderr(), "sleep: at most %s at a time\n", FormatDuration(MaxAdvance))
		return 1
	}
	if total > 0 {
		if err := s.moveTime(total); err != nil {
			fmt.Fprintf(c.Stderr(), "sleep: %s\n", err)
			return 1
		}
	}
	s.pollStream()
	return 0
}

// hostEnv is the shell's machine: a node of the cluster (the control plane's, as a kind
// node's shell), whose curl and wget reach pod IPs, ClusterIPs and node ports through the
// kubelets' network, as kube-proxy on that node routes them. Names resolve through the
// node's /etc/hosts only: a kind node's name server knows nothing of the cluster's
// Services. A request that reached a server is journaled: the server may have changed (a
// counter, an access log line).
type hostEnv struct{ s *Session }

func (e hostEnv) Now() time.Time   { return e.s.cluster.Now() }
func (e hostEnv) Hostname() string { return cluster.ControlPlaneNode }
func (e hostEnv) FS() *sh.FS       { return nil }

func (e hostEnv) HTTPGet(url, ip string) (int, string, error) {
	status, body, _, err := e.HTTPSGet(url, ip) // https.go
	return status, body, err
}

// QueryDNS: the node has no name server the shell could reach.
func (e hostEnv) QueryDNS(server, name, qtype string) (sh.DNSAnswer, error) {
	return sh.DNSAnswer{}, fmt.Errorf("dial udp %s:53: %w", server, sh.ErrTimeout)
}

// hostsFile is the node's /etc/hosts, as on a kind node: localhost and the node itself.
func (s *Session) hostsFile() string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n")
	if ip := s.cluster.Kubelets.NodeIP(cluster.ControlPlaneNode); ip != "" {
		b.WriteString(ip + "\t" + cluster.ControlPlaneNode + "\n")
	}
	return b.String()
}

// request replays a journaled request, its host resolved as the node resolves it (an
// address, or a name of its /etc/hosts).
func (s *Session) request(rawURL string) int {
	// The host of scheme://host:port/path (or [v6]:port).
	ip := rawURL
	if _, rest, ok := strings.Cut(ip, "://"); ok {
		ip = rest
	}
	ip, _, _ = strings.Cut(ip, "/")
	if strings.HasPrefix(ip, "[") {
		ip, _, _ = strings.Cut(ip[1:], "]")
	} else {
		ip, _, _ = strings.Cut(ip, ":")
	}
	for _, line := range strings.Split(s.hostsFile(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && slices.Contains(f[1:], ip) && strings.Contains(f[0], ".") {
			ip = f[0]
			break
		}
	}
	if _, _, err := s.cluster.Kubelets.HTTPGetFromNode(cluster.ControlPlaneNode, ip, rawURL); err != nil {
		return 7
	}
	return 0
}

// shellState and savedShell convert the shell's state to and from what persist keeps.
func shellState(p *persist.Shell) sh.State {
	st := sh.State{Vars: map[string]string{}, Funcs: map[string]string{}, Exported: p.Exported, Dir: p.Dir, Options: p.Options, Status: p.Status}
	for k, v := range p.Vars {
		st.Vars[k] = string(v)
	}
	for k, v := range p.Funcs {
		st.Funcs[k] = string(v)
	}
	if len(p.Aliases) > 0 {
		st.Aliases = map[string]string{}
		for k, v := range p.Aliases {
			st.Aliases[k] = string(v)
		}
	}
	return st
}

func savedShell(st sh.State) *persist.Shell {
	if len(st.Vars) == 0 && len(st.Funcs) == 0 && len(st.Aliases) == 0 && len(st.Exported) == 0 && st.Dir == "" && st.Options == "" && st.Status == 0 {
		return nil
	}
	p := &persist.Shell{Exported: st.Exported, Dir: st.Dir, Options: st.Options, Status: st.Status}
	if len(st.Vars) > 0 {
		p.Vars = map[string]persist.Text{}
		for k, v := range st.Vars {
			p.Vars[k] = persist.Text(v)
		}
	}
	if len(st.Funcs) > 0 {
		p.Funcs = map[string]persist.Text{}
		for k, v := range st.Funcs {
			p.Funcs[k] = persist.Text(v)
		}
	}
	if len(st.Aliases) > 0 {
		p.Aliases = map[string]persist.Text{}
		for k, v := range st.Aliases {
			p.Aliases[k] = persist.Text(v)
		}
	}
	return p
}

var _ sh.Internet = hostEnv{}

// HTTPGetInternet answers the example URLs of the docs and the book from the bundle
// (Options.Examples); every other name stays unresolved, as kubetab is offline. Reading the
// bundle changes nothing in the cluster, so nothing is journaled.
func (e hostEnv) HTTPGetInternet(url string) (int, string, bool) {
	data, err := examples.Get(e.s.opts.Examples, url)
	var httpErr *examples.HTTPError
	switch {
	case err == nil:
		return 200, string(data), true
	case errors.As(err, &httpErr):
		return httpErr.StatusCode, "404 page not found\n", true
	}
	return 0, "", false
}
