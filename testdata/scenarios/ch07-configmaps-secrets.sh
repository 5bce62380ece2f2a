# Kubernetes in Action, chapter 7: configuring applications with command-line arguments,
# environment variables, ConfigMaps and Secrets. Paths are relative to this script's
# directory; ../manifests/ch07 holds the book's files (fortune-https/https.key and
# https.cert were made as the book makes them: openssl genrsa and openssl req -x509).
# Where the book uses port-forward and curl from the workstation, kubetab runs curl in the
# web-server container.

# 7.2 Arguments: luksa/fortune:args writes a fortune every 2 seconds.
kubectl create -f ../manifests/ch07/fortune-pod-args.yaml
kubetab advance 8s
kubectl logs fortune2s -c html-generator
kubectl exec fortune2s -c web-server -- curl -s localhost

# 7.3 An environment variable: luksa/fortune:env with INTERVAL=30.
kubectl create -f ../manifests/ch07/fortune-pod-env.yaml
kubetab advance 35s
kubectl logs fortune-env -c html-generator
kubectl delete pod fortune2s fortune-env

# 7.4 A ConfigMap from a literal, used as an environment variable and in args.
kubectl create configmap fortune-config --from-literal=sleep-interval=25
kubectl get configmap fortune-config -o yaml
kubectl create -f ../manifests/ch07/fortune-pod-env-configmap.yaml
kubectl create -f ../manifests/ch07/fortune-pod-args-configmap.yaml
kubetab advance 30s
kubectl logs fortune-env-from-configmap -c html-generator
kubectl logs fortune-args-from-configmap -c html-generator
kubectl describe pod fortune-args-from-configmap
kubectl delete pod fortune-env-from-configmap fortune-args-from-configmap

# 7.4.6 A ConfigMap from a directory of files, used as a volume: nginx reads its config
# from it (gzip on), the html-generator still takes its interval from it.
kubectl delete configmap fortune-config
kubectl create configmap fortune-config --from-file=../manifests/ch07/configmap-files
kubectl get configmap fortune-config -o yaml
kubectl create -f ../manifests/ch07/fortune-pod-configmap-volume.yaml
kubetab advance 10s
kubectl get pods
kubectl exec fortune-configmap-volume -c web-server -- ls /etc/nginx/conf.d
kubectl exec fortune-configmap-volume -c web-server -- cat /etc/nginx/conf.d/my-nginx-config.conf
kubectl exec fortune-configmap-volume -c web-server -- curl -s localhost
kubectl exec fortune-configmap-volume -c web-server -- ls /tmp/whole-fortune-config-volume

# Only some keys, at a path of their own; file permissions with defaultMode.
kubectl create -f ../manifests/ch07/fortune-pod-configmap-volume-with-items.yaml
kubetab advance 10s
kubectl exec fortune-configmap-volume-with-items -c web-server -- ls /etc/nginx/conf.d
kubectl exec fortune-configmap-volume -c web-server -- ls -lL /etc/nginx/conf.d

# 7.4.7 Updating the ConfigMap (the book edits it): the volume's files follow at the
# kubelet's next sync of the pod, about a minute later; the environment never does.
kubectl replace -f ../manifests/ch07/fortune-config-edited.yaml
kubectl exec fortune-configmap-volume -c web-server -- cat /etc/nginx/conf.d/sleep-interval
kubetab advance 1m
kubectl exec fortune-configmap-volume -c web-server -- cat /etc/nginx/conf.d/my-nginx-config.conf
kubectl exec fortune-configmap-volume -c web-server -- cat /etc/nginx/conf.d/sleep-interval
kubectl exec fortune-configmap-volume -c html-generator -- printenv INTERVAL
kubectl exec fortune-configmap-volume -c web-server -- nginx -s reload
kubectl exec fortune-configmap-volume -c web-server -- ls -lA /etc/nginx/conf.d
kubectl delete pod fortune-configmap-volume fortune-configmap-volume-with-items

# 7.5 Secrets: a default cluster of today has none (no service account token Secrets).
kubectl get secrets
kubectl create secret generic fortune-https --from-file=../manifests/ch07/fortune-https/https.key --from-file=../manifests/ch07/fortune-https/https.cert --from-file=../manifests/ch07/fortune-https/foo
kubectl get secret fortune-https -o yaml
kubectl describe secret fortune-https

# nginx configured for HTTPS (the book edits the ConfigMap to the ssl.conf it prints).
kubectl delete configmap fortune-config
kubectl create configmap fortune-config --from-file=my-nginx-config.conf=../manifests/ch07/ssl.conf --from-file=../manifests/ch07/configmap-files/sleep-interval
kubectl create -f ../manifests/ch07/fortune-pod-https.yaml
kubetab advance 10s
kubectl get pod fortune-https
kubectl exec fortune-https -c web-server -- ls /etc/nginx/certs
kubectl exec fortune-https -c web-server -- curl -k -s https://localhost
kubectl exec fortune-https -c web-server -- curl -s localhost:443
kubectl exec fortune-https -c web-server -- sh -c 'echo hack > /etc/nginx/certs/https.key'
kubectl delete pod fortune-https

# 7.5.6 A Secret for a private registry, named by the pod's imagePullSecrets.
kubectl create secret docker-registry mydockerhubsecret --docker-username=myusername --docker-password=mypassword --docker-email=my.email@provider.com
kubectl get secret mydockerhubsecret
kubectl describe secret mydockerhubsecret
kubectl create -f ../manifests/ch07/pod-with-private-image.yaml
kubetab advance 10s
kubectl get pod private-pod
