# The Kubernetes docs' "Configure Liveness, Readiness and Startup Probes" task: an exec
# probe, an HTTP probe and TCP probes, each looked at when the page says to look.
# Paths are relative to this script's directory.

# exec-liveness: the container creates /tmp/healthy, removes it after 30 s; the probe
# `cat /tmp/healthy` runs every 5 s from 5 s after the start.
kubectl apply -f ../manifests/docs/pods/probe/exec-liveness.yaml
# "Within 30 seconds, view the Pod events": only normal events.
kubetab advance 25s
kubectl describe pod liveness-exec
# "After 35 seconds, view the Pod events again": three failed probes, then the kill.
kubetab advance 20s
kubectl describe pod liveness-exec
# "Wait another 30 seconds, and verify that the container has been restarted." The
# shell is PID 1 and ignores SIGTERM: the kill takes the 30 s grace period (exit 137).
kubetab advance 35s
kubectl describe pod liveness-exec
kubectl get pod liveness-exec

# http-liveness: agnhost's liveness server answers /healthz with 200 for 10 s, then 500.
# Probes every 3 s from 3 s after the start.
# agnhost is a Go program without a SIGTERM handler: as PID 1 it exits 2 at once.
kubectl apply -f ../manifests/docs/pods/probe/http-liveness.yaml
kubetab advance 10s
kubectl get pod liveness-http
kubetab advance 15s
kubectl describe pod liveness-http
kubetab advance 20s
kubectl get pod liveness-http

# tcp-liveness-readiness: goproxy listens on 8080; readiness and liveness probes open a
# TCP connection to it every 10 s from 15 s after the start. Ready only after the first
# readiness probe.
kubectl apply -f ../manifests/docs/pods/probe/tcp-liveness-readiness.yaml
kubetab advance 10s
kubectl get pod goproxy
kubetab advance 10s
kubectl describe pod goproxy
kubectl get pod goproxy
