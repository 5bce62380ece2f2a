# The terminal language and the kubetab commands: nodes, virtual time, here-documents,
# and what errors look like.
kubectl get nodes
kubetab node add kubetab-worker4 --label disk=ssd
kubectl get nodes -L disk

kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: sleeper
  labels:
    app: sleeper
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo started; sleep 3600"]
EOF
kubetab advance 10s
kubectl get pods -o wide
kubectl logs sleeper

# A node that stops reporting goes NotReady after the grace period.
kubetab node fail kubetab-worker4
kubetab advance 1m
kubectl get nodes
kubetab node recover kubetab-worker4
kubetab advance 30s
kubectl get nodes

k delete pod sleeper && kubectl get pods
kubetab node remove kubetab-worker4
kubectl get nodes

# Errors keep the transcript going; a failed command skips what follows its &&.
kubectl get pod nope && kubectl get pods
kubectl frobnicate
kubetab advance -5m
helm install web
