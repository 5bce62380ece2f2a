package kubectl

import (
	"fmt"
	"path"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

type execOptions struct {
	plainArgs
	Container, PodRunningTimeout string
	Stdin, TTY, Quiet            bool
}

var execCommand = &command{
	name:  "exec",
	short: "Execute a command in a container",
	usage: "exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
	options: func(fs *flagSet) commandOptions {
		o := &execOptions{}
		fs.String(&o.Container, "container", "c", "")
		fs.Bool(&o.Stdin, "stdin", "i", false)
		fs.Bool(&o.TTY, "tty", "t", false)
		fs.Bool(&o.Quiet, "quiet", "q", false)
		fs.String(&o.PodRunningTimeout, "pod-running-timeout", "", "")
		return o
	},
	dash: true,
}

// readOnly: the command may change the container's files, and what a probe then sees.
func (o *execOptions) readOnly() bool { return false }

// exitCodeError ends kubectl with the exit status of a command run in a container.
type exitCodeError struct{ code int }

func (e *exitCodeError) Error() string {
	return fmt.Sprintf("command terminated with exit code %d", e.code)
}

// Is makes Run print nothing more: runExec has written the message itself.
func (e *exitCodeError) Is(target error) bool { return target == errSilent }

// runExec is `kubectl exec`: the command runs at once through the container's shell
// (kubelet.Manager.Exec), its output is printed, and its exit status becomes kubectl's,
// announced on stderr as kubectl does. There is no terminal: `-it` with a command runs it
// the same way; an interactive shell gets a clear refusal.
func (o *execOptions) run(e *env) error {
	args := o.args
	if len(args) == 0 {
		return e.usageError("expected 'exec (POD | TYPE/NAME) COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD or TYPE/NAME is a required argument for the exec command")
	}
	if len(args) > 1 {
		return fmt.Errorf("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead")
	}
	argv := e.afterDash
	if len(argv) == 0 {
		return fmt.Errorf("you must specify at least one command for the container")
	}
	pod, err := e.firstPod(args[0], false)
	if err != nil {
		return err
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return fmt.Errorf("cannot exec into a container in a completed pod; current phase is %s", pod.Status.Phase)
	}
	container := o.Container
	if container == "" {
		container = pod.Annotations["kubectl.kubernetes.io/default-container"]
	}
	if container == "" {
		if len(pod.Spec.Containers) == 0 {
			return fmt.Errorf("pod %s has no containers", pod.Name)
		}
		container = pod.Spec.Containers[0].Name
		if !o.Quiet && (len(pod.Spec.Containers) > 1 || len(pod.Spec.InitContainers) > 0 || len(pod.Spec.EphemeralContainers) > 0) {
			e.errf("Defaulted container %q out of: %s\n", container, allContainerNames(pod))
		}
	}
	if !specHasContainer(pod, container) {
		return apierrors.NewBadRequest(fmt.Sprintf("container %s is not valid for pod %s", container, pod.Name))
	}
	if pod.Spec.NodeName == "" {
		return apierrors.NewBadRequest(fmt.Sprintf("pod %s does not have a host assigned", pod.Name))
	}
	if o.TTY && !o.Quiet {
		e.errf("Unable to use a TTY - input is not a terminal or the right kind of file\n")
	}
	if o.Stdin && len(argv) == 1 {
		switch path.Base(argv[0]) {
		case "sh", "bash", "ash", "dash":
			return fmt.Errorf("kubetab has no interactive terminal: run one command at a time, e.g. kubectl exec %s -- ls /", pod.Name)
		}
	}
	m := e.containers
	out, errOut, code, err := m.Exec(pod, container, argv)
	if err != nil {
		return err
	}
	if code == 126 {
		if msg := m.ExecStartError(argv); msg != "" {
			return fmt.Errorf("%s", msg)
		}
	}
	e.out("%s", out)
	e.errf("%s", errOut)
	if code != 0 {
		e.errf("command terminated with exit code %d\n", code)
		return &exitCodeError{code}
	}
	return nil
}

func specHasContainer(pod *corev1.Pod, name string) bool {
	for _, cs := range [][]corev1.Container{pod.Spec.Containers, pod.Spec.InitContainers} {
		for i := range cs {
			if cs[i].Name == name {
				return true
			}
		}
	}
	for i := range pod.Spec.EphemeralContainers {
		if pod.Spec.EphemeralContainers[i].Name == name {
			return true
		}
	}
	return false
}
