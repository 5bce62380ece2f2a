package kubelet

import (
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Servers of the docs' probe examples: agnhost, goproxy, etcd and redis. Each listens on
// its ports (PortListener, for TCP probes and dials) and ends on SIGTERM with the status
// its process would have. A Go program without a handler of its own, as PID 1, exits 2:
// the Go runtime's handler re-raises the signal to die of it, the kernel ignores a
// default-action signal for a namespace's init, and the runtime falls back to exit(2)
// (runtime.dieFromSignal). etcd and redis handle SIGTERM and shut down cleanly (0).

// server is what the servers share: start-up log lines, ports, the end on SIGTERM.
type server struct {
	ctr      *Container
	started  bool
	ports    []int
	stopped  bool
	stopCode int
	onStart  func(t time.Time)
	onStop   func(t time.Time)
}

func (s *server) Run(now time.Time) Result {
	if !s.started {
		s.started = true
		if s.onStart != nil {
			s.onStart(s.ctr.StartedAt())
		}
	}
	if s.stopped {
		return Result{Exited: true, ExitCode: s.stopCode}
	}
	return Result{}
}

func (s *server) Signal(now time.Time, sig Signal) {
	if sig == SIGTERM && !s.stopped {
		s.stopped = true
		if s.onStop != nil {
			s.onStop(now)
		}
	}
}

// Listening is PortListener (probe.go).
func (s *server) Listening(_ time.Time, port int) bool {
	if s.stopped {
		return false
	}
	for _, p := range s.ports {
		if p == port {
			return true
		}
	}
	return false
}

func (s *server) ServeHTTP(time.Time, *Request) (Response, bool) { return Response{}, false }

var _ PortListener = (*server)(nil)

const notFound = "404 page not found\n"

// goPID1SIGTERMExit is the exit status of a Go program running as PID 1 that installs no
// SIGTERM handler of its own, on SIGTERM (see above).
const goPID1SIGTERMExit = 2

// subcommand is the first word after the program in argv ("liveness" in
// ["/agnhost", "liveness"]), and the flags after it.
func subcommand(argv []string, program string) (string, []string) {
	for i, a := range argv {
		if path.Base(a) == program {
			if i+1 < len(argv) {
				return argv[i+1], argv[i+2:]
			}
			return "", nil
		}
	}
	if len(argv) > 0 {
		return argv[0], argv[1:]
	}
	return "", nil
}

// flagValue reads --name=value or --name value.
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
		if v, ok := strings.CutPrefix(a, "-"+name+"="); ok {
			return v, true
		}
		if (a == "--"+name || a == "-"+name) && i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// agnhost is registry.k8s.io/e2e-test-images/agnhost: `liveness` (the docs'
// http-liveness: /healthz 200 "ok" for the first 10 s, then 500 "error: <seconds>"),
// `netexec`, `serve-hostname` and `pause`; other subcommands answer 200 on the
// container's declared ports and say in the log that they are not simulated.
type agnhost struct {
	server
	sub string
}

func newAgnhost(ctr *Container) Program {
	a := &agnhost{server: server{ctr: ctr, stopCode: goPID1SIGTERMExit}}
	sub, args := subcommand(ctr.Argv, "agnhost")
	a.sub = sub
	log := func(at time.Time, s string) { ctr.Log(at, s) }
	switch sub {
	case "liveness":
		a.ports = []int{8080}
	case "netexec":
		port := 8080
		if v, ok := flagValue(args, "http-port"); ok {
			port, _ = strconv.Atoi(v)
		}
		a.ports = []int{port}
		a.onStart = func(t time.Time) {
			log(t, fmt.Sprintf("Started HTTP server on port %d", port))
			log(t, "Started UDP server on port 8081")
		}
	case "serve-hostname":
		port := 9376
		if v, ok := flagValue(args, "port"); ok {
			port, _ = strconv.Atoi(v)
		}
		a.ports = []int{port}
		a.onStart = func(t time.Time) { log(t, fmt.Sprintf("Serving on port %d.", port)) }
	case "pause":
		a.stopCode = 0
		a.onStart = func(t time.Time) { log(t, "Paused") }
		a.onStop = func(t time.Time) { log(t, "Shutting down after receiving signal: terminated.") }
	default:
		for _, p := range ctr.Spec().Ports {
			a.ports = append(a.ports, int(p.ContainerPort))
		}
		a.onStart = func(t time.Time) {
			log(t, fmt.Sprintf("kubetab: agnhost %q is not simulated; it answers HTTP 200 on the container's declared ports", sub))
		}
	}
	return a
}

func (a *agnhost) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if !a.Listening(now, req.Port) {
		return Response{}, false
	}
	p, query, _ := strings.Cut(req.Path, "?")
	q, _ := url.ParseQuery(query)
	up := now.Sub(a.ctr.StartedAt())
	switch a.sub {
	case "liveness":
		switch p {
		case "/healthz":
			if up.Seconds() > 10 {
				return Response{Status: 500, Body: fmt.Sprintf("error: %v", up.Seconds())}, true
			}
			return Response{Status: 200, Body: "ok"}, true
		case "/started":
			return Response{Status: 200, Body: up.String()}, true
		}
		return Response{Status: 404, Body: notFound}, true
	case "netexec":
		switch p {
		case "/", "":
			return Response{Status: 200, Body: "NOW: " + now.UTC().Format("2006-01-02 15:04:05.999999999 -0700 MST")}, true
		case "/hostname":
			return Response{Status: 200, Body: a.ctr.Hostname()}, true
		case "/echo":
			return Response{Status: 200, Body: q.Get("msg")}, true
		case "/clientip":
			return Response{Status: 200, Body: req.ClientIP + ":" + strconv.Itoa(40000+int(now.Unix()%20000))}, true
		case "/healthz":
			return Response{Status: 200}, true
		}
		return Response{Status: 404, Body: notFound}, true
	case "serve-hostname":
		return Response{Status: 200, Body: a.ctr.Hostname()}, true
	}
	return Response{Status: 200, Body: fmt.Sprintf("kubetab simulated server: %s answered %s %s\n", a.ctr.Image().String(), req.Method, req.Path)}, true
}

// goproxy is registry.k8s.io/goproxy (the docs' tcp-liveness-readiness): an HTTP proxy on
// 8080 that refuses plain requests.
type goproxy struct{ server }

func newGoproxy(ctr *Container) Program {
	return &goproxy{server{ctr: ctr, ports: []int{8080}, stopCode: goPID1SIGTERMExit}}
}

func (g *goproxy) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if !g.Listening(now, req.Port) {
		return Response{}, false
	}
	return Response{Status: 500, Body: "This is a proxy server. Does not respond to non-proxy requests.\n"}, true
}

// etcd serves clients on its --listen-client-urls ports (2379 by default) with the gRPC
// health service (the docs' grpc-liveness) and /health over HTTP, and peers on 2380.
type etcd struct{ server }

func newEtcd(ctr *Container) Program {
	e := &etcd{server{ctr: ctr}}
	_, args := subcommand(ctr.Argv, "etcd")
	ports := func(flag string, def int) []int {
		v, ok := flagValue(args, flag)
		if !ok {
			return []int{def}
		}
		var out []int
		for _, u := range strings.Split(v, ",") {
			if pu, err := url.Parse(u); err == nil {
				if n, err := strconv.Atoi(pu.Port()); err == nil {
					out = append(out, n)
				}
			}
		}
		return out
	}
	e.ports = append(ports("listen-client-urls", 2379), ports("listen-peer-urls", 2380)...)
	e.onStart = func(t time.Time) {
		ts := t.UTC().Format("2006-01-02T15:04:05.000Z")
		ctr.Log(t, `{"level":"info","ts":"`+ts+`","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":`+jsonStrings(ctr.Argv)+`}`)
		ctr.Log(t, `{"level":"info","ts":"`+ts+`","caller":"embed/serve.go:98","msg":"ready to serve client requests"}`)
	}
	e.onStop = func(t time.Time) {
		ctr.Log(t, `{"level":"info","ts":"`+t.UTC().Format("2006-01-02T15:04:05.000Z")+`","caller":"osutil/interrupt_unix.go:64","msg":"received signal; shutting down","signal":"terminated"}`)
	}
	return e
}

func jsonStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

func (e *etcd) clientPort(port int) bool {
	n := len(e.ports) - 1 // the last port is the peer port
	for _, p := range e.ports[:max(n, 0)] {
		if p == port {
			return true
		}
	}
	return false
}

// GRPCHealth is GRPCHealthServer (probe.go): the server as a whole is SERVING.
func (e *etcd) GRPCHealth(_ time.Time, port int, service string) (string, bool) {
	if e.stopped || !e.clientPort(port) {
		return "", false
	}
	if service == "" {
		return "SERVING", true
	}
	return "", true
}

func (e *etcd) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if !e.Listening(now, req.Port) {
		return Response{}, false
	}
	switch p, _, _ := strings.Cut(req.Path, "?"); p {
	case "/health":
		return Response{Status: 200, Body: `{"health":"true","reason":""}`}, true
	case "/version":
		return Response{Status: 200, Body: `{"etcdserver":"3.5.1","etcdcluster":"3.5.0"}`}, true
	}
	return Response{Status: 404, Body: notFound}, true
}

var _ GRPCHealthServer = (*etcd)(nil)

// redis listens on 6379 (TCP probes); it does not speak HTTP.
func newRedis(ctr *Container) Program {
	s := &server{ctr: ctr, ports: []int{6379}}
	stamp := func(t time.Time) string { return t.UTC().Format("02 Jan 2006 15:04:05.000") }
	s.onStart = func(t time.Time) {
		ctr.Log(t, "1:C "+stamp(t)+" # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
		ctr.Log(t, "1:M "+stamp(t)+" * Ready to accept connections tcp")
	}
	s.onStop = func(t time.Time) {
		ctr.Log(t, "1:signal-handler ("+strconv.FormatInt(t.Unix(), 10)+") Received SIGTERM scheduling shutdown...")
		ctr.Log(t, "1:M "+stamp(t)+" # Redis is now ready to exit, bye bye...")
	}
	return s
}
