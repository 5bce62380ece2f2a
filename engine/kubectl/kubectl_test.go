package kubectl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/apiserver"
)

// step is one command line and what kubectl prints for it.
type step struct {
	cmd      string
	stdin    string // used when non-empty
	out, err string
	code     int
}

const rcYAML = `apiVersion: v1
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
`

var testFiles = map[string]string{
	"kubia-rc.yaml":      rcYAML,
	"kubia-rc-bad.yaml":  strings.Replace(rcYAML, "      labels:\n        app: kubia\n", "      labels:\n        app: kubia2\n", 1),
	"kubia-rc-5.yaml":    strings.Replace(rcYAML, "replicas: 3", "replicas: 5", 1),
	"kubia-rc-huge.yaml": strings.Replace(rcYAML, "replicas: 3", "replicas: 300000", 1),
	"two-errors.yaml": strings.Replace(strings.Replace(rcYAML, "      labels:\n        app: kubia\n", "      labels:\n        app: kubia2\n", 1),
		"      containers:", "      restartPolicy: OnFailure\n      containers:", 1),
	"pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
spec:
  containers:
  - image: luksa/kubia
    name: kubia
`,
	"multi.yaml": `apiVersion: v1
kind: Namespace
metadata:
  name: custom-namespace
---
apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: c
    imagee: busybox
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: b
`,
	"nokind.yaml":       "apiVersion: v1\nmetadata:\n  name: x\n",
	"unknown-kind.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
	"job-always.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: batch-job
spec:
  template:
    spec:
      containers:
      - name: main
        image: luksa/batch-job
`,
	// The docs' patch.yaml (pod-failure-policy task, custom pod conditions).
	"patch.yaml": `status:
  conditions:
  - type: ConfigIssue
    status: "True"
    reason: "NonExistingImage"
    lastTransitionTime: "2026-01-01T09:00:00Z"
`,
	"dir/a.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
	"dir/b.yml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
	"dir/notes.md": "not a manifest",
}

func runSteps(t *testing.T, steps []step) {
	t.Helper()
	runStepsIn(t, newSession(t), steps)
}

func runStepsIn(t *testing.T, s *session, steps []step) {
	t.Helper()
	for k, v := range testFiles {
		s.files[k] = v
	}
	for i, st := range steps {
		var out, errOut string
		var code int
		if st.stdin != "" {
			out, errOut, code = s.run(st.cmd, st.stdin)
		} else {
			out, errOut, code = s.run(st.cmd)
		}
		if out != st.out || errOut != st.err || code != st.code {
			t.Errorf("step %d: kubectl %s\n--- got stdout:\n%s--- want stdout:\n%s--- got stderr:\n%s--- want stderr:\n%s--- exit %d, want %d\ngot (quoted): out=%q err=%q",
				i, st.cmd, out, st.out, errOut, st.err, code, st.code, out, errOut)
		}
	}
}

// These cases need nothing but the store: no controller has to act.
func TestCommandsWithoutControllers(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"invalid RC creates nothing", []step{
			{cmd: "apply -f kubia-rc-bad.yaml", err: "The ReplicationController \"kubia\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"kubia2\"}: `selector` does not match template `labels`\n", code: 1},
			{cmd: "get rc", err: "No resources found in default namespace.\n"},
		}},
		{"several causes print as a list", []step{
			{cmd: "create -f two-errors.yaml", err: "The ReplicationController \"kubia\" is invalid: \n* spec.template.metadata.labels: Invalid value: {\"app\":\"kubia2\"}: `selector` does not match template `labels`\n* spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"\n", code: 1},
		}},
		{"job with restartPolicy Always", []step{
			{cmd: "apply -f job-always.yaml", err: "The Job \"batch-job\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"\n", code: 1},
		}},
		{"missing files and bad documents", []step{
			{cmd: "apply -f nothere.yaml", err: "error: the path \"nothere.yaml\" does not exist\n", code: 1},
			{cmd: "apply", err: "error: must specify one of -f and -k\n", code: 1},
			{cmd: "apply -f nokind.yaml", err: "error: error validating \"nokind.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n", code: 1},
			{cmd: "apply -f unknown-kind.yaml", err: "error: resource mapping not found for name: \"w\" namespace: \"\" from \"unknown-kind.yaml\": no matches for kind \"Widget\" in version \"example.com/v1\"\nensure CRDs are installed first\n", code: 1},
		}},
		{"one bad document does not stop the others", []step{
			{cmd: "apply -f multi.yaml",
				out:  "namespace/custom-namespace created\nconfigmap/settings created\n",
				err:  "Error from server (BadRequest): error when creating \"multi.yaml\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\" (did you mean \"image\"?)\n",
				code: 1},
			{cmd: "get cm settings -o jsonpath={.data.a}", out: "b"},
		}},
		{"apply a directory and stdin", []step{
			{cmd: "apply -f dir", out: "configmap/a created\nconfigmap/b created\n"},
			{cmd: "apply -f -", stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", out: "configmap/c created\n"},
			{cmd: "create -f -", stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", err: "Error from server (AlreadyExists): error when creating \"STDIN\": configmaps \"c\" already exists\n", code: 1},
			{cmd: "get cm -o name", out: "configmap/a\nconfigmap/b\nconfigmap/c\nconfigmap/kube-root-ca.crt\n"},
		}},
		{"apply keeps the last applied configuration", []step{
			{cmd: "apply -f pod.yaml", out: "pod/kubia-manual created\n"},
			{cmd: "get pod kubia-manual -o jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}",
				out: `{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"kubia-manual","namespace":"default"},"spec":{"containers":[{"image":"luksa/kubia","name":"kubia"}]}}` + "\n"},
			{cmd: "apply -f pod.yaml", out: "pod/kubia-manual unchanged\n"},
			{cmd: "create -f pod.yaml", err: "Error from server (AlreadyExists): error when creating \"pod.yaml\": pods \"kubia-manual\" already exists\n", code: 1},
		}},
		{"apply --validate: the API server's field validation", []step{
			{cmd: "apply --validate=bogus -f -", stdin: typoPod, err: "error: invalid - validate option \"bogus\"; must be one of: strict (or true), warn, ignore (or false)\n", code: 1},
			{cmd: "apply -f -", stdin: typoPod, err: "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].foo\", unknown field \"spec.containers[0].imagePullPolice\" (did you mean \"imagePullPolicy\"?)\n", code: 1},
			{cmd: "apply --validate=warn -f -", stdin: typoPod, out: "pod/typo created\n", err: "Warning: unknown field \"spec.containers[0].foo\"\nWarning: unknown field \"spec.containers[0].imagePullPolice\"\n"},
			{cmd: "delete pod typo --now", out: "pod \"typo\" deleted from default namespace\n"},
			{cmd: "apply --validate=false -f -", stdin: typoPod, out: "pod/typo created\n"},
			{cmd: "get pod typo -o jsonpath={.spec.containers[0].imagePullPolicy}", out: "IfNotPresent"},
		}},
		{"run checks its flags as kubectl v1.37 does", []step{
			{cmd: "run", err: "error: required flag(s) \"image\" not set\n", code: 1},
			{cmd: "run x", err: "error: required flag(s) \"image\" not set\n", code: 1},
			{cmd: "run --image=busybox", err: "error: NAME is required for run\n", code: 1},
			{cmd: "run x --image=", err: "error: --image is required\n", code: 1},
			{cmd: "run x --image=busybox --port=abc", err: "error: --port must be a number\n", code: 1},
			{cmd: "run x --image=busybox --restart=Bad", err: "error: invalid restart policy: Bad, valid values are: Always, OnFailure, Never\n", code: 1},
			{cmd: "run x --image=busybox -l a", err: "error: unexpected label spec: a\n", code: 1},
			{cmd: "run x --image=busybox --env=1a=b", err: "error: invalid env: 1a=b\n", code: 1},
			{cmd: "run x --image=busybox -t", err: "error: -i/--stdin is required for containers with -t/--tty=true\n", code: 1},
			{cmd: "run x --image=busybox --rm", err: "error: --rm should only be used for attached containers\n", code: 1},
			{cmd: "get pods", err: "No resources found in default namespace.\n"},
		}},
		{"command line errors", []step{
			{cmd: "foo", err: "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n", code: 1},
			{cmd: "gett pods", err: "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tset\n", code: 1},
			{cmd: "get pods --foo", err: "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n", code: 1},
			{cmd: "get pods -z", err: "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n", code: 1},
			{cmd: "get foo", err: "error: the server doesn't have a resource type \"foo\"\n", code: 1},
			// A resource a real cluster serves and kubetab does not: api-resources lists it.
			{cmd: "get sts", err: "error: kubetab does not simulate statefulsets.apps (apps/v1 StatefulSet) yet; a real cluster serves them\n", code: 1},
			{cmd: "api-resources --api-group=apps -o name", out: "controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n"},
			{cmd: "get", err: "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n", code: 1},
			{cmd: "get pods -l app:kubia", err: "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"app:kubia\", field selector \"\": unable to parse requirement: <nil>: Invalid value: \"app:kubia\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n", code: 1},
			{cmd: "get pods x -l app=kubia", err: "error: name cannot be provided when a selector is specified\n", code: 1},
			{cmd: "get pod missing", err: "Error from server (NotFound): pods \"missing\" not found\n", code: 1},
			// kubectl's printGeneric: one name that is missing is only its error; several are
			// an empty List and the errors; --ignore-not-found prints nothing at all.
			{cmd: "get pod missing -o yaml", err: "Error from server (NotFound): pods \"missing\" not found\n", code: 1},
			{cmd: "get pods missing other -o name", err: "Error from server (NotFound): pods \"missing\" not found\nError from server (NotFound): pods \"other\" not found\n", code: 1},
			{cmd: "get pod missing --ignore-not-found"},
			{cmd: "get pods --ignore-not-found -o yaml"},
			{cmd: "delete pod missing --ignore-not-found"},
			{cmd: "get pods -n kube-system", err: "No resources found in kube-system namespace.\n"},
			{cmd: "get pods -a", err: "kubetab: --show-all (-a) was removed in kubectl v1.14 (a real kubectl refuses it); completed pods are always listed.\nNo resources found in default namespace.\n"},
			{cmd: "delete pod missing", err: "Error from server (NotFound): pods \"missing\" not found\n", code: 1},
			{cmd: "delete pods", err: "error: resource(s) were provided, but no name was specified\n", code: 1},
			{cmd: "delete pods --all", out: "No resources found\n"},
			{cmd: "scale rc kubia", err: "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n", code: 1},
		}},
		{"informational commands", []step{
			{cmd: "version", out: "Client Version: v1.37.2\nKustomize Version: v5.8.1\nServer Version: v1.37.2\n"},
			{cmd: "version --client", out: "Client Version: v1.37.2\nKustomize Version: v5.8.1\n"},
			{cmd: "cluster-info", out: "Kubernetes control plane is running at https://127.0.0.1:6443\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"},
			{cmd: "config current-context", out: "kubetab\n"},
			{cmd: "version --client -o yaml", out: "clientVersion:\n  buildDate: \"2026-01-01T00:00:00Z\"\n  compiler: gc\n  gitCommit: \"0000000000000000000000000000000000000000\"\n  gitTreeState: clean\n  gitVersion: v1.37.2\n  goVersion: go1.26.8\n  major: \"1\"\n  minor: \"37\"\n  platform: linux/amd64\nkustomizeVersion: v5.8.1\n\n"},
			{cmd: "version -o xml", err: "error: --output must be 'yaml' or 'json'\n", code: 1},
			// get --raw: the API server's body as it wrote it for kubectl (compact JSON; /version
			// indented), its errors read from the Status it answered with.
			{cmd: "get --raw /api", out: `{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":""}]}`},
			{cmd: "get --raw /api/v1/namespaces/default/pods/nope", err: "Error from server (NotFound): pods \"nope\" not found\n", code: 1},
			{cmd: "get --raw /nope", err: "Error from server (NotFound): the server could not find the requested resource\n", code: 1},
			{cmd: "get pods --raw /x", err: "error: arguments may not be passed when --raw is specified\n", code: 1},
			// auth: the admin (system:masters) may do everything; kubectl's warnings stand.
			{cmd: "auth can-i create deployments", out: "yes\n"},
			{cmd: "auth can-i get nodes", out: "yes\n", err: "Warning: resource 'nodes' is not namespace scoped\n\n"},
			{cmd: "auth can-i frob foo.bar", out: "yes\n", err: "Warning: verb 'frob' is not a known verb\n\nWarning: the server doesn't have a resource type 'foo' in group 'bar'\n\n"},
			{cmd: "auth can-i get pods -q"},
			{cmd: "auth can-i get", err: "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n", code: 1},
			{cmd: "auth can-i get /healthz --subresource=x", err: "error: --subresource can not be used with NonResourceURL\n", code: 1},
			{cmd: "auth can-i get pods --as=bob", err: "error: kubetab does not simulate RBAC (roles and bindings), so it cannot say what \"bob\" may do; its one user, kubernetes-admin in group system:masters, may do everything\n", code: 1},
			{cmd: "auth whoami", out: "ATTRIBUTE                                           VALUE\nUsername                                            kubernetes-admin\nGroups                                              [system:masters system:authenticated]\nExtra: authentication.kubernetes.io/credential-id   [X509SHA256=aa39ee65c37d59df5bda436fb2a053857c7cdd52b0471c3c9e692d63ef7adfdd]\n"},
			{cmd: "get ns", out: "NAME              STATUS   AGE\ndefault           Active   0s\nkube-node-lease   Active   0s\nkube-public       Active   0s\nkube-system       Active   0s\n"},
		}},
		{"label and annotate", []step{
			{cmd: "create namespace team-a", out: "namespace/team-a created\n"},
			{cmd: "label ns team-a env=prod", out: "namespace/team-a labeled\n"},
			{cmd: "label ns team-a env=dev", err: "error: 'env' already has a value (prod), and --overwrite is false\n", code: 1},
			{cmd: "label ns team-a env=dev --overwrite", out: "namespace/team-a labeled\n"},
			{cmd: "label ns team-a env=dev", out: "namespace/team-a not labeled\n"},
			{cmd: "label ns team-a tier-", out: "label \"tier\" not found.\nnamespace/team-a not labeled\n"},
			{cmd: "label ns team-a env-", out: "namespace/team-a unlabeled\n"},
			// kubectl v1.37 names what changed: a value added and another removed is "modified".
			{cmd: "label ns team-a a=1", out: "namespace/team-a labeled\n"},
			{cmd: "label ns team-a a- b=3", out: "namespace/team-a modified\n"},
			{cmd: "label ns team-a b- --overwrite", out: "namespace/team-a unlabeled\n"},
			// Label values are checked before any lookup; the API server checks the keys.
			{cmd: "label ns missing 'a=bad value'", err: "error: invalid label value: \"a=bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n", code: 1},
			{cmd: "label ns team-a a=b=c", err: "error: invalid label spec: a=b=c\n", code: 1},
			{cmd: "label ns team-a a=1 a-", err: "error: can not both modify and remove a label in the same command\n", code: 1},
			{cmd: "annotate ns team-a a=1 a-", err: "error: can not both modify and remove the following annotation(s) in the same command: a\n", code: 1},
			{cmd: "label ns team-a a=1 team-b", err: "error: all resources must be specified before label changes: team-b\n", code: 1},
			{cmd: "label ns team-a", err: "error: at least one label update is required\n", code: 1},
			{cmd: "annotate ns team-a owner=me", out: "namespace/team-a annotated\n"},
			{cmd: "annotate ns team-a owner=you", err: "error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value (me)\n", code: 1},
			{cmd: "get ns -l env --show-labels", err: "No resources found\n"},
		}},
		{"cordon", []step{
			{cmd: "cordon kubetab-worker", out: "node/kubetab-worker cordoned\n"},
			{cmd: "cordon kubetab-worker", out: "node/kubetab-worker already cordoned\n"},
			{cmd: "get node kubetab-worker -o jsonpath={.spec.unschedulable}", out: "true"},
			{cmd: "uncordon kubetab-worker", out: "node/kubetab-worker uncordoned\n"},
			{cmd: "cordon nope", err: "Error from server (NotFound): nodes \"nope\" not found\n", code: 1},
			{cmd: "cordon kubetab-worker --dry-run=client", out: "node/kubetab-worker cordoned (dry run)\n"},
			{cmd: "get node kubetab-worker -o jsonpath={.spec.unschedulable}", out: ""},
			{cmd: "uncordon kubetab-worker --dry-run=client", out: "node/kubetab-worker already uncordoned (dry run)\n"},
		}},
		{"taint", []step{
			{cmd: "taint nodes kubetab-worker k=v:NoSchedule", out: "node/kubetab-worker tainted\n"},
			{cmd: "taint nodes kubetab-worker k=w:NoSchedule", err: "error: node kubetab-worker already has k taint(s) with same effect(s) and --overwrite is false\n", code: 1},
			{cmd: "taint nodes kubetab-worker k=w:NoSchedule --overwrite", out: "node/kubetab-worker modified\n"},
			// kubectl puts the taints it adds first.
			{cmd: "taint nodes kubetab-worker j:NoExecute", out: "node/kubetab-worker tainted\n"},
			{cmd: "get node kubetab-worker -o jsonpath={.spec.taints}", out: `[{"effect":"NoExecute","key":"j"},{"effect":"NoSchedule","key":"k","value":"w"}]`},
			{cmd: "taint nodes kubetab-worker k:NoExecute-", err: "error: taint \"k:NoExecute\" not found\n", code: 1},
			{cmd: "taint nodes kubetab-worker k- j-", out: "node/kubetab-worker untainted\n"},
			{cmd: "taint nodes kubetab-worker a=b:Sometimes", err: "error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n", code: 1},
			{cmd: "taint nodes kubetab-worker a=b:NoSchedule a-", err: "error: can not both modify and remove the following taint(s) in the same command: a=\n", code: 1},
			{cmd: "taint nodes kubetab-worker a=b:NoSchedule other", err: "error: all resources must be specified before taint changes: other\n", code: 1},
			{cmd: "taint pods x a=b:NoSchedule", err: "error: invalid resource type pods, only node types are supported\n", code: 1},
			{cmd: "taint nodes kubetab-worker x=y:NoSchedule --dry-run=client", out: "node/kubetab-worker tainted\n"},
			{cmd: "get node kubetab-worker -o jsonpath={.spec.taints}", out: ""},
			{cmd: "api-versions", out: "admissionregistration.k8s.io/v1\napiextensions.k8s.io/v1\napiregistration.k8s.io/v1\napps/v1\nauthentication.k8s.io/v1\nauthorization.k8s.io/v1\nautoscaling/v1\nautoscaling/v2\nbatch/v1\ncertificates.k8s.io/v1\ncoordination.k8s.io/v1\ndiscovery.k8s.io/v1\nevents.k8s.io/v1\nflowcontrol.apiserver.k8s.io/v1\nnetworking.k8s.io/v1\nnode.k8s.io/v1\npolicy/v1\nrbac.authorization.k8s.io/v1\nresource.k8s.io/v1\nscheduling.k8s.io/v1\nstorage.k8s.io/v1\nstoragemigration.k8s.io/v1\nv1\n"},
		}},
		{"config", []step{
			{cmd: "config current-context", out: "kubetab\n"},
			{cmd: "config use-context kubetab", out: "Switched to context \"kubetab\".\n"},
			{cmd: "config use-context nope", err: "error: no context exists with the name: \"nope\"\n", code: 1},
			{cmd: "config set-context", err: "error: you must specify a non-empty context name or --current\n", code: 1},
			{cmd: "config set-context --current --namespace=kube-system", out: "Context \"kubetab\" modified.\n"},
			{cmd: "config get-contexts", out: "CURRENT   NAME      CLUSTER   AUTHINFO   NAMESPACE\n*         kubetab   kubetab   kubetab    kube-system\n"},
			{cmd: "config view --minify -o jsonpath={..namespace}", out: "kube-system"},
			// Commands without -n look in the context's namespace.
			{cmd: "get pods", err: "No resources found in kube-system namespace.\n"},
			{cmd: "get pods -n default", err: "No resources found in default namespace.\n"},
			{cmd: "config set-context kubetab --namespace=", out: "Context \"kubetab\" modified.\n"},
			{cmd: "get pods", err: "No resources found in default namespace.\n"},
			{cmd: "config set-context other --namespace=x", err: "error: kubetab has one fixed context, \"kubetab\"; \"kubectl config set-context other\" cannot make another\n", code: 1},
			{cmd: "config view", out: "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://127.0.0.1:6443\n  name: kubetab\ncontexts:\n- context:\n    cluster: kubetab\n    user: kubetab\n  name: kubetab\ncurrent-context: kubetab\nkind: Config\nusers:\n- name: kubetab\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n"},
		}},
		{"create cronjob", []step{
			{cmd: "create cronjob hello --image=busybox:1.28 --schedule='*/1 * * * *' -- echo 'Hello World'", out: "cronjob.batch/hello created\n"},
			{cmd: "get cj hello -o jsonpath={.spec.jobTemplate.metadata.name}/{.spec.jobTemplate.spec.template.spec.restartPolicy}/{.spec.jobTemplate.spec.template.spec.containers[0].command}", out: `hello/OnFailure/["echo","Hello World"]`},
			{cmd: "create cronjob x", err: "error: required flag(s) \"image\", \"schedule\" not set\n", code: 1},
			{cmd: "create cronjob --image=busybox --schedule=@hourly", err: "error: exactly one NAME is required, got 0\nSee 'kubectl create cronjob -h' for help and examples\n", code: 1},
			{cmd: "create cronjob x --image=busybox --schedule=bad", err: "error: failed to create cronjob: CronJob.batch \"x\" is invalid: spec.schedule: Invalid value: \"bad\": expected exactly 5 fields, found 1: [bad]\n", code: 1},
			{cmd: "create cj y --image=busybox --schedule=@hourly --restart=Never", out: "cronjob.batch/y created\n"},
		}},
		{"api-resources filters", []step{
			{cmd: "api-resources --verbs=create,get --api-group=apps -o name", out: "controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n"},
			{cmd: "api-resources --categories=all --api-group=batch --sort-by=kind -o name", out: "cronjobs.batch\njobs.batch\n"},
			{cmd: "api-resources --verbs=create --api-group=authentication.k8s.io --no-headers", out: "selfsubjectreviews         authentication.k8s.io/v1   false   SelfSubjectReview\ntokenreviews               authentication.k8s.io/v1   false   TokenReview\n"},
			{cmd: "api-resources --sort-by=age", err: "error: --sort-by accepts only name or kind\n", code: 1},
		}},
		{"events", []step{
			{cmd: "events -n kube-system", err: "No events found in kube-system namespace.\n"},
			{cmd: "events -A --types=Warning", err: "No events found.\n"},
			{cmd: "events --for nope", err: "error: --for must be in resource/name form\n", code: 1},
			{cmd: "events --types=Foo", err: "error: valid --types are Normal or Warning\n", code: 1},
			{cmd: "events --for foo/x", err: "error: the server doesn't have a resource type \"foo\"\n", code: 1},
			{cmd: "events -o name"},
			{cmd: "events -n kube-system -o json", out: "{\n    \"kind\": \"EventList\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {},\n    \"items\": []\n}\n"},
		}},
		{"run --overrides", []step{
			{cmd: `run a --image=busybox --overrides='{"spec":{"nodeName":"kubetab-worker"}}' --dry-run=client -o jsonpath={.spec.nodeName}`, out: "kubetab-worker"},
			{cmd: `run a --image=busybox --overrides='[{"op":"add","path":"/metadata/labels/x","value":"y"}]' --override-type=json --dry-run=client -o jsonpath={.metadata.labels}`, out: `{"run":"a","x":"y"}`},
			{cmd: "run a --image=busybox --overrides={bad", err: "error: Invalid JSON Patch\n", code: 1},
			{cmd: "run a --image=busybox --overrides={} --override-type=foo", err: "error: invalid override type: foo\n", code: 1},
		}},
		{"limits", []step{
			{cmd: "apply -f kubia-rc-huge.yaml", err: hugeRC, code: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runSteps(t, tt.steps) })
	}
}

// These cases need the controllers, the scheduler and the kubelet of the default cluster.
// hugeRC is the API server's answer to 300,000 replicas: past the platform's pod budget
// (apiserver.DefaultMaxPods is smaller in the browser, where this test runs too).
var hugeRC = fmt.Sprintf("The ReplicationController \"kubia\" is invalid: spec.replicas: Invalid value: 300000: must be no more than kubetab's pod budget (%d pods)\n", apiserver.DefaultMaxPods)

func TestCommandsWithControllers(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"apply, reapply, configure, scale", []step{
			{cmd: "apply -f kubia-rc.yaml", out: "replicationcontroller/kubia created\n"},
			{cmd: "apply -f kubia-rc.yaml", out: "replicationcontroller/kubia unchanged\n"},
			{cmd: "apply -f kubia-rc-5.yaml", out: "replicationcontroller/kubia configured\n"},
			{cmd: "get rc kubia -o jsonpath={.spec.replicas}/{.status.replicas}", out: "5/5"},
			{cmd: "scale rc kubia --replicas=2", out: "replicationcontroller/kubia scaled\n"},
			{cmd: "get rc kubia -o jsonpath={.status.replicas}", out: "2"},
			{cmd: "scale rc kubia --replicas=300000", err: hugeRC, code: 1},
		}},
		{"run, wait, logs, delete", []step{
			{cmd: "run kubia --image=luksa/kubia --port=8080 --generator=run/v1", out: "pod/kubia created\n",
				err: "kubetab: --generator was removed from kubectl (a real kubectl refuses it); since v1.18 run creates only a pod (the book's --generator=run/v1 made a ReplicationController; apply a manifest for that).\n"},
			{cmd: "get pod kubia -o jsonpath={.metadata.labels.run}", out: "kubia"},
			{cmd: "wait pod/kubia --for=condition=Ready --timeout=60s", out: "pod/kubia condition met\n"},
			{cmd: "logs kubia", out: "Kubia server starting...\n"},
			{cmd: "logs kubia -c nope", err: "error: container nope is not valid for pod kubia\n", code: 1},
			{cmd: "delete pod kubia", out: "pod \"kubia\" deleted from default namespace\n"},
			{cmd: "get pods", err: "No resources found in default namespace.\n"},
			{cmd: "wait pod/kubia --for=delete", out: ""},
		}},
		{"jobs", []step{
			{cmd: "create job hello --image=busybox -- sh -c 'echo hi'", out: "job.batch/hello created\n"},
			{cmd: "scale job hello --replicas=3", err: "Error from server (NotFound): the server could not find the requested resource\n", code: 1},
			{cmd: "wait job/hello --for=condition=Complete --timeout=2m", out: "job.batch/hello condition met\n"},
			{cmd: "get job hello -o jsonpath={.status.succeeded}", out: "1"},
			{cmd: "delete job hello --cascade=false", out: "job.batch \"hello\" deleted from default namespace\n",
				err: "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n"},
		}},
		{"patch", []step{
			{cmd: "apply -f pod.yaml", out: "pod/kubia-manual created\n"},
			{cmd: `patch pod kubia-manual -p '{"metadata":{"labels":{"env":"prod"}}}'`, out: "pod/kubia-manual patched\n"},
			{cmd: `patch pod kubia-manual -p '{"metadata":{"labels":{"env":"prod"}}}'`, out: "pod/kubia-manual patched (no change)\n"},
			{cmd: `patch pod kubia-manual --type=json -p '[{"op":"remove","path":"/metadata/labels/env"}]'`, out: "pod/kubia-manual patched\n"},
			{cmd: `patch pod kubia-manual --type=foo -p '{}'`, err: "error: --type must be one of [json merge strategic], not \"foo\"\n", code: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runSteps(t, tt.steps) })
	}
}

// TestPatchSubresources: --subresource=status writes only the status (conditions merge by
// type), --subresource=scale goes through the object's autoscaling/v1 Scale.
func TestPatchSubresources(t *testing.T) {
	const configIssue = `'{"status":{"conditions":[{"type":"ConfigIssue","status":"True","reason":"NonExistingImage","lastTransitionTime":"2026-01-01T09:00:00Z"}]}}'`
	runSteps(t, []step{
		{cmd: "apply -f pod.yaml", out: "pod/kubia-manual created\n"},
		{cmd: "patch pod kubia-manual --subresource=status --patch-file=patch.yaml", out: "pod/kubia-manual patched\n"},
		{cmd: "patch pod kubia-manual --subresource=status -p " + configIssue, out: "pod/kubia-manual patched (no change)\n"},
		{cmd: `get pod kubia-manual -o jsonpath={.status.conditions[*].type}`, out: "ConfigIssue PodReadyToStartContainers Initialized Ready ContainersReady PodScheduled"},
		{cmd: `get pod kubia-manual -o jsonpath={.status.conditions[0].reason}`, out: "NonExistingImage"},
		// What a status patch does to the spec is dropped, as the API server's status strategy does.
		{cmd: `patch pod kubia-manual --subresource=status -p '{"spec":{"activeDeadlineSeconds":5}}'`, out: "pod/kubia-manual patched (no change)\n"},
		{cmd: `get pod kubia-manual -o jsonpath={.spec.activeDeadlineSeconds}`, out: ""},
		// A status field through the main resource is dropped too.
		{cmd: `patch pod kubia-manual -p '{"status":{"conditions":[{"type":"Other","status":"True"}]}}'`, out: "pod/kubia-manual patched (no change)\n"},
		{cmd: `patch pod kubia-manual --subresource=status --type=merge -p '{"status":{"phase":"Failed"}}' --dry-run=client -o jsonpath={.status.phase}`, out: "Failed"},
		{cmd: `get pod kubia-manual -o jsonpath={.status.phase}`, out: "Pending"},
		{cmd: `patch pod kubia-manual --subresource=foo -p '{}'`, err: "error: invalid subresource value: \"foo\". Must be one of [status scale]\n", code: 1},
		{cmd: `patch pod kubia-manual --subresource=scale -p '{}'`, err: "Error from server (NotFound): the server could not find the requested resource\n", code: 1},
		{cmd: "create -f dir/a.yaml", out: "configmap/a created\n"},
		{cmd: `patch configmap a --subresource=status -p '{}'`, err: "Error from server (NotFound): the server could not find the requested resource\n", code: 1},

		{cmd: "apply -f kubia-rc.yaml", out: "replicationcontroller/kubia created\n"},
		{cmd: `patch rc kubia --subresource=scale --type=merge -p '{"spec":{"replicas":5}}'`, out: "scale.autoscaling/kubia patched\n"},
		{cmd: `get rc kubia -o jsonpath={.spec.replicas}`, out: "5"},
		{cmd: `patch rc kubia --subresource=scale -p '{"spec":{"replicas":5}}'`, out: "scale.autoscaling/kubia patched (no change)\n"},
		{cmd: `patch rc kubia --subresource=scale -p '{"spec":{"replicas":-1}}'`, err: "The Scale \"kubia\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n", code: 1},
		{cmd: `patch rc kubia --subresource=scale --type=json -p '[{"op":"replace","path":"/spec/replicas","value":2}]' -o jsonpath={.kind}/{.spec.replicas}/{.status.selector}`, out: "Scale/2/app=kubia"},
	})
}

func TestEdit(t *testing.T) {
	s := newSession(t)
	s.files["pod.yaml"] = testFiles["pod.yaml"]
	if out, _, _ := s.run("apply -f pod.yaml"); out != "pod/kubia-manual created\n" {
		t.Fatalf("apply: %q", out)
	}
	check := func(name, wantOut, wantErr string, wantCode int) {
		t.Helper()
		out, errOut, code := s.run("edit pod kubia-manual")
		if out != wantOut || errOut != wantErr || code != wantCode {
			t.Errorf("%s: got out=%q err=%q code=%d, want out=%q err=%q code=%d", name, out, errOut, code, wantOut, wantErr, wantCode)
		}
	}
	check("unchanged", "", "Edit cancelled, no changes made.\n", 0)

	var shown []string
	s.edit = func(text string) string {
		shown = append(shown, text)
		return strings.Replace(text, "  name: kubia-manual\n", "  labels:\n    edited: \"yes\"\n  name: kubia-manual\n", 1)
	}
	check("label added", "pod/kubia-manual edited\n", "", 0)
	if !strings.HasPrefix(shown[0], "# Please edit the object below.") {
		t.Errorf("edit text does not start with kubectl's header: %q", shown[0])
	}
	if out, _, _ := s.run("get pod kubia-manual -o jsonpath={.metadata.labels.edited}"); out != "yes" {
		t.Errorf("label not saved: %q", out)
	}

	// An invalid change reopens the editor with the error, then gives up.
	shown = nil
	s.edit = func(text string) string {
		shown = append(shown, text)
		return strings.Replace(text, "image: luksa/kubia", "image: \"\"", 1)
	}
	out, errOut, code := s.run("edit pod kubia-manual")
	t.Logf("invalid edit stderr: %s", errOut)
	if code != 1 || out != "" || !strings.HasSuffix(errOut, "error: Edit cancelled, no valid changes were saved.\n") {
		t.Errorf("invalid edit: out=%q err=%q code=%d", out, errOut, code)
	}
	if len(shown) != 2 || !strings.Contains(shown[1], "# pods \"kubia-manual\" was not valid:\n") {
		t.Errorf("the editor was not reopened with the error: %q", shown)
	}
}

// TestScale: scale names its objects through the resource builder (-f, TYPE NAME, TYPE/NAME,
// --all, -l) and checks kubectl's preconditions before it writes.
func TestScale(t *testing.T) {
	runSteps(t, []step{
		{cmd: "apply -f kubia-rc.yaml", out: "replicationcontroller/kubia created\n"},
		{cmd: "scale -f kubia-rc.yaml --replicas=5", out: "replicationcontroller/kubia scaled\n"},
		{cmd: "get rc kubia -o jsonpath={.spec.replicas}/{.status.replicas}", out: "5/5"},
		{cmd: "scale --replicas=4 -f kubia-rc.yaml --current-replicas=3", err: "error: Expected replicas to be 3, was 5\n", code: 1},
		{cmd: "scale --replicas=4 -f kubia-rc.yaml --current-replicas=5", out: "replicationcontroller/kubia scaled\n"},
		{cmd: "scale -f kubia-rc.yaml --replicas=1 --dry-run=client -o jsonpath={.spec.replicas}", out: "4"},
		{cmd: "scale -f kubia-rc.yaml --replicas=1 --dry-run", out: "replicationcontroller/kubia scaled (dry run)\n"},
		{cmd: "get rc kubia -o jsonpath={.spec.replicas}", out: "4"},
		{cmd: "scale -f - --replicas=2 -o name", stdin: rcYAML, out: "replicationcontroller/kubia\n"},
		{cmd: "scale rc/kubia --replicas=3", out: "replicationcontroller/kubia scaled\n"},
		{cmd: "scale rc --all --replicas=2", out: "replicationcontroller/kubia scaled\n"},
		{cmd: "scale rc -l app=kubia --replicas=1", out: "replicationcontroller/kubia scaled\n"},
		{cmd: "scale rc -l app=none --replicas=1", err: "error: no objects passed to scale\n", code: 1},
		{cmd: "scale rc nope --replicas=1", err: "Error from server (NotFound): replicationcontrollers \"nope\" not found\n", code: 1},
		{cmd: "scale rc kubia nope --replicas=2", out: "replicationcontroller/kubia scaled\n", err: "Error from server (NotFound): replicationcontrollers \"nope\" not found\n", code: 1},
		{cmd: "scale rc --replicas=1", err: "error: resource(s) were provided, but no name was specified\n", code: 1},
		{cmd: "scale --replicas=1", err: "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", code: 1},
		{cmd: "scale -f kubia-rc.yaml rc kubia --replicas=1", err: "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n", code: 1},
		{cmd: "scale -f nothere.yaml --replicas=1", err: "error: the path \"nothere.yaml\" does not exist\n", code: 1},
		{cmd: "scale rc kubia --replicas=1 --current-replicas=-2", err: "error: The --current-replicas must specify an integer of -1 or greater\n", code: 1},
		{cmd: "scale rc kubia --replicas=1 -A", err: "error: unknown shorthand flag: 'A' in -A\nSee 'kubectl scale --help' for usage.\n", code: 1},
		{cmd: "create -f dir/a.yaml", out: "configmap/a created\n"},
		{cmd: "scale -f dir/a.yaml --replicas=1", err: "Error from server (NotFound): the server could not find the requested resource\n", code: 1},
	})

	s := newSession(t)
	s.files["kubia-rc.yaml"] = rcYAML
	s.files["kubia-rc-2.yaml"] = strings.Replace(rcYAML, "name: kubia\n", "name: kubia-2\n", 1)
	for _, line := range []string{"apply -f kubia-rc.yaml", "apply -f kubia-rc-2.yaml"} {
		if _, errOut, code := s.run(line); code != 0 {
			t.Fatalf("%s: %s", line, errOut)
		}
	}
	rv, _, _ := s.run("get rc kubia -o jsonpath={.metadata.resourceVersion}")
	for _, tc := range []struct{ cmd, out, err string }{
		{cmd: "scale rc kubia --replicas=2 --resource-version=1", err: "error: Expected resource version to be 1, was " + rv + "\n"},
		{cmd: "scale rc --all --replicas=2 --resource-version=" + rv, err: "error: cannot use --resource-version with multiple resources\n"},
		{cmd: "scale -f kubia-rc.yaml --replicas=2 --resource-version=" + rv, out: "replicationcontroller/kubia scaled\n"},
	} {
		out, errOut, _ := s.run(tc.cmd)
		if out != tc.out || errOut != tc.err {
			t.Errorf("kubectl %s: out %q, err %q; want %q, %q", tc.cmd, out, errOut, tc.out, tc.err)
		}
	}
}

// Every command of the resource builder takes the objects a file names, in the file's
// namespace, and refuses arguments besides the files as kubectl does.
func TestCommandsNameObjectsByFile(t *testing.T) {
	other := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: o\n  namespace: other\n"
	runSteps(t, []step{
		{cmd: "create namespace other", out: "namespace/other created\n"},
		{cmd: "create -f -", stdin: other, out: "configmap/o created\n"},
		{cmd: "get -f -", stdin: other, out: "NAME   DATA   AGE\no      0      0s\n"},
		{cmd: "get -f - -n default", stdin: other, err: "error: the namespace from the provided object \"other\" does not match the namespace \"default\". You must pass '--namespace=other' to perform this operation.\n", code: 1},
		{cmd: "apply -f pod.yaml", out: "pod/kubia-manual created\n"},
		{cmd: "get -f pod.yaml -o name", out: "pod/kubia-manual\n"},
		{cmd: "get -f pod.yaml pods", err: "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n", code: 1},
		{cmd: "label -f pod.yaml tier=web", out: "pod/kubia-manual labeled\n"},
		{cmd: "get -f pod.yaml -l tier=web -o name", out: "pod/kubia-manual\n"},
		{cmd: "get -f pod.yaml -l tier=db", err: "No resources found in default namespace.\n"},
		{cmd: "annotate -f pod.yaml owner=me", out: "pod/kubia-manual annotated\n"},
		{cmd: "label -f pod.yaml tier=db --resource-version=1 --overwrite", err: "Error from server (Conflict): Operation cannot be fulfilled on pods \"kubia-manual\": the object has been modified; please apply your changes to the latest version and try again\n", code: 1},
		{cmd: "label pods --all x=y --resource-version=1", err: "error: --resource-version may only be used with a single resource\n", code: 1},
		{cmd: "label pods x=y", err: "error: resource(s) were provided, but no name was specified\n", code: 1},
		{cmd: "label x=y", err: "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n", code: 1},
		{cmd: "label pod kubia-manual --list -o yaml", err: "error: --list and --output may not be specified together\n", code: 1},
		{cmd: "label pod kubia-manual --list", out: "tier=web\n"},
		{cmd: `patch -f pod.yaml -p '{"metadata":{"labels":{"env":"prod"}}}'`, out: "pod/kubia-manual patched\n"},
		{cmd: "describe -f -", stdin: other, out: "Name:         o\nNamespace:    other\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\n\nBinaryData\n====\n\nEvents:  <none>\n"},
		{cmd: "wait -f pod.yaml --for=jsonpath={.metadata.labels.env}=prod", out: "pod/kubia-manual condition met\n"},
		{cmd: "delete -f pod.yaml pod/kubia-manual", err: "error: resource/name arguments cannot be provided when a path is specified\n", code: 1},
		{cmd: "delete -f pod.yaml --dry-run", out: "pod \"kubia-manual\" deleted from default namespace (dry run)\n"},
		{cmd: "delete pod kubia-manual -A", err: "error: a resource cannot be retrieved by name across all namespaces\n", code: 1},
		{cmd: "delete -f pod.yaml --wait=false", out: "pod \"kubia-manual\" deleted from default namespace\n"},
		{cmd: "delete -f - -n other", stdin: other, out: "configmap \"o\" deleted from other namespace\n"},
		{cmd: "delete -f - -n other", stdin: other, err: "Error from server (NotFound): error when deleting \"STDIN\": configmaps \"o\" not found\n", code: 1},
		{cmd: "delete -f - -n other --ignore-not-found", stdin: other},
	})
}

// Every command and subcommand declares each flag once: no long name or shorthand twice,
// globals included.
func TestFlagsDeclaredOnce(t *testing.T) {
	all := append([]*command(nil), commands...)
	for i := 0; i < len(all); i++ {
		all = append(all, all[i].subcommands...)
	}
	for _, c := range all {
		if c.options == nil {
			continue
		}
		fs := &flagSet{}
		c.options(fs)
		(&globalOptions{}).addFlags(fs)
		long, short := map[string]bool{}, map[string]bool{}
		for _, f := range fs.flags {
			if long[f.name] || f.short != "" && short[f.short] {
				t.Errorf("kubectl %s declares --%s (-%s) twice", c.path(), f.name, f.short)
			}
			long[f.name], short[f.short] = true, true
		}
	}
}

// typoPod is a pod manifest with two unknown fields.
const typoPod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  containers:\n  - name: main\n    image: luksa/kubia:v1\n    imagePullPolice: Always\n    foo: 1\n"

// Strict mode answers as real kubectl v1.37 against a real cluster does: what kubetab
// accepts out of kindness is refused with kubectl's own errors, and no notes are added.
func TestStrictMode(t *testing.T) {
	s := newSession(t)
	s.strict = true
	runStepsIn(t, s, []step{
		{cmd: "apply -f -", stdin: legacyRS, err: "error: resource mapping not found for name: \"kubia\" namespace: \"\" from \"STDIN\": no matches for kind \"ReplicaSet\" in version \"apps/v1beta2\"\nensure CRDs are installed first\n", code: 1},
		{cmd: "apply -f -", stdin: typoPod, err: "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].foo\", unknown field \"spec.containers[0].imagePullPolice\"\n", code: 1},
		{cmd: "get pods -a", err: "error: unknown shorthand flag: 'a' in -a\nSee 'kubectl get --help' for usage.\n", code: 1},
		{cmd: "get pods --show-all", err: "error: unknown flag: --show-all\nSee 'kubectl get --help' for usage.\n", code: 1},
		{cmd: "run kubia --image=luksa/kubia --generator=run/v1", err: "error: unknown flag: --generator\nSee 'kubectl run --help' for usage.\n", code: 1},
		{cmd: "run kubia --image=luksa/kubia --replicas=3", err: "error: unknown flag: --replicas\nSee 'kubectl run --help' for usage.\n", code: 1},
		{cmd: "get rs,pods", err: "No resources found in default namespace.\n"},
	})
	// The same lines outside strict mode: accepted, each with a note that says what a real
	// cluster would do.
	runSteps(t, []step{
		{cmd: "apply -f -", stdin: legacyRS, out: "replicaset.apps/kubia created\n", err: "Warning: apps/v1beta2 ReplicaSet is no longer served since Kubernetes v1.16 (a real cluster refuses it); kubetab accepts it as apps/v1\n"},
		{cmd: "run one --image=luksa/kubia --replicas=3", out: "pod/one created\n", err: "kubetab: --replicas was removed from kubectl (a real kubectl refuses it); run creates one pod (scale a Deployment or ReplicationController for more).\n"},
	})
}

// legacyRS is the book's apps/v1beta2 ReplicaSet.
const legacyRS = "apiVersion: apps/v1beta2\nkind: ReplicaSet\nmetadata:\n  name: kubia\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: kubia\n  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n"
