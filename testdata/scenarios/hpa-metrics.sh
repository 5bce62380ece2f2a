# The metrics-server addon: kubectl top, and an HPA that scales a Deployment on the CPU
# its pods use serving requests (engine/metrics' model: 1m idle, 100 ms of CPU a request).
kubectl top pods
minikube addons enable metrics-server
kubectl top pods
minikube addons list
kubectl create deployment web --image=nginx --replicas=1 --port=80
kubectl set resources deployment web --requests=cpu=50m
kubectl expose deployment web
kubectl autoscale deployment web --cpu=50% --min=1 --max=5
kubetab advance 1m
kubectl top pods
kubectl top nodes
kubectl get hpa
IP=$(kubectl get svc web -o jsonpath='{.spec.clusterIP}')
for i in $(seq 60); do curl -s $IP >/dev/null; done
kubectl top pods
kubetab advance 15s
kubectl get hpa
kubectl describe hpa web
kubetab advance 2m
kubectl get hpa
kubetab advance 5m
kubectl get hpa
kubectl describe hpa web
minikube addons disable metrics-server
kubectl top pods
