package smp

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

const podV1 = `
apiVersion: v1
kind: Pod
metadata:
  name: kubia
  labels: {app: kubia, tier: web}
  annotations: {team: a}
spec:
  containers:
  - name: main
    image: luksa/kubia
    ports:
    - containerPort: 8080
      protocol: TCP
    env:
    - {name: A, value: "1"}
    - {name: B, value: "2"}
    resources:
      requests: {cpu: 100m, memory: 64Mi}
  - name: sidecar
    image: busybox
    command: [sleep, "3600"]
  volumes:
  - name: data
    emptyDir: {}
  tolerations:
  - {key: k1, operator: Exists, effect: NoSchedule}
  nodeSelector: {disk: ssd}
`

// livePod is podV1 as the API server returns it: defaults, status, and a label someone
// added with kubectl label.
const livePod = `
apiVersion: v1
kind: Pod
metadata:
  name: kubia
  namespace: default
  uid: u-1
  resourceVersion: "7"
  creationTimestamp: "2026-01-01T09:00:00Z"
  labels: {app: kubia, tier: web, extra: "yes"}
  annotations: {team: a}
  finalizers: [example.com/keep]
spec:
  containers:
  - name: main
    image: luksa/kubia
    imagePullPolicy: Always
    ports:
    - containerPort: 8080
      protocol: TCP
    env:
    - {name: A, value: "1"}
    - {name: B, value: "2"}
    resources:
      requests: {cpu: 100m, memory: 64Mi}
    terminationMessagePath: /dev/termination-log
  - name: sidecar
    image: busybox
    command: [sleep, "3600"]
    imagePullPolicy: Always
  - name: injected
    image: proxy
  volumes:
  - name: data
    emptyDir: {}
  - name: kube-api-access
    projected:
      sources:
      - serviceAccountToken: {path: token, expirationSeconds: 3607}
  tolerations:
  - {key: k1, operator: Exists, effect: NoSchedule}
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
  nodeSelector: {disk: ssd}
  restartPolicy: Always
  dnsPolicy: ClusterFirst
  schedulerName: default-scheduler
status:
  phase: Running
  conditions:
  - {type: Ready, status: "True"}
`

// edit returns doc with each old string replaced by its new one; each must occur.
func edit(tb testing.TB, doc string, pairs ...string) string {
	tb.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(doc, pairs[i]) {
			tb.Fatalf("edit: %q not in document", pairs[i])
		}
		doc = strings.Replace(doc, pairs[i], pairs[i+1], 1)
	}
	return doc
}

func TestThreeWayPod(t *testing.T) {
	cases := []struct {
		name     string
		modified []string // edits of podV1
		current  []string // edits of livePod
		// want are substrings the applied object must contain, wantNot must not.
		want, wantNot []string
	}{
		{name: "unchanged"},
		{name: "container image changed", modified: []string{"image: busybox", "image: busybox:1.36"}, want: []string{`"busybox:1.36"`}},
		{name: "container added", modified: []string{"  volumes:", "  - name: new\n    image: nginx\n  volumes:"}, want: []string{`"nginx"`}},
		{name: "container added first", modified: []string{"  containers:\n", "  containers:\n  - name: first\n    image: nginx\n"}},
		{name: "container removed", modified: []string{"  - name: sidecar\n    image: busybox\n    command: [sleep, \"3600\"]\n", ""}, wantNot: []string{`"sidecar"`}, want: []string{`"injected"`}},
		{name: "containers reordered", modified: []string{
			"  - name: main\n", "  - name: sidecar\n    image: busybox\n    command: [sleep, \"3600\"]\n  - name: main\n",
			"  - name: sidecar\n    image: busybox\n    command: [sleep, \"3600\"]\n  volumes", "  volumes"}},
		{name: "container renamed", modified: []string{"  - name: sidecar\n", "  - name: helper\n"}, want: []string{`"helper"`}, wantNot: []string{`"sidecar"`}},
		{name: "env var added", modified: []string{`- {name: B, value: "2"}`, `- {name: B, value: "2"}` + "\n    - {name: C, value: \"3\"}"}},
		{name: "env var removed", modified: []string{"    - {name: A, value: \"1\"}\n", ""}, wantNot: []string{`"A"`}},
		{name: "env var changed", modified: []string{`value: "2"`, `value: "22"`}},
		{name: "env var value to valueFrom", modified: []string{`- {name: B, value: "2"}`, `- {name: B, valueFrom: {fieldRef: {fieldPath: metadata.name}}}`}},
		{name: "env reordered", modified: []string{"    - {name: A, value: \"1\"}\n    - {name: B, value: \"2\"}", "    - {name: B, value: \"2\"}\n    - {name: A, value: \"1\"}"}},
		{name: "port added", modified: []string{"      protocol: TCP\n", "      protocol: TCP\n    - containerPort: 9090\n      name: metrics\n"}},
		{name: "port changed", modified: []string{"containerPort: 8080", "containerPort: 8081"}},
		{name: "port protocol removed", modified: []string{"      protocol: TCP\n", ""}},
		{name: "ports removed", modified: []string{"    ports:\n    - containerPort: 8080\n      protocol: TCP\n", ""}},
		{name: "volume source changed (retainKeys)", modified: []string{"    emptyDir: {}", "    hostPath: {path: /data}"}},
		{name: "volume added", modified: []string{"    emptyDir: {}", "    emptyDir: {}\n  - name: cfg\n    configMap: {name: cfg}"}},
		{name: "volume removed", modified: []string{"  volumes:\n  - name: data\n    emptyDir: {}\n", ""}},
		{name: "label added", modified: []string{"tier: web}", "tier: web, new: x}"}},
		{name: "label removed", modified: []string{"app: kubia, tier: web", "app: kubia"}, wantNot: []string{`"tier"`}, want: []string{`"extra"`}},
		{name: "labels removed", modified: []string{"  labels: {app: kubia, tier: web}\n", ""}},
		{name: "annotation changed", modified: []string{"team: a", "team: b"}},
		{name: "annotations removed", modified: []string{"  annotations: {team: a}\n", ""}},
		{name: "toleration added (atomic list)", modified: []string{"effect: NoSchedule}", "effect: NoSchedule}\n  - {key: k2, operator: Equal, value: v, effect: NoExecute}"}},
		{name: "toleration removed", modified: []string{"  tolerations:\n  - {key: k1, operator: Exists, effect: NoSchedule}\n", ""}},
		{name: "finalizer added", modified: []string{"  annotations: {team: a}\n", "  annotations: {team: a}\n  finalizers: [example.com/mine]\n"}},
		{name: "node selector replaced", modified: []string{"nodeSelector: {disk: ssd}", "nodeSelector: {gpu: \"true\"}"}},
		{name: "node selector removed", modified: []string{"  nodeSelector: {disk: ssd}\n", ""}},
		{name: "command changed (atomic list)", modified: []string{`command: [sleep, "3600"]`, `command: [sh, -c, "sleep 10"]`}},
		{name: "command removed", modified: []string{"    command: [sleep, \"3600\"]\n", ""}},
		{name: "resources changed", modified: []string{"cpu: 100m", "cpu: 200m"}},
		{name: "resources limits added", modified: []string{"requests: {cpu: 100m, memory: 64Mi}", "requests: {cpu: 100m, memory: 64Mi}\n      limits: {memory: 128Mi}"}},
		{name: "probe added", modified: []string{"    image: luksa/kubia\n", "    image: luksa/kubia\n    livenessProbe:\n      httpGet: {path: /, port: 8080}\n      initialDelaySeconds: 15\n"}},
		{name: "live edit overwritten", current: []string{"image: luksa/kubia", "image: luksa/kubia:v2"}},
		{name: "live container removed by someone, manifest unchanged", current: []string{"  - name: sidecar\n    image: busybox\n    command: [sleep, \"3600\"]\n    imagePullPolicy: Always\n", ""}},
		{name: "live env reordered", current: []string{"    - {name: A, value: \"1\"}\n    - {name: B, value: \"2\"}", "    - {name: B, value: \"2\"}\n    - {name: A, value: \"1\"}"}},
		{name: "live finalizers reordered", current: []string{"finalizers: [example.com/keep]", "finalizers: [b.example.com/x, a.example.com/y, example.com/keep]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			original := mustJSON(t, podV1)
			modified := mustJSON(t, edit(t, podV1, c.modified...))
			current := mustJSON(t, edit(t, livePod, c.current...))
			got := compareThreeWay(t, original, modified, current, &corev1.Pod{})
			if got.err != nil {
				t.Fatal(got.err)
			}
			for _, w := range c.want {
				if !strings.Contains(string(got.applied), w) {
					t.Errorf("result lacks %s: %s", w, got.applied)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(string(got.applied), w) {
					t.Errorf("result has %s: %s", w, got.applied)
				}
			}
		})
	}
}

// TestThreeWayNoOriginal is apply on an object created without --save-config: no
// last-applied configuration, so nothing is deleted.
func TestThreeWayNoOriginal(t *testing.T) {
	modified := mustJSON(t, edit(t, podV1, "app: kubia, tier: web", "app: kubia"))
	got := compareThreeWay(t, nil, modified, mustJSON(t, livePod), &corev1.Pod{})
	if !strings.Contains(string(got.applied), `"tier"`) {
		t.Errorf("a label was deleted without a last-applied configuration: %s", got.applied)
	}
}

func TestThreeWayWorkloads(t *testing.T) {
	const rc = `
apiVersion: v1
kind: ReplicationController
metadata: {name: kubia}
spec:
  replicas: 3
  selector: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports: [{containerPort: 8080}]
`
	const rs = `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: kubia}
spec:
  replicas: 3
  selector:
    matchLabels: {app: kubia}
    matchExpressions:
    - {key: app, operator: In, values: [kubia]}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
`
	const ds = `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ssd-monitor}
spec:
  selector:
    matchLabels: {app: ssd-monitor}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {app: ssd-monitor}
    spec:
      nodeSelector: {disk: ssd}
      containers:
      - name: main
        image: luksa/ssd-monitor
`
	const job = `
apiVersion: batch/v1
kind: Job
metadata: {name: batch-job}
spec:
  completions: 5
  parallelism: 2
  backoffLimit: 4
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: main, operator: In, values: [42]}
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: main
        image: luksa/batch-job
`
	const cj = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: batch-job-every-fifteen-minutes}
spec:
  schedule: "0,15,30,45 * * * *"
  startingDeadlineSeconds: 15
  jobTemplate:
    spec:
      template:
        metadata:
          labels: {app: periodic-batch-job}
        spec:
          restartPolicy: OnFailure
          containers:
          - name: main
            image: luksa/batch-job
`
	cases := []struct {
		name       string
		doc        string
		dataStruct any
		modified   []string
		current    []string
	}{
		{"rc replicas", rc, &corev1.ReplicationController{}, []string{"replicas: 3", "replicas: 5"}, nil},
		{"rc selector changed", rc, &corev1.ReplicationController{}, []string{"selector: {app: kubia}", "selector: {app: kubia, v: \"2\"}", "labels: {app: kubia}", "labels: {app: kubia, v: \"2\"}"}, nil},
		{"rc template container added", rc, &corev1.ReplicationController{}, []string{"ports: [{containerPort: 8080}]", "ports: [{containerPort: 8080}]\n      - name: logger\n        image: busybox"}, nil},
		{"rc scaled live, manifest unchanged", rc, &corev1.ReplicationController{}, nil, []string{"replicas: 3", "replicas: 10"}},
		{"rs matchExpressions values", rs, &appsv1.ReplicaSet{}, []string{"values: [kubia]", "values: [kubia, kubia2]"}, nil},
		{"rs matchExpressions removed", rs, &appsv1.ReplicaSet{}, []string{"    matchExpressions:\n    - {key: app, operator: In, values: [kubia]}\n", ""}, nil},
		{"rs template labels", rs, &appsv1.ReplicaSet{}, []string{"    metadata:\n      labels: {app: kubia}", "    metadata:\n      labels: {app: kubia, env: prod}"}, nil},
		{"ds node selector", ds, &appsv1.DaemonSet{}, []string{"nodeSelector: {disk: ssd}", "nodeSelector: {disk: nvme}"}, nil},
		{"ds update strategy", ds, &appsv1.DaemonSet{}, []string{"    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: 1}", "    type: OnDelete"}, nil},
		{"ds maxUnavailable percent", ds, &appsv1.DaemonSet{}, []string{"maxUnavailable: 1", "maxUnavailable: 25%"}, nil},
		{"job parallelism", job, &batchv1.Job{}, []string{"parallelism: 2", "parallelism: 3"}, nil},
		{"job pod failure policy values", job, &batchv1.Job{}, []string{"values: [42]", "values: [42, 43]"}, nil},
		{"job pod failure policy removed", job, &batchv1.Job{}, []string{"  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {containerName: main, operator: In, values: [42]}\n", ""}, nil},
		{"cronjob schedule", cj, &batchv1.CronJob{}, []string{`"0,15,30,45 * * * *"`, `"*/5 * * * *"`}, nil},
		{"cronjob nested container image", cj, &batchv1.CronJob{}, []string{"image: luksa/batch-job", "image: luksa/batch-job:v2"}, nil},
		{"cronjob deadline removed", cj, &batchv1.CronJob{}, []string{"  startingDeadlineSeconds: 15\n", ""}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := compareThreeWay(t, mustJSON(t, c.doc), mustJSON(t, edit(t, c.doc, c.modified...)), mustJSON(t, edit(t, c.doc, c.current...)), c.dataStruct)
			if got.err != nil {
				t.Fatal(got.err)
			}
		})
	}
}

// TestThreeWayPatchShape pins the directives kubectl sends, byte for byte as upstream.
func TestThreeWayPatchShape(t *testing.T) {
	original := mustJSON(t, podV1)
	modified := mustJSON(t, edit(t, podV1,
		"    - {name: A, value: \"1\"}\n", "",
		"  - name: sidecar\n    image: busybox\n    command: [sleep, \"3600\"]\n", "",
		"    emptyDir: {}", "    hostPath: {path: /data}",
		"  annotations: {team: a}\n", "  annotations: {team: a}\n  finalizers: [z, a]\n"))
	current := mustJSON(t, livePod)
	up, err := upstreamThreeWay(original, modified, current, &corev1.Pod{})
	if err != nil {
		t.Fatal(err)
	}
	ours, err := CreateThreeWayMergePatch(original, modified, current, &corev1.Pod{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if string(up) != string(ours) {
		t.Errorf("patch bytes differ\nupstream %s\nours     %s", up, ours)
	}
	for _, want := range []string{`"$setElementOrder/containers"`, `"$patch":"delete"`, `"$retainKeys":["hostPath","name"]`, `"$setElementOrder/finalizers"`, `"$setElementOrder/env"`} {
		if !strings.Contains(string(ours), want) {
			t.Errorf("patch lacks %s: %s", want, ours)
		}
	}
}

func TestThreeWayConflict(t *testing.T) {
	original := mustJSON(t, podV1)
	modified := mustJSON(t, edit(t, podV1, "image: busybox", "image: busybox:1"))
	current := mustJSON(t, edit(t, podV1, "image: busybox", "image: busybox:2"))
	if _, err := CreateThreeWayMergePatch(original, modified, current, &corev1.Pod{}, false); err == nil {
		t.Error("no conflict reported for a field changed on both sides")
	}
	if _, err := CreateThreeWayMergePatch(original, modified, original, &corev1.Pod{}, false); err != nil {
		t.Errorf("conflict reported with an unchanged live object: %v", err)
	}
	if _, err := CreateThreeWayMergePatch(original, modified, current, &corev1.Pod{}, true); err != nil {
		t.Errorf("overwrite: %v", err)
	}
}
