package printers

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/api"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func outputPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "kubia-x7k2p", Namespace: "default", CreationTimestamp: at(0), Labels: map[string]string{"app": "kubia"},
			OwnerReferences: controllerRef("ReplicationController", "kubia", "uid-rc")},
		Spec:   kubiaTemplate().Spec,
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.244.1.5"},
	}
}

func output(t *testing.T, objs []api.Object, format string, single bool) string {
	t.Helper()
	var b bytes.Buffer
	if err := PrintObjects(&b, objs, format, single); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestYAMLSingle(t *testing.T) {
	p := outputPod()
	assertText(t, output(t, []api.Object{p}, "yaml", true), `apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2024-03-04T10:00:00Z"
  labels:
    app: kubia
  name: kubia-x7k2p
  namespace: default
  ownerReferences:
  - apiVersion: v1
    blockOwnerDeletion: true
    controller: true
    kind: ReplicationController
    name: kubia
    uid: uid-rc
spec:
  containers:
  - image: luksa/kubia
    name: kubia
    ports:
    - containerPort: 8080
      protocol: TCP
    resources: {}
status:
  phase: Running
  podIP: 10.244.1.5
`)
	if p.Kind != "" {
		t.Errorf("PrintObjects changed the caller's object: kind %q", p.Kind)
	}
}

func TestYAMLList(t *testing.T) {
	assertText(t, output(t, workloads()[:1], "yaml", false), `apiVersion: v1
items:
- apiVersion: v1
  kind: ReplicationController
  metadata:
    creationTimestamp: "2024-03-04T10:00:00Z"
    labels:
      app: kubia
    name: kubia
    namespace: default
    uid: uid-rc
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
        - image: luksa/kubia
          name: kubia
          ports:
          - containerPort: 8080
            protocol: TCP
          resources: {}
  status:
    availableReplicas: 2
    readyReplicas: 2
    replicas: 3
kind: List
metadata:
  resourceVersion: ""
`)
}

func TestJSON(t *testing.T) {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cfg", Namespace: "default", CreationTimestamp: at(0)},
		Data: map[string]string{"z": "<b>", "a": "1"}}
	assertText(t, output(t, []api.Object{cm}, "json", true), `{
    "apiVersion": "v1",
    "data": {
        "a": "1",
        "z": "\u003cb\u003e"
    },
    "kind": "ConfigMap",
    "metadata": {
        "creationTimestamp": "2024-03-04T10:00:00Z",
        "name": "cfg",
        "namespace": "default"
    }
}
`)
	assertText(t, output(t, nil, "json", false), `{
    "apiVersion": "v1",
    "items": [],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
`)
}

func TestNameOutput(t *testing.T) {
	wl := workloads()
	objs := []api.Object{outputPod(), wl[0], wl[1], wl[2], wl[3], wl[6], wl[8]}
	assertText(t, output(t, objs, "name", false), `pod/kubia-x7k2p
replicationcontroller/kubia
replicaset.apps/kubia
daemonset.apps/ssd-monitor
job.batch/batch-job
cronjob.batch/hello
deployment.apps/nginx-deployment
`)
}

func TestJSONPath(t *testing.T) {
	objs := []api.Object{outputPod(), workloads()[0]}
	assertText(t, output(t, objs[:1], "jsonpath={.status.phase}", true), "Running")
	assertText(t, output(t, objs, `jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'`, false), "kubia-x7k2p\nkubia\n")
	assertText(t, output(t, objs, `jsonpath={.items[*].metadata.name}`, false), "kubia-x7k2p kubia")
	assertText(t, output(t, objs[:1], `jsonpath={.spec.containers[0].ports[0].containerPort}`, true), "8080")
	// kubectl's default --allow-missing-template-keys=true prints nothing for a missing field.
	assertText(t, output(t, objs[:1], "jsonpath={.foo}", true), "")
	assertText(t, output(t, objs[:1], "jsonpath-as-json={.metadata.name}", true), "[\n    \"kubia-x7k2p\"\n]\n")
}

func TestJSONPathMissingKeyError(t *testing.T) {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c"}}
	err := PrintObjectsWithOptions(&bytes.Buffer{}, []api.Object{cm}, "jsonpath={.foo}", true, OutputOptions{DisallowMissingTemplateKeys: true})
	want := "error executing jsonpath \"{.foo}\": Error executing template: foo is not found. Printing more information for debugging the template:\n" +
		"\ttemplate was:\n\t\t{.foo}\n" +
		"\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"kind\":\"ConfigMap\", \"metadata\":map[string]interface {}{\"name\":\"c\"}}\n\n\n"
	if err == nil || err.Error() != want {
		t.Fatalf("got %q\nwant %q", err, want)
	}
}

func TestGoTemplate(t *testing.T) {
	objs := []api.Object{outputPod(), workloads()[0]}
	assertText(t, output(t, objs, `go-template={{range .items}}{{.metadata.name}}{{"\n"}}{{end}}`, false), "kubia-x7k2p\nkubia\n")
	assertText(t, output(t, objs[:1], `go-template={{.status.podIP}} {{(index .spec.containers 0).ports}} {{.nope}}`, true),
		"10.244.1.5 [map[containerPort:8080 protocol:TCP]] <no value>")
	// JSON numbers are float64 to the template, as kubectl decodes them.
	assertText(t, output(t, objs[1:], `template={{.spec.replicas}} {{printf "%d" .spec.replicas}}`, true), "3 %!d(float64=3)")
	var b bytes.Buffer
	err := PrintObjects(&b, objs[:1], `go-template=<{{.metadata.name}}>{{.metadata.name.x}}`, true)
	if err == nil || !strings.HasPrefix(err.Error(), `error executing template "<{{.metadata.name}}>{{.metadata.name.x}}": template: output:1:22: executing "output" at <.metadata.name.x>: can't evaluate field x in type string`) ||
		!strings.HasPrefix(b.String(), "<kubia-x7k2p>Error executing template: ") {
		t.Errorf("got %v\n%s", err, b.String())
	}
	if err := PrintObjects(&b, objs, `go-template={{.x}`, true); err == nil || err.Error() != "error parsing template {{.x}, template: output:1: unexpected \"}\" in operand\n" {
		t.Errorf("got %q", err)
	}
	for _, tc := range []struct{ output, template, want string }{
		{"", "", ""}, {"yaml", "", "yaml"}, {"", "{{.x}}", "go-template={{.x}}"}, {"go-template", "{{.x}}", "go-template={{.x}}"},
		{"go-template={{.y}}", "{{.x}}", "go-template={{.x}}"}, {"jsonpath", "{.x}", "jsonpath={.x}"}, {"json", "{{.x}}", "json"},
	} {
		if got := WithTemplate(tc.output, tc.template); got != tc.want {
			t.Errorf("WithTemplate(%q, %q) = %q, want %q", tc.output, tc.template, got, tc.want)
		}
	}
}

func TestCustomColumns(t *testing.T) {
	objs := []api.Object{outputPod(), workloads()[0]}
	assertText(t, output(t, objs, "custom-columns=NAME:.metadata.name,IP:status.podIP,PORTS:{.spec.containers[*].ports[*].containerPort},X:.nope", false),
		`NAME          IP           PORTS    X
kubia-x7k2p   10.244.1.5   8080     <none>
kubia         <none>       <none>   <none>
`)
	err := PrintObjects(&bytes.Buffer{}, objs, "custom-columns=NAME", false)
	if err == nil || err.Error() != "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>" {
		t.Errorf("got %v", err)
	}
}

func TestUnknownOutputFormat(t *testing.T) {
	err := PrintObjects(&bytes.Buffer{}, nil, "xyz", false)
	var npe *NoCompatiblePrinterError
	if !errors.As(err, &npe) {
		t.Fatalf("got %v", err)
	}
	want := `unable to match a printer suitable for the output format "xyz", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml`
	if err.Error() != want {
		t.Errorf("got %q", err.Error())
	}
	if err := PrintObjects(&bytes.Buffer{}, nil, "go-template-file=x.tmpl", false); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("go-template-file: %v", err)
	}
	if !IsTableFormat("") || !IsTableFormat("wide") || IsTableFormat("yaml") {
		t.Error("IsTableFormat")
	}
}
