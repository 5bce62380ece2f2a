package snapshot

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/app/samples"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/terminal"
)

func TestGroupPods(t *testing.T) {
	controllers := []Owner{
		{Key: ownerKey("ReplicationController", "default", "kubia"), Kind: "ReplicationController", Namespace: "default", Name: "kubia", Desired: 3, Current: 3, Ready: 2},
		{Key: ownerKey("ReplicaSet", "default", "idle"), Kind: "ReplicaSet", Namespace: "default", Name: "idle", Desired: 0},
	}
	pods := []Pod{
		{Namespace: "default", Name: "kubia-a", Owner: "ReplicationController/kubia", OwnerKey: ownerKey("ReplicationController", "default", "kubia")},
		{Namespace: "default", Name: "kubia-b", Owner: "ReplicationController/kubia", OwnerKey: ownerKey("ReplicationController", "default", "kubia")},
		{Namespace: "other", Name: "kubia-c", Owner: "ReplicationController/kubia", OwnerKey: ownerKey("ReplicationController", "other", "kubia")},
		{Namespace: "default", Name: "bare"},
	}
	var views []*cachedView[Pod]
	for _, p := range pods {
		views = append(views, &cachedView[Pod]{view: p})
	}
	got := groupPods(views, controllers)
	if len(got) != 3 {
		t.Fatalf("groups %+v", got)
	}
	if got[0].Pods != 2 || got[1].Pods != 0 {
		t.Errorf("counts %+v", got)
	}
	if g := got[2]; g.Namespace != "other" || g.Kind != "ReplicationController" || g.Name != "kubia" || g.Pods != 1 || g.Desired != -1 {
		t.Errorf("orphan owner group %+v", g)
	}
}

func TestSnapshotCluster(t *testing.T) {
	s, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	script := session.ApplyLine(samples.Read("samples/book/kubia-rc.yaml")) + "\nkubetab advance 1m\nkubectl cordon kubetab-worker3\n"
	if code := s.RunLine(script, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	snap := Take(s.Cluster(), nil, true)
	if len(snap.Nodes) != 4 || snap.PodCount != 3 {
		t.Fatalf("nodes %d pods %d", len(snap.Nodes), snap.PodCount)
	}
	running := 0
	for _, n := range snap.Nodes {
		if n.Name == "kubetab-worker3" && n.Status != "Ready,SchedulingDisabled" {
			t.Errorf("cordoned node status %q", n.Status)
		}
		if n.Name == "kubetab-control-plane" && n.Roles != "control-plane" {
			t.Errorf("roles %q", n.Roles)
		}
		for _, p := range n.Pods {
			if p.Status == "Running" && p.Ready == "1/1" && p.Owner == "ReplicationController/kubia" {
				running++
			}
		}
	}
	if running != 3 {
		t.Errorf("running kubia pods: %d (%+v)", running, snap.Nodes)
	}
	if len(snap.Groups) != 1 || snap.Groups[0].Pods != 3 || snap.Groups[0].Ready != 3 {
		t.Errorf("groups %+v", snap.Groups)
	}
	if len(snap.Events) == 0 || snap.Events[0].Last.Before(snap.Events[len(snap.Events)-1].Last) {
		t.Errorf("events not newest first: %+v", snap.Events)
	}
	if again := Take(s.Cluster(), snap, true); again != snap {
		t.Errorf("an unchanged store gave a new snapshot")
	}
	// A pod that changed gets a new view (the others' are reused), and the RC's replacement
	// one of its own.
	victim := snap.Nodes[1].Pods[0].Name
	if code := s.RunLine("kubectl delete pod "+victim+" --wait=false", &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	statuses := map[string]string{}
	for _, n := range Take(s.Cluster(), snap, true).Nodes {
		for _, p := range n.Pods {
			statuses[p.Name] = p.Status
		}
	}
	if statuses[victim] != "Terminating" || len(statuses) != 4 {
		t.Errorf("after deleting %s: %v", victim, statuses)
	}
	// Without events, the timeline stays as it was, until a snapshot with them.
	without := Take(s.Cluster(), snap, false)
	if without.EventsRV != snap.RV || len(without.Events) != len(snap.Events) || without.RV == snap.RV {
		t.Errorf("a snapshot without events: RV %d, events of %d (%d), previous RV %d", without.RV, without.EventsRV, len(without.Events), snap.RV)
	}
	if again := Take(s.Cluster(), without, false); again != without {
		t.Errorf("an unchanged store gave a new snapshot")
	}
	with := Take(s.Cluster(), without, true)
	if with.EventsRV != with.RV || with.Events[0].Reason != "Killing" {
		t.Errorf("a snapshot with events: events of %d, newest %+v", with.EventsRV, with.Events[0])
	}
	// The panel reads through kubectl's read-only commands.
	if txt := PanelText(s.Cluster(), Ref{Kind: "ReplicationController", Namespace: "default", Name: "kubia"}, "describe"); !strings.Contains(txt, "Pods Status:") {
		t.Errorf("describe: %s", txt)
	}
	if txt := PanelText(s.Cluster(), Ref{Kind: "Node", Name: "kubetab-worker"}, "yaml"); !strings.Contains(txt, "kind: Node") {
		t.Errorf("yaml: %s", txt)
	}
	pod := snap.Nodes[1].Pods
	if len(pod) > 0 {
		if txt := PanelText(s.Cluster(), Ref{Kind: "Pod", Namespace: "default", Name: pod[0].Name}, "events"); !strings.Contains(txt, "Scheduled") {
			t.Errorf("events: %s", txt)
		}
	}
}

// A view is made once per object; views of objects gone are dropped once they outnumber
// the live ones.
func TestViewCache(t *testing.T) {
	var c viewCache[*corev1.Pod, string]
	made := 0
	view := func(p *corev1.Pod) string { made++; return p.Name }
	pods := make([]*corev1.Pod, 200)
	for i := range pods {
		pods[i] = &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: strconv.Itoa(i)}}
	}
	for pass := 0; pass < 2; pass++ {
		c.begin()
		for _, p := range pods {
			if got := c.get(p, view).view; got != p.Name {
				t.Fatalf("view of %s: %q", p.Name, got)
			}
		}
		c.end(nil)
	}
	if made != 200 {
		t.Fatalf("%d views made for 200 pods seen twice", made)
	}
	c.begin()
	for _, p := range pods[:10] {
		c.get(p, view)
	}
	c.end(nil)
	if len(c.views) != 10 {
		t.Fatalf("%d views kept for 10 live pods", len(c.views))
	}
}

// A Deployment's ReplicaSets name it as their parent, with their revision and their pods.
func TestSnapshotDeploymentTree(t *testing.T) {
	s, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	dep1 := samples.Read("samples/docs/nginx-deployment.yaml")
	dep2 := strings.Replace(dep1, `image: "nginx:1.14.2"`, `image: "nginx:1.16.1"`, 1)
	if dep2 == dep1 {
		t.Fatal("the sample's image changed: update this test")
	}
	script := session.ApplyLine(dep1) + "\nkubetab advance 1m\n" + session.ApplyLine(dep2) + "\nkubetab advance 5s\n"
	if code := s.RunLine(script, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	snap := Take(s.Cluster(), nil, true)
	var dep *Owner
	var rss []Owner
	for i, g := range snap.Groups {
		switch g.Kind {
		case "Deployment":
			dep = &snap.Groups[i]
		case "ReplicaSet":
			rss = append(rss, g)
		}
	}
	if dep == nil || dep.Desired != 3 || len(rss) != 2 {
		t.Fatalf("groups %+v", snap.Groups)
	}
	revisions := map[string]bool{}
	pods := 0
	for _, rs := range rss {
		if rs.Parent != dep.Key {
			t.Errorf("%s: parent %q, want %q", rs.Name, rs.Parent, dep.Key)
		}
		revisions[rs.Revision] = true
		pods += len(rs.Members)
		if len(rs.Members) != rs.Pods {
			t.Errorf("%s: %d members of %d pods", rs.Name, len(rs.Members), rs.Pods)
		}
	}
	if !revisions["1"] || !revisions["2"] || pods < 3 {
		t.Errorf("revisions %v, %d pods in the tree", revisions, pods)
	}
}

// TestTimelineEventsNewest checks the timeline's bounded selection against sorting every
// event: the newest MaxTimelineEvents, newest first, equal times in the store's order
// (hundreds of events share a time here).
func TestTimelineEventsNewest(t *testing.T) {
	s, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	script := "kubectl create deployment kubia --image=luksa/kubia --replicas=150\nkubetab advance 30s\nkubectl scale deployment kubia --replicas=40\nkubetab advance 1m\n"
	if code := s.RunLine(script, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	c := s.Cluster()
	var all []Event
	c.Store.Each(eventsRes, "", func(o api.Object) bool {
		all = append(all, viewOfEvent(o.(*corev1.Event)))
		return true
	})
	if len(all) < 3*MaxTimelineEvents {
		t.Fatalf("only %d events", len(all))
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Last.After(all[j].Last) })
	views := viewCache[*corev1.Event, Event]{}
	var w eventWatch
	for range 2 { // and again from the views cached
		got := w.timeline(c, &views)
		if !reflect.DeepEqual(got, all[:MaxTimelineEvents]) {
			t.Fatalf("timeline:\n%v\nwant:\n%v", got, all[:MaxTimelineEvents])
		}
	}
}

// A snapshot taken from the previous one shows what one taken afresh shows, and hands on
// the lists of pods that did not change as they were (podchips then skips them).
func TestSnapshotIncremental(t *testing.T) {
	s, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	run := func(line string) {
		t.Helper()
		if code := s.RunLine(line, &out); code != 0 {
			t.Fatalf("%s: exit %d: %s", line, code, out.String())
		}
	}
	run("kubectl create deployment kubia --image=luksa/kubia --replicas=30")
	snap := Take(s.Cluster(), nil, true)
	steps := []string{"kubetab advance 1s", "kubetab advance 1s", "kubetab advance 5s", "kubectl scale deployment kubia --replicas=12",
		"kubetab advance 2s", "kubectl run bare --image=busybox", "kubectl cordon kubetab-worker", "kubectl delete pod bare --wait=false",
		"kubetab advance 1m", "kubetab node add kubetab-worker4", "kubectl cordon kubetab-worker2", "kubectl cordon kubetab-worker3", "kubectl cordon kubetab-worker4",
		"kubectl scale deployment kubia --replicas=20", "kubectl uncordon kubetab-worker4", "kubetab advance 1s", "kubetab node remove kubetab-worker4", "kubetab advance 1m"}
	kept, pending := 0, 0
	for _, line := range steps {
		run(line)
		next := Take(s.Cluster(), snap, true)
		fresh := Take(s.Cluster(), nil, true)
		if !reflect.DeepEqual(next.Nodes, fresh.Nodes) || !reflect.DeepEqual(next.Pending, fresh.Pending) ||
			!reflect.DeepEqual(next.Groups, fresh.Groups) || next.PodCount != fresh.PodCount {
			t.Fatalf("after %q the snapshot taken from the last one differs from one taken afresh:\n%+v\n%+v", line, next, fresh)
		}
		for i := range next.Nodes {
			if len(next.Nodes[i].Pods) > 0 && i < len(snap.Nodes) && len(snap.Nodes[i].Pods) > 0 && &next.Nodes[i].Pods[0] == &snap.Nodes[i].Pods[0] {
				kept++
			}
		}
		pending = max(pending, len(next.Pending))
		snap = next
	}
	if kept == 0 || pending == 0 {
		t.Errorf("%d lists of pods handed on unchanged, at most %d pods pending: the test no longer tests", kept, pending)
	}
}

// The timeline found from the newest events and the changes since (a watch) is the one a
// walk of every event finds, as events come, are counted again and expire, and when the
// cluster is another one (a checkpoint restores one).
func TestTimelineFromChanges(t *testing.T) {
	s, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	var w eventWatch
	var views viewCache[*corev1.Event, Event]
	for _, line := range []string{"kubetab advance 1s", "kubectl create deployment kubia --image=luksa/kubia --replicas=60", "kubetab advance 2s",
		"kubetab advance 30s", "kubectl run bad --image=busybox -- false", "kubetab advance 1m", "kubetab advance 3m", "delete the newest event",
		"kubectl scale deployment kubia --replicas=10", "kubetab advance 30s", "kubetab advance 59m", "kubetab advance 5m",
		"kubetab checkpoint", "kubectl delete pod bad", "kubetab advance 2h"} {
		if line == "delete the newest event" {
			e := w.newest[0].e
			line = "kubectl delete event -n " + e.Namespace + " " + e.Name
		}
		if line == "kubetab checkpoint" {
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
		} else if code := s.RunLine(line, &out); code != 0 {
			t.Fatalf("%s: exit %d: %s", line, code, out.String())
		}
		got := w.timeline(s.Cluster(), &views)
		var fresh eventWatch
		want := fresh.timeline(s.Cluster(), &viewCache[*corev1.Event, Event]{})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after %q the timeline from the changes:\n%v\nwalking every event:\n%v", line, got, want)
		}
		if len(want) == 0 && line != "kubetab advance 2h" {
			t.Fatalf("after %q no events", line)
		}
	}
	// The first look, the one after the checkpoint and the one after the newest event was
	// deleted walk; the others do not.
	if w.walks != 3 {
		t.Errorf("%d of 15 looks walked every event, want 3", w.walks)
	}
}
