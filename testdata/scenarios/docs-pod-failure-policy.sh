# The Kubernetes docs' pod failure policy examples (job.md and the task "Handling
# retriable and non-retriable pod failures with Pod failure policy"). The config-issue
# variant has its own script, docs-pod-failure-policy-config-issue.sh.
# Paths are relative to this script's directory.
#
# Pod names come from the cluster's seeded random source: with the scenario test's fixed
# --seed and --start they are the same on every run, and this script names them directly.

# job-pod-failure-policy-example: 12 completions, 3 at a time; every pod prints a line,
# sleeps 5 s and exits 42, which a FailJob rule matches: the first such exit fails the
# whole Job instead of retrying up to the backoffLimit.
kubectl apply -f ../manifests/docs/controllers/job-pod-failure-policy-example.yaml
kubetab advance 10s
kubectl get jobs
kubectl get pods
kubectl describe job job-pod-failure-policy-example
kubectl delete job job-pod-failure-policy-example

# failjob: pods exit 42 after 30 s; after about 30 s the Job is terminated, with the
# FailureTarget condition first, then Failed, both from the FailJob rule.
kubectl create -f ../manifests/docs/controllers/job-pod-failure-policy-failjob.yaml
kubetab advance 35s
kubectl get jobs/job-pod-failure-policy-failjob -o yaml
kubectl get pods -l batch.kubernetes.io/job-name=job-pod-failure-policy-failjob
kubectl delete jobs/job-pod-failure-policy-failjob

# ignore: backoffLimit 0, but disruptions are ignored. Drain the node running one of the
# pods within their 90 s: the evicted pod is not counted as failed and is replaced.
kubectl create -f ../manifests/docs/controllers/job-pod-failure-policy-ignore.yaml
kubetab advance 10s
kubectl get pods -l batch.kubernetes.io/job-name=job-pod-failure-policy-ignore -o wide
kubectl drain kubetab-worker --ignore-daemonsets --grace-period=0
kubectl get jobs/job-pod-failure-policy-ignore -o jsonpath='{.status.failed}{"\n"}'
kubectl get pods -l batch.kubernetes.io/job-name=job-pod-failure-policy-ignore -o wide
kubectl uncordon kubetab-worker
kubetab advance 4m
kubectl get jobs/job-pod-failure-policy-ignore
kubectl get jobs/job-pod-failure-policy-ignore -o jsonpath='{.status.failed}{"\n"}'
kubectl delete jobs/job-pod-failure-policy-ignore
