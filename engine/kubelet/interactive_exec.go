package kubelet

import (
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// Shell starts an interactive shell in a running container, for `kubectl exec -ti POD --
// bash`: the sh subset on the container's filesystem and environment, in / as root, keeping
// its working directory and variables from line to line until the caller leaves it. A
// shell the image lacks is the runtime's error (ExecStartError's words), the other errors
// are Exec's.
func (m *Manager) Shell(pod *corev1.Pod, container string, argv []string) (*sh.Interactive, error) {
	r, c, err := m.runningContainer(pod, container)
	if err != nil {
		return nil, err
	}
	if len(argv) == 0 {
		return nil, &ExecError{"you must specify at least one command for the container"}
	}
	if msg := m.ExecStartError(argv); msg != "" {
		return nil, &ExecError{msg}
	}
	if path.Base(argv[0]) == "bash" && !hasBash(c.img.ref) {
		return nil, &ExecError{execStartFailure(m, `exec: "`+argv[0]+`": executable file not found in $PATH`)}
	}
	vars := map[string]string{"HOME": "/root"}
	for k, v := range c.env {
		vars[k] = v
	}
	env := &containerEnv{r: r, c: c}
	return sh.NewInteractive(sh.Config{Env: env, Files: env.FS(), Vars: vars, Dir: "/", MaxSteps: sh.MaxInstantSteps}), nil
}

// hasBash tells whether an image has bash: busybox and alpine images have only ash.
func hasBash(ref ImageRef) bool {
	short := ref.short()
	return !strings.Contains(short, "busybox") && !strings.Contains(short, "alpine") && !strings.Contains(ref.Tag, "alpine")
}
