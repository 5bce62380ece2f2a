# The shell docs are written in, as the Kubernetes Basics tutorial and the task pages
# write it: variables and $(...), go-template and jsonpath, pipes into text tools, loops,
# files written in the workspace and applied, curl from a node, time moving with sleep.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
kubectl rollout status deployment/kubernetes-bootcamp
export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
echo Name of the Pod: $POD_NAME
kubectl get pods | grep bootcamp
kubectl get pods -o name | wc -l

# The pod's IP, and the app answering on it from the node's shell.
POD_IP=$(kubectl get pod "$POD_NAME" -o jsonpath='{.status.podIP}')
for i in $(seq 1 3); do curl -s http://$POD_IP:8080; done
kubectl logs $POD_NAME | tail -n 2

# A Secret's value, decoded.
kubectl create secret generic db-pass --from-literal=pw=s3cr3t
kubectl get secret db-pass -o jsonpath='{.data.pw}' | base64 --decode; echo

# The app exposed on a node port, reached as the Kubernetes Basics tutorial does.
kubectl expose deployment/kubernetes-bootcamp --type=NodePort --port 8080
export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"
echo "NODE_PORT=$NODE_PORT"
NODE_IP=$(kubectl get nodes kubetab-worker -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')
curl http://$NODE_IP:$NODE_PORT
CLUSTER_IP=$(kubectl get svc kubernetes-bootcamp -o jsonpath={.spec.clusterIP})
curl -s $CLUSTER_IP:8080 | cut -d'|' -f1

# A manifest from the cluster, changed with sed, applied back.
kubectl get deploy kubernetes-bootcamp -o yaml > bootcamp.yaml
sed -i 's/replicas: 1/replicas: 3/' bootcamp.yaml
kubectl apply -f bootcamp.yaml
sleep 30
kubectl get deploy kubernetes-bootcamp -o custom-columns=NAME:.metadata.name,READY:.status.readyReplicas
kubectl get pods -o json | jq -r '.items[] | "\(.metadata.name) \(.status.phase)"'
kubectl get pods --no-headers | awk '{print $1, $3}' | sort -r | head -n 2
ls *.yaml

# A container's errors are kubectl's stderr: hidden with 2>/dev/null, piped with 2>&1.
kubectl exec "$POD_NAME" -- cat /nope 2>/dev/null || echo "no /nope in the container"
kubectl exec "$POD_NAME" -- ls /nope 2>&1 | head -n 1

# As "Connecting Applications with Services" writes them: grep's options after its
# pattern, and a manifest piped from a here-document.
kubectl get svc kubernetes-bootcamp -o yaml | grep nodePort -C 1
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: ConfigMap
metadata:
  name: piped
data:
  greeting: hello
EOF
kubectl get configmap piped -o jsonpath='{.data.greeting}'; echo

# /dev/null reads empty and takes what is written to it.
kubectl get configmap piped -o yaml | tee /dev/null | grep -c greeting
wc -c < /dev/null; cat /dev/null; ls /dev
