# kubectl exec -ti POD -- bash, as the Basics tutorial's "explore" module uses it: the lines
# after it run in the container's shell until exit.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
kubectl wait --for=condition=available deployment/kubernetes-bootcamp
export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
kubectl exec -ti $POD_NAME -- bash
cat server.js
curl http://localhost:8080
cd /tmp
echo hello > note.txt
pwd
X=1; echo "X=$X"
echo "X=$X"
exit
pwd
kubectl exec $POD_NAME -- cat /tmp/note.txt
kubectl run box --image=busybox:1.37 -- sleep 3600
kubectl wait --for=condition=ready pod/box
kubectl exec -it box -- sh
ls /
exit 3
echo "status $?"
kubectl exec -ti box -- bash
kubectl exec -ti nope -- bash
