# Kubernetes in Action, chapter 5: Services. Paths are relative to this script's directory.
#
# Pod names and cluster IPs come from the cluster's seeded random streams: with the scenario
# test's fixed --seed and --start they are the same on every run, and this script names
# them directly (the terminal has no pipes or $(...)). The book's `kubectl exec POD curl`
# without `--` is refused by today's kubectl, and --generator is gone from kubectl run; the
# lines here are the modern forms. The book looks up the headless Service with
# tutum/dnsutils's nslookup; here it is busybox's. Left out: Ingress (section 5.4), which
# kubetab does not serve, and curl from outside the cluster (here a pod does the asking).

# 5.1 Creating a Service in front of the kubia pods.
kubectl create -f ../manifests/kubia-rc.yaml
kubectl create -f ../manifests/ch05/kubia-svc.yaml
kubectl get svc
kubetab advance 30s
kubectl get pods -o wide
# Each request lands on a pod kube-proxy picks at random.
kubectl exec kubia-64tzq -- curl -s http://10.106.165.241
kubectl exec kubia-64tzq -- curl -s http://10.106.165.241
kubectl exec kubia-64tzq -- curl -s http://10.106.165.241
kubectl exec kubia-64tzq -- curl -s http://10.106.165.241
kubectl exec kubia-95mjk -- curl -s http://10.106.165.241

# Session affinity: the same client keeps its pod.
kubectl delete svc kubia
kubectl create -f ../manifests/ch05/kubia-svc-client-ip-session-affinity.yaml
kubectl describe svc kubia
kubectl exec kubia-64tzq -- curl -s http://kubia
kubectl exec kubia-64tzq -- curl -s http://kubia
kubectl exec kubia-64tzq -- curl -s http://kubia

# Discovering the Service: environment variables of pods started after it, and DNS.
kubectl exec kubia-64tzq -- env
kubectl delete po --all
kubetab advance 30s
kubectl get pods
kubectl exec kubia-h8t5d -- env
kubectl exec kubia-h8t5d -- curl -s http://kubia.default.svc.cluster.local
kubectl exec kubia-h8t5d -- curl -s http://kubia.default
kubectl exec kubia-h8t5d -- curl -s http://kubia
kubectl exec kubia-h8t5d -- cat /etc/resolv.conf

# 5.2 Services of things outside the cluster: Endpoints written by hand, then an
# ExternalName Service.
kubectl describe svc kubia
kubectl get endpoints kubia
kubectl create -f ../manifests/ch05/external-service.yaml
kubectl create -f ../manifests/ch05/external-service-endpoints.yaml
kubectl describe svc external-service
kubectl delete svc external-service
kubectl create -f ../manifests/ch05/external-service-externalname.yaml
kubectl get svc external-service

# 5.3 Exposing the Service: a NodePort, on every node's address, and a LoadBalancer,
# pending without a cloud.
kubectl create -f ../manifests/ch05/kubia-svc-nodeport.yaml
kubectl get svc kubia-nodeport
kubectl get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'
kubectl exec kubia-h8t5d -- curl -s http://172.18.0.3:30123
kubectl exec kubia-h8t5d -- curl -s http://172.18.0.4:30123
kubectl exec kubia-h8t5d -- curl -s http://172.18.0.5:30123
kubectl create -f ../manifests/ch05/kubia-svc-loadbalancer.yaml
kubectl get svc kubia-loadbalancer

# 5.5 Readiness: pods are endpoints only once their readiness probe passes.
kubectl delete rc kubia
kubetab advance 1m
kubectl create -f ../manifests/ch05/kubia-rc-readinessprobe.yaml
kubetab advance 30s
kubectl get pods
kubectl get endpoints kubia
kubectl exec kubia-59w67 -- touch /var/ready
kubetab advance 10s
kubectl get pods
kubectl get endpointslices -l kubernetes.io/service-name=kubia
kubectl exec kubia-59w67 -- curl -s http://kubia
kubectl exec kubia-59w67 -- curl -s http://kubia

# 5.6 A headless Service: DNS answers with the ready pods' own addresses.
kubectl exec kubia-bwknp -- touch /var/ready
kubectl exec kubia-wbm9m -- touch /var/ready
kubectl create -f ../manifests/ch05/kubia-svc-headless.yaml
kubectl run dnsutils --image=busybox --restart=Never -- sleep infinity
kubetab advance 10s
kubectl exec dnsutils -- nslookup kubia-headless.default.svc.cluster.local
kubectl exec dnsutils -- nslookup kubia.default.svc.cluster.local
kubectl get svc
kubectl get endpointslices
