package daemonset_test

import (
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
)

// addNodes adds n Ready workers. cluster.NewNode numbers pod CIDRs 10.244.<index>.0/24,
// which runs out at 255 nodes, so these get 10.<index/256>.<index%256>.0/24.
func addNodes(tb testing.TB, s *session, n int) {
	tb.Helper()
	now := metav1.NewTime(s.c.Now())
	for i := 1; i <= n; i++ {
		node := cluster.NewNode(fmt.Sprintf("node-%04d", i), i, false, nil, now)
		cidr := fmt.Sprintf("10.%d.%d.0/24", 100+i/256, i%256)
		node.Spec.PodCIDR, node.Spec.PodCIDRs = cidr, []string{cidr}
		node.Status.Addresses[0].Address = fmt.Sprintf("172.%d.%d.%d", 16+i/65536, i/256%256, i%256)
		if _, err := s.c.API.Client("test").Create(node, apiserver.CreateOptions{}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.c.Settle(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkDaemonSet1000Nodes applies a DaemonSet to a 1,000-worker cluster and runs virtual
// time until every daemon pod is Running and the status says so.
func BenchmarkDaemonSet1000Nodes(b *testing.B) {
	manifest := fmt.Sprintf(rollingDS, "RollingUpdate")
	var virtual time.Duration
	for b.Loop() {
		b.StopTimer()
		s := newSession(b, cluster.Options{Seed: 1, Workers: []string{}})
		addNodes(b, s, 1000)
		b.StartTimer()
		start := s.c.Now()
		s.must("apply -f -", manifest)
		ok, err := s.c.RunUntil(start.Add(10*time.Minute), func() bool {
			ds := dsOf(b, s, "default", "agent")
			return ds.Status.NumberAvailable == 1000
		})
		if err != nil || !ok {
			phases := map[string]int{}
			s.c.Store.Each(api.ResourceByName("pods"), "default", func(o api.Object) bool {
				p := o.(*corev1.Pod)
				phases[string(p.Status.Phase)+"/"+fmt.Sprint(p.Spec.NodeName != "")]++
				return true
			})
			b.Logf("phases %v", phases)
			b.Fatalf("not all available: %v %+v", err, dsOf(b, s, "default", "agent").Status)
		}
		virtual = s.c.Now().Sub(start)
		b.StopTimer()
		running := 0
		s.c.Store.Each(api.ResourceByName("pods"), "default", func(o api.Object) bool {
			if o.(*corev1.Pod).Status.Phase == corev1.PodRunning {
				running++
			}
			return true
		})
		if running != 1000 {
			b.Fatalf("%d pods running", running)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(virtual.Milliseconds())/1000, "virtual-s")
}

// More nodes than a burst (BurstReplicas) under the controller-manager's rate limit: the
// sync that stops for the limit must not also ask for an immediate resync, which found
// the client still throttled in the same instant, a million times over.
func TestDaemonSetPastABurstSettles(t *testing.T) {
	s := newSession(t, cluster.Options{Seed: 1, Workers: []string{}})
	addNodes(t, s, 300)
	start := s.c.Now()
	s.must("apply -f -", fmt.Sprintf(rollingDS, "RollingUpdate"))
	ok, err := s.c.RunUntil(start.Add(10*time.Minute), func() bool {
		return dsOf(t, s, "default", "agent").Status.NumberAvailable == 300
	})
	if err != nil || !ok {
		t.Fatalf("not all available: %v %+v", err, dsOf(t, s, "default", "agent").Status)
	}
	// 300 creates at 20 a second after a burst of 30, as a real controller-manager makes them.
	if took := s.c.Now().Sub(start); took < 13*time.Second || took > 20*time.Second {
		t.Errorf("took %s of virtual time", took)
	}
}
