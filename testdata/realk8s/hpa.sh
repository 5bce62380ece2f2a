# kubectl autoscale on a cluster without metrics-server (refk8s has none): the
# HorizontalPodAutoscaler holds the replicas within its bounds and reports that it cannot
# get CPU utilization.
kubectl create deployment web --image=nginx --replicas=3
kubectl autoscale deployment web --max=5 --dry-run=client -o yaml
kubectl autoscale deployment web --max=5
kubectl get hpa
kubetab advance 40s
kubectl get hpa
kubectl describe hpa web
kubectl get hpa web -o yaml
kubectl delete hpa web
kubectl autoscale deployment/web --min=4 --max=6 --cpu-percent=60
kubetab advance 20s
kubectl get deploy web
kubectl get hpa
kubectl describe hpa web
kubectl autoscale rs/nothing --max=3
kubectl autoscale pod/nothing --max=3
kubectl autoscale deployment web --min=5 --max=3
kubectl delete hpa web
kubectl apply -f - <<EOF2
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web-v1
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: nothing
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 50
EOF2
kubectl get hpa web-v1 -o jsonpath='{.apiVersion} {.spec.metrics}{"\n"}'
kubetab advance 5s
kubectl describe hpa web-v1
kubectl delete hpa web-v1
