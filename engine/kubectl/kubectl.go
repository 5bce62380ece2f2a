package kubectl

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/apiserver/rest"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/metrics"
	"github.com/kubetab/kubetab/engine/sim"
)

// command is one kubectl subcommand.
type command struct {
	name    string
	aliases []string
	short   string
	usage   string
	// options returns the options of one invocation, with their defaults, and declares the
	// command's flags on fs, each bound to its field (kubectl's NewCmdX with its Options).
	options func(fs *flagSet) commandOptions
	// dash receives the arguments after `--` (kubectl run); other commands see them as
	// ordinary arguments.
	dash bool
	// subcommands are chosen by the command line's first positional word (`rollout
	// status`, `create deployment`); other words leave the command itself to run, if it has
	// options, as cobra runs a parent command. parent is set for a subcommand.
	subcommands []*command
	parent      *command
}

// path is the command as kubectl names it in its messages: `rollout status`.
func (c *command) path() string {
	if c.parent != nil {
		return c.parent.path() + " " + c.name
	}
	return c.name
}

// named tells whether the command is called name, or has it as an alias.
func (c *command) named(name string) bool {
	return c.name == name || slices.Contains(c.aliases, name)
}

// commandOptions is one invocation of a command: its command line read into the command's
// own fields, then worked through as kubectl's Options are (Complete, Validate, Run).
type commandOptions interface {
	// complete takes the positional arguments and works out what the flags leave open.
	complete(e *env, args []string) error
	// validate refuses combinations kubectl refuses.
	validate(e *env) error
	// run does the command.
	run(e *env) error
	// readOnly tells whether the command, as parsed, leaves the cluster as it is: it writes
	// no object and moves no time, so running it again changes nothing (see ReadOnly).
	readOnly() bool
}

// plainArgs is the complete and validate of a command that only keeps its arguments.
type plainArgs struct{ args []string }

func (p *plainArgs) complete(_ *env, args []string) error { p.args = args; return nil }
func (*plainArgs) validate(*env) error                    { return nil }

// ClientName is the API client kubectl writes as.
const ClientName = "kubectl"

// Cluster is what kubectl runs against: the simulation (its store, API server and clock) and
// the containers the kubelets run, for logs and exec.
type Cluster struct {
	*sim.Cluster
	Containers Containers
	// Metrics is the resource metrics API (kubectl top); nil: not available.
	Metrics *metrics.Server
	// Strict answers exactly as real kubectl against a real cluster does, for docs authors
	// (kubetab --strict): legacy apiVersions are refused with kubectl's error, an unknown
	// field gets no suggestion, and the notes kubetab adds out of kindness to learners (and
	// what they accept, such as get's removed -a) are gone. The default is kind.
	Strict bool
	// Config is the kubeconfig's changeable part (its context's namespace), which
	// `kubectl config set-context` changes; nil: the default context, read only.
	Config *ClientConfig
	// REST is the API server's REST face for `kubectl get --raw` (the terminal's, which
	// journals what a proxy path reaches); nil: one without the proxy subresources.
	REST RawGetter
}

// RawGetter answers a GET of an API path as the API server does (rest.Server is one).
type RawGetter interface {
	GetFor(target string, pretty bool) rest.Response
}

// Containers is what kubectl asks of the kubelets (kubelet.Manager is one).
type Containers interface {
	// ContainerLogs returns a container's log (previous: the instance before the last
	// restart), with the API server's and the kubelet's errors.
	ContainerLogs(namespace, pod, container string, previous bool) ([]kubelet.LogLine, error)
	// ContainerLogDropped is how many lines a container's log has lost to its cap.
	ContainerLogDropped(namespace, pod, container string) int
	// Exec runs argv in a running container at once; its output and errors come apart.
	Exec(pod *corev1.Pod, container string, argv []string) (stdout, stderr string, exitCode int, err error)
	// ExecStartError is the runtime's error for argv naming a program the container
	// lacks, or "" when it has it.
	ExecStartError(argv []string) string
}

// env is what one invocation works with.
type env struct {
	c          *sim.Cluster
	api        *apiserver.Client
	containers Containers
	rest       RawGetter
	config     *ClientConfig
	metrics    *metrics.Server
	io         IO
	cmd        *command
	global     *globalOptions
	// ns is the namespace from -n, else "default"; nsSet tells whether -n was given (kubectl's
	// enforceNamespace: a manifest naming another namespace is then an error).
	ns    string
	nsSet bool
	// afterDash holds the arguments after `--`.
	afterDash []string
	// line is the command line as read (for --record's change-cause).
	line *commandLine
	// streaming is set for Start: a watch or follow becomes a Stream (stream) instead of
	// following for a bounded window.
	streaming bool
	stream    *Stream
	// warned holds the API server's warnings printed so far: kubectl prints each once.
	warned map[string]bool
	// strictMode is Cluster.Strict.
	strictMode bool
}

// strict tells whether kubectl answers as real kubectl does, without kubetab's kindness to
// learners (Cluster.Strict).
func (e *env) strict() bool { return e.strictMode }

func (e *env) out(format string, a ...any)  { fmt.Fprintf(e.io.Out, format, a...) }
func (e *env) errf(format string, a ...any) { fmt.Fprintf(e.io.Err, format, a...) }

// globalOptions are the flags every command accepts.
type globalOptions struct {
	Namespace string
	Help      bool
	// Accepted so that copied command lines work; kubetab has one cluster and one user.
	Context, Kubeconfig string
	RequestTimeout      string
	Verbosity           string

	namespace, requestTimeout *flag
}

func (g *globalOptions) addFlags(fs *flagSet) {
	g.namespace = fs.String(&g.Namespace, "namespace", "n", "")
	fs.Bool(&g.Help, "help", "h", false)
	fs.String(&g.Context, "context", "", "")
	fs.String(&g.Kubeconfig, "kubeconfig", "", "")
	g.requestTimeout = fs.String(&g.RequestTimeout, "request-timeout", "", "")
	fs.String(&g.Verbosity, "v", "v", "")
}

var commands []*command

func init() {
	commands = []*command{
		createCommand, getCommand, runCommand,
		deleteCommand, applyCommand, replaceCommand, editCommand, patchCommand,
		labelCommand, annotateCommand, scaleCommand, exposeCommand,
		describeCommand, logsCommand, execCommand, waitCommand, explainCommand,
		cordonCommand, uncordonCommand, drainCommand,
		clusterInfoCommand, apiResourcesCommand, versionCommand, configCommand,
		rolloutCommand, setCommand, autoscaleCommand, topCommand, authCommand, taintCommand, apiVersionsCommand, diffCommand, eventsCommand, kustomizeCommand,
	}
	var setParents func(c *command)
	setParents = func(c *command) {
		for _, sub := range c.subcommands {
			sub.parent = c
			setParents(sub)
		}
	}
	for _, c := range commands {
		setParents(c)
	}
}

// unsupported are real kubectl commands kubetab does not offer; they get a clear message
// instead of "unknown command".
var unsupported = []string{
	"attach", "certificate", "completion", "cp", "debug",
	"plugin", "port-forward", "proxy",
	"alpha",
}

// commandLine is a kubectl command line read into its command's options.
type commandLine struct {
	cmd    *command
	opts   commandOptions
	global *globalOptions
	flags  *flagSet
	// args are the positional arguments (with those after `--`, unless the command takes
	// them apart in afterDash).
	args, afterDash []string
	// at are the indices of the command's name in the words, then of its subcommand's;
	// names are those words.
	at    []int
	names []string
}

// changeCause is the command line as --record writes it into kubernetes.io/change-cause
// (cli-runtime's parseCommandArguments): `kubectl`, the words that are not flags, then
// each flag given as ` --name=value`.
func (cl *commandLine) changeCause() string {
	words := append([]string{"kubectl"}, cl.names...)
	words = append(append(words, cl.args...), cl.afterDash...)
	s := strings.Join(words, " ")
	for _, g := range cl.flags.given {
		s += " --" + g.f.name + "=" + g.val
	}
	return s
}

// globalPrefix returns the index of the command's name in args: global flags may precede
// it (`kubectl -n kube-system get pods`).
func globalPrefix(args []string) int { return nextWord(args, 0) }

// nextWord returns the index of the first word from i on that is not a flag (nor the value
// of a global flag that takes one), or len(args).
func nextWord(args []string, i int) int {
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" {
		a := args[i]
		i++
		if (a == "-n" || a == "--namespace" || a == "--context" || a == "--kubeconfig" || a == "--request-timeout") && i < len(args) {
			i++
		}
	}
	return i
}

// resolveCommand finds the command args[i] names and, for one with subcommands, the
// subcommand its first positional word names, as cobra's Find does. It returns the
// command that runs and the indices of the words that named it; nil when args[i] names no
// command.
func resolveCommand(args []string, i int) (*command, []int) {
	cmd := findCommand(args[i])
	if cmd == nil {
		return nil, nil
	}
	at := []int{i}
	// Subcommands may have their own (`create secret generic`).
	for found := true; found && len(cmd.subcommands) > 0; {
		found = false
		last := at[len(at)-1]
		// A word after `--` is an argument, never a subcommand.
		if j := nextWord(args, last+1); j < len(args) && !slices.Contains(args[last+1:j], "--") {
			for _, sub := range cmd.subcommands {
				if sub.named(args[j]) {
					cmd, at, found = sub, append(at, j), true
					break
				}
			}
		}
	}
	return cmd, at
}

// parseCommandLine reads the flags of cmd, whose name (and subcommand's) are the words at
// the indices at, from the rest of the words: the flags before the name are global ones.
func parseCommandLine(cmd *command, args []string, at []int, strict bool) (*commandLine, error) {
	fs := &flagSet{strict: strict}
	cl := &commandLine{cmd: cmd, global: &globalOptions{}, flags: fs, at: at}
	for _, i := range at {
		cl.names = append(cl.names, args[i])
	}
	if cmd.options != nil {
		cl.opts = cmd.options(fs)
	} else {
		cl.opts = &subcommandRequired{}
	}
	cl.global.addFlags(fs)
	var rest []string
	for i, a := range args {
		if !slices.Contains(at, i) {
			rest = append(rest, a)
		}
	}
	positional, afterDash, err := parseFlags(fs, rest)
	if err != nil {
		return nil, err
	}
	if cmd.dash {
		cl.args, cl.afterDash = positional, afterDash
	} else {
		cl.args = append(positional, afterDash...)
	}
	return cl, nil
}

// ReadOnly reports whether a kubectl command line (the words after "kubectl") leaves the
// cluster as it is, as the command itself says once its flags are read: get without a
// watch, describe, explain, a dry run, --help. Such a line need not be kept to rebuild the
// cluster. Anything that writes an object, moves virtual time (wait, a watch, delete's wait)
// or may make a kubelet produce output it had not yet (logs, exec) is not read-only, nor is a
// line that names no command or does not parse.
func ReadOnly(args []string) bool {
	name := globalPrefix(args)
	if name >= len(args) {
		return false
	}
	cmd, at := resolveCommand(args, name)
	if cmd == nil {
		return false
	}
	cl, err := parseCommandLine(cmd, args, at, false)
	if err != nil {
		return false
	}
	return cl.global.Help || cl.opts.readOnly()
}

// Run executes one kubectl command line (the words after "kubectl") against the cluster and
// returns the exit status. Output and errors go to io; the cluster is settled after any
// change, so controllers have reacted before Run returns. A watch or follow runs for a
// bounded window of virtual time (see Start for the form that keeps running).
func Run(c Cluster, args []string, io IO) (exitCode int) {
	exitCode, _ = run(c, args, io, false)
	return exitCode
}

// run is Run, or Start when streaming: then a watch or follow that gets going is returned
// as a Stream.
func run(t Cluster, args []string, io IO, streaming bool) (exitCode int, stream *Stream) {
	c := t.Cluster
	if io.Out == nil {
		io.Out = discard{}
	}
	if io.Err == nil {
		io.Err = discard{}
	}
	e := &env{c: c, api: c.API.Client(ClientName), containers: t.Containers, metrics: t.Metrics, rest: t.REST, config: t.Config, io: io, ns: metav1.NamespaceDefault, streaming: streaming, strictMode: t.Strict}
	// The context's namespace, when set, is where commands without -n look.
	if ns := e.contextNamespace(); ns != "" {
		e.ns = ns
	}
	i := globalPrefix(args)
	if i >= len(args) {
		fs := &flagSet{}
		(&globalOptions{}).addFlags(fs)
		if _, _, err := parseFlags(fs, args); err != nil {
			e.errf("error: %s\nSee 'kubectl --help' for usage.\n", err)
			return 1, nil
		}
		writeTopHelp(io.Out)
		return 0, nil
	}
	name := args[i]
	cmd, at := resolveCommand(args, i)
	if cmd == nil {
		for _, u := range unsupported {
			if u == name {
				e.errf("error: kubetab does not support \"kubectl %s\" yet\n", name)
				return 1, nil
			}
		}
		e.errf("error: unknown command %q for \"kubectl\"%s\n", name, suggestions(name))
		return 1, nil
	}
	e.cmd = cmd
	cl, err := parseCommandLine(cmd, args, at, t.Strict)
	if err != nil {
		e.errf("error: %s\nSee 'kubectl %s --help' for usage.\n", err, cmd.path())
		return 1, nil
	}
	e.global = cl.global
	e.line = cl
	if cl.global.Help {
		writeHelp(io.Out, cmd)
		return 0, nil
	}
	if cl.global.namespace.changed {
		e.ns, e.nsSet = cl.global.Namespace, true
		if e.ns == "" {
			e.ns = cmp.Or(e.contextNamespace(), metav1.NamespaceDefault)
		}
	}
	e.afterDash = cl.afterDash
	o := cl.opts
	err = o.complete(e, cl.args)
	if err == nil {
		err = o.validate(e)
	}
	if err == nil {
		err = o.run(e)
	}
	if serr := c.Settle(); serr != nil && err == nil {
		err = serr
	}
	if err != nil {
		if e.stream != nil {
			// The command failed after all (settling did): nobody gets the stream to stop.
			e.stream.Stop()
		}
		if !errors.Is(err, errSilent) {
			io.Err.Write([]byte(errorText(err)))
		}
		var exit *exitCodeError
		if errors.As(err, &exit) {
			return exit.code, nil
		}
		return 1, nil
	}
	if e.stream != nil {
		e.stream.prelude = preludeArgs(args, at, e.stream.off)
	}
	return 0, e.stream
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func findCommand(name string) *command {
	for _, c := range commands {
		if c.named(name) {
			return c
		}
	}
	return nil
}

// subcommandRequired is what a command that only groups subcommands (rollout, set) does
// without one, as cobra's DefaultSubCommandRun: its help and exit status 1 without
// arguments, kubectl's usage error with some.
type subcommandRequired struct{ plainArgs }

func (*subcommandRequired) readOnly() bool { return true }

func (s *subcommandRequired) run(e *env) error {
	if len(s.args) > 0 {
		return e.usageError("unknown command %q", strings.Join(s.args, " "))
	}
	writeHelp(e.io.Out, e.cmd)
	return errSilent
}

// suggestions mimics cobra's "Did you mean this?" for an unknown command: names within
// Levenshtein distance 2, or that start with what was typed.
func suggestions(typed string) string {
	var s []string
	lower := strings.ToLower(typed)
	names := []string{}
	for _, c := range commands {
		names = append(names, c.name)
	}
	names = append(names, unsupported...)
	for _, n := range names {
		if levenshtein(lower, n) <= 2 || strings.HasPrefix(n, lower) {
			s = append(s, n)
		}
	}
	if lower == "rm" {
		s = append(s, "delete")
	}
	if len(s) == 0 {
		return ""
	}
	sort.Strings(s)
	return "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// errSilent ends a command with exit status 1 after it printed its own errors.
var errSilent = errors.New("")

// errorList is several errors of one command, printed one per line (kubectl's aggregate).
type errorList []error

func (l errorList) Error() string {
	var s []string
	for _, e := range l {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

// asError turns collected errors into the error a command returns.
func asError(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errorList(errs)
}

// rawError is printed exactly as it is (it already carries kubectl's wording).
type rawError struct{ text string }

func (r *rawError) Error() string { return r.text }

// usageError is kubectl's UsageErrorf: the message plus a pointer to -h.
func (e *env) usageError(format string, a ...any) error {
	return &rawError{fmt.Sprintf("error: "+format+"\nSee 'kubectl %s -h' for help and examples\n", append(a, e.cmd.path())...)}
}

// errorText renders an error as kubectl's CheckErr does (util/helpers.go), ending in "\n".
func errorText(err error) string {
	var list errorList
	if errors.As(err, &list) && len(list) == 1 {
		err = list[0]
	}
	var raw *rawError
	if errors.As(err, &raw) {
		return withNewline(raw.text)
	}
	if errors.As(err, &list) {
		var b strings.Builder
		for _, e := range list {
			b.WriteString(withNewline(messageForError(e)))
		}
		return b.String()
	}
	var status *apierrors.StatusError
	if errors.As(err, &status) && apierrors.IsInvalid(err) {
		d := status.Status().Details
		s := "The request is invalid"
		if d == nil {
			return s + "\n"
		}
		if d.Kind != "" || d.Name != "" {
			s = fmt.Sprintf("The %s %q is invalid", d.Kind, d.Name)
		}
		if len(d.Causes) == 0 {
			return s + "\n"
		}
		var causes []string
		seen := map[string]bool{}
		for _, c := range d.Causes {
			m := fmt.Sprintf("%s: %s", c.Field, c.Message)
			if !seen[m] {
				seen[m] = true
				causes = append(causes, m)
			}
		}
		if len(causes) == 1 {
			return s + ": " + causes[0] + "\n"
		}
		var b strings.Builder
		b.WriteString(s + ": \n")
		for _, c := range causes {
			b.WriteString("* " + c + "\n")
		}
		return b.String()
	}
	if msg, ok := standardMessage(err); ok {
		return withNewline(msg)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "error: ") {
		msg = "error: " + msg
	}
	return withNewline(msg)
}

// messageForError is how an error reads as one line of an aggregate: API errors get their
// "Error from server" form, everything else is printed bare.
func messageForError(err error) string {
	var raw *rawError
	if errors.As(err, &raw) {
		return strings.TrimSuffix(raw.text, "\n")
	}
	if msg, ok := standardMessage(err); ok {
		return msg
	}
	return err.Error()
}

// isAPIError tells whether err is an answer of the API server.
func isAPIError(err error) bool {
	var status apierrors.APIStatus
	return errors.As(err, &status)
}

func standardMessage(err error) (string, bool) {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return "", false
	}
	s := status.Status()
	switch {
	case s.Reason == metav1.StatusReasonUnauthorized:
		return fmt.Sprintf("error: You must be logged in to the server (%s)", s.Message), true
	case s.Reason != "":
		return fmt.Sprintf("Error from server (%s): %s", s.Reason, s.Message), true
	}
	return fmt.Sprintf("Error from server: %s", s.Message), true
}

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// addSource is kubectl's AddSourceToErr: `error when creating "x.yaml": ...`. API errors keep
// their reason and details (so Invalid errors still print as `The X "y" is invalid`).
func addSource(verb, source string, err error) error {
	if source == "" {
		return err
	}
	var status *apierrors.StatusError
	if errors.As(err, &status) {
		s := status.Status()
		s.Message = fmt.Sprintf("error when %s %q: %v", verb, source, s.Message)
		return &apierrors.StatusError{ErrStatus: s}
	}
	return fmt.Errorf("error when %s %q: %v", verb, source, err)
}

func writeTopHelp(w io.Writer) {
	fmt.Fprint(w, "kubectl controls the Kubernetes cluster manager (kubetab: a simulated cluster in this tab).\n\n")
	fmt.Fprint(w, "Available Commands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-15s%s\n", c.name, c.short)
	}
	fmt.Fprint(w, "\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n")
}

func writeHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "%s.\n\n", c.short)
	if len(c.subcommands) > 0 {
		fmt.Fprint(w, "Available Commands:\n")
		for _, sub := range c.subcommands {
			fmt.Fprintf(w, "  %-15s%s\n", sub.name, sub.short)
		}
		fmt.Fprint(w, "\n")
	}
	fmt.Fprintf(w, "Usage:\n  kubectl %s\n", c.usage)
	if c.options == nil {
		return
	}
	fs := &flagSet{}
	c.options(fs)
	var lines []string
	for _, f := range fs.flags {
		n := "--" + f.name
		if f.short != "" {
			n = "-" + f.short + ", " + n
		}
		lines = append(lines, "    "+n)
	}
	if len(lines) > 0 {
		fmt.Fprintf(w, "\nOptions:\n%s\n", strings.Join(lines, "\n"))
	}
}
