package cluster

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/app/gcbudget"
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

// scaleRun is one cluster of the scale benchmarks: workers nodes, then sets ReplicaSets of
// replicas luksa/kubia pods each, run until every pod satisfies done.
type scaleRun struct {
	c     *Cluster
	want  int
	count *int // pods done, counted from watch events instead of listing at every instant
}

func newScaleRun(tb testing.TB, workers, sets, replicas int, done func(*corev1.Pod) bool) scaleRun {
	tb.Helper()
	names := make([]string, workers)
	for i := range names {
		names[i] = fmt.Sprintf("kubetab-worker%d", i+1)
	}
	c, err := New(Options{Seed: 1, Workers: names})
	if err != nil {
		tb.Fatal(err)
	}
	count := new(int)
	c.Watch("pods", func(ev store.WatchEvent) {
		is := func(o any) bool {
			p, ok := o.(*corev1.Pod)
			return ok && p != nil && done(p)
		}
		was := ev.Old != nil && is(ev.Old)
		now := ev.Type != store.Deleted && is(ev.Object)
		switch {
		case now && !was:
			*count++
		case was && !now:
			*count--
		}
	})
	return scaleRun{c: c, want: sets * replicas, count: count}
}

// createReplicaSets creates the ReplicaSets: kubia when there is one, kubia-1... otherwise.
func (r scaleRun) createReplicaSets(tb testing.TB, sets, replicas int) {
	tb.Helper()
	cl := r.c.API.Client("test")
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
			tb.Fatal(err)
		}
	}
}

// runUntilDone runs virtual time until every pod is done, calling sample every 64 instants.
// The controllers create pods at the controller-manager's rate limit (20 requests a second,
// shared by all ReplicaSets): they get twice that time on top of the pulls and starts.
func (r scaleRun) runUntilDone(tb testing.TB, sample func()) {
	tb.Helper()
	limit := 10*time.Minute + 2*time.Duration(r.want/DefaultKubeAPIQPS)*time.Second
	instants := 0
	ok, err := r.c.RunUntil(r.c.Now().Add(limit), func() bool {
		instants++
		if instants%64 == 0 && sample != nil {
			sample()
		}
		return *r.count == r.want
	})
	if err != nil {
		tb.Fatal(err)
	}
	if !ok {
		tb.Fatalf("only %d of %d pods done after %s of virtual time", *r.count, r.want, limit)
	}
}

// benchReplicaSets creates sets ReplicaSets of replicas luksa/kubia pods each on a cluster
// of workers nodes and runs virtual time until every pod satisfies done. It reports pods per
// second, the peak heap, sampled as the instants pass, and the collector's cycles and CPU
// (as the runtime estimates it at the end of each cycle).
func benchReplicaSets(b *testing.B, workers, sets, replicas int, done func(*corev1.Pod) bool) {
	var peakHeap uint64
	var total, virtual time.Duration
	// runtime/metrics, not ReadMemStats: that stops the world, and waits for it, at every
	// sample, which cost the run 2 % of its time and more while a collection was under way.
	heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}} // MemStats.HeapAlloc
	sample := func() {
		metrics.Read(heap)
		peakHeap = max(peakHeap, heap[0].Value.Uint64())
	}
	// The collector's CPU but its idle marking, which runs only on a core nothing else wants
	// (the runtime counts all of an idle core's time while it marks): the part that competes
	// with the simulation for the CPU.
	gc := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/cpu/classes/gc/mark/assist:cpu-seconds"},
		{Name: "/cpu/classes/gc/mark/dedicated:cpu-seconds"}, {Name: "/cpu/classes/gc/pause:cpu-seconds"}}
	gcBusy := func() float64 { return gc[1].Value.Float64() + gc[2].Value.Float64() + gc[3].Value.Float64() }
	var cycles uint64
	var gcCPU float64
	want := sets * replicas
	// The native CLI's memory budget (app/gcbudget): the heap stays under 1 GB.
	defer gcbudget.Keep(gcbudget.Native)()
	for b.Loop() {
		b.StopTimer()
		r := newScaleRun(b, workers, sets, replicas, done)
		runtime.GC()
		metrics.Read(gc)
		cycles0, gcCPU0 := gc[0].Value.Uint64(), gcBusy()
		b.StartTimer()
		start := time.Now()
		r.createReplicaSets(b, sets, replicas)
		r.runUntilDone(b, sample)
		total += time.Since(start)
		virtual = r.c.Now().Sub(r.c.Start)
		b.StopTimer()
		metrics.Read(gc)
		cycles += gc[0].Value.Uint64() - cycles0
		gcCPU += gcBusy() - gcCPU0
		sample()
		b.StartTimer()
	}
	b.ReportMetric(float64(want)*float64(b.N)/total.Seconds(), "pods/s")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(virtual.Seconds(), "virtual-s")
	b.ReportMetric(float64(cycles)/float64(b.N), "gc-cycles/op")
	b.ReportMetric(gcCPU/float64(b.N), "gc-cpu-s/op")
}

var (
	heapPods    = flag.Int("heap-pods", 0, "TestHeapPerReadyPod: pods to run (a multiple of 10,000 on 1,000 workers); 0 skips the test")
	heapProfile = flag.String("heap-profile", "", "TestHeapPerReadyPod: write a heap profile taken once every pod is Ready to this file")
)

// TestHeapPerReadyPod is the per-pod accounting of issue #17, run by hand:
//
//	go test ./engine/cluster -run HeapPerReadyPod -heap-pods 30000 -heap-profile /tmp/heap.pb
//	go tool pprof -top -sample_index=inuse_space /tmp/heap.pb
//
// It logs the heap in use by the empty cluster of 1,000 workers, the heap once every pod
// is Ready (each after a collection), and the bytes per Ready pod between the two.
func TestHeapPerReadyPod(t *testing.T) {
	if *heapPods == 0 {
		t.Skip("run with -heap-pods N")
	}
	if *heapProfile != "" {
		// Sample finely enough to tell apart structures of a few bytes per pod.
		runtime.MemProfileRate = 1024
	}
	sets, replicas := max(1, *heapPods/10_000), min(*heapPods, 10_000)
	r := newScaleRun(t, 1000, sets, replicas, podReady)
	empty := heapInUse()
	r.createReplicaSets(t, sets, replicas)
	r.runUntilDone(t, nil)
	full := heapInUse()
	if *heapProfile != "" {
		f, err := os.Create(*heapProfile)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			t.Fatal(err)
		}
	}
	pods := sets * replicas
	t.Logf("%d pods Ready at %s: heap in use %.1f MiB empty, %.1f MiB full, %d bytes per Ready pod, %d objects stored",
		pods, r.c.Now().Sub(r.c.Start), float64(empty)/(1<<20), float64(full)/(1<<20), int(full-empty)/pods, r.c.Store.Len())
	runtime.KeepAlive(r.c)
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
