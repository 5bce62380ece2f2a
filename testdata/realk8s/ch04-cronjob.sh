# Kubernetes in Action, chapter 4 (4.6): the book's CronJob (with batch/v1), which runs
# batch-job at minutes 0, 15, 30 and 45. Its runs are not waited for here (the docs'
# every-minute CronJob, docs-cronjob.sh, shows runs): its object, defaults and errors.
kubectl create -f ../manifests/ch04/batch-v1/cronjob.yaml
kubectl get cronjobs
kubectl get cj -o wide
kubectl describe cronjob batch-job-every-fifteen-minutes
kubectl get cronjob batch-job-every-fifteen-minutes -o yaml
kubectl create -f ../manifests/ch04/batch-v1/cronjob.yaml
kubectl patch cronjob batch-job-every-fifteen-minutes --type=merge -p '{"spec":{"schedule":"not a schedule"}}'
kubectl patch cronjob batch-job-every-fifteen-minutes --type=merge -p '{"spec":{"suspend":true}}'
kubectl get cronjobs
kubectl delete cronjob batch-job-every-fifteen-minutes
kubectl get cronjobs
