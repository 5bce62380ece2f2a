package kubelet

import (
	"path"
	"time"
)

// A container whose command is a bare shell with stdin open (`kubectl run -i --tty --image
// busybox NAME`) waits for input for as long as it runs, as sh reading a terminal does; the
// terminal's attached session is a shell of its own in the container (Manager.Shell).

// waitsOnStdin tells whether container c's main process is a shell reading stdin.
func waitsOnStdin(c *containerRuntime, argv []string) bool {
	if !c.spec.Stdin || len(argv) != 1 {
		return false
	}
	switch path.Base(argv[0]) {
	case "sh", "bash", "ash", "dash":
		return true
	}
	return false
}

// stdinShell is a shell waiting on its stdin: it never exits by itself, and as PID 1
// without handlers it ignores SIGTERM (the kubelet kills it after the grace period).
type stdinShell struct{}

func (stdinShell) Run(time.Time) Result                           { return Result{} }
func (stdinShell) Signal(time.Time, Signal)                       {}
func (stdinShell) ServeHTTP(time.Time, *Request) (Response, bool) { return Response{}, false }
