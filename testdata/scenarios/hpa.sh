kubectl create deployment web --image=nginx --replicas=3
kubectl autoscale deployment web --max=5 --dry-run=client -o yaml
kubectl autoscale deployment web --max=5
kubectl get hpa
kubectl get hpa web -o yaml
kubectl describe hpa web
kubectl delete hpa web
