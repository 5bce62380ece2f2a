# The docs' "Running Automated Tasks with a CronJob": hello runs every minute (the docs'
# manifest with an annotation that ends refk8s's fake container after a second). The
# script starts at a whole minute, so runs start 60 s apart from 60 s on.
kubectl create -f ../manifests/realk8s/hello-cronjob.yaml
kubectl get cronjob hello
kubetab advance 1m15s
kubectl get cronjob hello
kubectl get jobs
kubectl get pods
kubetab advance 3m
kubectl get jobs
kubectl get pods
kubectl get cronjob hello -o wide
kubectl describe cronjob hello

# Suspended, it starts nothing more.
kubectl patch cronjob hello -p '{"spec":{"suspend":true}}'
kubetab advance 2m
kubectl get cronjob hello
kubectl get jobs
kubectl create job hello-now --from=cronjob/hello
kubetab advance 15s
kubectl get jobs
kubectl delete cronjob hello
kubetab advance 5s
kubectl get jobs
