# Kubernetes in Action, chapter 4 (4.5): a Job that runs luksa/batch-job once (it sleeps
# 120 s; refk8s runs it with --job-duration 120s), then one with a 30 s deadline.
# Observations are made well away from the instants things happen: a real cluster's
# commands take wall time, and kubetab pulls images for a second or two.
kubectl create -f ../manifests/ch04/batch-job.yaml
kubetab advance 30s
kubectl get jobs
kubectl get jobs -l job-name=batch-job
kubectl get po
kubectl get po -a
kubectl describe job batch-job
kubetab advance 2m
kubectl get jobs
kubectl get po --show-labels
kubectl describe job batch-job
kubectl get job batch-job -o yaml
kubectl scale job batch-job --replicas 3
kubectl delete job batch-job
kubetab advance 5s
kubectl get po

# A Job that may run for 30 seconds: batch-job needs 120, so the Job fails. Its pod
# ignores SIGTERM, so it goes after the 30 s grace period, and only then is the Job Failed.
kubectl create -f ../manifests/ch04/time-limited-batch-job.yaml
kubetab advance 20s
kubectl get jobs
kubectl get po -l job-name=time-limited-batch-job
kubetab advance 25s
kubectl get jobs time-limited-batch-job
kubectl get po -l job-name=time-limited-batch-job
kubetab advance 35s
kubectl get jobs time-limited-batch-job
kubectl get po -l job-name=time-limited-batch-job
kubectl describe job time-limited-batch-job
