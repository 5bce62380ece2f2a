# kubectl port-forward as a job of the terminal: localhost on the node forwards to one pod.
kubectl apply -f https://k8s.io/examples/service/networking/run-my-nginx.yaml
kubectl expose deployment/my-nginx --port 8080 --target-port 80
kubectl wait --for=condition=available deployment/my-nginx
kubectl port-forward deployment/my-nginx 8080:80 &
curl -s http://localhost:8080/ | grep '<h1>'
kubectl port-forward svc/my-nginx 9090:8080 &
curl -sI http://127.0.0.1:9090/
kubectl port-forward pod/nope 7070:80
kubectl port-forward deployment/my-nginx 8080:80
jobs
kill %1
curl -s http://localhost:8080/
jobs
kubectl port-forward
