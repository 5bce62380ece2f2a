package kubelet

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/clock"
)

// Probes, as the kubelet's prober manager runs them (pkg/kubelet/prober): one worker per
// container and probe type, created when the pod is admitted and ticking every
// periodSeconds from then on, whatever the container is doing. Each tick is one doProbe:
// nothing while the container has not started or waits out its initial delay, liveness
// and readiness only once a startup probe has succeeded, and results that change only
// after failureThreshold (successThreshold) consecutive outcomes. A liveness or startup
// failure puts the worker on hold until the container has a new ID and asks for the kill
// (lifecycle.go). Workers do nothing while the kubelet is stopped and end with the pod.

type probeKind int

const (
	livenessProbe probeKind = iota
	readinessProbe
	startupProbe
)

func (k probeKind) String() string {
	switch k {
	case livenessProbe:
		return "Liveness"
	case readinessProbe:
		return "Readiness"
	}
	return "Startup"
}

type probeResult int

const (
	resultUnknown probeResult = iota
	resultSuccess
	resultFailure
	// resultWarning is a success worth an event (a redirect the prober did not follow).
	resultWarning
)

// initial is the result a worker records for a container it sees for the first time:
// a new container is alive, not ready, and not started until its startup probe passes.
func (k probeKind) initial() probeResult {
	switch k {
	case livenessProbe:
		return resultSuccess
	case readinessProbe:
		return resultFailure
	}
	return resultUnknown
}

// containerHealth is the kubelet's per-container state kept by probe.go, backoff.go and
// lifecycle.go: the probe workers, the crash-loop back-off entry and a probe kill in
// progress.
type containerHealth struct {
	workers [3]*probeWorker // by probeKind; nil when the container has no such probe

	// The back-off entry of client-go's flowcontrol.Backoff for this container (backoff.go).
	hasBackOff      bool
	backOff         time.Duration
	backOffUpdated  time.Time
	restartTimer    *clock.Timer
	hasPrevious     bool
	previousFinish  time.Time // when the instance before the current one finished
	killedByProbe   bool
	probeKillTimer  *clock.Timer
	probeKillTarget string // container ID the pending SIGKILL is for
}

// healthState returns c's probe workers and back-off, made when first needed: most
// containers have no probe and never restart, and 100,000 of them would each keep ~150
// bytes of nothing.
func (c *containerRuntime) healthState() *containerHealth {
	if c.health == nil {
		c.health = &containerHealth{}
	}
	return c.health
}

// worker returns c's prober worker of a kind, or nil.
func (c *containerRuntime) worker(kind probeKind) *probeWorker {
	if c.health == nil {
		return nil
	}
	return c.health.workers[kind]
}

// probeWorker is one prober worker (pkg/kubelet/prober/worker.go).
type probeWorker struct {
	r    *podRuntime
	c    *containerRuntime
	kind probeKind
	spec *corev1.Probe // with the API defaults applied
	tick *clock.Timer
	// label and next name every tick's timer and what it runs, made once for all of them.
	label string
	next  func()
	done  bool

	containerID string
	// onHold: the container failed its liveness/startup probe and is being restarted;
	// nothing is probed until a new container appears.
	onHold     bool
	lastResult probeResult
	resultRun  int
	// result is what the results manager holds for containerID.
	result probeResult
}

// defaultedProbe is p with SetDefaults_Probe applied: p itself when the API defaulted it
// already (the spec is never mutated, and every probed container keeps its worker's),
// else a copy (pods written straight to the store skip the API's defaulting).
func defaultedProbe(p *corev1.Probe) *corev1.Probe {
	if p.PeriodSeconds > 0 && p.TimeoutSeconds > 0 && p.SuccessThreshold > 0 && p.FailureThreshold > 0 &&
		(p.HTTPGet == nil || p.HTTPGet.Path != "" && p.HTTPGet.Scheme != "") {
		return p
	}
	out := p.DeepCopy()
	if out.PeriodSeconds <= 0 {
		out.PeriodSeconds = 10
	}
	if out.TimeoutSeconds <= 0 {
		out.TimeoutSeconds = 1
	}
	if out.SuccessThreshold <= 0 {
		out.SuccessThreshold = 1
	}
	if out.FailureThreshold <= 0 {
		out.FailureThreshold = 3
	}
	if out.HTTPGet != nil {
		if out.HTTPGet.Path == "" {
			out.HTTPGet.Path = "/"
		}
		if out.HTTPGet.Scheme == "" {
			out.HTTPGet.Scheme = corev1.URISchemeHTTP
		}
	}
	return out
}

// addProbeWorkers starts the workers of the pod's containers (the prober manager's AddPod,
// called on the pod's first sync). Each runs once at once, then every period.
func (r *podRuntime) addProbeWorkers() {
	for _, c := range r.containers {
		for kind, p := range [3]*corev1.Probe{c.spec.LivenessProbe, c.spec.ReadinessProbe, c.spec.StartupProbe} {
			if p == nil {
				continue
			}
			w := &probeWorker{r: r, c: c, kind: probeKind(kind), spec: defaultedProbe(p)}
			c.healthState().workers[kind] = w
		}
	}
	// Start order as the manager's AddPod: per container startup, readiness, liveness.
	for _, c := range r.containers {
		for _, kind := range []probeKind{startupProbe, readinessProbe, livenessProbe} {
			if w := c.worker(kind); w != nil {
				w.run()
			}
		}
	}
}

// run is one pass of the worker's loop: a doProbe, then the wait for the next tick.
func (w *probeWorker) run() {
	if w.done {
		return
	}
	if !w.doProbe() {
		w.stop()
		return
	}
	r := w.r
	period := time.Duration(w.spec.PeriodSeconds) * time.Second
	if w.next == nil {
		w.label = r.timerLabel("probe", w.c.spec.Name, " "+strings.ToLower(w.kind.String()))
		w.next = w.run
	}
	w.tick = r.k.m.c.Clock.At(r.now().Add(period), w.label, w.next)
}

// trigger runs the worker out of turn (the manual trigger the prober manager pulls for a
// readiness probe that has no result yet); the ticks keep their pace.
func (w *probeWorker) trigger() {
	if w == nil || w.done {
		return
	}
	if !w.doProbe() {
		w.stop()
	}
}

func (w *probeWorker) stop() {
	w.done = true
	if w.tick.Pending() {
		w.r.k.m.c.Clock.Stop(w.tick)
	}
}

// doProbe probes the container once if it should be, and reports whether the worker goes on.
func (w *probeWorker) doProbe() bool {
	r, c := w.r, w.c
	if r.gone || r.terminal {
		return false
	}
	if r.k.stopped {
		return true
	}
	if r.killing {
		// The pod is terminating: probing stops with it.
		return false
	}
	if c.id == "" {
		return true // not created yet
	}
	if w.containerID != c.id {
		w.containerID = c.id
		w.setResult(w.kind.initial())
		w.onHold = false
	}
	if w.onHold {
		return true
	}
	if c.state != stateRunning {
		w.setResult(resultFailure)
		// Abort if the container will not be restarted.
		return c.state != stateTerminated || r.effectiveRestartPolicy() != corev1.RestartPolicyNever
	}
	now := r.now()
	if int32(now.Sub(c.startedAt())/time.Second) < w.spec.InitialDelaySeconds {
		return true
	}
	started := r.containerStarted(c)
	if started == (w.kind == startupProbe) {
		// Startup probes stop once the container has started; the others wait for it.
		return true
	}

	result, output, err := w.probe()
	k := r.k
	switch {
	case err != nil:
		k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Unhealthy", "%s probe errored and resulted in %s state: %s", w.kind, "unknown", err)
		return true // the result is thrown away
	case result == resultFailure:
		k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Unhealthy", "%s probe failed: %s", w.kind, output)
	case result == resultWarning:
		k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "ProbeWarning", "%s probe warning: %s", w.kind, output)
		result = resultSuccess
	}

	if w.lastResult == result {
		w.resultRun++
	} else {
		w.lastResult = result
		w.resultRun = 1
	}
	if (result == resultFailure && w.resultRun < int(w.spec.FailureThreshold)) ||
		(result == resultSuccess && w.resultRun < int(w.spec.SuccessThreshold)) {
		return true
	}
	w.setResult(result)
	if w.kind != readinessProbe && result == resultFailure {
		w.onHold = true
		w.resultRun = 0
		r.killForProbe(c, w)
	}
	return true
}

// setResult records the worker's result for its container and reports the pod's status
// again when the container's started or ready flag changes because of it.
func (w *probeWorker) setResult(res probeResult) {
	r, c := w.r, w.c
	if w.result == res {
		return
	}
	started, ready := r.containerStarted(c), r.containerReady(c)
	w.result = res
	nowStarted, nowReady := r.containerStarted(c), r.containerReady(c)
	if nowStarted && !started {
		// Readiness runs as soon as the container counts as started.
		c.worker(readinessProbe).trigger()
		nowReady = r.containerReady(c)
	}
	if (started != nowStarted || ready != nowReady) && !r.killing && !r.terminal && !r.gone {
		r.writeStatus()
	}
}

// resultFor is the worker's result for the running instance, or ok=false when the worker
// has not seen it yet.
func (w *probeWorker) resultFor(c *containerRuntime) (probeResult, bool) {
	if w.containerID != c.id {
		return resultUnknown, false
	}
	return w.result, true
}

// containerStarted is containerStatuses[].started: running, and past its startup probe.
func (r *podRuntime) containerStarted(c *containerRuntime) bool {
	if c.state != stateRunning {
		return false
	}
	w := c.worker(startupProbe)
	if w == nil {
		return true
	}
	res, ok := w.resultFor(c)
	return ok && res == resultSuccess
}

// containerReady is containerStatuses[].ready: started, and its readiness probe (if any)
// succeeded for this instance.
func (r *podRuntime) containerReady(c *containerRuntime) bool {
	if !r.containerStarted(c) {
		return false
	}
	w := c.worker(readinessProbe)
	if w == nil {
		return true
	}
	res, ok := w.resultFor(c)
	return ok && res == resultSuccess
}

// probesOnStart is called when a container instance starts: its readiness worker runs at
// once (the prober manager triggers readiness probes that have no result yet), so a
// readiness probe without an initial delay makes the container ready right away.
func (r *podRuntime) probesOnStart(c *containerRuntime) {
	c.worker(readinessProbe).trigger()
}

// probe runs the probe's handler once.
func (w *probeWorker) probe() (probeResult, string, error) {
	p := w.spec
	r, c := w.r, w.c
	timeout := time.Duration(p.TimeoutSeconds) * time.Second
	switch {
	case p.Exec != nil:
		return r.execProbe(c, p.Exec.Command, timeout)
	case p.HTTPGet != nil:
		return r.httpProbe(c, p.HTTPGet, timeout)
	case p.TCPSocket != nil:
		port, err := resolveProbePort(p.TCPSocket.Port, c.spec)
		if err != nil {
			return resultUnknown, "", err
		}
		host := p.TCPSocket.Host
		if host == "" {
			host = r.ip
		}
		if err := r.k.m.dialTCP(host, port); err != nil {
			return resultFailure, err.Error(), nil
		}
		return resultSuccess, "", nil
	case p.GRPC != nil:
		return r.grpcProbe(p.GRPC, timeout)
	}
	return resultUnknown, "", fmt.Errorf("missing probe handler for %s:%s", r.podRef(), c.spec.Name)
}

// podRef renders a pod as the kubelet's format.Pod does: name_namespace(uid).
func (r *podRuntime) podRef() string {
	return fmt.Sprintf("%s_%s(%s)", r.pod.Name, r.pod.Namespace, r.pod.UID)
}

// resolveProbePort finds a probe's port: a number, or the name of one of the container's ports.
func resolveProbePort(p intstr.IntOrString, spec *corev1.Container) (int, error) {
	if p.Type == intstr.Int {
		if p.IntVal > 0 && p.IntVal < 65536 {
			return int(p.IntVal), nil
		}
		return 0, fmt.Errorf("invalid port number: %v", p.IntVal)
	}
	for _, cp := range spec.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort), nil
		}
	}
	if n, err := strconv.Atoi(p.StrVal); err == nil && n > 0 && n < 65536 {
		return n, nil
	}
	return 0, fmt.Errorf("couldn't find port: %s in container %s", p.StrVal, spec.Name)
}

// probeUserAgent is the kubelet's `kube-probe/<major>.<minor>`, made once per version.
func (r *podRuntime) probeUserAgent() string {
	k := r.k
	version := k.node.Status.NodeInfo.KubeletVersion
	if k.userAgent == "" || k.userAgentOf != version {
		k.userAgent, k.userAgentOf = "kube-probe/"+api.MinorVersion(), version
		if major, rest, ok := strings.Cut(strings.TrimPrefix(version, "v"), "."); ok {
			minor, _, _ := strings.Cut(rest, ".")
			k.userAgent = "kube-probe/" + major + "." + minor
		}
	}
	return k.userAgent
}

// httpProbe is pkg/probe/http: 2xx succeeds, 3xx is a warning, anything else fails;
// connection errors fail with the client's error text. HTTPS skips verification, so the
// simulated server answers it as plain HTTP.
func (r *podRuntime) httpProbe(c *containerRuntime, g *corev1.HTTPGetAction, timeout time.Duration) (probeResult, string, error) {
	port, err := resolveProbePort(g.Port, c.spec)
	if err != nil {
		return resultUnknown, "", err
	}
	host := g.Host
	if host == "" {
		host = r.ip
	}
	scheme := strings.ToLower(string(g.Scheme))
	if scheme == "" {
		scheme = "http"
	}
	path := g.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	hostPort := host + ":" + strconv.Itoa(port)
	if strings.Contains(host, ":") {
		hostPort = "[" + host + "]:" + strconv.Itoa(port)
	}

	header := map[string]string{}
	var names []string
	for _, h := range g.HTTPHeaders {
		name := http.CanonicalHeaderKey(h.Name)
		if _, seen := header[name]; !seen {
			names = append(names, name)
		}
		header[name] = h.Value
	}
	if _, ok := header["User-Agent"]; !ok {
		header["User-Agent"] = r.probeUserAgent()
	}
	if _, ok := header["Accept"]; !ok {
		header["Accept"] = "*/*"
	}
	for _, name := range names {
		if header[name] == "" {
			// An empty value removes the header (the way to drop a default one).
			delete(header, name)
		}
	}
	req := &Request{Method: "GET", Host: hostPort, Path: path, Port: port, Header: header}
	if g.Host != "" {
		req.Host = g.Host
	}
	for _, h := range g.HTTPHeaders {
		if http.CanonicalHeaderKey(h.Name) == "Host" && h.Value != "" {
			req.Host = h.Value
		}
	}
	resp, err := r.k.m.deliverHTTP(host, port, req)
	if err != nil {
		return resultFailure, fmt.Sprintf("Get %q: %v", scheme+"://"+hostPort+path, err), nil
	}
	switch {
	case resp.Status >= 200 && resp.Status < 300:
		return resultSuccess, limitBody(resp.Body), nil
	case resp.Status >= 300 && resp.Status < 400:
		return resultWarning, "Probe terminated redirects, Response body: " + limitBody(resp.Body), nil
	}
	return resultFailure, fmt.Sprintf("HTTP probe failed with statuscode: %d", resp.Status), nil
}

// limitBody keeps what the prober reads of a body (10 KiB).
func limitBody(s string) string {
	const maxRespBodyLength = 10 * 1 << 10
	if len(s) > maxRespBodyLength {
		return s[:maxRespBodyLength]
	}
	return s
}

// podAt finds the pod answering at an address, or the dial error a client would get.
func (m *Manager) podAt(host string, port int) (*podRuntime, error) {
	r := m.podByIP(host)
	if r == nil || r.k.stopped {
		return nil, &NetError{fmt.Sprintf("dial tcp %s:%d: i/o timeout", host, port)}
	}
	return r, nil
}

// deliverHTTP hands a request to whichever running container of the pod at host serves
// the port: probes, and HTTPGetFrom for `kubectl exec ... curl`. Without a ClientIP the
// request comes from the node's side of the pod network, as probes do.
func (m *Manager) deliverHTTP(host string, port int, req *Request) (Response, error) {
	r, err := m.podAt(host, port)
	if err != nil {
		return Response{}, err
	}
	if req.ClientIP == "" {
		req.ClientIP = r.k.gateway
	}
	for _, ctr := range r.containers {
		if ctr.state != stateRunning || ctr.program == nil {
			continue
		}
		r.runProgram(ctr)
		if ctr.state != stateRunning {
			continue
		}
		if resp, ok := ctr.program.ServeHTTP(m.c.Now(), req); ok {
			return resp, nil
		}
	}
	return Response{}, &NetError{fmt.Sprintf("dial tcp %s:%d: connect: connection refused", host, port)}
}

// PortListener is implemented by programs that accept TCP connections: a TCP probe (or
// any dial) to a port succeeds when a running container of the pod listens there.
// Programs without it listen nowhere.
type PortListener interface {
	Listening(now time.Time, port int) bool
}

// dialTCP opens (and closes) a TCP connection as the TCP prober does.
func (m *Manager) dialTCP(host string, port int) error {
	r, err := m.podAt(host, port)
	if err != nil {
		return err
	}
	if r.listening(port) {
		return nil
	}
	return &NetError{fmt.Sprintf("dial tcp %s:%d: connect: connection refused", host, port)}
}

func (r *podRuntime) listening(port int) bool {
	for _, ctr := range r.containers {
		if ctr.state != stateRunning || ctr.program == nil {
			continue
		}
		r.runProgram(ctr)
		if ctr.state != stateRunning {
			continue
		}
		if l, ok := ctr.program.(PortListener); ok && l.Listening(r.now(), port) {
			return true
		}
	}
	return false
}

// GRPCHealthServer is implemented by programs that serve the gRPC health protocol
// (grpc.health.v1.Health/Check), etcd on 2379 for instance; gRPC probes call it.
// Check answers for service ("" = the server as a whole) on port at now: a serving
// status name ("SERVING", "NOT_SERVING", "SERVICE_UNKNOWN", ...), or "" for a service
// the server does not know (gRPC NotFound); ok=false means no gRPC server on that port.
type GRPCHealthServer interface {
	GRPCHealth(now time.Time, port int, service string) (status string, ok bool)
}

// grpcProbe is pkg/probe/grpc with its messages.
func (r *podRuntime) grpcProbe(g *corev1.GRPCAction, timeout time.Duration) (probeResult, string, error) {
	service := ""
	if g.Service != nil {
		service = *g.Service
	}
	addr := fmt.Sprintf("%s:%d", r.ip, g.Port)
	connectTimeout := func() (probeResult, string, error) {
		return resultFailure, fmt.Sprintf("timeout: failed to connect service %q within %v: context deadline exceeded", addr, timeout), nil
	}
	if r.k.stopped || r.ip == "" {
		return connectTimeout()
	}
	for _, ctr := range r.containers {
		if ctr.state != stateRunning || ctr.program == nil {
			continue
		}
		r.runProgram(ctr)
		if ctr.state != stateRunning {
			continue
		}
		hs, ok := ctr.program.(GRPCHealthServer)
		if !ok {
			continue
		}
		status, ok := hs.GRPCHealth(r.now(), int(g.Port), service)
		if !ok {
			continue
		}
		switch status {
		case "SERVING":
			return resultSuccess, "service healthy", nil
		case "":
			return resultFailure, "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service", nil
		}
		return resultFailure, fmt.Sprintf("service unhealthy (responded with %q)", status), nil
	}
	// Nothing speaks gRPC there: the blocking dial runs into the probe's timeout.
	return connectTimeout()
}

// execProbe runs the command in the container (pkg/probe/exec): exit 0 succeeds, any other
// exit fails with the command's output as the message.
func (r *podRuntime) execProbe(c *containerRuntime, argv []string, timeout time.Duration) (probeResult, string, error) {
	out, code, err := r.k.m.execInContainer(r, c, argv)
	if err != nil {
		return resultUnknown, "", err
	}
	if code != 0 {
		return resultFailure, out, nil
	}
	return resultSuccess, out, nil
}

// ProgramExecer may be implemented by a Program that runs commands itself; the others run
// them through Manager.Exec (exec.go: the sh subset against the container's files).
type ProgramExecer interface {
	Exec(now time.Time, argv []string) (output string, exitCode int)
}

func (m *Manager) execInContainer(r *podRuntime, c *containerRuntime, argv []string) (string, int, error) {
	if ex, ok := c.program.(ProgramExecer); ok && len(argv) > 0 {
		out, code := ex.Exec(r.now(), argv)
		return out, code, nil
	}
	pod, err := r.currentPod()
	if err != nil {
		pod = r.pod
	}
	return m.execCombined(pod, c.spec.Name, argv)
}

// Listening for the programs of program.go (PortListener).

func (k *kubia) Listening(_ time.Time, port int) bool { return port == 8080 }

func (w *webServer) Listening(_ time.Time, port int) bool {
	if w.stopped {
		return false
	}
	if w.conf != nil {
		_, ok := w.conf.ports[port]
		return ok
	}
	return port == w.port
}

func (g *genericServer) Listening(_ time.Time, port int) bool {
	if g.stopped {
		return false
	}
	for _, p := range g.ctr.Spec().Ports {
		if int(p.ContainerPort) == port && (p.Protocol == "" || p.Protocol == corev1.ProtocolTCP) {
			return true
		}
	}
	return false
}
