package kubectl

import (
	"regexp"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// containerFiles are the manifests of the container-behaviour scenarios (docs and book).
var containerFiles = map[string]string{
	"exec-liveness.yaml": `apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: ["cat", "/tmp/healthy"]
      initialDelaySeconds: 5
      periodSeconds: 5
`,
	"pi.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
`,
	"cronjob.yaml": `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]
          restartPolicy: OnFailure
`,
	"env.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: envtest
  labels:
    app: demo
  annotations:
    owner: team-a
spec:
  serviceAccountName: default
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo $POD_NAME/$POD_NS $APP $OWNER $NODE $COLOR $GREETING; echo $(POD_NAME) is ignored by sh; sleep 3600"]
    args: []
    env:
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: POD_NS
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    - name: APP
      valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}
    - name: OWNER
      valueFrom: {fieldRef: {fieldPath: "metadata.annotations['owner']"}}
    - name: NODE
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: MEM
      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
    - name: GREETING
      value: "hello $(POD_NAME) $$(POD_NAME) $(NOPE)"
    - name: COLOR
      valueFrom: {configMapKeyRef: {name: settings, key: color}}
    envFrom:
    - configMapRef: {name: settings}
      prefix: CM_
    resources:
      limits: {memory: 64Mi}
`,
	"settings.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: blue
  size: large
`,
	"init.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: myapp
spec:
  initContainers:
  - name: init-wait
    image: busybox:1.28
    command: ["sh", "-c", "echo waiting; sleep 20; echo ready > /work/flag"]
    volumeMounts: [{name: work, mountPath: /work}]
  containers:
  - name: app
    image: busybox:1.28
    command: ["sh", "-c", "cat /work/flag; sleep 3600"]
    volumeMounts: [{name: work, mountPath: /work}]
  - name: side
    image: busybox:1.28
    command: ["sh", "-c", "echo side; sleep 3600"]
  volumes:
  - name: work
    emptyDir: {}
`,
	"init-fail.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: initfail
spec:
  restartPolicy: Never
  initContainers:
  - name: check
    image: busybox
    command: ["sh", "-c", "echo nope; exit 3"]
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
`,
	"sidecar.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: withsidecar
spec:
  restartPolicy: Never
  initContainers:
  - name: logger
    image: busybox
    restartPolicy: Always
    command: ["sh", "-c", "while true; do echo tick; sleep 10; done"]
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "sleep 25; echo done"]
`,
	"init-loop.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: initloop
spec:
  initContainers:
  - name: check
    image: busybox
    command: ["false"]
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
`,
	"kubia-rc.yaml": `apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
`,
	"indexed-job.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: indexed-job
spec:
  completions: 5
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: input
        image: docker.io/library/bash
        command:
        - bash
        - -c
        - |
          items=(foo bar baz qux xyz)
          echo ${items[$JOB_COMPLETION_INDEX]} > /input/data.txt
        volumeMounts:
        - mountPath: /input
          name: input
      containers:
      - name: worker
        image: docker.io/library/busybox
        command: ["rev", "/input/data.txt"]
        volumeMounts:
        - mountPath: /input
          name: input
      volumes:
      - name: input
        emptyDir: {}
`,
}

// cstep is one step of a container scenario: time moves by advance first, then the
// command runs; out and err are matched exactly unless they are regexps (prefix "~").
type cstep struct {
	advance  time.Duration
	cmd      string
	out, err string
	code     int
}

var generatedName = regexp.MustCompile(`\b(kubia|pi|hello-\d+|indexed-job-\d)-[a-z0-9]{5}\b`)

func runContainerSteps(t *testing.T, steps []cstep) *session {
	t.Helper()
	s := newSession(t)
	for k, v := range containerFiles {
		s.files[k] = v
	}
	for i, st := range steps {
		if st.advance > 0 {
			if err := s.c.Advance(st.advance); err != nil {
				t.Fatal(err)
			}
		}
		cmd := st.cmd
		if strings.Contains(cmd, "{") {
			cmd = expandPodRefs(t, s, cmd)
		}
		out, errOut, code := s.run(cmd)
		out = generatedName.ReplaceAllString(out, "$1-xxxxx")
		errOut = generatedName.ReplaceAllString(errOut, "$1-xxxxx")
		if !textMatches(out, st.out) || !textMatches(errOut, st.err) || code != st.code {
			t.Errorf("step %d (t+%s): kubectl %s\n--- got stdout:\n%s--- want stdout:\n%s\n--- got stderr:\n%s--- want stderr:\n%s\n--- exit %d, want %d",
				i, s.c.Now().Sub(testStart), cmd, out, st.out, errOut, st.err, code, st.code)
		}
	}
	return s
}

func textMatches(got, want string) bool {
	if re, ok := strings.CutPrefix(want, "~"); ok {
		return regexp.MustCompile(re).MatchString(got)
	}
	return got == want
}

// expandPodRefs replaces {pod:N} with the name of the N-th pod (by name) and {ip:N} with
// its IP.
func expandPodRefs(t *testing.T, s *session, cmd string) string {
	t.Helper()
	objs, err := s.c.Store.List(api.ResourceByName("pods"), "default", store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range objs {
		p := o.(*corev1.Pod)
		cmd = strings.ReplaceAll(cmd, "{pod:"+string(rune('0'+i))+"}", p.Name)
		cmd = strings.ReplaceAll(cmd, "{ip:"+string(rune('0'+i))+"}", p.Status.PodIP)
	}
	return cmd
}

func TestContainerScenarios(t *testing.T) {
	tests := []struct {
		name  string
		steps []cstep
	}{
		{"busybox echo logs", []cstep{
			{cmd: "run b --image=busybox --restart=Never -- echo hello", out: "pod/b created\n"},
			{advance: 10 * time.Second, cmd: "logs b", out: "hello\n"},
			{cmd: "get pod b", out: "~b +0/1 +Completed +0 +10s\n"},
		}},
		{"job sh -c echo", []cstep{
			{cmd: "create job hi --image=busybox -- sh -c 'echo hi'", out: "job.batch/hi created\n"},
			{advance: 10 * time.Second, cmd: "logs job/hi", out: "hi\n"},
		}},
		{"docs cronjob output", []cstep{
			{cmd: "apply -f cronjob.yaml", out: "cronjob.batch/hello created\n"},
			{advance: 70 * time.Second, cmd: "logs -l batch.kubernetes.io/controller-uid --all-containers", out: "~^Thu Jan  1 09:01:0\\d UTC 2026\nHello from the Kubernetes cluster\n$"},
		}},
		{"pi digits", []cstep{
			{cmd: "apply -f pi.yaml", out: "job.batch/pi created\n"},
			{advance: 8 * time.Second, cmd: "get pods", out: "~pi-xxxxx +1/1 +Running"},
			{advance: 30 * time.Second, cmd: "logs job/pi", out: "~^3\\.14159265358979323846264338327950288419716939937510582097494459[0-9]{925}[0-9]{1000}904780275901\n$"},
			{cmd: "get pods", out: "~pi-xxxxx +0/1 +Completed"},
		}},
		{"exec-liveness files over time", []cstep{
			{cmd: "apply -f exec-liveness.yaml", out: "pod/liveness-exec created\n"},
			{advance: 10 * time.Second, cmd: "exec liveness-exec -- cat /tmp/healthy", out: ""},
			{cmd: "exec liveness-exec -- ls /tmp", out: "healthy\n"},
			{advance: 30 * time.Second, cmd: "exec liveness-exec -- cat /tmp/healthy",
				out: "cat: can't open '/tmp/healthy': No such file or directory\n", err: "command terminated with exit code 1\n", code: 1},
			{cmd: "exec liveness-exec -c nope -- true", err: "Error from server (BadRequest): container nope is not valid for pod liveness-exec\n", code: 1},
			{cmd: "exec liveness-exec -- foo", err: "~^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"foo\": executable file not found in \\$PATH: unknown\n$", code: 1},
			{cmd: "exec liveness-exec -- sh -c 'exit 7'", err: "command terminated with exit code 7\n", code: 7},
			{cmd: "exec liveness-exec ls", err: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n", code: 1},
			{cmd: "exec -it liveness-exec -- sh", err: "Unable to use a TTY - input is not a terminal or the right kind of file\nerror: kubetab has no interactive terminal: run one command at a time, e.g. kubectl exec liveness-exec -- ls /\n", code: 1},
			{cmd: "exec liveness-exec -- hostname", out: "liveness-exec\n"},
		}},
		{"exec into a completed pod", []cstep{
			{cmd: "run b --image=busybox --restart=Never -- true", out: "pod/b created\n"},
			{advance: 10 * time.Second, cmd: "exec b -- ls", err: "error: cannot exec into a container in a completed pod; current phase is Succeeded\n", code: 1},
			{cmd: "exec nothere -- ls", err: "Error from server (NotFound): pods \"nothere\" not found\n", code: 1},
		}},
		{"env from the downward API and a ConfigMap", []cstep{
			{cmd: "apply -f env.yaml", out: "pod/envtest created\n"},
			{advance: 5 * time.Second, cmd: "get pod envtest", out: "~envtest +0/1 +CreateContainerConfigError +0"},
			{cmd: "describe pod envtest", out: "~Warning +Failed .*kubelet +spec.containers{main}: Error: configmap \"settings\" not found\n"},
			{cmd: "apply -f settings.yaml", out: "configmap/settings created\n"},
			{advance: 11 * time.Second, cmd: "get pod envtest", out: "~envtest +1/1 +Running +0"},
			{cmd: "logs envtest", out: "~^envtest/default demo team-a kubetab-worker\\d? blue hello envtest \\$\\(POD_NAME\\) \\$\\(NOPE\\)\nenvtest is ignored by sh\n$"},
			{cmd: "exec envtest -- printenv MEM CM_color CM_size", out: "64\nblue\nlarge\n"},
			{cmd: "exec envtest -- sh -c 'echo $POD_IP'", out: "~^10\\.244\\.\\d+\\.\\d+\n$"},
		}},
		{"init containers", []cstep{
			{cmd: "apply -f init.yaml", out: "pod/myapp created\n"},
			{advance: 5 * time.Second, cmd: "get pod myapp", out: "~myapp +0/2 +Init:0/1 +0"},
			{cmd: "logs myapp -c init-wait", out: "waiting\n"},
			{cmd: "logs myapp", err: "~Defaulted container \"app\" out of: app, side, init-wait \\(init\\)\nError from server \\(BadRequest\\): container \"app\" in pod \"myapp\" is waiting to start: PodInitializing\n", code: 1},
			{advance: 30 * time.Second, cmd: "get pod myapp", out: "~myapp +2/2 +Running +0"},
			{cmd: "logs myapp --all-containers --prefix", out: "[pod/myapp/init-wait] waiting\n[pod/myapp/app] ready\n[pod/myapp/side] side\n"},
			{cmd: "exec myapp -- cat /work/flag", err: "Defaulted container \"app\" out of: app, side, init-wait (init)\n", out: "ready\n"},
			{cmd: "exec myapp -c side -- ls /work", out: "ls: /work: No such file or directory\n", err: "command terminated with exit code 1\n", code: 1},
		}},
		{"failing init container with restartPolicy Never", []cstep{
			{cmd: "apply -f init-fail.yaml", out: "pod/initfail created\n"},
			{advance: 10 * time.Second, cmd: "get pod initfail", out: "~initfail +0/1 +Init:Error +0"},
			{cmd: "logs initfail -c check", out: "nope\n"},
		}},
		{"sidecar", []cstep{
			{cmd: "apply -f sidecar.yaml", out: "pod/withsidecar created\n"},
			{advance: 10 * time.Second, cmd: "get pod withsidecar", out: "~withsidecar +2/2 +Running +0"},
			{advance: time.Minute, cmd: "get pod withsidecar", out: "~withsidecar +0/2 +Completed +0"},
			{cmd: "logs withsidecar -c logger", out: "tick\ntick\ntick\n"},
		}},
		{"init container crash loop", []cstep{
			{cmd: "apply -f init-loop.yaml", out: "pod/initloop created\n"},
			{advance: 40 * time.Second, cmd: "get pod initloop", out: "~initloop +0/1 +Init:(CrashLoopBackOff|Error) +[1-9]"},
		}},
		{"StartError", []cstep{
			{cmd: "run bad --image=busybox --restart=Never --command -- foo", out: "pod/bad created\n"},
			{advance: 10 * time.Second, cmd: "get pod bad", out: "~bad +0/1 +StartError +0"},
			{cmd: "describe pod bad", out: `~(?s)State: +Terminated\n +Reason: +StartError\n +Message: +failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown\n +Exit Code: +128\n +Started: +Thu, 01 Jan 1970 00:00:00 \+0000.*Warning +Failed .*Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown`},
		}},
		{"exec curl across pods", []cstep{
			{cmd: "apply -f kubia-rc.yaml", out: "replicationcontroller/kubia created\n"},
			{advance: 30 * time.Second, cmd: "exec {pod:0} -- curl -s http://{ip:1}:8080", out: "You've hit kubia-xxxxx\n"},
			// A pod's name is no DNS name (only a Service's is).
			{cmd: "exec {pod:0} -- curl -sS {pod:2}:8080", out: "curl: (6) Could not resolve host: kubia-xxxxx\n", err: "command terminated with exit code 6\n", code: 6},
			{cmd: "exec {pod:1} -- wget -qO- http://localhost:8080/", out: "You've hit kubia-xxxxx\n"},
			{cmd: "exec {pod:0} -- curl -s http://10.9.9.9:8080", err: "command terminated with exit code 28\n", code: 28},
			{cmd: "logs {pod:1}", out: "~^Kubia server starting...\nReceived request from ::ffff:10\\.244\\.\\d+\\.\\d+\nReceived request from ::ffff:10\\.244\\.\\d+\\.\\d+\n$"},
			{cmd: "logs rc/kubia --tail=1", out: "~^(Kubia server starting...|Received request from .*)\n$", err: "~^Found 3 pods, using pod/kubia-xxxxx\n$"},
		}},
		{"indexed job with an init container", []cstep{
			{cmd: "apply -f indexed-job.yaml", out: "job.batch/indexed-job created\n"},
			{advance: 2 * time.Minute, cmd: "logs -l batch.kubernetes.io/job-completion-index=3", out: "xuq\n", err: "Defaulted container \"worker\" out of: worker, input (init)\n"},
			{cmd: "get pods", out: "~(?s)(indexed-job-\\d-xxxxx +0/1 +Completed +0 .*){5}"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runContainerSteps(t, tt.steps) })
	}
}

func TestLogsFlags(t *testing.T) {
	runContainerSteps(t, []cstep{
		{cmd: "run counter --image=busybox -- sh -c 'i=0; while true; do i=$((i+1)); echo line $i; sleep 10; done'", out: "pod/counter created\n"},
		{advance: time.Minute, cmd: "logs counter --tail=2", out: "~^line 5\nline 6\n$"},
		{cmd: "logs counter --tail=1 --timestamps", out: "~^2026-01-01T09:00:5\\d\\.\\d{9}Z line 6\n$"},
		{cmd: "logs counter --since=35s", out: "~^line 4\nline 5\nline 6\n$"},
		{cmd: "logs counter --since-time=2026-01-01T09:00:30Z --tail=-1", out: "~^line 4\nline 5\nline 6\n$"},
		{cmd: "logs counter --since=1m --since-time=2026-01-01T09:00:30Z", err: "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n", code: 1},
		{cmd: "logs -l run=counter", out: "~^line 1\n(line \\d\n){5}$"},
		{cmd: "logs counter -f --request-timeout=30s", out: "~^line 1\n(line \\d\n){8}$", err: "kubetab: stopped following after 30s of virtual time (the watch window; set it with --request-timeout).\n"},
		{cmd: "logs counter -f -p", err: "error: only one of follow (-f) or previous (-p) is allowed\n", code: 1},
		{cmd: "run done --image=busybox --restart=Never -- sh -c 'echo a; sleep 5; echo b'", out: "pod/done created\n"},
		{cmd: "logs done -f", err: "Error from server (BadRequest): container \"done\" in pod \"done\" is waiting to start: ContainerCreating\n", code: 1},
		{advance: 3 * time.Second, cmd: "logs done -f", out: "a\nb\n"},
		{cmd: "logs done -f", out: "a\nb\n"},
	})
}
