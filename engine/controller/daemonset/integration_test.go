package daemonset_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
)

// suffix hides generated name suffixes and ages, so that expectations read like the book.
var (
	suffix = regexp.MustCompile(`-[bcdfghjklmnpqrstvwxz2456789]{5}\b`)
	spaces = regexp.MustCompile(` +`)
)

func norm(s string) string { return spaces.ReplaceAllString(suffix.ReplaceAllString(s, "-xxxxx"), " ") }

func dsOf(t testing.TB, s *session, ns, name string) *appsv1.DaemonSet {
	t.Helper()
	o, err := s.c.Store.Get(api.ResourceByName("daemonsets"), ns, name)
	if err != nil {
		t.Fatal(err)
	}
	return o.(*appsv1.DaemonSet)
}

// eventsOf lists a DaemonSet's events as "Type Reason Message" with suffixes hidden.
func eventsOf(s *session, ns, name string) []string {
	var out []string
	s.c.Store.Each(api.ResourceByName("events"), ns, func(o api.Object) bool {
		ev := o.(*corev1.Event)
		if ev.InvolvedObject.Kind == "DaemonSet" && ev.InvolvedObject.Name == name {
			out = append(out, norm(fmt.Sprintf("%s %s %s", ev.Type, ev.Reason, ev.Message)))
		}
		return true
	})
	return out
}

func TestSSDMonitorStory(t *testing.T) {
	s := newSession(t, cluster.Options{Seed: 7})
	out, errOut, code := s.run("apply -f ssd-monitor-daemonset.yaml")
	if code != 0 || out != "daemonset.apps/ssd-monitor created\n" {
		t.Fatalf("apply: %d %q %q", code, out, errOut)
	}
	if got := norm(s.must("get ds")); got != "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE\nssd-monitor 0 0 0 0 0 disk=ssd 0s\n" {
		t.Fatalf("get ds:\n%s", got)
	}
	if got := s.must("get po"); got != "" {
		t.Fatalf("pods before labelling: %q", got)
	}

	s.must("label node kubetab-worker2 disk=ssd")
	p := s.podNamed("default", "ssd-monitor-")
	if p.Spec.NodeName != "kubetab-worker2" {
		t.Fatalf("pod on %q", p.Spec.NodeName)
	}
	s.advance(20 * time.Second)
	if got := norm(s.must("get ds")); got != "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE\nssd-monitor 1 1 1 1 1 disk=ssd 20s\n" {
		t.Fatalf("get ds:\n%s", got)
	}
	if got := norm(s.must("get po")); !strings.Contains(got, "ssd-monitor-xxxxx 1/1 Running 0") {
		t.Fatalf("get po:\n%s", got)
	}
	if got := s.must("logs " + s.podNamed("default", "ssd-monitor-").Name); !strings.HasPrefix(got, "SSD OK\nSSD OK\n") {
		t.Fatalf("logs: %q", got)
	}
	wide := norm(s.must("get ds -o wide"))
	if !strings.Contains(wide, "CONTAINERS IMAGES SELECTOR") || !strings.Contains(wide, "disk=ssd 20s main luksa/ssd-monitor app=ssd-monitor") {
		t.Fatalf("get ds -o wide:\n%s", wide)
	}

	// Relabelling the node: the pod goes (gracefully: ssd-monitor ignores SIGTERM).
	s.must("label node kubetab-worker2 disk=hdd --overwrite")
	if got := norm(s.must("get ds")); !strings.Contains(got, "ssd-monitor 0 0 0 0 0 disk=ssd") {
		t.Fatalf("get ds after relabel:\n%s", got)
	}
	if got := norm(s.must("get po")); !strings.Contains(got, "Terminating") {
		t.Fatalf("get po after relabel:\n%s", got)
	}
	s.advance(31 * time.Second)
	if got, _, _ := s.run("get po"); got != "" {
		t.Fatalf("pods after relabel: %q", got)
	}
	want := []string{
		"Normal SuccessfulCreate Created pod: ssd-monitor-xxxxx",
		"Normal SuccessfulDelete Deleted pod: ssd-monitor-xxxxx",
	}
	if got := eventsOf(s, "default", "ssd-monitor"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s", strings.Join(got, "\n"))
	}
	desc := norm(s.must("describe ds ssd-monitor"))
	for _, w := range []string{"Node-Selector: disk=ssd", "Desired Number of Nodes Scheduled: 0", "Normal SuccessfulDelete", "daemonset-controller"} {
		if !strings.Contains(desc, w) {
			t.Fatalf("describe lacks %q:\n%s", w, desc)
		}
	}

	// Labels again, then removing the label (`disk-`).
	s.must("label node kubetab-worker disk=ssd")
	s.must("label node kubetab-worker3 disk=ssd")
	s.advance(20 * time.Second)
	if got := s.podsByNode("default", "ssd-monitor-"); len(got["kubetab-worker"]) != 1 || len(got["kubetab-worker3"]) != 1 || len(got) != 2 {
		t.Fatalf("pods by node: %v", got)
	}
	s.must("label node kubetab-worker disk-")
	s.advance(31 * time.Second)
	if got := s.podsByNode("default", "ssd-monitor-"); len(got["kubetab-worker3"]) != 1 || len(got) != 1 {
		t.Fatalf("pods by node after disk-: %v", got)
	}
	if ds := dsOf(t, s, "default", "ssd-monitor"); ds.Status.DesiredNumberScheduled != 1 || ds.Status.NumberAvailable != 1 || ds.Status.ObservedGeneration != ds.Generation {
		t.Fatalf("status %+v", ds.Status)
	}
}

func TestFluentdOnEveryNode(t *testing.T) {
	s := newSession(t, cluster.Options{Seed: 3})
	if out := s.must("apply -f daemonset.yaml"); out != "daemonset.apps/fluentd-elasticsearch created\n" {
		t.Fatalf("apply: %q", out)
	}
	s.advance(time.Minute)
	byNode := s.podsByNode("kube-system", "fluentd-elasticsearch-")
	for _, n := range []string{cluster.ControlPlaneNode, "kubetab-worker", "kubetab-worker2", "kubetab-worker3"} {
		if len(byNode[n]) != 1 {
			t.Fatalf("node %s has %v (all: %v)", n, byNode[n], byNode)
		}
	}
	if got := norm(s.must("get ds -n kube-system")); !strings.Contains(got, "fluentd-elasticsearch 4 4 4 4 4 <none> 60s") {
		t.Fatalf("get ds:\n%s", got)
	}
	p := s.pods("kube-system")[0]
	aff := p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	if len(aff) != 1 || aff[0].MatchFields[0].Key != "metadata.name" || aff[0].MatchFields[0].Values[0] != p.Spec.NodeName {
		t.Fatalf("affinity %+v on %s", aff, p.Spec.NodeName)
	}
	if p.Labels["controller-revision-hash"] == "" || p.Labels["name"] != "fluentd-elasticsearch" {
		t.Fatalf("labels %v", p.Labels)
	}

	// A node added later gets a pod; a removed node's pod goes with the pod GC.
	if _, err := s.c.AddNode("kubetab-worker4", nil); err != nil {
		t.Fatal(err)
	}
	if got := s.podsByNode("kube-system", "fluentd-elasticsearch-"); len(got["kubetab-worker4"]) != 1 {
		t.Fatalf("no pod on the new node: %v", got)
	}
	s.advance(time.Minute)
	if ds := dsOf(t, s, "kube-system", "fluentd-elasticsearch"); ds.Status.DesiredNumberScheduled != 5 || ds.Status.NumberReady != 5 {
		t.Fatalf("status after add %+v", ds.Status)
	}
	if err := s.c.RemoveNode("kubetab-worker2"); err != nil {
		t.Fatal(err)
	}
	if ds := dsOf(t, s, "kube-system", "fluentd-elasticsearch"); ds.Status.DesiredNumberScheduled != 4 || ds.Status.CurrentNumberScheduled != 4 {
		t.Fatalf("status after remove %+v", ds.Status)
	}
	s.advance(2 * time.Minute)
	if got := s.podsByNode("kube-system", "fluentd-elasticsearch-"); len(got["kubetab-worker2"]) != 0 || len(got) != 4 {
		t.Fatalf("pods after node removal: %v", got)
	}

	// Cordoned nodes keep their daemon pods, and a daemon pod deleted there comes back.
	s.must("cordon kubetab-worker3")
	s.advance(time.Minute)
	victim := s.podsByNode("kube-system", "fluentd-elasticsearch-")["kubetab-worker3"]
	if len(victim) != 1 {
		t.Fatalf("cordoned node lost its pod")
	}
	s.must("delete pod -n kube-system " + victim[0])
	s.advance(time.Minute)
	if got := s.podsByNode("kube-system", "fluentd-elasticsearch-")["kubetab-worker3"]; len(got) != 1 || got[0] == victim[0] {
		t.Fatalf("cordoned node's pod not replaced: %v", got)
	}
	if ds := dsOf(t, s, "kube-system", "fluentd-elasticsearch"); ds.Status.NumberAvailable != 4 {
		t.Fatalf("status %+v", ds.Status)
	}

	// Deleting the DaemonSet deletes its pods.
	s.must("delete ds fluentd-elasticsearch -n kube-system")
	s.advance(time.Minute)
	if got := s.podsByNode("kube-system", "fluentd-elasticsearch-"); len(got) != 0 {
		t.Fatalf("pods after delete: %v", got)
	}
}

const rollingDS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  updateStrategy:
    type: %s
  template:
    metadata:
      labels: {app: agent}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: main
        image: nginx:1.25
`

func TestTemplateUpdate(t *testing.T) {
	tests := []struct {
		name     string
		strategy string
	}{
		{"RollingUpdate", "RollingUpdate"},
		{"OnDelete", "OnDelete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, cluster.Options{Seed: 11})
			s.must("apply -f -", fmt.Sprintf(rollingDS, tc.strategy))
			s.advance(time.Minute)
			oldHash := s.pods("default")[0].Labels["controller-revision-hash"]
			s.must("apply -f -", strings.Replace(fmt.Sprintf(rollingDS, tc.strategy), "nginx:1.25", "nginx:1.26", 1))
			if tc.strategy == "OnDelete" {
				s.advance(5 * time.Minute)
				for _, p := range s.pods("default") {
					if p.Labels["controller-revision-hash"] != oldHash {
						t.Fatalf("OnDelete replaced %s", p.Name)
					}
				}
				ds := dsOf(t, s, "default", "agent")
				if ds.Status.UpdatedNumberScheduled != 0 || ds.Status.DesiredNumberScheduled != 3 {
					t.Fatalf("status %+v", ds.Status)
				}
				s.must("delete pod " + s.podsByNode("default", "agent-")["kubetab-worker"][0])
				s.advance(time.Minute)
				if ds := dsOf(t, s, "default", "agent"); ds.Status.UpdatedNumberScheduled != 1 || ds.Status.NumberAvailable != 3 {
					t.Fatalf("status after a user delete %+v", ds.Status)
				}
				return
			}
			// RollingUpdate, maxUnavailable 1: at no time are two nodes without an
			// available pod, and node by node every pod is replaced.
			for i := 0; i < 120; i++ {
				ds := dsOf(t, s, "default", "agent")
				if ds.Status.NumberUnavailable > 1 {
					t.Fatalf("at %s: %d unavailable\n%s", s.c.Now().Sub(testStart), ds.Status.NumberUnavailable, dump(s.pods("default")))
				}
				if ds.Status.UpdatedNumberScheduled == 3 && ds.Status.NumberAvailable == 3 {
					break
				}
				s.advance(time.Second)
			}
			ds := dsOf(t, s, "default", "agent")
			if ds.Status.UpdatedNumberScheduled != 3 || ds.Status.NumberAvailable != 3 {
				t.Fatalf("rollout stuck: %+v\n%s", ds.Status, dump(s.pods("default")))
			}
			for _, p := range s.pods("default") {
				if p.Labels["controller-revision-hash"] == oldHash || p.Spec.Containers[0].Image != "nginx:1.26" {
					t.Fatalf("old pod left: %s", p.Name)
				}
			}
			if n := len(eventsOf(s, "default", "agent")); n != 9 { // 3 creates, 3 deletes, 3 creates
				t.Fatalf("events:\n%s", strings.Join(eventsOf(s, "default", "agent"), "\n"))
			}
		})
	}
}

func TestFailedDaemonPodIsReplaced(t *testing.T) {
	s := newSession(t, cluster.Options{Seed: 5})
	s.must("apply -f -", fmt.Sprintf(rollingDS, "RollingUpdate"))
	s.advance(time.Minute)
	p := s.podsByNode("default", "agent-")["kubetab-worker"][0]
	o, _ := s.c.Store.Get(api.ResourceByName("pods"), "default", p)
	failed := o.(*corev1.Pod).DeepCopy()
	failed.Status.Phase = corev1.PodFailed
	if _, err := s.c.API.Client("test").UpdateStatus(failed, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.c.Settle(); err != nil {
		t.Fatal(err)
	}
	got := s.podsByNode("default", "agent-")["kubetab-worker"]
	if len(got) != 1 || got[0] == p {
		t.Fatalf("failed pod not replaced: %v", got)
	}
	evs := strings.Join(eventsOf(s, "default", "agent"), "\n")
	want := "Warning FailedDaemonPod Found failed daemon pod default/agent-xxxxx on node kubetab-worker, will try to kill it\nNormal SuccessfulDelete Deleted pod: agent-xxxxx\nNormal SuccessfulCreate Created pod: agent-xxxxx"
	if !strings.HasSuffix(evs, want) {
		t.Fatalf("events:\n%s", evs)
	}
}

// TestDeterministic runs the same story twice and compares everything kubectl shows.
func TestDeterministic(t *testing.T) {
	story := func() string {
		s := newSession(t, cluster.Options{Seed: 42})
		var b strings.Builder
		for _, line := range []string{"apply -f daemonset.yaml", "label node kubetab-worker disk=ssd", "apply -f ssd-monitor-daemonset.yaml"} {
			b.WriteString(s.must(line))
		}
		s.advance(time.Minute)
		b.WriteString(s.must("get pods -A -o wide"))
		b.WriteString(s.must("get events -A"))
		return b.String()
	}
	if a, b := story(), story(); a != b {
		t.Fatalf("two runs differ:\n%s\n---\n%s", a, b)
	}
}
