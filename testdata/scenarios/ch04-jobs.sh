# Kubernetes in Action, chapter 4: Jobs. Paths are relative to this script's directory.
#
# Pod names come from the cluster's seeded random source: with the scenario test's fixed
# --seed and --start they are the same on every run, and this script names them directly.

# batch-job runs luksa/batch-job once: it logs a line, sleeps two minutes, logs another.
kubectl create -f ../manifests/ch04/batch-job.yaml
kubectl get jobs
kubetab advance 5s
kubectl get po
kubectl get jobs
kubetab advance 2m
kubectl get po -a
kubectl get po
kubectl get jobs
kubectl logs job/batch-job
kubectl describe job batch-job

# Five completions, one pod after another: about ten minutes.
kubectl create -f ../manifests/ch04/multi-completion-batch-job.yaml
kubetab advance 2m10s
kubectl get jobs
kubectl get po -l job-name=multi-completion-batch-job
kubetab advance 8m15s
kubectl get jobs multi-completion-batch-job

# The parallel variant has the same name. create refuses it; apply patches the existing
# Job: only parallelism differs, which may change, so the finished Job takes it and
# nothing more runs. A change to the template or to completions would be refused.
kubectl apply -f ../manifests/ch04/multi-completion-parallel-batch-job.yaml
kubectl get job multi-completion-batch-job -o jsonpath='{.spec.parallelism}{"\n"}'
kubectl patch job multi-completion-batch-job --type=merge -p '{"spec":{"completions":6}}'
kubectl create -f ../manifests/ch04/multi-completion-parallel-batch-job.yaml
kubectl delete job multi-completion-batch-job
kubectl create -f ../manifests/ch04/multi-completion-parallel-batch-job.yaml
kubetab advance 5s
kubectl get po -l job-name=multi-completion-batch-job
kubectl get jobs multi-completion-batch-job
kubetab advance 2m
kubectl get po -l job-name=multi-completion-batch-job
kubetab advance 2m
kubectl get po -l job-name=multi-completion-batch-job
kubectl get jobs multi-completion-batch-job
kubetab advance 2m10s
kubectl get jobs multi-completion-batch-job

# kubectl scale no longer works on Jobs; parallelism changes through patch or edit.
kubectl scale job multi-completion-batch-job --replicas 3

# A Job that may run for 30 seconds: batch-job needs 120, so the Job fails.
kubectl create -f ../manifests/ch04/time-limited-batch-job.yaml
kubetab advance 20s
kubectl get po -l job-name=time-limited-batch-job
kubetab advance 15s
kubectl get jobs time-limited-batch-job
kubectl get po -l job-name=time-limited-batch-job
# The pod ignores SIGTERM: it goes after the 30 s grace period, and only then is the Job
# marked Failed.
kubetab advance 30s
kubectl get po -l job-name=time-limited-batch-job
kubectl get jobs time-limited-batch-job
kubectl describe job time-limited-batch-job
