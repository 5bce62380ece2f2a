# The book's manifests with API versions a v1.37 server no longer serves: apps/v1beta2
# ReplicaSet and DaemonSet, batch/v1beta1 CronJob (removed in 1.16 and 1.25).
kubectl apply -f ../manifests/kubia-replicaset.yaml
kubectl create -f ../manifests/ch04/kubia-replicaset-matchexpressions.yaml
kubectl create -f ../manifests/ch04/ssd-monitor-daemonset.yaml
kubectl create -f ../manifests/ch04/cronjob.yaml
kubectl get rs,ds,cronjobs
