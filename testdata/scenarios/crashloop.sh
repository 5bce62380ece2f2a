# A container that keeps crashing, followed for ten minutes: the kubelet restarts it after
# a back-off that starts at 10 s and doubles (10, 20, 40, 80, 160 s, then at most 300 s),
# and meanwhile shows the pod as CrashLoopBackOff.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo starting; sleep 2; echo giving up; exit 1"]
EOF
kubetab advance 4s
kubectl get po crasher
# The first restart comes at once; from the second on, the kubelet waits, and the waiting
# container's message says for how long.
kubetab advance 6s
kubectl get po crasher
kubectl get po crasher -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubetab advance 20s
kubectl get po crasher
kubectl get po crasher -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubetab advance 30s
kubectl get po crasher -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubetab advance 1m
kubectl get po crasher -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubetab advance 2m
kubectl get po crasher
kubectl get po crasher -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubectl logs crasher
kubectl logs crasher --previous
# From now on the back-off stays at its cap of five minutes.
kubetab advance 6m
kubectl get po crasher
kubectl get po crasher -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubectl describe po crasher
