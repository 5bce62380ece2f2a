package printers

import (
	"bytes"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/api"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func table(t *testing.T, objs []api.Object, opts TableOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := PrintTable(&b, objs, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPodStatuses(t *testing.T) {
	got := table(t, podZoo(), TableOptions{Now: t0.Add(5 * time.Minute)})
	assertText(t, got, `NAME          READY   STATUS              RESTARTS      AGE
pending       0/1     Pending             0             5m
creating      0/1     ContainerCreating   0             5m
running       1/1     Running             0             5m
restarted     1/1     Running             2 (35s ago)   5m
completed     0/1     Completed           0             5m
error         0/1     Error               0             5m
crashloop     0/1     CrashLoopBackOff    3 (20s ago)   5m
terminating   1/1     Terminating         0             5m
nodelost      1/1     Unknown             0             5m
init          0/1     Init:0/1            0             5m
evicted       0/1     Evicted             0             5m
`)
}

func TestPodStatusDetails(t *testing.T) {
	now := t0.Add(time.Minute)
	cases := []struct {
		name                    string
		mutate                  func(p *corev1.Pod)
		ready, status, restarts string
	}{
		{"init error", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "setup"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "setup", State: terminated("Error", 1, 0, 10*time.Second)}}
		}, "0/1", "Init:Error", "0"},
		{"init crashloop", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "setup"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "setup", State: waiting("CrashLoopBackOff"), RestartCount: 4,
				LastTerminationState: terminated("Error", 1, 0, 50*time.Second)}}
		}, "0/1", "Init:CrashLoopBackOff", "4 (10s ago)"},
		{"init exit code without reason", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "a"}, {Name: "b"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{
				{Name: "a", State: terminated("Completed", 0, 0, time.Second)},
				{Name: "b", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3}}}}
		}, "0/1", "Init:ExitCode:3", "0"},
		{"second init running", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "a"}, {Name: "b"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{
				{Name: "a", State: terminated("Completed", 0, 0, time.Second)},
				{Name: "b", State: running(2 * time.Second)}}
		}, "0/1", "Init:1/2", "0"},
		{"signal", func(p *corev1.Pod) {
			p.Status.Phase = corev1.PodFailed
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Signal: 9, ExitCode: 137}}}}
		}, "0/1", "Signal:9", "0"},
		{"completed with a running sibling and Ready", func(p *corev1.Pod) {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "side"})
			p.Status.Phase = corev1.PodRunning
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
			p.Status.ContainerStatuses = []corev1.ContainerStatus{
				{Name: "main", State: terminated("Completed", 0, 0, time.Second)},
				{Name: "side", Ready: true, State: running(0)}}
		}, "1/2", "Running", "0"},
		{"completed with a running sibling, not Ready", func(p *corev1.Pod) {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "side"})
			p.Status.Phase = corev1.PodRunning
			p.Status.ContainerStatuses = []corev1.ContainerStatus{
				{Name: "main", State: terminated("Completed", 0, 0, time.Second)},
				{Name: "side", Ready: true, State: running(0)}}
		}, "1/2", "NotReady", "0"},
		{"sidecar counted in READY", func(p *corev1.Pod) {
			always := corev1.ContainerRestartPolicyAlways
			p.Spec.InitContainers = []corev1.Container{{Name: "proxy", RestartPolicy: &always}}
			p.Status.Phase = corev1.PodRunning
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "proxy", Started: boolp(true), Ready: true, State: running(0), RestartCount: 1,
				LastTerminationState: terminated("Error", 1, 0, 30*time.Second)}}
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", Ready: true, State: running(0)}}
		}, "2/2", "Running", "1 (30s ago)"},
		{"deleted but finished stays Completed", func(p *corev1.Pod) {
			p.DeletionTimestamp = atp(50 * time.Second)
			p.Status.Phase = corev1.PodSucceeded
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", State: terminated("Completed", 0, 0, time.Second)}}
		}, "0/1", "Completed", "0"},
		{"scheduling gated", func(p *corev1.Pod) {
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonSchedulingGated}}
		}, "0/1", "SchedulingGated", "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := basePod("p")
			c.mutate(p)
			ready, status, restarts := PodStatus(p, now)
			if ready != c.ready || status != c.status || restarts != c.restarts {
				t.Errorf("got %q %q %q, want %q %q %q", ready, status, restarts, c.ready, c.status, c.restarts)
			}
			if s := PodStatusReason(p); s != c.status {
				t.Errorf("PodStatusReason = %q", s)
			}
		})
	}
}

func TestPodsWide(t *testing.T) {
	got := table(t, podZoo()[:4], TableOptions{Now: t0.Add(5 * time.Minute), Wide: true})
	assertText(t, got, `NAME        READY   STATUS              RESTARTS      AGE   IP           NODE       NOMINATED NODE   READINESS GATES
pending     0/1     Pending             0             5m    <none>       <none>     <none>           <none>
creating    0/1     ContainerCreating   0             5m    <none>       worker-1   <none>           <none>
running     1/1     Running             0             5m    10.244.1.5   worker-1   <none>           <none>
restarted   1/1     Running             2 (35s ago)   5m    10.244.1.5   worker-1   <none>           <none>
`)
}

func clusterNodes() []api.Object {
	cp := node("control-plane", "control-plane", corev1.ConditionTrue, "172.18.0.2")
	w1 := node("worker-1", "", corev1.ConditionTrue, "172.18.0.3")
	w2 := node("worker-2", "", corev1.ConditionTrue, "172.18.0.4")
	w2.Spec.Unschedulable = true
	w3 := node("worker-3", "", corev1.ConditionUnknown, "172.18.0.5")
	w3.CreationTimestamp = at(-26 * time.Hour)
	old := node("legacy", "", corev1.ConditionTrue, "172.18.0.6")
	old.Labels["kubernetes.io/role"] = "infra"
	old.Labels["node-role.kubernetes.io/edge"] = "true"
	old.Status.Conditions = nil
	old.Status.NodeInfo.OSImage = ""
	return []api.Object{cp, w1, w2, w3, old}
}

func TestNodes(t *testing.T) {
	now := t0.Add(90 * time.Second)
	assertText(t, table(t, clusterNodes(), TableOptions{Now: now}), `NAME            STATUS                     ROLES           AGE   VERSION
control-plane   Ready                      control-plane   90s   v1.33.1
worker-1        Ready                      <none>          90s   v1.33.1
worker-2        Ready,SchedulingDisabled   <none>          90s   v1.33.1
worker-3        NotReady                   <none>          26h   v1.33.1
legacy          Unknown                    edge,infra      90s   v1.33.1
`)
	assertText(t, table(t, clusterNodes()[:2], TableOptions{Now: now, Wide: true}), `NAME            STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE               KERNEL-VERSION          CONTAINER-RUNTIME
control-plane   Ready    control-plane   90s   v1.33.1   172.18.0.2    <none>        kubetab virtual node   6.1.0-kubetab (amd64)   kubetab://1.0.0
worker-1        Ready    <none>          90s   v1.33.1   172.18.0.3    <none>        kubetab virtual node   6.1.0-kubetab (amd64)   kubetab://1.0.0
`)
}

func TestWorkloadRows(t *testing.T) {
	now := t0.Add(5 * time.Minute)
	wl := workloads()
	cases := []struct {
		name string
		objs []api.Object
		wide bool
		want string
	}{
		{"rc", wl[0:1], false, `NAME    DESIRED   CURRENT   READY   AGE
kubia   3         3         2       5m
`},
		{"rc wide", wl[0:1], true, `NAME    DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES        SELECTOR
kubia   3         3         2       5m    kubia        luksa/kubia   app=kubia
`},
		{"rs wide with matchExpressions", wl[1:2], true, `NAME    DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES        SELECTOR
kubia   3         3         3       5m    kubia        luksa/kubia   app in (kubia)
`},
		{"ds", wl[2:3], false, `NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
ssd-monitor   1         1         1       1            1           disk=ssd        5m
`},
		{"jobs", wl[3:6], false, `NAME                         STATUS     COMPLETIONS   DURATION   AGE
batch-job                    Complete   1/1           2m5s       5m
multi-completion-batch-job   Running    2/5           4m         4m
fresh                        Running    0/1 of 3                 1s
`},
		{"job wide", wl[3:4], true, `NAME        STATUS     COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES            SELECTOR
batch-job   Complete   1/1           2m5s       5m    main         luksa/batch-job   batch.kubernetes.io/controller-uid=uid-job
`},
		{"cronjobs", wl[6:8], false, `NAME      SCHEDULE      TIMEZONE        SUSPEND   ACTIVE   LAST SCHEDULE   AGE
hello     */1 * * * *   <none>          False     1        60s             5m
nightly   0 3 * * *     Europe/Berlin   True      0        <none>          10s
`},
		{"deployment", wl[8:9], false, `NAME               READY   UP-TO-DATE   AVAILABLE   AGE
nginx-deployment   3/3     3            3           18s
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertText(t, table(t, c.objs, TableOptions{Now: now, Wide: c.wide}), c.want)
		})
	}
}

func TestGetAllWithKind(t *testing.T) {
	wl := workloads()
	objs := append([]api.Object{podZoo()[2]}, wl[0], wl[3], wl[4])
	assertText(t, table(t, objs, TableOptions{Now: t0.Add(5 * time.Minute), WithKind: true}), `NAME          READY   STATUS    RESTARTS   AGE
pod/running   1/1     Running   0          5m

NAME                          DESIRED   CURRENT   READY   AGE
replicationcontroller/kubia   3         3         2       5m

NAME                                   STATUS     COMPLETIONS   DURATION   AGE
job.batch/batch-job                    Complete   1/1           2m5s       5m
job.batch/multi-completion-batch-job   Running    2/5           4m         4m
`)
}

func TestNamespaceAndLabelColumns(t *testing.T) {
	a := podZoo()[2].(*corev1.Pod).DeepCopy()
	a.Labels = map[string]string{"app": "kubia", "rel": "beta"}
	b := podZoo()[0].(*corev1.Pod).DeepCopy()
	b.Namespace = "kube-system"
	objs := []api.Object{a, b}
	opts := TableOptions{Now: t0.Add(30 * time.Second), WithNamespace: true, LabelColumns: []string{"app", "example.com/rel"}, ShowLabels: true}
	assertText(t, table(t, objs, opts), `NAMESPACE     NAME      READY   STATUS    RESTARTS   AGE   APP     REL   LABELS
default       running   1/1     Running   0          30s   kubia         app=kubia,rel=beta
kube-system   pending   0/1     Pending   0          30s                 <none>
`)
	opts.NoHeaders = true
	opts.LabelColumns, opts.ShowLabels = nil, false
	assertText(t, table(t, objs, opts), `default       running   1/1   Running   0     30s
kube-system   pending   0/1   Pending   0     30s
`)
	// -A does not add NAMESPACE for cluster-scoped kinds.
	assertText(t, table(t, clusterNodes()[1:2], TableOptions{Now: t0.Add(30 * time.Second), WithNamespace: true}), `NAME       STATUS   ROLES    AGE   VERSION
worker-1   Ready    <none>   30s   v1.33.1
`)
}

func TestEventsTable(t *testing.T) {
	now := t0.Add(155 * time.Second)
	evs := livenessEvents()
	evs[3].Message = "first line\nsecond line"
	evs[1].Count = 0
	evs[1].Source.Host = ""
	var objs []api.Object
	for _, e := range evs[:4] {
		objs = append(objs, e)
	}
	assertText(t, table(t, objs, TableOptions{Now: now}), `LAST SEEN   TYPE      REASON      OBJECT               MESSAGE
20s         Warning   Unhealthy   pod/kubia-liveness   Liveness probe failed: HTTP probe failed with statuscode: 500
2m35s       Normal    Scheduled   pod/kubia-liveness   Successfully assigned default/kubia-liveness to worker-1
14s         Normal    Pulling     pod/kubia-liveness   Pulling image "luksa/kubia-unhealthy"
2m31s       Normal    Pulled      pod/kubia-liveness   first line...
`)
	evs[0].Source.Host = "worker-1"
	evs[0].InvolvedObject.FieldPath = "spec.containers{kubia}"
	assertText(t, table(t, objs[:2], TableOptions{Now: now, Wide: true}), `LAST SEEN   TYPE      REASON      OBJECT               SUBOBJECT                SOURCE              MESSAGE                                                         FIRST SEEN   COUNT   NAME
20s         Warning   Unhealthy   pod/kubia-liveness   spec.containers{kubia}   kubelet, worker-1   Liveness probe failed: HTTP probe failed with statuscode: 500   40s          3       kubia-liveness.Unhealthy
2m35s       Normal    Scheduled   pod/kubia-liveness                            default-scheduler   Successfully assigned default/kubia-liveness to worker-1        2m35s        1       kubia-liveness.Scheduled
`)
}

func TestSmallKinds(t *testing.T) {
	now := t0.Add(3 * time.Hour)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default", CreationTimestamp: at(0)}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kube-root-ca.crt", Namespace: "default", CreationTimestamp: at(0)},
		Data: map[string]string{"ca.crt": "x"}}
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: "default", CreationTimestamp: at(0)},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, ClusterIP: "10.96.0.1", ClusterIPs: []string{"10.96.0.1"},
			Ports: []corev1.ServicePort{{Port: 443, Protocol: corev1.ProtocolTCP}}}}
	np := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "kubia-nodeport", Namespace: "default", CreationTimestamp: at(2*time.Hour + 55*time.Minute)},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, ClusterIP: "10.96.12.7", ClusterIPs: []string{"10.96.12.7"},
			Ports: []corev1.ServicePort{{Port: 80, NodePort: 30123, Protocol: corev1.ProtocolTCP}}}}
	lb := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "kubia-lb", Namespace: "default", CreationTimestamp: at(2*time.Hour + 59*time.Minute)},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, ClusterIP: "10.96.3.3", ClusterIPs: []string{"10.96.3.3"},
			Ports: []corev1.ServicePort{{Port: 80, NodePort: 32143, Protocol: corev1.ProtocolTCP}}}}
	assertText(t, table(t, []api.Object{ns}, TableOptions{Now: now}), "NAME      STATUS   AGE\ndefault   Active   3h\n")
	assertText(t, table(t, []api.Object{cm}, TableOptions{Now: now}), "NAME               DATA   AGE\nkube-root-ca.crt   1      3h\n")
	assertText(t, table(t, []api.Object{svc, np, lb}, TableOptions{Now: now}), `NAME             TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
kubernetes       ClusterIP      10.96.0.1    <none>        443/TCP        3h
kubia-nodeport   NodePort       10.96.12.7   <none>        80:30123/TCP   5m
kubia-lb         LoadBalancer   10.96.3.3    <pending>     80:32143/TCP   60s
`)
}

func TestUnknownKind(t *testing.T) {
	var b bytes.Buffer
	if err := PrintTable(&b, []api.Object{&corev1.ServiceAccount{}}, TableOptions{}); err == nil {
		t.Fatal("want an error for a kind without a printer")
	}
}

func TestNoResourcesMessage(t *testing.T) {
	for _, c := range []struct {
		ns   string
		all  bool
		want string
	}{
		{"default", false, "No resources found in default namespace."},
		{"kube-system", false, "No resources found in kube-system namespace."},
		{"default", true, "No resources found"},
		{"", false, "No resources found"},
	} {
		if got := NoResourcesMessage(c.ns, c.all); got != c.want {
			t.Errorf("NoResourcesMessage(%q, %v) = %q, want %q", c.ns, c.all, got, c.want)
		}
	}
}

func TestAge(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{-2 * time.Second, "<invalid>"},
		{-1500 * time.Millisecond, "0s"},
		{0, "0s"},
		{999 * time.Millisecond, "0s"},
		{59 * time.Second, "59s"},
		{119 * time.Second, "119s"},
		{120 * time.Second, "2m"},
		{125 * time.Second, "2m5s"},
		{9*time.Minute + 59*time.Second, "9m59s"},
		{10 * time.Minute, "10m"},
		{95 * time.Minute, "95m"},
		{179 * time.Minute, "179m"},
		{3 * time.Hour, "3h"},
		{3*time.Hour + 20*time.Minute, "3h20m"},
		{7*time.Hour + 59*time.Minute, "7h59m"},
		{8*time.Hour + 30*time.Minute, "8h"},
		{30 * time.Hour, "30h"},
		{47 * time.Hour, "47h"},
		{48 * time.Hour, "2d"},
		{76 * time.Hour, "3d4h"},
		{8 * 24 * time.Hour, "8d"},
		{729 * 24 * time.Hour, "729d"},
		{730 * 24 * time.Hour, "2y"},
		{(3*365 + 40) * 24 * time.Hour, "3y40d"},
		{9 * 365 * 24 * time.Hour, "9y"},
	} {
		if got := Age(at(0), t0.Add(c.d)); got != c.want {
			t.Errorf("Age(%v) = %q, want %q", c.d, got, c.want)
		}
	}
	if got := Age(metav1.Time{}, t0); got != "<unknown>" {
		t.Errorf("zero time: %q", got)
	}
}
