package kubectl

import (
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

func TestKustomizeBuildsAsKustomize(t *testing.T) {
	s := withFiles(newSession(t), kustomizeApp)
	out, errOut, code := s.run("kustomize app")
	if code != 0 || errOut != wantAppWarning {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if out != wantApp {
		t.Errorf("kubectl kustomize app printed\n%s\nwant\n%s", out, wantApp)
	}
	if strings.Count(out, "---") != 3 {
		t.Errorf("want 4 documents")
	}
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
	out, errOut, code := s.run("kustomize overlay")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if out != wantOverlay {
		t.Errorf("kubectl kustomize overlay printed\n%s\nwant\n%s", out, wantOverlay)
	}
}
