package terminal

import (
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/persist"
)

// Interactive `kubectl exec -ti POD -- bash`: the terminal enters the container's shell (its
// prompt, working directory, variables and files) and the lines after it run there until
// `exit` returns to the node. In a script, the commands after it run inside likewise. Each
// line run inside is journaled as the `kubectl exec ... -- sh -c "cd DIR; LINE"` it amounts
// to, so that a replay leaves the container's files as they were; a reload leaves the
// container's shell (as a closed terminal ends its session).

// containerShell is the shell `kubectl exec -ti` entered.
type containerShell struct {
	shell                     *sh.Interactive
	namespace, pod, container string
	hostname                  string
	bash                      bool // bash's prompt (root@HOST:DIR#) rather than sh's
	ash                       bool // busybox's sh: its prompt names the directory (/ # )
	// rm deletes the pod on exit (kubectl run --rm).
	rm bool
}

// prompt is the shell's prompt before a line.
func (c *containerShell) prompt() string {
	dir := c.shell.State().Dir
	if dir == "" {
		dir = "/"
	}
	if !c.bash {
		if c.ash {
			return dir + " # "
		}
		return "# "
	}
	if dir == "/root" {
		dir = "~"
	}
	return "root@" + c.hostname + ":" + dir + "# "
}

// Prompt is the terminal's prompt: "$ " on the node, the container shell's inside one.
func (s *Session) Prompt() string {
	if s.inside != nil {
		return s.inside.prompt()
	}
	return "$ "
}

// Inside tells whether the terminal is in a container's shell.
func (s *Session) Inside() bool { return s.inside != nil }

// interactiveExec is a `kubectl exec -i[t] POD [-c C] [-n NS] -- SHELL` command line.
type interactiveExec struct {
	namespace, pod, container string
	argv                      []string
	// rm: leaving deletes the pod. Only the journal's record of a `kubectl run -i --rm`
	// attaching says so (runInteractive), with a --rm that kubectl exec itself lacks.
	rm bool
}

// shells are the programs an interactive exec enters as a shell.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true}

// parseInteractiveExec recognises an interactive exec of a shell; ok is false for any
// other command line, which kubectl runs as it is.
func parseInteractiveExec(args []string) (ie interactiveExec, ok bool) {
	if len(args) < 4 || (args[0] != "kubectl" && args[0] != "k") || args[1] != "exec" {
		return ie, false
	}
	stdin := false
	rest := args[2:]
	for len(rest) > 0 {
		a := rest[0]
		rest = rest[1:]
		value := func() string {
			if len(rest) == 0 {
				return ""
			}
			v := rest[0]
			rest = rest[1:]
			return v
		}
		switch {
		case a == "--":
			ie.argv = rest
			rest = nil
		case a == "-i" || a == "--stdin" || a == "-ti" || a == "-it" || a == "--stdin=true":
			stdin = true
		case a == "-t" || a == "--tty" || a == "--tty=true" || a == "-q" || a == "--quiet":
		case a == "--rm":
			ie.rm = true
		case a == "-c" || a == "--container":
			ie.container = value()
		case strings.HasPrefix(a, "--container="):
			ie.container = strings.TrimPrefix(a, "--container=")
		case a == "-n" || a == "--namespace":
			ie.namespace = value()
		case strings.HasPrefix(a, "--namespace="):
			ie.namespace = strings.TrimPrefix(a, "--namespace=")
		case strings.HasPrefix(a, "-"):
			return ie, false // a flag this does not know: kubectl answers
		case ie.pod == "":
			ie.pod = strings.TrimPrefix(strings.TrimPrefix(a, "pods/"), "pod/")
		default:
			return ie, false
		}
	}
	if !stdin || ie.pod == "" || len(ie.argv) != 1 || !shells[path.Base(ie.argv[0])] {
		return ie, false
	}
	if ie.namespace == "" {
		ie.namespace = "default"
	}
	return ie, true
}

// enterContainer starts the container's shell for an interactive exec; handled is false
// when kubectl should answer instead (no such pod: its own error). Entering is journaled
// (exec returns the words), so that a reload comes back inside.
func (s *Session) enterContainer(ie interactiveExec, errOut io.Writer) (code int, handled bool) {
	obj := s.cluster.Store.Lookup(api.ResourceForKind("Pod"), ie.namespace, ie.pod)
	pod, _ := obj.(*corev1.Pod)
	if pod == nil || len(pod.Spec.Containers) == 0 {
		return 0, false
	}
	if ie.container == "" {
		ie.container = pod.Spec.Containers[0].Name
		if len(pod.Spec.Containers) > 1 {
			fmt.Fprintf(errOut, "Defaulted container %q out of: %s\n", ie.container, containerNames(pod))
		}
	}
	shell, err := s.cluster.Kubelets.Shell(pod, ie.container, ie.argv)
	if err != nil {
		fmt.Fprintf(errOut, "error: %s\n", err)
		return 1, true
	}
	s.inside = &containerShell{shell: shell, namespace: ie.namespace, pod: ie.pod, container: ie.container,
		hostname: pod.Name, bash: path.Base(ie.argv[0]) == "bash", ash: busyboxLike(pod, ie.container), rm: ie.rm}
	return 0, true
}

// busyboxLike tells whether a container's image has busybox's sh (busybox, alpine).
func busyboxLike(pod *corev1.Pod, container string) bool {
	for _, c := range pod.Spec.Containers {
		if c.Name == container {
			return strings.Contains(c.Image, "busybox") || strings.Contains(c.Image, "alpine")
		}
	}
	return false
}

func containerNames(pod *corev1.Pod) string {
	var names []string
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

// containerLine runs a line in the container's shell while the terminal is inside one;
// handled is false on the node. `exit` (or logout) leaves, as bash does, saying "exit".
func (s *Session) containerLine(line string, out, errOut io.Writer) (code int, handled bool) {
	cs := s.inside
	if cs == nil {
		return 0, false
	}
	if f := strings.Fields(line); len(f) > 0 && len(f) <= 2 && (f[0] == "exit" || f[0] == "logout") {
		if len(f) == 2 {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				fmt.Fprintf(errOut, "sh: exit: %s: numeric argument required\n", f[1])
				n = 2
			}
			code = n & 0xff
		}
		fmt.Fprintln(out, "exit")
		s.journalInside(line, code)
		s.inside = nil
		if cs.rm {
			// Part of the exit journaled above, which a replay runs again: not journaled.
			s.exec([]string{"kubectl", "delete", "pod", cs.pod, "-n", cs.namespace, "--now"}, nil, &recordingInputs{opts: &s.opts, dir: Home, kubeconfig: &s.kubeconfig}, out, errOut, false)
		}
		if code != 0 {
			// kubectl ends with the shell's status, and says so.
			fmt.Fprintf(errOut, "command terminated with exit code %d\n", code)
			st := s.shell.State()
			st.Status = code
			s.shell.SetState(st)
		}
		return code, true
	}
	sc, err := parse(line)
	if err != nil {
		fmt.Fprintf(errOut, "sh: %s\n", err)
		return ExitUsage, true
	}
	code = cs.shell.Run(sc, sh.Hooks{Stdout: out, Stderr: errOut}, false).Status
	s.journalInside(line, code)
	return code, true
}

// journalInside journals a line run in the container's shell as the `kubectl exec POD -n NS
// -c C -- sh -c LINE` it amounts to: replayed inside the replayed shell (replayInside), it
// runs there again with the same working directory and variables.
func (s *Session) journalInside(line string, code int) {
	cs := s.inside
	if cs == nil {
		return
	}
	args := []string{"kubectl", "exec", cs.pod, "-n", cs.namespace, "-c", cs.container, "--", "sh", "-c", line}
	s.mergeAdvance = false
	s.record(persist.Entry{Args: persist.Texts(args), Exit: code})
}

// replayInside runs a journaled line of the container's shell in the replayed shell; ok is
// false for any other entry.
func (s *Session) replayInside(args []string, out, errOut io.Writer) (code int, ok bool) {
	cs := s.inside
	if cs == nil || len(args) != 11 || args[1] != "exec" || args[2] != cs.pod || args[4] != cs.namespace || args[6] != cs.container || args[9] != "-c" {
		return 0, false
	}
	code, _ = s.containerLine(args[10], out, errOut)
	return code, true
}

// mentionsInteractiveExec tells whether a script has a command that may enter a container
// (checked on its words as written), so that RunEchoed runs it command by command.
func mentionsInteractiveExec(script string) bool {
	if !strings.Contains(script, "exec") {
		return false
	}
	cmds, err := Parse(script)
	if err != nil {
		return false
	}
	for _, c := range cmds {
		if _, ok := parseInteractiveExec(strings.Fields(c.Text)); ok {
			return true
		}
	}
	return false
}

// runEchoedByCommand is RunEchoed one top-level command at a time, so that the commands
// after an interactive exec run in the container's shell, echoed after its prompt.
func (s *Session) runEchoedByCommand(script string, out io.Writer) int {
	cmds, err := Parse(script)
	if err != nil {
		return s.runEchoed(script, out)
	}
	last := 0
	for _, c := range cmds {
		var code int
		if s.inside != nil {
			w := NewLineWriter(out)
			fmt.Fprintf(w, "%s%s\n", s.Prompt(), c.Text)
			code, _ = s.containerLine(c.Text, w, w)
			w.EndLine()
		} else {
			code = s.runEchoed(c.Text, out)
		}
		if code != 0 {
			last = code
		}
	}
	return last
}

// interactiveRun is a `kubectl run NAME --image=IMAGE -i [-t] [--rm] ... [-- SHELL]` whose
// container is a shell the terminal can attach to.
type interactiveRun struct {
	name, namespace, shell string
	rm                     bool
}

// parseInteractiveRun recognises an interactive run of a shell: given after --, or the
// default command of a busybox-like image.
func parseInteractiveRun(args []string) (ri interactiveRun, ok bool) {
	if len(args) < 3 || (args[0] != "kubectl" && args[0] != "k") || args[1] != "run" {
		return ri, false
	}
	stdin, image := false, ""
	var after []string
	ri.namespace = "default"
	for i := 2; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		switch {
		case a == "--":
			after = args[i+1:]
			i = len(args)
		case a == "-i" || a == "--stdin" || a == "-it" || a == "-ti":
			stdin = true
		case a == "--rm":
			ri.rm = true
		case name == "--image":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			image = value
		case a == "-n" || a == "--namespace":
			if i+1 < len(args) {
				i++
				ri.namespace = args[i]
			}
		case name == "--namespace":
			ri.namespace = value
		case strings.HasPrefix(a, "-"):
			// Other flags: boolean ones stand alone; --flag=value carries its value.
			if !hasValue && (a == "--restart" || a == "--env" || a == "--labels" || a == "-l" || a == "--port" || a == "--image-pull-policy" || a == "--overrides" || a == "--annotations") && i+1 < len(args) {
				i++
			}
		case ri.name == "":
			ri.name = a
		}
	}
	switch {
	case len(after) == 1 && shells[path.Base(after[0])]:
		ri.shell = after[0]
	case len(after) == 0 && (strings.Contains(image, "busybox") || strings.Contains(image, "alpine")):
		ri.shell = "sh"
	}
	return ri, stdin && ri.name != "" && ri.shell != ""
}

// runInteractive is `kubectl run -i --tty`: kubectl creates the pod (its own output is not
// shown, as kubectl run -i shows none), the terminal waits for it to run as kubectl does,
// then enters its shell; with --rm, leaving the shell deletes the pod. Each step is
// journaled as the command it amounts to.
func (s *Session) runInteractive(c *sh.Call, args []string, ri interactiveRun) int {
	if code := s.hostExec(c, args, io.Discard, c.Stderr()); code != 0 {
		return code
	}
	if code := s.hostExec(c, []string{"kubectl", "wait", "--for=condition=ready", "pod/" + ri.name, "-n", ri.namespace, "--timeout=60s"}, io.Discard, c.Stderr()); code != 0 {
		return code
	}
	fmt.Fprintln(c.Stderr(), "If you don't see a command prompt, try pressing enter.")
	attach := []string{"kubectl", "exec", "-ti", ri.name, "-n", ri.namespace}
	if ri.rm {
		attach = append(attach, "--rm")
	}
	return s.hostExec(c, append(attach, "--", ri.shell), c.Stdout(), c.Stderr())
}
