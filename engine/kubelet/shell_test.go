package kubelet

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestPiDigits(t *testing.T) {
	tests := []struct {
		n            int
		prefix, tail string
	}{
		{n: 1, prefix: "3", tail: "3"},
		{n: 7, prefix: "3.141593", tail: "3.141593"},                                             // perl -Mbignum=bpi -wle 'print bpi(7)'
		{n: 10, prefix: "3.141592654", tail: "654"},                                              // bpi(10)
		{n: 1000, prefix: "3.14159265358979", tail: "32171226806613001927876611195909216420199"}, // bpi(1000)
		// bc -l: 4*a(1) to 2030 places ends ...904780275900|994 after 1999 decimals: rounds up.
		{n: 2000, prefix: "3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679", tail: "5739624138908658326459958133904780275901"},
	}
	for _, tt := range tests {
		got := piDigits(tt.n)
		digits := strings.Count(got, "") - 1 - strings.Count(got, ".")
		if digits != tt.n || !strings.HasPrefix(got, tt.prefix) || !strings.HasSuffix(got, tt.tail) {
			t.Errorf("piDigits(%d) = %.20s...%s (%d digits)", tt.n, got, got[max(0, len(got)-45):], digits)
		}
	}
}

func TestExpandVars(t *testing.T) {
	env := map[string]string{"A": "x", "EMPTY": ""}
	tests := []struct{ in, want string }{
		{"$(A)", "x"},
		{"pre-$(A)-post", "pre-x-post"},
		{"$$(A)", "$(A)"},
		{"$(B)", "$(B)"},
		{"$(EMPTY)!", "!"},
		{"$A ${A}", "$A ${A}"},
		{"$(A", "$(A"},
		{"cost: 5$", "cost: 5$"},
		{"$$$(A)", "$x"},
	}
	for _, tt := range tests {
		if got := expandVars(tt.in, env); got != tt.want {
			t.Errorf("expandVars(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestResolveArgv(t *testing.T) {
	busybox := Catalogue["busybox"]
	agnhost := Catalogue["agnhost"]
	env := map[string]string{"WHO": "world"}
	tests := []struct {
		name          string
		im            *Image
		command, args []string
		want          string
	}{
		{"image default", busybox, nil, nil, "sh"},
		{"command and args", busybox, []string{"echo"}, []string{"hello $(WHO)"}, "echo|hello world"},
		{"args replace CMD", busybox, nil, []string{"sleep", "5"}, "sleep|5"},
		{"args after ENTRYPOINT", agnhost, nil, []string{"liveness"}, "/agnhost|liveness"},
		{"command replaces ENTRYPOINT", agnhost, []string{"/agnhost", "netexec"}, nil, "/agnhost|netexec"},
		{"unknown image", nil, nil, []string{"x"}, "x"},
	}
	for _, tt := range tests {
		spec := &corev1.Container{Command: tt.command, Args: tt.args}
		if got := strings.Join(resolveArgv(tt.im, spec, env), "|"); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestServers(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	ctr := func(argv ...string) *Container { return testContainer("p", argv, start) }
	get := func(p Program, at time.Duration, port int, path string) (int, string, bool) {
		p.Run(start.Add(at))
		r, ok := p.ServeHTTP(start.Add(at), &Request{Method: "GET", Path: path, Port: port})
		return r.Status, r.Body, ok
	}
	live := newAgnhost(ctr("/agnhost", "liveness"))
	tests := []struct {
		name   string
		p      Program
		at     time.Duration
		port   int
		path   string
		status int
		body   string
		ok     bool
	}{
		{"agnhost healthy", live, 3 * time.Second, 8080, "/healthz", 200, "ok", true},
		{"agnhost at 10 s", live, 10 * time.Second, 8080, "/healthz", 200, "ok", true},
		{"agnhost failing", live, 12 * time.Second, 8080, "/healthz", 500, "error: 12", true},
		{"agnhost other path", live, 12 * time.Second, 8080, "/x", 404, "404 page not found\n", true},
		{"agnhost other port", live, 12 * time.Second, 80, "/", 0, "", false},
		{"goproxy", newGoproxy(ctr("/goproxy")), 0, 8080, "/", 500, "This is a proxy server. Does not respond to non-proxy requests.\n", true},
		{"etcd health", newEtcd(ctr("/usr/local/bin/etcd", "--listen-client-urls", "http://0.0.0.0:2379")), 0, 2379, "/health", 200, `{"health":"true","reason":""}`, true},
		{"serve-hostname", newAgnhost(ctr("/agnhost", "serve-hostname")), 0, 9376, "/", 200, "p", true},
	}
	for _, tt := range tests {
		status, body, ok := get(tt.p, tt.at, tt.port, tt.path)
		if status != tt.status || body != tt.body || ok != tt.ok {
			t.Errorf("%s: %d %q %v", tt.name, status, body, ok)
		}
	}
	e := newEtcd(ctr("etcd")).(*etcd)
	if st, ok := e.GRPCHealth(start, 2379, ""); st != "SERVING" || !ok {
		t.Errorf("etcd gRPC health: %q %v", st, ok)
	}
	if !newRedis(ctr("redis-server")).(PortListener).Listening(start, 6379) {
		t.Error("redis does not listen on 6379")
	}
	g := newGoproxy(ctr("/goproxy"))
	g.Signal(start, SIGTERM)
	// A Go program as PID 1 without a SIGTERM handler exits 2 (runtime.dieFromSignal).
	if res := g.Run(start); !res.Exited || res.ExitCode != 2 {
		t.Errorf("goproxy after SIGTERM: %+v", res)
	}
}

func TestPerlInvocations(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		argv     []string
		code     int
		out      string
		duration time.Duration
	}{
		{[]string{"perl", "-Mbignum=bpi", "-wle", "print bpi(10)"}, 0, "3.141592654", 2*time.Second + 100*time.Microsecond},
		{[]string{"perl5.40.0", "-de0"}, 0, "", 0},
		{[]string{"perl", "-e", "print 1"}, 2, `kubetab: the simulated perl only runs the Kubernetes docs' pi example (perl -Mbignum=bpi -wle 'print bpi(2000)'); it cannot run the script "print 1"`, 0},
		{[]string{"perl", "-wle", "print bpi(3)"}, 255, "Undefined subroutine &main::bpi called at -e line 1.", 0},
	}
	for _, tt := range tests {
		ctr := testContainer("p", tt.argv, start)
		rt := ctr.rt
		p := newPerl(ctr)
		res := p.Run(start)
		if !res.Exited {
			res = p.Run(res.WakeAt)
		}
		var out []string
		var at time.Time
		for _, l := range logLines(rt.logs) {
			out, at = append(out, l.Text), l.Time
		}
		if res.ExitCode != tt.code || strings.Join(out, "\n") != tt.out || (len(out) > 0 && at.Sub(start) != tt.duration) {
			t.Errorf("%q: exit %d, output %q at +%v", tt.argv, res.ExitCode, out, at.Sub(start))
		}
	}
}

// perl runs as PID 1 with no handler: SIGTERM changes nothing, the pi job runs on to its end
// (or to the kubelet's SIGKILL).
func TestPerlIgnoresSIGTERM(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	p := newPerl(testContainer("p", []string{"perl", "-Mbignum=bpi", "-wle", "print bpi(10)"}, start))
	res := p.Run(start)
	if res.Exited {
		t.Fatalf("perl exited at once: %+v", res)
	}
	p.Signal(start.Add(time.Second), SIGTERM)
	if got := p.Run(start.Add(time.Second)); got.Exited {
		t.Fatalf("perl exited on SIGTERM: %+v", got)
	}
	if got := p.Run(res.WakeAt); !got.Exited || got.ExitCode != 0 {
		t.Errorf("perl at its end: %+v, want exit 0", got)
	}
}

// testContainer is what a program is started with in pod name, outside a cluster: argv
// started at start, with an empty spec and an image nobody knows.
func testContainer(name string, argv []string, start time.Time) *Container {
	pod := &podRuntime{pod: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: name}}}
	c := &containerRuntime{spec: &corev1.Container{}, img: &containerImage{ref: ParseImage("example")}, running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(start)}}
	return &Container{Argv: argv, rt: c, pod: pod}
}
