# Kubernetes in Action, chapter 7 (7.4 and 7.5) and the docs' ConfigMap and Secret pages:
# kubectl create configmap/secret from literals, files and directories; get, describe,
# -o yaml; errors.
kubectl create configmap fortune-config --from-literal=sleep-interval=25
kubectl get configmap fortune-config
kubectl describe configmap fortune-config
kubectl get configmap fortune-config -o yaml
kubectl create configmap fortune-config --from-literal=sleep-interval=30
kubectl delete configmap fortune-config
kubectl create -f ../manifests/ch07/fortune-config.yaml
kubectl get cm fortune-config -o jsonpath='{.data}{"\n"}'

# From files, with and without a key, and from a directory.
kubectl create configmap my-config --from-file=../manifests/ch07/configmap-files/my-nginx-config.conf --from-file=interval=../manifests/ch07/configmap-files/sleep-interval --from-literal=one=two
kubectl get configmap my-config -o yaml
kubectl describe configmap my-config
kubectl create configmap dir-config --from-file=../manifests/ch07/configmap-files/
kubectl get cm
kubectl describe cm dir-config
kubectl create configmap bad --from-literal=novalue
kubectl create configmap bad --from-literal='bad key=1'
kubectl create configmap bad --from-file=../manifests/ch07/no-such-file

# Secrets.
kubectl get secrets
kubectl create secret generic db-user-pass --from-literal=username=admin --from-literal=password='S!B\*d$zDsb='
kubectl get secrets
kubectl describe secret db-user-pass
kubectl get secret db-user-pass -o jsonpath='{.data}{"\n"}'
kubectl get secret db-user-pass -o yaml
kubectl create secret generic fortune-https --from-file=../manifests/ch07/fortune-https/foo
kubectl describe secret fortune-https
kubectl create secret docker-registry mydockerhubsecret --docker-username=myusername --docker-password=mypassword --docker-email=my.email@provider.com
kubectl get secret mydockerhubsecret -o yaml
kubectl create secret generic db-user-pass --from-literal=username=other
kubectl create secret bogus x
kubectl delete secret db-user-pass fortune-https mydockerhubsecret
kubectl delete configmap fortune-config my-config dir-config
kubectl get secrets
