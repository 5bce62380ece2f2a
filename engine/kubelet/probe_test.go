package kubelet_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubelet"
)

// fake is a test program: it exits with exitCode after runFor (never when runFor is 0),
// serves HTTP on 8080 with status (200 if 0), answers gRPC health with grpcStatus, runs
// commands with exec, and remembers the last request.
type fake struct {
	ctr        *kubelet.Container
	runFor     time.Duration
	exitCode   int
	crash      bool // exit at once
	status     int
	grpcStatus string
	exec       func(now time.Time, argv []string) (string, int)
	lastReq    *kubelet.Request
	termed     bool
}

// fakes holds the behaviour of the next fake started for a pod, by pod name.
var fakes = map[string]func(*fake){}

var started = map[string]*fake{}

func init() {
	kubelet.Catalogue["kubetab-test-fake"] = &kubelet.Image{Repository: "kubetab-test-fake", Size: 1_000_000, New: func(ctr *kubelet.Container) kubelet.Program {
		f := &fake{ctr: ctr}
		if fn := fakes[ctr.Pod().Name]; fn != nil {
			fn(f)
		}
		started[ctr.Pod().Name] = f
		return f
	}}
}

func (f *fake) Run(now time.Time) kubelet.Result {
	if f.crash || f.termed {
		return kubelet.Result{Exited: true, ExitCode: f.exitCode}
	}
	if f.runFor > 0 {
		end := f.ctr.StartedAt().Add(f.runFor)
		if !now.Before(end) {
			return kubelet.Result{Exited: true, ExitCode: f.exitCode}
		}
		return kubelet.Result{WakeAt: end}
	}
	return kubelet.Result{}
}

func (f *fake) Signal(time.Time, kubelet.Signal) {}

func (f *fake) ServeHTTP(now time.Time, req *kubelet.Request) (kubelet.Response, bool) {
	if req.Port != 8080 {
		return kubelet.Response{}, false
	}
	f.lastReq = req
	if f.status != 0 {
		return kubelet.Response{Status: f.status}, true
	}
	return kubelet.Response{Status: 200, Body: "ok"}, true
}

func (f *fake) Listening(_ time.Time, port int) bool { return port == 8080 }

func (f *fake) GRPCHealth(_ time.Time, port int, service string) (string, bool) {
	if port != 2379 {
		return "", false
	}
	if service == "nope" {
		return "", true
	}
	return f.grpcStatus, true
}

func (f *fake) Exec(now time.Time, argv []string) (string, int) {
	if f.exec == nil {
		return "", 0
	}
	return f.exec(now, argv)
}

func fakePod(name string, behave func(*fake), mutate ...func(*corev1.Pod)) *corev1.Pod {
	fakes[name] = behave
	return newPod(name, "kubetab-test-fake:1", append([]func(*corev1.Pod){func(p *corev1.Pod) {
		p.Spec.Containers[0].ImagePullPolicy = corev1.PullIfNotPresent
	}}, mutate...)...)
}

func probe(h corev1.ProbeHandler, delay, period int32) *corev1.Probe {
	return &corev1.Probe{ProbeHandler: h, InitialDelaySeconds: delay, PeriodSeconds: period}
}

func httpGet(port int) corev1.ProbeHandler {
	return corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt(port)}}
}

func tcp(port int) corev1.ProbeHandler {
	return corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt(port)}}
}

func containerStatus(c *cluster.Cluster, name string) corev1.ContainerStatus {
	return getPod(c, name).Status.ContainerStatuses[0]
}

func TestCrashLoopBackOff(t *testing.T) {
	c := mustCluster(t, 11)
	mustCreate(t, c, fakePod("crash", func(f *fake) { f.crash, f.exitCode = true, 1 }))
	var restarts []string
	var backOffMsgs []string
	lastCount, lastStart := int32(-1), time.Time{}
	for c.Now().Sub(c.Start) < 20*time.Minute {
		advance(t, c, time.Second)
		cs := containerStatus(c, "crash")
		if cs.RestartCount != lastCount {
			lastCount = cs.RestartCount
			if cs.LastTerminationState.Terminated != nil {
				fin := cs.LastTerminationState.Terminated.FinishedAt.Time
				restarts = append(restarts, fmt.Sprintf("%d:%v", cs.RestartCount, c.Now().Sub(fin).Truncate(time.Second)))
			}
			if !lastStart.IsZero() && cs.LastTerminationState.Terminated != nil && cs.LastTerminationState.Terminated.ExitCode != 1 {
				t.Errorf("last state %+v", cs.LastTerminationState.Terminated)
			}
		}
		if w := cs.State.Waiting; w != nil && w.Reason == "CrashLoopBackOff" {
			msg := strings.Fields(w.Message)[1]
			if len(backOffMsgs) == 0 || backOffMsgs[len(backOffMsgs)-1] != msg {
				backOffMsgs = append(backOffMsgs, msg)
			}
		}
		lastStart = c.Now()
	}
	// Restart N happens this long after the exit before it (sampled each second, the
	// samples fall 0.3 s after the exits): the
	// first at the PLEG relist, then 10 s doubling to the 5 min cap.
	if got, want := strings.Join(restarts, " "), "1:1s 2:10s 3:20s 4:40s 5:1m20s 6:2m40s 7:5m0s 8:5m0s"; got != want {
		t.Errorf("restarts %s, want %s", got, want)
	}
	if got, want := strings.Join(backOffMsgs, " "), "10s 20s 40s 1m20s 2m40s 5m0s"; got != want {
		t.Errorf("back-off messages %s, want %s", got, want)
	}
	p := getPod(c, "crash")
	w := p.Status.ContainerStatuses[0].State.Waiting
	wantMsg := fmt.Sprintf("back-off 5m0s restarting failed container=kubia pod=crash_default(%s)", p.UID)
	if w == nil || w.Reason != "CrashLoopBackOff" || w.Message != wantMsg || p.Status.Phase != corev1.PodRunning {
		t.Errorf("state %+v phase %s, want waiting %q", p.Status.ContainerStatuses[0].State, p.Status.Phase, wantMsg)
	}
	evs := strings.Join(podEvents(c, "crash"), "\n")
	if !strings.Contains(evs, fmt.Sprintf("kubelet BackOff: Back-off restarting failed container kubia in pod crash_default(%s)", p.UID)) {
		t.Errorf("events:\n%s", evs)
	}
}

func TestBackOffResetsAfterTenQuietMinutes(t *testing.T) {
	c := mustCluster(t, 12)
	n := 0
	// Three quick crashes, then an instance that runs 11 minutes, then a crash again.
	mustCreate(t, c, fakePod("flaky", func(f *fake) {
		n++
		f.exitCode = 1
		switch n {
		case 1, 2, 3, 5:
			f.crash = true
		case 4:
			f.runFor = 11 * time.Minute
		}
	}))
	var delays []string
	last := int32(0)
	for c.Now().Sub(c.Start) < 14*time.Minute {
		advance(t, c, time.Second)
		cs := containerStatus(c, "flaky")
		if cs.RestartCount != last {
			last = cs.RestartCount
			delays = append(delays, c.Now().Sub(cs.LastTerminationState.Terminated.FinishedAt.Time).Truncate(time.Second).String())
		}
	}
	if got, want := strings.Join(delays, " "), "1s 10s 20s 1s 10s"; got != want {
		t.Errorf("restart delays %s, want %s", got, want)
	}
}

func TestRestartPolicies(t *testing.T) {
	tests := []struct {
		policy   corev1.RestartPolicy
		exitCode int
		phase    corev1.PodPhase
		restarts int32
	}{
		{corev1.RestartPolicyNever, 1, corev1.PodFailed, 0},
		{corev1.RestartPolicyNever, 0, corev1.PodSucceeded, 0},
		{corev1.RestartPolicyOnFailure, 0, corev1.PodSucceeded, 0},
		{corev1.RestartPolicyOnFailure, 1, corev1.PodRunning, 2},
		{corev1.RestartPolicyAlways, 0, corev1.PodRunning, 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s exit %d", tt.policy, tt.exitCode), func(t *testing.T) {
			c := mustCluster(t, 13)
			mustCreate(t, c, fakePod("p", func(f *fake) { f.runFor, f.exitCode = 5*time.Second, tt.exitCode }, func(p *corev1.Pod) { p.Spec.RestartPolicy = tt.policy }))
			advance(t, c, 30*time.Second)
			p := getPod(c, "p")
			if p.Status.Phase != tt.phase || p.Status.ContainerStatuses[0].RestartCount != tt.restarts {
				t.Errorf("phase %s restarts %d, want %s %d", p.Status.Phase, p.Status.ContainerStatuses[0].RestartCount, tt.phase, tt.restarts)
			}
		})
	}
}

func TestReadinessProbe(t *testing.T) {
	c := mustCluster(t, 14)
	// goproxy's probes (tcp-liveness-readiness.yaml) on a server listening on 8080, and a
	// second pod whose readiness probe knocks on a closed port.
	mustCreate(t, c, fakePod("ready", nil, func(p *corev1.Pod) {
		p.Spec.Containers[0].ReadinessProbe = probe(tcp(8080), 15, 10)
		p.Spec.Containers[0].LivenessProbe = probe(tcp(8080), 15, 10)
	}))
	mustCreate(t, c, fakePod("closed", nil, func(p *corev1.Pod) { p.Spec.Containers[0].ReadinessProbe = probe(tcp(8081), 0, 10) }))
	advance(t, c, 5*time.Second)
	cs := containerStatus(c, "ready")
	if cs.State.Running == nil || cs.Ready || !*cs.Started {
		t.Fatalf("at 5s: %+v", cs)
	}
	startedAt := cs.State.Running.StartedAt.Time
	readyAt := time.Time{}
	for c.Now().Sub(c.Start) < time.Minute && readyAt.IsZero() {
		advance(t, c, time.Second)
		if containerStatus(c, "ready").Ready {
			readyAt = c.Now()
		}
	}
	if d := readyAt.Sub(startedAt); d < 15*time.Second || d >= 25*time.Second {
		t.Errorf("ready %v after the start, want the first tick 15 s after it", d)
	}
	p := getPod(c, "ready")
	for _, cond := range p.Status.Conditions {
		if (cond.Type == corev1.PodReady || cond.Type == corev1.ContainersReady) && cond.Status != corev1.ConditionTrue {
			t.Errorf("condition %+v", cond)
		}
	}
	advance(t, c, time.Minute)
	p = getPod(c, "closed")
	if p.Status.ContainerStatuses[0].Ready || p.Status.Phase != corev1.PodRunning {
		t.Errorf("closed port: %+v", p.Status.ContainerStatuses[0])
	}
	evs := strings.Join(podEvents(c, "closed"), "\n")
	want := fmt.Sprintf("kubelet Unhealthy: Readiness probe failed: dial tcp %s:8081: connect: connection refused", p.Status.PodIP)
	if !strings.Contains(evs, want) || strings.Contains(evs, "Killing") {
		t.Errorf("events:\n%s\nwant %s", evs, want)
	}
	if evs := strings.Join(podEvents(c, "ready"), "\n"); strings.Contains(evs, "Unhealthy") {
		t.Errorf("ready pod events:\n%s", evs)
	}
}

func TestReadinessWithoutDelayIsImmediate(t *testing.T) {
	c := mustCluster(t, 15)
	mustCreate(t, c, fakePod("p", nil, func(p *corev1.Pod) { p.Spec.Containers[0].ReadinessProbe = probe(httpGet(8080), 0, 10) }))
	for cs := containerStatus(c, "p"); cs.Started == nil || !*cs.Started; cs = containerStatus(c, "p") {
		advance(t, c, 100*time.Millisecond)
	}
	if cs := containerStatus(c, "p"); !cs.Ready {
		t.Errorf("not ready when started: %+v", cs)
	}
}

func TestStartupProbeHoldsBackLiveness(t *testing.T) {
	c := mustCluster(t, 16)
	mustCreate(t, c, fakePod("slow", nil, func(p *corev1.Pod) {
		p.Spec.Containers[0].StartupProbe = probe(tcp(9999), 0, 10)
		p.Spec.Containers[0].LivenessProbe = probe(httpGet(8080), 0, 10)
		p.Spec.Containers[0].ReadinessProbe = probe(httpGet(8080), 0, 10)
	}))
	advance(t, c, 20*time.Second)
	cs := containerStatus(c, "slow")
	if cs.State.Running == nil || *cs.Started || cs.Ready {
		t.Fatalf("started/ready before the startup probe passed: %+v", cs)
	}
	if f := started["slow"]; f.lastReq != nil {
		t.Errorf("liveness or readiness probed before startup: %+v", f.lastReq)
	}
	advance(t, c, 20*time.Second)
	evs := strings.Join(podEvents(c, "slow"), "\n")
	if !strings.Contains(evs, "kubelet Killing: Container kubia failed startup probe, will be restarted") ||
		!strings.Contains(evs, "Startup probe failed: dial tcp 10.244.") || strings.Contains(evs, "Liveness") {
		t.Errorf("events:\n%s", evs)
	}

	// A startup probe that passes lets the others run.
	mustCreate(t, c, fakePod("ok", nil, func(p *corev1.Pod) {
		p.Spec.Containers[0].StartupProbe = probe(tcp(8080), 0, 10)
		p.Spec.Containers[0].ReadinessProbe = probe(httpGet(8080), 0, 10)
	}))
	advance(t, c, 30*time.Second)
	if cs := containerStatus(c, "ok"); !*cs.Started || !cs.Ready {
		t.Errorf("after the startup probe: %+v", cs)
	}
}

func TestHTTPProbeRequest(t *testing.T) {
	c := mustCluster(t, 17)
	mustCreate(t, c, fakePod("h", nil, func(p *corev1.Pod) {
		p.Spec.Containers[0].Ports[0].Name = "http"
		p.Spec.Containers[0].LivenessProbe = probe(corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: "/healthz", Port: intstr.FromString("http"), Scheme: corev1.URISchemeHTTPS,
			HTTPHeaders: []corev1.HTTPHeader{{Name: "Custom-Header", Value: "Awesome"}, {Name: "accept", Value: ""}},
		}}, 0, 10)
	}))
	advance(t, c, 15*time.Second)
	req := started["h"].lastReq
	if req == nil {
		t.Fatal("no probe request")
	}
	ip := getPod(c, "h").Status.PodIP
	got := fmt.Sprintf("%s %s %s %d %v %s", req.Method, req.Host, req.Path, req.Port, req.Header, req.ClientIP)
	want := fmt.Sprintf("GET %s:8080 /healthz 8080 map[Custom-Header:Awesome User-Agent:kube-probe/1.37] 10.244.%s.1", ip, strings.Split(ip, ".")[2])
	if got != want {
		t.Errorf("request %s\nwant    %s", got, want)
	}

	// A failing HTTPS probe names the URL it used; an unknown port name is a probe error.
	mustCreate(t, c, fakePod("bad", func(f *fake) { f.status = 503 }, func(p *corev1.Pod) {
		p.Spec.Containers[0].ReadinessProbe = probe(corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt(8443), Scheme: corev1.URISchemeHTTPS}}, 0, 10)
		p.Spec.Containers[0].LivenessProbe = probe(corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromString("web")}}, 0, 10)
	}))
	advance(t, c, 15*time.Second)
	ip = getPod(c, "bad").Status.PodIP
	evs := strings.Join(podEvents(c, "bad"), "\n")
	for _, w := range []string{
		fmt.Sprintf(`Readiness probe failed: Get "https://%s:8443/": dial tcp %s:8443: connect: connection refused`, ip, ip),
		"Liveness probe errored and resulted in unknown state: couldn't find port: web in container kubia",
	} {
		if !strings.Contains(evs, w) {
			t.Errorf("missing %q in\n%s", w, evs)
		}
	}
}

func TestGRPCProbe(t *testing.T) {
	c := mustCluster(t, 18)
	grpc := func(port int32, service string) *corev1.Probe {
		g := &corev1.GRPCAction{Port: port}
		if service != "" {
			g.Service = &service
		}
		return probe(corev1.ProbeHandler{GRPC: g}, 0, 10)
	}
	mustCreate(t, c, fakePod("serving", func(f *fake) { f.grpcStatus = "SERVING" }, func(p *corev1.Pod) { p.Spec.Containers[0].LivenessProbe = grpc(2379, "") }))
	mustCreate(t, c, fakePod("sick", func(f *fake) { f.grpcStatus = "NOT_SERVING" }, func(p *corev1.Pod) { p.Spec.Containers[0].LivenessProbe = grpc(2379, "") }))
	mustCreate(t, c, fakePod("unknown", func(f *fake) { f.grpcStatus = "SERVING" }, func(p *corev1.Pod) { p.Spec.Containers[0].ReadinessProbe = grpc(2379, "nope") }))
	mustCreate(t, c, fakePod("plain", nil, func(p *corev1.Pod) { p.Spec.Containers[0].ReadinessProbe = grpc(8080, "") }))
	advance(t, c, 25*time.Second)
	if evs := podEvents(c, "serving"); strings.Contains(strings.Join(evs, "\n"), "Unhealthy") {
		t.Errorf("serving: %v", evs)
	}
	ipOf := func(n string) string { return getPod(c, n).Status.PodIP }
	for name, want := range map[string]string{
		"sick":    `Liveness probe failed: service unhealthy (responded with "NOT_SERVING")`,
		"unknown": "Readiness probe failed: error: health rpc probe failed: rpc error: code = NotFound desc = unknown service",
		"plain":   fmt.Sprintf(`Readiness probe failed: timeout: failed to connect service "%s:8080" within 1s: context deadline exceeded`, ipOf("plain")),
	} {
		if evs := strings.Join(podEvents(c, name), "\n"); !strings.Contains(evs, want) {
			t.Errorf("%s: missing %q in\n%s", name, want, evs)
		}
	}
}

// TestExecProbeThroughProgram follows exec-liveness.yaml's timeline with a program that
// runs `cat /tmp/healthy` itself: healthy for 30 s, then the file is gone.
func TestExecProbeThroughProgram(t *testing.T) {
	c := mustCluster(t, 19)
	mustCreate(t, c, fakePod("liveness-exec", func(f *fake) {
		f.exec = func(now time.Time, argv []string) (string, int) {
			if now.Sub(f.ctr.StartedAt()) < 30*time.Second {
				return "", 0
			}
			return "cat: can't open '/tmp/healthy': No such file or directory\n", 1
		}
	}, func(p *corev1.Pod) {
		p.Spec.Containers[0].LivenessProbe = probe(corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}}, 5, 5)
	}))
	advance(t, c, 30*time.Second)
	if evs := strings.Join(podEvents(c, "liveness-exec"), "\n"); strings.Contains(evs, "Unhealthy") {
		t.Fatalf("unhealthy within 30 s:\n%s", evs)
	}
	start := containerStatus(c, "liveness-exec").State.Running.StartedAt.Time
	var killedAfter time.Duration
	for killedAfter == 0 && c.Now().Sub(c.Start) < 2*time.Minute {
		advance(t, c, time.Second)
		if strings.Contains(strings.Join(podEvents(c, "liveness-exec"), "\n"), "Killing") {
			killedAfter = c.Now().Sub(start)
		}
	}
	if killedAfter < 40*time.Second || killedAfter > 46*time.Second {
		t.Errorf("killed %v after the start, want 3 failures from ~30 s every 5 s", killedAfter)
	}
	evs := strings.Join(podEvents(c, "liveness-exec"), "\n")
	if !strings.Contains(evs, "Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory") ||
		!strings.Contains(evs, "Killing: Container kubia failed liveness probe, will be restarted") {
		t.Errorf("events:\n%s", evs)
	}
}

func TestProbeKillGraceAndPolicyNever(t *testing.T) {
	c := mustCluster(t, 20)
	five := int64(5)
	mustCreate(t, c, fakePod("p", func(f *fake) { f.status = 500 }, func(p *corev1.Pod) {
		p.Spec.RestartPolicy = corev1.RestartPolicyNever
		p.Spec.Containers[0].LivenessProbe = probe(httpGet(8080), 0, 10)
		p.Spec.Containers[0].LivenessProbe.TerminationGracePeriodSeconds = &five
	}))
	var killedAt time.Time
	for killedAt.IsZero() && c.Now().Sub(c.Start) < time.Minute {
		advance(t, c, time.Second)
		if strings.Contains(strings.Join(podEvents(c, "p"), "\n"), "Killing") {
			killedAt = c.Now()
		}
	}
	evs := strings.Join(podEvents(c, "p"), "\n")
	if !strings.Contains(evs, "Killing: Container kubia failed liveness probe\n") && !strings.HasSuffix(evs, "Killing: Container kubia failed liveness probe") {
		t.Errorf("events:\n%s", evs)
	}
	advance(t, c, 4*time.Second)
	if getPod(c, "p").Status.Phase != corev1.PodRunning {
		t.Errorf("dead before the probe's 5 s grace period")
	}
	advance(t, c, time.Second)
	p := getPod(c, "p")
	term := p.Status.ContainerStatuses[0].State.Terminated
	if p.Status.Phase != corev1.PodFailed || term == nil || term.ExitCode != 137 || term.Reason != "Error" || !term.FinishedAt.Time.Equal(killedAt.Add(5*time.Second)) {
		t.Errorf("phase %s state %+v", p.Status.Phase, p.Status.ContainerStatuses[0].State)
	}
}

func TestProbesStopWhenPodTerminates(t *testing.T) {
	c := mustCluster(t, 21)
	mustCreate(t, c, newPod("kubia", "luksa/kubia-unhealthy", func(p *corev1.Pod) {
		p.Spec.Containers[0].LivenessProbe = probe(httpGet(8080), 0, 1)
	}))
	advance(t, c, 6*time.Second)
	if err := deletePod(c, "kubia"); err != nil {
		t.Fatal(err)
	}
	advance(t, c, 40*time.Second)
	if evs := strings.Join(podEvents(c, "kubia"), "\n"); strings.Contains(evs, "Unhealthy") || strings.Contains(evs, "failed liveness") {
		t.Errorf("probed while terminating:\n%s", evs)
	}
	if getPod(c, "kubia") != nil {
		t.Error("pod still there")
	}
}

func deletePod(c *cluster.Cluster, name string) error {
	if _, err := c.API.Client("test").Delete(podsRes, "default", name, apiserver.DeleteOptions{}); err != nil {
		return err
	}
	return c.Settle()
}
