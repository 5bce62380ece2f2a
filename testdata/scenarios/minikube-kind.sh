# The docs assume minikube or kind made the cluster: kubetab's shims answer from its own
# cluster (docs/decisions.md, "minikube and kind").
minikube start
minikube status
kind get clusters
kind get nodes
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
kubectl expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080
kubectl wait --for=condition=available deployment/kubernetes-bootcamp
export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"
echo "NODE_PORT=$NODE_PORT"
minikube ip
curl http://"$(minikube ip):$NODE_PORT"
minikube service kubernetes-bootcamp --url
minikube service kubernetes-bootcamp
minikube service nope
minikube service kubernetes
minikube addons list
minikube addons enable metrics-server
minikube kubectl -- get deployments
minikube dashboard
kind create cluster
kind delete cluster
