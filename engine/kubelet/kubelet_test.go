package kubelet_test

import (
	"errors"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/store"
)

var (
	podsRes   = api.ResourceByName("pods")
	eventsRes = api.ResourceByName("events")
)

func mustCluster(tb testing.TB, seed uint64) *cluster.Cluster {
	tb.Helper()
	c, err := cluster.New(cluster.Options{Seed: seed})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func newPod(name, image string, mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "kubia", Image: image, Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
		}}},
	}
	for _, m := range mutate {
		m(p)
	}
	return p
}

func mustCreate(tb testing.TB, c *cluster.Cluster, p *corev1.Pod) {
	tb.Helper()
	if _, err := c.API.Client("test").Create(p, apiserver.CreateOptions{}); err != nil {
		tb.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		tb.Fatal(err)
	}
}

func advance(tb testing.TB, c *cluster.Cluster, d time.Duration) {
	tb.Helper()
	if err := c.Advance(d); err != nil {
		tb.Fatal(err)
	}
}

func getPod(c *cluster.Cluster, name string) *corev1.Pod {
	o, err := c.Store.Get(podsRes, "default", name)
	if err != nil {
		return nil
	}
	return o.(*corev1.Pod)
}

// podEvents lists "offset source reason: message" for the events about a pod, in order.
func podEvents(c *cluster.Cluster, name string) []string {
	objs, _ := c.Store.List(eventsRes, "", store.ListOptions{})
	var evs []*corev1.Event
	for _, o := range objs {
		if e := o.(*corev1.Event); e.InvolvedObject.Name == name {
			evs = append(evs, e)
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].FirstTimestamp.Before(&evs[j].FirstTimestamp) })
	var out []string
	for _, e := range evs {
		out = append(out, e.FirstTimestamp.Sub(c.Start).String()+" "+e.Source.Component+" "+e.Reason+": "+e.Message)
	}
	return out
}

func reasons(evs []string) []string {
	var out []string
	for _, e := range evs {
		f := strings.Fields(e)
		out = append(out, strings.TrimSuffix(f[2], ":"))
	}
	return out
}

func TestStartupEventsAndStatus(t *testing.T) {
	c := mustCluster(t, 1)
	mustCreate(t, c, newPod("kubia", "luksa/kubia"))

	p := getPod(c, "kubia")
	if p.Spec.NodeName == "" || p.Status.Phase != corev1.PodPending {
		t.Fatalf("right after creation: node %q phase %q", p.Spec.NodeName, p.Status.Phase)
	}
	if w := p.Status.ContainerStatuses[0].State.Waiting; w == nil || w.Reason != "ContainerCreating" {
		t.Fatalf("want waiting ContainerCreating, got %+v", p.Status.ContainerStatuses[0].State)
	}

	advance(t, c, time.Minute)
	got := reasons(podEvents(c, "kubia"))
	want := []string{"Scheduled", "Pulling", "Pulled", "Created", "Started"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("events %v, want %v\n%s", got, want, strings.Join(podEvents(c, "kubia"), "\n"))
	}
	pulled := podEvents(c, "kubia")[2]
	if !regexp.MustCompile(`^\S+ kubelet Pulled: Successfully pulled image "luksa/kubia" in \d+\.\d+s \(\d+\.\d+s including waiting\)\. Image size: 274589136 bytes\.$`).MatchString(pulled) {
		t.Errorf("Pulled event: %s", pulled)
	}
	p = getPod(c, "kubia")
	st := p.Status
	if st.Phase != corev1.PodRunning || !strings.HasPrefix(st.PodIP, "10.244.") || st.HostIP == "" || st.StartTime == nil {
		t.Fatalf("status: %+v", st)
	}
	var types []string
	for _, cond := range st.Conditions {
		types = append(types, string(cond.Type)+"="+string(cond.Status))
	}
	if got, want := strings.Join(types, " "), "PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True"; got != want {
		t.Errorf("conditions %s, want %s", got, want)
	}
	cs := st.ContainerStatuses[0]
	if cs.Image != "docker.io/luksa/kubia:latest" || !regexp.MustCompile(`^docker\.io/luksa/kubia@sha256:[0-9a-f]{64}$`).MatchString(cs.ImageID) ||
		!regexp.MustCompile(`^containerd://[0-9a-f]{64}$`).MatchString(cs.ContainerID) || !cs.Ready || cs.State.Running == nil {
		t.Errorf("container status: %+v", cs)
	}
	start := cs.State.Running.StartedAt.Sub(c.Start)
	if start < 2*time.Second || start > 8*time.Second {
		t.Errorf("container started after %v, want a few seconds", start)
	}
}

func TestImageAlreadyPresent(t *testing.T) {
	c := mustCluster(t, 2)
	pin := func(p *corev1.Pod) {
		p.Spec.NodeName = "kubetab-worker2"
		p.Spec.Containers[0].ImagePullPolicy = corev1.PullIfNotPresent
	}
	mustCreate(t, c, newPod("a", "luksa/kubia:v1", pin))
	advance(t, c, 30*time.Second)
	mustCreate(t, c, newPod("b", "luksa/kubia:v1", pin))
	advance(t, c, 30*time.Second)
	evs := podEvents(c, "b")
	if len(evs) != 3 || !strings.HasSuffix(evs[0], `kubelet Pulled: Container image "luksa/kubia:v1" already present on machine`) {
		t.Fatalf("events of b:\n%s", strings.Join(evs, "\n"))
	}
}

func TestGracefulDeletion(t *testing.T) {
	tests := []struct {
		name     string
		image    string
		lifetime time.Duration // from delete to disappearance
	}{
		{"kubia ignores SIGTERM", "luksa/kubia", 30 * time.Second},
		{"nginx stops at once", "nginx", 0},
		{"unknown image stops at once", "example.com/team/app:1.0", 0},
		{"the bootcamp app ignores SIGTERM", "gcr.io/google-samples/kubernetes-bootcamp:v1", 30 * time.Second},
		{"hello-app stops at once", "gcr.io/google-samples/hello-app:1.0", 0},
		{"http-echo stops at once", "hashicorp/http-echo", 0},
		{"echoserver's start script ignores SIGTERM", "registry.k8s.io/echoserver:1.10", 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCluster(t, 3)
			mustCreate(t, c, newPod("p", tt.image))
			advance(t, c, time.Minute)
			ip := getPod(c, "p").Status.PodIP
			if _, err := c.API.Client("test").Delete(podsRes, "default", "p", apiserver.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := c.Settle(); err != nil {
				t.Fatal(err)
			}
			evs := podEvents(c, "p")
			if last := evs[len(evs)-1]; !strings.HasSuffix(last, "kubelet Killing: Stopping container kubia") {
				t.Fatalf("last event %s", last)
			}
			if tt.lifetime > 0 {
				advance(t, c, tt.lifetime-time.Second)
				if p := getPod(c, "p"); p == nil || p.DeletionTimestamp == nil {
					t.Fatalf("pod should still be terminating: %v", p)
				}
				advance(t, c, time.Second)
			}
			if p := getPod(c, "p"); p != nil {
				t.Fatalf("pod still there: %+v", p.Status)
			}
			// The address is free again: the next pod on that node gets it.
			mustCreate(t, c, newPod("q", "luksa/kubia", func(p *corev1.Pod) { p.Spec.NodeName = nodeOfIP(ip) }))
			advance(t, c, 10*time.Second)
			if got := getPod(c, "q").Status.PodIP; got != ip {
				t.Errorf("new pod IP %s, want reused %s", got, ip)
			}
		})
	}
}

func nodeOfIP(ip string) string {
	switch {
	case strings.HasPrefix(ip, "10.244.1."):
		return "kubetab-worker"
	case strings.HasPrefix(ip, "10.244.2."):
		return "kubetab-worker2"
	}
	return "kubetab-worker3"
}

func TestIPAllocation(t *testing.T) {
	c := mustCluster(t, 4)
	for _, n := range []string{"a", "b", "c"} {
		mustCreate(t, c, newPod(n, "luksa/kubia", func(p *corev1.Pod) { p.Spec.NodeName = "kubetab-worker3" }))
	}
	advance(t, c, 20*time.Second)
	var ips []string
	for _, n := range []string{"a", "b", "c"} {
		ips = append(ips, getPod(c, n).Status.PodIP)
	}
	sort.Strings(ips)
	if got := strings.Join(ips, " "); got != "10.244.3.2 10.244.3.3 10.244.3.4" {
		t.Errorf("IPs %s", got)
	}
}

func TestHTTPGet(t *testing.T) {
	c := mustCluster(t, 5)
	mustCreate(t, c, newPod("kubia", "luksa/kubia"))
	mustCreate(t, c, newPod("sick", "luksa/kubia-unhealthy"))
	advance(t, c, time.Minute)
	ip := getPod(c, "kubia").Status.PodIP

	status, body, err := c.Kubelets.HTTPGet("http://" + ip + ":8080/anything")
	if err != nil || status != 200 || body != "You've hit kubia\n" {
		t.Fatalf("GET kubia: %d %q %v", status, body, err)
	}
	if _, body, _ := c.Kubelets.HTTPGet("kubia:8080"); body != "You've hit kubia\n" {
		t.Errorf("by name: %q", body)
	}
	_, _, err = c.Kubelets.HTTPGet("http://" + ip + ":80/")
	var ne *kubelet.NetError
	if !errors.As(err, &ne) || err.Error() != "dial tcp "+ip+":80: connect: connection refused" {
		t.Errorf("wrong port: %v", err)
	}
	if _, _, err := c.Kubelets.HTTPGet("http://10.244.9.9:8080/"); err == nil || err.Error() != "dial tcp 10.244.9.9:8080: i/o timeout" {
		t.Errorf("no such IP: %v", err)
	}
	logs, err := c.Kubelets.ContainerLogs("default", "kubia", "", false)
	if err != nil || len(logs) != 3 || logs[0].Text != "Kubia server starting..." || !strings.HasPrefix(logs[1].Text, "Received request from ::ffff:10.244.") {
		t.Errorf("logs %+v %v", logs, err)
	}

	for i := 1; i <= 7; i++ {
		status, body, err := c.Kubelets.HTTPGet("sick:8080")
		want := 200
		if i > 5 {
			want = 500
		}
		if err != nil || status != want {
			t.Fatalf("request %d: %d %q %v, want %d", i, status, body, err, want)
		}
		if i > 5 && body != "I'm not well. Please restart me!" {
			t.Errorf("body %q", body)
		}
	}
}

func TestBatchJobCompletes(t *testing.T) {
	c := mustCluster(t, 6)
	mustCreate(t, c, newPod("batch", "luksa/batch-job", func(p *corev1.Pod) {
		p.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
		p.Spec.Containers[0].Ports = nil
	}))
	advance(t, c, 10*time.Second)
	p := getPod(c, "batch")
	started := p.Status.ContainerStatuses[0].State.Running.StartedAt.Time
	_, err := c.RunUntil(started.Add(119*time.Second), nil)
	if err != nil || getPod(c, "batch").Status.Phase != corev1.PodRunning {
		t.Fatalf("before 120 s: %v %v", getPod(c, "batch").Status.Phase, err)
	}
	advance(t, c, time.Second)
	p = getPod(c, "batch")
	term := p.Status.ContainerStatuses[0].State.Terminated
	if p.Status.Phase != corev1.PodSucceeded || term == nil || term.Reason != "Completed" || term.ExitCode != 0 || !term.FinishedAt.Time.Equal(started.Add(120*time.Second)) {
		t.Fatalf("after 120 s: %s %+v", p.Status.Phase, p.Status.ContainerStatuses[0].State)
	}
	logs, _ := c.Kubelets.ContainerLogs("default", "batch", "kubia", false)
	if len(logs) != 2 || !regexp.MustCompile(`^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC 2026 Batch job starting$`).MatchString(logs[0].Text) ||
		!strings.HasSuffix(logs[1].Text, " Finished succesfully") {
		t.Errorf("logs %+v", logs)
	}
}

func TestContainerLogsErrors(t *testing.T) {
	c := mustCluster(t, 7)
	mustCreate(t, c, newPod("kubia", "luksa/kubia"))
	tests := []struct {
		name, container string
		previous        bool
		advance         time.Duration
		want            string
	}{
		{"creating", "", false, 0, `container "kubia" in pod "kubia" is waiting to start: ContainerCreating`},
		{"wrong name", "nope", false, time.Minute, "container nope is not valid for pod kubia"},
		{"no previous", "kubia", true, 0, `previous terminated container "kubia" in pod "kubia" not found`},
	}
	for _, tt := range tests {
		advance(t, c, tt.advance)
		_, err := c.Kubelets.ContainerLogs("default", "kubia", tt.container, tt.previous)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	if _, err := c.Kubelets.ContainerLogs("default", "nope", "", false); err == nil || err.Error() != `pods "nope" not found` {
		t.Errorf("missing pod: %v", err)
	}
}

func TestUnknownImageIsSimulated(t *testing.T) {
	c := mustCluster(t, 8)
	mustCreate(t, c, newPod("app", "example.com/team/app:1.0"))
	advance(t, c, time.Minute)
	evs := podEvents(c, "app")
	if !strings.Contains(strings.Join(evs, "\n"), `Simulated: Image "example.com/team/app:1.0" is not in kubetab's catalogue`) {
		t.Errorf("events:\n%s", strings.Join(evs, "\n"))
	}
	if status, _, err := c.Kubelets.HTTPGet("app:8080"); status != 200 || err != nil {
		t.Errorf("GET: %d %v", status, err)
	}
}

func TestSSDMonitorLogsLazily(t *testing.T) {
	c := mustCluster(t, 9)
	mustCreate(t, c, newPod("ssd", "luksa/ssd-monitor", func(p *corev1.Pod) { p.Spec.Containers[0].Ports = nil }))
	advance(t, c, 10*time.Second)
	timers := c.Clock.Len()
	advance(t, c, 24*time.Hour)
	if c.Clock.Len() > timers {
		t.Errorf("timers grew from %d to %d", timers, c.Clock.Len())
	}
	logs, _ := c.Kubelets.ContainerLogs("default", "ssd", "", false)
	if len(logs) != kubelet.MaxLogLines || logs[len(logs)-1].Text != "SSD OK" {
		t.Errorf("%d lines", len(logs))
	}
}

func TestDeterministic(t *testing.T) {
	run := func() string {
		c := mustCluster(t, 42)
		for _, n := range []string{"a", "b", "c", "d"} {
			mustCreate(t, c, newPod(n, "luksa/kubia"))
		}
		advance(t, c, time.Minute)
		var sb strings.Builder
		for _, n := range []string{"a", "b", "c", "d"} {
			p := getPod(c, n)
			sb.WriteString(p.Spec.NodeName + " " + p.Status.PodIP + " " + p.Status.ContainerStatuses[0].ContainerID + "\n")
			sb.WriteString(strings.Join(podEvents(c, n), "\n"))
		}
		return sb.String()
	}
	if a, b := run(), run(); a != b {
		t.Errorf("two runs differ:\n%s\n---\n%s", a, b)
	}
}

func TestParseImage(t *testing.T) {
	for in, want := range map[string]string{
		"luksa/kubia":                         "docker.io/luksa/kubia:latest",
		"nginx:1.27":                          "docker.io/library/nginx:1.27",
		"registry.k8s.io/busybox":             "registry.k8s.io/busybox:latest",
		"localhost:5000/app:v2":               "localhost:5000/app:v2",
		"docker.io/luksa/batch-job@sha256:ab": "docker.io/luksa/batch-job@sha256:ab",
	} {
		if got := kubelet.ParseImage(in).String(); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
	if im, ok := kubelet.LookupImage("registry.k8s.io/busybox:1.36"); !ok || im.Repository != "busybox" {
		t.Errorf("busybox mirror not found")
	}
}
