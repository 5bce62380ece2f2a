# The Kubernetes docs' CronJob example: hello runs every minute, prints the date and a
# greeting. Followed for about five minutes: a Job each minute, the three newest kept.
# Paths are relative to this script's directory.
#
# Jobs are named after the scheduled time in minutes since the Unix epoch (09:01 on
# 2026-01-01 is minute 29454301); pod names come from the seeded random source.
kubectl create -f ../manifests/docs/application/job/cronjob.yaml
kubectl get cronjob hello
kubetab advance 1m5s
kubectl get jobs
kubetab advance 5s
kubectl get jobs
kubectl get cronjob hello
kubectl get pods --selector=batch.kubernetes.io/job-name=hello-29454301
kubectl logs job/hello-29454301
kubetab advance 4m
kubectl get jobs
kubectl get pods
kubectl get cronjob hello
# Deleting the CronJob deletes its Jobs and their pods.
kubectl delete cronjob hello
kubectl get jobs
