# The Kubernetes docs' task "Handling retriable and non-retriable pod failures with Pod
# failure policy", section "Using Pod failure policy to avoid unnecessary Pod retries based
# on custom Pod Conditions" (job-pod-failure-policy-config-issue.yaml). Paths are relative
# to this script's directory.
#
# The image does not exist, so the pods stay Pending, their container waiting in
# ImagePullBackOff. Pulling could in principle succeed later; here it never will, and a
# user (in production, a controller) says so with a custom pod condition, ConfigIssue,
# patched into the pod's status. Deleting the pod then moves it to the Failed phase, and
# the FailJob rule on that condition fails the whole Job at once instead of retrying it up
# to the backoffLimit.
#
# Pod names come from the cluster's seeded random source: with the scenario test's fixed
# --seed and --start they are the same on every run, and this script names them directly
# where the docs capture one with podName=$(kubectl get pods ... '{.items[0].metadata.name}').

# 1. Create the Job.
kubectl create -f ../manifests/docs/controllers/job-pod-failure-policy-config-issue.yaml

# 2. The pods' image cannot be pulled: ErrImagePull, then ImagePullBackOff while the
# kubelet waits (10 s, doubling) before it tries again. The pods stay Pending.
kubetab advance 30s
kubectl get pods -l job-name=job-pod-failure-policy-config-issue
kubectl get pods -l job-name=job-pod-failure-policy-config-issue -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\t"}{.status.containerStatuses[0].image}{"\t"}{.status.containerStatuses[0].state.waiting.reason}{"\n"}{end}'
kubectl get pod job-pod-failure-policy-config-issue-npt6x -o jsonpath='{.status.containerStatuses[0].state.waiting.message}{"\n"}'
kubectl describe pod job-pod-failure-policy-config-issue-npt6x

# 3. Add the custom condition through the status subresource (the docs write it to
# patch.yaml with lastTransitionTime set to the current time).
kubectl patch pod job-pod-failure-policy-config-issue-npt6x --subresource=status -p '{"status":{"conditions":[{"type":"ConfigIssue","status":"True","reason":"NonExistingImage","lastTransitionTime":"2026-01-01T09:00:30Z"}]}}'
kubectl get pod job-pod-failure-policy-config-issue-npt6x -o jsonpath='{range .status.conditions[*]}{.type}={.status}{" "}{end}{"\n"}'

# 4. Delete the pod: the kubelet stops it and reports it Failed, still carrying the
# condition.
kubectl delete pods/job-pod-failure-policy-config-issue-npt6x

# 5. The Job failed by its podFailurePolicy: FailureTarget, then Failed, both with reason
# PodFailurePolicy; the other pod was deleted and no replacement was created. Failed comes
# with the Job's next sync, a second later (its status writes are batched, as upstream's).
kubetab advance 1s
kubectl get jobs -l job-name=job-pod-failure-policy-config-issue
kubectl get jobs -l job-name=job-pod-failure-policy-config-issue -o jsonpath='{range .items[0].status.conditions[*]}{.type}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}'
kubectl describe job job-pod-failure-policy-config-issue
kubectl get pods -l job-name=job-pod-failure-policy-config-issue

# Clean up.
kubectl delete jobs/job-pod-failure-policy-config-issue
