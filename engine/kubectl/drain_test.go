package kubectl

import (
	"regexp"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
)

// drainSetup is a DaemonSet on every worker, an RS of three pods (one with an emptyDir), and
// an unmanaged pod, all with their first pod on kubetab-worker.
const drainSetup = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ssd-monitor
spec:
  selector:
    matchLabels: {app: ssd-monitor}
  template:
    metadata:
      labels: {app: ssd-monitor}
    spec:
      containers:
      - name: main
        image: luksa/ssd-monitor
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: cache
spec:
  replicas: 1
  selector:
    matchLabels: {app: cache}
  template:
    metadata:
      labels: {app: cache}
    spec:
      nodeSelector: {kubernetes.io/hostname: kubetab-worker}
      containers:
      - name: main
        image: nginx
      volumes:
      - name: scratch
        emptyDir: {}
---
apiVersion: v1
kind: Pod
metadata:
  name: bare
spec:
  nodeName: kubetab-worker
  containers:
  - name: main
    image: nginx
`

var drainSuffix = regexp.MustCompile(`-[bcdfghjklmnpqrstvwxz2456789]{5}\b`)

// hideSuffixes makes generated names comparable: `kubia-x7k2p` reads `kubia-xxxxx`.
func hideSuffixes(s string) string { return drainSuffix.ReplaceAllString(s, "-xxxxx") }

func newDrainSession(t *testing.T) *session {
	t.Helper()
	s := newSession(t)
	if out, errOut, code := s.run("apply -f -", drainSetup); code != 0 {
		t.Fatalf("setup: %s%s", out, errOut)
	}
	if err := s.c.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	return s
}

// podsOn lists the pods bound to a node, suffixes hidden.
func podsOn(s *session, node string) string {
	var names []string
	s.c.Store.Each(api.ResourceByName("pods"), "", func(o api.Object) bool {
		if p := o.(*corev1.Pod); p.Spec.NodeName == node {
			names = append(names, hideSuffixes(p.Name))
		}
		return true
	})
	return strings.Join(names, " ")
}

func TestDrain(t *testing.T) {
	const refusal = "[cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ssd-monitor-xxxxx, " +
		"cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-xxxxx, " +
		"cannot delete Pods that declare no controller (use --force to override): default/bare]"
	tests := []struct {
		name      string
		cmd       string
		out, err  string
		code      int
		after     string // pods left on kubetab-worker
		elapsedLE time.Duration
	}{
		{
			name: "refused without flags",
			cmd:  "drain kubetab-worker",
			out:  "node/kubetab-worker cordoned\n",
			err: "error: unable to drain node \"kubetab-worker\" due to error: " + refusal + ", continuing command...\n" +
				"There are pending nodes to be drained:\n kubetab-worker\n" + refusal + "\n",
			code:  1,
			after: "bare cache-xxxxx kubia-xxxxx ssd-monitor-xxxxx",
		},
		{
			name: "refused for the DaemonSet only",
			cmd:  "drain kubetab-worker --force --delete-emptydir-data",
			out:  "node/kubetab-worker cordoned\n",
			err: "error: unable to drain node \"kubetab-worker\" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ssd-monitor-xxxxx, continuing command...\n" +
				"There are pending nodes to be drained:\n kubetab-worker\n" +
				"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ssd-monitor-xxxxx\n",
			code:  1,
			after: "bare cache-xxxxx kubia-xxxxx ssd-monitor-xxxxx",
		},
		{
			name: "drained with every flag",
			cmd:  "drain kubetab-worker --ignore-daemonsets --delete-emptydir-data --force",
			out: "node/kubetab-worker cordoned\n" +
				"evicting pod default/bare\nevicting pod default/cache-xxxxx\nevicting pod default/kubia-xxxxx\n" +
				"pod/bare evicted\npod/cache-xxxxx evicted\npod/kubia-xxxxx evicted\n" +
				"node/kubetab-worker drained\n",
			err:       "Warning: ignoring DaemonSet-managed Pods: default/ssd-monitor-xxxxx; deleting Pods that declare no controller: default/bare\n",
			after:     "ssd-monitor-xxxxx",
			elapsedLE: 31 * time.Second, // luksa/kubia ignores SIGTERM: the full 30 s grace period
		},
		{
			name: "grace period 0",
			cmd:  "drain kubetab-worker --ignore-daemonsets --delete-emptydir-data --force --grace-period=0",
			out: "node/kubetab-worker cordoned\n" +
				"evicting pod default/bare\nevicting pod default/cache-xxxxx\nevicting pod default/kubia-xxxxx\n" +
				"pod/bare evicted\npod/cache-xxxxx evicted\npod/kubia-xxxxx evicted\n" +
				"node/kubetab-worker drained\n",
			err:   "Warning: ignoring DaemonSet-managed Pods: default/ssd-monitor-xxxxx; deleting Pods that declare no controller: default/bare\n",
			after: "ssd-monitor-xxxxx",
		},
		{
			name: "timeout",
			cmd:  "drain kubetab-worker --ignore-daemonsets --delete-emptydir-data --force --timeout=10s",
			out: "node/kubetab-worker cordoned\n" +
				"evicting pod default/bare\nevicting pod default/cache-xxxxx\nevicting pod default/kubia-xxxxx\n" +
				"pod/bare evicted\npod/cache-xxxxx evicted\n",
			err: "Warning: ignoring DaemonSet-managed Pods: default/ssd-monitor-xxxxx; deleting Pods that declare no controller: default/bare\n" +
				"There are pending pods in node \"kubetab-worker\" when an error occurred: error when waiting for pod \"kubia-xxxxx\" in namespace \"default\" to terminate: global timeout reached: 10s\n" +
				"pod/kubia-xxxxx\n" +
				"error: unable to drain node \"kubetab-worker\" due to error: error when waiting for pod \"kubia-xxxxx\" in namespace \"default\" to terminate: global timeout reached: 10s, continuing command...\n" +
				"There are pending nodes to be drained:\n kubetab-worker\n" +
				"error when waiting for pod \"kubia-xxxxx\" in namespace \"default\" to terminate: global timeout reached: 10s\n",
			code:      1,
			after:     "kubia-xxxxx ssd-monitor-xxxxx",
			elapsedLE: 10 * time.Second,
		},
		{
			name: "without eviction",
			cmd:  "drain kubetab-worker --ignore-daemonsets --delete-emptydir-data --force --disable-eviction",
			out: "node/kubetab-worker cordoned\n" +
				"pod/bare deleted\npod/cache-xxxxx deleted\npod/kubia-xxxxx deleted\n" +
				"node/kubetab-worker drained\n",
			err:   "Warning: ignoring DaemonSet-managed Pods: default/ssd-monitor-xxxxx; deleting Pods that declare no controller: default/bare\n",
			after: "ssd-monitor-xxxxx",
		},
		{
			name: "no node named",
			cmd:  "drain",
			err:  "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n",
			code: 1,
			// nothing changes
			after: "bare cache-xxxxx kubia-xxxxx ssd-monitor-xxxxx",
		},
		{
			name:  "unknown node",
			cmd:   "drain nope",
			err:   "Error from server (NotFound): nodes \"nope\" not found\n",
			code:  1,
			after: "bare cache-xxxxx kubia-xxxxx ssd-monitor-xxxxx",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDrainSession(t)
			if got := podsOn(s, "kubetab-worker"); got != "bare cache-xxxxx kubia-xxxxx ssd-monitor-xxxxx" {
				t.Fatalf("setup placed %q on kubetab-worker", got)
			}
			start := s.c.Now()
			out, errOut, code := s.run(tc.cmd)
			if hideSuffixes(out) != tc.out || hideSuffixes(errOut) != tc.err || code != tc.code {
				t.Fatalf("kubectl %s: exit %d\n--- stdout\n%s--- want\n%s--- stderr\n%s--- want\n%s", tc.cmd, code, hideSuffixes(out), tc.out, hideSuffixes(errOut), tc.err)
			}
			if got := podsOn(s, "kubetab-worker"); got != tc.after {
				t.Errorf("left on the node: %q, want %q", got, tc.after)
			}
			if tc.elapsedLE > 0 && s.c.Now().Sub(start) > tc.elapsedLE {
				t.Errorf("took %s of virtual time", s.c.Now().Sub(start))
			}
		})
	}
}

// TestDrainAftermath: the evicted ReplicaSet pods come back on other nodes, the DaemonSet pod
// stays, the node shows SchedulingDisabled until uncordoned.
func TestDrainAftermath(t *testing.T) {
	s := newDrainSession(t)
	if _, errOut, code := s.run("drain kubetab-worker --ignore-daemonsets --delete-emptydir-data --force"); code != 0 {
		t.Fatal(errOut)
	}
	if err := s.c.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := podsOn(s, "kubetab-worker"); got != "ssd-monitor-xxxxx" {
		t.Fatalf("on the drained node: %q", got)
	}
	out, _, _ := s.run("get rs kubia")
	if !strings.Contains(out, "kubia   3         3         3") {
		t.Fatalf("get rs:\n%s", out)
	}
	// The cache pod's replacement, pinned to the cordoned node, waits unscheduled.
	s.c.Store.Each(api.ResourceByName("pods"), "default", func(o api.Object) bool {
		if p := o.(*corev1.Pod); p.Labels["app"] == "cache" && p.Spec.NodeName != "" {
			t.Fatalf("cache pod %s bound to %s", p.Name, p.Spec.NodeName)
		}
		return true
	})
	out, _, _ = s.run("get node kubetab-worker")
	if !strings.Contains(out, "Ready,SchedulingDisabled") {
		t.Fatalf("get node:\n%s", out)
	}
	if out, _, _ := s.run("uncordon kubetab-worker"); out != "node/kubetab-worker uncordoned\n" {
		t.Fatalf("uncordon: %q", out)
	}
	if err := s.c.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := podsOn(s, "kubetab-worker"); got != "cache-xxxxx ssd-monitor-xxxxx" {
		t.Fatalf("after uncordon: %q", got)
	}
}

// An evicted pod carries the DisruptionTarget condition the eviction API adds before it
// deletes, while it terminates (kubia ignores SIGTERM, so that takes its grace period).
func TestDrainEvictionMarksDisruptionTarget(t *testing.T) {
	s := newDrainSession(t)
	var kubia *corev1.Pod
	s.c.Store.Each(api.ResourceByName("pods"), "default", func(o api.Object) bool {
		if p := o.(*corev1.Pod); p.Labels["app"] == "kubia" && p.Spec.NodeName == "kubetab-worker" {
			kubia = p
		}
		return kubia == nil
	})
	if kubia == nil {
		t.Fatal("no kubia pod on kubetab-worker")
	}
	e := &env{c: s.c.Cluster, api: s.c.API.Client(ClientName)}
	e.markEvicted(kubia)
	obj, err := s.c.Store.Get(api.ResourceByName("pods"), "default", kubia.Name)
	if err != nil {
		t.Fatal(err)
	}
	var got *corev1.PodCondition
	for i, c := range obj.(*corev1.Pod).Status.Conditions {
		if c.Type == corev1.DisruptionTarget {
			got = &obj.(*corev1.Pod).Status.Conditions[i]
		}
	}
	if got == nil || got.Status != corev1.ConditionTrue || got.Reason != "EvictionByEvictionAPI" || got.Message != "Eviction API: evicting" {
		t.Fatalf("DisruptionTarget condition = %+v", got)
	}
}
