# The Kubernetes docs' "Distribute Credentials Securely Using Secrets" task, its commands
# that need no pipe or variable. Paths are relative to this script's directory. The page's
# `echo -n 'my-app' | base64` gave the data of secret.yaml.

# Create a Secret from a manifest: data is base64, shown by size only (6 and 12 bytes: the
# page's 7 and 13 are those of values that ended in a newline).
kubectl apply -f ../manifests/docs/pods/inject/secret.yaml
kubectl get secret test-secret
kubectl describe secret test-secret
kubectl get secret test-secret -o yaml
kubectl get secret test-secret -o jsonpath='{.data.password}'
# The page's alternative, run as it stands, finds the Secret there already.
kubectl create secret generic test-secret --from-literal=username='my-app' --from-literal=password='39528$vdg7Jb'

# A Pod that reads the Secret through a volume: a file per key, decoded.
kubectl apply -f ../manifests/docs/pods/inject/secret-pod.yaml
kubetab advance 10s
kubectl get pod secret-test-pod
# The page opens a shell (kubectl exec -it ... -- /bin/bash) and types these commands.
kubectl exec secret-test-pod -- ls /etc/secret-volume
kubectl exec secret-test-pod -- /bin/sh -c 'cd /etc/secret-volume; cat username; echo; cat password; echo'

# A container environment variable from a Secret.
kubectl create secret generic backend-user --from-literal=backend-username='backend-admin'
kubectl create -f ../manifests/docs/pods/inject/pod-single-secret-env-variable.yaml
kubetab advance 10s
kubectl exec -i -t env-single-secret -- /bin/sh -c 'echo $SECRET_USERNAME'

# From several Secrets.
kubectl create secret generic db-user --from-literal=db-username='db-admin'
kubectl create -f ../manifests/docs/pods/inject/pod-multiple-secret-env-variable.yaml
kubetab advance 10s
kubectl exec -i -t envvars-multiple-secrets -- /bin/sh -c 'env | grep _USERNAME'

# All the keys of a Secret as environment variables (test-secret from above).
kubectl create -f ../manifests/docs/pods/inject/pod-secret-envFrom.yaml
kubetab advance 10s
kubectl exec -i -t envfrom-secret -- /bin/sh -c 'echo "username: $username\npassword: $password"'
kubectl describe pod envfrom-secret
kubectl get events --field-selector involvedObject.name=envfrom-secret
