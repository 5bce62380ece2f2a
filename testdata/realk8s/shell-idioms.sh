# shell
# The shell idioms of testdata/scenarios/shell-idioms.sh (and shell-errors.sh) that reach
# kubectl, run by bash with real kubectl: variables and $(...), go-template, jsonpath and
# custom-columns piped into text tools, a manifest written to the workspace and applied
# back, loops and functions that run kubectl, exit statuses with && and ||, and set -e.
# What needs a real kubelet (curl to a pod, logs, exec) is left to the scenario.
kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1
sleep 20
kubectl rollout status deployment/kubernetes-bootcamp
export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"
echo Name of the Pod: $POD_NAME
kubectl get pods | grep bootcamp | awk '{print $1, $2, $3, $4}'
kubectl get pods -o name | wc -l
kubectl get pods -o name | cut -d/ -f1
POD_IP=$(kubectl get pod "$POD_NAME" -o jsonpath='{.status.podIP}')
echo "$POD_IP" | grep -c '^10\.244\.'
kubectl get pod $POD_NAME -o jsonpath='{.spec.containers[0].image}{"\n"}'
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.labels.app}{"\t"}{.status.phase}{"\n"}{end}'

# A Secret's value, decoded.
kubectl create secret generic db-pass --from-literal=pw=s3cr3t
kubectl get secret db-pass -o jsonpath='{.data.pw}' | base64 --decode; echo
kubectl get secret db-pass -o go-template='{{.data.pw | base64decode}}{{"\n"}}'
kubectl get secret db-pass -o json | jq -r '.data.pw' | base64 -d

# The app exposed on a node port, found as the Kubernetes Basics tutorial finds it.
kubectl expose deployment/kubernetes-bootcamp --type=NodePort --port 8080
export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"
test "$NODE_PORT" -ge 30000 && test "$NODE_PORT" -le 32767 && echo "NODE_PORT is a node port"
NODE_IP=$(kubectl get nodes kubetab-worker -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')
echo "NODE_IP=$NODE_IP"
kubectl get svc kubernetes-bootcamp -o yaml | grep nodePort -C 1
kubectl get svc kubernetes-bootcamp -o jsonpath='{.spec.type}' | grep -q NodePort; echo $?
kubectl get nodes -o custom-columns=NAME:.metadata.name,IP:.status.addresses[0].address --no-headers | sort -r | head -n 2
kubectl get nodes -o jsonpath='{.items[?(@.metadata.name=="kubetab-worker2")].status.nodeInfo.kubeletVersion}'; echo

# A manifest from the cluster, changed with sed, applied back.
kubectl get deploy kubernetes-bootcamp -o yaml > bootcamp.yaml
grep -c 'replicas: 1' bootcamp.yaml
sed -i 's/replicas: 1/replicas: 3/' bootcamp.yaml
kubectl apply -f bootcamp.yaml
sleep 25
kubetab advance 5s
kubectl get deploy kubernetes-bootcamp -o custom-columns=NAME:.metadata.name,READY:.status.readyReplicas
kubectl get pods -o json | jq -r '.items[] | .status.phase' | sort | uniq
kubectl get pods --no-headers | awk '{print $2, $3}' | sort | uniq
kubectl get pods -o name | sort | wc -l
ls *.yaml

# Loops and functions that run kubectl.
for i in 1 2 3; do kubectl create configmap cm-$i --from-literal=n=$i; done
kubectl get configmaps -o name | grep cm-
for cm in $(kubectl get cm -o name | grep cm-); do echo "$cm: $(kubectl get $cm -o jsonpath='{.data.n}')"; done
kubectl get cm --sort-by=.metadata.name -o custom-columns=NAME:.metadata.name,N:.data.n | grep -v kube-root
replicas() { kubectl get deploy "$1" -o jsonpath='{.spec.replicas}'; }
echo "replicas: $(replicas kubernetes-bootcamp)"
k get deploy -o name
kubectl delete configmap cm-1 cm-2 cm-3 | wc -l

# Exit statuses.
kubectl get pod nope && echo found || echo "no pod nope"
kubectl get pod nope 2>/dev/null; echo "exit $?"
kubectl get pods -o name | grep -q bootcamp && echo "a bootcamp pod runs"
if kubectl get deployment kubernetes-bootcamp >/dev/null 2>&1; then echo exists; else echo missing; fi
kubectl get deployment nope > out.txt 2>&1 || cat out.txt

# As "Connecting Applications with Services" writes them: a manifest piped from a
# here-document, and one written to a file first.
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: ConfigMap
metadata:
  name: piped
data:
  greeting: hello
EOF
kubectl get configmap piped -o jsonpath='{.data.greeting}'; echo
kubectl get configmap piped -o yaml | tee /dev/null | grep -c greeting
cat > cm.yaml <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: from-file
data:
  greeting: hi
EOF
kubectl create -f cm.yaml && kubectl create -f cm.yaml || echo "from-file is there already"

# Templates that fail, as shell-errors.sh has them.
kubectl get pods -o go-template='{{.items'
kubectl get pods -o go-template='{{range .items}}{{.metadata.nope.x}}{{end}}{{.kind}}'
kubectl get ns default -o go-template='{{index .metadata.labels "kubernetes.io/metadata.name"}}{{"\n"}}'
kubectl get ns default --template='{{.status.phase}}{{"\n"}}'
set -e; kubectl get pod nope; echo not reached
