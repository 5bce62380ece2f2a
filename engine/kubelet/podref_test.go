package kubelet_test

import (
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/store"
)

// The kubelet's events name the pod as its pod manager has it: the version it admitted,
// whose resourceVersion the status writes after it (its own and the node controller's) do
// not change. It holds the stored version meanwhile, which a label change reaches: the
// downward API volume shows the new labels, and a graceful delete still works.
func TestEventsNameTheAdmittedPod(t *testing.T) {
	c := mustCluster(t, 1)
	mustCreate(t, c, newPod("p", "luksa/kubia", func(p *corev1.Pod) {
		p.Labels = map[string]string{"app": "a"}
		p.Spec.Volumes = []corev1.Volume{{Name: "info", VolumeSource: corev1.VolumeSource{DownwardAPI: &corev1.DownwardAPIVolumeSource{
			Items: []corev1.DownwardAPIVolumeFile{{Path: "labels", FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.labels"}}},
		}}}}
		p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "info", MountPath: "/etc/info"}}
	}))
	advance(t, c, 10*time.Second)
	admitted := kubeletEventVersions(t, c, "p")
	if len(admitted) != 1 {
		t.Fatalf("the kubelet's events name versions %v, want one", admitted)
	}
	pod := getPod(c, "p")
	if pod.Status.Phase != corev1.PodRunning || admitted[0] == pod.ResourceVersion {
		t.Fatalf("phase %s, resourceVersion %s: the status writes should have come after the admitted %s", pod.Status.Phase, pod.ResourceVersion, admitted[0])
	}

	p := pod.DeepCopy()
	p.Labels = map[string]string{"app": "b"}
	mustWrite(t, c, p)
	if got := exec(t, c, "p", "cat /etc/info/labels"); got != `app="b"` {
		t.Errorf("downward API labels after the change: %q", got)
	}

	if _, err := c.API.Client("test").Delete(podsRes, "default", "p", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if got := kubeletEventVersions(t, c, "p"); len(got) != 1 || got[0] != admitted[0] {
		t.Errorf("after the delete the kubelet's events name versions %v, want %v", got, admitted)
	}
	advance(t, c, 30*time.Second) // kubia ignores SIGTERM: the grace period ends it
	if p := getPod(c, "p"); p != nil {
		t.Fatalf("pod still there: %+v", p.Status)
	}
}

// kubeletEventVersions are the resourceVersions the kubelet's events about pod name.
func kubeletEventVersions(t *testing.T, c *cluster.Cluster, pod string) []string {
	t.Helper()
	objs, err := c.Store.List(eventsRes, "default", store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var rvs []string
	for _, o := range objs {
		e := o.(*corev1.Event)
		if e.InvolvedObject.Name == pod && e.Source.Component == kubelet.Component && !slices.Contains(rvs, e.InvolvedObject.ResourceVersion) {
			rvs = append(rvs, e.InvolvedObject.ResourceVersion)
		}
	}
	return rvs
}
