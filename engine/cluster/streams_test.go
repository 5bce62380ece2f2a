package cluster

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/store"
)

// A component that draws more from its own random stream changes nothing another component
// makes: here one node's kubelet draws extra numbers (as a new kubelet feature would), and
// every generated name, uid and volume name, every placement and the other nodes' containers stay the
// same; only that node's own timings and container ids move.
func TestOneStreamsDrawsChangeNoOtherComponent(t *testing.T) {
	const busy = "kubetab-worker2"
	run := func(extraDraws int) map[string]string {
		c, err := New(Options{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		for range extraDraws {
			c.Stream("kubelet/" + busy).Uint64()
		}
		client := c.API.Client("kubectl")
		template := corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "kubia"}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia"}}},
		}
		if _, err := client.Create(&corev1.ReplicationController{
			ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default"},
			Spec:       corev1.ReplicationControllerSpec{Replicas: ptr.To[int32](6), Selector: template.Labels, Template: &template},
		}, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		job := template.DeepCopy()
		job.Labels = nil
		job.Spec.RestartPolicy = corev1.RestartPolicyNever
		job.Spec.Containers[0].Image = "luksa/batch-job"
		if _, err := client.Create(&batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Name: "batch", Namespace: "default"},
			Spec:       batchv1.JobSpec{Completions: ptr.To[int32](3), Parallelism: ptr.To[int32](3), Template: *job},
		}, apiserver.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := c.Advance(5 * time.Minute); err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		c.Store.Each(api.ResourceByName("pods"), "", func(o api.Object) bool {
			p := o.(*corev1.Pod)
			seen["pod "+p.Name] = fmt.Sprintf("uid %s node %s", p.UID, p.Spec.NodeName)
			for _, v := range p.Spec.Volumes {
				seen["volume "+p.Name] = v.Name // the ServiceAccount admission's, from the API server's streams
			}
			for _, cs := range p.Status.ContainerStatuses {
				seen["container "+p.Name] = fmt.Sprintf("%s %s on %s", cs.ContainerID, cs.State.Running, p.Spec.NodeName)
			}
			return true
		})
		objs, _ := c.Store.List(api.ResourceByName("jobs"), "", store.ListOptions{})
		for _, o := range objs {
			seen["job "+o.GetName()] = string(o.GetUID())
		}
		return seen
	}
	plain, drawn := run(0), run(3)
	var keys []string
	for k := range plain {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	changed := 0
	for _, k := range keys {
		if plain[k] == drawn[k] {
			continue
		}
		if strings.HasPrefix(k, "container ") && strings.HasSuffix(plain[k], busy) && strings.HasSuffix(drawn[k], busy) {
			changed++ // the busy node's own containers: ids and start times are its to draw
			continue
		}
		t.Errorf("%s: %q, with the extra draws %q", k, plain[k], drawn[k])
	}
	if len(plain) != len(drawn) {
		t.Errorf("%d objects, with the extra draws %d", len(plain), len(drawn))
	}
	if changed == 0 {
		t.Error("the extra draws changed nothing on their own node: the test proves nothing")
	}
}
