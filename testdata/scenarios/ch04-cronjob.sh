# Kubernetes in Action, chapter 4: a CronJob that runs batch-job at minutes 0, 15, 30 and
# 45 of every hour, followed for a little over an hour. The cluster starts at 09:00:00.
# Paths are relative to this script's directory.
#
# A Job is named after its CronJob and its scheduled time in minutes since the Unix epoch
# (09:15 on 2026-01-01 is minute 29454315), and its pods after the Job.
kubectl create -f ../manifests/ch04/cronjob.yaml
kubectl get cronjobs
# The cluster started at 09:00:00, the CronJob just after: the first run is at 09:15.
kubetab advance 14m
kubectl get cronjobs
kubectl get jobs
# The controller looks again 100 ms after each scheduled time.
kubetab advance 1m10s
kubectl get cronjobs
kubectl get jobs
kubectl get po
kubetab advance 2m
kubectl get jobs
kubectl logs job/batch-job-every-fifteen-minutes-29454315

# 09:30, 09:45 and 10:00: three more runs. The default successfulJobsHistoryLimit is 3,
# so the 09:15 Job and its pod are deleted once the 10:00 Job has completed.
kubetab advance 30m
kubectl get cronjobs
kubectl get jobs
kubetab advance 15m
kubectl get jobs
kubectl get po
kubetab advance 5m
kubectl get jobs
kubectl get po
kubectl get cronjobs -o wide
kubectl describe cronjob batch-job-every-fifteen-minutes
