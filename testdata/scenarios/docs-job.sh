# The Kubernetes docs' Job example: pi computes π to 2000 places in about ten seconds.
# Paths are relative to this script's directory.
#
# Pod names come from the cluster's seeded random source: with the scenario test's fixed
# --seed and --start they are the same on every run, and this script names them directly.
kubectl apply -f ../manifests/docs/controllers/job.yaml
kubectl get job pi -o yaml
kubetab advance 20s
kubectl describe job pi
kubectl get jobs
kubectl get pods --selector=batch.kubernetes.io/job-name=pi --output=jsonpath='{.items[*].metadata.name}{"\n"}'
kubectl logs jobs/pi
