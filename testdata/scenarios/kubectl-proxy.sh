# kubectl proxy, as the Basics tutorial's "explore" module uses it: the API server's REST
# paths on localhost:8001 for curl, and the pods' and services' proxy subresources.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
kubectl expose deployment/kubernetes-bootcamp --port 8080
kubectl wait --for=condition=available deployment/kubernetes-bootcamp
kubectl proxy &
jobs
curl http://localhost:8001/version
export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
echo Name of the Pod: $POD_NAME
curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/
curl http://localhost:8001/api/v1/namespaces/default/services/kubernetes-bootcamp:8080/proxy/
curl -s http://localhost:8001/api/v1/namespaces/default/pods | jq -r '.kind, .items[].metadata.name'
curl -s http://localhost:8001/apis/apps/v1/namespaces/default/deployments/kubernetes-bootcamp | jq -r '.kind + " " + .metadata.name + " " + (.spec.replicas|tostring)'
curl http://localhost:8001/api/v1/namespaces/default/pods/nope
curl http://localhost:8001/api/v1/nothing-here
curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:9999/proxy/
curl -s http://localhost:8001/api | jq -r .versions[]
curl -s http://localhost:8001/apis | jq -r '.groups[].name'
kubectl proxy
kubectl proxy --port=8080 &
jobs
kill %1
kill %9
kill %2 %3
jobs
curl http://localhost:8001/version
wait
