# What goes wrong in the terminal's shell says so as sh does, and stops where it should.
helm install web bitnami/nginx
echo $?
echo ready > /etc/motd
cat ../outside.yaml
kubectl get pods -o go-template='{{.items'
kubectl get pods -o go-template='{{range .items}}{{.metadata.nope.x}}{{end}}{{.kind}}'
kubectl get ns default -o go-template='{{index .metadata.labels "kubernetes.io/metadata.name"}}{{"\n"}}'
kubectl get ns default --template='{{.status.phase}}{{"\n"}}'
echo '{"a": [1, 2' | jq .a
echo 'x' | sed 's/x/y'
while true; do :; done
i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i
set -e; false; echo not reached
