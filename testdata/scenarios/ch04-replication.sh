# Kubernetes in Action, chapter 4: ReplicationControllers, then a ReplicaSet that adopts
# their pods. Paths are relative to this script's directory.
#
# Pod names end in random-looking suffixes. They come from the cluster's seeded random
# source, so with the scenario test's fixed --seed and --start they are the same on every
# run, and this script names them directly (the terminal has no pipes or $(...)).
kubectl apply -f ../manifests/kubia-rc.yaml
kubectl get pods
kubetab advance 30s
kubectl get pods -o wide
kubectl get rc

# Delete a pod: the controller notices one missing and creates a replacement.
kubectl delete pod kubia-64tzq
kubectl get pods

# Move a pod out of the controller's scope: it is no longer counted, so a new one appears.
kubectl label pod kubia-95mjk app=foo --overwrite
kubectl get pods -L app
# Move it back: now there is one too many, and the controller deletes one.
kubectl label pod kubia-95mjk app=kubia --overwrite
kubectl get pods -L app

# Change the pod template: existing pods keep their labels, new pods get the new one.
kubectl patch rc kubia --type=merge -p '{"spec":{"template":{"metadata":{"labels":{"app":"kubia","tier":"web"}}}}}'
kubectl delete pod kubia-dw879
kubectl get pods --show-labels

# Scale up, then down.
kubectl scale rc kubia --replicas=10
kubectl get rc kubia
kubetab advance 1m
kubectl get pods
kubectl scale rc kubia --replicas=3
kubectl get pods
kubetab advance 1m
kubectl get pods
kubectl describe rc kubia

# Delete the controller but keep its pods.
kubectl delete rc kubia --cascade=orphan
kubectl get rc
kubectl get pods

# A ReplicaSet with the same selector adopts the orphans: no new pods are created.
kubectl apply -f ../manifests/kubia-replicaset.yaml
kubectl get rs
kubectl get pods
kubectl describe rs kubia
kubectl get events
