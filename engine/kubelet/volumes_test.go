package kubelet_test

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
)

func mustWrite(tb testing.TB, c *cluster.Cluster, obj api.Object) {
	tb.Helper()
	cl := c.API.Client("test")
	var err error
	if obj.GetResourceVersion() == "" && c.Store.Lookup(api.ResourceFor(obj), "default", obj.GetName()) == nil {
		_, err = cl.Create(obj, apiserver.CreateOptions{})
	} else {
		_, err = cl.Update(obj, apiserver.UpdateOptions{})
	}
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Settle(); err != nil {
		tb.Fatal(err)
	}
}

func configMap(name string, data map[string]string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"}, Data: data}
}

func secret(name string, data map[string]string) *corev1.Secret {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"}, Data: map[string][]byte{}}
	for k, v := range data {
		s.Data[k] = []byte(v)
	}
	return s
}

// exec runs a shell command in the pod's first container and returns its output and
// errors.
func exec(tb testing.TB, c *cluster.Cluster, pod, cmd string) string {
	tb.Helper()
	out, errOut, _, err := c.Kubelets.Exec(getPod(c, pod), "kubia", []string{"sh", "-c", cmd})
	if err != nil {
		tb.Fatal(err)
	}
	return out + errOut
}

// consumer is a busybox pod that takes config and secret every way: env, envFrom, a
// volume of each and a subPath file.
func consumer(p *corev1.Pod) {
	ctr := &p.Spec.Containers[0]
	ctr.Command = []string{"sh", "-c", "sleep 3600"}
	ctr.Env = []corev1.EnvVar{
		{Name: "COLOR", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}, Key: "color"}}},
		{Name: "PASS", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "sec"}, Key: "pass"}}},
	}
	ctr.EnvFrom = []corev1.EnvFromSource{{Prefix: "S_", SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "sec"}}}}
	ctr.VolumeMounts = []corev1.VolumeMount{
		{Name: "cfg", MountPath: "/etc/cfg"},
		{Name: "cfg", MountPath: "/etc/color", SubPath: "color"},
		{Name: "sec", MountPath: "/etc/sec"},
	}
	mode := int32(0400)
	p.Spec.Volumes = []corev1.Volume{
		{Name: "cfg", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}}}},
		{Name: "sec", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "sec", DefaultMode: &mode,
			Items: []corev1.KeyToPath{{Key: "pass", Path: "dir/pass"}}}}},
	}
}

func TestConfigConsumersAndUpdates(t *testing.T) {
	c := mustCluster(t, 1)
	mustWrite(t, c, configMap("cfg", map[string]string{"color": "blue"}))
	mustWrite(t, c, secret("sec", map[string]string{"pass": "s3cr3t", "user": "me"}))
	mustCreate(t, c, newPod("p", "busybox", consumer))
	advance(t, c, 10*time.Second)
	if got := exec(t, c, "p", `echo "$COLOR $PASS $S_user $S_pass"; cat /etc/cfg/color /etc/color /etc/sec/dir/pass`); got != "blue s3cr3t me s3cr3t\nblueblues3cr3t" {
		t.Fatalf("consumers see %q", got)
	}
	if got := exec(t, c, "p", "ls -lL /etc/sec/dir"); !strings.HasPrefix(got, "total 1\n-r--------") {
		t.Errorf("defaultMode 0400: %q", got)
	}
	if got := exec(t, c, "p", "ls -a /etc/cfg"); !strings.Contains(got, "..data\ncolor\n") || !strings.HasPrefix(got, "..2026_") {
		t.Errorf("the AtomicWriter's layout: %q", got)
	}

	// The pod syncs every minute from its start (at 0): a change at 10s shows at 60s.
	cm := configMap("cfg", map[string]string{"color": "green"})
	mustWrite(t, c, cm)
	advance(t, c, 49*time.Second)
	if got := exec(t, c, "p", "cat /etc/cfg/color"); got != "blue" {
		t.Errorf("before the sync: %q", got)
	}
	advance(t, c, time.Second)
	if got := exec(t, c, "p", `cat /etc/cfg/color; echo " $COLOR"; cat /etc/color`); got != "green blue\nblue" {
		t.Errorf("after the sync, the volume follows, env and subPath do not: %q", got)
	}

	// A pod annotation change syncs at once.
	mustWrite(t, c, configMap("cfg", map[string]string{"color": "red", "size": "L"}))
	p := getPod(c, "p").DeepCopy()
	p.Annotations = map[string]string{"touch": "1"}
	mustWrite(t, c, p)
	if got := exec(t, c, "p", "cat /etc/cfg/color /etc/cfg/size"); got != "redL" {
		t.Errorf("after an annotation: %q", got)
	}

	// A deleted ConfigMap: the files stay, the sync records the failure.
	if _, err := c.API.Client("test").Delete(api.ResourceByName("configmaps"), "default", "cfg", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	advance(t, c, time.Minute)
	if got := exec(t, c, "p", "cat /etc/cfg/color"); got != "red" {
		t.Errorf("after the ConfigMap went: %q", got)
	}
	evs := strings.Join(podEvents(c, "p"), "\n")
	if !strings.Contains(evs, `kubelet FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found`) {
		t.Errorf("events:\n%s", evs)
	}
	if strings.Contains(evs, "s3cr3t") {
		t.Errorf("a Secret's value in an event:\n%s", evs)
	}
}

func TestMissingVolumeSourceRetries(t *testing.T) {
	c := mustCluster(t, 1)
	mustCreate(t, c, newPod("p", "busybox", consumer))
	advance(t, c, 5*time.Second)
	p := getPod(c, "p")
	if p.Status.PodIP != "" || p.Status.ContainerStatuses[0].State.Waiting.Reason != "ContainerCreating" {
		t.Fatalf("without its volumes a pod has no sandbox: %+v", p.Status)
	}
	var times []string
	for _, e := range podEvents(c, "p") {
		if strings.Contains(e, "FailedMount") {
			times = append(times, strings.Fields(e)[0])
		}
	}
	// The event recorder aggregates repeats: one event, the first attempt's time.
	if len(times) != 2 || times[0] != "0s" {
		t.Errorf("FailedMount for each volume at once: %v\n%s", times, strings.Join(podEvents(c, "p"), "\n"))
	}
	ev := getEvent(c, "p", `MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found`)
	// Attempts at 0, 0.5, 1.5, 3.5 s (500 ms doubling).
	if ev == nil || ev.Count != 4 {
		t.Errorf("attempts: %+v", ev)
	}
	mustWrite(t, c, configMap("cfg", map[string]string{"color": "blue"}))
	mustWrite(t, c, secret("sec", map[string]string{"user": "me"}))
	advance(t, c, 10*time.Second)
	if ev := getEvent(c, "p", `MountVolume.SetUp failed for volume "sec" : references non-existent secret key: pass`); ev == nil {
		t.Errorf("a missing item key:\n%s", strings.Join(podEvents(c, "p"), "\n"))
	}
	mustWrite(t, c, secret("sec", map[string]string{"user": "me", "pass": "p"}))
	advance(t, c, 3*time.Minute)
	if p := getPod(c, "p"); p.Status.Phase != corev1.PodRunning {
		t.Errorf("once all is there: %s", p.Status.Phase)
	}
}

func getEvent(c *cluster.Cluster, pod, message string) *corev1.Event {
	var found *corev1.Event
	c.Store.Each(eventsRes, "default", func(o api.Object) bool {
		if e := o.(*corev1.Event); e.InvolvedObject.Name == pod && e.Message == message {
			found = e
		}
		return true
	})
	return found
}

func TestEnvFromMissingSecret(t *testing.T) {
	c := mustCluster(t, 1)
	optional := true
	mustCreate(t, c, newPod("p", "busybox", func(p *corev1.Pod) {
		p.Spec.Containers[0].Command = []string{"sh", "-c", "sleep 3600"}
		p.Spec.Containers[0].EnvFrom = []corev1.EnvFromSource{
			{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "maybe"}, Optional: &optional}},
			{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "needed"}}},
		}
	}))
	advance(t, c, 5*time.Second)
	w := getPod(c, "p").Status.ContainerStatuses[0].State.Waiting
	if w == nil || w.Reason != "CreateContainerConfigError" || w.Message != `secret "needed" not found` {
		t.Fatalf("waiting: %+v", w)
	}
	// Every key comes in, whatever its name (relaxed names since v1.32), without an event.
	mustWrite(t, c, secret("needed", map[string]string{"1st.key": "x", "ok": "y"}))
	advance(t, c, 15*time.Second)
	out, _, _, err := c.Kubelets.Exec(getPod(c, "p"), "kubia", []string{"env"})
	if err != nil || !strings.Contains(out, "1st.key=x\n") || !strings.Contains(out, "ok=y\n") {
		t.Errorf("env: %q %v", out, err)
	}
	// busybox's sh drops the names it cannot have as variables.
	if got := exec(t, c, "p", "env | grep -e 1st -e ok="); got != "ok=y\n" {
		t.Errorf("env from sh: %q", got)
	}
}

// A pod's labels changed and changed back before the kubelet syncs it are no change: the
// volumes wait for the periodic sync; a change that stays refreshes them at once.
func TestLabelsChangedBackDoNotResync(t *testing.T) {
	c := mustCluster(t, 1)
	mustWrite(t, c, configMap("cfg", map[string]string{"color": "blue"}))
	mustWrite(t, c, secret("sec", map[string]string{"pass": "s3cr3t", "user": "me"}))
	mustCreate(t, c, newPod("p", "busybox", func(p *corev1.Pod) {
		p.Labels = map[string]string{"app": "a"}
		consumer(p)
	}))
	advance(t, c, 10*time.Second)
	mustWrite(t, c, configMap("cfg", map[string]string{"color": "green"}))
	cl := c.API.Client("test")
	relabel := func(v string) {
		t.Helper()
		p := getPod(c, "p").DeepCopy()
		p.Labels = map[string]string{"app": v}
		if _, err := cl.Update(p, apiserver.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	relabel("b")
	relabel("a") // before the kubelet has seen "b"
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if got := exec(t, c, "p", "cat /etc/cfg/color"); got != "blue" {
		t.Errorf("labels changed back: the volume shows %q before the periodic sync", got)
	}
	relabel("b")
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
	if got := exec(t, c, "p", "cat /etc/cfg/color"); got != "green" {
		t.Errorf("labels changed: the volume shows %q", got)
	}
}
