# The Kubernetes docs' DaemonSet example (fluentd-elasticsearch in kube-system): it
# tolerates the control plane's taint, so it runs a pod on every node, the control plane
# included. Then node operations with an RC and that DaemonSet: a new node gets a daemon
# pod; cordon stops new pods from landing on a node; drain evicts the RC's pods (which
# are replaced elsewhere) and leaves the daemon pod; uncordon opens the node again.
# Paths are relative to this script's directory.
#
# Pod names come from the cluster's seeded random source: with the scenario test's fixed
# --seed and --start they are the same on every run, and this script names them directly.
kubectl create -f ../manifests/kubia-rc.yaml
kubectl apply -f ../manifests/docs/controllers/daemonset.yaml
kubetab advance 30s
kubectl get ds -n kube-system
kubectl get pods -n kube-system -o wide
kubectl get pods -o wide
kubectl describe ds fluentd-elasticsearch -n kube-system

# A fourth worker joins: the DaemonSet puts a pod on it.
kubetab node add kubetab-worker4
kubetab advance 30s
kubectl get ds -n kube-system
kubectl get pods -n kube-system -o wide --field-selector spec.nodeName=kubetab-worker4

# Cordon: the node stays as it is, but nothing new is scheduled there.
kubectl cordon kubetab-worker2
kubectl get nodes
kubectl scale rc kubia --replicas=6
kubetab advance 30s
kubectl get pods -o wide

# Drain refuses to touch DaemonSet pods unless told to ignore them.
kubectl drain kubetab-worker2
kubectl drain kubetab-worker2 --ignore-daemonsets
kubetab advance 30s
kubectl get pods -o wide
kubectl get pods -n kube-system -o wide --field-selector spec.nodeName=kubetab-worker2
kubectl get ds -n kube-system

# Uncordon: schedulable again. Nothing moves back by itself.
kubectl uncordon kubetab-worker2
kubectl get nodes
kubectl scale rc kubia --replicas=8
kubetab advance 30s
kubectl get pods -o wide
