package kubectl

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// kustomizeApp is a kustomization with every field kubetab's kustomize reads; wantApp is
// what real kubectl v1.37 (kustomize v5.8.1) prints for it with kubectl kustomize.
var kustomizeApp = map[string]string{
	"app/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        envFrom:
        - configMapRef:
            name: web-config
        env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              name: web-secret
              key: password
        volumeMounts:
        - name: cfg
          mountPath: /etc/cfg
      volumes:
      - name: cfg
        configMap:
          name: web-config
`,
	"app/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`,
	"app/app.env": `A=1
# c
B=two
`,
	"app/kustomization.yaml": `namespace: staging
namePrefix: dev-
nameSuffix: -v1
commonLabels:
  team: blue
labels:
- pairs:
    owner: me
resources:
- deployment.yaml
- service.yaml
images:
- name: nginx
  newTag: 1.16.1
configMapGenerator:
- name: web-config
  envs:
  - app.env
  literals:
  - C=3
secretGenerator:
- name: web-secret
  literals:
  - password=s3cret
generatorOptions:
  labels:
    gen: "yes"
  annotations:
    note: hi
`,
}

const wantApp = `apiVersion: v1
data:
  A: "1"
  B: two
  C: "3"
kind: ConfigMap
metadata:
  annotations:
    note: hi
  labels:
    gen: "yes"
    owner: me
    team: blue
  name: dev-web-config-v1-6m98kf24cm
  namespace: staging
---
apiVersion: v1
data:
  password: czNjcmV0
kind: Secret
metadata:
  annotations:
    note: hi
  labels:
    gen: "yes"
    owner: me
    team: blue
  name: dev-web-secret-v1-bf5fk5d75b
  namespace: staging
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  labels:
    owner: me
    team: blue
  name: dev-web-v1
  namespace: staging
spec:
  ports:
  - port: 80
  selector:
    app: web
    team: blue
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
    owner: me
    team: blue
  name: dev-web-v1
  namespace: staging
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
      team: blue
  template:
    metadata:
      labels:
        app: web
        team: blue
    spec:
      containers:
      - env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              key: password
              name: dev-web-secret-v1-bf5fk5d75b
        envFrom:
        - configMapRef:
            name: dev-web-config-v1-6m98kf24cm
        image: nginx:1.16.1
        name: nginx
        volumeMounts:
        - mountPath: /etc/cfg
          name: cfg
      volumes:
      - configMap:
          name: dev-web-config-v1-6m98kf24cm
        name: cfg
`

const wantAppWarning = `# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.
`

func withFiles(s *session, files map[string]string) *session {
	for k, v := range files {
		s.files[k] = v
	}
	return s
}

// checkBuild runs kubectl kustomize dir in s and compares what it prints with real
// kubectl's output.
func checkBuild(t *testing.T, s *session, dir, want, wantErr string) {
	t.Helper()
	out, errOut, code := s.run("kustomize " + dir)
	if code != 0 || errOut != wantErr {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if out != want {
		t.Errorf("kubectl kustomize %s printed\n%s\nwant\n%s", dir, out, want)
	}
}

func TestKustomizeBuildsAsKustomize(t *testing.T) {
	checkBuild(t, withFiles(newSession(t), kustomizeApp), "app", wantApp, wantAppWarning)
}

// kustomizeOverlay is an overlay over a base directory: a generator merged into the base's,
// a Secret without a hash, images by digest and with a registry's port, replicas, and the
// bundled docs example (KYAML) as a resource. wantOverlay is real kubectl's output.
var kustomizeOverlay = map[string]string{
	"base/kustomization.yaml": `resources:
- pod.yaml
- nginx-deployment.yaml
configMapGenerator:
- name: settings
  literals:
  - mode=base
  - keep="quoted value"
`,
	"base/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: c
    image: busybox@sha256:abc
    env:
    - name: MODE
      valueFrom:
        configMapKeyRef:
          name: settings
          key: mode
  volumes:
  - name: s
    secret:
      secretName: creds
`,
	"overlay/pw.txt": `pass
`,
	"overlay/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../base
namePrefix: prod-
commonAnnotations:
  owner: ops
replicas:
- name: nginx-deployment
  count: 5
images:
- name: busybox
  newName: registry.example:5000/busybox
  newTag: "1.36"
- name: nginx
  digest: sha256:0123
configMapGenerator:
- name: settings
  behavior: merge
  literals:
  - mode=prod
secretGenerator:
- name: creds
  files:
  - password=pw.txt
  options:
    disableNameSuffixHash: true
    immutable: true
  type: kubernetes.io/basic-auth
`,
}

const wantOverlay = `apiVersion: v1
data:
  keep: quoted value
  mode: prod
kind: ConfigMap
metadata:
  annotations:
    owner: ops
  name: prod-settings-4cbb787d76
---
apiVersion: v1
data:
  password: cGFzcwo=
immutable: true
kind: Secret
metadata:
  annotations:
    owner: ops
  name: prod-creds
type: kubernetes.io/basic-auth
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    owner: ops
  labels:
    app: nginx
  name: prod-nginx-deployment
spec:
  replicas: 5
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      annotations:
        owner: ops
      labels:
        app: nginx
    spec:
      containers:
      - image: nginx@sha256:0123
        name: nginx
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  annotations:
    owner: ops
  name: prod-client
spec:
  containers:
  - env:
    - name: MODE
      valueFrom:
        configMapKeyRef:
          key: mode
          name: prod-settings-4cbb787d76
    image: registry.example:5000/busybox:1.36
    name: c
  volumes:
  - name: s
    secret:
      secretName: prod-creds
`

func TestKustomizeOverlayOverBase(t *testing.T) {
	s := withFiles(newSession(t), kustomizeOverlay)
	deploy, err := os.ReadFile("../../public/examples/kubernetes-website/controllers/nginx-deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.files["base/nginx-deployment.yaml"] = string(deploy)
	checkBuild(t, s, "overlay", wantOverlay, "")
}

// apply, create, get and delete take -k as kubectl does: the objects kustomize builds, in its
// order, named as the directory's source in errors (recorded on a real v1.37 cluster).
func TestKustomizeFlag(t *testing.T) {
	warn := wantAppWarning
	s := withFiles(newSession(t), kustomizeApp)
	runStepsIn(t, s, []step{
		{cmd: "apply -k app", err: warn + strings.Repeat("Error from server (NotFound): error when creating \"app\": namespaces \"staging\" not found\n", 4), code: 1},
		{cmd: "create ns staging", out: "namespace/staging created\n"},
		{cmd: "apply -k app", err: warn, out: "configmap/dev-web-config-v1-6m98kf24cm created\nsecret/dev-web-secret-v1-bf5fk5d75b created\nservice/dev-web-v1 created\ndeployment.apps/dev-web-v1 created\n"},
		{cmd: "apply -k app", err: warn, out: "configmap/dev-web-config-v1-6m98kf24cm unchanged\nsecret/dev-web-secret-v1-bf5fk5d75b unchanged\nservice/dev-web-v1 unchanged\ndeployment.apps/dev-web-v1 unchanged\n"},
		{cmd: "get -k app -o name", err: warn, out: "configmap/dev-web-config-v1-6m98kf24cm\nsecret/dev-web-secret-v1-bf5fk5d75b\nservice/dev-web-v1\ndeployment.apps/dev-web-v1\n"},
		{cmd: "create -k app", err: warn + "Error from server (AlreadyExists): error when creating \"app\": configmaps \"dev-web-config-v1-6m98kf24cm\" already exists\n" +
			"Error from server (AlreadyExists): error when creating \"app\": secrets \"dev-web-secret-v1-bf5fk5d75b\" already exists\n" +
			"Error from server (AlreadyExists): error when creating \"app\": services \"dev-web-v1\" already exists\n" +
			"Error from server (AlreadyExists): error when creating \"app\": deployments.apps \"dev-web-v1\" already exists\n", code: 1},
		{cmd: "get deploy dev-web-v1 -n staging -o jsonpath={.spec.template.spec.containers[0].image}", out: "nginx:1.16.1"},
		{cmd: "delete -k app", err: warn, out: "configmap \"dev-web-config-v1-6m98kf24cm\" deleted from staging namespace\nsecret \"dev-web-secret-v1-bf5fk5d75b\" deleted from staging namespace\nservice \"dev-web-v1\" deleted from staging namespace\ndeployment.apps \"dev-web-v1\" deleted from staging namespace\n"},
		{cmd: "get -k app", err: warn + "Error from server (NotFound): configmaps \"dev-web-config-v1-6m98kf24cm\" not found\nError from server (NotFound): secrets \"dev-web-secret-v1-bf5fk5d75b\" not found\nError from server (NotFound): services \"dev-web-v1\" not found\nError from server (NotFound): deployments.apps \"dev-web-v1\" not found\n", code: 1},
		{cmd: "create -k app", err: warn, out: "configmap/dev-web-config-v1-6m98kf24cm created\nsecret/dev-web-secret-v1-bf5fk5d75b created\nservice/dev-web-v1 created\ndeployment.apps/dev-web-v1 created\n"},
	})
}

// runIn runs a command line in the session with /root as the working directory, as the
// terminal does, so that messages name paths in full.
func runIn(s *session, line string) (string, string, int) {
	s.tb.Helper()
	args, err := splitWords(line)
	if err != nil {
		s.tb.Fatal(err)
	}
	var out, errb bytes.Buffer
	io := s.io(&out, &errb)
	io.Dir = "/root"
	code := Run(Cluster{Cluster: s.c.Cluster, Containers: s.c.Kubelets}, args, io)
	return out.String(), errb.String(), code
}

// Each error reads as real kubectl's (v1.37, kustomize v5.8.1), and nothing is created.
func TestKustomizeErrors(t *testing.T) {
	tests := []struct {
		name, kustomization, cmd, err string
	}{
		{"no kustomization", "", "kustomize kz", "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/root/kz'\n"},
		{"no directory", "", "apply -k nonexist", "error: must build at directory: not a valid directory: evalsymlink failure on 'nonexist' : lstat /root/nonexist: no such file or directory\n"},
		{"unknown field", "foo: bar\nresources: []\n", "kustomize kz", "error: invalid Kustomization: json: unknown field \"foo\"\n"},
		{"syntax", "resources:\n- x: [\n", "kustomize kz", "error: invalid Kustomization: yaml: line 2: did not find expected node content\n"},
		{"missing resource", "resources:\n- missing.yaml\n", "apply -k kz",
			"error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/root/kz/missing.yaml' : lstat /root/kz/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/root/kz/missing.yaml' : lstat /root/kz/missing.yaml: no such file or directory\n"},
		{"missing file", "configMapGenerator:\n- name: x\n  files:\n  - nofile.txt\n", "kustomize kz",
			"error: loading KV pairs: file sources: [nofile.txt]: evalsymlink failure on '/root/kz/nofile.txt' : lstat /root/kz/nofile.txt: no such file or directory\n"},
		{"missing env file", "configMapGenerator:\n- name: x\n  envs:\n  - nope.env\n", "kustomize kz",
			"error: loading KV pairs: env source files: [nope.env]: evalsymlink failure on '/root/kz/nope.env' : lstat /root/kz/nope.env: no such file or directory\n"},
		{"file outside", "configMapGenerator:\n- name: x\n  files:\n  - ../etc.txt\n", "kustomize kz",
			"error: loading KV pairs: file sources: [../etc.txt]: security; file '/root/etc.txt' is not in or below '/root/kz'\n"},
		{"repeated key", "configMapGenerator:\n- name: x\n  literals:\n  - a=1\n  - a=2\n", "kustomize kz", "error: configmap x illegally repeats the key `a`\n"},
		{"bad literal", "configMapGenerator:\n- name: x\n  literals:\n  - a\n", "kustomize kz", "error: loading KV pairs: literal sources [a]: invalid literal source a, expected key=value\n"},
		{"no name", "secretGenerator:\n- literals:\n  - a=1\n", "kustomize kz", "error: a secret must have a name\n"},
		{"merge without base", "configMapGenerator:\n- name: x\n  behavior: merge\n  literals:\n  - a=1\n", "kustomize kz",
			"error: merging from generator: id resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:\"ConfigMap\", isClusterScoped:false}, Name:\"x\", Namespace:\"\"} does not exist; cannot merge or replace\n"},
		{"generated twice", "configMapGenerator:\n- name: x\n  literals:\n  - a=1\n- name: x\n  literals:\n  - b=1\n", "kustomize kz",
			"error: merging from generator: id resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:\"ConfigMap\", isClusterScoped:false}, Name:\"x\", Namespace:\"\"} exists; can not use behavior: 'unspecified', behavior must be merge or replace\n"},
		{"not supported", "patches:\n- path: p.yaml\n", "kustomize kz",
			"error: kubetab's kustomize does not support \"patches\" yet: it reads resources, configMapGenerator, secretGenerator, generatorOptions, namespace, namePrefix, nameSuffix, commonLabels, labels, commonAnnotations, images and replicas\n"},
		{"cycle", "resources:\n- .\n", "kustomize kz", "error: accumulating resources: accumulation err='accumulating resources from '.': '/root/kz' must resolve to a file': cycle detected: candidate root '/root/kz' contains visited root '/root/kz'\n"},
		{"resource outside", "resources:\n- ../etc.txt\n", "kustomize kz",
			"error: accumulating resources: accumulation err='accumulating resources from '../etc.txt': security; file '/root/etc.txt' is not in or below '/root/kz'': must build at directory: '/root/etc.txt': file is not directory\n"},
		{"directory without kustomization", "resources:\n- sub\n", "kustomize kz",
			"error: accumulating resources: accumulation err='accumulating resources from 'sub': '/root/kz/sub' must resolve to a file': couldn't make target for path '/root/kz/sub': unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/root/kz/sub'\n"},
		{"error in a base", "resources:\n- base\n", "kustomize kz",
			"error: accumulating resources: accumulation err='accumulating resources from 'base': '/root/kz/base' must resolve to a file': recursed accumulation of path '/root/kz/base': loading KV pairs: literal sources [a]: invalid literal source a, expected key=value\n"},
		{"cycle through a base", "resources:\n- base2\n", "kustomize kz",
			"error: accumulating resources: accumulation err='accumulating resources from 'base2': '/root/kz/base2' must resolve to a file': recursed accumulation of path '/root/kz/base2': accumulating resources: accumulation err='accumulating resources from '..': '/root/kz' must resolve to a file': cycle detected: candidate root '/root/kz' contains visited root '/root/kz/base2'\n"},
		{"-f and -k", "", "apply -f x.yaml -k kz", "error: only one of -f or -k can be specified\n"},
		{"-k and -R", "", "apply -k kz -R", "error: the -k flag can't be used with -f or -R\n"},
		{"-k without a directory", "", "apply -k", "error: flag needs an argument: 'k' in -k\nSee 'kubectl apply --help' for usage.\n"},
		{"two directories", "", "kustomize a b", "error: specify one path to kustomization.yaml\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t)
			s.files["kz/other.txt"] = "x"
			s.files["etc.txt"] = "x"
			s.files["kz/sub/x.txt"] = "x"
			s.files["kz/base/kustomization.yaml"] = "configMapGenerator:\n- name: x\n  literals:\n  - a\n"
			s.files["kz/base2/kustomization.yaml"] = "resources:\n- ..\n"
			if tt.kustomization != "" {
				s.files["kz/kustomization.yaml"] = tt.kustomization
			}
			out, errOut, code := runIn(s, tt.cmd)
			if out != "" || errOut != tt.err || code != 1 {
				t.Errorf("kubectl %s: exit %d, stdout %q, stderr\n%q\nwant\n%q", tt.cmd, code, out, errOut, tt.err)
			}
			if got, _, _ := s.run("get cm,secrets -o name"); got != "configmap/kube-root-ca.crt\n" {
				t.Errorf("it created %s", got)
			}
		})
	}
}

// The generated names are kustomize v5's, as real kubectl v1.37 prints them for the docs'
// examples. (The docs show older kustomize's names, game-config-4-m9dm2f92bt,
// special-config-2-c92b5mmcf2, database-creds-5hdh7hhgfk: kustomize v2 hashed the name too.)
func TestKustomizeHashesAsKubectl(t *testing.T) {
	game, err := os.ReadFile("../../public/examples/kubernetes-website/configmap/game.properties")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ kustomization, want string }{
		{"configMapGenerator:\n- name: game-config-4\n  files:\n  - configure-pod-container/configmap/game.properties\n", "game-config-4-92cb5f7c7h"},
		{"configMapGenerator:\n- name: special-config-2\n  literals:\n  - special.how=very\n  - special.type=charm\n", "special-config-2-2b86tk8fhm"},
		{"secretGenerator:\n- name: database-creds\n  literals:\n  - username=admin\n  - password=1f2d1e2e67df\n", "database-creds-bkbd782d2c"},
		// kustomize checks no key (the API server does, at apply).
		{"configMapGenerator:\n- name: x\n  literals:\n  - a b=1\n", "x-5ck52bh8kf"},
		{"configMapGenerator:\n- name: x\n  envs:\n  - e.env\n", "x-t6t45fh575"},
		// The name does not count: the same data under another name has the same hash.
		{"configMapGenerator:\n- name: other\n  literals:\n  - special.type=charm\n  - special.how=very\n  options:\n    labels:\n      a: b\n", "other-2b86tk8fhm"},
	}
	for _, tt := range tests {
		s := newSession(t)
		s.files["kustomization.yaml"] = tt.kustomization
		s.files["configure-pod-container/configmap/game.properties"] = string(game)
		s.files["e.env"] = "A B=1\n"
		if out, errOut, code := s.run("kustomize ."); !strings.Contains(out, "\n  name: "+tt.want+"\n") || code != 0 {
			t.Errorf("kustomize of\n%s\nprinted %q (stderr %q), want the name %s", tt.kustomization, out, errOut, tt.want)
		}
	}
}

// kustomizeShop has a List with a Namespace (neither namespaced nor suffixed), a CronJob and a
// Pod; labels into templates, annotations, a suffix, images by name with a registry, binary
// data, a typed Secret from an env file. wantShop is real kubectl's output.
var kustomizeShop = map[string]string{
	"shop/list.yaml": `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
- apiVersion: batch/v1
  kind: CronJob
  metadata:
    name: report
  spec:
    schedule: "*/5 * * * *"
    jobTemplate:
      spec:
        template:
          spec:
            restartPolicy: OnFailure
            containers:
            - name: r
              image: busybox:1.28
              args: ["sh", "-c", "date"]
              envFrom:
              - secretRef:
                  name: creds
            imagePullSecrets:
            - name: creds
---
apiVersion: v1
kind: Pod
metadata:
  name: tool
  labels:
    app: tool
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: main
    image: docker.io/library/busybox:1.28@sha256:abc
    volumeMounts:
    - name: p
      mountPath: /p
  volumes:
  - name: p
    projected:
      sources:
      - configMap:
          name: settings
      - secret:
          name: creds
`,
	"shop/creds.env": `USER=admin
PASS=x y
`,
	"shop/kustomization.yaml": `namespace: shop
nameSuffix: -v2
labels:
- pairs:
    tier: back
  includeTemplates: true
commonAnnotations:
  owner: ops
resources:
- list.yaml
images:
- name: busybox
  newName: registry.k8s.io/busybox
- name: docker.io/library/busybox
  newTag: "1.36"
configMapGenerator:
- name: settings
  files:
  - blob.bin
  - plain=creds.env
secretGenerator:
- name: creds
  envs:
  - creds.env
  type: kubernetes.io/basic-auth
generatorOptions:
  disableNameSuffixHash: false
  labels:
    generated: "true"
`,
	"shop/blob.bin": "\xff\xfe\x00",
}

const wantShop = `apiVersion: v1
kind: Namespace
metadata:
  annotations:
    owner: ops
  labels:
    tier: back
  name: shop
---
apiVersion: v1
binaryData:
  blob.bin: //4A
data:
  plain: |
    USER=admin
    PASS=x y
kind: ConfigMap
metadata:
  annotations:
    owner: ops
  labels:
    generated: "true"
    tier: back
  name: settings-v2-hkhggk9h8h
  namespace: shop
---
apiVersion: v1
data:
  PASS: eCB5
  USER: YWRtaW4=
kind: Secret
metadata:
  annotations:
    owner: ops
  labels:
    generated: "true"
    tier: back
  name: creds-v2-6ftht2cc95
  namespace: shop
type: kubernetes.io/basic-auth
---
apiVersion: batch/v1
kind: CronJob
metadata:
  annotations:
    owner: ops
  labels:
    tier: back
  name: report-v2
  namespace: shop
spec:
  jobTemplate:
    metadata:
      annotations:
        owner: ops
      labels:
        tier: back
    spec:
      template:
        metadata:
          annotations:
            owner: ops
          labels:
            tier: back
        spec:
          containers:
          - args:
            - sh
            - -c
            - date
            envFrom:
            - secretRef:
                name: creds-v2-6ftht2cc95
            image: registry.k8s.io/busybox:1.28
            name: r
          imagePullSecrets:
          - name: creds-v2-6ftht2cc95
          restartPolicy: OnFailure
  schedule: '*/5 * * * *'
---
apiVersion: v1
kind: Pod
metadata:
  annotations:
    owner: ops
  labels:
    app: tool
    tier: back
  name: tool-v2
  namespace: shop
spec:
  containers:
  - image: docker.io/library/busybox:1.36
    name: main
    volumeMounts:
    - mountPath: /p
      name: p
  initContainers:
  - image: registry.k8s.io/busybox
    name: init
  volumes:
  - name: p
    projected:
      sources:
      - configMap:
          name: settings-v2-hkhggk9h8h
      - secret:
          name: creds-v2-6ftht2cc95
`

func TestKustomizeListsTemplatesAndBinaryData(t *testing.T) {
	checkBuild(t, withFiles(newSession(t), kustomizeShop), "shop", wantShop, "")
}

// A resource may be a URL of the bundled examples, read as -f reads it.
func TestKustomizeResourceByURL(t *testing.T) {
	s := newSession(t)
	s.files["k/kustomization.yaml"] = "resources:\n- https://k8s.io/examples/pods/simple-pod.yaml\nnamePrefix: x-\n"
	s.files["https://k8s.io/examples/pods/simple-pod.yaml"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.14.2\n"
	if out, errOut, code := s.run("apply -k k"); out != "pod/x-nginx created\n" || code != 0 {
		t.Errorf("apply -k k: exit %d, %q %q", code, out, errOut)
	}
}

// An overlay's generator replaces the base's of the same name, whose namespace the base set
// (real kubectl's output).
func TestKustomizeReplaceInABaseNamespace(t *testing.T) {
	s := newSession(t)
	s.files["base/kustomization.yaml"] = "namespace: foo\nconfigMapGenerator:\n- name: x\n  literals:\n  - a=1\n  - b=1\n"
	s.files["ov/kustomization.yaml"] = "resources:\n- ../base\nconfigMapGenerator:\n- name: x\n  behavior: replace\n  literals:\n  - c=3\n  options:\n    labels:\n      l: v\n"
	checkBuild(t, s, "ov", "apiVersion: v1\ndata:\n  c: \"3\"\nkind: ConfigMap\nmetadata:\n  labels:\n    l: v\n  name: x-c966fbk687\n  namespace: foo\n", "")
}
