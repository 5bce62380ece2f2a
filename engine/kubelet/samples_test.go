package kubelet_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/cluster"
	corev1 "k8s.io/api/core/v1"
)

// logTexts is the container's log, one line each.
func logTexts(t *testing.T, c *cluster.Cluster, pod string) []string {
	t.Helper()
	lines, err := c.Kubelets.ContainerLogs("default", pod, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range lines {
		out = append(out, l.Text)
	}
	return out
}

func wantGet(t *testing.T, c *cluster.Cluster, url, body string) {
	t.Helper()
	status, got, err := c.Kubelets.HTTPGet(url)
	if err != nil || status != 200 || got != body {
		t.Fatalf("GET %s: %d %q %v, want %q", url, status, got, err, body)
	}
}

func TestBootcampApp(t *testing.T) {
	c := mustCluster(t, 11)
	noPorts := func(p *corev1.Pod) { p.Spec.Containers[0].Ports = nil }
	mustCreate(t, c, newPod("boot1", "gcr.io/google-samples/kubernetes-bootcamp:v1", noPorts))
	mustCreate(t, c, newPod("boot2", "docker.io/jocatalin/kubernetes-bootcamp:v2", noPorts))
	advance(t, c, time.Minute)
	wantGet(t, c, "boot1:8080", "Hello Kubernetes bootcamp! | Running on: boot1 | v=1\n")
	wantGet(t, c, "boot1:8080/anything", "Hello Kubernetes bootcamp! | Running on: boot1 | v=1\n")
	wantGet(t, c, "boot2:8080", "Hello Kubernetes bootcamp! | Running on: boot2 | v=2\n")
	if _, _, err := c.Kubelets.HTTPGet("boot1:80"); err == nil {
		t.Error("port 80 answers")
	}
	logs := logTexts(t, c, "boot1")
	started := regexp.MustCompile(`^Kubernetes Bootcamp App Started At: 2026-01-01T09:00:\d\d\.\d{3}Z \| Running On:  boot1 $`)
	request := regexp.MustCompile(`^Running On: boot1 \| Total Requests: (\d) \| App Uptime: \d+(\.\d{1,3})? seconds \| Log Time: 2026-01-01T09:01:\d\d\.\d{3}Z$`)
	if len(logs) != 4 || !started.MatchString(logs[0]) || logs[1] != "" || !request.MatchString(logs[2]) || !strings.Contains(logs[3], "Total Requests: 2 |") {
		t.Errorf("logs:\n%s", strings.Join(logs, "\n"))
	}
	if p := getPod(c, "boot1"); p.Status.ContainerStatuses[0].ImageID == "" || p.Status.Phase != corev1.PodRunning {
		t.Errorf("status %+v", p.Status)
	}
	if got := strings.Join(podEvents(c, "boot1"), "\n"); !strings.Contains(got, `Successfully pulled image "gcr.io/google-samples/kubernetes-bootcamp:v1" in `) ||
		!strings.Contains(got, "Image size: 83642968 bytes.") || strings.Contains(got, "Simulated") {
		t.Errorf("events:\n%s", got)
	}
}

func TestHelloApp(t *testing.T) {
	c := mustCluster(t, 12)
	mustCreate(t, c, newPod("hello1", "gcr.io/google-samples/hello-app:1.0"))
	mustCreate(t, c, newPod("hello2", "us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0"))
	mustCreate(t, c, newPod("port", "gcr.io/google-samples/hello-app:1.0", func(p *corev1.Pod) {
		p.Spec.Containers[0].Env = []corev1.EnvVar{{Name: "PORT", Value: "9000"}}
	}))
	advance(t, c, time.Minute)
	wantGet(t, c, "hello1:8080/", "Hello, world!\nVersion: 1.0.0\nHostname: hello1\n")
	wantGet(t, c, "hello2:8080/x", "Hello, world!\nVersion: 2.0.0\nHostname: hello2\n")
	wantGet(t, c, "port:9000", "Hello, world!\nVersion: 1.0.0\nHostname: port\n")
	logs := logTexts(t, c, "hello2")
	if len(logs) != 2 || !regexp.MustCompile(`^2026/01/01 09:00:\d\d Server listening on port 8080$`).MatchString(logs[0]) ||
		!regexp.MustCompile(`^2026/01/01 09:01:\d\d Serving request: /x$`).MatchString(logs[1]) {
		t.Errorf("logs:\n%s", strings.Join(logs, "\n"))
	}
}

func TestHTTPEcho(t *testing.T) {
	c := mustCluster(t, 13)
	echo := func(args ...string) func(*corev1.Pod) {
		return func(p *corev1.Pod) {
			p.Spec.Containers[0].Args = args
			p.Spec.Containers[0].Ports = nil
		}
	}
	mustCreate(t, c, newPod("foo", "hashicorp/http-echo", echo("-text=foo")))
	mustCreate(t, c, newPod("bar", "hashicorp/http-echo:1.0", echo("-listen=:8080", "-text", "bar baz")))
	mustCreate(t, c, newPod("plain", "hashicorp/http-echo"))
	mustCreate(t, c, newPod("env", "hashicorp/http-echo:1.0", func(p *corev1.Pod) {
		p.Spec.Containers[0].Env = []corev1.EnvVar{{Name: "ECHO_TEXT", Value: "from env"}}
	}))
	mustCreate(t, c, newPod("old", "hashicorp/http-echo:0.2.3"))
	mustCreate(t, c, newPod("extra", "hashicorp/http-echo", echo("-text=a", "stray")))
	advance(t, c, time.Minute)
	wantGet(t, c, "foo:5678", "foo\n")
	wantGet(t, c, "foo:5678/any/path", "foo\n")
	wantGet(t, c, "foo:5678/health", `{"status":"ok"}`+"\n")
	wantGet(t, c, "bar:8080", "bar baz\n")
	wantGet(t, c, "plain:5678", "hello-world\n")
	wantGet(t, c, "env:5678", "from env\n")
	if _, _, err := c.Kubelets.HTTPGet("bar:5678"); err == nil {
		t.Error("-listen=:8080 still answers on 5678")
	}
	logs := logTexts(t, c, "foo")
	if len(logs) != 3 || !regexp.MustCompile(`^2026/01/01 09:00:\d\d \[INFO\] server is listening on :5678$`).MatchString(logs[0]) ||
		!regexp.MustCompile(`^2026/01/01 09:01:\d\d foo:5678 10\.244\.\d+\.1:\d+ "GET / HTTP/1.1" 200 4 "curl/8.5.0" \S+µs$`).MatchString(logs[1]) {
		t.Errorf("logs:\n%s", strings.Join(logs, "\n"))
	}
	for pod, msg := range map[string]string{"old": "Missing -text option OR ENV var TEXT is empty!", "extra": "Too many arguments!"} {
		p := getPod(c, pod)
		cs := p.Status.ContainerStatuses[0]
		last := cs.LastTerminationState.Terminated
		if cs.RestartCount == 0 || last == nil || last.ExitCode != 127 {
			t.Errorf("%s: %+v", pod, cs)
		}
		if logs := logTexts(t, c, pod); len(logs) != 1 || logs[0] != msg {
			t.Errorf("%s: logs %q", pod, logs)
		}
	}
}

func TestEchoServer(t *testing.T) {
	c := mustCluster(t, 14)
	mustCreate(t, c, newPod("echo", "registry.k8s.io/echoserver:1.10"))
	mustCreate(t, c, newPod("legacy", "k8s.gcr.io/echoserver:1.4"))
	advance(t, c, time.Minute)
	ip := getPod(c, "echo").Status.PodIP
	_, body, err := c.Kubelets.HTTPGet("http://" + ip + ":8080/hi?x=1")
	want := "\n\nHostname: echo\n\nPod Information:\n\t-no pod information available-\n\n" +
		"Server values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\n" +
		"Request Information:\n\tclient_address=" + gateway(ip) + "\n\tmethod=GET\n\treal path=/hi?x=1\n\tquery=x=1\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://" + ip + ":8080/hi?x=1\n\n" +
		"Request Headers:\n\taccept=*/*\n\thost=" + ip + ":8080\n\tuser-agent=curl/8.5.0\n\n" +
		"Request Body:\n\t-no body in request-\n\n"
	if err != nil || body != want {
		t.Errorf("1.10:\n%q\nwant\n%q (%v)", body, want, err)
	}
	ip = getPod(c, "legacy").Status.PodIP
	_, body, _ = c.Kubelets.HTTPGet("http://" + ip + ":8080/")
	want = "CLIENT VALUES:\nclient_address=" + gateway(ip) + "\ncommand=GET\nreal path=/\nquery=nil\nrequest_version=1.1\nrequest_uri=http://" + ip + ":8080/\n\n" +
		"SERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\naccept=*/*\nhost=" + ip + ":8080\nuser-agent=curl/8.5.0\nBODY:\n-no body in request-"
	if body != want {
		t.Errorf("1.4:\n%q\nwant\n%q", body, want)
	}
	logs := logTexts(t, c, "echo")
	if len(logs) != 8 || logs[0] != "Generating self-signed cert" || logs[6] != "Starting nginx" ||
		!regexp.MustCompile(`^\.{3,}\+\+\+$`).MatchString(logs[2]) ||
		!regexp.MustCompile(`^10\.244\.\d+\.1 - - \[01/Jan/2026:09:01:\d\d \+0000\] "GET /hi\?x=1 HTTP/1.1" 200 \d+ "-" "curl/8.5.0"$`).MatchString(logs[7]) {
		t.Errorf("logs:\n%s", strings.Join(logs, "\n"))
	}
}

// gateway is the node's address in a pod's subnet, which plain requests come from.
func gateway(podIP string) string {
	return podIP[:strings.LastIndex(podIP, ".")] + ".1"
}

// TestMissingTagBackOff: a tag the registry does not have (the docs' nginx:1.161) fails
// with ErrImagePull, then ImagePullBackOff, with containerd's `not found`.
func TestMissingTagBackOff(t *testing.T) {
	c := mustCluster(t, 15)
	mustCreate(t, c, newPod("bad", "nginx:1.161"))
	const notFound = `failed to pull and unpack image "docker.io/library/nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found`
	runUntil(t, c, c.Now().Add(time.Minute), func() bool {
		w := waiting(c, "bad", false, 0)
		return w != nil && w.Reason == "ErrImagePull"
	})
	wantWaiting(t, c, "bad", "ErrImagePull", notFound)
	if n, _ := eventStat(c, "bad", "Failed", `Failed to pull image "nginx:1.161": `+notFound); n != 1 {
		t.Errorf("events:\n%s", strings.Join(podEvents(c, "bad"), "\n"))
	}
	advance(t, c, 2*time.Second)
	wantWaiting(t, c, "bad", "ImagePullBackOff", `Back-off pulling image "nginx:1.161": ErrImagePull: `+notFound)
	// The right tag pulls and runs.
	mustCreate(t, c, newPod("good", "nginx:1.16.1"))
	advance(t, c, time.Minute)
	if p := getPod(c, "good"); p.Status.Phase != corev1.PodRunning {
		t.Errorf("nginx:1.16.1: %s", p.Status.Phase)
	}
	if _, body, _ := c.Kubelets.HTTPGet("good:80"); !strings.Contains(body, "<title>Welcome to nginx!</title>") {
		t.Errorf("nginx page %q", body)
	}
}

// TestNginxPages: the welcome page and start-up log depend on the version, as the docs'
// nginx:1.14.2 and 1.16.1 show them (612 bytes, no entrypoint messages) against current
// images (615 bytes).
func TestNginxPages(t *testing.T) {
	c := mustCluster(t, 16)
	for name, image := range map[string]string{"old": "nginx:1.16.1", "new": "nginx:1.27-alpine", "latest": "nginx"} {
		mustCreate(t, c, newPod(name, image))
	}
	advance(t, c, time.Minute)
	for name, size := range map[string]int{"old": 612, "new": 615, "latest": 615} {
		_, body, err := c.Kubelets.HTTPGet(name + ":80")
		if err != nil || len(body) != size || !strings.Contains(body, "<p><em>Thank you for using nginx.</em></p>") {
			t.Errorf("%s: %d bytes %v", name, len(body), err)
		}
	}
	if logs := logTexts(t, c, "old"); len(logs) != 1 || !strings.Contains(logs[0], `"GET / HTTP/1.1" 200 612`) {
		t.Errorf("1.16.1 logs:\n%s", strings.Join(logs, "\n"))
	}
	if logs := logTexts(t, c, "new"); len(logs) != 3 || logs[0] != "/docker-entrypoint.sh: Configuration complete; ready for start up" {
		t.Errorf("1.27 logs:\n%s", strings.Join(logs, "\n"))
	}
}
