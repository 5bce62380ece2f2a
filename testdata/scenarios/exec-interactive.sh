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
# kubectl run -i --tty --rm: a pod whose shell the terminal enters; exit deletes it.
kubectl create deployment my-nginx --image=nginx
kubectl expose deployment/my-nginx --port 80
kubectl run -i --tty --image busybox:1.37 dns-test --restart=Never --rm
nslookup my-nginx
exit
kubectl get pod dns-test
kubectl run -it --image busybox:1.37 shell --restart=Never -- sh
hostname
exit
kubectl get pod shell -o jsonpath='{.spec.containers[0].stdin} {.spec.containers[0].tty} {.status.phase}'
