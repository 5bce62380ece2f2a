# A Deployment with the Recreate strategy: on a new pod template, every old pod is stopped
# before any new one starts (no surge, and a while with no pod serving), unlike
# RollingUpdate. The Deployment runs Kubernetes in Action's luksa/kubia, whose server
# ignores SIGTERM, so each old pod takes its whole 30-second grace period to go.
# The Deployment is made with `kubectl create deployment` and switched to Recreate with a
# patch.
#
# ReplicaSet and pod names come from the pod template's hash and the cluster's seeded
# random source: with the scenario test's fixed --seed and --start they are the same on
# every run, and this script names them directly.
kubectl create deployment kubia --image=luksa/kubia:v1 --replicas=3 --port=8080
kubectl patch deployment kubia -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'
kubectl rollout status deployment/kubia
kubectl get deploy,rs,pods -o wide
kubectl describe deployment kubia

# A new image: the old ReplicaSet goes to 0 at once; the new one is created, at full size,
# only once the old pods are gone.
kubectl set image deployment/kubia kubia=luksa/kubia:v2
kubectl get rs
kubectl get pods
kubectl rollout status deployment/kubia
kubectl get rs
kubectl get pods
kubectl get events --field-selector involvedObject.kind=Deployment
kubectl rollout history deployment/kubia

# Back to v1: the first ReplicaSet is scaled up again, the same way round, and no
# ReplicaSet is created.
kubectl rollout undo deployment/kubia
kubectl rollout status deployment/kubia
kubectl get rs
kubectl describe deployment kubia

# Recreate has no rollingUpdate parameters: the API server refuses them.
kubectl patch deployment kubia -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}}}}'
