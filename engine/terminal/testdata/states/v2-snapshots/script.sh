kubectl create deployment web --image=nginx:1.27 --replicas=2
kubectl apply -f - <<YAML
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox
            command: ["sh", "-c", "date; echo hello from the cluster"]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
YAML
kubetab advance 5m
kubectl label ns default team=blue
kubetab node add extra-worker --label tier=spare
kubectl get pods
