# The docs' ReplicaSet and ReplicationController pages: frontend (a ReplicaSet of three
# gb-frontend pods) and nginx (a ReplicationController of three nginx pods).
kubectl apply -f ../manifests/docs/controllers/frontend.yaml
kubetab advance 1m
kubectl get rs
kubectl describe rs/frontend
kubectl get pods
kubectl get pods $(kubectl get pods -l tier=frontend --field-selector spec.nodeName=kubetab-worker -o jsonpath={.items[0].metadata.name}) -o jsonpath='{.metadata.ownerReferences}{"\n"}'
kubectl scale rs frontend --replicas=5
kubetab advance 1m
kubectl get rs frontend
kubectl delete rs frontend
kubetab advance 1m
kubectl get pods

kubectl apply -f ../manifests/docs/controllers/replication.yaml
kubetab advance 1m
kubectl describe replicationcontrollers/nginx
kubectl get pods --selector=app=nginx --output=jsonpath={.items..metadata.name}
kubectl get pods -l app=nginx -o name
kubectl delete rc nginx
kubetab advance 1m
kubectl get pods
