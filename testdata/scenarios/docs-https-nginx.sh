# The docs' "Connecting Applications with Services", section "Securing the Service": the
# https-nginx example's Makefile makes a self-signed certificate with openssl, nginx serves
# it on 443 from a Secret, and curl checks it (-k, --cacert, the host name).
wget -q https://raw.githubusercontent.com/kubernetes/examples/master/_archived/https-nginx/Makefile
wget -q https://raw.githubusercontent.com/kubernetes/examples/master/_archived/https-nginx/default.conf
make keys KEY=/tmp/nginx.key CERT=/tmp/nginx.crt
openssl x509 -in /tmp/nginx.crt -noout -subject -dates
make nosuch
make secret
kubectl create secret tls nginxsecret --key /tmp/nginx.key --cert /tmp/nginx.crt
kubectl create configmap nginxconfigmap --from-file=default.conf
mkdir -p /d/tmp
openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout /d/tmp/nginx.key -out /d/tmp/nginx.crt -subj "/CN=my-nginx/O=my-nginx"
openssl x509 -in /d/tmp/nginx.crt -text -noout
kubectl create secret tls mismatched --key /d/tmp/nginx.key --cert /tmp/nginx.crt
kubectl create secret tls nginxsecret --key /d/tmp/nginx.key --cert /d/tmp/nginx.crt --dry-run=client -o yaml | kubectl apply -f -
wget -q https://k8s.io/examples/service/networking/nginx-secure-app.yaml
kubectl create -f ./nginx-secure-app.yaml
kubetab advance 20s
POD_IP=$(kubectl get pods -l run=my-nginx -o jsonpath='{.items[0].status.podIP}')
curl -k https://$POD_IP | grep '<h1>'
curl https://$POD_IP
curl http://$POD_IP:443 | grep 'title'
curl https://$POD_IP:80
wget -q https://k8s.io/examples/service/networking/curlpod.yaml
kubectl apply -f ./curlpod.yaml
kubetab advance 20s
CURL_POD=$(kubectl get pods -l app=curlpod -o jsonpath='{.items[0].metadata.name}')
kubectl exec $CURL_POD -- curl https://my-nginx --cacert /etc/nginx/ssl/tls.crt | grep title
kubectl exec $CURL_POD -- curl https://my-nginx.default.svc.cluster.local --cacert /etc/nginx/ssl/tls.crt
kubectl exec $CURL_POD -- curl https://my-nginx --cacert /etc/nope
openssl rand -base64 12
openssl nosuch
