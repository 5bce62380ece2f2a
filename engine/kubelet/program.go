package kubelet

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// Signal is a POSIX signal number the kubelet sends to a container's main process.
type Signal int

const (
	SIGKILL Signal = 9
	SIGTERM Signal = 15
)

// Result says where a program stands after running up to an instant.
type Result struct {
	Exited   bool
	ExitCode int
	// WakeAt is when the program next needs to run by itself (a sleep ending, a timer); the
	// zero time means only a signal or a request can change it. Output that only depends
	// on time (a line every 5 s) need not wake the program: it is produced when the program
	// is next run, with the timestamps it would have had, which keeps a month of virtual
	// time cheap.
	WakeAt time.Time
}

// Program is what runs in a container: the image's behaviour. The kubelet owns the clock;
// a program is a resumable state machine that is advanced explicitly.
type Program interface {
	// Run advances the program to now, writing its output through Container.Log.
	Run(now time.Time) Result
	// Signal delivers a signal at now; the kubelet calls Run right after. SIGKILL is never
	// delivered: the kubelet ends the container itself.
	Signal(now time.Time, sig Signal)
	// ServeHTTP answers one request made to port at now; ok=false means nothing listens
	// there (the caller sees "connection refused"). The kubelet calls Run(now) first.
	ServeHTTP(now time.Time, req *Request) (resp Response, ok bool)
}

// Request is one HTTP request reaching a container.
type Request struct {
	Method, Host, Path string
	Port               int
	// ClientIP is the caller's address as the server sees it ("10.244.1.1").
	ClientIP string
	// Header holds the request headers by canonical name (probes send User-Agent
	// kube-probe/1.37 and Accept */* unless told otherwise); nil for plain requests.
	Header map[string]string
	// TLS: the request came over HTTPS (servers without TLS ports of their own answer it as
	// plain HTTP, as probes are answered).
	TLS bool
}

// Response is a container's answer.
type Response struct {
	Status int
	Body   string
	// TLS is the server's side of an https request's handshake (https.go); nil for a
	// server not simulated to that depth.
	TLS *sh.TLS
}

// Container is what a program is started with. Every running container keeps one, so it
// holds only the process it runs: the rest is the runtime's (the pod, the container's
// spec, image, environment, start, log and filesystem), read through it.
type Container struct {
	// Argv is the process as the runtime starts it: command (else the image's ENTRYPOINT)
	// followed by args (else its CMD), $(VAR) references expanded (see resolveArgv).
	Argv []string

	// rt is the runtime's container, of pod pod.
	rt  *containerRuntime
	pod *podRuntime
}

// newContainer is what container c's program is started with.
func (r *podRuntime) newContainer(c *containerRuntime, argv []string) *Container {
	return &Container{Argv: argv, rt: c, pod: r}
}

// Pod is the pod the container runs in, as admitted.
func (c *Container) Pod() *PodRef { return c.pod.ref() }

// Spec is the container's spec.
func (c *Container) Spec() *corev1.Container { return c.rt.spec }

// Hostname is the pod's hostname (its name unless spec.hostname says otherwise).
func (c *Container) Hostname() string { return c.pod.hostname() }

// Image is the container's image reference, shared read only with the containers that
// name the same one.
func (c *Container) Image() *ImageRef { return &c.rt.img.ref }

// Env is the container's environment as the kubelet resolved it when it started (env.go).
func (c *Container) Env() map[string]string { return c.rt.env }

// StartedAt is when the container started.
func (c *Container) StartedAt() time.Time { return c.rt.startedAt() }

// Log appends a line to the container's log with the instant it was written.
func (c *Container) Log(at time.Time, text string) { c.rt.log(at, text) }

// FS is the container's filesystem, with the pod's volumes mounted (made on first use).
func (c *Container) FS() *sh.FS { return c.pod.containerFS(c.rt) }

// busyboxDate is the output of busybox `date` ("Thu Nov 30 10:21:03 UTC 2017").
func busyboxDate(t time.Time) string { return t.UTC().Format("Mon Jan _2 15:04:05 MST 2006") }

// kubia is luksa/kubia (failAfter 0) and luksa/kubia-unhealthy (failAfter 5): node as PID 1
// with no signal handlers, so SIGTERM is ignored.
type kubia struct {
	ctr       *Container
	started   bool
	failAfter int
	requests  int
}

func newKubia(ctr *Container, failAfter int) Program { return &kubia{ctr: ctr, failAfter: failAfter} }

func (k *kubia) Run(now time.Time) Result {
	if !k.started {
		k.started = true
		k.ctr.Log(k.ctr.StartedAt(), "Kubia server starting...")
	}
	return Result{}
}

func (k *kubia) Signal(time.Time, Signal) {}

func (k *kubia) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if req.Port != 8080 {
		return Response{}, false
	}
	k.requests++
	k.ctr.Log(now, "Received request from ::ffff:"+req.ClientIP)
	if k.failAfter > 0 && k.requests > k.failAfter {
		return Response{Status: 500, Body: "I'm not well. Please restart me!"}, true
	}
	return Response{Status: 200, Body: "You've hit " + k.ctr.Hostname() + "\n"}, true
}

// batchJob is luksa/batch-job: a shell script that logs, sleeps 120 s, logs and exits 0.
type batchJob struct {
	ctr     *Container
	started bool
}

func newBatchJob(ctr *Container) Program { return &batchJob{ctr: ctr} }

const batchJobDuration = 120 * time.Second

func (b *batchJob) Run(now time.Time) Result {
	if !b.started {
		b.started = true
		b.ctr.Log(b.ctr.StartedAt(), busyboxDate(b.ctr.StartedAt())+" Batch job starting")
	}
	end := b.ctr.StartedAt().Add(batchJobDuration)
	if now.Before(end) {
		return Result{WakeAt: end}
	}
	b.ctr.Log(end, busyboxDate(end)+" Finished succesfully")
	return Result{Exited: true}
}

func (b *batchJob) Signal(time.Time, Signal) {}

func (b *batchJob) ServeHTTP(time.Time, *Request) (Response, bool) { return Response{}, false }

// ssdMonitor is luksa/ssd-monitor: `SSD OK` every 5 s, forever.
type ssdMonitor struct {
	ctr   *Container
	lines int64 // lines written so far
}

func newSSDMonitor(ctr *Container) Program { return &ssdMonitor{ctr: ctr} }

const ssdPeriod = 5 * time.Second

func (m *ssdMonitor) Run(now time.Time) Result {
	due := int64(now.Sub(m.ctr.StartedAt())/ssdPeriod) + 1
	if due-m.lines > MaxLogLines {
		// Lines older than the log keeps would be dropped at once: skip writing them.
		m.lines = due - MaxLogLines
	}
	for ; m.lines < due; m.lines++ {
		m.ctr.Log(m.ctr.StartedAt().Add(time.Duration(m.lines)*ssdPeriod), "SSD OK")
	}
	return Result{}
}

func (m *ssdMonitor) Signal(time.Time, Signal) {}

func (m *ssdMonitor) ServeHTTP(time.Time, *Request) (Response, bool) { return Response{}, false }

// webServer is nginx or httpd: the default page on port 80; SIGTERM stops it at once.
// nginx reads the configuration and documents its volumes give it (nginx.go).
type webServer struct {
	ctr     *Container
	port    int
	kind    string
	started bool
	stopped bool
	conf    *nginxConf // nginx's, read at start and on reload
	exit    int
}

func newWebServer(ctr *Container, port int, kind string) Program {
	return &webServer{ctr: ctr, port: port, kind: kind}
}

func (w *webServer) Run(now time.Time) Result {
	if !w.started {
		w.started = true
		t := w.ctr.StartedAt()
		if w.kind == "nginx" {
			if w.conf = readNginxConf(w.ctr); w.conf.emerg != "" {
				w.ctr.Log(t, t.UTC().Format("2006/01/02 15:04:05")+" [emerg] 1#1: "+w.conf.emerg)
				w.ctr.Log(t, "nginx: [emerg] "+w.conf.emerg)
				w.stopped, w.exit = true, 1
				return Result{Exited: true, ExitCode: 1}
			}
		}
		if minor, ok := nginxMinor(w.ctr.Image().Tag); w.kind == "nginx" && (!ok || minor >= 19) {
			// Images before 1.19 have no entrypoint script and log only warnings.
			w.ctr.Log(t, "/docker-entrypoint.sh: Configuration complete; ready for start up")
			w.ctr.Log(t, t.UTC().Format("2006/01/02 15:04:05")+" [notice] 1#1: start worker processes")
		} else if w.kind != "nginx" {
			w.ctr.Log(t, "["+t.UTC().Format("Mon Jan 02 15:04:05.000000 2006")+"] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4 (Unix) configured -- resuming normal operations")
		}
	}
	if w.stopped {
		return Result{Exited: true, ExitCode: w.exit}
	}
	return Result{}
}

func (w *webServer) Signal(now time.Time, sig Signal) {
	if sig == SIGTERM {
		w.stopped = true
	}
}

const (
	// nginxPage is the default index.html (615 bytes) of nginx 1.21 and later;
	// nginxOldPage (612 bytes) that of earlier versions, such as the docs' 1.14.2 and 1.16.1.
	nginxPage = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\n" +
		"body { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n" + nginxPageBody
	nginxOldPage = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n        width: 35em;\n" +
		"        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n" + nginxPageBody
	nginxPageBody = "<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\n" +
		"working. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n" +
		"<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n" +
		"<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n"
	httpdPage = "<html><body><h1>It works!</h1></body></html>\n"
)

func (w *webServer) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if !w.Listening(now, req.Port) {
		return Response{}, false
	}
	resp := Response{Status: 200, Body: w.defaultPage()}
	if w.conf != nil {
		resp = w.serveNginx(now, req)
	}
	w.ctr.Log(now, nginxAccessLogStatus(now, req, req.Path, resp.Status, len(resp.Body), curlUserAgent))
	return resp, true
}

// defaultPage is the page the image serves at / as it is built.
func (w *webServer) defaultPage() string {
	if w.kind != "nginx" {
		return httpdPage
	}
	return nginxDefaultPage(w.ctr.Image().Tag)
}

// nginxDefaultPage is the index.html an nginx image of tag is built with.
func nginxDefaultPage(tag string) string {
	if minor, ok := nginxMinor(tag); ok && minor < 21 {
		return nginxOldPage
	}
	return nginxPage
}

// nginxMinor is N of an nginx tag 1.N or 1.N.P (with any variant suffix); false for
// latest, stable, mainline and the like, which are current versions.
func nginxMinor(tag string) (int, bool) {
	v, _, _ := strings.Cut(tag, "-")
	rest, ok := strings.CutPrefix(v, "1.")
	if !ok {
		return 0, false
	}
	minor, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(minor)
	return n, err == nil
}

// nginxAccessLog is a line of nginx's default (combined) access log for a 200 answer.
func nginxAccessLog(now time.Time, req *Request, uri string, size int, userAgent string) string {
	return nginxAccessLogStatus(now, req, uri, 200, size, userAgent)
}

// nginxAccessLogStatus is a line of nginx's default (combined) access log.
func nginxAccessLogStatus(now time.Time, req *Request, uri string, status, size int, userAgent string) string {
	return fmt.Sprintf("%s - - [%s] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\"",
		req.ClientIP, now.UTC().Format("02/Jan/2006:15:04:05 -0700"), req.Method, uri, status, size, userAgent)
}

// genericServer stands in for an image kubetab does not know: it runs until stopped,
// answers 200 on the container's declared TCP ports and exits 0 on SIGTERM.
type genericServer struct {
	ctr     *Container
	stopped bool
}

func newGenericServer(ctr *Container) Program { return &genericServer{ctr: ctr} }

func (g *genericServer) Run(time.Time) Result { return Result{Exited: g.stopped} }

func (g *genericServer) Signal(_ time.Time, sig Signal) {
	if sig == SIGTERM {
		g.stopped = true
	}
}

func (g *genericServer) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if g.stopped {
		return Response{}, false
	}
	for _, p := range g.ctr.Spec().Ports {
		if int(p.ContainerPort) == req.Port && (p.Protocol == "" || p.Protocol == corev1.ProtocolTCP) {
			return Response{Status: 200, Body: fmt.Sprintf("kubetab simulated server: %s answered %s %s\n", g.ctr.Image().String(), req.Method, req.Path)}, true
		}
	}
	return Response{}, false
}
