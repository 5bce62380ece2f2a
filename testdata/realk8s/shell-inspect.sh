# shell
# Inspecting a cluster the way task pages and blog posts script it: describe, -o wide,
# --show-labels, -L and field selectors piped into grep, awk and wc; version and
# api-resources read by tools; a bare pod's command by jsonpath; Endpoints behind a
# Service; deleting by label and counting what is left.
kubectl version -o json | jq -r '.clientVersion.gitVersion, .serverVersion.gitVersion'
kubectl api-resources --api-group=apps -o name | sort
kubectl api-resources | grep -w deployments
kubectl get nodes -o wide --no-headers | awk '{print $1, $2, $6}'
kubectl create deployment hello --image=registry.k8s.io/e2e-test-images/agnhost:2.39 --replicas=3 -- /agnhost netexec --http-port=8080
kubectl run tmp --image=busybox:1.36 --restart=Never --labels=role=tmp --command -- sleep 3600
sleep 20
kubectl get pod tmp -o jsonpath='{.spec.containers[0].command}'; echo
kubectl get pod tmp -o jsonpath='{.spec.restartPolicy} {.status.phase} {.status.containerStatuses[0].ready}{"\n"}'
kubectl get pods --show-labels --no-headers | awk '{print $NF}' | sed 's/pod-template-hash=[a-z0-9]*/pod-template-hash=H/' | sort | uniq -c
kubectl get pods -L app --no-headers | awk 'NF == 6 {print $6}' | sort | uniq -c
kubectl get pods --field-selector=status.phase=Running -o name | wc -l
kubectl get pods --field-selector=status.phase!=Running -o name | wc -l
kubectl get pods -o jsonpath='{.items[*].status.conditions[?(@.type=="Ready")].status}'; echo
kubectl get deploy hello -o wide --no-headers | awk '{print $1, $2, $6, $7, $8}'
kubectl describe deployment hello | grep -E '^(Name|Namespace|Replicas|StrategyType|Selector):'
kubectl describe deployment hello | grep -A1 'Containers:'
kubectl describe pod tmp | grep -E '^(Name|Namespace|Status|Node):' | awk '{print $1, $2}' | sed 's/kubetab-worker[0-9]*/kubetab-worker/'
kubectl expose deployment hello --port=80 --target-port=8080
kubectl get svc hello -o jsonpath='{.spec.ports[0].port}:{.spec.ports[0].targetPort}/{.spec.ports[0].protocol}{"\n"}'
sleep 10
kubectl get endpoints hello -o jsonpath='{.subsets[0].addresses[*].ip}' | wc -w
kubectl get endpointslices -l kubernetes.io/service-name=hello -o jsonpath='{.items[0].addressType} {.items[0].ports[0].port}{"\n"}'
kubectl get deploy hello -o yaml | sed -n '/^spec:/,/^status:/p' | grep -c 'agnhost'
kubectl get all -o name | sed 's/-[a-z0-9]*-[a-z0-9]*$/-X-X/; s/hello-[a-z0-9]*$/hello-X/' | sort | uniq -c
kubectl delete pod -l role=tmp --wait=false
kubectl get pods -l role=tmp -o jsonpath='{.items[*].metadata.deletionTimestamp}' | wc -w
kubectl delete deployment hello
kubectl delete svc hello && kubectl get svc -o name
kubectl auth can-i create deployments; echo "exit $?"
kubectl get --raw /api/v1/namespaces/default | jq -r '.metadata.name, .status.phase'
kubectl get ns -o name | grep -c kube-
kubectl get ns --no-headers -o custom-columns=NAME:.metadata.name,STATUS:.status.phase | sort
