package kubectl

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/cluster"
)

// BenchmarkWatchScale1000 scales a ReplicationController from 3 to 1,000 pods on 10 workers
// and runs the cluster until they are all Ready (a few virtual minutes), polling a streaming
// watch at every instant as the terminal session does. "bare" runs no watch: the difference
// is what watching costs. "watch-quiet" watches with a selector that nothing matches, which
// leaves the cost of following the changes; "watch" also prints a row per pod state.
func BenchmarkWatchScale1000(b *testing.B) {
	const replicas = 1000
	var workers []string
	for i := range 10 {
		workers = append(workers, "kubetab-worker"+strconv.Itoa(i+1))
	}
	files := IO{Out: io.Discard, Err: io.Discard, ReadFile: func(string) ([]byte, error) { return []byte(rcYAML), nil }}
	for _, bc := range []struct{ name, watch string }{
		{"bare", ""},
		{"watch-quiet", "get pods -w -l app=none"},
		{"watch", "get pods -w"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				c, err := cluster.New(cluster.Options{Seed: 1, Start: testStart, Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				if code := Run(Cluster{Cluster: c.Cluster, Containers: c.Kubelets}, []string{"apply", "-f", "kubia-rc.yaml"}, files); code != 0 {
					b.Fatalf("apply: exit %d", code)
				}
				if err := c.Advance(time.Minute); err != nil {
					b.Fatal(err)
				}
				var st *Stream
				if bc.watch != "" {
					if st, _ = Start(Cluster{Cluster: c.Cluster, Containers: c.Kubelets}, strings.Fields(bc.watch), files); st == nil {
						b.Fatalf("%s: no stream", bc.watch)
					}
				}
				rcs := api.ResourceByName("replicationcontrollers")
				ready := func() bool {
					if st != nil {
						st.Poll()
					}
					rc := c.Store.Lookup(rcs, "default", "kubia").(*corev1.ReplicationController)
					return rc.Status.ReadyReplicas == replicas
				}
				b.StartTimer()

				if code := Run(Cluster{Cluster: c.Cluster, Containers: c.Kubelets}, []string{"scale", "rc", "kubia", "--replicas=" + strconv.Itoa(replicas)}, files); code != 0 {
					b.Fatalf("scale: exit %d", code)
				}
				done, err := c.RunUntil(c.Now().Add(10*time.Minute), ready)
				if err != nil {
					b.Fatal(err)
				}

				b.StopTimer()
				if !done {
					b.Fatalf("not all %d pods Ready after 10 virtual minutes", replicas)
				}
				if st != nil {
					st.Stop()
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkDeploymentRollout1000 rolls a Deployment of 1,000 nginx replicas (25% max surge,
// 25% max unavailable: between 750 and 1,250 pods) to a new image: `kubectl apply` of the
// changed manifest, then the cluster runs until the rollout is complete (every replica
// updated and available, no old one left). 20 workers of 110 pods each hold the surge.
// "create" times the first rollout from an empty cluster the same way.
func BenchmarkDeploymentRollout1000(b *testing.B) {
	const replicas = 1000
	var workers []string
	for i := range 20 {
		workers = append(workers, "kubetab-worker"+strconv.Itoa(i+1))
	}
	manifest := nginxDeployment(b, replicas)
	updated := strings.Replace(manifest, "nginx:1.14.2", "nginx:1.16.1", 1)
	deployments := api.ResourceByName("deployments")
	complete := func(c *cluster.Cluster) func() bool {
		return func() bool {
			d := c.Store.Lookup(deployments, "default", "nginx-deployment").(*appsv1.Deployment)
			s := d.Status
			return d.Generation == s.ObservedGeneration && s.UpdatedReplicas == replicas && s.Replicas == replicas && s.AvailableReplicas == replicas
		}
	}
	// rollout applies text and runs the cluster until the rollout is complete.
	rollout := func(b *testing.B, c *cluster.Cluster, text string) {
		files := IO{Out: io.Discard, Err: io.Discard, ReadFile: func(string) ([]byte, error) { return []byte(text), nil }}
		if code := Run(Cluster{Cluster: c.Cluster, Containers: c.Kubelets}, []string{"apply", "-f", "d.yaml"}, files); code != 0 {
			b.Fatalf("apply: exit %d", code)
		}
		done, err := c.RunUntil(c.Now().Add(time.Hour), complete(c))
		if err != nil {
			b.Fatal(err)
		}
		if !done {
			b.Fatal("the rollout did not complete in a virtual hour")
		}
	}
	newCluster := func(b *testing.B) *cluster.Cluster {
		c, err := cluster.New(cluster.Options{Seed: 1, Start: testStart, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	b.Run("create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			c := newCluster(b)
			b.StartTimer()
			rollout(b, c, manifest)
		}
	})
	b.Run("update", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			c := newCluster(b)
			rollout(b, c, manifest)
			start := c.Now()
			b.StartTimer()
			rollout(b, c, updated)
			b.StopTimer()
			b.ReportMetric(c.Now().Sub(start).Seconds(), "virtual-s/op")
			b.StartTimer()
		}
	})
}
