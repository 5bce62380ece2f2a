# shell
# kubectl's kustomize and kubectl edit with $KUBE_EDITOR, run by bash with real kubectl (the
# scenario testdata/scenarios/kustomize-edit.sh goes on where a real kubelet is needed).
# kubectl kustomize prints what it builds; apply, create, get and delete take -k; a
# generator's name ends in the hash of its data, and references to it follow; new data is a
# new ConfigMap. The editor is sed, over kubectl edit's temporary file.
cat <<'YAML' >deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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
      - name: web
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
YAML
cat <<'YAML' >service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
YAML
printf 'GREETING=hello\n' >web.env
cat <<'YAML' >kustomization.yaml
namePrefix: demo-
commonLabels:
  team: blue
resources:
- deployment.yaml
- service.yaml
configMapGenerator:
- name: web-config
  envs:
  - web.env
secretGenerator:
- name: web-secret
  literals:
  - password=s3cret
images:
- name: nginx
  newTag: 1.16.1
YAML
kubectl kustomize .
kubectl apply -k .
kubectl apply -k .
kubectl get -k . -o name
kubectl create -k .

printf 'GREETING=bonjour\n' >web.env
kubectl apply -k .
kubectl get configmaps -l team=blue -o name
kubectl get deployment demo-web -o jsonpath='{.spec.template.spec.containers[0].envFrom[0].configMapRef.name}{"\n"}'

echo 'foo: bar' >>kustomization.yaml
kubectl kustomize .
sed -i '$d' kustomization.yaml

KUBE_EDITOR="sed -i s/nginx:1.16.1/nginx:1.17/" kubectl edit deployment/demo-web
kubectl get deployment demo-web -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
KUBE_EDITOR=cat kubectl edit deployment/demo-web >/dev/null
KUBE_EDITOR=false kubectl edit deployment/demo-web
kubectl delete -k .
