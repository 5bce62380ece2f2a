package kubectl

import (
	"cmp"
	"reflect"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
)

// listingWatch is the plain way to look: list what the request selects and compare it with
// what was seen. A watch fed by the cluster's changes must print exactly what it prints.
type listingWatch struct {
	e     *env
	q     resourceRequest
	seen  map[objKey]api.Object
	since uint64
}

func (l *listingWatch) rows(rv uint64) []api.Object {
	if rv == l.since {
		return nil
	}
	l.since = rv
	r, err := l.e.resources(l.q)
	if err != nil {
		panic(err)
	}
	cur, _ := r.objects()
	var rows []api.Object
	listed := map[objKey]bool{}
	for _, o := range cur {
		k := keyOf(o)
		listed[k] = true
		if old := l.seen[k]; old == nil || old.GetResourceVersion() != o.GetResourceVersion() {
			l.seen[k] = o
			rows = append(rows, o)
		}
	}
	var gone []objKey
	for k := range l.seen {
		if !listed[k] {
			gone = append(gone, k)
		}
	}
	slices.SortFunc(gone, func(a, b objKey) int {
		return cmp.Or(cmp.Compare(a.res, b.res), cmp.Compare(a.ns, b.ns), cmp.Compare(a.name, b.name))
	})
	for _, k := range gone {
		rows = append(rows, l.seen[k])
		delete(l.seen, k)
	}
	return rows
}

// At every look, a watch shows the same objects in the same order as listing everything it
// selects would: additions and changes (an object changed twice between looks once, as it
// is now), objects entering and leaving a label or field selection, deletions (including
// events that expire, which write no version), several types, namespaces, names.
func TestWatchRowsMatchListing(t *testing.T) {
	for _, tc := range []struct {
		name         string
		args         []string
		all          bool
		label, field string
	}{
		{name: "pods", args: []string{"pods"}},
		{name: "label", args: []string{"pods"}, label: "role=web"},
		{name: "label set", args: []string{"pods"}, label: "app in (kubia,x),role!=no"},
		{name: "field", args: []string{"pods"}, field: "status.phase=Running"},
		{name: "all namespaces", args: []string{"pods"}, all: true},
		{name: "named", args: []string{"pod", "p", "q", "p"}},
		{name: "named cluster-scoped", args: []string{"nodes", "kubetab-worker"}, all: true},
		{name: "types", args: []string{"rc,pods,po"}},
		{name: "all", args: []string{"all"}},
		{name: "events", args: []string{"events"}, all: true},
		{name: "nodes", args: []string{"nodes"}, field: "metadata.name!=kubetab-worker2"},
		{name: "namespaces", args: []string{"ns"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t)
			s.c.Store.PackEventsFrom = 0 // events as a big cluster keeps them
			s.files["kubia-rc.yaml"] = rcYAML
			s.run("apply -f kubia-rc.yaml")
			s.run("run p --image=busybox --labels=role=web -- sleep 3600")
			s.run("run q --image=busybox --labels=role=web,app=x -- sleep 3600")
			s.c.Advance(time.Minute)

			e := &env{c: s.c.Cluster, ns: "default"}
			q := resourceRequest{args: tc.args, listBare: true, resourceFlags: resourceFlags{
				LabelSelector: tc.label, FieldSelector: tc.field, AllNamespaces: tc.all}}
			r, err := e.resources(q)
			if err != nil {
				t.Fatal(err)
			}
			initial, errs := r.objects()
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			w, err := e.newObjectWatch(r, tc.all, tc.label, tc.field, initial)
			if err != nil {
				t.Fatal(err)
			}
			defer w.follow(s.c.Cluster)()
			ref := &listingWatch{e: e, q: q, seen: map[objKey]api.Object{}, since: s.c.Store.ResourceVersion()}
			for _, o := range initial {
				ref.seen[keyOf(o)] = o
			}
			rows := 0
			look := func() bool {
				t.Helper()
				rv := s.c.Store.ResourceVersion()
				got, want := w.rows(rv), ref.rows(rv)
				// Equal objects, not the same ones: the store unpacks a new Event at each read.
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("at %s the watch shows %v, a listing %v", s.c.Now().Format(time.TimeOnly), names(got), names(want))
				}
				rows += len(got)
				return false
			}
			play := func(d time.Duration) {
				t.Helper()
				if _, err := s.c.RunUntil(s.c.Now().Add(d), look); err != nil {
					t.Fatal(err)
				}
			}
			for _, step := range []string{
				"scale rc kubia --replicas=5",
				"label pod p role=other --overwrite",
				"label pod p role=web --overwrite",
				"~30s",
				"label pod p role=no --overwrite",
				"delete pod q --wait=false",
				"~1m",
				"run q --image=busybox --labels=app=x -- sleep 3600",
				"label pod q role=web",
				"delete pod q --grace-period=0 --force",
				"run q --image=busybox --labels=role=web -- sleep 3600",
				"create namespace other",
				"run r -n other --image=busybox --labels=role=web -- sleep 3600",
				"label node kubetab-worker2 zone=a",
				"label node kubetab-worker zone=b",
				"label namespace other team=a",
				"~20s",
				"fail kubetab-worker",
				"~6m",
				"scale rc kubia --replicas=2",
				"delete namespace other --wait=false",
				"~70m",
				"run s --image=busybox --labels=role=web -- sleep 3600",
				"~1m",
			} {
				switch {
				case step[0] == '~':
					d, _ := time.ParseDuration(step[1:])
					play(d)
				case step == "fail kubetab-worker":
					if err := s.c.FailNode("kubetab-worker"); err != nil {
						t.Fatal(err)
					}
					look()
				default:
					if _, errb, code := s.run(step); code != 0 {
						t.Fatalf("%s: %s", step, errb)
					}
					look()
				}
			}
			if rows < 2 {
				t.Fatalf("only %d rows: the script shows too little", rows)
			}
		})
	}
}

func names(objs []api.Object) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = objectName(o) + "@" + o.GetResourceVersion()
	}
	return out
}

// A watch follows the cluster's changes only while it runs: stopped, timed out, at the end
// of its window or of a command that failed, it leaves no handler behind.
func TestWatchLetsGo(t *testing.T) {
	s := newSession(t)
	watchers := func() [2]int { return [2]int{s.c.Watchers("pods"), s.c.Watchers("replicationcontrollers")} }
	base := watchers()
	check := func(what string) {
		t.Helper()
		if got := watchers(); got != base {
			t.Fatalf("%s: %v handlers for pods and rcs, %v before", what, got, base)
		}
	}

	st, _, _, _ := s.start("get rc,pods,po -w")
	if got := watchers(); got != [2]int{base[0] + 1, base[1] + 1} {
		t.Fatalf("a running watch of rcs and pods: %v handlers, %v before", got, base)
	}
	s.run("run p --image=busybox -- sleep 3600")
	st.Stop()
	check("stopped")

	st, _, _, _ = s.start("get pods -w --request-timeout=5s")
	s.play(st, 10*time.Second)
	if !st.Done() {
		t.Fatal("the watch outlived its timeout")
	}
	check("timed out")

	if _, _, code := s.run("get pods -w --request-timeout=5s"); code != 0 {
		t.Fatalf("bounded watch: exit %d", code)
	}
	check("bounded")

	// Settling fails after the watch started (too many steps for what is waiting).
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "x", Image: "busybox"}}}}
	if _, err := s.c.API.Client("test").Create(pod, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	s.c.MaxSteps, s.c.StepsPerObject = 1, 0
	st, _, _, code := s.start("get pods -w")
	s.c.MaxSteps, s.c.StepsPerObject = sim.DefaultMaxSteps, sim.DefaultStepsPerObject
	if st != nil || code == 0 {
		t.Fatalf("the watch ran although settling failed (exit %d)", code)
	}
	check("failed")
}
