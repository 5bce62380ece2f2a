package kubelet

import (
	"fmt"
	"hash/fnv"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The sample servers of the docs' tutorials: the Kubernetes Basics app
// (kubernetes-bootcamp v1 and v2), GKE's hello-app, hashicorp/http-echo and
// registry.k8s.io/echoserver. Their sources were read, not copied; what each answers and
// logs is described at its type.

// jsISOTime is JavaScript's Date.prototype.toISOString, as node's console.log prints a Date.
func jsISOTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// goLogTime is the prefix of Go's standard logger (local time, which is UTC in the image).
func goLogTime(t time.Time) string { return t.UTC().Format("2006/01/02 15:04:05") }

// bootcamp is gcr.io/google-samples/kubernetes-bootcamp:v1 and
// docker.io/jocatalin/kubernetes-bootcamp:v2, the Kubernetes Basics tutorial's app: node
// server.js on 8080 answering every request with `Hello Kubernetes bootcamp! | Running on:
// <hostname> | v=<N>` (N from the tag), logging its start and each request with a count
// and its uptime. `CMD node server.js` runs as PID 1 with no signal handler, so SIGTERM is
// ignored and the container dies at the end of its grace period, as kubia does.
type bootcamp struct {
	ctr      *Container
	version  string
	started  bool
	requests int
}

func newBootcamp(ctr *Container) Program {
	v := strings.TrimPrefix(ctr.Image().Tag, "v")
	if v == "" || v == "latest" {
		v = "1"
	}
	return &bootcamp{ctr: ctr, version: v}
}

func (b *bootcamp) Run(time.Time) Result {
	if !b.started {
		b.started = true
		// console.log(..., host, "\n"): the line ends with a space, then an empty line.
		b.ctr.Log(b.ctr.StartedAt(), "Kubernetes Bootcamp App Started At: "+jsISOTime(b.ctr.StartedAt())+" | Running On:  "+b.ctr.Hostname()+" ")
		b.ctr.Log(b.ctr.StartedAt(), "")
	}
	return Result{}
}

func (b *bootcamp) Signal(time.Time, Signal) {}

func (b *bootcamp) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if req.Port != 8080 {
		return Response{}, false
	}
	b.requests++
	uptime := strconv.FormatFloat(float64(now.Sub(b.ctr.StartedAt()).Milliseconds())/1000, 'f', -1, 64)
	b.ctr.Log(now, fmt.Sprintf("Running On: %s | Total Requests: %d | App Uptime: %s seconds | Log Time: %s",
		b.ctr.Hostname(), b.requests, uptime, jsISOTime(now)))
	return Response{Status: 200, Body: "Hello Kubernetes bootcamp! | Running on: " + b.ctr.Hostname() + " | v=" + b.version + "\n"}, true
}

// helloApp is gcr.io/google-samples/hello-app:1.0 and 2.0 (GKE's quickstart): a Go server
// on $PORT (8080 in the image) answering `Hello, world!`, the version (1.0.0 or 2.0.0) and
// the hostname on three lines, logging with Go's standard logger. A Go program as PID 1
// without a SIGTERM handler: it exits 2 on SIGTERM.
type helloApp struct {
	server
	version string
}

func newHelloApp(ctr *Container) Program {
	port := 8080
	if p, err := strconv.Atoi(ctr.Env()["PORT"]); err == nil {
		port = p
	}
	version := ctr.Image().Tag
	if strings.Count(version, ".") == 1 {
		version += ".0"
	}
	if version == "" || version == "latest" {
		version = "1.0.0"
	}
	h := &helloApp{server: server{ctr: ctr, ports: []int{port}, stopCode: goPID1SIGTERMExit}, version: version}
	h.onStart = func(t time.Time) { ctr.Log(t, goLogTime(t)+" Server listening on port "+strconv.Itoa(port)) }
	return h
}

func (h *helloApp) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if !h.Listening(now, req.Port) {
		return Response{}, false
	}
	p, _, _ := strings.Cut(req.Path, "?")
	h.ctr.Log(now, goLogTime(now)+" Serving request: "+p)
	return Response{Status: 200, Body: "Hello, world!\nVersion: " + h.version + "\nHostname: " + h.ctr.Hostname() + "\n"}, true
}

// httpEcho is hashicorp/http-echo: a Go server on -listen (":5678") answering every path
// with -text (else $ECHO_TEXT, which 1.0 images set to "hello-world") and a newline, and
// /health with `{"status":"ok"}`; it logs its start and each request (Apache-like, with the
// time it took). Without a text, or with arguments that are not flags, it exits 127 at once
// with its message. It only handles SIGINT: SIGTERM ends it as any Go PID 1 (exit 2).
type httpEcho struct {
	server
	text    string
	failure string // the message of a refused start
}

func newHTTPEcho(ctr *Container) Program {
	e := &httpEcho{server: server{ctr: ctr, stopCode: goPID1SIGTERMExit}}
	args := programArgs(ctr.Argv, "http-echo")
	listen, _ := flagValue(args, "listen")
	if listen == "" {
		listen = ":5678"
	}
	if text, ok := flagValue(args, "text"); ok {
		e.text = text
	} else if env, ok := ctr.Env()["ECHO_TEXT"]; ok {
		e.text = env
	} else if !strings.HasPrefix(ctr.Image().Tag, "0.") {
		e.text = "hello-world" // the 1.0 image's ENV
	}
	switch {
	case e.text == "":
		e.failure = "Missing -text option OR ENV var TEXT is empty!"
	case len(positional(args)) > 0:
		e.failure = "Too many arguments!"
	}
	if i := strings.LastIndex(listen, ":"); i >= 0 {
		if p, err := strconv.Atoi(listen[i+1:]); err == nil {
			e.ports = []int{p}
		}
	}
	e.onStart = func(t time.Time) { ctr.Log(t, goLogTime(t)+" [INFO] server is listening on "+listen) }
	return e
}

// programArgs are the words after the program in argv (after argv[0] when the program
// is not named, as for `args:` alone).
func programArgs(argv []string, program string) []string {
	for i, a := range argv {
		if path.Base(a) == program {
			return argv[i+1:]
		}
	}
	if len(argv) > 0 {
		return argv[1:]
	}
	return nil
}

// positional are the arguments Go's flag package leaves after the flags: it stops at the
// first word that is not a flag (or after `--`). A flag written without `=` takes the next
// word as its value.
func positional(args []string) []string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return args[i+1:]
		case !strings.HasPrefix(a, "-") || a == "-":
			return args[i:]
		case !strings.Contains(a, "=") && strings.TrimLeft(a, "-") != "version":
			i++ // -text foo
		}
	}
	return nil
}

func (e *httpEcho) Run(now time.Time) Result {
	if e.failure != "" {
		if !e.started {
			e.started = true
			e.ctr.Log(e.ctr.StartedAt(), e.failure)
		}
		return Result{Exited: true, ExitCode: 127}
	}
	return e.server.Run(now)
}

func (e *httpEcho) Listening(now time.Time, port int) bool {
	return e.failure == "" && e.server.Listening(now, port)
}

func (e *httpEcho) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if !e.Listening(now, req.Port) {
		return Response{}, false
	}
	p, _, _ := strings.Cut(req.Path, "?")
	body := e.text + "\n"
	if p == "/health" {
		return Response{Status: 200, Body: `{"status":"ok"}` + "\n"}, true
	}
	e.ctr.Log(now, fmt.Sprintf(`%s %s %s:%d "%s %s HTTP/1.1" 200 %d "%s" %s`, goLogTime(now), req.Host, req.ClientIP,
		40000+int(now.Unix()%20000), req.Method, p, len(body), userAgent(req), "27.3µs"))
	return Response{Status: 200, Body: body}, true
}

// userAgent is the request's User-Agent, curl's when it sent none (kubetab's curl).
func userAgent(req *Request) string {
	if ua, ok := req.Header["User-Agent"]; ok {
		return ua
	}
	return curlUserAgent
}

// curlUserAgent is what kubetab's curl (and a plain request) sends.
const curlUserAgent = "curl/8.5.0"

// echoServer is registry.k8s.io/echoserver (also k8s.gcr.io, gcr.io/google_containers): an
// nginx with a Lua page on 8080 (and 8443, served here as HTTP) that answers with the
// request it received. Tags 1.5 and later (the minikube docs' 1.10) answer with the
// Hostname, Pod Information, Server values, Request Information, Request Headers and
// Request Body sections; 1.4 and earlier with CLIENT VALUES, SERVER VALUES, HEADERS
// RECEIVED and BODY. It logs the self-signed certificate its start script makes, then nginx's
// access log. The start script (bash as PID 1) ignores SIGTERM: the container dies at the
// end of its grace period.
type echoServer struct {
	ctr     *Container
	legacy  bool // 1.4 and earlier
	started bool
}

func newEchoServer(ctr *Container) Program {
	legacy := false
	if minor, ok := strings.CutPrefix(ctr.Image().Tag, "1."); ok {
		if n, err := strconv.Atoi(minor); err == nil && n <= 4 {
			legacy = true
		}
	}
	return &echoServer{ctr: ctr, legacy: legacy}
}

func (e *echoServer) Run(time.Time) Result {
	if !e.started {
		e.started = true
		t := e.ctr.StartedAt()
		// openssl's progress dots vary from run to run; here they vary with the pod.
		h := fnv.New32a()
		h.Write([]byte(e.ctr.Hostname()))
		sum := h.Sum32()
		for _, line := range []string{
			"Generating self-signed cert",
			"Generating a 2048 bit RSA private key",
			strings.Repeat(".", 3+int(sum%29)) + "+++",
			strings.Repeat(".", 3+int(sum/29%37)) + "+++",
			"writing new private key to '/certs/privateKey.key'",
			"-----",
			"Starting nginx",
		} {
			e.ctr.Log(t, line)
		}
	}
	return Result{}
}

func (e *echoServer) Signal(time.Time, Signal) {}

func (e *echoServer) ServeHTTP(now time.Time, req *Request) (Response, bool) {
	if req.Port != 8080 && req.Port != 8443 {
		return Response{}, false
	}
	uri := req.Path
	query := ""
	if _, q, ok := strings.Cut(uri, "?"); ok {
		query = q
	}
	hostOnly := req.Host
	if i := strings.LastIndex(hostOnly, ":"); i >= 0 {
		hostOnly = hostOnly[:i]
	}
	scheme := "http"
	if req.Port == 8443 {
		scheme = "https"
	}
	headers := map[string]string{"host": req.Host}
	if req.Header == nil {
		headers["accept"], headers["user-agent"] = "*/*", curlUserAgent
	}
	for k, v := range req.Header {
		headers[strings.ToLower(k)] = v
	}
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	if e.legacy {
		if query == "" {
			query = "nil"
		}
		fmt.Fprintf(&b, "CLIENT VALUES:\nclient_address=%s\ncommand=%s\nreal path=%s\nquery=%s\nrequest_version=1.1\nrequest_uri=%s://%s:%d%s\n\n",
			req.ClientIP, req.Method, uri, query, scheme, hostOnly, req.Port, uri)
		b.WriteString("SERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "%s=%s\n", k, headers[k])
		}
		b.WriteString("BODY:\n-no body in request-")
	} else {
		fmt.Fprintf(&b, "\n\nHostname: %s\n\nPod Information:\n\t-no pod information available-\n\n", e.ctr.Hostname())
		b.WriteString("Server values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\n")
		fmt.Fprintf(&b, "Request Information:\n\tclient_address=%s\n\tmethod=%s\n\treal path=%s\n\tquery=%s\n\trequest_version=1.1\n\trequest_scheme=%s\n\trequest_uri=%s://%s:%d%s\n\n",
			req.ClientIP, req.Method, uri, query, scheme, scheme, hostOnly, req.Port, uri)
		b.WriteString("Request Headers:\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "\t%s=%s\n", k, headers[k])
		}
		b.WriteString("\nRequest Body:\n\t-no body in request-\n\n")
	}
	body := b.String()
	e.ctr.Log(now, nginxAccessLog(now, req, uri, len(body), userAgent(req)))
	return Response{Status: 200, Body: body}, true
}
