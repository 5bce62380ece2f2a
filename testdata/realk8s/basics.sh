# A fresh cluster, a pod, and the errors kubectl gives for common mistakes.
kubectl version
kubectl get nodes
kubectl get nodes -L kubernetes.io/hostname
kubectl get ns
kubectl get all
kubectl get all -A
kubectl api-resources --api-group=apps
kubectl api-resources --api-group=batch
kubectl get pods
kubectl get pod nosuch
kubectl get pod nosuch -o yaml
kubectl get pods -o yaml
kubectl delete pod nosuch
kubectl delete pod nosuch --ignore-not-found
kubectl get nosuchkind
kubectl create rc
kubectl run
kubectl run kubia --image=luksa/kubia --port=8080
kubetab advance 30s
kubectl get pods
kubectl get pod kubia -o jsonpath='{.spec.serviceAccountName} {.status.phase}{"\n"}'
kubectl label pod kubia env=prod
kubectl get pods --show-labels
kubectl annotate pod kubia note=hello
kubectl get pod kubia -o jsonpath='{.metadata.annotations}{"\n"}'
kubectl delete pod kubia

# The scheduler picks among equally good nodes at random: a pod that is described with
# its node is pinned to one (the book's kubia-manual with a nodeSelector).
kubectl create -f - <<EOT
apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
spec:
  nodeSelector:
    kubernetes.io/hostname: kubetab-worker
  containers:
  - image: luksa/kubia
    name: kubia
    ports:
    - containerPort: 8080
      protocol: TCP
EOT
kubetab advance 30s
kubectl describe pod kubia-manual
kubectl get events --field-selector involvedObject.name=kubia-manual
kubectl get events --field-selector involvedObject.kind=Node,reason=RegisteredNode
kubectl delete pod kubia-manual

# Manifests with mistakes.
kubectl apply -f - <<EOT
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: main
    image: luksa/kubia
    imagePullPolice: Always
EOT
kubectl apply --validate=false -f - <<EOT
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: main
    image: luksa/kubia
    imagePullPolice: Always
EOT
kubectl apply -f - <<EOT
apiVersion: v1
kind: Pod
metadata:
  name: Bad_Name
spec:
  containers:
  - name: main
    image: luksa/kubia
EOT
kubectl apply -f - <<EOT
apiVersion: v1
kind: Pod
metadata:
  name: nocontainers
spec:
  containers: []
EOT
kubectl apply -f - <<EOT
apiVersion: v1
kind: Widget
metadata:
  name: w
EOT
kubectl delete pod typo --ignore-not-found
kubectl get pods
