# The docs' and the book's manifests by URL: kubetab is offline and answers them from the
# copies bundled with it (public/examples); any other URL fails as kubectl does offline.
kubectl apply -f https://k8s.io/examples/application/deployment.yaml
kubectl apply -f https://kubernetes.io/examples/application/deployment-update.yaml
kubectl create -f https://raw.githubusercontent.com/luksa/kubernetes-in-action/master/Chapter04/kubia-rc.yaml
kubectl apply -f https://k8s.io/examples/application/no-such-file.yaml
kubectl apply -f https://example.com/app.yaml
mkdir -p configure-pod-container/configmap/
wget https://kubernetes.io/examples/configmap/game.properties -O configure-pod-container/configmap/game.properties
curl -s https://k8s.io/examples/configmap/ui-env-file.properties
kubectl create configmap game-config --from-file=configure-pod-container/configmap/
kubectl get deployments,rc,configmaps
