# Kubernetes in Action, chapter 4: a DaemonSet that runs ssd-monitor only on nodes
# labelled disk=ssd. Paths are relative to this script's directory.
#
# Pod names come from the cluster's seeded random source: with the scenario test's fixed
# --seed and --start they are the same on every run, and this script names them directly.
kubectl create -f ../manifests/ch04/ssd-monitor-daemonset.yaml
# No node has the label yet: the DaemonSet wants zero pods.
kubectl get ds
kubectl get po
kubectl get node

# Label one worker: a daemon pod appears on it, and only on it.
kubectl label node kubetab-worker2 disk=ssd
kubectl get po -o wide
kubetab advance 10s
kubectl get ds
kubectl logs ssd-monitor-mr44z

# Change the label: the node no longer matches, so its pod is deleted.
kubectl label node kubetab-worker2 disk=hdd --overwrite
kubectl get po
kubetab advance 30s
kubectl get po
kubectl get ds -o wide
kubectl describe ds ssd-monitor
