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
	const replicas = 10_000
	workers := make([]string, 100)
	for i := range workers {
		workers[i] = fmt.Sprintf("kubetab-worker%d", i+1)
	}
	var peakHeap uint64
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		c, err := New(Options{Seed: 1, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		// Count Running pods from watch events instead of listing them at every instant.
		running := 0
		c.Watch("pods", func(ev store.WatchEvent) {
			isRunning := func(o any) bool {
				p, ok := o.(*corev1.Pod)
				return ok && p != nil && p.Status.Phase == corev1.PodRunning
			}
			was := ev.Old != nil && isRunning(ev.Old)
			now := ev.Type != store.Deleted && isRunning(ev.Object)
			switch {
			case now && !was:
				running++
			case was && !now:
				running--
			}
		})
		runtime.GC()
		var ms runtime.MemStats
		b.StartTimer()
		start := time.Now()

		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default"},
			Spec: appsv1.ReplicaSetSpec{
				Replicas: ptr.To[int32](replicas),
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "kubia"}},
				Template: corev1.PodTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "kubia"}},
					Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia",
						Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}}}},
				},
			},
		}
		if _, err := c.API.Client("test").Create(rs, apiserver.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
		instants := 0
		done, err := c.RunUntil(c.Now().Add(10*time.Minute), func() bool {
			instants++
			if instants%64 == 0 {
				runtime.ReadMemStats(&ms)
				peakHeap = max(peakHeap, ms.HeapAlloc)
			}
			return running == replicas
		})
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		b.StopTimer()
		runtime.ReadMemStats(&ms)
		peakHeap = max(peakHeap, ms.HeapAlloc)
		if !done {
			b.Fatalf("only %d of %d pods Running after 10 virtual minutes", running, replicas)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(replicas)*float64(b.N)/total.Seconds(), "pods/s")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")
}
