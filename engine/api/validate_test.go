package api

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// decodeOne decodes, defaults and returns the single object of a manifest.
func decodeOne(t *testing.T, manifest string) Object {
	t.Helper()
	docs := Decode([]byte(manifest))
	if len(docs) != 1 || docs[0].Err != nil {
		t.Fatalf("decode: %+v", docs)
	}
	obj := docs[0].Object
	if obj.GetNamespace() == "" && docs[0].Resource.Namespaced {
		obj.SetNamespace("default")
	}
	Default(obj)
	return obj
}

const rcMismatch = `apiVersion: v1
kind: ReplicationController
metadata:
  name: x
spec:
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia2
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
`

// The project's acceptance test: kubectl prints "The " + this.
func TestReplicationControllerSelectorMismatch(t *testing.T) {
	obj := decodeOne(t, rcMismatch)
	err := InvalidError(obj, ValidateCreate(obj))
	want := "ReplicationController \"x\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"kubia2\"}: `selector` does not match template `labels`"
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}

func TestValidateMessages(t *testing.T) {
	pod := func(spec string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n" + spec
	}
	job := func(extra, restart string) string {
		return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: batch-job\nspec:\n" + extra + "  template:\n    spec:\n" + restart + "      containers:\n      - name: main\n        image: luksa/batch-job\n"
	}
	cron := func(extra string) string {
		return "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n" + extra + "  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: main\n            image: busybox\n"
	}
	rs := func(extra string) string {
		return "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: kubia\nspec:\n" + extra + "  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n"
	}
	deploy := func(strategy, selector string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n" + strategy + "  selector:\n    matchLabels:\n      app: " + selector +
			"\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n"
	}
	rolling := func(surge, unavailable string) string {
		return "  strategy:\n    rollingUpdate:\n      maxSurge: " + surge + "\n      maxUnavailable: " + unavailable + "\n"
	}
	tests := []struct {
		name, manifest, want string
	}{
		{"deployment surge and unavailable zero", deploy(rolling("0", "0"), "web"),
			"Deployment.apps \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"},
		{"deployment percentages zero", deploy(rolling("0%", "0%"), "web"),
			"Deployment.apps \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"},
		{"deployment unavailable above 100%", deploy(rolling("1", "150%"), "web"),
			`Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%`},
		{"deployment bad percent", deploy(rolling("x%", "1"), "web"),
			`Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: "x%": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`},
		{"deployment recreate with rollingUpdate", deploy("  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n", "web"),
			"Deployment.apps \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"},
		{"deployment selector mismatch", deploy("", "other"),
			"Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"},
		{"rs replicas", rs("  replicas: -1\n  selector:\n    matchLabels:\n      app: kubia\n"),
			`ReplicaSet.apps "kubia" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`},
		{"rs selector mismatch", rs("  selector:\n    matchLabels:\n      app: other\n"),
			"ReplicaSet.apps \"kubia\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"kubia\"}: `selector` does not match template `labels`"},
		{"rs selector missing", rs(""),
			"ReplicaSet.apps \"kubia\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: {\"app\":\"kubia\"}: `selector` does not match template `labels`]"},
		{"rs restartPolicy", strings.Replace(rs("  selector:\n    matchLabels:\n      app: kubia\n"), "    spec:\n", "    spec:\n      restartPolicy: OnFailure\n", 1),
			`ReplicaSet.apps "kubia" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`},
		{"job restartPolicy Always", job("", ""),
			`Job.batch "batch-job" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`},
		{"job restartPolicy with podFailurePolicy", job("  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onPodConditions:\n      - type: DisruptionTarget\n", "      restartPolicy: OnFailure\n"),
			`Job.batch "batch-job" is invalid: spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`},
		{"job backoffLimitPerIndex needs Indexed", job("  backoffLimitPerIndex: 1\n", "      restartPolicy: Never\n"),
			`Job.batch "batch-job" is invalid: spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode`},
		{"job Indexed needs completions", job("  completionMode: Indexed\n  parallelism: 2\n", "      restartPolicy: Never\n"),
			`Job.batch "batch-job" is invalid: spec.completions: Required value: when completion mode is Indexed`},
		{"job negative", job("  completions: -1\n  backoffLimit: -2\n", "      restartPolicy: Never\n"),
			`Job.batch "batch-job" is invalid: [spec.completions: Invalid value: -1: must be greater than or equal to 0, spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0]`},
		{"cronjob schedule", cron("  schedule: \"61 * * * *\"\n"),
			`CronJob.batch "c" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61`},
		{"cronjob TZ", cron("  schedule: \"CRON_TZ=UTC * * * * *\"\n"),
			`CronJob.batch "c" is invalid: spec.schedule: Invalid value: "CRON_TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`},
		{"cronjob timeZone", cron("  schedule: \"* * * * *\"\n  timeZone: Europe/Pariss\n"),
			`CronJob.batch "c" is invalid: spec.timeZone: Invalid value: "Europe/Pariss": unknown time zone Europe/Pariss`},
		{"cronjob limits", cron("  schedule: \"@hourly\"\n  startingDeadlineSeconds: -1\n  successfulJobsHistoryLimit: -1\n"),
			`CronJob.batch "c" is invalid: [spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0, spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0]`},
		{"pod no containers", pod("  containers: []\n"),
			`Pod "p" is invalid: spec.containers: Required value`},
		{"pod bad container name and no image", pod("  containers:\n  - name: Web_1\n"),
			`Pod "p" is invalid: [spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), spec.containers[0].image: Required value]`},
		{"pod duplicate container", pod("  containers:\n  - name: a\n    image: x\n  - name: a\n    image: z\n"),
			`Pod "p" is invalid: spec.containers[1].name: Duplicate value: "a"`},
		{"pod port range", pod("  containers:\n  - name: a\n    image: x\n    ports:\n    - containerPort: 70000\n"),
			`Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`},
		{"pod restartPolicy", pod("  restartPolicy: Sometimes\n  containers:\n  - name: a\n    image: x\n"),
			`Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`},
		{"liveness successThreshold", pod("  containers:\n  - name: a\n    image: x\n    livenessProbe:\n      successThreshold: 2\n      httpGet:\n        port: 8080\n"),
			`Pod "p" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1`},
		{"probe without handler", pod("  containers:\n  - name: a\n    image: x\n    readinessProbe:\n      periodSeconds: 5\n"),
			`Pod "p" is invalid: spec.containers[0].readinessProbe: Required value: must specify a handler type`},
		{"probe with two handlers", pod("  containers:\n  - name: a\n    image: x\n    readinessProbe:\n      exec:\n        command: [ls]\n      tcpSocket:\n        port: 80\n      terminationGracePeriodSeconds: 5\n"),
			`Pod "p" is invalid: [spec.containers[0].readinessProbe: Forbidden: may not specify more than 1 handler type, spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes]`},
		{"name", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: a\n    image: x\n",
			`Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
		{"name missing", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n",
			`Pod "" is invalid: metadata.name: Required value: name or generateName is required`},
		{"label value", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: \"a b\"\nspec:\n  containers:\n  - name: a\n    image: x\n",
			`Pod "p" is invalid: metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
		{"namespace name", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: my.ns\n",
			`Namespace "my.ns" is invalid: metadata.name: Invalid value: "my.ns": must not contain dots`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := decodeOne(t, tt.manifest)
			errs := ValidateCreate(obj)
			if len(errs) == 0 {
				t.Fatalf("no error, want %s", tt.want)
			}
			if got := InvalidError(obj, errs).Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	// generateName instead of name.
	obj := decodeOne(t, "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: p-\nspec:\n  containers:\n  - name: a\n    image: x\n")
	if errs := ValidateCreate(obj); len(errs) != 0 {
		t.Errorf("generateName: %v", errs)
	}
}

func TestValidateUpdate(t *testing.T) {
	podYAML := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: x:1\n"
	old := decodeOne(t, podYAML)
	AdmitPod(old.(*corev1.Pod))
	old.SetResourceVersion("7") // stored objects have one; updates without one inherit it

	image := old.DeepCopyObject().(*corev1.Pod)
	image.Spec.Containers[0].Image = "x:2"
	image.Spec.NodeName = "worker-1"
	image.Labels = map[string]string{"a": "b"}
	if errs := ValidateUpdate(image, old); len(errs) != 0 {
		t.Errorf("image/label/nodeName update: %v", errs)
	}
	ports := old.DeepCopyObject().(*corev1.Pod)
	ports.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 80, Protocol: "TCP"}}
	want := "Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
	if got := InvalidError(ports, ValidateUpdate(ports, old)).Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	rs := "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: kubia\nspec:\n  selector:\n    matchLabels:\n      app: SEL\n  template:\n    metadata:\n      labels:\n        app: kubia\n        v: two\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n"
	oldRS := decodeOne(t, strings.Replace(rs, "SEL", "kubia", 1))
	oldRS.SetResourceVersion("7")
	newRS := decodeOne(t, strings.Replace(strings.Replace(rs, "SEL", "kubia", 1), "app: kubia\n  template", "app: kubia\n      v: two\n  template", 1))
	got := InvalidError(newRS, ValidateUpdate(newRS, oldRS)).Error()
	if want := `ReplicaSet.apps "kubia" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"kubia","v":"two"}}: field is immutable`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	jobYAML := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  uid: u1\nspec:\n  completions: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox\n"
	oldJob := decodeOne(t, jobYAML)
	oldJob.SetResourceVersion("7")
	newJob := decodeOne(t, strings.Replace(jobYAML, "completions: 2", "completions: 3", 1))
	if got := InvalidError(newJob, ValidateUpdate(newJob, oldJob)).Error(); got != `Job.batch "j" is invalid: spec.completions: Invalid value: 3: field is immutable` {
		t.Errorf("got %s", got)
	}
}
