# ConfigMaps and Secrets beyond the book and the docs: what consumers see, when updates
# arrive, and the errors of kubectl, the API server and the kubelet. Paths are relative to
# this script's directory.

# Secrets hold base64 in the API; consumers see the decoded value.
kubectl create secret generic app-secret --from-literal=password='s3cr3t!'
kubectl get secret app-secret -o jsonpath='{.data.password}'
kubectl get secret app-secret -o yaml
kubectl create configmap app-config --from-literal=color=blue --from-literal=size=L
kubectl create -f ../manifests/config/consumers.yaml
kubetab advance 10s
kubectl get pod consumer
kubectl exec consumer -- sh -c 'echo "$COLOR $PASSWORD $CFG_color $CFG_size"'
kubectl exec consumer -- cat /etc/config/color /etc/secret/password /etc/color.txt
kubectl exec consumer -- ls -l /etc/secret
kubectl exec consumer -- ls -lL /etc/secret /etc/both/secret
kubectl exec consumer -- cat /etc/both/config/color
kubectl exec consumer -- touch /etc/config/new
kubectl describe pod consumer

# An update reaches the volumes at the kubelet's next sync of the pod (every minute from
# its start), never the environment nor a subPath file.
kubectl patch configmap app-config -p '{"data":{"color":"green"}}'
kubectl patch secret app-secret -p '{"stringData":{"password":"n3w"}}'
kubetab advance 30s
kubectl exec consumer -- cat /etc/config/color /etc/secret/password
kubetab advance 30s
kubectl exec consumer -- cat /etc/config/color /etc/secret/password /etc/both/config/color
kubectl exec consumer -- sh -c 'echo "$COLOR $PASSWORD"; cat /etc/color.txt'
# An annotation change makes the kubelet sync the pod at once.
kubectl patch configmap app-config -p '{"data":{"color":"red"}}'
kubectl annotate pod consumer refresh=now
kubectl exec consumer -- cat /etc/config/color
# A deleted ConfigMap leaves the volume as it was.
kubectl delete configmap app-config
kubetab advance 1m
kubectl exec consumer -- cat /etc/config/color
kubectl get events --field-selector involvedObject.name=consumer,reason=FailedMount

# A missing ConfigMap in env: CreateContainerConfigError until it exists.
kubectl create -f ../manifests/config/missing-env.yaml
kubetab advance 5s
kubectl get pod missing-env
kubectl create configmap later-config --from-literal=level=high
kubetab advance 15s
kubectl get pod missing-env
kubectl logs missing-env
kubectl describe pod missing-env

# A missing key of a Secret; an optional reference to a missing Secret is skipped.
kubectl create -f ../manifests/config/missing-secret.yaml
kubetab advance 5s
kubectl get pod missing-secret
kubectl get events --field-selector involvedObject.name=missing-secret,reason=Failed

# A volume whose ConfigMap, then whose key, is missing: FailedMount, retried with back-off.
kubectl create -f ../manifests/config/missing-volume.yaml
kubetab advance 10s
kubectl get pod missing-volume
kubectl create configmap app-config --from-literal=color=blue
kubetab advance 10s
kubectl describe pod missing-volume

# The API server's validation.
kubectl create -f ../manifests/config/bad-path.yaml
kubectl apply -f ../manifests/config/frozen.yaml
kubectl get secret frozen -o jsonpath='{.data.API_KEY}'
kubectl apply -f ../manifests/config/frozen-v2.yaml
kubectl patch secret frozen -p '{"immutable":false}'
kubectl patch secret frozen --type merge -p '{"type":"kubernetes.io/tls"}'
kubectl create secret generic not-tls --type=kubernetes.io/tls --from-literal=tls.crt=x
kubectl create secret generic bad-json --type=kubernetes.io/dockerconfigjson --from-literal=.dockerconfigjson=nope

# kubectl's own errors.
kubectl create configmap c1 --from-literal=novalue
kubectl create configmap c1 --from-literal==x
kubectl create configmap c1 --from-literal='bad key=x'
kubectl create configmap c1 --from-literal=k=1 --from-literal=k=2
kubectl create configmap c1 --from-file=../manifests/config/missing-file.txt
kubectl create configmap c1 --from-file=key=../manifests/config/
kubectl create configmap c1 --from-env-file=../manifests/config/frozen.yaml --from-literal=a=b
kubectl create configmap c1 --from-env-file=../manifests/config/
kubectl create configmap c1 --from-env-file=../manifests/config/frozen.yaml
kubectl create configmap
kubectl create secret generic s1 --from-literal=k=1 --from-literal=k=2
kubectl create secret tls t1 --cert=../manifests/ch07/fortune-https/https.cert
kubectl create secret tls t1 --cert=../manifests/ch07/fortune-https/https.cert --key=../manifests/ch07/fortune-https/foo
kubectl create secret docker-registry d1 --docker-username=u
kubectl create configmap c1 --from-literal=a=b --append-hash
kubectl create secret generic s2 --from-literal=a=b --dry-run=client -o yaml
kubectl get configmaps,secrets
