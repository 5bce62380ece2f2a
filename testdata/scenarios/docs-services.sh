# The Kubernetes docs' "Connecting Applications with Services" tutorial
# (tutorials/services/connect-applications-service), with its manifests.
# Paths are relative to this script's directory.
#
# Pod names and cluster IPs come from the cluster's seeded random streams: with the scenario
# test's fixed --seed and --start they are the same on every run, and this script names
# them directly. The terminal has no pipes, so `printenv | grep SERVICE` prints the whole
# environment here; `kubectl run -i --tty ... --rm` (an interactive shell) becomes a pod
# that sleeps and a `kubectl exec` into it. Left out: the "Securing the Service" part (a
# TLS Secret and ConfigMap, the nginxhttps image and curl over https) and the cloud load
# balancer's address, which a cluster without a cloud never gets.

# Exposing pods to the cluster.
kubectl apply -f ../manifests/docs/service/networking/run-my-nginx.yaml
kubetab advance 30s
kubectl get pods -l run=my-nginx -o wide
kubectl get pods -l run=my-nginx -o custom-columns=POD_IP:.status.podIPs

# Creating a Service.
kubectl expose deployment/my-nginx
kubectl get svc my-nginx
kubectl describe svc my-nginx
kubectl get endpointslices -l kubernetes.io/service-name=my-nginx
# The same Service from the docs' manifest: apply finds it there already.
kubectl apply -f ../manifests/docs/service/networking/nginx-svc.yaml

# Accessing the Service: environment variables. The pods started before the Service, so
# only the kubernetes Service is in their environment.
kubectl exec my-nginx-6c5f9d97c5-6c9r8 -- printenv
kubectl scale deployment my-nginx --replicas=0; kubectl scale deployment my-nginx --replicas=2;
kubetab advance 30s
kubectl get pods -l run=my-nginx -o wide
kubectl exec my-nginx-6c5f9d97c5-drshq -- printenv

# DNS.
kubectl get services kube-dns --namespace=kube-system
kubectl run dns-test --image busybox:1.37 --restart=Never -- sleep 3600
kubetab advance 10s
kubectl exec dns-test -- nslookup my-nginx
kubectl exec dns-test -- nslookup my-nginx.default.svc.cluster.local
kubectl exec dns-test -- cat /etc/resolv.conf
kubectl exec dns-test -- wget -qO- http://my-nginx

# Exposing the Service: a NodePort, reachable on every node's address, then a
# LoadBalancer, whose external IP stays pending without a cloud.
kubectl patch svc my-nginx -p '{"spec":{"type":"NodePort"}}'
kubectl get svc my-nginx
kubectl get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'
kubectl exec dns-test -- wget --spider http://172.18.0.3:30269
kubectl patch svc my-nginx -p '{"spec":{"type":"LoadBalancer"}}'
kubectl get svc my-nginx
kubectl describe service my-nginx
kubectl get all
