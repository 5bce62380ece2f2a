package kubelet_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubectl"
)

// Golden-ish scenarios: the book's and the docs' probe examples driven through kubectl on a
// fixed seed, with the key output lines compared literally.

// agoRE is the "(Xs ago)" of the RESTARTS column.
var agoRE = regexp.MustCompile(` \(\S+ ago\)`)

var scenarioStart = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

type scenario struct {
	t *testing.T
	c *cluster.Cluster
}

func newScenario(t *testing.T, seed uint64) *scenario {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: seed, Start: scenarioStart})
	if err != nil {
		t.Fatal(err)
	}
	return &scenario{t: t, c: c}
}

// kubectl runs one kubectl command line (words split on blanks) with optional stdin.
func (s *scenario) kubectl(line string, stdin ...string) string {
	s.t.Helper()
	var out, errb bytes.Buffer
	io := kubectl.IO{Out: &out, Err: &errb}
	if len(stdin) > 0 {
		io.Stdin = &stdin[0]
	}
	if code := kubectl.Run(kubectl.Cluster{Cluster: s.c.Cluster, Containers: s.c.Kubelets}, strings.Fields(line), io); code != 0 {
		s.t.Fatalf("kubectl %s: exit %d\n%s%s", line, code, out.String(), errb.String())
	}
	return out.String()
}

// at moves virtual time to start+d.
func (s *scenario) at(d time.Duration) {
	s.t.Helper()
	if _, err := s.c.RunUntil(scenarioStart.Add(d), nil); err != nil {
		s.t.Fatal(err)
	}
}

func (s *scenario) elapsed() time.Duration { return s.c.Now().Sub(scenarioStart) }

// podLine is the pod's row of `kubectl get pod NAME` without the AGE column.
func (s *scenario) podLine(name string) string {
	s.t.Helper()
	lines := strings.Split(strings.TrimSpace(s.kubectl("get pod "+name)), "\n")
	f := strings.Fields(lines[len(lines)-1])
	return strings.Join(f[:len(f)-1], " ")
}

// wantLines fails unless every regexp matches some line of text.
func wantLines(t *testing.T, what, text string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		found := false
		for _, l := range strings.Split(text, "\n") {
			if re.MatchString(l) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: no line matches %q in:\n%s", what, p, text)
		}
	}
}

// waitFor advances second by second until cond holds, returning the elapsed time.
func (s *scenario) waitFor(limit time.Duration, cond func() bool) time.Duration {
	s.t.Helper()
	for s.elapsed() < limit {
		if cond() {
			return s.elapsed()
		}
		s.at(s.elapsed() + time.Second)
	}
	s.t.Fatalf("condition not reached within %v", limit)
	return 0
}

func (s *scenario) dump(name string) string {
	return fmt.Sprintf("at %v:\n%s\n%s", s.elapsed(), s.kubectl("get pod "+name), s.kubectl("describe pod "+name))
}

const kubiaLivenessYAML = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-liveness
spec:
  containers:
  - image: luksa/kubia-unhealthy
    name: kubia
    livenessProbe:
      httpGet:
        path: /
        port: 8080
`

// TestLivenessRestartOfKubiaUnhealthyShowsExitCode137 is the acceptance case: the
// book's kubia-liveness (Kubernetes in Action 4.1.4). Probes every 10 s from the pod's
// admission: the first five requests succeed, the next three get 500, the kubelet kills the
// container, node ignores SIGTERM, dies with 137 after the 30 s grace period and restarts.
func TestLivenessRestartOfKubiaUnhealthyShowsExitCode137(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("create -f -", kubiaLivenessYAML)

	s.at(55 * time.Second)
	if d := s.kubectl("describe pod kubia-liveness"); strings.Contains(d, "Unhealthy") {
		t.Fatalf("unhealthy before the sixth request:\n%s", d)
	}
	// Requests 6, 7, 8 at 60, 70, 80 s; the third failure kills.
	killedAt := s.waitFor(2*time.Minute, func() bool {
		return strings.Contains(s.kubectl("describe pod kubia-liveness"), "Killing")
	})
	if killedAt != 80*time.Second {
		t.Errorf("Killing at %v, want 80s (container started at ~3s)", killedAt)
	}
	wantLines(t, "describe at the kill", s.kubectl("describe pod kubia-liveness"),
		`^\s+Warning\s+Unhealthy\s+0s \(x3 over 20s\)\s+kubelet\s+(spec.containers\{kubia\}: )?Liveness probe failed: HTTP probe failed with statuscode: 500$`,
		`^\s+Normal\s+Killing\s+0s\s+kubelet\s+(spec.containers\{kubia\}: )?Container kubia failed liveness probe, will be restarted$`,
		`^\s+State:\s+Running$`,
	)
	// SIGTERM is ignored: still running 29 s later, dead with 137 at 30 s and restarted.
	s.at(killedAt + 29*time.Second)
	if got := s.podLine("kubia-liveness"); got != "kubia-liveness 1/1 Running 0" {
		t.Errorf("during the grace period: %q", got)
	}
	s.at(killedAt + 35*time.Second)
	d := s.kubectl("describe pod kubia-liveness")
	wantLines(t, "describe after the restart", d,
		`^\s+State:\s+Running$`,
		`^\s+Last State:\s+Terminated$`,
		`^\s+Reason:\s+Error$`,
		`^\s+Exit Code:\s+137$`,
		`^\s+Started:\s+Thu, 01 Jan 2026 09:00:0\d \+0000$`,
		`^\s+Finished:\s+Thu, 01 Jan 2026 09:01:50 \+0000$`,
		`^\s+Restart Count:\s+1$`,
		`^\s+Warning\s+Unhealthy\s+35s \(x3 over 55s\)\s+kubelet\s+.*Liveness probe failed: HTTP probe failed with statuscode: 500$`,
		`^\s+Normal\s+Killing\s+35s\s+kubelet\s+.*Container kubia failed liveness probe, will be restarted$`,
		// imagePullPolicy Always (no tag): the restart pulls again.
		`^\s+Normal\s+Pulling\s+\S+ \(x2 over \S+\)\s+kubelet\s+.*Pulling image "luksa/kubia-unhealthy"$`,
		`^\s+Normal\s+Started\s+\S+ \(x2 over \S+\)\s+kubelet\s+.*Started container kubia$`,
	)
	if t.Failed() {
		t.Log(s.dump("kubia-liveness"))
	}
	if got := s.podLine("kubia-liveness"); got != "kubia-liveness 1/1 Running 1 (5s ago)" {
		t.Errorf("get pod: %q", got)
	}
	// The previous instance's log: the start-up line and one line per request.
	prev := s.kubectl("logs kubia-liveness --previous")
	if n := strings.Count(prev, "Received request from ::ffff:10.244.1.1"); !strings.HasPrefix(prev, "Kubia server starting...\n") || n != 8 {
		t.Errorf("previous log (%d requests):\n%s", n, prev)
	}
}

// TestKubiaLivenessCycle follows kubia-liveness for 16 minutes: an instance lives 110 s
// (80 s of probes, 30 s of grace). The kill and the restart are one sync that checks the
// back-off against the previous exit, so restarts are immediate while the entry (none,
// 10, 20, 40, 80, 160 s) is below 110 s; the seventh exit meets 160 s: CrashLoopBackOff
// from 12m50s, restart at 15m30s (+ the pull).
func TestKubiaLivenessCycle(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("create -f -", kubiaLivenessYAML)
	var timeline []string
	last := ""
	for s.elapsed() < 16*time.Minute {
		s.at(s.elapsed() + time.Second)
		if l := agoRE.ReplaceAllString(s.podLine("kubia-liveness"), ""); l != last {
			timeline = append(timeline, fmt.Sprintf("%v %s", s.elapsed(), strings.TrimPrefix(l, "kubia-liveness ")))
			last = l
		}
	}
	got := strings.Join(timeline, "\n")
	want := `1s 0/1 ContainerCreating 0
5s 1/1 Running 0
1m50s 0/1 Error 0
1m51s 1/1 Running 1
3m40s 0/1 Error 1
3m41s 1/1 Running 2
5m30s 0/1 Error 2
5m31s 1/1 Running 3
7m20s 0/1 Error 3
7m21s 1/1 Running 4
9m10s 0/1 Error 4
9m11s 1/1 Running 5
11m0s 0/1 Error 5
11m1s 1/1 Running 6
12m50s 0/1 CrashLoopBackOff 6
15m31s 1/1 Running 7`
	if got != want {
		t.Errorf("timeline:\n%s\nwant:\n%s", got, want)
	}
}

// TestKubiaLivenessInitialDelay is kubia-liveness-probe-initial-delay.yaml: nothing is
// probed in the first 15 s, so the fifth success, and the kill, come one period later.
func TestKubiaLivenessInitialDelay(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("create -f -", strings.Replace(kubiaLivenessYAML, "        port: 8080\n", "        port: 8080\n      initialDelaySeconds: 15\n", 1))
	killedAt := s.waitFor(3*time.Minute, func() bool {
		return strings.Contains(s.kubectl("describe pod kubia-liveness"), "Killing")
	})
	if killedAt != 90*time.Second {
		t.Errorf("Killing at %v, want 90s (first probe at the first tick 15 s after the start)", killedAt)
	}
	wantLines(t, "describe", s.kubectl("describe pod kubia-liveness"),
		`^\s+Liveness:\s+http-get http://:8080/ delay=15s timeout=1s period=10s successThreshold=1 failureThreshold=3$`,
		`Unhealthy\s+0s \(x3 over 20s\)`)
	logs := s.kubectl("logs kubia-liveness")
	if n := strings.Count(logs, "Received request"); n != 8 {
		t.Errorf("%d requests, want 8:\n%s", n, logs)
	}
}

// TestNodeFailureUnderReplicationController: the book's kubia RC of three, one node fails
// (kubetab node fail), turns NotReady after the 50 s grace period, its pod is evicted 300 s
// later and replaced elsewhere; recovering the node removes the stale pod.
func TestNodeFailureUnderReplicationController(t *testing.T) {
	s := newScenario(t, 3)
	s.kubectl("create -f -", `apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
`)
	s.at(30 * time.Second)
	pods := s.kubectl("get pods -o wide")
	var victim, node string
	for _, l := range strings.Split(pods, "\n")[1:] {
		if f := strings.Fields(l); len(f) > 6 && f[2] == "Running" {
			victim, node = f[0], f[6]
			break
		}
	}
	if victim == "" {
		t.Fatalf("no running pod:\n%s", pods)
	}
	if err := s.c.FailNode(node); err != nil {
		t.Fatal(err)
	}
	failedAt := s.elapsed()
	nodeStatus := func() string {
		for _, l := range strings.Split(s.kubectl("get nodes"), "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == node {
				return f[1]
			}
		}
		return ""
	}
	s.at(failedAt + 49*time.Second)
	if st := nodeStatus(); st != "Ready" {
		t.Errorf("node %s at +49s", st)
	}
	s.at(failedAt + 51*time.Second)
	if st := nodeStatus(); st != "NotReady" {
		t.Errorf("node %s at +51s", st)
	}
	s.at(failedAt + 349*time.Second)
	if strings.Contains(s.kubectl("get pods"), "Terminating") {
		t.Errorf("evicted before 300 s:\n%s", s.kubectl("get pods"))
	}
	s.at(failedAt + 51*time.Second + 310*time.Second)
	got := s.kubectl("get pods -o wide")
	wantLines(t, "after the eviction", got, `^`+victim+`\s+1/1\s+Terminating\s+0\s+\S+\s+\S+\s+`+node+`\s`)
	running := 0
	for _, l := range strings.Split(got, "\n")[1:] {
		if f := strings.Fields(l); len(f) > 6 && f[2] == "Running" {
			running++
			if f[6] == node {
				t.Errorf("replacement on the failed node: %s", l)
			}
		}
	}
	if running != 3 {
		t.Errorf("%d running, want 3:\n%s", running, got)
	}
	if rc := s.kubectl("get rc kubia"); !regexp.MustCompile(`kubia\s+3\s+3\s+3\s`).MatchString(rc) {
		t.Errorf("rc:\n%s", rc)
	}

	if err := s.c.RecoverNode(node); err != nil {
		t.Fatal(err)
	}
	s.at(s.elapsed() + 40*time.Second)
	if st := nodeStatus(); st != "Ready" {
		t.Errorf("node %s after recovery", st)
	}
	got = s.kubectl("get pods")
	if strings.Contains(got, victim) || strings.Count(got, "Running") != 3 {
		t.Errorf("after recovery:\n%s", got)
	}
}

// firstEvent waits until describe shows an event line matching re and returns when.
func (s *scenario) firstEvent(pod, re string, limit time.Duration) time.Duration {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	return s.waitFor(limit, func() bool { return rx.MatchString(s.kubectl("describe pod " + pod)) })
}

// TestDocsExecLiveness is exec-liveness.yaml: busybox creates /tmp/healthy, removes it
// after 30 s; `cat /tmp/healthy` every 5 s from 5 s fails from then on.
func TestDocsExecLiveness(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("create -f -", `apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
`)
	s.at(30 * time.Second)
	if d := s.kubectl("describe pod liveness-exec"); strings.Contains(d, "Unhealthy") {
		t.Fatalf("unhealthy within 30 s:\n%s", d)
	}
	killed := s.firstEvent("liveness-exec", `Killing`, 2*time.Minute)
	if killed < 35*time.Second || killed > 50*time.Second {
		t.Errorf("Killing at %v, want about 35-45 s", killed)
	}
	wantLines(t, "describe", s.kubectl("describe pod liveness-exec"),
		`^\s+Warning\s+Unhealthy\s+0s \(x3 over 10s\)\s+kubelet\s+(spec.containers\{liveness\}: )?Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory$`,
		`^\s+Normal\s+Killing\s+0s\s+kubelet\s+(spec.containers\{liveness\}: )?Container liveness failed liveness probe, will be restarted$`)
	// sh ignores SIGTERM as PID 1: 30 s later it is killed and restarted.
	s.at(killed + 32*time.Second)
	if got := agoRE.ReplaceAllString(s.podLine("liveness-exec"), ""); got != "liveness-exec 1/1 Running 1" {
		t.Errorf("get pod: %q\n%s", got, s.dump("liveness-exec"))
	}
}

// TestDocsHTTPLiveness is http-liveness.yaml: agnhost liveness answers 200 for 10 s, then
// 500; probes every 3 s from 3 s.
func TestDocsHTTPLiveness(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("create -f -", `apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-http
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args:
    - liveness
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
        httpHeaders:
        - name: Custom-Header
          value: Awesome
      initialDelaySeconds: 3
      periodSeconds: 3
`)
	killed := s.firstEvent("liveness-http", `Killing`, time.Minute)
	if killed < 15*time.Second || killed > 25*time.Second {
		t.Errorf("Killing at %v, want ~3 failed probes after t≈10 s", killed)
	}
	wantLines(t, "describe", s.kubectl("describe pod liveness-http"),
		`^\s+Warning\s+Unhealthy\s+0s \(x3 over 6s\)\s+kubelet\s+.*Liveness probe failed: HTTP probe failed with statuscode: 500$`,
		`^\s+Normal\s+Killing\s+0s\s+kubelet\s+.*Container liveness failed liveness probe, will be restarted$`)
	// agnhost stops on SIGTERM: the restart follows at once.
	s.at(killed + 2*time.Second)
	if d := s.kubectl("describe pod liveness-http"); !regexp.MustCompile(`Restart Count:\s+1`).MatchString(d) {
		t.Errorf("no restart:\n%s", d)
	}
}

// TestDocsTCPLivenessReadiness is tcp-liveness-readiness.yaml: goproxy on 8080, both
// probes from 15 s every 10 s: Ready at the first tick after 15 s, never killed.
func TestDocsTCPLivenessReadiness(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("create -f -", `apiVersion: v1
kind: Pod
metadata:
  name: goproxy
  labels:
    app: goproxy
spec:
  containers:
  - name: goproxy
    image: registry.k8s.io/goproxy:0.1
    ports:
    - containerPort: 8080
    readinessProbe:
      tcpSocket:
        port: 8080
      initialDelaySeconds: 15
      periodSeconds: 10
    livenessProbe:
      tcpSocket:
        port: 8080
      initialDelaySeconds: 15
      periodSeconds: 10
`)
	s.at(10 * time.Second)
	if got := s.podLine("goproxy"); got != "goproxy 0/1 Running 0" {
		t.Errorf("at 10s: %q", got)
	}
	ready := s.waitFor(time.Minute, func() bool { return s.podLine("goproxy") == "goproxy 1/1 Running 0" })
	if ready < 15*time.Second || ready > 30*time.Second {
		t.Errorf("ready at %v", ready)
	}
	s.at(5 * time.Minute)
	d := s.kubectl("describe pod goproxy")
	wantLines(t, "describe", d, `^\s+Ready:\s+True$`, `^\s+Readiness:\s+tcp-socket :8080 delay=15s timeout=1s period=10s successThreshold=1 failureThreshold=3$`)
	if strings.Contains(d, "Unhealthy") || strings.Contains(d, "Killing") {
		t.Errorf("probe failures:\n%s", d)
	}
}

// TestDocsGRPCLiveness is grpc-liveness.yaml: etcd answers the gRPC health check.
func TestDocsGRPCLiveness(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("create -f -", `apiVersion: v1
kind: Pod
metadata:
  name: etcd-with-grpc
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.1-0
    command: [ "/usr/local/bin/etcd", "--data-dir",  "/var/lib/etcd", "--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", "http://127.0.0.1:2379", "--log-level", "debug"]
    ports:
    - containerPort: 2379
    livenessProbe:
      grpc:
        port: 2379
      initialDelaySeconds: 10
`)
	s.at(2 * time.Minute)
	if d := s.kubectl("describe pod etcd-with-grpc"); strings.Contains(d, "Unhealthy") || !regexp.MustCompile(`Restart Count:\s+0`).MatchString(d) {
		t.Errorf("describe:\n%s", d)
	}
}

// TestCrashLoopingBusybox follows `sh -c false` for ten minutes: restarts 1 s, then 10,
// 20, 40, 80, 160, 300 s after each exit (plus the pull: busybox:latest is pulled again),
// STATUS Error right after an exit and CrashLoopBackOff while backing off.
func TestCrashLoopingBusybox(t *testing.T) {
	s := newScenario(t, 1)
	s.kubectl("run crash --image=busybox --restart=Always -- sh -c false")
	var timeline []string
	last := ""
	for s.elapsed() < 10*time.Minute {
		s.at(s.elapsed() + time.Second)
		if l := agoRE.ReplaceAllString(s.podLine("crash"), ""); l != last {
			timeline = append(timeline, fmt.Sprintf("%v %s", s.elapsed(), strings.TrimPrefix(l, "crash ")))
			last = l
		}
	}
	t.Logf("timeline:\n%s", strings.Join(timeline, "\n"))
	d := s.kubectl("describe pod crash")
	wantLines(t, "describe", d,
		`^\s+State:\s+Waiting$`, `^\s+Reason:\s+CrashLoopBackOff$`,
		`^\s+Last State:\s+Terminated$`, `^\s+Exit Code:\s+1$`,
		`^\s+Warning\s+BackOff\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+.*Back-off restarting failed container crash in pod crash_default\(`)
}
