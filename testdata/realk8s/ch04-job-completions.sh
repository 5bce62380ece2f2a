# Kubernetes in Action, chapter 4 (4.5.3): a Job of five completions, one pod after
# another (luksa/batch-job runs 120 s each), then the book's parallel variant, which has
# the same name. Observations are made well away from the instants pods finish.
kubectl create -f ../manifests/ch04/multi-completion-batch-job.yaml
kubetab advance 2m30s
kubectl get jobs
kubectl get po -l job-name=multi-completion-batch-job
kubetab advance 2m30s
kubectl get jobs multi-completion-batch-job
kubectl get po -l job-name=multi-completion-batch-job
kubetab advance 7m
kubectl get jobs multi-completion-batch-job
kubectl describe job multi-completion-batch-job

# create refuses the parallel variant; apply patches the finished Job: only parallelism
# differs, which may change. Changing completions of a finished Job is refused.
kubectl create -f ../manifests/ch04/multi-completion-parallel-batch-job.yaml
kubectl apply -f ../manifests/ch04/multi-completion-parallel-batch-job.yaml
kubectl get job multi-completion-batch-job -o jsonpath='{.spec.parallelism}{"\n"}'
kubectl patch job multi-completion-batch-job --type=merge -p '{"spec":{"completions":6}}'
kubectl patch job multi-completion-batch-job --type=merge -p '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"busybox"}]}}}}'
kubectl delete job multi-completion-batch-job
kubetab advance 5s

# Two at a time: three waves of 120 s.
kubectl create -f ../manifests/ch04/multi-completion-parallel-batch-job.yaml
kubetab advance 1m
kubectl get po -l job-name=multi-completion-batch-job
kubectl get jobs multi-completion-batch-job
kubetab advance 2m
kubectl get po -l job-name=multi-completion-batch-job
kubectl get jobs multi-completion-batch-job
kubetab advance 2m
kubectl get po -l job-name=multi-completion-batch-job
kubetab advance 2m
kubectl get jobs multi-completion-batch-job
kubectl describe job multi-completion-batch-job
