# kubectl get --sort-by: a relaxed JSONPath into each object; numbers by value, strings in
# natural order (pod-9 before pod-10), quantities by size; objects without the field first.
kubectl run b-10 --image=busybox -- sleep 3600
kubectl run b-9 --image=busybox -- sleep 3600
kubectl run a-1 --image=busybox --restart=Never -- sh -c 'exit 1'
kubetab advance 1m
kubectl run late --image=busybox -- sleep 3600
kubectl label pod b-9 tier=front
kubectl get pods --sort-by=.metadata.name
kubectl get pods --sort-by=.status.startTime
kubectl get pods --sort-by='{.metadata.labels.tier}' -o name
kubectl get pods --sort-by=.status.phase -o custom-columns=NAME:.metadata.name,PHASE:.status.phase
kubectl get events --sort-by=.metadata.creationTimestamp --field-selector involvedObject.name=b-9
# Errors as kubectl words them; a single object is not sorted, nor its field checked.
kubectl get pods --sort-by=.metadata.foo
kubectl get pods --sort-by=.metadata.labels
kubectl get pod late --sort-by=.metadata.foo
kubectl get pods -w --sort-by=.metadata.name --request-timeout=1s
