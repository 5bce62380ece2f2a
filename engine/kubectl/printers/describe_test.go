package printers

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/api"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func describe(t *testing.T, obj api.Object, d DescribeContext) string {
	t.Helper()
	var b bytes.Buffer
	if err := Describe(&b, obj, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The trailing spaces after the condition statuses are kubectl's (`%v \t%v \n`).
func TestDescribePodAfterLivenessKill(t *testing.T) {
	got := describe(t, livenessPod(), DescribeContext{Now: t0.Add(155 * time.Second), Events: livenessEvents()})
	assertText(t, got, `Name:             kubia-liveness
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-1/172.18.0.3
Start Time:       Mon, 04 Mar 2024 10:00:00 +0000
Labels:           <none>
Annotations:      <none>
Status:           Running
IP:               10.244.1.5
IPs:
  IP:  10.244.1.5
Containers:
  kubia:
    Container ID:   containerd://3f4b5a1c9e2d
    Image:          luksa/kubia-unhealthy
    Image ID:       docker.io/luksa/kubia-unhealthy@sha256:5c746a42612be61209417d913030d97555cff0b8225092908c57634ad7c235f7
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Mon, 04 Mar 2024 10:02:22 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Mon, 04 Mar 2024 10:00:05 +0000
      Finished:     Mon, 04 Mar 2024 10:02:21 +0000
    Ready:          True
    Restart Count:  1
    Liveness:       http-get http://:8080/ delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7xk2p (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True `+`
  Initialized                 True `+`
  Ready                       True `+`
  ContainersReady             True `+`
  PodScheduled                True `+`
Volumes:
  kube-api-access-7xk2p:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                  From               Message
  ----     ------     ----                 ----               -------
  Normal   Scheduled  2m35s                default-scheduler  Successfully assigned default/kubia-liveness to worker-1
  Normal   Pulled     2m31s                kubelet            spec.containers{kubia}: Successfully pulled image "luksa/kubia-unhealthy" in 3.2s (3.2s including waiting). Image size: 263841919 bytes.
  Warning  Unhealthy  20s (x3 over 40s)    kubelet            spec.containers{kubia}: Liveness probe failed: HTTP probe failed with statuscode: 500
  Normal   Killing    20s                  kubelet            spec.containers{kubia}: Container kubia failed liveness probe, will be restarted
  Normal   Pulling    14s (x2 over 2m34s)  kubelet            spec.containers{kubia}: Pulling image "luksa/kubia-unhealthy"
  Normal   Created    13s (x2 over 2m30s)  kubelet            spec.containers{kubia}: Created container: kubia
  Normal   Started    13s (x2 over 2m30s)  kubelet            spec.containers{kubia}: Started container kubia
`)
}

func TestDescribePodPendingTerminating(t *testing.T) {
	p := basePod("kubia-x7k2p")
	p.Labels = map[string]string{"app": "kubia", "tier": "web"}
	p.Annotations = map[string]string{"kubectl.kubernetes.io/last-applied-configuration": "{}", "note": "hi"}
	p.OwnerReferences = controllerRef("ReplicationController", "kubia", "uid-rc")
	p.DeletionTimestamp = atp(50 * time.Second)
	p.DeletionGracePeriodSeconds = i64(30)
	p.Spec.Containers[0].Command = []string{"sh", "-c", "echo hi;\nsleep 10"}
	p.Spec.Containers[0].Env = []corev1.EnvVar{
		{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
		{Name: "GREETING", Value: "hello"},
	}
	p.Spec.Containers[0].ReadinessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}},
		InitialDelaySeconds: 5, TimeoutSeconds: 1, PeriodSeconds: 5, SuccessThreshold: 1, FailureThreshold: 3}
	p.Spec.NodeSelector = map[string]string{"disk": "ssd"}
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse}}
	got := describe(t, p, DescribeContext{Now: t0.Add(60 * time.Second)})
	assertText(t, got, `Name:                      kubia-x7k2p
Namespace:                 default
Node:                      <none>
Labels:                    app=kubia
                           tier=web
Annotations:               note: hi
Status:                    Terminating (lasts 10s)
Termination Grace Period:  30s
IP:                        `+`
IPs:                       <none>
Controlled By:             ReplicationController/kubia
Containers:
  main:
    Image:      busybox
    Port:       <none>
    Host Port:  <none>
    Command:
      sh
      -c
      echo hi;
      sleep 10
    Readiness:  exec [cat /tmp/healthy] delay=5s timeout=1s period=5s successThreshold=1 failureThreshold=3
    Environment:
      POD_NAME:  kubia-x7k2p (v1:metadata.name)
      GREETING:  hello
    Mounts:      <none>
Conditions:
  Type           Status
  PodScheduled   False `+`
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  disk=ssd
Tolerations:     <none>
Events:          <none>
`)
}

func rcPodsAndEvents() ([]*corev1.Pod, []*corev1.Event) {
	var pods []*corev1.Pod
	var evs []*corev1.Event
	for i, ph := range []corev1.PodPhase{corev1.PodRunning, corev1.PodRunning, corev1.PodPending} {
		p := basePod(fmt.Sprintf("kubia-%d", i))
		p.OwnerReferences = controllerRef("ReplicationController", "kubia", "uid-rc")
		p.Status.Phase = ph
		pods = append(pods, p)
		evs = append(evs, &corev1.Event{Type: "Normal", Reason: "SuccessfulCreate", Message: "Created pod: " + p.Name,
			Source:         corev1.EventSource{Component: "replication-controller"},
			FirstTimestamp: at(time.Duration(i) * time.Millisecond), LastTimestamp: at(time.Duration(i) * time.Millisecond), Count: 1})
	}
	// Matches the selector but is not controlled by the RC: not counted.
	pods = append(pods, basePod("stranger"))
	return pods, evs
}

func TestDescribeReplicationController(t *testing.T) {
	pods, evs := rcPodsAndEvents()
	got := describe(t, workloads()[0], DescribeContext{Now: t0.Add(5 * time.Minute), Pods: pods, Events: evs})
	assertText(t, got, `Name:         kubia
Namespace:    default
Selector:     app=kubia
Labels:       app=kubia
Annotations:  <none>
Replicas:     3 current / 3 desired
Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=kubia
  Containers:
   kubia:
    Image:         luksa/kubia
    Port:          8080/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age    From                    Message
  ----    ------            ----   ----                    -------
  Normal  SuccessfulCreate  5m     replication-controller  Created pod: kubia-0
  Normal  SuccessfulCreate  4m59s  replication-controller  Created pod: kubia-1
  Normal  SuccessfulCreate  4m59s  replication-controller  Created pod: kubia-2
`)
}

func TestDescribeReplicaSetAndDaemonSet(t *testing.T) {
	now := t0.Add(5 * time.Minute)
	assertText(t, describe(t, workloads()[1], DescribeContext{Now: now}), `Name:         kubia
Namespace:    default
Selector:     app in (kubia)
Labels:       <none>
Annotations:  <none>
Replicas:     3 current / 3 desired
Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=kubia
  Containers:
   kubia:
    Image:         luksa/kubia
    Port:          8080/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`)
	assertText(t, describe(t, workloads()[2], DescribeContext{Now: now}), `Name:           ssd-monitor
Namespace:      default
Selector:       app=ssd-monitor
Node-Selector:  disk=ssd
Labels:         <none>
Annotations:    <none>
Desired Number of Nodes Scheduled: 1
Current Number of Nodes Scheduled: 1
Number of Nodes Scheduled with Up-to-date Pods: 1
Number of Nodes Scheduled with Available Pods: 1
Number of Nodes Misscheduled: 0
Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=ssd-monitor
  Containers:
   main:
    Image:         luksa/ssd-monitor
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  disk=ssd
  Tolerations:     <none>
Events:            <none>
`)
}

func TestDescribeJobAndCronJob(t *testing.T) {
	now := t0.Add(5 * time.Minute)
	wl := workloads()
	job := wl[3].(*batchv1.Job)
	job.Labels = map[string]string{"app": "batch-job"}
	mode := batchv1.NonIndexedCompletion
	job.Spec.CompletionMode = &mode
	job.Spec.Suspend = boolp(false)
	job.Spec.BackoffLimit = i32(6)
	job.Status.Ready = i32(0)
	assertText(t, describe(t, job, DescribeContext{Now: now}), `Name:             batch-job
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=uid-job
Labels:           app=batch-job
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    6
Start Time:       Mon, 04 Mar 2024 10:00:00 +0000
Completed At:     Mon, 04 Mar 2024 10:02:05 +0000
Duration:         2m5s
Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed
Pod Template:
  Labels:  app=batch-job
  Containers:
   main:
    Image:         luksa/batch-job
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`)
	cj := wl[6].(*batchv1.CronJob)
	cj.Spec.ConcurrencyPolicy = batchv1.AllowConcurrent
	cj.Spec.SuccessfulJobsHistoryLimit = i32(3)
	cj.Spec.FailedJobsHistoryLimit = i32(1)
	assertText(t, describe(t, cj, DescribeContext{Now: now}), `Name:                          hello
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      */1 * * * *
Concurrency Policy:            Allow
Suspend:                       False
Time Zone:                     <unset>
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
Pod Template:
  Labels:  app=batch-job
  Containers:
   main:
    Image:           luksa/batch-job
    Port:            <none>
    Host Port:       <none>
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
  Node-Selectors:    <none>
  Tolerations:       <none>
Last Schedule Time:  Mon, 04 Mar 2024 10:04:00 +0000
Active Jobs:         hello-28493284
Events:              <none>
`)
}

func TestDescribeNode(t *testing.T) {
	n := node("control-plane", "control-plane", corev1.ConditionTrue, "172.18.0.2")
	n.Spec.Taints = []corev1.Taint{{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}}
	n.Spec.PodCIDR = "10.244.0.0/24"
	n.Spec.PodCIDRs = []string{"10.244.0.0/24"}
	etcd := basePod("etcd")
	etcd.Namespace = "kube-system"
	etcd.Spec.NodeName = "control-plane"
	etcd.Spec.Containers[0].Resources.Requests = corev1.ResourceList{"cpu": mustQ("100m"), "memory": mustQ("100Mi")}
	api := basePod("kube-apiserver")
	api.Namespace = "kube-system"
	api.Spec.NodeName = "control-plane"
	api.Spec.Containers[0].Resources.Requests = corev1.ResourceList{"cpu": mustQ("250m")}
	done := basePod("finished")
	done.Spec.NodeName = "control-plane"
	done.Status.Phase = corev1.PodSucceeded
	got := describe(t, n, DescribeContext{Now: t0.Add(5 * time.Minute), Pods: []*corev1.Pod{api, done, etcd}})
	assertText(t, got, `Name:               control-plane
Roles:              control-plane
Labels:             kubernetes.io/arch=amd64
                    kubernetes.io/hostname=control-plane
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/control-plane=
Annotations:        <none>
CreationTimestamp:  Mon, 04 Mar 2024 10:00:00 +0000
Taints:             node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  control-plane
  AcquireTime:     <unset>
  RenewTime:       Mon, 04 Mar 2024 10:04:50 +0000
Conditions:
  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
  ----    ------  -----------------                 ------------------                ------         -------
  Ready   True    Mon, 04 Mar 2024 10:04:50 +0000   Mon, 04 Mar 2024 10:00:05 +0000   KubeletReady   kubelet is posting ready status
Addresses:
  InternalIP:  172.18.0.2
  Hostname:    control-plane
Capacity:
  cpu:                2
  ephemeral-storage:  20Gi
  memory:             4Gi
  pods:               110
Allocatable:
  cpu:                2
  ephemeral-storage:  20Gi
  memory:             4Gi
  pods:               110
System Info:
  Machine ID:                 m-control-plane
  System UUID:                s-control-plane
  Boot ID:                    b-control-plane
  Kernel Version:             6.1.0-kubetab
  OS Image:                   kubetab virtual node
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  kubetab://1.0.0
  Kubelet Version:            v1.33.1
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (2 in total)
  Namespace                   Name              CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----              ------------  ----------  ---------------  -------------  ---
  kube-system                 etcd              100m (5%)     0 (0%)      100Mi (2%)       0 (0%)         5m
  kube-system                 kube-apiserver    250m (12%)    0 (0%)      0 (0%)           0 (0%)         5m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                350m (17%)  0 (0%)
  memory             100Mi (2%)  0 (0%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:              <none>
`)
}

func TestDescribeNamespaceAndConfigMap(t *testing.T) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default", Labels: map[string]string{"kubernetes.io/metadata.name": "default"}},
		Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}
	assertText(t, describe(t, ns, DescribeContext{}), `Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
`)
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "fortune-config", Namespace: "default"}, Data: map[string]string{"sleep-interval": "25"}}
	assertText(t, describe(t, cm, DescribeContext{}), `Name:         fortune-config
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
sleep-interval:
----
25


BinaryData
====

Events:  <none>
`)
}

func TestDescribeUnknownKind(t *testing.T) {
	if err := Describe(&bytes.Buffer{}, &corev1.ServiceAccount{}, DescribeContext{}); err == nil {
		t.Fatal("want an error")
	}
}

func TestDescribeProbe(t *testing.T) {
	tcp := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstrFromInt(8080)}},
		InitialDelaySeconds: 15, TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}
	if got, want := DescribeProbe(tcp), "tcp-socket :8080 delay=15s timeout=1s period=10s successThreshold=1 failureThreshold=3"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

// describe deployment names as new the oldest ReplicaSet whose template is the Deployment's
// (the hash label aside), as old all the others, by name, even those scaled to 0.
func TestDeploymentReplicaSets(t *testing.T) {
	dep := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: *kubiaTemplate()}}
	rs := func(name string, replicas int32, created time.Duration, image string) *appsv1.ReplicaSet {
		tmpl := kubiaTemplate()
		tmpl.Labels = map[string]string{"app": "kubia", appsv1.DefaultDeploymentUniqueLabelKey: name}
		if image != "" {
			tmpl.Spec.Containers[0].Image = image
		}
		return &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: at(created)},
			Spec:       appsv1.ReplicaSetSpec{Replicas: i32(replicas), Template: *tmpl},
			Status:     appsv1.ReplicaSetStatus{Replicas: replicas},
		}
	}
	rss := []*appsv1.ReplicaSet{rs("web-c", 2, 10, "v2"), rs("web-b", 0, 5, "v1"), rs("web-a", 1, 20, "v3"), rs("web-d", 3, 30, ""), rs("web-e", 0, 40, "")}
	old, newRS := deploymentReplicaSets(dep, rss)
	var names []string
	for _, r := range old {
		names = append(names, r.Name)
	}
	if fmt.Sprint(names) != "[web-a web-b web-c web-e]" || newRS == nil || newRS.Name != "web-d" {
		t.Errorf("old %v, new %v; want [web-a web-b web-c web-e] and web-d", names, newRS.GetName())
	}
	got := describe(t, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.DeploymentSpec{Template: *kubiaTemplate()}}, DescribeContext{})
	if strings.Contains(got, "ReplicaSet") {
		t.Errorf("a Deployment without ReplicaSets:\n%s", got)
	}
}
