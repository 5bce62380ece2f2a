package daemonset_test

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubectl"
)

//go:embed testdata/*.yaml
var manifests embed.FS

var testStart = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// session is a full default cluster driven through kubectl.
type session struct {
	tb testing.TB
	c  *cluster.Cluster
}

func newSession(tb testing.TB, opts cluster.Options) *session {
	tb.Helper()
	if opts.Start.IsZero() {
		opts.Start = testStart
	}
	c, err := cluster.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return &session{tb: tb, c: c}
}

// run executes one kubectl line (words split on blanks; stdin optional) and returns stdout,
// stderr and the exit code.
func (s *session) run(line string, stdin ...string) (string, string, int) {
	s.tb.Helper()
	var out, errb bytes.Buffer
	io := kubectl.IO{
		Out: &out, Err: &errb,
		ReadFile: func(p string) ([]byte, error) { return manifests.ReadFile("testdata/" + p) },
	}
	if len(stdin) > 0 {
		io.Stdin = &stdin[0]
	}
	code := kubectl.Run(kubectl.Cluster{Cluster: s.c.Cluster, Containers: s.c.Kubelets}, strings.Fields(line), io)
	return out.String(), errb.String(), code
}

// must runs a line that has to succeed and returns its stdout.
func (s *session) must(line string, stdin ...string) string {
	s.tb.Helper()
	out, errOut, code := s.run(line, stdin...)
	if code != 0 {
		s.tb.Fatalf("kubectl %s: exit %d\n%s%s", line, code, out, errOut)
	}
	return out
}

func (s *session) advance(d time.Duration) {
	s.tb.Helper()
	if err := s.c.Advance(d); err != nil {
		s.tb.Fatal(err)
	}
}

// pods lists the pods of a namespace as "name node phase" lines, skipping none.
func (s *session) pods(ns string) []*corev1.Pod {
	var out []*corev1.Pod
	s.c.Store.Each(api.ResourceByName("pods"), ns, func(o api.Object) bool {
		out = append(out, o.(*corev1.Pod))
		return true
	})
	return out
}

// podsByNode maps node name to the names of the pods on it whose names start with prefix.
func (s *session) podsByNode(ns, prefix string) map[string][]string {
	m := map[string][]string{}
	for _, p := range s.pods(ns) {
		if strings.HasPrefix(p.Name, prefix) {
			m[p.Spec.NodeName] = append(m[p.Spec.NodeName], p.Name)
		}
	}
	return m
}

func (s *session) podNamed(ns, prefix string) *corev1.Pod {
	s.tb.Helper()
	var found []*corev1.Pod
	for _, p := range s.pods(ns) {
		if strings.HasPrefix(p.Name, prefix) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		s.tb.Fatalf("want one pod %s*, have %d", prefix, len(found))
	}
	return found[0]
}

func dump(pods []*corev1.Pod) string {
	var b strings.Builder
	for _, p := range pods {
		fmt.Fprintf(&b, "%s %s %s del=%v\n", p.Name, p.Spec.NodeName, p.Status.Phase, p.DeletionTimestamp != nil)
	}
	return b.String()
}
