# shell
# More of the shell docs and tutorials write around kubectl: manifests generated with
# --dry-run=client -o yaml into files and pipes, while-read loops over -o name, jsonpath
# (recursive descent, filters, maps, lists), go-template conditions and ranges over maps,
# -o json into jq, labels, scale, patch and rollout through variables, and errors piped.
kubectl create deployment web --image=nginx:1.25 --replicas=2 --dry-run=client -o yaml > web.yaml
cat web.yaml
kubectl apply -f web.yaml
kubectl create configmap settings --from-literal=mode=fast --from-literal=level=3 --dry-run=client -o yaml | kubectl apply -f -
kubectl create secret generic creds --from-literal=user=admin --from-literal=pass=hunter2 --dry-run=client -o yaml | grep -A2 '^data:'
sleep 20
kubectl wait --for=condition=Available deployment/web --timeout=60s
kubectl get pods -l app=web -o name | while read -r p; do kubectl get "$p" -o jsonpath='{.metadata.labels.app} {.status.phase}{"\n"}'; done
kubectl get pods -l app=web -o jsonpath='{.items[*].spec.containers[*].image}'; echo
kubectl get pods -l app=web -o jsonpath='{.items..metadata.labels.app}'; echo
kubectl get deploy web -o jsonpath='{.spec.template.metadata.labels}'; echo
kubectl get deploy web -o jsonpath='{.spec.selector.matchLabels.app}{" "}{.spec.strategy.type}{" "}{.spec.strategy.rollingUpdate}{"\n"}'
kubectl get cm settings -o jsonpath='{.data}'; echo
kubectl get cm -o jsonpath='{.items[?(@.metadata.name=="settings")].data.mode}'; echo
kubectl get pods -o go-template='{{len .items}}{{"\n"}}'
kubectl get pods -o go-template='{{range .items}}{{if eq .status.phase "Running"}}{{.metadata.labels.app}}{{"\n"}}{{end}}{{end}}' | sort | uniq -c
kubectl get cm settings -o go-template='{{range $k, $v := .data}}{{$k}}={{$v}}{{"\n"}}{{end}}'
kubectl get deploy web -o json | jq '.spec.replicas, .spec.template.spec.containers[0].name'
kubectl get deploy -o json | jq -r '.items | length'
kubectl get nodes --no-headers | wc -l
kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.taints[*].effect}{"\n"}{end}'
kubectl get nodes -l node-role.kubernetes.io/control-plane -o name
kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.labels.pod-template-hash}' | wc -c
kubectl get rs -l app=web -o jsonpath='{.items[0].metadata.name}' | grep -c "^web-$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.labels.pod-template-hash}')$"

# Labels, scale, patch and a rollout, through variables.
DEPLOY=web
kubectl label deployment $DEPLOY tier=frontend
kubectl get deploy -l tier=frontend -o name
kubectl scale deployment/$DEPLOY --replicas=3
kubectl patch deployment $DEPLOY -p '{"spec":{"template":{"metadata":{"annotations":{"team":"blue"}}}}}'
sleep 30
kubectl get deploy $DEPLOY -o jsonpath='{.spec.replicas} {.status.replicas} {.status.updatedReplicas} {.status.readyReplicas}{"\n"}'
kubectl rollout history deployment/$DEPLOY | tail -n +2
kubectl set image deployment/$DEPLOY nginx=nginx:1.26
sleep 30
kubectl rollout status deployment/$DEPLOY
kubectl get pods -l app=web -o custom-columns=IMAGE:.spec.containers[0].image --no-headers | sort | uniq -c
kubectl rollout undo deployment/$DEPLOY
sleep 30
kubectl get deploy $DEPLOY -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
kubectl get rs -l app=web --no-headers | wc -l
N=$(kubectl get pods -l app=web --no-headers | wc -l); echo "pods: $((N + 0))"
case "$(kubectl get deploy $DEPLOY -o jsonpath='{.status.conditions[?(@.type=="Available")].status}')" in True) echo available ;; *) echo not available ;; esac

# Errors in pipes.
kubectl get pod nope 2>&1 | grep -o NotFound
kubectl get pod nope --ignore-not-found -o name | wc -l
kubectl delete configmap nope --ignore-not-found; echo "exit $?"
kubectl get deploy web -o jsonpath='{.spec.nope}' | wc -c
kubectl get deploy web -o jsonpath='{.spec.replicas' 2>&1 | head -n 1
kubectl get deploy web -o custom-columns=NAME:.metadata.name,NOPE:.spec.nope
kubectl get pods --sort-by=.metadata.nope -o name | wc -l
kubectl get nope 2>&1; echo "exit $?"
kubectl apply -f missing.yaml; echo "exit $?"
