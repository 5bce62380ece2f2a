# Kubernetes in Action, chapter 4 (4.4): a DaemonSet (the book's file with apps/v1) that
# runs ssd-monitor only on nodes labelled disk=ssd.
kubectl create -f ../manifests/ch04/apps-v1/ssd-monitor-daemonset.yaml
kubetab advance 5s
kubectl get ds
kubectl get po
kubectl get node

# Label one worker: a daemon pod appears on it, and only on it.
kubectl label node kubetab-worker2 disk=ssd
kubetab advance 30s
kubectl get ds
kubectl get po -o wide
kubectl get node -L disk

# A second one.
kubectl label node kubetab-worker3 disk=ssd
kubetab advance 30s
kubectl get ds -o wide
kubectl get po -o wide
kubectl describe ds ssd-monitor

# Change the label: the node no longer matches, so its pod is deleted (30 s grace).
kubectl label node kubetab-worker2 disk=hdd --overwrite
kubetab advance 5s
kubectl get po -o wide
kubetab advance 1m
kubectl get po -o wide
kubectl get ds
kubectl label node kubetab-worker3 disk-
kubetab advance 1m
kubectl get ds
kubectl get po
kubectl get ds ssd-monitor -o yaml
kubectl rollout status ds/ssd-monitor
kubectl delete ds ssd-monitor
kubectl get ds
