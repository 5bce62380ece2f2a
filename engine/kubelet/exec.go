package kubelet

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// ExecError is why a command could not be run in a container, worded as kubectl reports
// it after "error: ".
type ExecError struct{ Msg string }

func (e *ExecError) Error() string { return e.Msg }

// Exec runs argv in a running container of a pod, as `kubectl exec` does: through the sh
// subset, against the container's filesystem and environment, at once (an exec'd command
// takes no virtual time). It returns stdout and stderr apart and the exit status. A
// program that runs commands itself (ProgramExecer, imageCommand) answers instead, on
// stdout. A program the image lacks gives the runtime's answer on stdout with status 126
// (ExecStartError words it as kubectl shows it). Errors (ExecError): the pod is not
// running here, the container is missing or not running (`unable to upgrade connection:
// container not found ("c")`), or the node's kubelet is down.
func (m *Manager) Exec(pod *corev1.Pod, container string, argv []string) (stdout, stderr string, exitCode int, err error) {
	return m.exec(pod, container, argv, true)
}

// execCombined runs argv as Exec does, with stdout and stderr together in the order they
// were written, as an exec probe's output is.
func (m *Manager) execCombined(pod *corev1.Pod, container string, argv []string) (output string, exitCode int, err error) {
	output, _, exitCode, err = m.exec(pod, container, argv, false)
	return output, exitCode, err
}

func (m *Manager) exec(pod *corev1.Pod, container string, argv []string, split bool) (stdout, stderr string, exitCode int, err error) {
	r, c, err := m.runningContainer(pod, container)
	if err != nil {
		return "", "", 0, err
	}
	if len(argv) == 0 {
		return "", "", 0, &ExecError{"you must specify at least one command for the container"}
	}
	if ex, ok := c.program.(ProgramExecer); ok {
		out, code := ex.Exec(m.c.Now(), argv)
		return out, "", code, nil
	}
	if ic, ok := c.program.(imageCommand); ok {
		if out, code, handled := ic.RunCommand(m.c.Now(), argv); handled {
			return out, "", code, nil
		}
	}
	if msg := sh.StartError(argv); msg != "" {
		return "OCI runtime exec failed: exec failed: unable to start container process: " + msg + ": unknown", "", 126, nil
	}
	env := &containerEnv{r: r, c: c}
	if split {
		stdout, stderr, exitCode = sh.ExecStreams(argv, c.env, env)
		return stdout, stderr, exitCode, nil
	}
	stdout, exitCode = sh.Exec(argv, c.env, env)
	return stdout, "", exitCode, nil
}

// runningContainer is the running container an exec reaches, brought up to the current
// instant, or the ExecError kubectl shows when there is none.
func (m *Manager) runningContainer(pod *corev1.Pod, container string) (*podRuntime, *containerRuntime, error) {
	r := m.pods[podKey(pod.Namespace, pod.Name)]
	if r != nil && r.pod.UID != pod.UID {
		r = nil
	}
	var c *containerRuntime
	if r != nil {
		for _, x := range r.containers {
			if x.spec.Name == container {
				c = x
			}
		}
	}
	if r != nil && r.k.stopped {
		return nil, nil, &ExecError{fmt.Sprintf("error dialing backend: dial tcp %s:10250: i/o timeout", r.k.hostIP())}
	}
	if c != nil {
		r.runProgram(c)
	}
	if c == nil || c.state != stateRunning {
		return nil, nil, &ExecError{fmt.Sprintf("unable to upgrade connection: container not found (%q)", container)}
	}
	return r, c, nil
}

// ExecStartError is how kubectl exec reports argv naming a program the container lacks
// (containerd's answer, with the exec's id), or "" when the image has it.
func (m *Manager) ExecStartError(argv []string) string {
	msg := sh.StartError(argv)
	if msg == "" {
		return ""
	}
	return execStartFailure(m, msg)
}

// execStartFailure is containerd's answer to an exec whose program cannot start.
func execStartFailure(m *Manager, msg string) string {
	return fmt.Sprintf("Internal error occurred: error executing command in container: failed to exec in container: failed to start exec %q: OCI runtime exec failed: exec failed: unable to start container process: %s: unknown", randomHex(m.execIDs, 64), msg)
}
