# A HorizontalPodAutoscaler without metrics-server: the HPA holds the replicas within
# its bounds, and cannot compute utilization.
kubectl create deployment web --image=nginx --replicas=3
kubectl autoscale deployment web --max=5 --dry-run=client -o yaml
kubectl autoscale deployment web --max=5
kubectl get hpa
kubetab advance 31s
kubectl get hpa
kubectl describe hpa web
kubectl get hpa web -o yaml
kubectl autoscale deployment web --min=4 --max=6 --name=web-min
kubectl get deploy web
kubectl describe hpa web-min
kubectl delete hpa web web-min
kubectl autoscale deployment web --max=5
kubectl get all
kubectl api-resources --api-group=autoscaling -o wide
kubectl explain hpa.spec.minReplicas
