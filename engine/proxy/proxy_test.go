package proxy_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/terminal"
)

// The book's manifests (chapter 4's RC, chapter 5's Services) and a few of the tests' own.
var files = map[string]string{
	"client.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "9999"]
`,
	"nothing-svc.yaml": `apiVersion: v1
kind: Service
metadata:
  name: nothing
spec:
  ports:
  - port: 80
  selector:
    app: nothing
`,
	"local-svc.yaml": `apiVersion: v1
kind: Service
metadata:
  name: local
spec:
  type: NodePort
  externalTrafficPolicy: Local
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30200
  selector:
    app: kubia
`,
}

func readReference(t *testing.T) {
	t.Helper()
	for dir, names := range map[string][]string{
		"../../testdata/manifests":      {"kubia-rc.yaml"},
		"../../testdata/manifests/ch05": {"kubia-svc.yaml", "kubia-svc-nodeport.yaml", "kubia-svc-client-ip-session-affinity.yaml", "kubia-rc-readinessprobe.yaml"},
	} {
		for _, n := range names {
			if _, ok := files[n]; ok {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			files[n] = string(b)
		}
	}
}

type session struct {
	t *testing.T
	s *terminal.Session
}

func newSession(t *testing.T, seed uint64) *session {
	t.Helper()
	readReference(t)
	s, err := terminal.New(terminal.Options{Seed: seed, ReadFile: func(p string) ([]byte, error) {
		if f, ok := files[p]; ok {
			return []byte(f), nil
		}
		return nil, fmt.Errorf("open %s: no such file or directory", p)
	}})
	if err != nil {
		t.Fatal(err)
	}
	return &session{t, s}
}

// run runs a line and returns its output (stdout and stderr as the terminal shows them).
func (s *session) run(line string) string {
	s.t.Helper()
	var out bytes.Buffer
	s.s.RunLine(line, &out)
	return out.String()
}

func (s *session) mustRun(lines ...string) {
	s.t.Helper()
	for _, l := range lines {
		var out bytes.Buffer
		if code := s.s.RunLine(l, &out); code != 0 {
			s.t.Fatalf("%s: exit %d\n%s", l, code, out.String())
		}
	}
}

var hit = regexp.MustCompile(`You've hit (kubia-\w+)`)

// hits makes n requests from the client pod and returns which pod answered each.
func (s *session) hits(n int, url string) []string {
	s.t.Helper()
	var out []string
	for i := 0; i < n; i++ {
		o := s.run("kubectl exec client -- wget -qO- " + url)
		m := hit.FindStringSubmatch(o)
		if m == nil {
			s.t.Fatalf("request %d: %s", i, o)
		}
		out = append(out, m[1])
	}
	return out
}

func distinct(l []string) int {
	seen := map[string]bool{}
	for _, x := range l {
		seen[x] = true
	}
	return len(seen)
}

func withKubia(t *testing.T, seed uint64, svc string) *session {
	s := newSession(t, seed)
	s.mustRun("kubectl apply -f kubia-rc.yaml", "kubectl apply -f "+svc, "kubectl apply -f client.yaml", "kubetab advance 1m")
	return s
}

// The acceptance test of the Services issue: 20 requests to the Service's name spread over
// the pods, the same way for the same seed.
func TestRequestsSpreadDeterministically(t *testing.T) {
	a := withKubia(t, 7, "kubia-svc.yaml").hits(20, "http://kubia")
	if distinct(a) < 2 {
		t.Fatalf("20 requests reached only %v", a)
	}
	b := withKubia(t, 7, "kubia-svc.yaml").hits(20, "http://kubia")
	if strings.Join(a, " ") != strings.Join(b, " ") {
		t.Fatalf("same seed, other spread:\n%v\n%v", a, b)
	}
	c := withKubia(t, 8, "kubia-svc.yaml").hits(20, "http://kubia.default.svc.cluster.local")
	if strings.Join(a, " ") == strings.Join(c, " ") {
		t.Logf("seeds 7 and 8 spread alike (possible, unlikely): %v", a)
	}
}

func TestSessionAffinityKeepsTheClientOnOnePod(t *testing.T) {
	s := withKubia(t, 3, "kubia-svc-client-ip-session-affinity.yaml")
	if got := s.hits(10, "http://kubia"); distinct(got) != 1 {
		t.Fatalf("ClientIP affinity spread: %v", got)
	}
}

func TestNodePortReachesThePods(t *testing.T) {
	s := withKubia(t, 5, "kubia-svc-nodeport.yaml")
	got := s.hits(10, "http://172.18.0.3:30123")
	if distinct(got) < 2 {
		t.Fatalf("node port reached %v", got)
	}
	// The cluster IP on the Service's port works too; on another port nothing answers.
	s.hits(1, "http://kubia-nodeport")
	if o := s.run("kubectl exec client -- wget -qO- http://kubia-nodeport:8080"); !strings.Contains(o, "Connection timed out") {
		t.Fatalf("unknown port: %s", o)
	}
	// A node's own port that is no node port: refused.
	if o := s.run("kubectl exec client -- wget -qO- http://172.18.0.3:30999"); !strings.Contains(o, "Connection refused") {
		t.Fatalf("not a node port: %s", o)
	}
}

func TestLocalTrafficPolicyOnlyUsesTheNodesPods(t *testing.T) {
	s := withKubia(t, 5, "local-svc.yaml")
	s.mustRun("kubectl delete pod -l app=kubia --wait=false", "kubectl scale rc kubia --replicas=1", "kubetab advance 1m")
	var answered, dropped int
	for _, ip := range []string{"172.18.0.3", "172.18.0.4", "172.18.0.5"} {
		o := s.run("kubectl exec client -- wget -qO- http://" + ip + ":30200")
		switch {
		case hit.MatchString(o):
			answered++
		case strings.Contains(o, "Connection timed out"):
			dropped++
		default:
			t.Fatalf("%s: %s", ip, o)
		}
	}
	if answered != 1 || dropped != 2 {
		t.Fatalf("answered %d, dropped %d", answered, dropped)
	}
}

func TestNoEndpointIsRefused(t *testing.T) {
	s := newSession(t, 1)
	s.mustRun("kubectl apply -f nothing-svc.yaml", "kubectl apply -f client.yaml", "kubetab advance 30s")
	if o := s.run("kubectl get endpointslices -l kubernetes.io/service-name=nothing"); !regexp.MustCompile(`nothing-\w{5} +IPv4 +<unset> +<unset>`).MatchString(o) {
		t.Fatalf("slice of a Service selecting nothing:\n%s", o)
	}
	if o := s.run("kubectl exec client -- wget -qO- http://nothing"); !regexp.MustCompile(`wget: can't connect to remote host \(10\.\d+\.\d+\.\d+\): Connection refused`).MatchString(o) {
		t.Fatalf("no endpoints: %s", o)
	}
}

// A pod failing its readiness probe is no ready endpoint (and shows 0/1) until it passes.
func TestReadinessDecidesTheEndpoints(t *testing.T) {
	s := withKubia(t, 2, "kubia-svc.yaml")
	s.mustRun("kubectl delete rc kubia", "kubetab advance 1m", "kubectl apply -f kubia-rc-readinessprobe.yaml", "kubetab advance 1m")
	pods := regexp.MustCompile(`(?m)^(kubia-\w+) +0/1 +Running`).FindAllStringSubmatch(s.run("kubectl get pods"), -1)
	if len(pods) != 3 {
		t.Fatalf("want three pods 0/1:\n%s", s.run("kubectl get pods"))
	}
	if o := s.run("kubectl describe svc kubia"); !regexp.MustCompile(`(?m)^Endpoints: *$`).MatchString(o) {
		t.Fatalf("endpoints of unready pods:\n%s", o)
	}
	if o := s.run("kubectl exec client -- wget -qO- http://kubia"); !strings.Contains(o, "Connection refused") {
		t.Fatalf("no ready endpoint: %s", o)
	}
	ready := pods[1][1]
	s.mustRun("kubectl exec "+ready+" -- touch /var/ready", "kubetab advance 15s")
	if o := s.run("kubectl get pod " + ready); !strings.Contains(o, "1/1") {
		t.Fatalf("probe passed, pod not ready:\n%s", o)
	}
	for _, h := range s.hits(5, "http://kubia") {
		if h != ready {
			t.Fatalf("request reached %s, want only the ready %s", h, ready)
		}
	}
}
