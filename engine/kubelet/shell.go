package kubelet

import (
	"path"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/dns"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// resolveArgv is the process a container runs, as the runtime builds it: command replaces
// the image's ENTRYPOINT (and drops its CMD), args replace CMD; both are expanded with the
// container's environment first ($(VAR), see expandVars).
func resolveArgv(im *Image, spec *corev1.Container, env map[string]string) []string {
	var entry, cmd []string
	if im != nil {
		entry, cmd = im.Entrypoint, im.Cmd
	}
	command := expandAll(spec.Command, env)
	args := expandAll(spec.Args, env)
	var argv []string
	switch {
	case len(command) > 0:
		argv = append(command, args...)
	case len(args) > 0:
		argv = append(append(argv, entry...), args...)
	default:
		argv = append(append(argv, entry...), cmd...)
	}
	return argv
}

func expandAll(words []string, env map[string]string) []string {
	if len(words) == 0 {
		return nil
	}
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = expandVars(w, env)
	}
	return out
}

// containerdStartError is how containerd reports a process that could not be started.
func containerdStartError(msg string) string {
	return "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: " + msg + ": unknown"
}

// How a container's process is run.
const (
	runGeneric = iota // the generic server (an image kubetab does not know)
	runImage          // the catalogue image's own program
	runShell          // the sh interpreter
)

// runner picks what container c runs for argv: the image's own program, the shell for
// busybox-like images and for commands of unknown images that the shell knows, or the
// generic server.
func runner(c *containerRuntime, argv []string) int {
	im := c.img.image
	bin := ""
	if len(argv) > 0 {
		bin = path.Base(argv[0])
	}
	switch {
	case im != nil && im.New != nil && (len(c.spec.Command) == 0 || (im.Runs != nil && im.Runs(bin))):
		return runImage
	case im != nil && im.Shell:
		return runShell
	case im == nil && (len(c.spec.Command) > 0 || len(c.spec.Args) > 0) && sh.StartError(argv) == "":
		// An image kubetab does not know running a shell or a busybox-like command: the
		// shell stands in for it, without the generic server's ports.
		return runShell
	}
	return runGeneric
}

// startError is containerd's message when argv cannot be started in container c
// (busybox has no `foo`), else "".
func (r *podRuntime) startError(c *containerRuntime, argv []string) string {
	if runner(c, argv) != runShell {
		return ""
	}
	if msg := sh.StartError(argv); msg != "" {
		return containerdStartError(msg)
	}
	return ""
}

// failStart ends a created container that could not start, as containerd reports it:
// Warning `Failed` `Error: <msg>`, terminated with reason StartError, exit code 128,
// startedAt the Unix epoch. The restart policy applies as to any other exit.
func (r *podRuntime) failStart(c *containerRuntime, msg string) {
	r.k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Failed", "Error: %s", msg)
	c.id = containerID(r.k.rand)
	c.state = stateRunning
	c.setWaitingReason("", "")
	c.setStartedAt(time.Unix(0, 0).UTC())
	c.everStarted = true
	c.setTermination("StartError", msg)
	r.exited(c, 128)
}

// newProgram starts what container c runs (see runner).
func (r *podRuntime) newProgram(c *containerRuntime, ctr *Container) Program {
	switch runner(c, ctr.Argv) {
	case runImage:
		return c.img.image.New(ctr)
	case runShell:
		if waitsOnStdin(c, ctr.Argv) { // stdin.go
			return stdinShell{}
		}
		return r.newShellProgram(c, ctr)
	}
	if !c.simulated {
		c.simulated = true
		r.k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeNormal, "Simulated",
			"Image %q is not in kubetab's catalogue: it runs as a generic long-running server answering HTTP 200 on its declared containerPorts", c.spec.Image)
	}
	return newGenericServer(ctr)
}

// shellProgram runs a container's command through the sh interpreter.
type shellProgram struct {
	ctr     *Container
	env     *containerEnv
	proc    *sh.Process
	running bool // inside Run: a request the script makes to its own pod must not re-enter it
	last    Result
}

func (r *podRuntime) newShellProgram(c *containerRuntime, ctr *Container) Program {
	env := &containerEnv{r: r, c: c}
	return &shellProgram{ctr: ctr, env: env, proc: sh.Start(ctr.Argv, c.env, env)}
}

func (p *shellProgram) Run(now time.Time) Result {
	if p.running {
		return p.last
	}
	p.running = true
	p.env.now = now
	res := p.proc.Run()
	p.flush()
	p.env.now = time.Time{}
	p.running = false
	p.last = Result{Exited: res.Exited, ExitCode: res.ExitCode, WakeAt: res.WakeAt}
	return p.last
}

func (p *shellProgram) flush() {
	for _, l := range p.proc.Output() {
		p.ctr.Log(l.At, l.Text)
	}
}

func (p *shellProgram) Signal(now time.Time, sig Signal) {
	p.env.now = now
	p.proc.Signal(sh.Signal(sig))
	p.flush()
	p.env.now = time.Time{}
}

// ServeHTTP: the shell listens on nothing.
func (p *shellProgram) ServeHTTP(time.Time, *Request) (Response, bool) { return Response{}, false }

// containerEnv is what one container's shell processes (its command, kubectl exec, exec
// probes) see: the pod's hostname, the container's filesystem, the cluster network from
// the pod's address.
type containerEnv struct {
	r   *podRuntime
	c   *containerRuntime
	now time.Time // set while a program runs to the instant it is run to
}

var _ sh.Env = (*containerEnv)(nil)

func (e *containerEnv) Now() time.Time {
	if !e.now.IsZero() {
		return e.now
	}
	return e.r.now()
}

func (e *containerEnv) Hostname() string { return e.r.hostname() }

// Scripts shares compiled scripts across the cluster's containers (sh.ScriptCache).
func (e *containerEnv) Scripts() *sh.Scripts { return &e.r.k.m.scripts }

func (e *containerEnv) FS() *sh.FS { return e.r.containerFS(e.c) }

// ShIsDash tells a Debian or Ubuntu based image, whose /bin/sh is dash (the alpine variants
// have busybox's ash).
func (e *containerEnv) ShIsDash() bool {
	if strings.Contains(e.c.img.ref.Tag, "alpine") {
		return false
	}
	return dashImages[e.c.img.ref.short()]
}

// dashImages are the catalogue's images built on Debian or Ubuntu.
var dashImages = map[string]bool{"nginx": true, "httpd": true, "debian": true, "ubuntu": true, "perl": true, "redis": true,
	"luksa/fortune": true, "luksa/kubia": true, "luksa/kubia-unhealthy": true}

// containerFS is container c's filesystem: created when first needed (a shell starts, a
// kubectl exec) and fresh for every instance of the container, with the pod's volumes
// mounted where the container asks (volumes.go).
func (r *podRuntime) containerFS(c *containerRuntime) *sh.FS {
	if c.fs != nil {
		return c.fs
	}
	c.fs = sh.NewContainerFS(r.hostname(), nil)
	if hasSubPathMounts(c) {
		// A subPath of a file is copied when the container starts (pod.go), not when read.
		r.finishContainerFS(c, c.fs)
		return c.fs
	}
	c.fs.Later(func(fs *sh.FS) { r.finishContainerFS(c, fs) })
	return c.fs
}

// finishContainerFS writes the kubelet's network files into a container's filesystem and
// mounts the pod's volumes where the container asks.
func (r *podRuntime) finishContainerFS(c *containerRuntime, fs *sh.FS) {
	_ = fs.WriteFile("/etc/hosts", hostsFile(r.pod, r.ip, r.hostname()))
	_ = fs.WriteFile("/etc/resolv.conf", dns.ResolvConf(r.pod))
	writeImageFiles(fs, imageFiles(c.img.ref)) // imagefiles.go
	r.mountContainerVolumes(c, fs)
}
