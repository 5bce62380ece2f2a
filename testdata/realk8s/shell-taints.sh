# shell
# Taints as the "Taints and Tolerations" concept page and node-maintenance posts write
# them: add, overwrite, remove by key and effect or by key alone, by label selector and
# --all, and each of kubectl's refusals; then the discovery commands scripts read
# (api-versions, version -o yaml, get --raw, auth can-i, auth whoami).
kubectl taint nodes kubetab-worker key1=value1:NoSchedule
kubectl taint nodes kubetab-worker key1=value1:NoSchedule
echo "exit $?"
kubectl taint nodes kubetab-worker key1=value2:NoSchedule --overwrite
kubectl taint nodes kubetab-worker key1=value2:NoExecute
kubectl get node kubetab-worker -o jsonpath='{.spec.taints}'; echo
kubectl taint nodes kubetab-worker key1:NoSchedule-
kubectl taint nodes kubetab-worker key1:NoSchedule-
kubectl taint nodes kubetab-worker key1-
kubectl taint nodes kubetab-worker key2=v:Foo
kubectl taint nodes kubetab-worker
kubectl taint nodes nope a=b:NoSchedule
kubectl taint pods x a=b:NoSchedule
kubectl taint nodes kubetab-worker a=b
kubectl taint node -l kubernetes.io/os=linux dedicated=x:PreferNoSchedule
kubectl taint nodes --all dedicated-
kubectl taint nodes kubetab-worker a=b:NoSchedule c=d:NoExecute
kubectl taint nodes kubetab-worker a:NoSchedule- c=e:NoExecute
kubectl taint nodes kubetab-worker a=b:NoSchedule a-
kubectl taint nodes kubetab-worker2 w=1:NoSchedule w=2:NoSchedule
kubectl taint nodes kubetab-worker2 w:NoSchedule- q-
echo "exit $?"
kubectl taint nodes kubetab-worker2 w=1:NoSchedule --dry-run=client
kubectl get node kubetab-worker2 -o jsonpath='{.spec.taints}'; echo
kubectl taint node kubetab-worker2 kubetab-worker3 m=1:NoSchedule
kubectl taint no -l nope=1 m-
kubectl taint nodes kubetab-worker2 'w=bad value:NoSchedule'
kubectl describe node kubetab-worker3 | grep -A1 Taints
kubectl run tolerant --image=busybox:1.36 --restart=Never --overrides='{"spec":{"nodeSelector":{"kubernetes.io/hostname":"kubetab-worker3"}}}' -- sleep 3600
sleep 5
kubectl get pod tolerant -o jsonpath='{.status.phase} {.status.conditions[0].reason}{"\n"}'
kubectl taint node kubetab-worker3 m-
sleep 5
kubectl get pod tolerant -o jsonpath='{.status.phase}{"\n"}'
kubectl api-versions
kubectl version -o yaml | grep -E 'gitVersion|minor'
kubectl get --raw /api/v1/namespaces/kube-system | jq -r .metadata.name
kubectl get --raw /api/v1/namespaces/nope
kubectl auth can-i delete nodes
kubectl auth can-i create pods --subresource=exec -n kube-system
kubectl auth whoami | awk 'NR<=3 {print $1, $2}'
