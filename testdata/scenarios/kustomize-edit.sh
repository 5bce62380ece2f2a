# kubectl's kustomize (kubectl kustomize, apply -k, get -k, delete -k) and kubectl edit with
# the shell's $KUBE_EDITOR. Files are written into the workspace by the script itself.
#
# A generated ConfigMap's name ends in kustomize's hash of its data; the Deployment that
# reads it is rewritten to that name.
mkdir -p app
cat <<'YAML' >app/deployment.yaml
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
YAML
printf 'GREETING=hello\n' >app/web.env
cat <<'YAML' >app/kustomization.yaml
namePrefix: demo-
labels:
- pairs:
    team: blue
  includeSelectors: true
resources:
- deployment.yaml
configMapGenerator:
- name: web-config
  envs:
  - web.env
images:
- name: nginx
  newTag: 1.16.1
YAML
kubectl kustomize app
kubectl apply -k app
kubectl rollout status deployment/demo-web
kubectl get -k app

# New data, new name: the Deployment rolls out to read the new ConfigMap; the old one stays.
printf 'GREETING=bonjour\n' >app/web.env
kubectl apply -k app
kubectl rollout status deployment/demo-web
kubectl get configmaps -l team=blue
kubectl exec deploy/demo-web -- printenv GREETING

# Errors are kustomize's, and nothing is applied.
kubectl apply -k nowhere
printf 'patches:\n- path: replicas.yaml\n' >>app/kustomization.yaml
kubectl apply -k app

# kubectl edit runs $KUBE_EDITOR over its temporary file: here sed.
KUBE_EDITOR="sed -i s/nginx:1.16.1/nginx:1.17/" kubectl edit deployment/demo-web
kubectl get deployment demo-web -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
export EDITOR=false
kubectl edit deployment/demo-web
unset EDITOR
kubectl rollout status deployment/demo-web

sed -i '/^patches:/,$d' app/kustomization.yaml
kubectl delete -k app
