# Kubernetes in Action, chapter 4: a liveness probe on luksa/kubia-unhealthy, whose server
# answers 200 to its first five requests and 500 to every later one.
# Paths are relative to this script's directory.
kubectl create -f ../manifests/ch04/kubia-liveness-probe.yaml
kubetab advance 45s
kubectl get po kubia-liveness
# Probes every 10 s: five succeed, then three fail and the kubelet kills the container.
# node ignores SIGTERM, so the kill takes the whole 30 s grace period (exit code 137).
kubetab advance 30s
kubectl get po kubia-liveness
kubectl describe po kubia-liveness
kubetab advance 40s
kubectl get po kubia-liveness
kubectl describe po kubia-liveness
# The log of the killed container: its start and one line per probe request.
kubectl logs kubia-liveness --previous

# It keeps failing and being restarted; the restart back-off grows (10 s, 20 s, 40 s...).
kubetab advance 10m
kubectl get po kubia-liveness
kubectl get events --field-selector involvedObject.name=kubia-liveness

# With initialDelaySeconds: 15 the first probe waits 15 s after the container started.
kubectl delete po kubia-liveness
kubectl create -f ../manifests/ch04/kubia-liveness-probe-initial-delay.yaml
kubetab advance 20s
kubectl describe po kubia-liveness
kubetab advance 2m
kubectl get po kubia-liveness
