package realk8s

import "testing"

func TestNormalise(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{{
		name: "get pods: names, ages, IPs; rows sorted, columns laid out again",
		in: `NAME          READY   STATUS    RESTARTS   AGE    IP           NODE
kubia-x7k2p   1/1     Running   0          2m5s   10.244.3.2   kubetab-worker3
kubia-b4d2z   1/1     Running   0          59s    10.244.1.12  kubetab-worker
`,
		want: `NAME          READY   STATUS    RESTARTS   AGE   IP           NODE
kubia-XXXXX   1/1     Running   0          <d>   10.244.x.x   kubetab-worker
kubia-XXXXX   1/1     Running   0          <d>   10.244.x.x   kubetab-worker3
`,
	}, {
		name: "a table without generated names keeps its order",
		in: `NAME    DESIRED   CURRENT   READY   AGE
zeta    3         3         3       10m
alpha   1         1         0       5s
`,
		want: `NAME    DESIRED   CURRENT   READY   AGE
zeta    3         3         3       <d>
alpha   1         1         0       <d>
`,
	}, {
		name: "describe: timestamps, UIDs, durations, events without the kubelet's",
		in: `Name:         batch-job
Selector:     batch.kubernetes.io/controller-uid=bda8cf48-9201-48bb-aa52-5576b0b3cf60
Start Time:   Thu, 01 Jan 2026 09:00:00 +0000
Duration:     2m2s
Events:
  Type    Reason            Age                From               Message
  ----    ------            ----               ----               -------
  Normal  SuccessfulCreate  41s (x4 over 2m)   job-controller     Created pod: batch-job-npt6x
  Normal  Pulled            40s                kubelet            Successfully pulled image
  Normal  Completed         1s                 job-controller     Job completed
`,
		want: `Name:         batch-job
Selector:     batch.kubernetes.io/controller-uid=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
Start Time:   <time>
Duration:     <duration>
Events:
  Type     Reason             Age                 From             Message
  ----     ------             ----                ----             -------
  Normal   Completed          <d>                 job-controller   Job completed
  Normal   SuccessfulCreate   <d> (x4 over <d>)   job-controller   Created pod: batch-job-XXXXX
`,
	}, {
		name: "get events: the kubelet's reasons dropped",
		in: `LAST SEEN   TYPE     REASON      OBJECT            MESSAGE
30s         Normal   Scheduled   pod/kubia         Successfully assigned default/kubia to kubetab-worker
29s         Normal   Pulling     pod/kubia         Pulling image "luksa/kubia"
`,
		want: `LAST SEEN   TYPE     REASON      OBJECT      MESSAGE
<d>         Normal   Scheduled   pod/kubia   Successfully assigned default/kubia to kubetab-worker
`,
	}, {
		name: "CronJob schedule times counted from the first",
		in: `NAME             STATUS     COMPLETIONS   DURATION   AGE
hello-29454301   Complete   1/1           3s         3m
hello-29454303   Complete   1/1           3s         1m
Created pod: hello-29454303-85h65
`,
		want: `NAME          STATUS     COMPLETIONS   DURATION   AGE
hello-<T>     Complete   1/1           <d>        <d>
hello-<T+2>   Complete   1/1           <d>        <d>
Created pod: hello-<T+2>-XXXXX
`,
	}, {
		name: "services: IPs and NodePorts",
		in: `NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE
kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP        5m
kubia        NodePort    10.104.17.203   <none>        80:31234/TCP   5s
`,
		want: `NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP        <d>
kubia        NodePort    10.96.x.x    <none>        80:3XXXX/TCP   <d>
`,
	}, {
		name: "YAML",
		in: `  creationTimestamp: "2026-01-01T09:00:00Z"
  resourceVersion: "44"
  - nodePort: 30123
    containerID: containerd://1b38333ae9e6
    imageID: docker.io/luksa/kubia@sha256:2b615a39c7bf17398b9da77cff2ef491debe7d836f6d4d2da3ad42e4eae55dcc
`,
		want: `  creationTimestamp: "<time>"
  resourceVersion: "N"
  - nodePort: 3XXXX
    containerID: containerd://<id>
    imageID: docker.io/luksa/kubia@sha256:<digest>
`,
	}, {
		name: "text that is no table",
		in: `Client Version: v1.37.2
error: 'app' already has a value (kubia), and --overwrite is false
`,
		want: `Client Version: v1.37.2
error: 'app' already has a value (kubia), and --overwrite is false
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (&Normaliser{}).Normalise(tc.in); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s\ndiff (- got, + want):\n%s", got, tc.want, LineDiff(got, tc.want))
			}
		})
	}
}

func TestLineDiff(t *testing.T) {
	got := LineDiff("a\nb\nc\n", "a\nc\nd\n")
	if want := "  a\n- b\n  c\n+ d\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A name the script writes is the script's, not generated, however it ends.
func TestNormaliseKeepsWrittenNames(t *testing.T) {
	n := &Normaliser{Script: "kubectl create secret generic fortune-https --from-file=foo\n"}
	got := n.Normalise("secret/fortune-https created\nsecret/fortune-https2 created\npod/x-fortune-https created\n")
	if want := "secret/fortune-https created\nsecret/fortune-https2 created\npod/x-fortune-XXXXX created\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
