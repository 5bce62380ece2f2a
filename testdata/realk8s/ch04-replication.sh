# Kubernetes in Action, chapter 4 (4.2 and 4.3): a ReplicationController keeps three kubia
# pods, then a ReplicaSet adopts them. Recorded on a real control plane (PROVENANCE.md)
# and compared with kubetab by realk8s's test; paths are relative to this directory.
#
# Pods are named by the node they run on ($(...) below): the scheduler spreads the three
# pods over the three workers on both clusters, while their random names differ.
kubectl create -f ../manifests/kubia-rc.yaml
kubetab advance 1m
kubectl get rc
kubectl get pods -o wide
kubectl get rc kubia -o yaml
kubectl create -f ../manifests/kubia-rc.yaml
kubectl rollout status rc/kubia

# Delete a pod: the controller creates a replacement at once. delete waits for the pod to
# go, which takes its 30 s grace period (luksa/kubia ignores SIGTERM).
kubectl delete pod $(kubectl get pods -l app=kubia --field-selector spec.nodeName=kubetab-worker -o jsonpath={.items[0].metadata.name})
kubetab advance 30s
kubectl get pods -o wide

# Move a pod out of the controller's scope: a new one replaces it.
kubectl label pod $(kubectl get pods -l app=kubia --field-selector spec.nodeName=kubetab-worker2 -o jsonpath={.items[0].metadata.name}) app=foo --overwrite
kubetab advance 1m
kubectl get pods -L app
kubectl get pods --show-labels -l app=foo
# And back in: one too many, the controller deletes the newest.
kubectl label pod -l app=foo app=kubia --overwrite
kubetab advance 5s
kubectl get pods -L app
kubetab advance 1m
kubectl get pods -L app

# Labels and selectors that fail.
kubectl label rc kubia 'app=bad value'
kubectl label rc missing 'app=bad value'
kubectl label pod -l app=kubia app=other
kubectl get rc missing
kubectl scale rc missing --replicas=2

# The pod template: existing pods keep their labels, new ones get the new one.
kubectl patch rc kubia --type=merge -p '{"spec":{"template":{"metadata":{"labels":{"app":"kubia","tier":"web"}}}}}'
kubectl delete pod $(kubectl get pods -l app=kubia --field-selector spec.nodeName=kubetab-worker3 -o jsonpath={.items[0].metadata.name})
kubetab advance 1m
kubectl get pods -L app,tier

# Scale up, then down.
kubectl scale rc kubia --replicas=10
kubetab advance 1m
kubectl get rc kubia
kubectl get pods
kubectl scale rc kubia --replicas=3
kubetab advance 5s
kubectl get rc kubia
kubetab advance 1m
kubectl get pods
kubectl describe rc kubia

# A selector that does not match the template is refused.
kubectl apply -f - <<EOT
apiVersion: v1
kind: ReplicationController
metadata:
  name: mismatch
spec:
  replicas: 1
  selector:
    app: other
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
EOT

# Delete the controller but keep its pods.
kubectl delete rc kubia --cascade=orphan
kubectl get rc
kubectl get pods -L app,tier

# A ReplicaSet (the book's file with apps/v1) with the same selector adopts the orphans.
kubectl create -f ../manifests/ch04/apps-v1/kubia-replicaset.yaml
kubetab advance 5s
kubectl get rs
kubectl get pods
kubectl describe rs kubia
kubectl get rs kubia -o jsonpath='{.status}{"\n"}'
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].kind}{"\n"}{end}'

# The matchExpressions variant replaces it; deleting the ReplicaSet deletes its pods.
kubectl delete rs kubia
kubetab advance 1m
kubectl get pods
kubectl create -f ../manifests/ch04/apps-v1/kubia-replicaset-matchexpressions.yaml
kubetab advance 1m
kubectl get rs -o wide
kubectl describe rs kubia
kubectl delete rs kubia
kubetab advance 1m
kubectl get all
