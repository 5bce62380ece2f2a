# What the API server and the network say to Services that cannot be: a node port another
# Service has, a node port out of range, a changed cluster IP, two unnamed ports; and a
# Service that selects nothing: an empty EndpointSlice, and connections refused as
# kube-proxy's REJECT rule refuses them. Paths are relative to this script's directory.
kubectl apply -f ../manifests/ch05/kubia-svc-nodeport.yaml
kubectl apply -f ../manifests/services/other-nodeport.yaml
kubectl apply -f ../manifests/services/nodeport-out-of-range.yaml
kubectl patch svc kubia-nodeport -p '{"spec":{"clusterIP":"10.96.0.99"}}'
kubectl patch svc kubia-nodeport --type=json -p '[{"op":"add","path":"/spec/ports/-","value":{"port":443}}]'
kubectl expose svc kubia-nodeport --name=kubia-again --cluster-ip=10.96.0.1
kubectl get svc

kubectl apply -f ../manifests/services/selects-nothing.yaml
kubetab advance 30s
kubectl get endpointslices -l kubernetes.io/service-name=nothing
kubectl get endpoints nothing
kubectl describe svc nothing
kubectl exec client -- wget -qO- http://nothing
kubectl exec client -- curl -sS http://nothing
kubectl exec client -- wget -qO- http://kubia-nodeport
kubectl exec client -- wget -qO- http://nothing:8080
kubectl exec client -- wget -qO- http://no-such-service
kubectl exec client -- nslookup no-such-service.default.svc.cluster.local
