package kubectl

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// nginxDeployment is the docs' nginx Deployment (controllers/nginx-deployment.yaml, in
// KYAML) with replicas as given.
func nginxDeployment(tb testing.TB, replicas int) string {
	b, err := os.ReadFile("../../testdata/manifests/docs/controllers/nginx-deployment.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Replace(string(b), "replicas: 3,", "replicas: "+strconv.Itoa(replicas)+",", 1)
}

// mustRun runs a command line that must succeed and returns its output.
func (s *session) mustRun(line string) string {
	s.tb.Helper()
	out, errOut, code := s.run(line)
	if code != 0 {
		s.tb.Fatalf("kubectl %s: exit %d\n%s%s", line, code, out, errOut)
	}
	return out
}

// podCounts are the pods the nginx Deployment's ReplicaSets run that are not going away (no
// deletion timestamp, not finished), and those of them that are available (Ready; the
// Deployment has no minReadySeconds).
func podCounts(s *session) (total, available int) {
	pods, _ := s.c.Store.List(api.ResourceByName("pods"), "default", store.ListOptions{})
	for _, o := range pods {
		p := o.(*corev1.Pod)
		if p.Labels["app"] != "nginx" || p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		total++
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
				available++
			}
		}
	}
	return total, available
}

// During a 25%/25% rolling update of 4 replicas, the cluster itself (controllers, scheduler,
// kubelets, not the controller's test stand-in) never has fewer than 3 available pods nor
// more than 5 pods, at any instant of virtual time or after any single change to a pod; and
// the rollout completes.
func TestRollingUpdateBounds(t *testing.T) {
	s := newSession(t)
	s.files["d.yaml"] = nginxDeployment(t, 4)
	s.mustRun("apply -f d.yaml")
	s.mustRun("rollout status deployment/nginx-deployment")
	if total, available := podCounts(s); total != 4 || available != 4 {
		t.Fatalf("before the rollout: %d pods, %d available; want 4 and 4", total, available)
	}

	minAvailable, maxTotal := 4, 4
	check := func(when string) {
		total, available := podCounts(s)
		minAvailable, maxTotal = min(minAvailable, available), max(maxTotal, total)
		if available < 3 || total > 5 {
			t.Errorf("%s at %s: %d pods, %d available; want at most 5 and at least 3", when, s.c.Now().Format(time.TimeOnly), total, available)
		}
	}
	// Every change to a pod, as the store delivers it...
	cancel := s.c.WatchUntilCancelled("pods", func(store.WatchEvent) { check("after a pod change") })
	defer cancel()
	s.mustRun("set image deployment/nginx-deployment nginx=nginx:1.16.1")
	// ...and every instant the cluster passes through until the rollout is complete.
	deployments := api.ResourceByName("deployments")
	done, err := s.c.RunUntil(s.c.Now().Add(10*time.Minute), func() bool {
		check("at an instant")
		d := s.c.Store.Lookup(deployments, "default", "nginx-deployment").(*appsv1.Deployment)
		st := d.Status
		return d.Generation == st.ObservedGeneration && st.UpdatedReplicas == 4 && st.Replicas == 4 && st.AvailableReplicas == 4
	})
	if err != nil {
		t.Fatal(err)
	}
	if !done {
		t.Fatal("the rollout did not complete in 10 virtual minutes")
	}
	// The bounds were reached, not just respected: the rollout used its surge and its
	// unavailability.
	if minAvailable != 3 || maxTotal != 5 {
		t.Errorf("least available %d, most pods %d; want 3 and 5", minAvailable, maxTotal)
	}
	if total, available := podCounts(s); total != 4 || available != 4 {
		t.Errorf("after the rollout: %d pods, %d available; want 4 and 4", total, available)
	}
}

// replicaSetNames are the nginx Deployment's ReplicaSets by name, with their revision and
// spec.replicas.
func replicaSetNames(s *session) map[string]string {
	out := map[string]string{}
	rss, _ := s.c.Store.List(api.ResourceByName("replicasets"), "default", store.ListOptions{})
	for _, o := range rss {
		rs := o.(*appsv1.ReplicaSet)
		out[rs.Name] = rs.Annotations["deployment.kubernetes.io/revision"] + "/" + strconv.Itoa(int(*rs.Spec.Replicas))
	}
	return out
}

// `kubectl rollout undo` returns to the previous ReplicaSet by name: no new one is created,
// the old one takes the next revision and all the replicas.
func TestRolloutUndoReturnsToPreviousReplicaSet(t *testing.T) {
	s := newSession(t)
	s.files["d.yaml"] = nginxDeployment(t, 3)
	s.mustRun("apply -f d.yaml")
	s.mustRun("rollout status deployment/nginx-deployment")
	first := replicaSetNames(s)
	s.mustRun("set image deployment/nginx-deployment nginx=nginx:1.16.1")
	s.mustRun("rollout status deployment/nginx-deployment")
	second := replicaSetNames(s)
	if len(first) != 1 || len(second) != 2 {
		t.Fatalf("ReplicaSets: %v then %v; want one then two", first, second)
	}
	var old string
	for name := range first {
		old = name
	}
	uid := s.c.Store.Lookup(api.ResourceByName("replicasets"), "default", old).GetUID()

	if out := s.mustRun("rollout undo deployment/nginx-deployment"); out != "deployment.apps/nginx-deployment rolled back\n" {
		t.Errorf("rollout undo printed %q", out)
	}
	s.mustRun("rollout status deployment/nginx-deployment")
	after := replicaSetNames(s)
	if len(after) != 2 {
		t.Fatalf("ReplicaSets after the undo: %v; want the same two", after)
	}
	for name := range second {
		if _, ok := after[name]; !ok {
			t.Errorf("ReplicaSet %s is gone after the undo: %v", name, after)
		}
	}
	if after[old] != "3/3" {
		t.Errorf("ReplicaSet %s after the undo: revision/replicas %s; want 3/3", old, after[old])
	}
	if got := s.c.Store.Lookup(api.ResourceByName("replicasets"), "default", old).GetUID(); got != uid {
		t.Errorf("ReplicaSet %s has uid %s after the undo, %s before: not the same object", old, got, uid)
	}
	d := s.c.Store.Lookup(api.ResourceByName("deployments"), "default", "nginx-deployment").(*appsv1.Deployment)
	if img := d.Spec.Template.Spec.Containers[0].Image; img != "nginx:1.14.2" {
		t.Errorf("image after the undo: %s; want nginx:1.14.2", img)
	}
}

func TestDeploymentRolloutStatus(t *testing.T) {
	three := int32(3)
	deploy := func(gen, observed int64, status appsv1.DeploymentStatus) *appsv1.Deployment {
		d := &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: "web", Generation: gen, Annotations: map[string]string{"deployment.kubernetes.io/revision": "2"}},
			Spec:       appsv1.DeploymentSpec{Replicas: &three},
			Status:     status,
		}
		d.Status.ObservedGeneration = observed
		return d
	}
	deadline := []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded"}}
	for _, tc := range []struct {
		name     string
		d        *appsv1.Deployment
		revision int64
		msg      string
		done     bool
		err      string
	}{
		{name: "not observed", d: deploy(2, 1, appsv1.DeploymentStatus{}), msg: "Waiting for deployment spec update to be observed...\n"},
		{name: "updating", d: deploy(2, 2, appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1}),
			msg: "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...\n"},
		{name: "old pending", d: deploy(2, 2, appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 3}),
			msg: "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...\n"},
		{name: "available", d: deploy(2, 2, appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, AvailableReplicas: 2}),
			msg: "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...\n"},
		{name: "done", d: deploy(2, 2, appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, AvailableReplicas: 3}),
			msg: "deployment \"web\" successfully rolled out\n", done: true},
		{name: "deadline", d: deploy(2, 2, appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, Conditions: deadline}),
			err: "deployment \"web\" exceeded its progress deadline"},
		{name: "deadline not yet observed", d: deploy(3, 2, appsv1.DeploymentStatus{Conditions: deadline}),
			msg: "Waiting for deployment spec update to be observed...\n"},
		{name: "revision", d: deploy(2, 2, appsv1.DeploymentStatus{}), revision: 1,
			err: "desired revision (1) is different from the running revision (2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, done, err := deploymentRolloutStatus(tc.d, tc.revision)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if msg != tc.msg || done != tc.done || gotErr != tc.err {
				t.Errorf("got (%q, %v, %q), want (%q, %v, %q)", msg, done, gotErr, tc.msg, tc.done, tc.err)
			}
		})
	}
}

func TestRevisionReplicaSet(t *testing.T) {
	rs := func(name, rev string) *appsv1.ReplicaSet {
		return &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{"deployment.kubernetes.io/revision": rev}}}
	}
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}}
	rss := []*appsv1.ReplicaSet{rs("a", "1"), rs("c", "4"), rs("b", "3"), rs("x", "not a number")}
	for _, tc := range []struct {
		to   int64
		want string
		err  string
	}{
		{to: 0, want: "b"},
		{to: 1, want: "a"},
		{to: 4, want: "c"},
		{to: 2, err: "unable to find specified revision 2 in history"},
	} {
		got, err := revisionReplicaSet(d, rss, tc.to)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("to %d: error %v, want %q", tc.to, err, tc.err)
			}
		case err != nil || got.Name != tc.want:
			t.Errorf("to %d: %v, %v; want %s", tc.to, got, err, tc.want)
		}
	}
	if _, err := revisionReplicaSet(d, rss[:1], 0); err == nil || err.Error() != `no rollout history found for deployment "web"` {
		t.Errorf("one revision: error %v", err)
	}
}

const rolloutBanner = "Warning: resource deployments/nginx-deployment was previously managed with 'kubectl apply'. Rolling back will not update the kubectl.kubernetes.io/last-applied-configuration annotation, which may cause unexpected behavior on future 'kubectl apply' operations. Consider using 'kubectl apply' with your previous configuration file instead.\n"

func TestRolloutCommands(t *testing.T) {
	s := newSession(t)
	s.files["d.yaml"] = nginxDeployment(t, 3)
	s.files["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
	steps := []step{
		{cmd: "apply -f d.yaml", out: "deployment.apps/nginx-deployment created\n"},
		{cmd: "rollout history deployment/nginx-deployment", out: "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"},
		{cmd: "rollout undo deployment/nginx-deployment", err: rolloutBanner + "error: no rollout history found for deployment \"nginx-deployment\"\n", code: 1},
		{cmd: "rollout status deployment/nginx-deployment --watch=false", out: "Waiting for deployment \"nginx-deployment\" rollout to finish: 0 of 3 updated replicas are available...\n"},
		{cmd: "rollout status deployment/nginx-deployment --timeout=1s", out: "Waiting for deployment \"nginx-deployment\" rollout to finish: 0 of 3 updated replicas are available...\n", err: "error: timed out waiting for the condition\n", code: 1},
		{cmd: "rollout status", err: "error: required resource not specified\n", code: 1},
		{cmd: "rollout status deployment/nope", err: "Error from server (NotFound): deployments.apps \"nope\" not found\n", code: 1},
		{cmd: "rollout history deployment/nginx-deployment --revision=-1", err: "error: revision must be a positive integer: -1\n", code: 1},
		{cmd: "set image deployment/nginx-deployment nginx=nginx:1.16.1", out: "deployment.apps/nginx-deployment image updated\n"},
		// The same image again changes nothing, and kubectl says nothing.
		{cmd: "set image deployment/nginx-deployment nginx=nginx:1.16.1"},
		{cmd: "set image deployment/nginx-deployment nginx=nginx:1.16.1 web=x", err: "error: unable to find container named \"web\"\n", code: 1},
		{cmd: "rollout pause deployment/nginx-deployment", out: "deployment.apps/nginx-deployment paused\n"},
		{cmd: "rollout pause deployment/nginx-deployment", err: "error: deployments.apps \"nginx-deployment\" is already paused\n", code: 1},
		{cmd: "rollout restart deployment/nginx-deployment", err: "error: deployments.apps \"nginx-deployment\" can't restart paused deployment (run rollout resume first)\n", code: 1},
		{cmd: "rollout undo deployment/nginx-deployment", err: rolloutBanner + "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n", code: 1},
		{cmd: "rollout resume deployment/nginx-deployment", out: "deployment.apps/nginx-deployment resumed\n"},
		{cmd: "rollout resume deployment/nginx-deployment", err: "error: deployments.apps \"nginx-deployment\" is not paused\n", code: 1},
		{cmd: "annotate deployment/nginx-deployment kubernetes.io/change-cause=to-1.16.1", out: "deployment.apps/nginx-deployment annotated\n"},
		{cmd: "rollout history deployment/nginx-deployment", out: "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         to-1.16.1\n\n"},
		{cmd: "rollout undo deployment/nginx-deployment --to-revision=9", err: rolloutBanner + "error: unable to find specified revision 9 in history\n", code: 1},
		{cmd: "rollout undo deployment/nginx-deployment --to-revision=2", out: "deployment.apps/nginx-deployment skipped rollback (current template already matches revision 2)\n", err: rolloutBanner},
		{cmd: "rollout restart deployment/nginx-deployment", out: "deployment.apps/nginx-deployment restarted\n"},
		{cmd: "rollout restart deployment/nginx-deployment", err: "error: failed to create patch for nginx-deployment: if restart has already been triggered within the past second, please wait before attempting to trigger another\n", code: 1},
		{cmd: "get deployment nginx-deployment -o jsonpath={.spec.template.metadata.annotations}", out: `{"kubectl.kubernetes.io/restartedAt":"2026-01-01T09:00:01Z"}`},
		{cmd: "rollout status deployment/nginx-deployment --revision=2", err: "error: desired revision (2) is different from the running revision (3)\n", code: 1},
		{cmd: "rollout history pod/x", err: "Error from server (NotFound): pods \"x\" not found\n", code: 1},
		{cmd: "rollout pause service/kubernetes -n default", err: "error: services \"kubernetes\" pausing is not supported\n", code: 1},
		{cmd: "create frobnicate c", err: "error: Unexpected args: [frobnicate c]\nSee 'kubectl create -h' for help and examples\n", code: 1},
		{cmd: "run p --image=nginx", out: "pod/p created\n"},
		{cmd: "rollout status pod/p", err: "error: no status viewer has been implemented for Pod\n", code: 1},
		{cmd: "rollout history pod/p", err: "error: no history viewer has been implemented for \"Pod\"\n", code: 1},
		{cmd: "rollout undo pod/p", err: "error: no rollbacker has been implemented for \"Pod\"\n", code: 1},
		{cmd: "rollout pause pod/p", err: "error: pods \"p\" pausing is not supported\n", code: 1},
		{cmd: "rollout restart pod/p", err: "error: pods \"p\" restarting is not supported\n", code: 1},
		{cmd: "apply -f cm.yaml", out: "configmap/cm created\n"},
		{cmd: "rollout history cm/cm", err: "error: error retrieving history for \"ConfigMap\", no visitor method exists for { ConfigMap}\n", code: 1},
		{cmd: "rollout undo cm/cm", err: strings.ReplaceAll(rolloutBanner, "deployments/nginx-deployment", "configmaps/cm") + "error: error retrieving rollbacker for \"ConfigMap\", no visitor method exists for { ConfigMap}\n", code: 1},
		{cmd: "rollout status cm/cm", err: "error: no status viewer has been implemented for ConfigMap\n", code: 1},
		{cmd: "rollout history -f d.yaml", out: "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         to-1.16.1\n3         to-1.16.1\n\n"},
	}
	for i, st := range steps {
		out, errOut, code := s.run(st.cmd)
		if out != st.out || errOut != st.err || code != st.code {
			t.Errorf("step %d: kubectl %s\ngot out=%q err=%q exit %d\nwant out=%q err=%q exit %d", i, st.cmd, out, errOut, code, st.out, st.err, st.code)
		}
	}
}

// A stuck rollout ends `rollout status` with the progress deadline's error once the
// controller reports it, with exit status 1.
func TestRolloutStatusProgressDeadline(t *testing.T) {
	s := newSession(t)
	s.files["d.yaml"] = strings.Replace(nginxDeployment(t, 3), "spec: {\n", "spec: {\n    progressDeadlineSeconds: 30,\n", 1)
	s.mustRun("apply -f d.yaml")
	s.mustRun("rollout status deployment/nginx-deployment")
	s.mustRun("set image deployment/nginx-deployment nginx=nginx:1.161")
	out, errOut, code := s.run("rollout status deployment/nginx-deployment")
	want := "Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...\n"
	if !strings.HasPrefix(out, want) || errOut != "error: deployment \"nginx-deployment\" exceeded its progress deadline\n" || code != 1 {
		t.Errorf("got out=%q err=%q exit %d", out, errOut, code)
	}
}

// Without --timeout, Run follows for the watch window and says that it stopped.
func TestRolloutStatusWindow(t *testing.T) {
	s := newSession(t)
	s.files["d.yaml"] = nginxDeployment(t, 3)
	s.mustRun("apply -f d.yaml")
	s.mustRun("rollout status deployment/nginx-deployment")
	s.mustRun("set image deployment/nginx-deployment nginx=nginx:1.161")
	start := s.c.Now()
	out, errOut, code := s.run("rollout status deployment/nginx-deployment --request-timeout=1m")
	if out != "Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...\n" ||
		errOut != "kubetab: stopped watching after 1m0s of virtual time (the watch window; set it with --request-timeout, or give --timeout).\n" || code != 1 {
		t.Errorf("got out=%q err=%q exit %d", out, errOut, code)
	}
	if got := s.c.Now().Sub(start); got != time.Minute {
		t.Errorf("virtual time moved %s, want 1m", got)
	}
}

// In a terminal, rollout status streams: each poll prints the lines of the changes since the
// last, and the stream ends by itself when the rollout is done.
func TestRolloutStatusStream(t *testing.T) {
	s := newSession(t)
	s.files["d.yaml"] = nginxDeployment(t, 3)
	s.mustRun("apply -f d.yaml")
	s.mustRun("rollout status deployment/nginx-deployment")
	s.mustRun("set image deployment/nginx-deployment nginx=nginx:1.16.1")
	watchers := s.c.Watchers("deployments")
	var out, errOut strings.Builder
	st, code := Start(Cluster{Cluster: s.c.Cluster, Containers: s.c.Kubelets}, strings.Fields("rollout status deployment/nginx-deployment"), IO{Out: &out, Err: &errOut})
	if st == nil || code != 0 {
		t.Fatalf("no stream (exit %d): %s%s", code, out.String(), errOut.String())
	}
	if got := st.Prelude(); strings.Join(got, " ") != "rollout status deployment/nginx-deployment --watch=false" {
		t.Errorf("prelude %q", got)
	}
	first := out.String()
	done, err := s.c.RunUntil(s.c.Now().Add(10*time.Minute), st.Poll)
	if err != nil || !done {
		t.Fatalf("stream did not end: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if first == "" || !strings.HasPrefix(out.String(), first) || lines[len(lines)-1] != `deployment "nginx-deployment" successfully rolled out` || errOut.Len() != 0 {
		t.Errorf("streamed:\n%s%s", out.String(), errOut.String())
	}
	if n := s.c.Watchers("deployments"); n != watchers {
		t.Errorf("%d watchers of deployments after the stream ended, %d before", n, watchers)
	}
}

func TestCreateDeployment(t *testing.T) {
	runSteps(t, []step{
		{cmd: "create deployment web --image=nginx:1.14.2 --replicas=2 --port=80", out: "deployment.apps/web created\n"},
		{cmd: "get deployment web -o jsonpath={.metadata.labels}{.spec.selector}{.spec.template.metadata.labels}{.spec.template.spec.containers[0].name}{.spec.template.spec.containers[0].ports}",
			out: `{"app":"web"}{"matchLabels":{"app":"web"}}{"app":"web"}nginx[{"containerPort":80,"protocol":"TCP"}]`},
		{cmd: "create deployment bb --image=busybox:1.28 -- sleep 3600", out: "deployment.apps/bb created\n"},
		{cmd: "get deploy bb -o jsonpath={.spec.replicas}{.spec.template.spec.containers[0].command}", out: `1["sleep","3600"]`},
		{cmd: "create deploy echo --image=registry.k8s.io/echoserver:1.4 --dry-run=client -o name", out: "deployment.apps/echo\n"},
		{cmd: "create deployment x", err: "error: required flag(s) \"image\" not set\n", code: 1},
		{cmd: "create deployment --image=nginx", err: "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n", code: 1},
		{cmd: "create deployment web --image=nginx", err: "error: failed to create deployment: deployments.apps \"web\" already exists\n", code: 1},
		{cmd: "create deployment m --image=nginx --image=redis -- sleep 1", err: "error: cannot specify multiple --image options and command\n", code: 1},
		{cmd: "create deployment neg --image=nginx -r -1", err: "error: failed to create deployment: Deployment.apps \"neg\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n", code: 1},
		{cmd: "get deploy -o wide", out: "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES         SELECTOR\nbb     0/1     1            0           0s    busybox      busybox:1.28   app=bb\nweb    0/2     2            0           0s    nginx        nginx:1.14.2   app=web\n"},
	})
}

func TestSetCommands(t *testing.T) {
	runSteps(t, []step{
		{cmd: "create deployment web --image=nginx:1.14.2", out: "deployment.apps/web created\n"},
		{cmd: "set image deployment.v1.apps/web nginx=nginx:1.16.1 --record", out: "deployment.apps/web image updated\n", err: "Flag --record has been deprecated, --record will be removed in the future\n"},
		{cmd: "get deploy web -o jsonpath={.metadata.annotations.kubernetes\\.io/change-cause}", out: "kubectl set image deployment.v1.apps/web nginx=nginx:1.16.1 --record=true"},
		{cmd: "set image deployment/web", err: "error: at least one image update is required\n", code: 1},
		{cmd: "set image nginx=x", err: "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n", code: 1},
		{cmd: "set image deployment/web nginx=x deployment/other", err: "error: all resources must be specified before image changes: deployment/other\n", code: 1},
		{cmd: "set image deployment/web *=nginx:1.17 nginx=x", err: "error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n", code: 1},
		{cmd: "set image configmap/missing a=b -n kube-system", err: "Error from server (NotFound): configmaps \"missing\" not found\n", code: 1},
		{cmd: "set image configmap/kube-root-ca.crt a=b", err: "error: configmaps/kube-root-ca.crt the object is not a pod or does not have a pod template: *v1.ConfigMap\n", code: 1},
		{cmd: "set image deployment/web nginx=nginx:1.17 --dry-run=client -o jsonpath={.spec.template.spec.containers[0].image}", out: "nginx:1.17"},
		// Refused by the API server: nothing is written.
		{cmd: "set image deployment/web nginx=", err: "error: failed to patch image update to pod template: Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value\n", code: 1},
		{cmd: `patch deployment web -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}}'`, err: "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0\n", code: 1},
		{cmd: "get deploy web -o jsonpath={.metadata.generation}{.spec.strategy.rollingUpdate}", out: `2{"maxSurge":"25%","maxUnavailable":"25%"}`},
		{cmd: "get deploy web -o jsonpath={.spec.template.spec.containers[0].image}", out: "nginx:1.16.1"},
		{cmd: "set env deployment/web A=1 B=2", out: "deployment.apps/web env updated\n"},
		{cmd: "set env deployment/web A=3 --overwrite=false", err: "error: deployments/web 'A' already has a value (1), and --overwrite is false\n", code: 1},
		{cmd: "set env deployment/web B- C=3", out: "deployment.apps/web env updated\n"},
		{cmd: "set env deployment/web --list", out: "# Deployment web, container nginx\nA=1\nC=3\n"},
		{cmd: "set env deployment/web -c other D=4", err: "Warning: Deployment/web does not have any containers matching \"other\"\n"},
		{cmd: "set env deployment/web A=1 A-", err: "error: can not both modify and remove the same environment variable in the same command\n", code: 1},
		{cmd: "set env deployment/web A=1 extra", err: "error: all resources must be specified before environment changes: deployment/web A=1 extra\n", code: 1},
		{cmd: "set resources deployment/web -c=nginx --limits=cpu=200m,memory=512Mi", out: "deployment.apps/web resource requirements updated\n"},
		{cmd: "get deploy web -o jsonpath={.spec.template.spec.containers[0].resources}", out: `{"limits":{"cpu":"200m","memory":"512Mi"}}`}, // requests default to limits in pods, not in templates
		{cmd: "set resources deployment/web --requests=cpu", err: "error: invalid argument syntax cpu, expected <resource>=<value>\n", code: 1},
		{cmd: "set resources deployment/web -c nope --requests=cpu=1", err: "error: unable to find container named nope\n", code: 1},
		{cmd: "set resources deployment/web", err: "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n", code: 1},
		{cmd: "run p --image=nginx", out: "pod/p created\n"},
		{cmd: "set image pod/p p=nginx:1.16.1", out: "pod/p image updated\n"},
		{cmd: "create frobnicate", err: "error: Unexpected args: [frobnicate]\nSee 'kubectl create -h' for help and examples\n", code: 1},
		{cmd: "set selector svc/x app=y", err: "error: kubetab does not support \"kubectl set selector\" yet\n", code: 1},
		{cmd: "set", out: setHelp, code: 1},
		{cmd: "set frobnicate", err: "error: unknown command \"frobnicate\"\nSee 'kubectl set -h' for help and examples\n", code: 1},
	})
}

const setHelp = `Set specific features on objects.

Available Commands:
  env            Update environment variables on a pod template
  image          Update the image of a pod template
  resources      Update resource requests/limits on objects with pod templates
  selector       Not offered by kubetab yet
  serviceaccount Not offered by kubetab yet
  subject        Not offered by kubetab yet

Usage:
  kubectl set SUBCOMMAND
`

func TestUpdateEnv(t *testing.T) {
	env := func(kv ...string) []corev1.EnvVar {
		var out []corev1.EnvVar
		for i := 0; i < len(kv); i += 2 {
			out = append(out, corev1.EnvVar{Name: kv[i], Value: kv[i+1]})
		}
		return out
	}
	got := updateEnv(env("A", "1", "B", "2", "A", "3", "C", "4"), env("A", "9", "D", "5"), []string{"C"})
	want := env("A", "9", "B", "2", "D", "5")
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
	for spec, names := range map[string][2]bool{"*": {true, true}, "ngi*": {true, false}, "*x": {true, false}, "nginx": {true, false}, "side*car": {false, true},
		"n*g*x": {true, false}, "*i*": {true, true}, "nginxx*": {false, false}, "s*car*": {false, true}, "si*de*": {false, true}, "s*ce*": {false, false}, "": {false, false}} {
		if selectString("nginx", spec) != names[0] || selectString("sidecar", spec) != names[1] {
			t.Errorf("selectString(%q): nginx %v, sidecar %v", spec, selectString("nginx", spec), selectString("sidecar", spec))
		}
	}
}

func TestEnvName(t *testing.T) {
	for key, want := range map[string]string{"special.how": "SPECIAL_HOW", "log-level": "LOG_LEVEL", "A_b9": "A_B9", "é": "_"} {
		if got := envName(key); got != want {
			t.Errorf("envName(%q) = %q, want %q", key, got, want)
		}
	}
}
