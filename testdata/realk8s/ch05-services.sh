# Kubernetes in Action, chapter 5: Services in front of the kubia pods: ClusterIP (with
# session affinity, with named ports), NodePort, LoadBalancer, headless, an external
# service with manual Endpoints, ExternalName; kubectl expose and create service.
kubectl create -f ../manifests/kubia-rc.yaml
kubetab advance 1m
kubectl create -f ../manifests/ch05/kubia-svc.yaml
kubetab advance 5s
kubectl get svc
kubectl get svc kubia -o yaml
kubectl describe svc kubia
kubectl get endpoints kubia
kubectl get endpointslices -l kubernetes.io/service-name=kubia
kubectl delete svc kubia

kubectl create -f ../manifests/ch05/kubia-svc-client-ip-session-affinity.yaml
kubectl describe svc kubia
kubectl delete svc kubia
kubectl create -f ../manifests/ch05/kubia-svc-named-ports.yaml
kubetab advance 5s
kubectl get svc kubia
kubectl describe svc kubia

# NodePort, LoadBalancer (no cloud: the external IP stays pending), headless.
kubectl create -f ../manifests/ch05/kubia-svc-nodeport.yaml
kubectl get svc kubia-nodeport
kubectl create service nodeport taken --tcp=80:8080 --node-port=30123
kubectl create -f ../manifests/ch05/kubia-svc-loadbalancer.yaml
kubectl get svc kubia-loadbalancer
kubectl create -f ../manifests/ch05/kubia-svc-headless.yaml
kubetab advance 5s
kubectl get svc kubia-headless
kubectl describe svc kubia-headless

# A service without a selector, and its Endpoints written by hand; then ExternalName.
kubectl create -f ../manifests/ch05/external-service.yaml
kubectl create -f ../manifests/ch05/external-service-endpoints.yaml
kubectl describe svc external-service
kubectl delete svc external-service
kubectl create -f ../manifests/ch05/external-service-externalname.yaml
kubectl get svc external-service
kubectl describe svc external-service

# expose and create service.
kubectl expose rc kubia --port=80 --target-port=8080 --name=kubia-expose
kubectl get svc kubia-expose
kubectl expose rc kubia --port=80 --name=kubia-expose
kubectl create service clusterip my-cs --tcp=5678:8080
kubectl get svc my-cs -o wide
kubectl create service nodeport bad --tcp=80:8080 --node-port=40000
kubectl get svc
kubectl delete svc kubia kubia-nodeport kubia-loadbalancer kubia-headless external-service kubia-expose my-cs
kubectl delete rc kubia
kubectl get svc
