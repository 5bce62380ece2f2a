package cluster

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/store"
)

// BenchmarkReplicaSetScale10k is the engine budget of DESIGN.md: a ReplicaSet of 10,000
// luksa/kubia pods on 100 workers, from create to all Running.
func BenchmarkReplicaSetScale10k(b *testing.B) {
	benchReplicaSets(b, 100, 1, 10_000, podRunning)
}

// BenchmarkScale100kPods1kNodes is kwok's headline: 1,000 workers and ten ReplicaSets of
// 10,000 luksa/kubia pods each, from create to every pod Ready.
func BenchmarkScale100kPods1kNodes(b *testing.B) {
	benchReplicaSets(b, 1000, 10, 10_000, podReady)
}

// BenchmarkScale10kPods1kNodes and BenchmarkScale30kPods1kNodes are the same cluster with
// fewer pods: the three together show whether the cost per pod grows with the pods.
func BenchmarkScale10kPods1kNodes(b *testing.B) { benchReplicaSets(b, 1000, 1, 10_000, podReady) }
func BenchmarkScale30kPods1kNodes(b *testing.B) { benchReplicaSets(b, 1000, 3, 10_000, podReady) }

func podRunning(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodRunning }

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// benchReplicaSets creates sets ReplicaSets of replicas luksa/kubia pods each on a cluster
// of workers nodes and runs virtual time until every pod satisfies done. It reports pods per
// second and the peak heap, sampled as the instants pass.
func benchReplicaSets(b *testing.B, workers, sets, replicas int, done func(*corev1.Pod) bool) {
	names := make([]string, workers)
	for i := range names {
		names[i] = fmt.Sprintf("kubetab-worker%d", i+1)
	}
	want := sets * replicas
	var peakHeap uint64
	var total, virtual time.Duration
	for b.Loop() {
		b.StopTimer()
		c, err := New(Options{Seed: 1, Workers: names})
		if err != nil {
			b.Fatal(err)
		}
		// Count the pods done from watch events instead of listing them at every instant.
		count := 0
		c.Watch("pods", func(ev store.WatchEvent) {
			is := func(o any) bool {
				p, ok := o.(*corev1.Pod)
				return ok && p != nil && done(p)
			}
			was := ev.Old != nil && is(ev.Old)
			now := ev.Type != store.Deleted && is(ev.Object)
			switch {
			case now && !was:
				count++
			case was && !now:
				count--
			}
		})
		runtime.GC()
		var ms runtime.MemStats
		b.StartTimer()
		start := time.Now()

		cl := c.API.Client("test")
		for i := range sets {
			name := "kubia"
			if sets > 1 {
				name = fmt.Sprintf("kubia-%d", i+1)
			}
			labels := map[string]string{"app": name}
			rs := &appsv1.ReplicaSet{
				ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
				Spec: appsv1.ReplicaSetSpec{
					Replicas: ptr.To(int32(replicas)),
					Selector: &metav1.LabelSelector{MatchLabels: labels},
					Template: corev1.PodTemplateSpec{
						ObjectMeta: metav1.ObjectMeta{Labels: labels},
						Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia",
							Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}}}},
					},
				},
			}
			if _, err := cl.Create(rs, apiserver.CreateOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		instants := 0
		// The controllers create pods at the controller-manager's rate limit (20 requests a
		// second, shared by all ReplicaSets): give them twice that time on top of the pulls
		// and starts.
		limit := 10*time.Minute + 2*time.Duration(want/DefaultKubeAPIQPS)*time.Second
		ok, err := c.RunUntil(c.Now().Add(limit), func() bool {
			instants++
			if instants%64 == 0 {
				runtime.ReadMemStats(&ms)
				peakHeap = max(peakHeap, ms.HeapAlloc)
			}
			return count == want
		})
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		virtual = c.Now().Sub(c.Start)
		b.StopTimer()
		runtime.ReadMemStats(&ms)
		peakHeap = max(peakHeap, ms.HeapAlloc)
		if !ok {
			b.Fatalf("only %d of %d pods done after %s of virtual time", count, want, limit)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(want)*float64(b.N)/total.Seconds(), "pods/s")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(virtual.Seconds(), "virtual-s")
}
