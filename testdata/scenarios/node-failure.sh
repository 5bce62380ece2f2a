# Kubernetes in Action, chapter 4: a ReplicationController keeps three pods running when a
# node fails. The node controller marks the node NotReady about 50 s after its kubelet
# stops reporting and taints it; the pods on it tolerate that taint for 300 s, are then
# evicted, and the RC replaces them on the other nodes. Paths are relative to this
# script's directory.
#
# Pod names come from the cluster's seeded random source: with the scenario test's fixed
# --seed and --start they are the same on every run, and this script names them directly.
kubectl create -f ../manifests/kubia-rc.yaml
kubetab advance 30s
kubectl get po -o wide

# Each pod answers with its own name: ask them from inside another pod.
kubectl exec kubia-64tzq -- curl -s http://10.244.3.2:8080
kubectl exec kubia-64tzq -- curl -s http://10.244.2.2:8080
kubectl exec kubia-95mjk -- curl -s http://10.244.1.2:8080
kubectl logs kubia-64tzq

# Stop kubetab-worker's kubelet.
kubetab node fail kubetab-worker
kubetab advance 40s
kubectl get node
kubetab advance 15s
kubectl get node
# The node controller marks the pods on it not ready (their containers' last reported
# state stays as it was), so the RC counts two ready replicas.
kubectl get po -o wide
kubectl get rc
kubectl describe node kubetab-worker
# The pod's tolerations run out 300 s after the taint.
kubetab advance 4m
kubectl get po -o wide
kubetab advance 1m10s
kubectl get po -o wide
kubectl get rc
kubetab advance 30s
kubectl get po -o wide
kubectl describe rc kubia

# The node comes back: Ready again. Its kubelet stops the evicted pod (kubia ignores
# SIGTERM, so that takes the 30 s grace period) and the pod is gone.
kubetab node recover kubetab-worker
kubetab advance 20s
kubectl get node
kubectl get po -o wide
kubetab advance 20s
kubectl get po -o wide
kubectl get events --field-selector involvedObject.kind=Node
